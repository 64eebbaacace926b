"""Alerts in Wagtail: the public pages' subscribe panels and menu entry (panels.py), the county
office's 订阅提醒 report with the delivery check's state (admin_views.py), and the officers'
reminders choice in the admin account settings."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from . import panels  # noqa: F401 (its hooks register on import)
from .admin_views import VIEWED, AlertsOverviewView, check_status, may_view
from .conf import app_settings
from .forms import OfficerReminderForm
from .models import OfficerReminderSetting


@hooks.register("register_admin_urls")
def register_alerts_admin_urls():
    return [
        path("reports/alerts/", AlertsOverviewView.as_view(), name="alerts_overview"),
        path("reports/alerts/check.json", check_status, name="alerts_check_status"),
    ]


class CountyOfficeMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view(request.user)


@hooks.register("register_reports_menu_item")
def register_alerts_menu_item():
    return CountyOfficeMenuItem(_("订阅提醒"), reverse("alerts_overview"), name="alerts", icon_name="mail", order=770)


@hooks.register("register_log_actions")
def register_alerts_log_actions(actions):
    actions.register_action(VIEWED, _("查看订阅人数据"), _("查看了订阅提醒统计和已暂停发送的地址（已遮蔽）"))


class OfficerRemindersPanel(BaseSettingsPanel):
    name = "officer_reminders"
    title = _("待办提醒")
    tab = notifications_tab
    order = 200
    form_class = OfficerReminderForm

    def get_form(self):
        setting = OfficerReminderSetting.objects.filter(user=self.user).first()
        if setting is None:
            setting = OfficerReminderSetting(user=self.user, frequency=app_settings.SUNSHINE_OFFICER_REMINDERS_DEFAULT)
        kwargs = {"instance": setting, "prefix": self.name}
        return self.form_class(self.request.POST, **kwargs) if self.request.method == "POST" else self.form_class(**kwargs)


@hooks.register("register_account_settings_panel")
def officer_reminders_panel(request, user, profile):
    return OfficerRemindersPanel(request, user, profile)
