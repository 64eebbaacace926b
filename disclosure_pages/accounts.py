"""The members' sign-in and sign-out on the portal (党员登录), in both scripts.

Django's own LoginView and LogoutView with the portal's templates. Officers keep signing in
at /admin/; a member is never sent into the admin: ``next`` is honoured only for a same-site
address, and an admin address only for someone who may use the admin. Wrong passwords are
the site's to limit, with one rule for every sign-in (``authenticate``): the site in cms/ does
it with django-axes (accounts/lockout.py), which answers with this page saying how long to wait.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site


def portal_for(request):
    """The portal home page in the active script (the page the account pages hang under)."""
    site = Site.find_for_request(request)
    root = site.root_page.specific if site else None
    language = get_language()
    if root is not None and root.locale.language_code != language:
        translation = root.get_translations().filter(locale__language_code=language, live=True).first()
        root = translation.specific if translation else root
    return root


def admin_prefix():
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:  # pragma: no cover - a site without the admin
        return None


def may_use_admin(user):
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def safe_next(request, target, user):
    """``target`` if it is a same-site address ``user`` may be sent to, else None."""
    if not target:
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return None
    prefix = admin_prefix()
    path = target.split("?", 1)[0].split("#", 1)[0]
    if prefix and path.startswith(prefix) and not may_use_admin(user):
        return None
    return target


class MemberLoginForm(AuthenticationForm):
    """Chinese labels and messages in the active script (from the project's catalogues)."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入。注意区分大小写。"),
        "inactive": _("此账号已停用，请联系所在党组织。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].label = _("密码")


class PortalContextMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # ``page`` is the portal: the header, the language of the page and the 简/繁 switch
        # (which keeps the route below it, account/login/, and the query) follow it.
        context.update({"page": portal_for(self.request), "keep_query_on_switch": True})
        return context

    def portal_url(self):
        portal = portal_for(self.request)
        return portal.get_url(self.request) if portal is not None else f"/{get_language()}/"


class MemberLoginView(PortalContextMixin, auth_views.LoginView):
    template_name = "disclosure_pages/account/login.html"
    authentication_form = MemberLoginForm

    def get_redirect_url(self):
        """The ``next`` address if it is on this site and open to whoever is signing in."""
        # After a successful sign-in request.user is the member who signed in (auth_login).
        target = self.request.POST.get(self.redirect_field_name, self.request.GET.get(self.redirect_field_name))
        return safe_next(self.request, target, self.request.user) or ""

    def get_default_redirect_url(self):
        return self.portal_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_heading"] = _("党员登录")
        return context


class MemberLogoutView(PortalContextMixin, auth_views.LogoutView):
    """POST only (Django's LogoutView): a link cannot sign anyone out."""

    template_name = "disclosure_pages/account/logged_out.html"

    def get_redirect_url(self):
        # Signed out by now: nobody is sent into the admin from here. Without ``next`` the
        # page says that the sign-out is done (shared terminals in service centres).
        return safe_next(self.request, self.request.POST.get(self.redirect_field_name), self.request.user) or ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_heading"] = _("已退出登录")
        return context
