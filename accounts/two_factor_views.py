"""The second factor's admin pages: enrolment from the account page, the code asked after signing
in, new recovery codes and removing the device. All are admin URLs (Wagtail's hook), so only
people who may use the admin reach them; ``two_factor.TwoFactorMiddleware`` sends people here.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView, View
from django_otp import login as otp_login
from wagtail import hooks
from wagtail.admin.views.account import BaseSettingsPanel
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import two_factor as tf
from .audit import record
from .models import SignInEvent


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, autofocus=True, **kwargs):
        super().__init__(*args, **kwargs)
        # The manage page has two of these forms: the cursor goes to neither.
        if autofocus:
            self.fields["code"].widget.attrs["autofocus"] = True


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class TwoFactorPage(WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("两步验证")
    header_icon = "lock"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_account"), "label": _("账号设置")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = tf.required_for(self.request.user)
        return context


class ManageView(TwoFactorPage):
    """The state of the user's second factor, with new recovery codes and removal (each asking a code)."""

    template_name = "accounts/two_factor/manage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        device = tf.totp_device(user)
        context.update(
            device=device,
            codes_left=tf.recovery_codes_left(user) if device else 0,
            regenerate_form=kwargs.get("regenerate_form") or CodeForm(prefix="regenerate", autofocus=False),
            remove_form=kwargs.get("remove_form") or CodeForm(prefix="remove", autofocus=False),
        )
        return context


class EnrolView(TwoFactorPage):
    """Scan the QR code (or type the secret), confirm with one code, receive the recovery codes once."""

    template_name = "accounts/two_factor/enrol.html"

    def get(self, request, *args, **kwargs):
        if tf.has_device(request.user):
            messages.info(request, _("您已启用两步验证。"))
            return redirect("two_factor:manage")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = tf.pending_device(self.request.user)
        context.update(
            form=kwargs.get("form") or CodeForm(),
            qr_svg=tf.qr_svg(device.config_url),
            secret=tf.secret_of(device),
        )
        return context

    def post(self, request, *args, **kwargs):
        if tf.has_device(request.user):
            return redirect("two_factor:manage")
        form = CodeForm(request.POST)
        if form.is_valid():
            device, error = tf.check_code(request.user, form.cleaned_data["code"], device=tf.pending_device(request.user), recovery=False)
            if device is not None:
                tf.confirm(device)
                codes = tf.new_recovery_codes(request.user)
                otp_login(request, device)
                logged(request, SignInEvent.Kind.OTP_ENROLLED)
                return show_recovery_codes(request, codes, enrolled=True)
            logged(request, SignInEvent.Kind.OTP_FAILED)
            form.add_error("code", error)
        return self.render_to_response(self.get_context_data(form=form))


def logged(request, kind):
    """The step in the sign-in log (登录日志), beside the sign-ins it protects."""
    record(request, kind, request.user.get_username(), request.user)


def show_recovery_codes(request, codes, enrolled=False):
    """The codes, once: they are stored only as the tokens django-otp checks, never shown again."""
    view = TwoFactorPage()
    view.setup(request)
    context = view.get_context_data(codes=codes, enrolled=enrolled)
    return TemplateResponse(request, "accounts/two_factor/recovery_codes.html", context)


class CodeRequiredAction(View):
    """A change to the second factor itself asks a current code (or a recovery code), so that
    someone at an unattended signed-in browser cannot take it over."""

    prefix = ""

    def get(self, request):
        return redirect("two_factor:manage")

    def post(self, request):
        form = CodeForm(request.POST, prefix=self.prefix, autofocus=False)
        if not tf.has_device(request.user):
            return redirect("two_factor:manage")
        if form.is_valid():
            device, error = tf.check_code(request.user, form.cleaned_data["code"])
            if device is not None:
                logged(request, self.event)
                return self.done(request)
            logged(request, SignInEvent.Kind.OTP_FAILED)
            form.add_error("code", error)
        view = ManageView()
        view.setup(request)
        return TemplateResponse(request, view.template_name, view.get_context_data(**{f"{self.prefix}_form": form}))


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class RegenerateView(CodeRequiredAction):
    prefix = "regenerate"
    event = SignInEvent.Kind.OTP_CODES

    def done(self, request):
        return show_recovery_codes(request, tf.new_recovery_codes(request.user))


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class RemoveView(CodeRequiredAction):
    prefix = "remove"
    event = SignInEvent.Kind.OTP_REMOVED

    def done(self, request):
        tf.remove_devices(request.user)
        messages.success(request, _("已关闭两步验证，身份验证器和恢复码均已作废。"))
        if tf.required_for(request.user):
            return redirect("two_factor:enrol")
        return redirect("two_factor:manage")


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class VerifyView(TemplateView):
    """After the password: the code from the authenticator app, or a recovery code."""

    template_name = "accounts/two_factor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified() or not tf.has_device(request.user):
            return redirect(safe_next(request, reverse("wagtailadmin_home")))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CodeForm())
        context["next"] = safe_next(self.request, "")
        return context

    def post(self, request, *args, **kwargs):
        form = CodeForm(request.POST)
        if form.is_valid():
            device, error = tf.check_code(request.user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                logged(request, SignInEvent.Kind.OTP_PASSED)
                return redirect(safe_next(request, reverse("wagtailadmin_home")))
            logged(request, SignInEvent.Kind.OTP_FAILED)
            form.add_error("code", error)
        return self.render_to_response(self.get_context_data(form=form))


urlpatterns = [
    path("", ManageView.as_view(), name="manage"),
    path("enrol/", EnrolView.as_view(), name="enrol"),
    path("verify/", VerifyView.as_view(), name="verify"),
    path("recovery-codes/", RegenerateView.as_view(), name="recovery_codes"),
    path("remove/", RemoveView.as_view(), name="remove"),
]


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("two-factor/", include((urlpatterns, "two_factor"), namespace="two_factor"))]


class TwoFactorSettingsPanel(BaseSettingsPanel):
    """On the account page: whether the second factor is on, with the way to its page."""

    name = "two_factor"
    title = gettext_lazy("两步验证")
    order = 550
    template_name = "accounts/two_factor/settings_panel.html"

    def get_form(self):
        # Nothing of it is saved with the account form: its changes each ask a code on their own page.
        return forms.Form(prefix=self.name)

    def get_context_data(self):
        return {
            "enrolled": tf.has_device(self.user),
            "required": tf.required_for(self.user),
            "codes_left": tf.recovery_codes_left(self.user),
        }


@hooks.register("register_account_settings_panel")
def two_factor_settings_panel(request, user, profile):
    return TwoFactorSettingsPanel(request, user, profile)
