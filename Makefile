# 阳光党务 — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= cms.settings.dev
# The portal's public address (QR codes, feeds, sitemap, API, emails); migrate puts the default
# Wagtail Site in step with it. Set it yourself when the portal is reached at another address.
export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install install-test browser nginx migrate seed bench clean deploy-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test browser nginx

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	  || echo "chromium could not be installed: browser tests will be skipped"; }

# The deployment test (tests/deploy) runs Debian's nginx as the current user.
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  echo "Installing Debian's nginx for the deployment test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) \
	  || echo "nginx could not be installed: the deployment test will be skipped"; }

migrate: install
	$(PY) manage.py migrate --noinput

# Seeds the demo county once; later runs find it and leave it alone.
seed: migrate
	$(PY) manage.py seed_demo --if-empty

# The demo's Traditional-script variants (about 0.1 s a page) are
# made in the background while the server starts; publishing makes them for new items. A
# task worker applies search index updates and recovers what a dead one left (and stops with the server).
run: seed
	$(PY) manage.py sync_variants --missing-only > variants.log 2>&1 &
	$(PY) manage.py task_worker --interval 0.5 > worker.log 2>&1 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-test
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) -m pytest -n auto --dist loadscope --durations=25

# The reference deployment (deploy/) stood up on loopback with production settings — nginx with a
# self-signed certificate, gunicorn, two task workers, PostgreSQL, Redis, osmem — walked through,
# then the restore drill (tests/deploy). `make test` runs it in its PostgreSQL pass; this runs it
# alone. DATABASE_URL names the PostgreSQL server (a database <name>_deploy is made and dropped);
# DEPLOY_TEST_REDIS_URL the Redis database it empties (default redis://127.0.0.1:6379/13).
deploy-test: install-test
	DJANGO_SETTINGS_MODULE=cms.settings.test DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sunshine} \
	  $(PY) -m pytest tests/deploy -s -q

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media test-artifacts

# Imports 2,000 generated documents into a temporary SQLite database (target: 50 documents/s);
# prints a table and writes bench/results/import.json.
.PHONY: bench-import
bench-import: install
	$(PY) bench/import_bench.py

# Times the other-script variant sync of a 3,000-character item; writes bench/results/variants.json.
.PHONY: bench-variants
bench-variants: install
	$(PY) bench/variants_bench.py

# Accuracy of OpenCC alone, zhconv-rs (installed by the bench into the temporary directory) and
# the project's conversion layer on tests/chinese/conversion_set.tsv, and the time to convert
# 3,000 characters; writes bench/results/conversion.json (targets: ≥ 99.5%, ≤ 5 ms).
.PHONY: bench-conversion
bench-conversion: install
	$(PY) bench/conversion_bench.py

# Builds N items (default 10,000; N=100000 for the targets) and measures index build, query
# latency against stock Wagtail and relevance on both engines; writes bench/results/search*.json.
.PHONY: bench-search
bench-search: install-test
	N=$(or $(N),10000) $(PY) bench/search_bench.py

# Times publish / scope change / unpublish until the search shows it, through the outbox and a
# task worker; writes bench/results/search_sync.json (target: 2 s).
.PHONY: bench-search-sync
bench-search-sync: install
	$(PY) bench/search_sync_bench.py

# Seeds 100,000 items (ITEMS=10000 for a quicker run) into a temporary database, serves them with
# gunicorn and measures the headless API: latency cold and warm, load with wrk (50 connections);
# prints a table and writes bench/results/api.json.
.PHONY: bench-api
bench-api: install
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the load test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
	  || echo "wrk could not be installed: the load test will be skipped"; }
	$(PY) bench/api_bench.py

# Submissions per second through the opinion API (code step stubbed), then the public ledger
# page and figures with 100,000 opinions (OPINIONS=10000 for a quicker run), against the
# portal's item page in the same run; prints a table and writes bench/results/participation.json.
.PHONY: bench-participation
bench-participation: install
	$(PY) bench/participation.py

# The public 绩效评估 page and the admin 督办 board on 2,000 units and 100,000 items (with their
# obligations), warm and on the first request after a change, against the portal's unit page and
# the opinion ledger in the same run; `make bench-supervision ARGS="--units 200 --items 10000"`
# for a quick run. Prints a table and writes bench/results/supervision.json (target: p95 ≤ 300 ms).
.PHONY: bench-supervision
bench-supervision: install
	$(PY) bench/supervision.py $(ARGS)

# A province-sized county (10,000 units, 1,000,000 items) on PostgreSQL, served by gunicorn with
# production settings: admin screens (target p95 ≤ 500 ms), public pages and the API (≤ 100 ms),
# the build's timings and the search index rebuild. The database ($PROVINCE_DATABASE_URL, else
# $DATABASE_URL when PostgreSQL, else sunshine_province on 127.0.0.1) is kept:
# `make bench-province ARGS=--reuse` measures it again; ARGS="--units 2000 --items 100000" for a
# quicker build. Prints a table and writes bench/results/province.json.
.PHONY: bench-province
bench-province: install
	$(PY) bench/province.py $(ARGS)

# Alerts: 100,000 confirmed subscribers of one township, one item published: the fan-out
# (target 100,000 deliveries queued in ≤ 60 s), the immediate alerts of a 5,000 sample sent
# into a local aiosmtpd server (target ≥ 200 messages/s) and 2,000 daily digests. Temporary
# SQLite database; BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name> for PostgreSQL
# (that database is recreated and dropped). Prints a table and writes bench/results/alerts*.json.
.PHONY: bench-alerts
bench-alerts: install
	nice $(PY) bench/alerts_bench.py

# Soak and faults: the reference deployment (as make deploy-test stands it up) under mixed traffic
# through nginx — portal in both scripts, search, API — from 50 connections for 10 minutes while
# an officer and an approver publish every 5 s; the search engine is stopped for 60 s, a task
# worker and a gunicorn worker are killed with SIGKILL. `make bench-soak ARGS="--minutes 3
# --connections 20"` for a shorter run. DATABASE_URL names the PostgreSQL server (a database
# <name>_soak_deploy is made and dropped), SOAK_REDIS_URL the Redis database it empties (default
# redis://127.0.0.1:6379/14). Prints a table, writes bench/results/soak.json, exits 1 on a missed target.
.PHONY: bench-soak
bench-soak: install nginx
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sunshine} nice -n 19 $(PY) bench/soak.py $(ARGS)
