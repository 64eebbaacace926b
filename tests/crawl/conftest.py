# The browser tests' Chromium (Debian's, through Playwright) for the crawl's axe checks.
from tests.browser.conftest import browser  # noqa: F401
