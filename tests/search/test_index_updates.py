"""The outbox: changes reach the index after commit, survive a failing engine, and rebuilds work."""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.utils import timezone
from wagtail.rich_text import RichText

from search.models import PendingIndexUpdate, SearchDocument
from search.updates import apply_due_updates
from tests.factories import build_tree, edit_and_publish, make_item
from tests.search.support import found_titles


class OnCommitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_tree()
        apply_due_updates()

    def test_publishing_schedules_the_update_for_after_the_commit(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            make_item(self.tree.township, "城关镇关于开展主题党日活动的通知")
        self.assertTrue(callbacks)
        # The immediate task backend (tests) ran the task in the callback: nothing waits.
        self.assertFalse(PendingIndexUpdate.objects.exists())
        self.assertEqual(found_titles("主题党日"), {"城关镇关于开展主题党日活动的通知"})

    def test_an_edit_reaches_the_index(self):
        item = make_item(self.tree.township, "城关镇关于开展主题党日活动的通知")
        apply_due_updates()
        with self.captureOnCommitCallbacks(execute=True):
            edit_and_publish(item, title="城关镇关于开展“七一”主题党日活动的通知")
        self.assertEqual(found_titles("七一"), {"城关镇关于开展“七一”主题党日活动的通知"})

    def test_moving_a_unit_updates_its_items_addresses(self):
        item = make_item(self.tree.village2, "西关村党务公开栏更新说明")
        apply_due_updates()
        with self.captureOnCommitCallbacks(execute=True):
            self.tree.village2.move(self.tree.township2, pos="last-child")
        document = SearchDocument.objects.get(page_id=item.pk)
        self.assertTrue(document.url.startswith("/zh-hans/qx/qx-sqz/"), document.url)
        self.assertTrue(document.unit_path.startswith(self.tree.township2.path))


class FailingEngineTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_tree()
        apply_due_updates()

    def test_a_failing_engine_keeps_the_update_and_applies_it_later(self):
        with mock.patch("search.backends.database.DatabaseItemStore.write", side_effect=ConnectionError("engine down")):
            item = make_item(self.tree.township, "城关镇党员冬训工作安排")  # the edit itself succeeds
            applied, failed = apply_due_updates()
        self.assertEqual(applied, 0)
        self.assertGreater(failed, 0)
        row = PendingIndexUpdate.objects.get(page_id=item.pk)
        self.assertEqual((row.attempts, row.last_error), (1, "engine down"))
        self.assertGreater(row.next_attempt_at, timezone.now())
        self.assertEqual(found_titles("冬训"), set())

        # Not due yet: nothing is retried early.
        self.assertEqual(apply_due_updates(), (0, 0))
        PendingIndexUpdate.objects.update(next_attempt_at=timezone.now())
        applied, failed = apply_due_updates()
        self.assertEqual(failed, 0)
        self.assertFalse(PendingIndexUpdate.objects.exists())
        self.assertEqual(found_titles("冬训"), {"城关镇党员冬训工作安排"})

    def test_a_change_while_waiting_makes_the_row_due_again(self):
        with mock.patch("search.backends.database.DatabaseItemStore.write", side_effect=ConnectionError("engine down")):
            item = make_item(self.tree.township, "城关镇党员冬训工作安排")
            apply_due_updates()
        row = PendingIndexUpdate.objects.get(page_id=item.pk)
        edit_and_publish(item, title="城关镇2025年党员冬训工作安排")
        row.refresh_from_db()
        self.assertIsNone(row.next_attempt_at)
        self.assertGreater(row.changes, 1)
        apply_due_updates()
        self.assertEqual(found_titles("冬训"), {"城关镇2025年党员冬训工作安排"})

    def test_retries_wait_longer_each_time(self):
        with mock.patch("search.backends.database.DatabaseItemStore.write", side_effect=ConnectionError("down")):
            item = make_item(self.tree.township, "城关镇党员冬训工作安排")
            waits = []
            for _attempt in range(3):
                PendingIndexUpdate.objects.update(next_attempt_at=timezone.now())
                started = timezone.now()
                apply_due_updates()
                waits.append((PendingIndexUpdate.objects.get(page_id=item.pk).next_attempt_at - started).total_seconds())
        self.assertTrue(waits[0] < waits[1] < waits[2], waits)


class RebuildTests(TestCase):
    def test_update_index_rebuilds_the_item_documents_with_progress(self):
        tree = build_tree()
        make_item(tree.township, "城关镇党务公开工作要点")
        apply_due_updates()
        SearchDocument.objects.all().delete()  # as if the index were lost
        output = io.StringIO()
        call_command("update_index", stdout=output)
        self.assertIn("indexed", output.getvalue())
        self.assertEqual(found_titles("工作要点"), {"城关镇党务公开工作要点"})
        self.assertEqual(found_titles("工作要點", locale="zh-hant"), {"城關鎮黨務公開工作要點"})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes: the database backend on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_rebuild_by_worker_processes_writes_what_one_process_writes():
    """``update_index --workers 2`` (chunks of two, so both processes index) leaves the same
    documents, vectors and Wagtail entries as the one-process rebuild."""
    tree = build_tree()
    titles = [f"城关镇第{number}次党员大会决议公示" for number in range(1, 8)]
    for title in titles:
        make_item(tree.township, title)
    apply_due_updates()

    def index_rows():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT page_id, title, text, unit_path, audience, terms_vector::text, chars_vector::text, "
                f"title_terms_vector::text FROM {SearchDocument._meta.db_table} ORDER BY page_id"
            )
            documents = cursor.fetchall()
            cursor.execute("SELECT content_type_id, object_id, title::text, body::text, body_text, title_norm FROM wagtailsearch_indexentry ORDER BY 1, 2")
            return documents, cursor.fetchall()

    call_command("update_index", stdout=io.StringIO())
    one_process = index_rows()
    SearchDocument.objects.all().delete()
    output = io.StringIO()
    call_command("update_index", workers=2, chunk_size=2, stdout=output)
    assert "(2 processes)" in output.getvalue()
    assert index_rows() == one_process
    assert len(one_process[0]) == 2 * len(titles)  # each item in both scripts
    assert found_titles("党员大会") == set(titles)


class BodyTextTests(TestCase):
    def test_the_body_text_is_read_once_and_again_when_the_body_is_replaced(self):
        tree = build_tree()
        item = make_item(tree.township, "城关镇党费收缴情况公示", body=[("rich_text", RichText("<p>第一季度</p><p>党费收缴</p>"))])
        self.assertEqual(item.body_text, "第一季度 党费收缴")
        with mock.patch("wagtail.rich_text.get_text_for_indexing", side_effect=AssertionError("read again")):
            self.assertEqual(item.body_text, "第一季度 党费收缴")
        item.body = [("rich_text", RichText("<p>第二季度党费</p>"))]
        self.assertEqual(item.body_text, "第二季度党费")
