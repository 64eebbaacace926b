"""The crawl of issue 14: a breadth-first walk of same-site links with Django's test client.

Every answer is checked as it comes (``Crawl.check``):

- no 5xx (the exception is recorded through ``got_request_exception``);
- every absolute URL in the body (HTML, XML, JSON, text; also percent-encoded ones) and in a
  ``Location`` header that points at this site uses the public base (``CRAWL_BASE``, the
  ``PUBLIC_BASE_URL`` the crawl runs with): never ``localhost``, ``127.0.0.1``, the test
  client's ``testserver`` or port 8000;
- a Traditional answer (``/zh-hant/…`` or ``locale=zh-hant``) carries none of the known-bad
  conversions (``conversions.py``);
- a link found in an answer that leads to a 404 is a broken link.

URLs are deduplicated by *kind* (``Crawl.key``: the route, the page type and sub-route, the
names of the query parameters): beyond ``cap`` URLs of one kind, further ones are counted but
not requested, so the crawl covers every kind of page quickly on any size of county. Each
request runs in a savepoint that is rolled back, so a GET that writes (a session, a lock)
changes nothing for the next one, and PostgreSQL survives a failed query.
"""

import html
import json
import re
import sys
import time
import traceback
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import lxml.html
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.signals import got_request_exception
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import translation

from .conversions import bad_conversions

# The public address the crawl runs with (override_settings(PUBLIC_BASE_URL=...)): a host and
# a port that nothing produces by accident.
CRAWL_BASE = "http://dangwu.crawl.example:8101"
# Hosts that are this site under another name: never right in an absolute URL.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "testserver", "::1", "[::1]"}
WRONG_PORTS = {8000}

ABSOLUTE_URL = re.compile(r"""https?://[^\s"'<>\\)\]}|^`]+""", re.I)
ENCODED_ABSOLUTE_URL = re.compile(r"https?%3A%2F%2F[^\s\"'<>&]+", re.I)
QUOTED_ADMIN_PATH = re.compile(r"""(?<=["'])/admin/[^"'\s<>\\]*""")
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/rss", "application/atom",
              "application/javascript", "application/vnd.oai.openapi", "application/problem+json", "image/svg")
BASE_PARTS = urlsplit(CRAWL_BASE)


@dataclass
class Finding:
    kind: str  # 5xx, absolute-url, bad-conversion, broken-link, qr-code
    role: str
    url: str
    detail: str
    referrer: str = ""

    def line(self):
        via = f"  (linked from {self.referrer})" if self.referrer else ""
        return f"[{self.kind}] {self.role} {self.url}: {self.detail}{via}"


@dataclass
class Visit:
    role: str
    url: str
    status: int
    content_type: str
    key: tuple
    seconds: float
    template: str = ""


@dataclass
class Result:
    visits: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # kind key -> URLs not requested beyond the cap
    seconds: float = 0.0
    base_urls: int = 0  # absolute URLs at the public base seen (the check found something to check)

    def extend(self, other):
        self.base_urls += other.base_urls
        self.visits += other.visits
        self.findings += other.findings
        self.skipped.update(other.skipped)
        self.seconds += other.seconds

    def of(self, kind):
        return [finding for finding in self.findings if finding.kind == kind]

    def per_role(self):
        return Counter(visit.role for visit in self.visits)


# -- URLs ---------------------------------------------------------------------------------


def url_problem(url):
    """Why an absolute URL is wrong for this site, or None (another site's URLs are fine)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host in LOCAL_HOSTS:
        return f"host {host} (the public base is {CRAWL_BASE})"
    if port in WRONG_PORTS:
        return f"port {port} (the public base is {CRAWL_BASE})"
    if host == BASE_PARTS.hostname and (parts.scheme, port) != (BASE_PARTS.scheme, BASE_PARTS.port):
        return f"{parts.scheme}://{parts.netloc} instead of {CRAWL_BASE}"
    return None


def absolute_urls(text):
    found = set(match.group(0).rstrip(".,;:") for match in ABSOLUTE_URL.finditer(text))
    found |= {unquote(match.group(0)) for match in ENCODED_ABSOLUTE_URL.finditer(text)}
    return found


def same_site_path(url, base_url):
    """The path?query of ``url`` (relative to ``base_url``) when it is on this site, else None."""
    url = html.unescape(url.strip())
    if not url or url.startswith(("#", "mailto:", "tel:", "javascript:", "data:", "blob:")):
        return None
    full = urljoin(base_url, url)
    parts = urlsplit(full)
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    if host not in LOCAL_HOSTS and host != BASE_PARTS.hostname:
        return None
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def query_keys(url):
    return tuple(sorted({key for key, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}))


def is_traditional(url):
    parts = urlsplit(url)
    return parts.path.startswith("/zh-hant/") or ("locale", "zh-hant") in parse_qsl(parts.query)


# -- link extraction ----------------------------------------------------------------------

LINK_ATTRIBUTES = ("href", "src", "content", "poster", "data", "srcset", "data-url")


def html_links(text):
    try:
        document = lxml.html.fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return []
    links = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in LINK_ATTRIBUTES:
            value = element.get(attribute)
            if not value:
                continue
            if attribute == "srcset":
                links += [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
            elif attribute == "content":
                if value.startswith(("/", "http")):
                    links.append(value)
            else:
                links.append(value)
    return links


def html_text(text):
    """The visible text of an HTML page and its alt/title/aria-label/description texts."""
    try:
        document = lxml.html.fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return text
    for element in document.xpath("//script|//style"):
        element.drop_tree()
    parts = [document.text_content()]
    for attribute in ("alt", "title", "aria-label", "placeholder"):
        parts += document.xpath(f"//@{attribute}")
    parts += document.xpath("//meta[@name='description']/@content")
    return "\n".join(str(part) for part in parts)


def xml_links(text):
    links = re.findall(r"""(?:href|url|src)=["']([^"']+)["']""", text)
    links += re.findall(r">\s*((?:https?://|/)[^<\s]+)\s*<", text)
    return links


def json_strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_strings(value)
    elif isinstance(data, str):
        yield data


def json_links(text):
    try:
        data = json.loads(text)
    except ValueError:
        return []
    return [value for value in json_strings(data) if value.startswith(("http://", "https://", "/")) and not value.startswith("//")]


# -- the crawl ----------------------------------------------------------------------------


class _RollBack(Exception):
    pass


class _Exceptions:
    """Records the exception behind each 500 (the test client is told not to raise it)."""

    def __init__(self):
        self.last = None

    def __call__(self, sender, request=None, **kwargs):
        kind, value, tb = sys.exc_info()
        if value is not None:
            frames = traceback.extract_tb(tb)
            where = frames[-1] if frames else None
            place = f" at {where.filename.split('site-packages/')[-1]}:{where.lineno}" if where else ""
            self.last = f"{kind.__name__}: {str(value)[:300]}{place}"


class Crawl:
    """A breadth-first crawl as one client (one role).

    ``key(url)`` names the kind of a URL (for the cap); ``follow(path)`` says whether a found
    same-site URL is requested; ``isolated(path)`` marks URLs that change the client's state
    (the script switch and elder-mode cookies), requested with the client's cookies restored after.
    """

    def __init__(self, role, client, key, follow, cap=3, caps=None, isolated=lambda path: False,
                 check_links=True, max_requests=2000):
        self.role = role
        self.client = client
        self.key = key
        self.follow = follow
        self.cap = cap
        self.caps = caps or {}
        self.isolated = isolated
        self.check_links = check_links
        self.max_requests = max_requests
        self.queue = deque()
        self.seen = set()  # requested or queued
        self.capped = set()  # found, not requested (beyond the cap of its kind)
        self.statics = set()
        self.extra_checks = []  # callables (crawl, url, response, body)
        self.taken = Counter()
        self.result = Result()
        self.templates = defaultdict(set)  # template -> URLs that rendered it (top-level)
        self.exceptions = _Exceptions()

    def cap_for(self, key):
        for prefix, cap in self.caps.items():
            if key[: len(prefix)] == prefix:
                return cap
        return self.cap

    def add(self, url, referrer="", force=False):
        if url in self.seen:
            return
        key = self.key(url)
        if not force and self.taken[key] >= self.cap_for(key):
            if url not in self.capped:
                self.capped.add(url)
                self.result.skipped[key] += 1
            return
        self.seen.add(url)
        self.taken[key] += 1
        self.queue.append((url, referrer, key))

    def run(self):
        started = time.monotonic()
        got_request_exception.connect(self.exceptions)
        try:
            while self.queue and len(self.result.visits) < self.max_requests:
                url, referrer, key = self.queue.popleft()
                self.fetch(url, referrer, key)
        finally:
            got_request_exception.disconnect(self.exceptions)
        self.result.seconds += time.monotonic() - started
        return self.result

    def request(self, url, method="get", data=None):
        """One request in a savepoint rolled back; returns (response, body text or None)."""
        holder = {}
        try:
            with transaction.atomic():
                response = getattr(self.client, method)(url, data) if data is not None else getattr(self.client, method)(url)
                holder["response"] = response
                holder["body"] = _body(response)
                raise _RollBack
        except _RollBack:
            pass
        return holder["response"], holder["body"]

    def fetch(self, url, referrer, key, method="get", data=None):
        self.exceptions.last = None
        cookies = self.client.cookies
        if self.isolated(url):
            self.client.cookies = type(cookies)(cookies)  # a copy: the answer's cookies are dropped after
        started = time.monotonic()
        try:
            response, body = self.request(url, method, data)
        finally:
            self.client.cookies = cookies
        self.record(url, referrer, key, response, body, time.monotonic() - started)

    def record(self, url, referrer, key, response, body, seconds):
        """Count, check and take the links of one answer."""
        content_type = response.get("Content-Type", "")
        templates = [t.name for t in getattr(response, "templates", []) or [] if getattr(t, "name", None)]
        template = templates[0] if templates else ""
        self.result.visits.append(Visit(self.role, url, response.status_code, content_type.split(";")[0], key, seconds, template))
        if template and content_type.startswith("text/html"):
            self.templates[template].add(url)
        self.check(url, referrer, response, body)
        # Links.
        if 300 <= response.status_code < 400 and response.get("Location"):
            path = same_site_path(response["Location"], CRAWL_BASE + url)
            if path and self.follow(path):
                self.add(path, referrer=url, force=path.split("?")[0] == url.split("?")[0])
            return
        if body is None or response.status_code >= 400:
            return
        for link in self.links(content_type, body):
            path = same_site_path(link, CRAWL_BASE + url)
            if path and path.startswith(settings.STATIC_URL):
                self.check_static(path, url)
            elif path and self.follow(path):
                self.add(path, referrer=url)
                if path.startswith("/script/"):
                    # Where the 简/繁 switch leads must be there, for every page requested.
                    target = dict(parse_qsl(urlsplit(path).query)).get("next")
                    target = target and same_site_path(target, CRAWL_BASE + url)
                    if target:
                        self.add(target, referrer=f"{url} (简/繁 switch)", force=True)

    def check_static(self, path, referrer):
        """Static files are the web server's: the file must exist (the test server serves none)."""
        if path in self.statics:
            return
        self.statics.add(path)
        name = unquote(path[len(settings.STATIC_URL):].split("?")[0])
        if not finders.find(name):
            self.finding("broken-link", path, "no such static file", referrer)

    def links(self, content_type, body):
        if content_type.startswith("text/html"):
            return html_links(body)
        if "json" in content_type:
            return json_links(body)
        if "xml" in content_type:
            return xml_links(body)
        return []

    def finding(self, kind, url, detail, referrer=""):
        self.result.findings.append(Finding(kind, self.role, url, detail, referrer))

    def check(self, url, referrer, response, body):
        status = response.status_code
        if status >= 500:
            self.finding("5xx", url, f"{status} {self.exceptions.last or ''}".strip(), referrer)
        if status == 404 and referrer and self.check_links:
            self.finding("broken-link", url, "404", referrer)
        location = response.get("Location", "")
        if location.startswith(("http://", "https://")) and (problem := url_problem(location)):
            self.finding("absolute-url", url, f"Location {location}: {problem}", referrer)
        if body is None:
            return
        for absolute in sorted(absolute_urls(body)):
            if problem := url_problem(absolute):
                self.finding("absolute-url", url, f"{absolute}: {problem}")
            elif absolute.startswith(CRAWL_BASE):
                self.result.base_urls += 1
        for extra in self.extra_checks:
            extra(self, url, response, body)
        if is_traditional(url) and status < 400:
            text = html_text(body) if response.get("Content-Type", "").startswith("text/html") else body
            for bad, context, why in bad_conversions(text):
                self.finding("bad-conversion", url, f"{bad} in “{context}”: {why}")


def _body(response):
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        # The test client closes the response (with the signals that would close the test's
        # database connection held off) when its content has been read.
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if not any(content_type.startswith(prefix) for prefix in TEXT_TYPES):
        return None
    return content.decode(response.charset or "utf-8", errors="replace")


# -- keys ---------------------------------------------------------------------------------


def route_name(path):
    """(view name, kwargs) of a path; i18n routes resolve only in their own language."""
    part = path.split("/")[1] if path.count("/") > 1 else ""
    language = part if part in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return "(404)", {}
    return match.view_name or match.route, match.kwargs


class PageMap:
    """Which page (and sub-route) a portal URL path serves, from the live pages' URLs."""

    def __init__(self):
        from wagtail.contrib.routable_page.models import RoutablePageMixin
        from wagtail.models import Page

        self.pages = {}
        for page in Page.objects.live().filter(depth__gt=1).specific():
            parts = page.get_url_parts()
            if parts:
                self.pages[parts[2]] = page
        self.routable = RoutablePageMixin

    def lookup(self, path):
        """(page, sub-route name or '') for ``path``, or (None, '')."""
        candidate = path
        while candidate:
            page = self.pages.get(candidate)
            if page is not None:
                rest = path[len(candidate):]
                if not rest:
                    return page, ""
                if isinstance(page, self.routable):
                    try:
                        view, args, kwargs = page.resolve_subpage("/" + rest)
                        return page, getattr(view, "__name__", "") or "subpage"
                    except Exception:  # noqa: BLE001 - an unknown sub-route is a 404, keyed as such
                        return page, "(no route)"
                if rest == "print/" or rest.endswith("/print/"):
                    return page, "print"
                return page, f"(below) {rest.split('/')[0]}"
            candidate = candidate[: candidate.rstrip("/").rfind("/") + 1] if candidate != "/" else ""
        return None, ""


def walk_routes(patterns=None, prefix="", namespace=""):
    """(namespaced name, pattern prefix, view module) of every named route of the resolver."""
    from django.urls import get_resolver
    from django.urls.resolvers import LocalePrefixPattern

    for entry in get_resolver().url_patterns if patterns is None else patterns:
        piece = "<lang>/" if isinstance(entry.pattern, LocalePrefixPattern) else str(entry.pattern)
        if hasattr(entry, "url_patterns"):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk_routes(entry.url_patterns, prefix + piece, ns)
        elif entry.name:
            view = getattr(entry.callback, "view_class", entry.callback)
            yield f"{namespace}{entry.name}", prefix + piece, getattr(view, "__module__", "") or ""
