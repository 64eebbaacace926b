"""The private parts of treebeard, Wagtail (and its modelsearch) and Django's bulk insert that
the fast paths and the admin listings rely on, and only here; and the check that the installed
versions are the ones they were read from.

Each function names the code it stands in for. After upgrading past ``TESTED_VERSIONS`` (the
system check ``sunshine.W001`` says so), compare each one with that code, then run the parity
tests with ``SUNSHINE_FRAMEWORK_FAST_PATHS`` on and off (tests/disclosure_pages/test_tree.py,
tests/demo_county/test_bulk_seed.py, tests/script_variants/test_fast_paths.py,
tests/search/test_index_entries.py on PostgreSQL), and the listings' tests
(tests/workflows/test_listing_scale.py).
"""

import json
from importlib.metadata import PackageNotFoundError, version

from django.core import checks
from django.db import connections, models, router
from treebeard.exceptions import PathOverflow
from wagtail import hooks
from wagtail.actions.base import BaseAction
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Revision
from wagtail.permissions import policy_registry

from .conf import app_settings

TESTED_VERSIONS = {"wagtail": "8.0.1", "modelsearch": "1.3.2", "django-treebeard": "5.3.1", "Django": "5.2.19"}


def fast_paths():
    """Whether the fast paths are on (``SUNSHINE_FRAMEWORK_FAST_PATHS``, default True); off, the
    importer, the bulk seed and the variant sync go through the frameworks' public API only."""
    return app_settings.SUNSHINE_FRAMEWORK_FAST_PATHS


def tested_versions_check(module, tested):
    """Register (and return) a system check warning when an installed version of a package in
    ``tested`` differs from the one ``module`` was reviewed against."""

    def check_tested_versions(app_configs, **kwargs):
        warnings = []
        for package, expected in tested.items():
            try:
                installed = version(package)
            except PackageNotFoundError:
                installed = "(not installed)"
            if installed != expected:
                warnings.append(checks.Warning(
                    f"{package} {installed} is installed; {module} uses its private API as of {expected}.",
                    hint=f"Review {module} against {package} {installed}, then run the parity tests with "
                         "SUNSHINE_FRAMEWORK_FAST_PATHS = True and = False (or set it to False until then).",
                    obj=module,
                    id="sunshine.W001",
                ))
        return warnings

    return checks.register(check_tested_versions)


check_tested_versions = tested_versions_check(__name__, TESTED_VERSIONS)


# -- the tree ------------------------------------------------------------------------------


def child_paths(parent, count):
    """The materialised paths of ``count`` new last children of ``parent`` (a page or a
    collection), as treebeard's ``add_child`` computes one (``MP_AddChildHandler``: from the last
    child's path, or the first step)."""
    node = type(parent)
    last_child = parent.get_children().only("path").last()  # none asked for while numchild is 0
    first_step = last_child._get_lastpos_in_path() + 1 if last_child else 1
    if len(node._int2str(first_step + count - 1)) > node.steplen:
        raise PathOverflow(f"“{parent}” cannot take {count} more children.")
    return [child_path(parent, step) for step in range(first_step, first_step + count)]


def child_path(parent, step):
    """The path of ``parent``'s child number ``step`` in treebeard's numbering."""
    return type(parent)._get_path(parent.path, parent.depth + 1, step)


def remember_parent(page, parent):
    """treebeard's cache of ``page.get_parent()``, as ``add_child`` sets it (Wagtail's slug
    checks ask for the parent of a page not saved yet)."""
    page._cached_parent_obj = parent


def mark_not_site_root(page):
    """Say that ``page`` is no site's root, as ``PageQuerySet.annotate_site_root_state`` does (saves a query)."""
    page._is_site_root = False


# From this many rows PostgreSQL is given them by COPY rather than an INSERT.
COPY_FROM_ROWS = 50


def insert_fields(table):
    """The fields an INSERT of ``table`` (one model of an inheritance chain) writes: its own
    concrete fields, not generated ones nor an auto key."""
    return [field for field in table._meta.local_concrete_fields if not field.generated and field is not table._meta.auto_field]


def insert_rows(table, objs, using):
    """INSERT the columns of ``table`` (one model of an inheritance chain) for ``objs``, in
    batches: ``QuerySet._batched_insert``, what ``bulk_create`` uses; returns the new keys of an
    auto key."""
    fields = insert_fields(table)
    connection = connections[using]
    if connection.vendor == "postgresql" and len(objs) >= COPY_FROM_ROWS:
        return copy_rows(table, objs, fields, connection)
    return table._base_manager.using(using)._batched_insert(objs, fields, batch_size=None)


def create_rows(model, objs):
    """``model.objects.bulk_create(objs)`` for a model of one table, by ``insert_rows`` (COPY on
    PostgreSQL from ``COPY_FROM_ROWS`` rows) when the fast paths are on: for the outboxes and
    tables a bulk writer fills thousands of rows at a time."""
    objs = list(objs)
    using = router.db_for_write(model)
    if not fast_paths() or model._meta.parents or not connections[using].features.can_return_rows_from_bulk_insert:
        return model.objects.bulk_create(objs)
    for obj, (pk,) in zip(objs, insert_rows(model, objs, using) if objs else [], strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, using
    return objs


def copy_rows(table, objs, fields, connection, extra_columns=(), extra_values=()):
    """``insert_rows`` on PostgreSQL by COPY, for many rows: Django's batched INSERT quotes every
    value in Python (psycopg's client-side binding), most of the time of a bulk seed. The auto
    key's values are drawn from its sequence first, as the INSERT would draw them; each value is
    prepared as ``SQLInsertCompiler.prepare_value`` prepares it (``pre_save``, then
    ``get_db_prep_save``). ``extra_columns`` are columns the model does not declare (e.g. a
    tsvector written beside its text), ``extra_values`` their values for each object in turn."""
    quote = connection.ops.quote_name
    auto = table._meta.auto_field
    extra_values = list(extra_values) or [()] * len(objs)
    with connection.cursor() as cursor:
        ids = []
        if auto:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table._meta.db_table, auto.column, len(objs)],
            )
            ids = [row for row in cursor.fetchall()]
            for obj, (pk,) in zip(objs, ids, strict=True):
                setattr(obj, auto.attname, pk)
        columns = ([auto] if auto else []) + fields
        names = [quote(field.column) for field in columns] + [quote(name) for name in extra_columns]
        sql = f"COPY {quote(table._meta.db_table)} ({', '.join(names)}) FROM STDIN"
        # (column, field, the value type it writes as it is, or None): see VERBATIM_FIELDS.
        plans = [(field.attname, field, VERBATIM_FIELDS.get(type(field))) for field in columns]
        with cursor.cursor.copy(sql) as copy:
            for obj, extra in zip(objs, extra_values, strict=True):
                row = []
                for attname, field, verbatim in plans:
                    value = getattr(obj, attname) if verbatim else None
                    if verbatim is None or not (value is None or type(value) is verbatim):
                        value = field.get_db_prep_save(field.pre_save(obj, True), connection)
                    row.append(value)
                copy.write_row(row + list(extra))
    return ids


# Field classes (exactly these, not subclasses) whose ``pre_save`` reads the attribute and whose
# ``get_db_prep_save`` returns a value of the given type, or None, as it is (their
# ``get_prep_value`` is ``to_python``, which passes it through): ``copy_rows`` writes such values
# without the calls, which are most of its time for the page tables' many text and flag columns.
VERBATIM_FIELDS = {
    models.CharField: str,
    models.SlugField: str,
    models.TextField: str,
    models.BooleanField: bool,
}


def take_related_ids(objs):
    """Have ``objs`` take the ids of related objects saved since they were assigned, as
    ``save()`` does (``Model._prepare_related_fields_for_save``); refuses unsaved ones."""
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="add_children")


# -- Wagtail's search index ---------------------------------------------------------------------


def add_index_entries(index, model, objs):
    """Write the ``IndexEntry`` rows of ``objs`` as modelsearch's ``PostgresIndex.add_items``
    writes them (an INSERT … ON CONFLICT of the same columns), without its title norms (the
    caller refreshes them, as ``add_items`` does after).

    ``add_items`` has Django compile three ``SearchVector`` expressions for every object into
    one INSERT of all the chunk's values (a fifth of a rebuild's time, and psycopg then parses
    the megabytes of SQL), and its ``ObjectIndexer`` reads every search field's value five
    times (once for each of title, body, autocomplete and the two plain texts). Here each
    value is read once, through the indexer's own ``prepare_field``, and the texts are sent as
    one JSON parameter: PostgreSQL computes the same ``setweight(to_tsvector(config, text),
    weight)`` terms, joined with ``||`` in the same order, in one INSERT … SELECT for each set
    of weights the objects have (one for a model without related fields).
    tests/search/test_index_entries.py compares the rows with those of ``add_items``.
    """
    # Imported here: modelsearch's PostgreSQL module reads its IndexEntry model as it loads.
    from modelsearch.backends.database.postgres.postgres import IndexEntry, ObjectIndexer
    from modelsearch.index import AutocompleteField, SearchField
    from modelsearch.utils import get_content_type_pk

    search_fields = model.get_search_fields()
    if not search_fields or not objs:
        return
    backend = index.backend
    groups = {}  # (title weights, autocomplete weights, body weights) -> rows
    for obj in objs:
        indexer = ObjectIndexer(obj, backend)
        title, autocomplete, body = [], [], []
        for field in search_fields:
            for current, weight, value in indexer.prepare_field(obj, field):
                if isinstance(current, SearchField):
                    (title if current.field_name == "title" else body).append((value.strip(), weight))
                elif isinstance(current, AutocompleteField):
                    autocomplete.append((value.strip(), weight))
        # ObjectIndexer.as_vector leaves out the empty texts; title_text and body_text join the others.
        title, autocomplete, body = ([(text, weight) for text, weight in texts if text] for texts in (title, autocomplete, body))
        key = tuple(tuple(weight for _, weight in texts) for texts in (title, autocomplete, body))
        groups.setdefault(key, []).append([
            indexer.id, [text for text, _ in title], [text for text, _ in autocomplete], [text for text, _ in body],
            " ".join(text for text, _ in title), " ".join(text for text, _ in body),
        ])
    content_type_pk = get_content_type_pk(model)
    connection = index.write_connection
    with connection.cursor() as cursor:
        for (title, autocomplete, body), rows in groups.items():
            params = []
            vectors = [
                _vector_sql(column, weights, config, params)
                for column, weights, config in ((1, title, backend.config), (2, autocomplete, backend.autocomplete_config), (3, body, backend.config))
            ]
            cursor.execute(
                f"""
                INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
                SELECT %s, r->>0, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, r->>4, r->>5
                FROM jsonb_array_elements(%s::jsonb) AS r
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title,
                              title_norm = 1.0,
                              autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body,
                              title_text = EXCLUDED.title_text,
                              body_text = EXCLUDED.body_text
                """,
                [content_type_pk, *params, json.dumps(rows, ensure_ascii=False)],
            )


def _vector_sql(column, weights, config, params):
    """The SQL of ``ObjectIndexer.as_vector`` for texts of ``weights`` in the JSON row's ``column``
    (``EMPTY_VECTOR`` for none); appends its parameters (before the rows') to ``params``."""
    if not weights:
        return "to_tsvector(COALESCE('', ''))"
    terms = []
    for position, weight in enumerate(weights):
        if config:
            terms.append(f"setweight(to_tsvector(%s::regconfig, COALESCE(r->{column}->>{position}, '')), %s)")
            params += [config, weight]
        else:
            terms.append(f"setweight(to_tsvector(COALESCE(r->{column}->>{position}, '')), %s)")
            params.append(weight)
    return " || ".join(terms)


# -- revisions -------------------------------------------------------------------------------


def revision_to_publish(page, user):
    """The revision ``page.save_revision(user=user)`` would make, for a page without unsaved
    comments that is published right after in the same transaction (``PublishRevisionFromPage``).
    Page.save_revision would also validate the page, save new comments and write the revision
    fields to the page row with a second save (with its post_save work: search outbox, API
    version, reference index): the publish's full save that follows validates the page and
    writes the same fields."""
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=user,
        content=page.serializable_data(),
        object_str=str(page),
    )
    page.latest_revision = revision
    page.latest_revision_created_at = revision.created_at
    page.draft_title = page.title
    page.has_unpublished_changes = True  # until the publish
    return revision


class PublishRevisionFromPage(PublishPageRevisionAction):
    """Wagtail's publish of a page revision, given the page the revision was saved from.

    The stock action rebuilds the page from the revision (``revision.as_object()``: the page
    fetched again and its content deserialised, a few milliseconds for a long item). A caller
    that has just saved ``revision`` from ``page`` in the same transaction has the two holding
    the same content; everything else — validation in the full save, live state, timestamps,
    signals, the log entry, aliases — is Wagtail's own code.
    """

    def __init__(self, revision, page, user=None, changed=True, log_action=True, previous_revision=None):
        # PublishRevisionAction.__init__ without its as_object() call.
        BaseAction.__init__(self, page, user=user)
        self.revision = revision
        self.object = page
        self.permission_policy = policy_registry.get(page)
        self.changed = changed
        self.log_action = log_action
        self.previous_revision = previous_revision


# -- admin listings ----------------------------------------------------------------------------


def replace_page_is_public_test(test):
    """Make ``test(request, page, rows)`` the answer of Wagtail's ``test_page_is_public`` template
    tag (``wagtailadmin_tags``: the privacy icon and status of a page, in every listing and on every
    page's own screens); ``rows``: the pages of the table whose row is being rendered (the tag is
    included in a cell, whose context names its table), or none. Called before any template is
    compiled: a template takes a tag's function as it is parsed."""
    from wagtail.admin.templatetags import wagtailadmin_tags

    def test_page_is_public(context, page):
        table = context.get("table")
        return test(context["request"], page, getattr(table, "data", None) or ())

    wagtailadmin_tags.register.simple_tag(test_page_is_public, takes_context=True, name="test_page_is_public")


def replace_new_page_privacy_test(test):
    """Make ``test(request, parent)`` say whether a new page's parent is public in the status panel
    of Wagtail's create view (``PageStatusSidePanel``, as ``wagtail.admin.views.pages.create``
    imports it), which asks ``PageQuerySet.public()``: every view restriction of the county read
    with its page and a condition OR-ed for each, tens of thousands in a province. The rest of the
    panel's context is Wagtail's (``PageStatusSidePanel.get_context_data``, Wagtail 8.0)."""
    from wagtail.admin.ui import side_panels
    from wagtail.admin.views.pages import create
    from wagtail.models import BaseViewRestriction

    class PageStatusSidePanel(side_panels.PageStatusSidePanel):
        def get_context_data(self, parent_context):
            if self.object.id:
                return super().get_context_data(parent_context)
            context = side_panels.StatusSidePanel.get_context_data(self, parent_context)
            private_by_default = self.object.get_default_privacy_setting(self.request)["type"] != BaseViewRestriction.NONE
            context["is_public"] = not private_by_default and test(self.request, self.parent_page)
            context.update({
                "model_name": self.model.get_verbose_name(),
                "base_model_name": self.base_page_model._meta.verbose_name,
                "model_description": self.model.get_page_description(),
                "status_templates": self.get_status_templates(context),
            })
            return context

    create.PageStatusSidePanel = PageStatusSidePanel


def replace_owner_filter_choices(owners):
    """Make ``owners(request)`` the users offered by the "owner" filter of Wagtail's page listings
    (the explorer and the page search: ``PageFilterSet``, Wagtail 8.0). Wagtail offers everyone who
    owns any page, read with ``SELECT DISTINCT owner_id`` over every page of the county (0.2-0.4 s
    at 1,000,000 pages, in every explorer request), and so shows a unit's officer the people of
    every other unit. The filter's choices are a declared filter's ``queryset``, django-filter's public
    attribute, on Wagtail's filter sets."""
    from wagtail.admin.views.pages.listing import GenericPageFilterSet, PageFilterSet

    for filterset in (PageFilterSet, GenericPageFilterSet):
        filterset.base_filters["owner"].queryset = owners


def replace_hook(hook_name, old, new):
    """Put ``new`` where ``old`` is among the functions registered for ``hook_name`` (at the same
    order; nothing when ``old`` is not registered): Wagtail's hook registry (``wagtail.hooks._hooks``)
    has no public way to take one out."""
    registered = hooks._hooks.get(hook_name, [])
    for position, (function, order) in enumerate(registered):
        if function is old:
            registered[position] = (new, order)
            return
