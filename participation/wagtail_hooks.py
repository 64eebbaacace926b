"""Participation in Wagtail: the public pages' panels (panels.py) and the 意见办理 admin (admin_views.py)."""

from django.urls import reverse
from django.utils.translation import gettext
from wagtail import hooks

from . import access, admin_views, panels  # noqa: F401 (their hooks register on import)


@hooks.register("register_officer_reminders")
def opinions_waiting(user):
    """意见办理 by e-mail (alerts' daily summary): the opinions waiting on ``user`` (to moderate in
    their units, or assigned to them; ``admin_views.waiting_on``), each with its deadline."""
    if not access.works_on_opinions(user):
        return None
    items = [
        (
            gettext("%(number)s %(subject)s（%(unit)s）") % {
                "number": opinion.number or "", "subject": opinion.subject or gettext("无标题"), "unit": opinion.unit.title,
            },
            reverse("participation_admin:opinion", args=[opinion.pk]),
            opinion.deadline,
        )
        for opinion in admin_views.waiting_on(user)
    ]
    return gettext("待办意见"), items


@hooks.register("register_officer_reminders")
def answers_to_approve(user):
    """待审核答复 by e-mail: the answers waiting on ``user``'s approval (``access.answers_awaiting``)."""
    answers = access.answers_awaiting(user).select_related("opinion__unit").order_by("pk")
    items = [
        (
            gettext("%(number)s %(subject)s（%(unit)s）") % {
                "number": answer.opinion.number or "", "subject": answer.opinion.subject or gettext("无标题"),
                "unit": answer.opinion.unit.title,
            },
            reverse("participation_admin:opinion", args=[answer.opinion_id]),
            answer.opinion.deadline,
        )
        for answer in answers
    ]
    return gettext("待审核答复"), items
