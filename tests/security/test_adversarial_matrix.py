"""Issue 13: the adversarial test matrix.

For the demo county, every route of the URL resolver (admin, public, API, documents, files,
and the page types' sub-routes) is requested as each principal that must not see township
A's secrets (county.py): anonymous; a member of township B; B's officer and approver; an
officer of a village under A, without and with ``SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES``
(a *township's* officers then manage its villages; a village's officers still see nothing of
the township's drafts or members-only items). Every answer must be below 500 and carry none
of the secrets' markers (titles, names, file bytes), nor, in JSON, their ids; a redirect is
never followed (a 302 to the login is fine), but a flash message it leaves is checked.

Routes are sampled against the secrets (one secret object per route and principal, rotating,
so that each object meets each route under some principal); ``SECURITY_MATRIX_FULL=1``
requests every object for every route and principal. A fuzz pass requests every route's
integer path parameters and the integer/date query parameters with hostile values and
requires no 5xx. All findings are collected and reported together (also written to
``test-artifacts/security-matrix-report.txt``).
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from . import matrix as m
from .county import MARKERS, WORDS, build_county

FULL = os.environ.get("SECURITY_MATRIX_FULL") == "1"
REPORTS = Path(settings.BASE_DIR) / "test-artifacts"


def write_report(title, findings, runner, extra=""):
    findings[:] = list({(f.route, f.principal, f.url, f.what): f for f in findings}.values())
    lines = [f"# {title}", f"requests: {runner.stats.requests}, seconds in views: {runner.stats.seconds:.1f}", extra]
    by_route = {}
    for finding in findings:
        by_route.setdefault(finding.route, []).append(finding)
    lines.append(f"findings: {len(findings)} on {len(by_route)} routes")
    for route, items in sorted(by_route.items()):
        lines.append(f"\n## {route} ({len(items)})")
        lines.extend("  " + finding.line() for finding in items)
    if runner.stats.answers:
        lines.append("\n## statuses per route and principal")
        for route, answers in sorted(runner.stats.answers.items()):
            lines.append(f"  {route}: " + "; ".join(f"{who} {'/'.join(map(str, sorted(codes)))}" for who, codes in answers.items()))
    if runner.stats.route_seconds:
        lines.append("\n## slowest routes (seconds in all their requests)")
        ranked = sorted(runner.stats.route_seconds.items(), key=lambda item: -item[1])[:15]
        lines.extend(f"  {seconds:.2f} s {route}" for route, seconds in ranked)
    if runner.stats.slow:
        lines.append("\n## slow requests (> 1 s)")
        lines.extend(f"  {seconds} s {url}" for seconds, url in sorted(runner.stats.slow, reverse=True)[:20])
    REPORTS.mkdir(parents=True, exist_ok=True)
    path = REPORTS / f"security-{title.split(':')[0]}-report.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "\n".join(lines)


@override_settings(DEBUG=False, SUNSHINE_API_RATE_ANON="", SUNSHINE_API_RATE_MEMBER="")
class AdversarialMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        started = time.monotonic()
        cls.c = build_county()
        cls.build_seconds = time.monotonic() - started

    def setUp(self):
        self.routes = m.all_routes()
        self.principals = m.principals(self.c)

    # -- coverage ---------------------------------------------------------------------------

    def test_every_route_is_exercised_or_excluded(self):
        """A new route fails here until the matrix can fill its parameters or EXCLUDED says why."""
        keys = {route.key for route in self.routes}
        problems = [f"stale exclusion (no such route): {key}" for key in m.EXCLUDED if key not in keys]
        bundle = m.bundles(self.c)[0]
        for route in self.routes:
            if route.key in m.EXCLUDED:
                continue
            try:
                urls = m.build_urls(route, self.c, bundle)
            except m.Unfillable as error:
                problems.append(f"not exercised: {route.label}: {error}")
                continue
            if not urls:
                problems.append(f"no URL built for {route.label}")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_positive_controls(self):
        """The secrets are reachable where they should be: otherwise the matrix would check nothing."""
        c = self.c
        member = m.Principal("member_A", c.member_a, c.tokens["member_A"])
        member.login()
        officer = m.Principal("officer_A", c.officer)
        officer.login()
        county_office = m.Principal("county_office", c.county_officer)
        county_office.login()
        runner = m.Runner(c)
        cases = [
            (member, c.members.url, MARKERS["members"]),
            (member, c.members_hant.url, MARKERS["members"]),
            (member, reverse("wagtaildocs_serve", args=(c.doc.pk, c.doc.filename)), MARKERS["doc_bytes"]),
            (member, reverse("api-disclosure-detail", kwargs={"pk": c.members.pk}), MARKERS["members"]),
            (officer, reverse("wagtailadmin_pages:edit", args=(c.draft.pk,)), MARKERS["draft"]),
            (officer, reverse("wagtailadmin_pages:edit", args=(c.pending.pk,)), MARKERS["pending"]),
            (officer, reverse("wagtaildocs_serve", args=(c.draft_doc.pk, c.draft_doc.filename)), MARKERS["draft_doc_bytes"]),
            (officer, reverse("wagtailsnippets_disclosure_pages_catalogueentry:edit", args=(c.entry.pk,)), MARKERS["entry"]),
            (member, c.image.file.url, MARKERS["image_bytes"]),
            (officer, reverse("participation_admin:opinion", args=(c.opinions["opinion_members"].pk,)), MARKERS["opinion_members"]),
            (officer, reverse("participation_admin:opinion", args=(c.opinions["opinion_contact"].pk,)), MARKERS["answer_pending"]),
            (officer, c.image.file.url, MARKERS["image_bytes"]),
            (county_office, reverse("alerts_overview"), MARKERS["alert_address"]),
        ]
        missing = []
        for principal, url, marker in cases:
            response = runner.get("control", principal, url, check=False)
            body = m.body_of(response)
            if response.status_code != 200 or marker.encode() not in body:
                missing.append(f"{principal.key} {url}: {response.status_code}, {marker} {'found' if marker.encode() in body else 'missing'}")
        # The searches find the secrets for those who may see them (the indexes hold them).
        with translation.override("zh-hans"):
            search_url = reverse("search")
        searches = [
            (member, search_url, {"q": WORDS["members"]}, MARKERS["members"]),
            (member, "/api/v2/search/", {"q": WORDS["members"]}, MARKERS["members"]),
            (member, "/api/v2/disclosures/", {"unit": c.a.pk, "limit": 100}, MARKERS["members"]),
            (officer, reverse("wagtailadmin_pages:search"), {"q": WORDS["draft"]}, MARKERS["draft"]),
            (officer, reverse("wagtailadmin_explore", args=(c.a.pk,)), {}, MARKERS["draft"]),
            (officer, reverse("wagtaildocs:index"), {"q": WORDS["doc"]}, MARKERS["doc"]),
            (officer, reverse("wagtailimages:index"), {"q": WORDS["image"]}, MARKERS["image"]),
        ]
        for principal, url, query, marker in searches:
            response = runner.get("control", principal, url, query, check=False)
            if marker.encode() not in m.body_of(response):
                missing.append(f"{principal.key} {url} {query}: {response.status_code}, {marker} not found")
        self.assertEqual(missing, [], "\n".join(missing))

    def test_the_matrix_finds_the_secrets_as_their_owners(self):
        """The same requests as A's officer and a member of A find the secrets on many routes:
        the matrix has teeth (slow: with SECURITY_MATRIX_FULL=1 only)."""
        if not FULL:
            self.skipTest("SECURITY_MATRIX_FULL=1 runs this check of the matrix itself")
        c = self.c
        owners = [m.Principal("officer_A", c.officer), m.Principal("member_A", c.member_a, c.tokens["member_A"])]
        for owner in owners:
            owner.login()
        runner = m.Runner(c)
        for route in self.routes:
            for bundle in m.bundles(c):
                try:
                    urls = m.build_urls(route, c, bundle)
                except m.Unfillable:
                    continue
                for url in urls:
                    for owner in owners:
                        runner.get(route.key, owner, url, m.route_query(route, c, bundle))
        for route_key, url, query in m.extra_requests(c):
            for owner in owners:
                runner.get(route_key, owner, url, query)
        routes = {finding.route for finding in runner.findings if "server error" not in finding.what}
        print(f"{len(routes)} routes show a secret to its owners ({runner.stats.requests} requests)")
        self.assertGreaterEqual(len(routes), 60, sorted(routes))

    # -- the matrix -------------------------------------------------------------------------

    def test_no_principal_sees_a_secret_on_any_route(self):
        c = self.c
        runner = m.Runner(c)
        bundles = m.bundles(c)
        started, cpu = time.monotonic(), time.process_time()
        exercised = 0
        for route_index, route in enumerate(self.routes):
            if route.key in m.EXCLUDED:
                continue
            exercised += 1
            needs_draft = any(p in route.params for p in ("workflow_state_id", "task_state_id", "task_id"))
            for principal_index, principal in enumerate(self.principals):
                if needs_draft:
                    chosen = [bundles[0]]
                elif FULL:
                    chosen = bundles
                else:
                    chosen = [bundles[(route_index + principal_index) % len(bundles)]]
                for bundle in chosen:
                    try:
                        urls = m.build_urls(route, c, bundle)
                    except m.Unfillable:
                        continue  # reported by the coverage test
                    query = m.route_query(route, c, bundle)
                    for url in urls:
                        response = runner.get(route.key, principal, url, query)
                        if response.status_code == 400 and query:
                            # The view refused the added query: request the route as it is too.
                            runner.get(route.key, principal, url)
        for route_key, url, query in m.extra_requests(c):
            for principal in self.principals:
                runner.get(route_key, principal, url, query)
        for url in m.image_file_urls(c):
            for principal in self.principals:
                runner.get("files (image original/rendition)", principal, url)
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        summary = (
            f"routes: {len(self.routes)} ({exercised} exercised, {len(m.EXCLUDED)} excluded), "
            f"county built in {self.build_seconds:.1f} s; principals: {len(self.principals)}, secret objects: {len(bundles)} pages + entry, 3 files; "
            f"wall time {elapsed:.1f} s, CPU {cpu:.1f} s; statuses {dict(sorted(runner.stats.statuses.items()))}"
        )
        report = write_report("matrix: the adversarial matrix", runner.findings, runner, summary)
        print(report)
        if runner.findings:
            self.fail(report)

    # -- members' subscriptions (订阅提醒) ----------------------------------------------------

    def test_subscribing_to_a_members_only_item_leaks_nothing_and_no_tie_sends_it(self):
        """The subscribe route, asked (GET) and posted for A's members-only item in both scripts by
        every principal, answers 404 and makes nothing. Each signed-in principal then subscribes to
        A itself with its account's address, confirmed by its link (tied to it): when A's
        members-only item is fanned out and sent, none of them receives it — A's member does."""
        from alerts import fanout
        from alerts.models import Subscriber, Subscription
        from participation.senders import OutboxSender
        from tests.alerts.helpers import OUTBOX_SENDERS, link_to

        c = self.c
        runner = m.Runner(c)
        addresses = {}
        for principal in [*self.principals, m.Principal("member_A", c.member_a)]:
            if principal.user is not None:
                principal.user.email = f"{principal.user.username}@matrix.example.cn"
                principal.user.save(update_fields=["email"])
                principal.login()
            address = principal.user.email if principal.user is not None else "anonymous@matrix.example.cn"
            with override_settings(SUNSHINE_ALERTS_SENDERS=OUTBOX_SENDERS, **principal.settings):
                for page in (c.members, c.members_hant) if principal.key != "member_A" else ():
                    for language in ("zh-hans", "zh-hant"):
                        url = f"/{language}/alerts/subscribe/"
                        runner.get("alerts:subscribe", principal, url, {"page": page.pk})
                        data = {"kind": "email", "address": address, "frequency": "immediate", "action": "subscribe"}
                        response = principal.client.post(f"{url}?page={page.pk}", data)
                        runner.check("alerts:subscribe (POST)", principal, f"{url}?page={page.pk}", response)
                        if response.status_code != 404:
                            runner.findings.append(m.Finding("alerts:subscribe (POST)", principal.key, url, response.status_code, "not 404"))
                if principal.user is None or principal.user.pk in addresses:
                    continue
                OutboxSender.outbox.clear()
                principal.client.post(f"/zh-hans/alerts/subscribe/?page={c.a.pk}", {
                    "kind": "email", "address": address, "frequency": "immediate", "action": "subscribe", "with_sub_units": "on",
                })
                [(_to, mail)] = OutboxSender.outbox
                principal.client.post(link_to(mail.text, "confirm"))
                addresses[principal.user.pk] = address
        self.assertFalse(Subscription.objects.filter(item__translation_key=c.members.translation_key).exists())
        self.assertEqual(Subscriber.objects.filter(address__in=addresses.values(), user__isnull=False).count(), len(addresses))
        with override_settings(SUNSHINE_ALERTS_SENDERS=OUTBOX_SENDERS):
            OutboxSender.outbox.clear()
            fanout.fan_out({c.members.translation_key})
            fanout.send_immediate()
        received = sorted(to for to, mail in OutboxSender.outbox if MARKERS["members"] in mail.subject + mail.text + mail.html)
        self.assertEqual(received, [c.member_a.email])  # the positive control: A's member, and no one else
        report = write_report("alerts: members' subscriptions", runner.findings, runner)
        if runner.findings:
            self.fail(report)

    # -- fuzzing ----------------------------------------------------------------------------

    def test_fuzzed_parameters_never_make_a_server_error(self):
        c = self.c
        runner = m.Runner(c)
        draft_bundle = m.bundles(c)[0]
        by_key = {p.key: p for p in self.principals}
        officer, anonymous = by_key["officer_B"], by_key["anonymous"]
        path_values = m.fuzz_path_ints(connection.vendor)
        unbuilt = set()  # routes whose fuzzed URL could not be built (reported, not failed)
        started, cpu = time.monotonic(), time.process_time()
        routes = [route for route in self.routes if route.key not in m.EXCLUDED]
        for index, route in enumerate(routes):
            who = [officer] if route.key.startswith("admin/") else [anonymous, officer]
            # Integer path parameters, one at a time, the others filled.
            for param in m.int_params(route):
                for value in path_values:
                    url = self._fuzzed_url(route, draft_bundle, param, value)
                    if url is None:
                        unbuilt.add(route.key)
                    if url:
                        for principal in who:
                            runner.get(route.key, principal, url, check=False)
            try:
                urls = m.build_urls(route, c, draft_bundle)
            except m.Unfillable:
                continue
            if not urls:
                continue
            # Every integer/date query parameter at once, with two of the values (rotating over routes).
            # A server error is then narrowed down to the parameters that cause it.
            for value in (m.FUZZ_VALUES[index % len(m.FUZZ_VALUES)], m.FUZZ_VALUES[(index + 5) % len(m.FUZZ_VALUES)]):
                query = {name: value for name in m.FUZZ_QUERY_PARAMS}
                probe = m.Runner(c)
                if probe.get(route.key, who[-1], urls[0], query, check=False).status_code < 500:
                    runner.stats.requests += 1
                    continue
                culprits = 0
                for name in m.FUZZ_QUERY_PARAMS:
                    culprits += runner.get(route.key, who[-1], urls[0], {name: value}, check=False).status_code >= 500
                if not culprits:  # only the combination fails: report it as it is
                    runner.findings.extend(probe.findings)
            # The parameters the route's view reads, each with every value.
            for name in m.FUZZ_QUERY_FOCUS.get(route.key, ()):
                for value in m.fuzz_values_for(name):
                    runner.get(route.key, officer, urls[0], {name: value}, check=False)
        # Documents: the id of the serve URL.
        for value in path_values:
            runner.get("documents/^(\\d+)/(.*)$", anonymous, f"/documents/{value}/mx-att-members.txt", check=False)
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        report = write_report("fuzz: the fuzz pass", runner.findings, runner, f"wall time {elapsed:.1f} s, CPU {cpu:.1f} s; path fuzz not built for: {sorted(unbuilt) or 'none'}")
        print(report)
        if runner.findings:
            self.fail(report)

    def _fuzzed_url(self, route, bundle, param, value):
        c = self.c
        if route.name is None:
            return None
        try:
            if route.routable:
                kwargs = {p: (value if p == param else m.fill(route, p, c, bundle)) for p in route.params}
                page = m.routable_page(c, route.routable[0])[0]
                return page.url + page.specific.reverse_subpage(route.routable[1], kwargs=kwargs)
            kwargs = {p: (value if p == param else m.fill(route, p, c, bundle)) for p in route.params}
            if route.i18n:
                with translation.override("zh-hans"):
                    return reverse(route.name, kwargs=kwargs)
            return reverse(route.name, kwargs=kwargs)
        except (m.Unfillable, Exception):
            return None
