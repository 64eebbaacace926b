"""Import of legacy documents as draft disclosure items, each file in its own transaction.

A file's text is read, cleaned and described (``importer.documents``) before the database
is touched. The draft is then created the way the admin creates one (a page added under the
unit with ``live=False``, validated once, then a revision) and an ``ImportedDocument`` row
remembers the file's path and content hash: importing the same bytes again changes nothing,
and changed bytes become a new revision of the same draft as long as nobody has edited,
submitted or published it since. Nothing is ever published.

Script: a Traditional text goes under the unit's zh-hant translation when the unit has
one (and a Simplified one under its zh-hans page, if imported through a zh-hant unit);
otherwise it goes under the unit itself and the report says so.
"""

import hashlib
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from modelsearch.backends import get_search_backends
from wagtail.models import COMMENTS_RELATION_NAME, Locale, ReferenceIndex

from chinese.script import SIMPLIFIED, TRADITIONAL
from disclosure_pages.bulk import index_updates_paused
from disclosure_pages.choices import Scope, Stage
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage
from disclosure_pages.tree import add_child

from .documents import AUTO_SCRIPT, body_html, prepare_document
from .limits import LimitExceeded, check_file_size
from .models import ImportedDocument
from .readers import SkippedFile, UnreadableFile
from .report import (
    CREATED,
    FAILED,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    FileResult,
    Flag,
    ImportReport,
)

logger = logging.getLogger(__name__)

SCRIPT_CHOICES = (AUTO_SCRIPT, SIMPLIFIED, TRADITIONAL)
SCRIPT_NAMES = {SIMPLIFIED: "简体", TRADITIONAL: "繁体"}
# Items written are added to the search and reference indexes this many at a time.
INDEX_CHUNK = 200
# Foreign keys of a new draft that point at rows the batch has already loaded (the unit, its
# locale, the catalogue entry, which clean() checks against the unit's catalogue anyway) or
# that Wagtail set (the content type): validating them would query each row again per file.
LOADED_FOREIGN_KEYS = ("content_type", "locale", "unit", "catalogue_entry")
# The relations of a new draft, all empty (no change notes, named audience or comments): said
# in memory, as the admin form does, save_revision serialises them without a query each.
EMPTY_RELATIONS = ("change_notes", "named_units", "named_groups", "named_people", COMMENTS_RELATION_NAME)


class ImportOptionError(Exception):
    """An option of the import is wrong; the message (in Chinese) says how."""


# -- options ------------------------------------------------------------------------------------


def resolve_unit(code):
    """The unit with this code, preferring its page in the default (Simplified) locale."""
    units = UnitPage.objects.filter(code=code).select_related("locale")
    unit = units.filter(locale=Locale.get_default()).first() or units.first()
    if unit is None:
        raise ImportOptionError(f"找不到单位编码为“{code}”的单位，请检查 --unit。")
    return unit


def resolve_catalogue_entry(unit, value):
    """An entry of the unit's catalogue, given by its code (e.g. C05) or its id."""
    entries = unit.catalogue_entries()
    matches = list(entries.filter(code=value)) or (list(entries.filter(pk=int(value))) if value.isdigit() else [])
    if len(matches) > 1:
        raise ImportOptionError(f"单位“{unit.title}”的公开目录中有多个编号为“{value}”的条目，请改用条目 ID。")
    if not matches:
        exists = CatalogueEntry.objects.filter(code=value).exists() or (value.isdigit() and CatalogueEntry.objects.filter(pk=int(value)).exists())
        if exists:
            raise ImportOptionError(f"目录条目“{value}”不在单位“{unit.title}”的公开目录中。")
        raise ImportOptionError(f"找不到目录条目“{value}”（可用条目编号或 ID）。")
    entry = matches[0]
    if entry.default_scope == Scope.NAMED:
        raise ImportOptionError(f"目录条目“{entry.name}”默认向指定组织或人员公开，导入时无法指定，请用 --scope 选择公开范围。")
    return entry


def resolve_choice(value, choices, option):
    """A choice given by its value or its Chinese label (e.g. ``pre`` or ``预公开``)."""
    for choice_value, label in choices:
        if value in (choice_value, label):
            return choice_value
    listed = "、".join(f"{choice_value}（{label}）" for choice_value, label in choices)
    raise ImportOptionError(f"{option} 的值“{value}”无效，可选：{listed}。")


# Scopes an import can set: a named audience has to be chosen in the admin.
IMPORT_SCOPES = [(value, label) for value, label in Scope.choices if value != Scope.NAMED]


@dataclass
class ImportOptions:
    unit: UnitPage
    catalogue_entry: CatalogueEntry | None = None
    stage: str = Stage.OTHER
    scope: str | None = None  # None: the catalogue entry's default scope, or public
    script: str = AUTO_SCRIPT
    dry_run: bool = False


def content_hash(data):
    return hashlib.sha256(data).hexdigest()


def _validation_message(error):
    if hasattr(error, "message_dict"):
        return "；".join(message for messages in error.message_dict.values() for message in messages)
    return "；".join(error.messages)


def index_items(item_ids):
    """Add the items to every search backend and the reference index (what each save would do)."""
    # The reference index reads every child relation of an item: fetch them all at once.
    relations = [relation.get_accessor_name() for relation in get_all_child_relations(DisclosureItemPage)]
    items = list(DisclosureItemPage.objects.filter(pk__in=item_ids).prefetch_related(*relations))
    if not items:
        return
    with transaction.atomic():
        for backend in get_search_backends():
            try:
                backend.add_bulk(DisclosureItemPage, items)
            except Exception:
                # An unreachable Elasticsearch/OpenSearch must not fail the import, as it would
                # not fail a save (Wagtail's rule); the database backend's errors do.
                if not backend.catch_indexing_errors:
                    raise
                logger.exception("Search backend %r did not take %d imported drafts", backend, len(items))
        for item in items:
            ReferenceIndex.create_or_update_for_object(item)


# -- files imported before ----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedFile:
    """What a batch needs to know of a file imported before: enough to leave it unchanged."""

    record_id: int
    content_hash: str
    item_id: int
    title: str
    script: str


class ImportedFiles:
    """The files imported into a unit, by path and by content.

    Loaded in one query for the whole batch rather than one per file, and kept up to date
    with what the batch writes, so that a batch also finds copies among its own files.
    """

    def __init__(self, unit):
        self._by_path = {}
        self._paths_by_hash = defaultdict(dict)  # content hash -> paths, in import order
        records = (
            ImportedDocument.objects.filter(unit=unit)
            .order_by("pk")
            .values_list("pk", "source_path", "content_hash", "item_id", "item__draft_title", "script")
        )
        for record_id, path, digest, item_id, title, script in records:
            self.remember(path, ImportedFile(record_id, digest, item_id, title, script))

    def get(self, path):
        return self._by_path.get(path)

    def other_with_content(self, digest, path):
        """The path of another file imported with this content, or None."""
        return next((other for other in self._paths_by_hash.get(digest, ()) if other != path), None)

    def remember(self, path, imported):
        previous = self._by_path.get(path)
        if previous is not None:
            self._paths_by_hash[previous.content_hash].pop(path, None)
        self._by_path[path] = imported
        self._paths_by_hash[imported.content_hash][path] = None


# -- writing drafts -----------------------------------------------------------------------------


class DocumentImporter:
    """Imports files into draft items of one unit; ``import_paths`` returns an ImportReport."""

    def __init__(self, options):
        self.options = options
        self.unit = options.unit
        entry = options.catalogue_entry
        self.scope = options.scope or (entry.default_scope if entry else Scope.PUBLIC)
        self._targets = {}  # script -> (unit page, flag or None, catalogue entry, flag or None)

    @cached_property
    def _imported(self):
        return ImportedFiles(self.unit)

    def import_paths(self, files, progress=None):
        """Import every file in turn; ``progress(done, seconds)`` is called after each one."""
        report = ImportReport(unit=self.unit.code, options=self._described_options(), dry_run=self.options.dry_run)
        started = time.monotonic()
        written = []
        # Each draft is saved twice (the page, then its revision) and each save would index it:
        # a third of an import's time. The written items are indexed in bulk instead, also
        # when the batch is interrupted.
        with index_updates_paused():
            try:
                for done, path in enumerate(files, start=1):
                    result = self.import_file(path)
                    report.files.append(result)
                    if result.status in (CREATED, UPDATED) and result.item_id:
                        written.append(result.item_id)
                    if len(written) >= INDEX_CHUNK:
                        index_items(written)
                        written = []
                    if progress:
                        progress(done, time.monotonic() - started)
            finally:
                index_items(written)
        report.seconds = time.monotonic() - started
        return report

    def _described_options(self):
        entry = self.options.catalogue_entry
        return {
            "catalogue_entry": f"{entry.code} {entry.name}".strip() if entry else "",
            "stage": self.options.stage,
            "scope": self.scope,
            "script": self.options.script,
        }

    def import_file(self, path):
        path = Path(path)
        result = FileResult(path=str(path))
        try:
            self._import(path, result)
        except SkippedFile as skipped:
            result.status, result.reason = SKIPPED, str(skipped)
        except (UnreadableFile, LimitExceeded) as unreadable:
            result.status, result.reason = FAILED, str(unreadable)
        except ValidationError as invalid:
            result.status, result.reason = FAILED, f"数据校验未通过：{_validation_message(invalid)}"
        except Exception as error:  # noqa: BLE001 -- one bad file must not stop the batch: its transaction is rolled back, the rest goes on
            result.status, result.reason = FAILED, f"导入出错（{type(error).__name__}）：{error}"
        return result

    def _import(self, path, result):
        if not path.is_file():
            raise UnreadableFile("文件不存在。" if not path.exists() else "不是文件。")
        source = str(path.resolve())
        try:
            check_file_size(path)  # before reading it
            data = path.read_bytes()
        except OSError as error:
            raise UnreadableFile(f"无法读取文件：{error.strerror or error}。") from None
        digest = content_hash(data)
        imported = self._imported.get(source)
        if imported is not None and imported.content_hash == digest:
            result.status, result.item_id, result.title = UNCHANGED, imported.item_id, imported.title
            result.detected_script = imported.script
            return

        document = prepare_document(path, data, self.options.script)
        metadata = document.metadata
        result.kind, result.detected_script, result.flags = document.kind, document.detected_script, list(document.flags)
        result.title, result.paragraphs = metadata.title, len(metadata.body)
        if imported is None:
            duplicate = self._imported.other_with_content(digest, source)
            if duplicate is not None:
                raise SkippedFile(f"内容与已导入的文件“{duplicate}”相同。")
            record = None
        else:
            record = ImportedDocument.objects.select_related("item").get(pk=imported.record_id)
            self._refuse_to_overwrite(record)

        with transaction.atomic():
            if record is None:
                item, revision = self._create(document, result)
                record = ImportedDocument(unit=self.unit, source_path=source)
                result.status = CREATED
            else:
                item, revision = self._update(record.item, document, result)
                result.status = UPDATED
            record.content_hash, record.item, record.revision = digest, item, revision
            record.script, record.imported_at = document.script, timezone.now()
            record.save()
            if self.options.dry_run:
                transaction.set_rollback(True)
        if self.options.dry_run:
            return
        result.item_id = item.pk
        self._imported.remember(source, ImportedFile(record.pk, digest, item.pk, result.title, record.script))

    @staticmethod
    def _refuse_to_overwrite(record):
        """Only a draft the import wrote, untouched since, may be replaced by a new version of its file."""
        item = record.item
        if item.live or item.first_published_at is not None:
            raise SkippedFile("此文件导入的事项已经发布过，导入不会覆盖已发布的内容，请在后台修改。")
        if item.workflow_in_progress:
            raise SkippedFile("此文件导入的草稿正在审核中，未覆盖。")
        if item.latest_revision_id != record.revision_id:
            raise SkippedFile("导入后草稿已在后台修改过，未覆盖；请在后台合并修改。")

    def _create(self, document, result):
        unit, entry = self._target(document.script, result)
        metadata = document.metadata
        number, signed = self._document_number(metadata, result)
        item = DisclosureItemPage(
            title=metadata.title,
            body=[("rich_text", body_html(metadata.body))],
            catalogue_entry=entry,
            stage=self.options.stage,
            scope=self.scope,
            document_number=number,
            document_date=signed,
            locale=unit.locale,
            live=False,
        )
        item.unit = unit  # what the admin form does before validation
        # The whole item is validated once it has its place under the unit (locked), which
        # also gives it a free slug. The unique rules left out are the index number (drawn
        # from its sequence on save), the 文号 (clean() checks it) and the new page's
        # translation key. The save logs the creation.
        add_child(unit, item, validate=lambda page, exclude: self._validate(
            page, result, exclude=(*LOADED_FOREIGN_KEYS, *exclude), validate_unique=False, validate_constraints=False
        ))
        for relation in EMPTY_RELATIONS:
            setattr(item, relation, [])
        revision = item.save_revision(clean=False)
        result.locale = unit.locale.language_code
        return item, revision

    def _update(self, item, document, result):
        metadata = document.metadata
        draft = item.get_latest_revision_as_object()
        draft.title = metadata.title
        draft.body = [("rich_text", body_html(metadata.body))]
        draft.document_number, draft.document_date = self._document_number(metadata, result)
        self._validate(draft, result)
        revision = draft.save_revision(clean=False, log_action=True)
        result.locale = item.locale.language_code
        return item, revision

    @staticmethod
    def _document_number(metadata, result):
        """The 文号 and 成文日期 to store: a 文号 needs a date (and must be free, see ``_validate``)."""
        number, signed = metadata.document_number, metadata.document_date
        result.document_date = signed.isoformat() if signed else ""
        if number and signed is None:
            result.flags.append(Flag("document_number_without_date", f"找到文号“{number}”但没有成文日期，文号未填写（两者须同时填写）。"))
            return "", None
        result.document_number = number
        return number, signed

    @staticmethod
    def _validate(item, result, **options):
        """``item.full_clean(**options)``; a 文号 already used in the unit that year is flagged and left out.

        The item's clean() looks for the clash anyway: the import asks again only when it
        reports one, to name the item that has the number.
        """
        try:
            item.full_clean(**options)
        except ValidationError as invalid:
            if not (item.document_number and item.document_date and "document_number" in getattr(invalid, "error_dict", {})):
                raise
            clash = (
                DisclosureItemPage.objects.filter(
                    unit_id=item.unit_id, document_year=item.document_date.year, document_number=item.document_number
                )
                .exclude(pk=item.pk)
                .order_by("pk")
                .values_list("title", flat=True)
                .first()
            )
            if clash is None:
                raise
            result.flags.append(Flag("document_number_taken", f"文号“{item.document_number}”已被本单位事项“{clash}”使用，文号未填写。"))
            item.document_number = result.document_number = ""
            item.full_clean(**options)

    def _target(self, script, result):
        """The unit page (source unit or its other-script translation) and catalogue entry for a script."""
        if script not in self._targets:
            self._targets[script] = self._find_target(script)
        unit, unit_flag, entry, entry_flag = self._targets[script]
        result.flags.extend(flag for flag in (unit_flag, entry_flag) if flag)
        return unit, entry

    def _find_target(self, script):
        unit, entry = self.unit, self.options.catalogue_entry
        if script == unit.locale.language_code:
            return unit, None, entry, None
        locale = Locale.objects.filter(language_code=script).first()
        translation = unit.get_translation_or_none(locale) if locale else None
        if translation is None:
            flag = Flag(
                "no_translation_for_script",
                f"正文为{SCRIPT_NAMES[script]}，单位没有{SCRIPT_NAMES[script]}版本，已导入{SCRIPT_NAMES.get(unit.locale.language_code, '')}栏目。",
            )
            return unit, flag, entry, None
        translation = translation.specific
        if entry is None:
            return translation, None, None, None
        candidates = [entry, entry.get_translation_or_none(translation.locale)]
        available = translation.catalogue_entries().filter(pk__in=[c.pk for c in candidates if c]).first()
        entry_flag = None if available else Flag("catalogue_entry_unavailable", f"目录条目“{entry.name}”不在{SCRIPT_NAMES[script]}版单位的目录中，所属目录未填写。")
        return translation, None, available, entry_flag
