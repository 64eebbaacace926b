"""Dashboard panels: 待我审核 for approvers and 我的提交 for officers (they replace Wagtail's two)."""

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from .conf import app_settings
from .models import CountyReviewTaskState, DisclosureReviewTask
from .takedowns import pending_takedowns
from .units import owning_units


def waiting_days(since):
    return max(0, (timezone.now() - since).days)


class HiddenWhenEmpty(Component):
    """A dashboard panel that shows nothing at all when it has no rows."""

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        return render_to_string(self.template_name, context) if context["rows"] else ""


def age_label(since):
    days = waiting_days(since)
    return _("今天") if days == 0 else _("%(days)s 天") % {"days": days}


def waiting_reviews(user):
    """The review task states waiting at a tier ``user`` approves, oldest first."""
    states = (
        TaskState.objects.reviewable_by(user)
        .filter(workflow_state__base_content_type=ContentType.objects.get_for_model(Page))
        .select_related("task", "revision", "workflow_state__requested_by")
        .defer("revision__content")  # the title is the revision's object_str
        .order_by("started_at")
    )
    # The task's model from its content type (cached): no query per row for ``task.specific``.
    return [state for state in states if issubclass(state.task.specific_class, DisclosureReviewTask)]


def review_rows(states):
    """The rows of 待我审核 for ``states``: each row's page, unit, county review reason and
    takedown, read for all the rows at once."""
    page_ids = {int(state.workflow_state.object_id) for state in states}
    pages = Page.objects.in_bulk(page_ids)
    units = owning_units(pages.values())
    reasons = dict(CountyReviewTaskState.objects.filter(pk__in=[state.pk for state in states]).values_list("pk", "required_because"))
    takedowns = pending_takedowns(page_ids)
    rows = []
    for state in states:
        page = pages.get(int(state.workflow_state.object_id))
        if page is None:
            continue
        rows.append({
            "page": page,
            "title": state.revision.object_str,
            "unit": units.get(page.pk),
            "task": state.task,
            "requested_by": state.workflow_state.requested_by,
            "started_at": state.started_at,
            "age": age_label(state.started_at),
            "overdue": waiting_days(state.started_at) >= app_settings.SUNSHINE_REVIEW_OVERDUE_DAYS,
            "required_because": reasons.get(state.pk, ""),
            "takedown": takedowns.get(page.pk),
        })
    return rows


def awaiting_review(user):
    """What 待我审核 lists for ``user``: the items waiting at a tier they approve, oldest first
    (also the approvals of officers' reminders, ``register_officer_reminders``)."""
    return review_rows(waiting_reviews(user))


class AwaitingMyReviewPanel(HiddenWhenEmpty):
    """待我审核: the items waiting longest at a tier this user approves, with how long they have
    waited, and a link to all of them (``views.AwaitingReviewView``): the county tier of a
    province's county may have hundreds."""

    name = "sunshine_awaiting_my_review"
    template_name = "workflows/panels/awaiting_my_review.html"
    order = 90
    shown = 20

    def get_context_data(self, parent_context):
        states = waiting_reviews(parent_context["request"].user)
        return {"rows": review_rows(states[: self.shown]), "count": len(states)}


STATUS_LABELS = {
    WorkflowState.STATUS_IN_PROGRESS: gettext_lazy("审核中"),
    WorkflowState.STATUS_NEEDS_CHANGES: gettext_lazy("退回修改"),
    WorkflowState.STATUS_APPROVED: gettext_lazy("已通过"),
    WorkflowState.STATUS_CANCELLED: gettext_lazy("已撤回"),
}


UNFINISHED = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)


class MySubmissionsPanel(HiddenWhenEmpty):
    """我的提交: the user's latest submissions with where each stands; rejections with the reason."""

    name = "sunshine_my_submissions"
    template_name = "workflows/panels/my_submissions.html"
    order = 95
    limit = 10

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        latest, seen = [], set()
        states = (
            WorkflowState.objects.filter(requested_by=user, base_content_type=ContentType.objects.get_for_model(Page))
            .select_related("current_task_state__task", "current_task_state__finished_by")
            .order_by("-created_at")
        )
        for state in states[: self.limit * 3]:
            if state.object_id not in seen:  # one row per item: its latest submission
                seen.add(state.object_id)
                latest.append(state)
        pages = Page.objects.in_bulk([int(state.object_id) for state in latest])
        unfinished = [int(state.object_id) for state in latest if state.status in UNFINISHED]
        takedowns = pending_takedowns(unfinished)
        rows = []
        for state in latest:
            page = pages.get(int(state.object_id))
            if page is None:
                continue
            current = state.current_task_state
            rows.append({
                "page": page,
                "title": page.get_admin_display_title(),
                "status": state.status,
                "status_label": STATUS_LABELS.get(state.status, state.status),
                "step": current.task.name if current and state.status == WorkflowState.STATUS_IN_PROGRESS else "",
                "reason": current.comment if current and state.status == WorkflowState.STATUS_NEEDS_CHANGES else "",
                "rejected_by": current.finished_by if current and state.status == WorkflowState.STATUS_NEEDS_CHANGES else None,
                "submitted_at": state.created_at,
                "takedown": takedowns.get(page.pk),
            })
            if len(rows) == self.limit:
                break
        return {"rows": rows}



class CountyOverviewPanel(Component):
    """县级督办: the sections with the most overdue approvals and empty leading groups, the longest
    waiting approvals, and a link to every section (``overdue.CountyOverviewView``)."""

    name = "sunshine_county_overview"
    template_name = "workflows/panels/county_overview.html"
    order = 100
    shown = 10  # sections and approvals: a province's county has over a hundred townships
    named = 5  # units named in a section's row

    def render_html(self, parent_context=None):
        from .overview import CountyOverview, county_of_user

        user = parent_context["request"].user
        county = county_of_user(user)
        if county is None:
            return ""
        overview = CountyOverview(county)
        ranked = overview.ranked()
        return render_to_string(self.template_name, {
            "county": county,
            "sections": overview.summaries(ranked[: self.shown], named=self.named),
            "section_count": len(ranked),
            "overdue": overview.overdue[: self.shown],
            "overdue_count": len(overview.overdue),
            "empty_leading_groups": sum(overview.empty.values()),
            **group_help(user),
        })


def group_help(user):
    """Who can put members into a leading group: the user himself (a link to the group), or the
    administrators to ask, by name and address (read only if the page says it: a callable)."""
    can_edit = user.has_perm("auth.change_group")
    return {"can_edit_groups": can_edit, "administrators": [] if can_edit else group_administrators}


def group_administrators():
    """The active users who may change groups (superusers and those granted it), to ask for members."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Q

    User = get_user_model()
    # The few granted groups' members as a subquery: joining every user to their groups and their
    # groups' permissions took 30-80 ms in a county of 10,000 units (30,000 users).
    granted = Group.objects.filter(permissions__codename="change_group", permissions__content_type__app_label="auth")
    members = User.groups.through.objects.filter(group__in=granted.values("pk")).values("user_id")
    return list(User.objects.filter(Q(is_superuser=True) | Q(pk__in=members), is_active=True).order_by("pk")[:5])


class ApprovalRecordPanel(Component):
    """The public item page's 审核记录: who approved the item at each tier, and when."""

    template_name = "workflows/approval_record.html"

    def __init__(self, page):
        self.page = page

    def get_context_data(self, parent_context=None):
        return {"page": self.page}
