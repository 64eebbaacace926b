from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import two_factor_views  # noqa: F401 (the second factor's admin URLs and account settings panel)
from .reports import SignInLogReportView
from .views import LockoutsView


@hooks.register("register_admin_urls")
def register_sign_in_log_urls():
    return [
        path("reports/sign-in-log/", SignInLogReportView.as_view(), name="accounts_sign_in_log"),
        path("reports/sign-in-log/results/", SignInLogReportView.as_view(results_only=True), name="accounts_sign_in_log_results"),
        path("sign-in-lockouts/", LockoutsView.as_view(), name="accounts_lockouts"),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_reports_menu_item")
def register_sign_in_log_menu_item():
    return SuperuserMenuItem(_("登录日志"), reverse("accounts_sign_in_log"), name="sign-in-log", icon_name="key", order=760)


@hooks.register("register_reports_menu_item")
def register_lockouts_menu_item():
    return SuperuserMenuItem(_("登录锁定"), reverse("accounts_lockouts"), name="sign-in-lockouts", icon_name="lock", order=761)
