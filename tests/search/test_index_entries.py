"""Wagtail's index entries written by ``pages_compat.add_index_entries`` are those modelsearch writes."""

import datetime
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import override_settings
from modelsearch.backends import get_search_backend
from modelsearch.backends.database.postgres.postgres import IndexEntry, PostgresIndex
from modelsearch.index import get_indexed_models

from disclosure_pages.models import CatalogueEntry, DisclosureItemPage
from search.backends.postgres import PostgresEntriesIndex
from tests.factories import build_tree, make_document, make_item
from tests.search.support import rich_text

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="Wagtail's PostgreSQL index entries"),
]


def entry_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT content_type_id, object_id, title::text, autocomplete::text, body::text, title_norm, title_text, body_text "
            f"FROM {IndexEntry._meta.db_table} ORDER BY content_type_id, object_id"
        )
        return cursor.fetchall()


def index_everything(add_items):
    """Every indexed model's objects through ``add_items(index, model, objects)``, as ``update_index`` adds them."""
    IndexEntry.objects.all().delete()
    backend = get_search_backend()
    for model in get_indexed_models():
        add_items(backend.get_index_for_model(model), model, list(model.get_indexed_objects()))
    return entry_rows()


def varied_county():
    """Pages of every kind with the texts that make the entries differ: items with and without a
    document number or summary, a body of several paragraphs, documents with and without tags."""
    tree = build_tree()
    make_item(
        tree.township, "城关镇关于开展主题党日活动的通知", document_number="城委发〔2024〕3号", document_date=datetime.date(2024, 2, 27), summary="主题党日安排。",
        body=rich_text("<p>各支部于每月固定一天开展主题党日。</p><p>Party day, in English too.</p>"),
        publish_date=datetime.date(2024, 3, 1),
    )
    make_item(tree.village1, "东关村党费收缴情况公示", body=rich_text("<p>本季度党费按时收缴。</p>"), summary="")
    make_item(tree.department, "县财政局通知", body=[], summary="")  # a title only
    tagged = make_document("党费收缴明细", "dues.txt", b"dues")
    tagged.tags.add("党费", "公示")
    make_document("会议纪要", "minutes.txt", b"minutes")
    return tree


def test_the_entries_are_those_modelsearch_writes():
    varied_county()
    assert DisclosureItemPage.objects.exists() and CatalogueEntry.objects.exists()
    wagtail = index_everything(PostgresIndex.add_items)
    ours = index_everything(PostgresEntriesIndex.add_items)
    assert len(wagtail) > 20
    assert ours == wagtail


def test_a_second_write_updates_the_entries_in_place():
    varied_county()

    def entries_after_an_edit(add_items):
        """The entries of every object, then those of the edited item's model written again by ``add_items``."""
        with transaction.atomic():
            index_everything(PostgresIndex.add_items)
            item = DisclosureItemPage.objects.get(title="东关村党费收缴情况公示")
            item.title, item.summary = "东关村第二季度党费收缴情况公示", "第二季度。"
            item.save()
            add_items(get_search_backend().get_index_for_model(DisclosureItemPage), DisclosureItemPage, list(DisclosureItemPage.objects.all()))
            rows = entry_rows()
            transaction.set_rollback(True)
        return rows

    ours = entries_after_an_edit(PostgresEntriesIndex.add_items)
    assert ours == entries_after_an_edit(PostgresIndex.add_items)
    assert [row[6:] for row in ours if "党费收缴情况" in row[6]] == [("东关村第二季度党费收缴情况公示", "第二季度。 本季度党费按时收缴。")]


@override_settings(SUNSHINE_FRAMEWORK_FAST_PATHS=False)
def test_without_the_fast_paths_modelsearch_writes_them():
    varied_county()
    with mock.patch("search.backends.postgres.add_index_entries") as fast:
        ours = index_everything(PostgresEntriesIndex.add_items)
    fast.assert_not_called()
    assert ours == index_everything(PostgresIndex.add_items)
