"""Disclosure items (党务公开事项) and what hangs off them: change notes and attachments."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents import get_document_model, get_document_model_string
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..blocks import ItemBodyBlock
from ..changes import ChangeKind, announce, audience_updates, change_of, states_of, stored_states
from ..choices import Importance, Stage, Takedown
from ..files import record_shown_images
from ..forms import DisclosureItemCopyForm, DisclosureItemForm
from ..permissions import PolicyCheckedPermissionsMixin
from ..widgets import AudienceChooser
from .behaviours import AudienceScopeMixin, IndexNumberMixin, ValidityMixin

# Which stage may follow which: a decision follows its pre-disclosure, a result its decision.
ALLOWED_PREVIOUS_STAGES = {
    Stage.PRE_DISCLOSURE: set(),
    Stage.DECISION: {Stage.PRE_DISCLOSURE},
    Stage.RESULT: {Stage.PRE_DISCLOSURE, Stage.DECISION},
    Stage.OTHER: {Stage.PRE_DISCLOSURE, Stage.DECISION, Stage.RESULT, Stage.OTHER},
}
# The stage created from a live item to continue its matter: 预公开 → 决策公开 → 结果公开.
NEXT_STAGE = {Stage.PRE_DISCLOSURE: Stage.DECISION, Stage.DECISION: Stage.RESULT}


class ShownFieldPanel(FieldPanel):
    """A read-only field that shows "—" when empty (Wagtail would show the English word None)."""

    def __init__(self, field_name, *args, **kwargs):
        kwargs["read_only"] = True
        super().__init__(field_name, *args, **kwargs)

    def format_value_for_display(self, value):
        if value is None or value == "":
            return "—"
        return super().format_value_for_display(value)


class DisclosureItemPage(
    PolicyCheckedPermissionsMixin, RoutablePageMixin, AudienceScopeMixin, ValidityMixin, IndexNumberMixin, Page
):
    """A disclosure item published by a unit under an entry of its catalogue."""

    summary = models.TextField(_("摘要"), blank=True, max_length=500)
    body = StreamField(ItemBodyBlock(), verbose_name=_("正文"), blank=True)
    catalogue_entry = models.ForeignKey(
        "disclosure_pages.CatalogueEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="items", verbose_name=_("所属目录")
    )
    unit = models.ForeignKey(
        "disclosure_pages.UnitPage", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+", verbose_name=_("发布机构")
    )
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    document_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    document_date = models.DateField(_("成文日期"), null=True, blank=True)
    publish_date = models.DateField(_("发布日期"), null=True, blank=True, help_text=_("留空则为首次发布当天"))
    stage = models.CharField(_("公开阶段"), max_length=10, choices=Stage.choices, default=Stage.OTHER)
    previous_stage = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_stages", verbose_name=_("上一阶段事项")
    )
    importance = models.CharField(_("事项类别"), max_length=10, choices=Importance.choices, default=Importance.GENERAL)
    comment_deadline = models.DateField(_("意见征集截止日期"), null=True, blank=True, help_text=_("预公开事项征求意见的截止日期"))
    # Taking a public item down (撤回/撤除) is requested in the admin and takes effect when the
    # review approves it, like any other change: these fields are published with the revision.
    takedown = models.CharField(_("撤回/撤除"), max_length=10, choices=Takedown.choices, default=Takedown.NONE)
    takedown_reason = models.TextField(_("撤回/撤除原因"), max_length=500, blank=True)
    takedown_date = models.DateField(_("撤回/撤除日期"), null=True, blank=True, help_text=_("审核通过、生效的日期"))
    replacement = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("替代事项"),
        help_text=_("撤除后，原网址跳转到本单位的这一事项"),
    )

    parent_page_types = ["disclosure_pages.UnitPage"]
    subpage_types = []
    base_form_class = DisclosureItemForm
    copy_form_class = DisclosureItemCopyForm
    # A copy is a new document: it gets its own index number and 文号 (the old one would clash),
    # and starts out public, not taken down. (The other-script variant gets the takedown
    # fields from its source all the same: wagtail-localize synchronises them after copying.)
    exclude_fields_in_copy = [
        "index_number", "audience_group", "document_number", "takedown", "takedown_reason", "takedown_date", "replacement",
    ]
    template = "disclosure_pages/disclosure_item_page.html"

    content_panels = [
        # The slug is not made from the title: a new item's is its index number's (save()).
        TitleFieldPanel("title", targets=[]),
        FieldPanel("summary"),
        FieldPanel("catalogue_entry"),
        FieldRowPanel([FieldPanel("document_number"), FieldPanel("document_date"), FieldPanel("publish_date")]),
        MultiFieldPanel(
            [
                FieldPanel("scope"),
                # Searched, not listed: a province's units, groups and people would not fit on the page.
                FieldPanel("named_units", widget=AudienceChooser("units")),
                FieldPanel("named_groups", widget=AudienceChooser("groups")),
                FieldPanel("named_people", widget=AudienceChooser("people")),
            ],
            heading=_("公开范围"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("stage"), FieldPanel("importance")]),
                FieldPanel("previous_stage"),
                FieldPanel("comment_deadline"),
            ],
            heading=_("阶段与类别"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("validity"), FieldPanel("effective_date"), FieldPanel("expiry_date")])],
            heading=_("有效性"),
        ),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("change_kind"), FieldPanel("change_note")], heading=_("修改说明")),
        InlinePanel("change_notes", heading=_("更新记录"), label=_("更新说明"), help_text=_("已公开的更新说明；更正历史记录时使用。")),
        # Shown, never edited here: a takedown is requested with its own form and reviewed.
        MultiFieldPanel(
            [
                FieldRowPanel([ShownFieldPanel("takedown"), ShownFieldPanel("takedown_date")]),
                ShownFieldPanel("takedown_reason"),
                ShownFieldPanel("replacement"),
            ],
            heading=_("撤回/撤除（须申请并经审核）"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body_text"),
        index.SearchField("document_number"),
        index.FilterField("unit"),
        index.FilterField("scope"),
        index.FilterField("stage"),
    ]

    @property
    def body_text(self):
        """The body as plain text, a line per block: what every search index holds of it.

        Extracting rich text parses its HTML, and Wagtail's index asks for each search field
        five times per item (title, body, autocomplete and the two plain texts), ours once
        more: it is worked out once per body value, and again only when the body is replaced.
        """
        body = self.body
        known = self.__dict__.get("_body_text")
        if known is None or known[0] is not body:
            texts = (strip_tags(str(text)).strip() for text in body.stream_block.get_searchable_content(body))
            known = self.__dict__["_body_text"] = (body, "\n".join(text for text in texts if text))
        return known[1]

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        constraints = [
            models.UniqueConstraint(
                fields=["index_number", "unit"], condition=~models.Q(index_number=""), name="unique_index_number_per_unit"
            ),
            models.UniqueConstraint(
                fields=["unit", "document_year", "document_number"],
                condition=~models.Q(document_number=""),
                name="unique_document_number_per_unit_year",
            ),
        ]
        indexes = [models.Index(fields=["unit", "publish_date"])]

    # -- validation -----------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        errors.update(self.clean_validity())
        errors.update(self.clean_scope())
        errors.update(self._clean_document_number())
        errors.update(self._clean_stage_link())
        errors.update(self._clean_catalogue_entry())
        if self.document_date and self.publish_date and self.publish_date < self.document_date:
            errors["publish_date"] = _("发布日期不能早于成文日期。")
        if self.comment_deadline and self.stage != Stage.PRE_DISCLOSURE:
            errors["comment_deadline"] = _("只有预公开事项才设置意见征集截止日期。")
        errors.update(self._clean_takedown())
        errors.update(self._clean_files())
        if errors:
            raise ValidationError(errors)

    def _clean_document_number(self):
        if not self.document_number or not self.unit_id:
            return {}
        if not self.document_date:
            return {"document_date": _("填写文号时须同时填写成文日期。")}
        clash = (
            DisclosureItemPage.objects.filter(
                unit_id=self.unit_id, document_year=self.document_date.year, document_number=self.document_number
            )
            # Restates the unique index's condition so that SQLite uses it instead of scanning the unit.
            .exclude(document_number="")
            .exclude(pk=self.pk)
            .first()
        )
        if clash:
            return {"document_number": _("本单位%(year)s年已有文号为“%(number)s”的事项：“%(title)s”。")
            % {"year": self.document_date.year, "number": self.document_number, "title": clash.title}}
        return {}

    def _clean_stage_link(self):
        previous = self.previous_stage
        if previous is None:
            return {}
        if self.pk and previous.pk == self.pk:
            return {"previous_stage": _("事项不能关联自身。")}
        # Compared by translation key: a variant in the other script links the same unit's items.
        if self.unit_id and previous.unit_id and previous.unit.translation_key != self.unit.translation_key:
            # Not named: its title is not for another unit's eyes (it may be a draft).
            return {"previous_stage": _("所关联的上一阶段事项属于其他单位，只能关联本单位同一事项的其他阶段。")}
        if Stage(previous.stage) not in ALLOWED_PREVIOUS_STAGES[Stage(self.stage)]:
            return {
                "previous_stage": _(
                    "“%(stage)s”不能接在“%(previous)s”之后：决策公开应关联预公开事项，结果公开应关联决策或预公开事项。"
                )
                % {"stage": self.get_stage_display(), "previous": previous.get_stage_display()}
            }
        return {}

    def _clean_takedown(self):
        if self.takedown != Takedown.NONE and not self.takedown_reason.strip():
            return {"takedown_reason": _("撤回或撤除事项须填写原因。")}
        if self.replacement_id and self.takedown != Takedown.REMOVED:
            return {"replacement": _("只有撤除的事项才能指定替代事项。")}
        if self.replacement_id and self.pk and self.replacement_id == self.pk:
            return {"replacement": _("替代事项不能是事项本身。")}
        return {}

    def _clean_files(self):
        """Only the files of the item's unit (and its county's shared ones): ``files.py``."""
        from ..files import clean_page_files

        return clean_page_files(self, self.unit, "body")

    def _clean_catalogue_entry(self):
        if not self.catalogue_entry_id or not self.unit_id:
            return {}
        if not self.unit.catalogue_entries().filter(pk=self.catalogue_entry_id).exists():
            return {"catalogue_entry": _("所选目录条目不在本单位的公开目录中。")}
        return {}

    # -- saving ---------------------------------------------------------------------------

    def get_owning_unit(self):
        return self.unit

    def save(self, *args, **kwargs):
        # A full save is what publishing, unpublishing, creating and moving do; a draft
        # revision saves only a few bookkeeping fields and must not touch live state.
        full_save = kwargs.get("update_fields") is None
        adding = self._state.adding
        with transaction.atomic():
            if full_save:
                before = None if adding else stored_states([self.pk]).get(self.pk)
                self._refresh_unit()
                self.document_year = self.document_date.year if self.document_date else None
                if self.live and not self.publish_date:
                    self.publish_date = timezone.localdate()
                self._date_takedown()
                has_translations = None
                if self.unit is not None:
                    has_translations = self.ensure_index_number(self.unit.code, self.document_date)
                    if adding and self.index_number_allocated:
                        self._slug_from_index_number()
            super().save(*args, **kwargs)
            if full_save:
                if not (adding and self.is_public):  # a new page has no restriction to remove
                    self.apply_scope()
                self.record_published_attachments(adding=adding)
                record_shown_images(self, "body", adding=adding)
                change = change_of(self, before, states_of([self])[self.pk])
                # A variant saved with the scope its source just gave it has nothing to send back.
                if has_translations is not False and (before is None or ChangeKind.AUDIENCE_CHANGED in change.kinds):
                    self.sync_scope_to_translations()
                announce([change], [self])

    def _slug_from_index_number(self):
        """A new item's URL is its index number's: ``…/cgz/2026-00001/``, short, readable and
        the same in both scripts (the variant keeps it: script_variants.sync). The slug
        Wagtail would make from the title (the whole Chinese title, percent-encoded in the
        URL) or none at all gives way to it; an ASCII slug somebody chose is kept. Items that
        exist keep their URLs."""
        if self.slug and self.slug.isascii():
            return
        from wagtail.coreutils import find_available_slug

        parent = self.unit if self.unit is not None and self.unit.path == self.path[: -self.steplen] else self.get_parent()
        self.slug = find_available_slug(parent, self.index_slug, ignore_page_id=self.pk)

    def copy(self, *args, **kwargs):
        # Wagtail copies the source's view restriction next to the one the copy's own save
        # wrote; the copy's scope alone must decide (this also covers translations).
        copied = super().copy(*args, **kwargs)
        copied.specific.apply_scope()
        return copied

    def sync_scope_to_translations(self):
        """The scope is one fact about an item, whatever the script: its variants follow at once."""
        others = DisclosureItemPage.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk)
        if not others.exists():
            return  # the common case, checked cheaply: no variant yet
        names = ("named_units", "named_groups", "named_people")
        wanted = {name: {obj.pk for obj in getattr(self, name).all()} for name in names}
        behind = [
            translation
            for translation in others.defer_streamfields()
            if translation.scope != self.scope
            or {name: set(getattr(translation, name).values_list("pk", flat=True)) for name in names} != wanted
        ]
        with audience_updates(behind):
            for translation in behind:
                DisclosureItemPage.objects.filter(pk=translation.pk).update(scope=self.scope)
                translation.scope = self.scope
                for name in names:
                    manager = getattr(translation, name)
                    manager.set(wanted[name])
                    manager.commit()
                translation.apply_scope()

    def _date_takedown(self):
        """The takedown date is the day it took effect; republishing the item keeps it."""
        if self.takedown == Takedown.NONE:
            self.takedown_date = None
        elif self.takedown_date is None and self.live:
            stored = DisclosureItemPage.objects.filter(pk=self.pk, takedown=self.takedown).values_list("takedown_date", flat=True)
            self.takedown_date = stored.first() or timezone.localdate()

    def _refresh_unit(self):
        from .units import UnitPage

        if self.path and self.depth and self.depth > 1:
            parent_path = self.path[: -self.steplen]
            cached = self._state.fields_cache.get("unit")
            if cached is None or cached.path != parent_path:
                self.unit = UnitPage.objects.filter(path=parent_path).first()

    def record_published_attachments(self, adding=False):
        """Remember which documents the live version attaches, for the document scope check."""
        if not self.live:
            if not adding:
                PublishedAttachment.objects.filter(item=self).delete()
            return
        PublishedAttachment.objects.filter(item=self).delete()
        # Attachment blocks and documents linked in the rich text alike.
        Document = get_document_model()
        referenced = {
            str(object_id)
            for model, object_id, _, _ in self._meta.get_field("body").extract_references(self.body)
            if issubclass(model, Document)
        }
        document_ids = Document.objects.filter(pk__in=[pk for pk in referenced if pk.isdigit()]).values_list("pk", flat=True)
        PublishedAttachment.objects.bulk_create(PublishedAttachment(item=self, document_id=pk) for pk in document_ids)

    # -- reading --------------------------------------------------------------------------

    @property
    def is_withdrawn(self):
        return self.takedown == Takedown.WITHDRAWN

    @property
    def is_removed(self):
        return self.takedown == Takedown.REMOVED

    @property
    def status_string(self):
        """The status the admin shows (page listings, the explorer, reports, choosers, the
        admin API). A taken-down item stays live — its URL answers 410 or shows the notice —
        so Wagtail would call it 已发布: say what readers get instead. (The same words in
        both scripts.)"""
        if self.live and self.takedown in (Takedown.REMOVED, Takedown.WITHDRAWN):
            status = "已撤除" if self.takedown == Takedown.REMOVED else "已撤回"
            if self.workflow_in_progress:
                return status + "（审核中）"
            return status + ("（有草稿）" if self.has_unpublished_changes else "")
        return super().status_string

    @property
    def comment_period_open(self):
        """Whether a pre-disclosure item is still taking comments (the deadline day included)."""
        return bool(self.comment_deadline) and self.comment_deadline >= timezone.localdate()

    @property
    def next_stage(self):
        """The stage that continues this item's matter, or ``None`` (results and other items end it)."""
        return NEXT_STAGE.get(Stage(self.stage))

    def prefill_next_stage(self, draft):
        """Fill the new item ``draft`` as this item's next stage: same matter, entry, audience and importance."""
        draft.title = self.title
        draft.stage = self.next_stage
        draft.previous_stage = self
        draft.catalogue_entry = self.catalogue_entry
        draft.scope = self.scope
        draft.named_units = list(self.named_units.all())
        draft.named_groups = list(self.named_groups.all())
        draft.named_people = list(self.named_people.all())
        draft.importance = self.importance
        return draft

    @property
    def attachments(self):
        return [block.value for block in self.body if block.block_type == "attachment" and block.value.get("document")]

    def stage_chain(self):
        """All stages of this matter, first to last (this item included), in this item's script.

        Links may cross scripts (a variant keeps its source's link), so the chain is walked
        by translation key and each step shown in this item's locale where it exists.
        """
        first, seen = self, {self.translation_key}
        while first.previous_stage_id:
            first = first.previous_stage
            if first.translation_key in seen:
                break
            seen.add(first.translation_key)
        keys, frontier = [first.translation_key], [first.translation_key]
        while frontier:
            following = (
                DisclosureItemPage.objects.filter(previous_stage__translation_key__in=frontier)
                .exclude(translation_key__in=keys)
                .order_by("publish_date", "pk")
                .values_list("translation_key", flat=True)
            )
            frontier = list(dict.fromkeys(following))
            keys.extend(frontier)
        steps = {}
        for item in DisclosureItemPage.objects.filter(translation_key__in=keys).select_related("locale"):
            if item.translation_key not in steps or item.locale_id == self.locale_id:
                steps[item.translation_key] = item
        return [steps[key] for key in keys if key in steps]

    def serve(self, request, *args, **kwargs):
        # Wagtail has checked the view restriction before this: a removed members-only item
        # still sends the public to the login page and reveals nothing more.
        if self.is_removed:
            return self.serve_removed(request)
        return super().serve(request, *args, **kwargs)

    def serve_removed(self, request):
        """410 Gone with a short notice, or a permanent redirect to the named replacement."""
        replacement = self.replacement_for(request.user)
        if replacement is not None:
            return HttpResponsePermanentRedirect(replacement.get_url(request))
        context = {"page": self, "self": self, "request": request}
        return TemplateResponse(request, "disclosure_pages/disclosure_item_removed.html", context, status=410)

    def replacement_for(self, user):
        """The replacement in this item's script, if it is still public to ``user`` (else None)."""
        from ..visibility import visible_pages

        if not self.replacement_id:
            return None
        # The variant in the other script keeps its source's link: follow it into this script.
        candidates = DisclosureItemPage.objects.filter(translation_key=self.replacement.translation_key)
        visible = list(visible_pages(candidates, user))
        return next((item for item in visible if item.locale_id == self.locale_id), visible[0] if visible else None)

    def get_context(self, request, *args, **kwargs):
        from ..visibility import visible_pages

        context = super().get_context(request, *args, **kwargs)
        chain = self.stage_chain()
        visible_ids = set(visible_pages(DisclosureItemPage.objects.filter(pk__in=[i.pk for i in chain]), request.user).values_list("pk", flat=True))
        visible_ids.add(self.pk)
        steps = [item for item in chain if item.pk in visible_ids]
        # The item alone is no chain: a box holding only it would say there are stages the reader may not see.
        context["stage_chain"] = steps if len(steps) > 1 else []
        context["change_notes"] = self.change_notes.order_by("-date", "-pk")
        return context

    @path("print/", name="print")
    def print_view(self, request):
        return self.render(request, template="disclosure_pages/disclosure_item_print.html")


class ItemChangeNote(Orderable):
    """A dated public note saying what changed when an item was substantively republished."""

    item = ParentalKey(DisclosureItemPage, on_delete=models.CASCADE, related_name="change_notes")
    date = models.DateField(_("日期"), default=timezone.localdate)
    note = models.CharField(_("更新说明"), max_length=300)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("note")])]

    class Meta(Orderable.Meta):
        verbose_name = _("更新说明")


class PublishedAttachment(models.Model):
    """A document attached to the live version of an item (kept by the item's save)."""

    item = models.ForeignKey(DisclosureItemPage, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(get_document_model_string(), on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "document"], name="unique_published_attachment")]


class ShownImage(models.Model):
    """An image the live version of a page shows (kept by the page's save): the image serve
    check, as ``PublishedAttachment`` is the document one."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    image = models.ForeignKey(get_image_model_string(), on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "image"], name="unique_shown_image")]
