"""Test-wide setup: a writable place for the file SQLite DB, a throwaway MEDIA_ROOT, a clean cache."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# next to one unless told it is safe (the test thread is still one synchronous thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """CI runs the suite on SQLite and again on PostgreSQL; what no engine can change (accessibility
    of the rendered pages, the crawls' links and status codes) and the browser journeys (what the browser does; the server code under
    them runs on both engines through the test client) are checked once, in the SQLite pass, to
    keep CI inside its time."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="engine-neutral: checked in the SQLite run of the suite")
    for item in items:
        if item.get_closest_marker("engine_neutral") or item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_configure(config):
    from django.conf import settings

    # The test settings put SQLite's test database in a file (the concurrency tests need one
    # connection per thread); make sure its directory exists on a fresh checkout.
    test_name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if test_name and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        Path(test_name).parent.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded documents go to a temporary directory, never the project's media/."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """Wagtail caches site root paths, the search engine its facet columns; rolled-back tests must not see each other's."""
    from django.core.cache import cache

    from search.backends import columns

    cache.clear()
    # The database engine's facet columns catch up from the last write number they saw; a
    # transactional test's flush starts the numbers again, which no deployment does.
    columns._cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after():
    """A request to a /zh-hant/ page leaves Traditional active in the thread (LocaleMiddleware
    does not undo it): the next test must not get Traditional choice labels and messages."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _public_base_url_of_live_server(request):
    """Against a live server the portal's public address is that server's, as in production
    (PUBLIC_BASE_URL is where readers reach it): links in its answers can be followed."""
    if "live_server" not in request.fixturenames:
        yield
        return
    from django.test import override_settings

    with override_settings(PUBLIC_BASE_URL=request.getfixturevalue("live_server").url):
        yield


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the whole run: a second sync Playwright
    cannot start while one is running (the browser tests and the crawl's axe checks share it)."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update"],
        )
        yield browser
        browser.close()
