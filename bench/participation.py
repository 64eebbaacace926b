"""Benchmark of the opinion ledger: submissions per second through the API, and the public
ledger page and figures with 100,000 opinions, against the portal's own pages in the same run.

Run with ``make bench-participation`` (``OPINIONS=10000 make bench-participation`` for a
quicker run; ``BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432`` — or a PostgreSQL
``DATABASE_URL``, whose server is used — for PostgreSQL, in a database of its own that it
drops afterwards, results in bench/results/participation-postgres.json). It migrates a
temporary database, seeds the demo county (``seed_demo``: 12 townships of 17 villages, 22
departments), and measures in-process through Django's test client — the whole request
path (middleware, URL routing, DRF, the views), without a network or a server's workers:

1. **Submissions per second**, ``POST /api/v2/opinions/submissions/``, each from another
   resident (contact and address), on items open for comment and to units' boxes, in turns
   with the figures below. The code step is stubbed: the one-time code of each resident is
   stored beforehand as ``intake.request_code`` stores it (digests of the contact, the
   address and the code), so the submission still checks and spends a real code (the
   ``check_code`` row lock and update, the hourly limits' counts) and only the sending of a
   message is left out. The code and the submission together (``POST …/codes/`` with the
   sender set to the test outbox, the code read back from it, then the submission) are
   measured too. Baseline: the same rows written straight through the ORM (an opinion and its
   event, no HTTP, no checks): the floor under any way in. Measured on the empty ledger and
   again with the 100,000 opinions in it (the hourly limits count among them), each round
   after a few submissions not counted (the first requests of a process warm it up).
2. **The ledger with 100,000 opinions** bulk-created across the county (states, channels,
   moderation, answers, ratings, send-backs and the steps of each, in proportions like a
   county's ledger: mostly closed, some in progress, a few not feasible, hidden or
   members-only), p50/p95 of ``/zh-hans/opinions/`` (county-wide and ``?unit=<township>``) and
   ``GET /api/v2/opinions/figures/`` (the same), each URL the first time and again. Baseline:
   the portal's plain item page and the API's list of a township's items on the same
   database. A route not yet built (``participation:ledger``, ``api-opinion-figures``) is
   reported as not measured.

Targets: ≥ 50 submissions/s; ledger and figures p95 ≤ 100 ms. Timings are wall-clock with
DEBUG off; the machine has two cores shared with other work (the load average is recorded),
so run it more than once. Prints a table, writes bench/results/participation.json and exits
with status 1 when a target is missed or could not be measured.
"""

import argparse
import io
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from api_bench import drop_postgres_database, fresh_postgres_database  # bench/ is the script's folder

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "participation.json"
TARGET_SUBMISSIONS_PER_SECOND = 50
TARGET_P95_MS = 100
BATCH = 5000
BODIES = [
    "建议村务公开栏每月更新一次，把集体收支明细贴出来。",
    "希望把党费收缴使用情况按季度公开，写明支出用途。",
    "集贸市场改造期间，请安排临时摊位，方便老人买菜。",
    "村道路灯坏了三个月还没修，晚上出行不安全。",
    "建议发展党员公示时写清楚培养考察的时间和经过。",
    "希望主题党日活动安排在周末，外出务工党员也能参加。",
    "低保评定结果请在公开栏公示并写明标准。",
    "建議把村集體經濟項目的收益分配方案提前公開徵求意見。",
]
ANSWERS = [
    "感谢您的建议。经研究，已于本月起按您的建议执行，并在公开栏公布。",
    "您反映的问题已交村委会办理，已完成维修，请继续监督。",
    "经核实，该事项已在镇政务公开栏公示，我们将同步在网站公开。",
]
REASONS = ["该项目需纳入明年预算统筹安排，目前暂不具备实施条件，我们将持续跟进。", "经集体研究，该建议与现行规定不符，暂不采纳，具体依据已向您说明。"]


def percentiles(samples):
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


# -- the database -----------------------------------------------------------------------------


def postgres_server(options):
    if options.postgres:
        return options.postgres.rstrip("/")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0]
    return None


def setup_django(database_url, media_root):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev", DEBUG="0", DATABASE_URL=database_url, MEDIA_ROOT=str(media_root),
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    # One client here stands for many people: the API's per-client rates would stop it.
    settings.SUNSHINE_API_RATE_ANON = settings.SUNSHINE_API_RATE_MEMBER = settings.SUNSHINE_OPINION_API_RATE = ""
    # Codes go to the test outbox, where the code-and-submission round reads them back.
    settings.SUNSHINE_PARTICIPATION_SENDERS = {
        kind: {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {}} for kind in ("email", "mobile")
    }


def seed_county():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", townships=12, villages_per_township=17, skip_index=True, no_files=True, quiet=True, stdout=io.StringIO())
    return time.perf_counter() - started


def county():
    """The default-locale units and items the opinions go to, and the items open for comment."""
    from wagtail.models import Locale

    from disclosure_pages.choices import UnitType
    from disclosure_pages.models import DisclosureItemPage, UnitPage
    from participation.intake import opening_of
    from participation.models import OpinionCatalogueEntry
    from participation.receivers import item_is_public
    from disclosure_pages.changes import states_of

    default = Locale.get_default()
    units = list(UnitPage.objects.live().filter(locale=default).order_by("path"))
    items = list(DisclosureItemPage.objects.live().filter(locale=default).select_related("unit").order_by("pk"))
    states = states_of(items)
    public = {item.pk: item_is_public(states[item.pk]) for item in items}
    if not any(public[item.pk] and opening_of(item).open for item in items):
        # The county opens the entries of a few public items for opinions (意见征集), as its office would.
        entries = sorted({item.catalogue_entry_id for item in items if public[item.pk] and item.catalogue_entry_id})[:8]
        OpinionCatalogueEntry.objects.bulk_create([OpinionCatalogueEntry(entry_id=entry, open_days=3650) for entry in entries])
    open_items = [item for item in items if public[item.pk] and opening_of(item).open]
    townships = [unit for unit in units if unit.unit_type == UnitType.TOWNSHIP]
    return units, items, public, open_items, townships


# -- 1. submissions -------------------------------------------------------------------------


def provision_codes(residents):
    """Each resident's one-time code, stored as ``intake.request_code`` stores it (the sending left out)."""
    from django.utils import timezone

    from participation.intake import address_hash
    from participation.models import VerificationCode, hash_secret

    now = timezone.now()
    VerificationCode.objects.bulk_create([
        VerificationCode(
            contact_hash=hash_secret(contact), address_hash=address_hash(address), code_hash=hash_secret(f"{contact}:{code}"),
            created_at=now, expires_at=now + timedelta(minutes=10),
        )
        for contact, address, code in residents
    ])


def residents(count, round_name):
    """``count`` residents, each with a contact, an address and a code of their own."""
    prefix = {"empty": 1, "empty-codes": 2, "full": 3, "full-codes": 4, "empty-warm-up": 5, "full-warm-up": 6}[round_name]
    return [(f"13{prefix}{index:08d}", f"10.{prefix}.{index // 250}.{index % 250}", f"{index % 1_000_000:06d}") for index in range(count)]


def targets_of(count, open_items, townships, rng):
    return [{"item": rng.choice(open_items).pk} if open_items and rng.random() < 0.6 else {"unit": rng.choice(townships).pk}
            for _ in range(count)]


def submit_with_provisioned_codes(client, people, targets):
    """Submissions/s with each resident's code stored beforehand; the opinions made."""
    provision_codes(people)
    timings, errors = [], []
    started = time.perf_counter()
    for (contact, address, code), target in zip(people, targets):
        began = time.perf_counter()
        response = client.post(
            "/api/v2/opinions/submissions/",
            json.dumps({**target, "body": random.choice(BODIES), "contact_kind": "mobile", "contact": contact, "code": code},
                       ensure_ascii=False),
            content_type="application/json", REMOTE_ADDR=address,
        )
        timings.append((time.perf_counter() - began) * 1000)
        if response.status_code != 201:
            errors.append(response.content.decode()[:200])
    elapsed = time.perf_counter() - started
    return {"per_second": round(len(people) / elapsed, 1), **percentiles(timings), "errors": len(errors), "first_error": errors[:1]}


def submit_with_code_request(client, people, targets):
    """The code (sent to the test outbox, read back) and the submission, per second."""
    from participation.senders import OutboxSender

    timings, errors = [], []
    started = time.perf_counter()
    for (contact, address, _), target in zip(people, targets):
        began = time.perf_counter()
        OutboxSender.outbox.clear()
        sent = client.post("/api/v2/opinions/codes/", json.dumps({"contact_kind": "mobile", "contact": contact}),
                           content_type="application/json", REMOTE_ADDR=address)
        code = OutboxSender.outbox[-1][1].params["code"] if sent.status_code == 202 and OutboxSender.outbox else ""
        response = client.post(
            "/api/v2/opinions/submissions/",
            json.dumps({**target, "body": random.choice(BODIES), "contact_kind": "mobile", "contact": contact, "code": code},
                       ensure_ascii=False),
            content_type="application/json", REMOTE_ADDR=address,
        )
        timings.append((time.perf_counter() - began) * 1000)
        if response.status_code != 201:
            errors.append(f"{sent.status_code} {response.content.decode()[:200]}")
    elapsed = time.perf_counter() - started
    return {"per_second": round(len(people) / elapsed, 1), **percentiles(timings), "errors": len(errors), "first_error": errors[:1]}


def direct_orm_writes(count, open_items, townships, rng):
    """Baseline: the same opinion and its event saved straight through the ORM (no HTTP, no checks)."""
    from django.db import transaction

    from participation.choices import EventKind
    from participation.models import Opinion, OpinionEvent, hash_secret, new_tracking_code

    started = time.perf_counter()
    for index in range(count):
        target = targets_of(1, open_items, townships, rng)[0]
        item = next((i for i in open_items if i.pk == target.get("item")), None)
        unit = item.unit if item else next(u for u in townships if u.pk == target["unit"])
        opinion = Opinion(received_by=unit, unit=unit, item=item, body=rng.choice(BODIES), contact_kind="mobile",
                          contact=f"135{index:08d}", tracking_code_hash=hash_secret(new_tracking_code()))
        with transaction.atomic():
            opinion.save()
            OpinionEvent.objects.create(opinion=opinion, kind=EventKind.RECEIVED, note="网站")
    return {"per_second": round(count / (time.perf_counter() - started), 1)}


def measure_submissions(client, count, round_name, open_items, townships, rng):
    # Not counted: the first requests of a process load what every later one finds ready
    # (URL resolvers, catalogues, the database's pages).
    warm_up = max(10, count // 20)
    submit_with_provisioned_codes(client, residents(warm_up, f"{round_name}-warm-up"), targets_of(warm_up, open_items, townships, rng))
    direct_orm_writes(warm_up, open_items, townships, rng)
    return {
        "code_stored_beforehand": submit_with_provisioned_codes(
            client, residents(count, round_name), targets_of(count, open_items, townships, rng)),
        "code_requested_and_read_from_outbox": submit_with_code_request(
            client, residents(count // 2, f"{round_name}-codes"), targets_of(count // 2, open_items, townships, rng)),
        "baseline_direct_orm": direct_orm_writes(count, open_items, townships, rng),
    }


# -- 2. the ledger ----------------------------------------------------------------------------

STATE_WEIGHTS = {  # like a district's ledger: 438 demands, 281 closed, 142 in progress, 15 not feasible
    "received": 3, "assigned": 6, "in_progress": 20, "answered": 8, "closed": 56, "not_adopted": 3, "not_feasible": 4,
}
CHANNEL_WEIGHTS = {"web": 52, "app": 10, "hearing": 11, "meeting": 9, "box": 8, "visit": 6, "hotline": 4}
MODERATION_WEIGHTS = {"published": 82, "pending": 5, "hidden": 9, "merged": 4}


def bulk_opinions(count, units, items, public, rng):
    """``count`` opinions across the county with their answers and steps, written in batches.

    Straight ``bulk_create``: the rows are what intake and handling leave behind (numbers of
    digits like theirs, tracking-code digests, the steps of each state), made without going
    through them one by one (which is what section 1 measures).
    """
    from django.db import transaction
    from django.utils import timezone

    from participation.choices import STATE_AFTER_ANSWER, AnswerStatus, EventKind, HiddenReason, Outcome, Satisfaction, State
    from participation.models import Answer, Opinion, OpinionEvent, hash_secret

    def pick(weights):
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    outcomes_for = {state: [o for o, s in STATE_AFTER_ANSWER.items() if s == state] for state in State.answered()}
    outcomes_for[State.CLOSED] = outcomes_for[State.ANSWERED]
    parents = {unit.path: unit for unit in units}
    items_by_unit = {}
    for item in items:
        items_by_unit.setdefault(item.unit_id, []).append(item)
    now = timezone.now()
    today = timezone.localdate()
    started = time.perf_counter()
    written = 0
    while written < count:
        size = min(BATCH, count - written)
        opinions, plans = [], []
        for index in range(written, written + size):
            unit = rng.choice(units)
            candidates = items_by_unit.get(unit.pk)
            item = rng.choice(candidates) if candidates and rng.random() < 0.45 else None
            members_only = item is not None and not public[item.pk]
            if item is None and rng.random() < 0.02:
                members_only = True  # taken at a members' meeting
            state = pick(STATE_WEIGHTS)
            moderation = pick(MODERATION_WEIGHTS)
            created = now - timedelta(days=rng.uniform(0, 730))
            channel = pick(CHANNEL_WEIGHTS)
            parent = parents.get(unit.path[: -unit.steplen])
            transferred = parent is not None and rng.random() < 0.03
            answered_at = created + timedelta(days=rng.uniform(1, 25)) if state in State.answered() else None
            closed_at = answered_at + timedelta(days=rng.uniform(0, 5)) if answered_at and state in State.ended() else None
            deadline = (created + timedelta(days=14)).date() if state != State.RECEIVED else None
            rated = answered_at is not None and rng.random() < 0.6
            satisfaction = rng.choices(list(Satisfaction.values), weights=[70, 22, 8])[0] if rated else ""
            sent_back = satisfaction == Satisfaction.UNSATISFIED and rng.random() < 0.3 and state == State.ANSWERED
            opinions.append(Opinion(
                number=f"{created.year}9{index:07d}",  # 12 digits: never one of intake's (year + 7 digits)
                tracking_code_hash=hash_secret(f"bench-opinion-{index}"),
                received_by=parent if transferred else unit, unit=unit, item=item, channel=channel,
                received_on=created.date(), place="镇便民服务中心" if channel in ("hearing", "meeting") else "",
                subject="", body=rng.choice(BODIES), script="zh-hant" if rng.random() < 0.1 else "zh-hans",
                author_name="张某" if rng.random() < 0.5 else "", contact_kind="mobile", contact=f"138{index:08d}",
                members_only=members_only, item_public=item is None or public[item.pk],
                moderation=moderation, hidden_reason=rng.choice(HiddenReason.values) if moderation == "hidden" else "",
                state=state, deadline=deadline, important=rng.random() < 0.05, satisfaction=satisfaction,
                returned_count=1 if sent_back else 0, created_at=created, answered_at=answered_at, closed_at=closed_at,
            ))
            plans.append((state, created, answered_at, closed_at, satisfaction, sent_back, transferred, parent, deadline))
        with transaction.atomic():
            Opinion.objects.bulk_create(opinions, batch_size=1000)
            numbers = [opinion.number for opinion in opinions]
            ids = dict(Opinion.objects.filter(number__in=numbers).values_list("number", "pk"))
            answers, events = [], []
            for opinion, (state, created, answered_at, closed_at, satisfaction, sent_back, transferred, parent, deadline) in zip(opinions, plans):
                pk = ids[opinion.number]
                steps = [(EventKind.RECEIVED, created, opinion.get_channel_display())]
                if transferred:
                    steps.append((EventKind.TRANSFERRED, created + timedelta(hours=2), "属下级单位职责，转办"))
                if state != State.RECEIVED:
                    steps.append((EventKind.ASSIGNED, created + timedelta(hours=5), f"期限 10 个工作日（{deadline:%Y-%m-%d}）"))
                if state not in (State.RECEIVED, State.ASSIGNED):
                    steps.append((EventKind.STARTED, created + timedelta(days=1), ""))
                if answered_at:
                    outcome = rng.choice(outcomes_for[state])
                    body = rng.choice(REASONS) if outcome in (Outcome.NOT_ADOPTED, Outcome.NOT_FEASIBLE) else rng.choice(ANSWERS)
                    answers.append(Answer(opinion_id=pk, body=body, outcome=outcome, status=AnswerStatus.APPROVED,
                                          submitted_at=answered_at - timedelta(hours=6), decided_at=answered_at))
                    steps.append((EventKind.ANSWER_SUBMITTED, answered_at - timedelta(hours=6), Outcome(outcome).label))
                    steps.append((EventKind.ANSWERED, answered_at, Outcome(outcome).label))
                if closed_at and state == State.CLOSED:
                    steps.append((EventKind.CLOSED, closed_at, ""))
                if satisfaction:
                    steps.append((EventKind.RATED, (closed_at or answered_at) + timedelta(days=1), Satisfaction(satisfaction).label))
                if sent_back:
                    steps.append((EventKind.SENT_BACK, (closed_at or answered_at) + timedelta(days=2), "答复没有说明何时办理。"))
                events.extend(OpinionEvent(opinion_id=pk, kind=kind, at=at, note=note,
                                           to_unit=opinion.unit if kind in (EventKind.ASSIGNED, EventKind.TRANSFERRED) else None,
                                           from_unit=parent if kind == EventKind.TRANSFERRED else None)
                              for kind, at, note in steps)
            Answer.objects.bulk_create(answers, batch_size=1000)
            OpinionEvent.objects.bulk_create(events, batch_size=2000)
        written += size
        print(f"  {written:,} opinions", flush=True)
    return time.perf_counter() - started, today


def ledger_urls(townships, items, public):
    """{name: [urls]} for the ledger routes that exist, the baselines, and the routes missing."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    with translation.override("zh-hans"):
        measured, missing = {}, []
        try:
            page = reverse("participation:ledger")
            measured["ledger_page"] = [page] + [f"{page}?unit={unit.pk}" for unit in townships]
        except NoReverseMatch:
            missing.append("ledger_page (participation:ledger)")
        try:
            figures = reverse("api-opinion-figures")
            measured["figures_api"] = [figures] + [f"{figures}?unit={unit.pk}" for unit in townships]
        except NoReverseMatch:
            missing.append("figures_api (api-opinion-figures)")
    baselines = {
        "baseline_item_page": [item.url for item in items if public[item.pk]][: len(townships) + 1],
        "baseline_api_item_list": ["/api/v2/disclosures/"] + [f"/api/v2/disclosures/?unit={unit.pk}" for unit in townships],
    }
    return measured, baselines, missing


def measure_pages(client, urls, rounds):
    """Each URL the first time (nothing cached), then ``rounds`` more times in turn; p50/p95 of each pass."""
    def one(url):
        began = time.perf_counter()
        response = client.get(url)
        return (time.perf_counter() - began) * 1000, response.status_code

    first = [one(url) for url in urls]
    again = [one(url) for _ in range(rounds) for url in urls]
    errors = sum(status != 200 for _, status in first + again)
    return {
        "urls": len(urls),
        "first": percentiles([ms for ms, _ in first]),
        "again": percentiles([ms for ms, _ in again]),
        "all": percentiles([ms for ms, _ in first + again]),
        "errors": errors,
    }


# -- the run ----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opinions", type=int, default=int(os.environ.get("OPINIONS", 100_000)))
    parser.add_argument("--submissions", type=int, default=int(os.environ.get("SUBMISSIONS", 400)),
                        help="submissions per round (the code-and-submission round takes half as many)")
    parser.add_argument("--rounds", type=int, default=8, help="passes over the ledger URLs after the first")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES"),
                        help="a PostgreSQL server URL (postgres://user@host:port): the bench creates and drops its own database there")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="participation-bench-"))
    server = postgres_server(options)
    database = fresh_postgres_database(server) if server else None
    setup_django(database or f"sqlite:///{work / 'bench.sqlite3'}", work / "media")
    try:
        results = run(options)
    finally:
        from django.db import connections

        connections.close_all()
        if database:
            drop_postgres_database(database)
    results.update({
        "database": "PostgreSQL" if database else "SQLite (file, WAL)",
        "measured_through": "Django's test client, in-process (middleware, routing, DRF, views; no network)",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    })
    results_file = RESULTS.with_name("participation-postgres.json") if database else RESULTS
    results_file.parent.mkdir(parents=True, exist_ok=True)
    results_file.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    report(results)
    return 0 if results["targets"] and all(results["targets"].values()) else 1


def run(options):
    from django.test import Client

    from participation.models import Opinion

    rng = random.Random(17)
    print("Seeding the demo county …", flush=True)
    seed_seconds = seed_county()
    units, items, public, open_items, townships = county()
    client = Client()
    load_before = os.getloadavg()[0]
    print(f"Submissions on the empty ledger ({options.submissions} …)", flush=True)
    submissions = {"empty_ledger": measure_submissions(client, options.submissions, "empty", open_items, townships, rng)}

    print(f"Writing {options.opinions:,} opinions …", flush=True)
    bulk_seconds, _ = bulk_opinions(options.opinions, units, items, public, rng)
    print(f"Submissions with {Opinion.objects.count():,} opinions in the ledger …", flush=True)
    submissions["full_ledger"] = measure_submissions(client, options.submissions, "full", open_items, townships, rng)

    print("Ledger pages and figures …", flush=True)
    measured, baselines, missing = ledger_urls(townships, items, public)
    pages = {name: measure_pages(client, urls, options.rounds) for name, urls in {**measured, **baselines}.items()}
    slowest_rate = min(submissions[ledger]["code_stored_beforehand"]["per_second"] for ledger in submissions)
    targets = {f"submissions/s >= {TARGET_SUBMISSIONS_PER_SECOND} (code stored beforehand, empty and full ledger)":
               slowest_rate >= TARGET_SUBMISSIONS_PER_SECOND,
               "no failed submissions": all(s[k]["errors"] == 0 for s in submissions.values() for k in s if k != "baseline_direct_orm")}
    for name in ("ledger_page", "figures_api"):
        label = f"{name} p95 <= {TARGET_P95_MS} ms (first and again)"
        targets[label] = name in pages and pages[name]["all"]["p95_ms"] <= TARGET_P95_MS and pages[name]["errors"] == 0
    return {
        "opinions": Opinion.objects.count(),
        "units": len(units),
        "items_open_for_comment": len(open_items),
        "seed_seconds": round(seed_seconds, 1),
        "bulk_seconds": round(bulk_seconds, 1),
        "submissions": submissions,
        "pages": pages,
        "not_measured": missing,
        "targets": targets,
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
    }


def report(results):
    print(f"\nOpinion ledger, {results['opinions']:,} opinions, {results['units']} units ({results['database']}); "
          f"load {results['load_average_1min']['before']} → {results['load_average_1min']['after']}")
    print(f"{'submissions':<46}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for ledger, rounds in results["submissions"].items():
        for name, row in rounds.items():
            print(f"{ledger + ' · ' + name:<46}{row['per_second']:>8}{row.get('p50_ms', ''):>9}{row.get('p95_ms', ''):>9}"
                  f"{row.get('errors', ''):>8}")
    print(f"\n{'page':<26}{'urls':>5}{'first p50':>11}{'first p95':>11}{'again p50':>11}{'again p95':>11}{'all p95':>9}{'errors':>8}")
    for name, row in results["pages"].items():
        print(f"{name:<26}{row['urls']:>5}{row['first']['p50_ms']:>11}{row['first']['p95_ms']:>11}{row['again']['p50_ms']:>11}"
              f"{row['again']['p95_ms']:>11}{row['all']['p95_ms']:>9}{row['errors']:>8}")
    for name in results["not_measured"]:
        print(f"{name:<26} not built yet: not measured")
    for target, met in results["targets"].items():
        print(f"  {'✓' if met else '✗'} {target}")


if __name__ == "__main__":
    sys.exit(main())
