"""登录锁定: superusers see who is locked out now and lift a lockout without a shell."""

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .conf import app_settings


def current_lockouts():
    since = timezone.now() - timedelta(seconds=app_settings.SUNSHINE_LOGIN_LOCKOUT_SECONDS)
    return AccessAttempt.objects.filter(
        failures_since_start__gte=app_settings.SUNSHINE_LOGIN_ATTEMPTS, attempt_time__gte=since
    ).order_by("-attempt_time")


class LockoutsView(WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("登录锁定")
    header_icon = "lock"
    template_name = "accounts/lockouts.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lockouts = list(current_lockouts())
        wait = timedelta(seconds=app_settings.SUNSHINE_LOGIN_LOCKOUT_SECONDS)
        for attempt in lockouts:
            attempt.local_time = localtime(attempt.attempt_time).strftime("%Y-%m-%d %H:%M:%S")
            attempt.until = localtime(attempt.attempt_time + wait).strftime("%H:%M")
        context["lockouts"] = lockouts
        return context

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        address = request.POST.get("address", "")
        if username and address and AxesProxyHandler.reset_attempts(username=username, ip_address=address):
            messages.success(request, _("已解除“%(username)s”在 %(address)s 的登录锁定。") % {"username": username, "address": address})
        else:
            messages.error(request, _("没有找到这项锁定，可能已经到期。"))
        return redirect("accounts_lockouts")
