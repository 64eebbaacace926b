"""The admin's 监督考核 menu: each part of the work adds its entries through
``register_supervision_menu_item`` (a Wagtail hook, like the admin's own menus)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from . import admin_assessment, admin_board, admin_evaluation, admin_inspections, panels  # noqa: F401 (their hooks)

supervision_menu = Menu(register_hook_name="register_supervision_menu_item")


@hooks.register("register_admin_menu_item")
def register_supervision_menu():
    return SubmenuMenuItem(_("监督考核"), supervision_menu, icon_name="clipboard-list", name="supervision", order=320)


@hooks.register("register_officer_reminders")
def obligations_overdue(user):
    """应公开未公开 by e-mail (alerts' daily summary): the missing obligations of the units whose
    officers or leading group ``user`` is in — the people a chase goes to (``chasing.people_of``)."""
    from django.db.models import Q
    from django.urls import reverse
    from django.utils.translation import gettext

    from . import access
    from .models import Obligation

    if not access.is_active(user):
        return None
    groups = list(user.groups.values_list("pk", flat=True))
    missing = (
        Obligation.objects.outstanding()
        .filter(Q(unit__officers_group__in=groups) | Q(unit__leading_group__in=groups))
        .select_related("unit", "entry", "subject").order_by("unit__path", "due_on", "pk")
    )
    items = [
        (
            gettext("%(unit)s：%(entry)s（%(what)s）") % {
                "unit": obligation.unit.title, "entry": obligation.entry.name,
                "what": obligation.subject.title if obligation.subject_id else f"{obligation.period_start.isoformat()}—{obligation.period_end.isoformat()}",
            },
            reverse("supervision_board:calendar", args=[obligation.unit_id]),
            obligation.due_on,
        )
        for obligation in missing
    ]
    return gettext("应公开未公开"), items
