"""Alerts in Wagtail: the public pages' subscribe panels and menu entry (panels.py), and the
officers' reminders choice in the admin account settings."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from . import panels  # noqa: F401 (its hooks register on import)
from .conf import app_settings
from .forms import OfficerReminderForm
from .models import OfficerReminderSetting


class OfficerRemindersPanel(BaseSettingsPanel):
    name = "officer_reminders"
    title = gettext_lazy("待办提醒")
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
