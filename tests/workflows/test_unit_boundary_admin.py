"""No other unit's titles anywhere in the admin (issue 13, item 3).

Choosers, refusal messages, previews, reports, the dashboard and autocomplete are filtered by
the one per-unit rule (the page permission policy's explorable pages, ``workflows.policies``):
an officer or approver of 石桥镇 reads none of 城关镇's titles — its drafts, its members-only
items, its village's drafts — whatever id they type; a village officer none of its
township's items; a township's officers none of their villages' items unless
``SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES`` gives them the villages. Refusals name nothing.
The county office and superusers see every unit.
"""

import io
import json

from django.core.management import call_command
from django.utils import timezone

from django.test import Client, TestCase, override_settings
from django.urls import reverse
from wagtail.models import Page, TaskState

from chinese.conversion import convert
from disclosure_pages.choices import Scope
from disclosure_pages.models import CatalogueEntry
from tests.factories import build_tree, make_item, make_user, reload
from workflows.models import UnitApprovalTask

from .helpers import messages_of, people, submit_new_item

DRAFT = "城关镇甲号机密草稿"
MEMBERS_ONLY = "城关镇乙号党员内部事项"
VILLAGE_DRAFT = "东关村丙号机密草稿"
LOCAL_ENTRY = "城关镇丁号自设目录条目"
# What one may type in a search box: prefixes (the admin's autocomplete) and whole titles.
QUERIES = ["城关镇", "东关村", "机密", DRAFT, MEMBERS_ONLY, VILLAGE_DRAFT]


def variants(text):
    """``text`` as it may appear in a response: plain or escaped in JSON, in either script (the Traditional variant)."""
    forms = set()
    for script in (text, convert(text, "s2tw")):
        forms |= {script, json.dumps(script)[1:-1]}
    return forms


def _short(data):
    """The request data worth printing in a failure: not a whole editor form."""
    if not data:
        return ""
    return {key: value for key, value in data.items() if key in ("q", "id", "childOf", "page_type", "outcome", "previous_stage", "unit")}


class BoundaryTestCase(TestCase):
    """城关镇's draft (in review), members-only item (locked) and local catalogue entry; 东关村's draft."""

    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.p = people(cls.t)
        cls.p["village_officer"] = make_user("dgc-officer", reload(cls.t.village1).officers_group)
        client = Client()
        client.force_login(cls.p["officer"])
        cls.draft = submit_new_item(client, cls.t.township, title=DRAFT)
        cls.members_only = make_item(cls.t.township, MEMBERS_ONLY, scope=Scope.UNIT_MEMBERS)
        cls.members_only.save_revision(user=cls.p["officer"])
        page = reload(cls.members_only)
        page.locked, page.locked_by, page.locked_at = True, cls.p["officer"], timezone.now()
        page.save(update_fields=["locked", "locked_by", "locked_at"])
        cls.village_draft = make_item(cls.t.village1, VILLAGE_DRAFT, publish=False)
        area = cls.t.entries["发展党员"].area
        cls.local_entry = CatalogueEntry.objects.create(area=area, name=LOCAL_ENTRY, unit=cls.t.township)
        cls.task = UnitApprovalTask.objects.get()
        cls.task_state = TaskState.objects.filter(workflow_state__object_id=str(cls.draft.pk)).latest("pk")
        # Index updates run at commit, which a TestCase never reaches: index as a deployment does.
        call_command("update_index", backend_name="default", stdout=io.StringIO())

    # -- who may not read what -------------------------------------------------------------

    def outsiders(self):
        """(user name, setting, the hidden pages' titles): each viewer with what they must not read."""
        township_items = [DRAFT, MEMBERS_ONLY, LOCAL_ENTRY]
        cases = []
        for manage_villages in (False, True):
            cases += [
                ("officer2", manage_villages, township_items + [VILLAGE_DRAFT]),
                ("approver_b", manage_villages, township_items + [VILLAGE_DRAFT]),
                ("village_officer", manage_villages, township_items),
            ]
        cases += [("officer", False, [VILLAGE_DRAFT]), ("approver", True, [VILLAGE_DRAFT])]
        return cases

    def hidden_pages(self):
        return [self.draft, self.members_only, self.village_draft]

    def get(self, url, method="get", data=None, **extra):
        """The answer and every page it leads to, as (status, text) pairs."""
        response = getattr(self.client, method)(url, data or {}, follow=True, **extra)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        texts = [body.decode(errors="replace")] + messages_of(response)
        return response, "\n".join(texts)

    def leaks(self, url, titles, method="get", data=None, **extra):
        """What the answer to ``url`` reveals: the hidden titles it names, or a server error.

        A search answer shows what was typed: a whole title typed is taken out of it, and
        instead no link to that page may be there.
        """
        response, text = self.get(url, method, data, **extra)
        found = [f"{method.upper()} {url} {_short(data)} → {response.status_code}"] if response.status_code >= 500 else []
        typed = (data or {}).get("q") or (data or {}).get("search")
        if typed in titles:
            for form in variants(typed):
                text = text.replace(form, "")
            page = next((page for page in self.hidden_pages() if page.title == typed), None)
            if page is not None and f"/pages/{page.pk}/" in text:
                found.append(f"{method.upper()} {url} {_short(data)} links to {typed}")
        found += [f"{method.upper()} {url} {_short(data)} names {title}" for title in titles if any(form in text for form in variants(title))]
        return found

    def assertNamesNothing(self, url, titles, method="get", data=None, **extra):
        found = self.leaks(url, titles, method, data, **extra)
        self.assertFalse(found, "\n".join(found))

    def each_outsider(self, urls):
        """Request every url (a callable of the outsider's name and hidden titles → [(url, method, data)]) as every outsider."""
        for name, manage_villages, titles in self.outsiders():
            with self.subTest(user=name, manage_villages=manage_villages), self.settings(
                SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES=manage_villages
            ):
                self.client.force_login(self.p[name])
                found = []
                for url, method, data in urls(name, titles):
                    found += self.leaks(url, titles, method, data)
                self.assertFalse(found, "\n".join(found))

    def by_id(self, *url_names, method="get", extra_args=()):
        """URLs of the named routes for every hidden page id."""

        def urls(name, titles):
            for page in self.hidden_pages():
                for url_name in url_names:
                    yield reverse(url_name, args=[page.pk, *extra_args]), method, None

        return urls


class ChooserTests(BoundaryTestCase):
    def test_browsing_the_page_chooser(self):
        def urls(name, titles):
            yield reverse("wagtailadmin_choose_page"), "get", None
            for page in self.hidden_pages() + [reload(self.t.township), reload(self.t.county), reload(self.t.village1)]:
                yield reverse("wagtailadmin_choose_page_child", args=[page.pk]), "get", None
                yield reverse("wagtailadmin_choose_page_child", args=[page.pk]), "get", {
                    "page_type": "disclosure_pages.disclosureitempage"
                }
            yield reverse("wagtailadmin_choose_page"), "get", {"page_type": "disclosure_pages.disclosureitempage"}

        self.each_outsider(urls)

    def test_searching_the_page_chooser(self):
        def urls(name, titles):
            for q in QUERIES:
                yield reverse("wagtailadmin_choose_page_search"), "get", {"q": q}
                yield reverse("wagtailadmin_choose_page_search"), "get", {
                    "q": q, "page_type": "disclosure_pages.disclosureitempage"
                }

        self.each_outsider(urls)

    def test_the_chosen_pages_answer(self):
        def urls(name, titles):
            yield reverse("wagtailadmin_choose_page_chosen_multiple"), "get", {"id": [p.pk for p in self.hidden_pages()]}

        self.each_outsider(urls)

    def test_the_link_choosers_are_untouched(self):
        self.client.force_login(self.p["officer2"])
        for url_name in (
            "wagtailadmin_choose_page_external_link",
            "wagtailadmin_choose_page_email_link",
            "wagtailadmin_choose_page_phone_link",
            "wagtailadmin_choose_page_anchor_link",
        ):
            self.assertEqual(self.client.get(reverse(url_name)).status_code, 200, url_name)

    def test_ones_own_units_pages_are_still_chosen(self):
        for name, titles in (("officer", [DRAFT, MEMBERS_ONLY]), ("county_officer", [DRAFT, MEMBERS_ONLY, VILLAGE_DRAFT]),
                             ("admin", [DRAFT, VILLAGE_DRAFT])):
            with self.subTest(name):
                self.client.force_login(self.p[name])
                browse = self.client.get(reverse("wagtailadmin_choose_page_child", args=[self.t.township.pk]))
                for title in titles:
                    if title != VILLAGE_DRAFT:
                        self.assertIn(json.dumps(title)[1:-1], browse.content.decode(), name)
                for title in titles:
                    search = self.client.get(reverse("wagtailadmin_choose_page_search"), {"q": title[:3]})
                    self.assertContains(search, title)

    def test_officers_navigate_the_chooser_from_the_root_to_their_unit(self):
        self.client.force_login(self.p["officer2"])

        def listed(url, **params):
            return self.client.get(url, params).json()["html"]

        self.assertIn(self.t.portal.title, listed(reverse("wagtailadmin_choose_page")))
        county = listed(reverse("wagtailadmin_choose_page_child", args=[self.t.county.pk]))
        self.assertIn(self.t.township2.title, county)
        self.assertNotIn(self.t.township.title, county)
        # Opened for items, it starts at the user's own unit, not where every unit's items meet.
        typed = self.client.get(reverse("wagtailadmin_choose_page"), {"page_type": "disclosure_pages.disclosureitempage"})
        self.assertIn(typed.json()["parent_page_id"], (self.t.township2.pk, Page.get_first_root_node().pk))

    @override_settings(SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES=True)
    def test_with_the_setting_township_officers_choose_their_villages_pages(self):
        self.client.force_login(self.p["officer"])
        search = self.client.get(reverse("wagtailadmin_choose_page_search"), {"q": "东关村"})
        self.assertContains(search, VILLAGE_DRAFT)

    def test_the_catalogue_entry_chooser(self):
        def urls(name, titles):
            base = reverse("wagtailsnippetchoosers_disclosure_pages_catalogueentry:choose")
            yield base, "get", None
            yield base, "get", {"q": "城关镇"}
            yield reverse("wagtailsnippetchoosers_disclosure_pages_catalogueentry:choose_results"), "get", {"q": "丁号"}
            yield reverse("wagtailsnippetchoosers_disclosure_pages_catalogueentry:chosen", args=[self.local_entry.pk]), "get", None

        self.each_outsider(urls)

    def test_the_catalogue_entry_chooser_still_offers_ones_own_and_the_countys_entries(self):
        for name in ("officer", "approver", "county_officer", "admin"):
            with self.subTest(name):
                self.client.force_login(self.p[name])
                response = self.client.get(reverse("wagtailsnippetchoosers_disclosure_pages_catalogueentry:choose"))
                text = response.content.decode()
                self.assertIn(json.dumps(LOCAL_ENTRY)[1:-1], text)
                self.assertIn(json.dumps("党费收缴使用")[1:-1], text)
        self.client.force_login(self.p["officer2"])
        response = self.client.get(reverse("wagtailsnippetchoosers_disclosure_pages_catalogueentry:choose"))
        self.assertIn(json.dumps("党费收缴使用")[1:-1], response.content.decode())
        self.client.force_login(self.p["officer"])
        listing = self.client.get(reverse("wagtailsnippets_disclosure_pages_catalogueentry:list"), {"q": "丁号自设"})
        self.assertContains(listing, LOCAL_ENTRY)


class RefusalTests(BoundaryTestCase):
    def test_takedown_and_next_stage_refusals_name_nothing(self):
        def urls(name, titles):
            for page in self.hidden_pages():
                for url_name in ("workflows_takedown_request", "workflows_next_stage"):
                    yield reverse(url_name, args=[page.pk]), "get", None
                    yield reverse(url_name, args=[page.pk]), "post", {"kind": "withdrawn", "reason": "x"}

        self.each_outsider(urls)

    def test_the_review_outcome_page_names_nothing(self):
        def urls(name, titles):
            for outcome in ("", "approved", "rejected", "already_done", "own_submission"):
                yield reverse("workflows_outcome", args=[self.task_state.pk]), "get", {"outcome": outcome}

        self.each_outsider(urls)

    def test_the_workflow_preview_names_nothing(self):
        def urls(name, titles):
            for page in self.hidden_pages():
                yield reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, self.task.pk]), "get", None
                yield reverse(
                    "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", self.task_state.pk]
                ), "post", {}
                yield reverse(
                    "wagtailadmin_pages:collect_workflow_action_data", args=[page.pk, "approve", self.task_state.pk]
                ), "get", None
                yield reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[page.pk]), "get", None

        self.each_outsider(urls)

    def test_the_refusals_still_say_why_to_ones_own_unit(self):
        self.client.force_login(self.p["officer"])
        response, text = self.get(reverse("workflows_takedown_request", args=[self.draft.pk]))
        self.assertIn("尚未公开", text)

    def test_the_previous_stage_check_names_nothing(self):
        from .helpers import add_url, item_form

        for name, manage_villages, titles in self.outsiders():
            if name == "village_officer":
                unit = self.t.village1
            elif name in ("officer", "approver"):
                unit = self.t.township
            else:
                unit = self.t.township2
            with self.subTest(name), self.settings(SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES=manage_villages):
                self.client.force_login(self.p[name])
                for page in self.hidden_pages():
                    if page.title not in titles:
                        continue
                    data = item_form(title="关联其他单位的事项", stage="decision", previous_stage=str(page.pk))
                    self.assertNamesNothing(add_url(unit), titles, "post", data)


class PageRouteTests(BoundaryTestCase):
    def test_the_explorer_and_admin_search(self):
        def urls(name, titles):
            for page in self.hidden_pages() + [reload(self.t.township), reload(self.t.village1), reload(self.t.county)]:
                yield reverse("wagtailadmin_explore", args=[page.pk]), "get", None
                yield reverse("wagtailadmin_explore_results", args=[page.pk]), "get", None
            yield reverse("wagtailadmin_explore_root"), "get", None
            for q in QUERIES:
                yield reverse("wagtailadmin_pages:search"), "get", {"q": q}
                yield reverse("wagtailadmin_pages:search_results"), "get", {"q": q}
            yield reverse("wagtailadmin_pages:type_use", args=["disclosure_pages", "disclosureitempage"]), "get", None
            yield reverse("wagtailadmin_pages:type_use_results", args=["disclosure_pages", "disclosureitempage"]), "get", None

        self.each_outsider(urls)

    def test_reading_routes(self):
        def urls(name, titles):
            for page in self.hidden_pages():
                page = reload(page)
                for url_name in ("history", "history_results", "workflow_history", "usage", "view_draft", "revisions_index",
                                 "preview_on_edit", "edit"):
                    yield reverse(f"wagtailadmin_pages:{url_name}", args=[page.pk]), "get", None
                yield reverse("wagtailadmin_pages:revisions_view", args=[page.pk, page.latest_revision_id]), "get", None
                yield reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "earliest", "latest"]), "get", None
                yield reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "live", "latest"]), "get", None
                yield reverse(
                    "wagtailadmin_pages:revisions_compare", args=[page.pk, page.latest_revision_id, page.latest_revision_id]
                ), "get", None
                for state in page.workflow_states.all():
                    yield reverse("wagtailadmin_pages:workflow_history_detail", args=[page.pk, state.pk]), "get", None

        self.each_outsider(urls)

    def test_acting_routes(self):
        def urls(name, titles):
            own = {"officer2": self.t.township2, "approver_b": self.t.township2}.get(name, self.t.village1)
            for page in self.hidden_pages():
                page = reload(page)
                for url_name in ("lock", "unlock"):
                    yield reverse(f"wagtailadmin_pages:{url_name}", args=[page.pk]), "post", {}
                for url_name in ("copy", "move", "delete", "unpublish", "convert_alias", "set_privacy", "add_subpage"):
                    yield reverse(f"wagtailadmin_pages:{url_name}", args=[page.pk]), "get", None
                yield reverse("wagtailadmin_pages:move_confirm", args=[page.pk, own.pk]), "get", None
                yield reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, page.latest_revision_id]), "get", None
                yield reverse("wagtailadmin_pages:revisions_unschedule", args=[page.pk, page.latest_revision_id]), "get", None
                yield reverse("wagtailadmin_pages:preview_on_add", args=["disclosure_pages", "disclosureitempage", page.pk]), "get", None

        self.each_outsider(urls)

    def test_the_admin_api_and_autocomplete(self):
        def urls(name, titles):
            api = reverse("wagtailadmin_api:pages:listing")
            yield api, "get", None
            for q in QUERIES:
                yield api, "get", {"search": q}
            for page in self.hidden_pages() + [reload(self.t.township)]:
                yield api, "get", {"child_of": page.pk}
                yield api, "get", {"child_of": page.pk, "for_explorer": "1"}
                yield api, "get", {"descendant_of": page.pk}
                yield reverse("wagtailadmin_api:pages:detail", args=[page.pk]), "get", None
            yield reverse("wagtailadmin_tag_autocomplete"), "get", {"term": "城"}
            for page in self.hidden_pages():
                yield reverse("api_preview_token", args=[page.pk]), "get", None
                yield reverse("wagtail_localize:submit_page_translation", args=[page.pk]), "get", None
                yield reverse("wagtail_localize:convert_to_alias", args=[page.pk]), "get", None

        self.each_outsider(urls)

    def test_translation_routes(self):
        from wagtail_localize.models import Translation, TranslationSource

        sources = list(TranslationSource.objects.filter(object_id__in=[p.translation_key for p in self.hidden_pages()]))
        translations = list(Translation.objects.filter(source__in=sources))
        self.assertTrue(translations)  # the members-only item is live: it has a Traditional variant

        def urls(name, titles):
            for source in sources:
                yield reverse("wagtail_localize:update_translations", args=[source.pk]), "get", None
            for translation in translations:
                for url_name in ("download_pofile", "preview_translation", "stop_translation", "machine_translate"):
                    yield reverse(f"wagtail_localize:{url_name}", args=[translation.pk]), "get", None
            for url_name in ("translations_report", "translations_report_results"):
                yield reverse(f"wagtail_localize:{url_name}"), "get", None
            entries = reverse("wagtail_localize:snippets_api_listing", args=["disclosure_pages", "catalogueentry"])
            yield entries, "get", None
            yield reverse("wagtail_localize:snippets_api_detail", args=["disclosure_pages", "catalogueentry", self.local_entry.pk]), "get", None
            for page in self.hidden_pages():
                variant = page.get_translations().first()
                if variant is not None:
                    for url_name in ("history", "view_draft", "edit"):
                        yield reverse(f"wagtailadmin_pages:{url_name}", args=[variant.pk]), "get", None

        self.each_outsider(urls)

    def test_bulk_actions(self):
        def urls(name, titles):
            ids = [page.pk for page in self.hidden_pages()]
            for action in ("delete", "move", "publish", "unpublish"):
                yield reverse("wagtail_bulk_action", args=["wagtailcore", "page", action]), "get", {"id": ids}
                yield reverse("wagtail_bulk_action", args=["wagtailcore", "page", action]), "get", {
                    "id": "all", "childOf": self.t.township.pk
                }
                yield reverse("wagtail_bulk_action", args=["wagtailcore", "page", action]), "get", {
                    "id": "all", "childOf": self.t.village1.pk
                }
                yield reverse("wagtail_bulk_action", args=["wagtailcore", "page", action]), "get", {"id": "all", "q": "城关镇"}
            entries = reverse("wagtail_bulk_action", args=["disclosure_pages", "catalogueentry", "delete"])
            yield entries, "get", {"id": [self.local_entry.pk]}
            yield entries, "get", {"id": "all"}

        self.each_outsider(urls)


    def test_bulk_actions_on_ones_own_pages_still_list_them(self):
        self.client.force_login(self.p["officer"])
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        for data in ({"id": [self.draft.pk, self.members_only.pk]}, {"id": "all", "childOf": self.t.township.pk}):
            response = self.client.get(url, data)
            self.assertContains(response, DRAFT)
            self.assertContains(response, MEMBERS_ONLY)
            self.assertNotContains(response, VILLAGE_DRAFT)


class ReportTests(BoundaryTestCase):
    def test_reports_and_the_dashboard(self):
        def urls(name, titles):
            yield reverse("wagtailadmin_home"), "get", None
            for url_name in ("site_history", "locked_pages", "aging_pages", "workflow", "workflow_tasks", "page_types_usage"):
                yield reverse(f"wagtailadmin_reports:{url_name}"), "get", None
                yield reverse(f"wagtailadmin_reports:{url_name}_results"), "get", None
                yield reverse(f"wagtailadmin_reports:{url_name}"), "get", {"export": "csv"}
            yield reverse("workflows_review_audit"), "get", None
            yield reverse("workflows_review_audit_results"), "get", None
            yield reverse("workflows_review_audit"), "get", {"export": "csv"}
            yield reverse("workflows_review_audit"), "get", {"unit": self.t.township.pk}

        self.each_outsider(urls)

    def test_catalogue_entry_snippet_views(self):
        def urls(name, titles):
            for url_name in ("list", "list_results"):
                yield reverse(f"wagtailsnippets_disclosure_pages_catalogueentry:{url_name}"), "get", None
                yield reverse(f"wagtailsnippets_disclosure_pages_catalogueentry:{url_name}"), "get", {"q": "城关镇"}
            for url_name in ("edit", "delete", "history", "usage", "inspect"):
                try:
                    yield reverse(f"wagtailsnippets_disclosure_pages_catalogueentry:{url_name}", args=[self.local_entry.pk]), "get", None
                except Exception:  # a view the viewset does not have
                    pass
            shared = self.t.entries["发展党员"]
            yield reverse("wagtailsnippets_disclosure_pages_catalogueentry:usage", args=[shared.pk]), "get", None

        self.each_outsider(urls)

    def test_the_county_office_and_superusers_see_every_unit(self):
        for name in ("county_officer", "reviewer", "admin"):
            with self.subTest(name):
                self.client.force_login(self.p[name])
                for url in (
                    reverse("wagtailadmin_reports:workflow"),
                    reverse("wagtailadmin_pages:history", args=[self.draft.pk]),
                ):
                    self.assertContains(self.client.get(url), DRAFT)
                self.assertContains(self.client.get(reverse("wagtailadmin_pages:view_draft", args=[self.village_draft.pk])),
                                    VILLAGE_DRAFT)
