"""The opinion panels on item and unit pages (the plugin's register_item_panel / register_unit_panel).

- An item that takes opinions: the form while it is open (on a members-only item only for those
  who may read it), afterwards a note and the summary of what came in.
- A decision or result whose matter was put out for comment: 意见采纳情况.
- A unit: its 意见箱 and a link to its ledger.

What the summaries show of opinions is the public rule's (``Opinion.objects.public()`` for the
texts, ``counted()`` for the figures); members-only opinions are never shown or counted here.
"""

from django.db.models import OuterRef, Prefetch, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from wagtail import hooks
from wagtail.admin.ui.components import Component

from disclosure_pages.choices import Stage
from disclosure_pages.panels import PortalMenuItem

from . import intake
from .choices import AnswerStatus, HiddenReason, Moderation, Outcome, State
from .forms import OpinionForm
from .models import Answer, Opinion

# Published opinions listed under a summary; the ledger has them all.
SUMMARY_LIST_LIMIT = 50


class PortalPanel(Component):
    """A panel rendered with the request (the portal's context processors, the CSRF token)."""

    def __init__(self, page, request):
        self.page, self.request = page, request

    def render_html(self, parent_context=None):
        return render_to_string(self.template_name, self.get_context_data(parent_context), request=self.request)


def approved_answers():
    return Prefetch(
        "answers", queryset=Answer.objects.filter(status=AnswerStatus.APPROVED).order_by("-decided_at", "-pk"),
        to_attr="approved_answers",
    )


def summary_of(items):
    """What came in on ``items`` (either script): counts by outcome and hidden reason, and the published opinions."""
    opinions = Opinion.objects.filter(item__translation_key__in={item.translation_key for item in items})
    latest_outcome = Answer.objects.filter(opinion=OuterRef("pk"), status=AnswerStatus.APPROVED).order_by("-decided_at", "-pk")
    rows = opinions.counted().annotate(outcome=Subquery(latest_outcome.values("outcome")[:1]))
    by_outcome, in_progress, hidden = dict.fromkeys(Outcome.values, 0), 0, dict.fromkeys(HiddenReason.values, 0)
    total = 0
    for state, outcome, moderation, hidden_reason in rows.values_list("state", "outcome", "moderation", "hidden_reason"):
        total += 1
        if state in State.answered() and outcome:
            by_outcome[outcome] += 1
        else:
            in_progress += 1
        if moderation == Moderation.HIDDEN and hidden_reason:
            hidden[hidden_reason] += 1
    published = opinions.public().order_by("created_at", "pk").prefetch_related(approved_answers())
    return {
        "total": total,
        "outcomes": [(Outcome(value).label, count) for value, count in by_outcome.items()],
        "adopted": sum(by_outcome[value] for value in Outcome.adopted()),
        "in_progress": in_progress,
        "hidden": [(HiddenReason(value).label, count) for value, count in hidden.items() if count],
        "published_count": published.count(),
        "published": list(published[:SUMMARY_LIST_LIMIT]),
    }


class ItemOpinionsPanel(PortalPanel):
    """意见建议 on an item that takes opinions: the form while open, the summary after."""

    template_name = "participation/panels/item_opinions.html"

    def get_context_data(self, parent_context=None):
        item, user = self.page, self.request.user
        opening = intake.opening_of(item)
        context = {"page": item, "opening": opening}
        if opening.open:
            context["may_write"] = intake.may_write_on(item, user)
            context["form"] = OpinionForm(user=user)
            context["action"] = reverse("participation:submit_item", kwargs={"page_id": item.pk})
        elif intake.item_is_public_now(item):
            context["summary"] = summary_of([item])
        return context


class AdoptionPanel(PortalPanel):
    """意见采纳情况 on a decision or result whose matter was put out for comment before."""

    template_name = "participation/panels/adoption.html"

    def __init__(self, page, request, consulted):
        super().__init__(page, request)
        self.consulted = consulted

    def get_context_data(self, parent_context=None):
        return {"page": self.page, "consulted": self.consulted, "summary": summary_of(self.consulted)}


class UnitOpinionBoxPanel(PortalPanel):
    """意见箱: opinions to the unit, not on an item, and its ledger."""

    template_name = "participation/panels/unit_box.html"

    def get_context_data(self, parent_context=None):
        return {
            "page": self.page,
            "form": OpinionForm(user=self.request.user),
            "action": reverse("participation:submit_unit", kwargs={"page_id": self.page.pk}),
        }


@hooks.register("register_item_panel")
def item_opinions_panel(page, request):
    return ItemOpinionsPanel(page, request) if intake.opening_of(page).takes_opinions else None


@hooks.register("register_item_panel")
def adoption_panel(page, request):
    if page.stage not in (Stage.DECISION, Stage.RESULT):
        return None
    consulted = [
        step for step in page.stage_chain() if step.stage == Stage.PRE_DISCLOSURE and intake.opening_of(step).takes_opinions
    ]
    return AdoptionPanel(page, request, consulted) if consulted else None


@hooks.register("register_unit_panel")
def unit_opinion_box_panel(page, request):
    return UnitOpinionBoxPanel(page, request) if page.live else None



@hooks.register("register_portal_menu_item")
def ledger_menu_item(request):
    """在线互动: the ledger in the portal's main menu (the window county portals have for it)."""
    return PortalMenuItem(label=gettext("意见建议"), url=reverse("participation:ledger"))
