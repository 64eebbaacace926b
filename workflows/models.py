"""The two review tiers of the disclosure procedure as Wagtail workflow tasks.

草拟 → 审核 → 公示: an officer submits; the unit's leading group approves (本单位审核);
important items, and those referred upward or listed by the county, are then reviewed by
the county leading group office (县级审核); the item is published when the last required
tier approves (``publishing.py``). Approvers are resolved from the item's unit when the
review happens, so a unit's people can change, and an item moved to another unit goes to
that unit's leading group, without touching the workflow.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _, gettext_noop
from wagtail.log_actions import log
from wagtail.models import Page, Revision, Task, TaskState, WorkflowState
from wagtail.signals import task_submitted

from disclosure_pages.models import UnitPage

from . import review_outcome
from .conf import app_settings
from .forms import ApproveForm, ReferUpForm, RejectForm
from .rules import GENERAL_ITEM_SKIP, county_review_reasons, county_review_skip_reason
from .units import county_unit, in_group, owning_unit

# Outcomes of an action, read by ``views.ActionOutcomeView`` to tell the approver what happened.
APPROVED, REJECTED, ALREADY_DONE, MOVED_ON, OWN_SUBMISSION, NOT_ALLOWED, INVALID, RESTARTED = (
    "approved", "rejected", "already-done", "moved-on", "own-submission", "not-allowed", "invalid", "restarted",
)
# The comment on a step cancelled because the content changed under review (``restart_if_changed``).
RESTARTED_COMMENT = "审核期间内容被修改，已重新开始审核"


def self_approval_allowed(user):
    """Four-eyes (四眼原则) has one exception: superusers, when the setting says so."""
    return bool(user.is_superuser and app_settings.SUNSHINE_ALLOW_SUPERUSER_SELF_APPROVAL)


def submitted_version(obj):
    """The specific object as submitted: its latest revision (rules read importance, scope and entry from it)."""
    if isinstance(obj, Page) and obj.pk and obj.latest_revision_id:
        return obj.get_latest_revision_as_object()
    return obj


def requester_of(obj):
    """The person who submitted ``obj`` for review (``WorkflowState.requested_by``)."""
    state = obj.current_workflow_state if obj is not None and obj.pk else None
    return state.requested_by if state else None


def authors_of_pending_change(obj):
    """Ids of everyone who wrote what would be published: the submitter and the author of every
    revision since the last publication (or since creation, if it was never published).

    Four-eyes (四眼原则) is about content, not about who pressed 提交审核: an approver who rewrote
    an item under review, or drafted it before a colleague submitted it, has seen nothing
    with a second pair of eyes, so he approves it at no tier.
    """
    if obj is None or not obj.pk:
        return set()
    revisions = Revision.objects.for_instance(obj)
    if getattr(obj, "live_revision_id", None):
        revisions = revisions.filter(pk__gt=obj.live_revision_id)
    authors = set(revisions.exclude(user=None).values_list("user_id", flat=True))
    requester = requester_of(obj)
    if requester is not None:
        authors.add(requester.pk)
    return authors


def pages_authored_by(user, page_ids):
    """Of ``page_ids``, those with a revision by ``user`` since their last publication (as above, for many)."""
    live = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "live_revision_id"))
    written = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id__in=[str(pk) for pk in live], user=user
    ).values_list("object_id", "pk")
    return {int(object_id) for object_id, pk in written if pk > (live.get(int(object_id)) or 0)}


def restart_if_changed(page, user=None):
    """An edit while ``page`` waits for review restarts the review on the new content.

    With ``WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT`` Wagtail only notices the change when
    the step in progress is finished; until then an approver could approve what he had just
    rewritten. Cancelling that step at once makes Wagtail start again from the first tier the
    new revision has not passed, and ``authors_of_pending_change`` keeps the editor out of it.
    A revision overwritten in place (autosave) counts too: its time moves on.
    """
    state = page.current_workflow_task_state
    latest = page.get_latest_revision()
    if state is None or latest is None or state.status != TaskState.STATUS_IN_PROGRESS:
        return False
    if state.revision_id == latest.pk and latest.created_at <= state.started_at:
        return False
    state.cancel(user=user, comment=RESTARTED_COMMENT)
    log(
        instance=page.specific,
        action="sunshine.workflow.restarted_after_edit",
        user=user,
        revision=latest,
        data={"task": {"id": state.task_id, "title": state.task.name}, "task_state_id": state.pk},
    )
    return True


class ReviewRecord(models.Model):
    """What every review decision records besides Wagtail's status, approver, time and comment."""

    confidentiality_confirmed = models.BooleanField(_("已完成保密审查"), default=False)
    self_approved = models.BooleanField(_("超级管理员审核本人提交的事项"), default=False)

    class Meta:
        abstract = True

    def extra_log_data(self):
        return {"confidentiality_confirmed": self.confidentiality_confirmed, "self_approved": self.self_approved}

    def log_state_change_action(self, user, action):
        """Wagtail's approve/reject log entry, plus the confidentiality check and referral."""
        obj = self.revision.as_object()
        next_task = self.workflow_state.get_next_task()
        log(
            instance=obj,
            action=f"wagtail.workflow.{action}",
            user=user,
            data={
                "workflow": {
                    "id": self.workflow_state.workflow_id,
                    "title": self.workflow_state.workflow.name,
                    "status": self.status,
                    "task_state_id": self.pk,
                    "task": {"id": self.task_id, "title": self.task.name},
                    "next": {"id": next_task.pk, "title": next_task.name} if next_task else None,
                },
                "comment": self.get_comment(),
                "sunshine": self.extra_log_data(),
            },
            revision=self.revision,
        )


class DisclosureReviewTask(Task):
    """A review tier whose approvers are a leading group resolved from the item under review."""

    tier_name = ""
    action_labels = {"reject": _("退回修改"), "approve": _("审核通过")}
    action_forms = {"approve": ApproveForm, "reject": RejectForm}

    class Meta:
        abstract = True

    # -- who ---------------------------------------------------------------------------------

    def approvers_unit(self, obj):
        """The unit whose leading group approves ``obj`` at this tier."""
        raise NotImplementedError

    def approvers_group(self, obj):
        # Wagtail's editor asks it of the same page a dozen times (the lock, the actions, the
        # cancel button, the workflow panel…): found once per page object.
        found = obj.__dict__.setdefault("_sunshine_approvers_groups", {})
        key = (self.pk, obj.path)
        if key not in found:
            unit = self.approvers_unit(obj)
            found[key] = unit.leading_group if unit is not None else None
        return found[key]

    def is_approver(self, obj, user):
        if not (user.is_authenticated and user.is_active):
            return False
        return user.is_superuser or in_group(user, self.approvers_group(obj))

    def refuses_author(self, obj, user):
        """Four-eyes: nobody approves, at any tier, content they submitted or changed."""
        return user.pk in authors_of_pending_change(obj) and not self_approval_allowed(user)

    # -- Wagtail's Task interface -------------------------------------------------------------

    def user_can_access_editor(self, obj, user):
        """Approvers may open the editor of an item waiting for them (to read and correct it)."""
        return self.is_approver(obj, user)

    def locked_for_user(self, obj, user):
        """While an item waits at this tier only its approvers may change it."""
        return not self.is_approver(obj, user)

    def get_actions(self, obj, user):
        if not self.is_approver(obj, user) or self.refuses_author(obj, user):
            return []
        return [(name, label, True) for name, label in self.available_actions(obj)]

    def available_actions(self, obj):
        return list(self.action_labels.items())

    def get_form_for_action(self, action):
        return self.action_forms.get(action, RejectForm)

    def get_template_for_action(self, action):
        return "workflows/action_modal.html"

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if not user.is_superuser:
            sections = self.sections_reviewed_by(user)
            if sections is None:
                return TaskState.objects.none()
            # From the few items waiting to their pages, not from every page of the sections (a
            # county's are the whole province: PostgreSQL hashed 100,000 ids for two states).
            waiting = {int(pk) for pk in states.values_list("workflow_state__object_id", flat=True)}
            page_ids = Page.objects.filter(sections, pk__in=waiting).values_list("pk", flat=True) if waiting else []
            states = states.filter(workflow_state__object_id__in=[str(pk) for pk in page_ids])
        if not self_approval_allowed(user):
            states = states.exclude(workflow_state__requested_by=user)
            waiting = {int(pk) for pk in states.values_list("workflow_state__object_id", flat=True)}
            authored = pages_authored_by(user, waiting)
            states = states.exclude(workflow_state__object_id__in=[str(pk) for pk in authored])
        return states

    def sections_reviewed_by(self, user):
        """A ``Q`` on pages whose items ``user`` reviews at this tier, or ``None``."""
        raise NotImplementedError

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        """Act on ``task_state`` only if it is still the item's current step; say what happened.

        Both of Wagtail's routes (the action dialog and the editor's action menu) end here, so
        this is where a second click, a stale page or a forged form are refused: the rows are
        locked and re-read first (two approvers pressing at once queue on the lock).
        """
        outcome = self._act(task_state, user, action_name, kwargs)
        url = reverse("workflows_outcome", args=[task_state.pk]) + "?" + urlencode({"outcome": outcome})
        # The editor's route ignores the return value; its after_edit_page hook finds it in the session.
        review_outcome.remember(user, url)
        return url

    def _act(self, task_state, user, action_name, data):
        state = TaskState.objects.select_for_update().filter(pk=task_state.pk).first()
        if state is None or state.task_id != self.pk:
            return MOVED_ON
        workflow_state = WorkflowState.objects.select_for_update().get(pk=state.workflow_state_id)
        if state.status != TaskState.STATUS_IN_PROGRESS:
            return RESTARTED if state.comment == RESTARTED_COMMENT else ALREADY_DONE
        if workflow_state.status != WorkflowState.STATUS_IN_PROGRESS or workflow_state.current_task_state_id != state.pk:
            return MOVED_ON
        state = state.specific
        page = workflow_state.content_object
        if not self.is_approver(page, user):
            return NOT_ALLOWED
        if self.refuses_author(page, user):
            return OWN_SUBMISSION
        if action_name not in dict(self.available_actions(page)):
            return NOT_ALLOWED
        form = self.get_form_for_action(action_name)(data=data)
        if not form.is_valid():
            return INVALID
        comment = form.cleaned_data.get("comment", "")
        if action_name == "reject":
            state.reject(user=user, comment=comment)
            return REJECTED
        state.confidentiality_confirmed = True
        state.self_approved = user.pk in authors_of_pending_change(page)
        if state.self_approved:
            log(instance=state.revision.as_object(), action="sunshine.workflow.self_approval", user=user,
                revision=state.revision, data={"task": {"id": self.pk, "title": self.name}})
        self.before_approve(state, action_name, comment, user)
        state.approve(user=user, comment=comment)
        return APPROVED

    def before_approve(self, state, action_name, comment, user):
        """Record anything particular to this tier's approval before Wagtail moves on."""


class UnitApprovalTask(DisclosureReviewTask):
    """本单位审核: the item's own unit's leading group approves it."""

    tier_name = gettext_noop("本单位审核")
    action_labels = {"reject": _("退回修改"), "approve": _("审核通过"), "refer_up": _("审核通过并提请县级审核")}
    action_forms = {"approve": ApproveForm, "refer_up": ReferUpForm, "reject": RejectForm}

    class Meta:
        db_table = "workflows_unitapprovaltask"
        verbose_name = _("本单位审核")
        verbose_name_plural = _("本单位审核")

    @classmethod
    def get_task_state_class(cls):
        return UnitApprovalTaskState

    @classmethod
    def get_description(cls):
        return "由事项所属单位的领导小组审核；审核人在审核时按事项当前所属单位确定。"

    def approvers_unit(self, obj):
        return owning_unit(obj)

    def available_actions(self, obj):
        actions = dict(self.action_labels)
        unit, county = owning_unit(obj), county_unit(obj)
        # Referring upward only makes sense when the county tier would otherwise be skipped.
        if county_review_skip_reason(submitted_version(obj), unit, county) != GENERAL_ITEM_SKIP:
            actions.pop("refer_up")
        return list(actions.items())

    def sections_reviewed_by(self, user):
        units = UnitPage.objects.filter(leading_group__user=user)
        sections = Q()
        for unit in units.only("path", "depth"):
            sections |= Q(pk=unit.pk) | Q(path__startswith=unit.path, depth=unit.depth + 1)
        return sections or None

    def before_approve(self, state, action_name, comment, user):
        if action_name == "refer_up":
            state.referred_to_county = True
            log(instance=state.revision.as_object(), action="sunshine.workflow.referred_to_county", user=user,
                revision=state.revision, data={"comment": comment})


class UnitApprovalTaskState(ReviewRecord, TaskState):
    """The unit tier's decision on one revision."""

    referred_to_county = models.BooleanField(_("提请县级审核"), default=False)

    class Meta:
        db_table = "workflows_unitapprovaltaskstate"
        verbose_name = _("本单位审核记录")
        verbose_name_plural = _("本单位审核记录")

    def extra_log_data(self):
        return {**super().extra_log_data(), "referred_to_county": self.referred_to_county}


class CountyReviewTask(DisclosureReviewTask):
    """县级审核: the county leading group office reviews items that need it; the rest skip it."""

    tier_name = gettext_noop("县级审核")

    class Meta:
        db_table = "workflows_countyreviewtask"
        verbose_name = _("县级审核")
        verbose_name_plural = _("县级审核")

    @classmethod
    def get_task_state_class(cls):
        return CountyReviewTaskState

    @classmethod
    def get_description(cls):
        return "由县委党务公开领导小组办公室审核重要事项和提请县级审核的事项；其他事项自动跳过并记录原因。"

    def approvers_unit(self, obj):
        return county_unit(obj)

    def sections_reviewed_by(self, user):
        sections = Q()
        for county in UnitPage.objects.filter(leading_group__user=user, unit_type="county").only("path"):
            sections |= Q(path__startswith=county.path)
        return sections or None

    def start(self, workflow_state, user=None):
        """Start the review, or skip it at once when the submitted version does not need it."""
        page = workflow_state.content_object
        revision = page.get_latest_revision()
        item = revision.as_object()
        unit, county = owning_unit(page), county_unit(page)
        referred = UnitApprovalTaskState.objects.filter(
            workflow_state=workflow_state, status=TaskState.STATUS_APPROVED, referred_to_county=True
        ).exists()
        skip_reason = county_review_skip_reason(item, unit, county, referred)
        state = CountyReviewTaskState(workflow_state=workflow_state, task=self, revision=revision)
        if skip_reason is None:
            state.status = TaskState.STATUS_IN_PROGRESS
            state.required_because = "；".join(county_review_reasons(item, unit, county, referred))
            state.save()
            task_submitted.send(sender=CountyReviewTaskState, instance=state, user=user)
            return state
        state.status = TaskState.STATUS_SKIPPED
        state.finished_at = timezone.now()
        state.comment = skip_reason
        state.save()
        log(
            instance=item,
            action="sunshine.workflow.county_review_skipped",
            user=user,
            revision=revision,
            data={"task": {"id": self.pk, "title": self.name}, "task_state_id": state.pk, "reason": skip_reason},
        )
        return state


class CountyReviewTaskState(ReviewRecord, TaskState):
    """The county tier's decision (or skip) on one revision."""

    required_because = models.CharField(_("县级审核原因"), max_length=300, blank=True)

    class Meta:
        db_table = "workflows_countyreviewtaskstate"
        verbose_name = _("县级审核记录")
        verbose_name_plural = _("县级审核记录")
