"""Files belong to units: one rule, "which collections a unit may use", and what follows from it.

Every unit has its own Wagtail collection of documents and images, created with the unit
(like its groups) and shared by its other-script variant. A county's collections hang
under one county collection::

    Root
    └── 青溪县委（QX）党务公开文件        the county office may choose (view) every file below
        ├── 县级共享文件                  the county office manages; every unit of the county chooses
        ├── 青溪县委（QX）                the county unit's own files
        ├── 城关镇党委（QX-CGZ）           its officers and leading group add, change and choose
        └── 东关村党支部（QX-CGZ-DGC）     (flat: a township's grants do not reach its villages,
                                           unless SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES)

The grants are ``GroupCollectionPermission`` rows, so Wagtail's own collection permission
policy narrows the choosers, listings, uploads and the admin API. A disclosure item may use
only the files of its unit's collection and of its county's shared collection
(``clean_item_files``, called by the item's validation). ``sync_unit_files`` (run after every
``migrate`` and by ``manage.py sync_unit_files``) gives existing units their collections, moves
the files their pages use out of the root collection, and puts the grants right — after
changing ``SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES`` too.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, Page, ReferenceIndex

from .choices import UnitType
from .conf import app_settings

COUNTY_SUFFIX = "党务公开文件"
SHARED_NAME = "县级共享文件"
VILLAGE_TYPES = (UnitType.VILLAGE, UnitType.COMMUNITY)

MANAGE = ("add", "change", "choose")
CHOOSE = ("choose",)
FILE_PERMISSIONS = (("wagtaildocs", "document"), ("wagtailimages", "image"))
# Every collection permission on files; rows of unit groups outside what ``unit_grants`` wants are removed.
ALL_ACTIONS = ("add", "change", "choose", "delete")


def file_models():
    return (get_document_model(), get_image_model())


def _permission_ids(actions):
    wanted = Q()
    for app_label, model in FILE_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions])
    return list(Permission.objects.filter(wanted).values_list("pk", flat=True))


# -- which units, which collections ------------------------------------------------------


def county_of(unit):
    """The county unit above ``unit`` (itself for the county), or None outside a county."""
    from .models import UnitPage

    if unit.unit_type == UnitType.COUNTY:
        return unit
    if not unit.path:
        return None
    return UnitPage.objects.ancestor_of(unit).filter(unit_type=UnitType.COUNTY).order_by("-depth").first()


def allowed_collection_ids(unit):
    """The collections whose files the pages of ``unit`` may use: its own and its county's shared one."""
    if unit is None:
        return set()
    ids = {unit.files_collection_id}
    county = county_of(unit)
    if county is not None:
        ids.add(county.shared_files_collection_id)
    ids.discard(None)
    return ids


def create_unit_collections(unit):
    """Give a new unit its collection (and a county its county and shared collections).

    Called from the unit's creation path, before the unit row is written.
    """
    root = Collection.get_first_root_node()
    if root is None:
        root = Collection.add_root(name="Root")
    label = f"{unit.display_name}（{unit.code}）"
    if unit.unit_type == UnitType.COUNTY:
        top = root.add_child(name=f"{label}{COUNTY_SUFFIX}")
        unit.shared_files_collection = top.add_child(name=SHARED_NAME)
        unit.files_collection = top.add_child(name=label)
        return
    county = county_of(unit)
    parent = root
    if county is not None and county.files_collection_id:
        parent = county.files_collection.get_parent() or root
    unit.files_collection = parent.add_child(name=label)


# -- grants ----------------------------------------------------------------------------------


def unit_grants(unit, manage_ids, choose_ids, county=None):
    """The (group id, collection id, permission id) rows the groups of ``unit`` should have
    (``county``: its county unit, when the caller knows it)."""
    from .models import UnitPage

    rows = set()
    staff = [group_id for group_id in (unit.officers_group_id, unit.leading_group_id) if group_id]

    def grant(group_ids, collection_id, permission_ids):
        if collection_id:
            rows.update((group_id, collection_id, pk) for group_id in group_ids for pk in permission_ids)

    grant(staff, unit.files_collection_id, manage_ids)
    if unit.unit_type == UnitType.COUNTY:
        grant(staff, unit.shared_files_collection_id, manage_ids)
        # The county office reviews every unit's drafts: it may open (choose) every file of the county.
        if unit.files_collection_id:
            grant(staff, unit.files_collection.get_parent().pk, choose_ids)
    else:
        county = county or county_of(unit)
        if county is not None:
            grant(staff, county.shared_files_collection_id, choose_ids)
    if app_settings.SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES and unit.unit_type in VILLAGE_TYPES:
        township = UnitPage.objects.parent_of(unit).filter(unit_type=UnitType.TOWNSHIP).first() if unit.path else None
        if township is not None and township.officers_group_id:
            grant([township.officers_group_id], unit.files_collection_id, manage_ids)
    return rows


def grant_unit_files(unit):
    """Add the grants of a new unit's groups (nothing is taken away)."""
    rows = unit_grants(unit, _permission_ids(MANAGE), _permission_ids(CHOOSE))
    GroupCollectionPermission.objects.bulk_create(
        [GroupCollectionPermission(group_id=g, collection_id=c, permission_id=p) for g, c, p in rows], ignore_conflicts=True
    )


def sync_unit_files(log=None):
    """Collections for every unit, their pages' root files moved in, the grants put right. Idempotent."""
    from .models import UnitPage

    if not UnitPage.objects.exists():
        return
    with transaction.atomic():
        created = _ensure_collections()
        if created:
            moved = adopt_root_files(created)
            if log and moved:
                log(f"Moved {moved} files of the units' pages out of the root collection.")
        manage_ids, choose_ids = _permission_ids(MANAGE), _permission_ids(CHOOSE)
        wanted = set()
        units = list(UnitPage.objects.select_related("files_collection").order_by("path"))
        for unit in _one_per_translation(units):
            wanted |= unit_grants(unit, manage_ids, choose_ids)
        staff = {pk for unit in units for pk in (unit.officers_group_id, unit.leading_group_id) if pk}
        existing_rows = GroupCollectionPermission.objects.filter(
            group_id__in=staff, permission_id__in=_permission_ids(ALL_ACTIONS)
        ).values_list("pk", "group_id", "collection_id", "permission_id")
        existing = {}
        for pk, *row in existing_rows:
            existing[tuple(row)] = pk
        stale = [pk for row, pk in existing.items() if row not in wanted]
        GroupCollectionPermission.objects.filter(pk__in=stale).delete()
        GroupCollectionPermission.objects.bulk_create(
            [GroupCollectionPermission(group_id=g, collection_id=c, permission_id=p) for g, c, p in wanted - set(existing)],
            ignore_conflicts=True,
        )
        if log and (stale or wanted - set(existing)):
            log(f"Unit file permissions: {len(wanted - set(existing))} granted, {len(stale)} removed.")


def _one_per_translation(units):
    seen = set()
    for unit in units:
        if unit.translation_key not in seen:
            seen.add(unit.translation_key)
            yield unit


def _ensure_collections():
    """Collections for units that have none (units before this rule); returns those units."""
    from .models import UnitPage

    created = []
    for unit in UnitPage.objects.filter(files_collection__isnull=True).order_by("depth", "path"):
        sibling = (
            UnitPage.objects.filter(translation_key=unit.translation_key, files_collection__isnull=False)
            .exclude(pk=unit.pk)
            .first()
        )
        if sibling is not None:  # the other-script variant shares its source's files
            unit.files_collection_id = sibling.files_collection_id
            unit.shared_files_collection_id = sibling.shared_files_collection_id
        else:
            create_unit_collections(unit)
            created.append(unit)
        UnitPage.objects.filter(pk=unit.pk).update(
            files_collection=unit.files_collection_id, shared_files_collection=unit.shared_files_collection_id
        )
    return created


def adopt_root_files(units):
    """Move root-collection files used by the pages of ``units`` into the unit's collection
    (used by several units of one county: into its shared collection). Returns how many moved."""
    from .models import UnitPage

    root = Collection.get_first_root_node()
    by_unit_path = {unit.path: unit for unit in UnitPage.objects.filter(translation_key__in=[u.translation_key for u in units])}
    by_key = {unit.translation_key: unit for unit in units}
    moved = 0
    page_type = ContentType.objects.get_for_model(Page)
    for model in file_models():
        in_root = dict(model.objects.filter(collection=root).values_list("pk", "pk"))
        if not in_root:
            continue
        references = ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(model),
            to_object_id__in=[str(pk) for pk in in_root],
            base_content_type=page_type,
        ).values_list("object_id", "to_object_id")
        page_paths = dict(Page.objects.filter(pk__in={int(obj) for obj, _ in references if obj.isdigit()}).values_list("pk", "path"))
        users = {}
        for object_id, file_id in references:
            path = page_paths.get(int(object_id)) if object_id.isdigit() else None
            unit = by_unit_path.get(path[: -Page.steplen]) if path else None
            if unit is not None:
                users.setdefault(int(file_id), set()).add(by_key.get(unit.translation_key))
        for file_id, owners in users.items():
            owners.discard(None)
            if len(owners) == 1:
                target = next(iter(owners)).files_collection_id
            else:
                counties = {county_of(owner).pk if county_of(owner) else None for owner in owners}
                county = UnitPage.objects.filter(pk=next(iter(counties))).first() if len(counties) == 1 else None
                target = county.shared_files_collection_id if county is not None else None
            if target:
                moved += model.objects.filter(pk=file_id, collection=root).update(collection_id=target)
    return moved


# -- what a page may use ----------------------------------------------------------------------


def referenced_files(page, field_names=("body",)):
    """``[(block position or None, model, pk)]`` of the documents and images ``page`` uses."""
    models = file_models()
    found = []
    for name in field_names:
        field = page._meta.get_field(name)
        for model, object_id, _field, content_path in field.extract_references(getattr(page, name)):
            if issubclass(model, models) and str(object_id).isdigit():
                found.append((content_path, model, int(object_id)))
    return found


def forbidden_references(page, unit, field_name="body"):
    """``[(content path, file model, pk)]`` of the files a page of ``unit`` uses but may not:
    those outside its unit's collection and its county's shared collection (or missing)."""
    if unit is None:
        return []
    references = referenced_files(page, (field_name,))
    if not references:
        return []
    allowed = allowed_collection_ids(unit)
    usable = set()
    for model in file_models():
        ids = {pk for _, used_model, pk in references if issubclass(used_model, model)}
        if ids:
            found = model.objects.filter(pk__in=ids, collection_id__in=allowed).values_list("pk", flat=True)
            usable.update((model, pk) for pk in found)
    forbidden = []
    for content_path, used_model, pk in references:
        model = next(model for model in file_models() if issubclass(used_model, model))
        if (model, pk) not in usable:
            forbidden.append((content_path, model, pk))
    return forbidden


def clean_page_files(page, unit, field_name="body"):
    """Errors (``{field_name: [...]}``) for the files a page of ``unit`` may not use."""
    forbidden = forbidden_references(page, unit, field_name)
    if not forbidden:
        return {}
    positions = {block.id: number for number, block in enumerate(getattr(page, field_name) or [], start=1)}
    messages = []
    for content_path, model, _pk in forbidden:
        kind = _("图片") if model is get_image_model() else _("文件")
        number = positions.get((content_path or "").split(".")[0])
        where = _("第 %(number)s 项内容中") % {"number": number} if number else ""
        # Never the file's title: it may be another unit's.
        messages.append(
            _("%(where)s所选的%(kind)s不属于本单位，不能使用：只能使用本单位文件库和县级共享文件库中的文件，请在本单位文件库中上传或选择。")
            % {"where": where, "kind": kind}
        )
    return {field_name: list(dict.fromkeys(messages))}


def scrub_forbidden_files(form, unit, field_name="body"):
    """Take the files a page may not use out of a refused editor form's data, so that the
    form shown again does not name them (a chooser shows the chosen file's title and URL)."""
    value = form.cleaned_data.get(field_name)
    if value is None or unit is None:
        return
    page = type(form.instance)(**{field_name: value})
    forbidden = forbidden_references(page, unit, field_name)
    if not forbidden:
        return
    block_ids = {(content_path or "").split(".")[0] for content_path, _, _ in forbidden}
    data = form.data.copy()
    prefix = form.add_prefix(field_name)
    for key in [key for key in data if key.startswith(f"{prefix}-") and key.endswith("-id")]:
        if data.get(key) not in block_ids:
            continue
        block = key[: -len("-id")]
        for chooser in ("document", "image"):
            if f"{block}-value-{chooser}" in data:
                data[f"{block}-value-{chooser}"] = ""
        if f"{block}-value" in data:  # rich text linking the file: its text goes too
            data[f"{block}-value"] = ""
    form.data = data


def record_shown_images(page, field_name="body", adding=False):
    """Remember which images the live version of ``page`` shows, for the image serve check."""
    from .models import ShownImage

    if not page.live:
        if not adding:
            ShownImage.objects.filter(page_id=page.pk).delete()
        return
    ShownImage.objects.filter(page_id=page.pk).delete()
    Image = get_image_model()
    ids = {pk for _, model, pk in referenced_files(page, (field_name,)) if issubclass(model, Image)}
    if ids:
        existing = Image.objects.filter(pk__in=ids).values_list("pk", flat=True)
        ShownImage.objects.bulk_create([ShownImage(page_id=page.pk, image_id=pk) for pk in existing], ignore_conflicts=True)


# -- images are served through the checked view -------------------------------------------------

IMAGE_PREFIXES = ("original_images/", "images/")


class CheckedImagesStorageMixin:
    """A storage whose image files (originals and renditions) are reached only through the
    project's checked view (``serve_image_file``), like documents through Wagtail's.

    Every URL Wagtail makes for an image — templates, admin thumbnails, the APIs' download
    URLs — comes from ``storage.url``; the web server must not serve ``MEDIA_ROOT`` itself.
    """

    def url(self, name):
        if name and name.startswith(IMAGE_PREFIXES):
            return reverse("disclosure_image_file", kwargs={"name": name})
        return super().url(name)


class CheckedImagesFileSystemStorage(CheckedImagesStorageMixin, FileSystemStorage):
    """The file system storage with checked image URLs (``STORAGES["default"]``)."""
