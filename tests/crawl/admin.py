"""The admin walk: as one role, the dashboard, every entry of the admin menu (read from the
sidebar's own props in the dashboard's HTML, not a hand list), every link and every admin URL
found in an answer (listings, their filters and sorting, one object of each kind: edit,
history, revisions, usage, workflow history, translations …), the choosers (page, document,
image, catalogue entry) with and without a search term, the reports with ``?export=csv`` and
``?export=xlsx``, and the preview of an item (the editor's form posted to the preview view,
then the preview shown) — at most ``cap`` URLs of each kind (route, page type, query names)."""

import html
import json
import re
from urllib.parse import urlencode

import lxml.html
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page

from disclosure_pages.models import DisclosureItemPage, PortalPage, PowerListPage, UnitPage

from .crawler import QUOTED_ADMIN_PATH, Crawl, html_links, json_strings, query_keys, route_name, walk_routes

# Never requested: signing out ends the walk; Wagtail's deliberate error view raises on purpose.
NOT_FOLLOWED = ("/admin/logout/", "/admin/failwhale/")
MAX_QUERY_KEYS = 2
SEARCH_TERM = "党务"
PAGE_KWARGS = ("page_id", "parent_page_id")


def sidebar_menu_urls(body):
    """The URLs of every admin menu entry (and sub-menu entry) in the sidebar's props."""
    match = re.search(r'<script[^>]*id="wagtail-sidebar-props"[^>]*>(.*?)</script>', body, re.S)
    if not match:
        return []
    urls = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("url"), str):
                urls.append(node["url"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(match.group(1)))
    return [url for url in urls if url.startswith("/admin/")]


def admin_key(detailed=False):
    """``detailed``: every set of query names is a kind of its own (sorting, paging, filters);
    otherwise only a search term and an export make another kind."""
    models = {}

    def page_model(page_id):
        if page_id not in models:
            page = Page.objects.filter(pk=page_id).select_related("content_type").first()
            models[page_id] = page.content_type.model_class().__name__ if page else "(none)"
        return models[page_id]

    def key(url):
        path = url.split("?")[0]
        name, kwargs = route_name(path)
        model = ""
        for kwarg in PAGE_KWARGS:
            if kwarg in kwargs:
                model = page_model(kwargs[kwarg])
        if not model and name.startswith("wagtailadmin_pages:") and "pk" in kwargs:
            model = page_model(kwargs["pk"])
        keys = tuple(key for key in query_keys(url) if detailed or key in ("q", "export"))
        return ("admin", name, model, keys)

    return key


def follow_admin(path):
    if path.startswith(NOT_FOLLOWED):
        return False
    if path.startswith("/api/v2/preview/"):
        return True  # the headless preview token's URL
    return path.startswith("/admin/") and len(query_keys(path)) <= MAX_QUERY_KEYS


class AdminCrawl(Crawl):
    def links(self, content_type, body):
        if "json" in content_type:
            try:
                data = json.loads(body)
            except ValueError:
                return []
            links = []
            for value in json_strings(data):
                if value.startswith("/") and not value.startswith("//") or value.startswith("http"):
                    links.append(value)
                elif "<" in value:  # a chooser's modal answers its HTML inside JSON
                    links += html_links(value) + QUOTED_ADMIN_PATH.findall(html.unescape(value))
            return links
        if content_type.startswith("text/html"):
            return html_links(body) + QUOTED_ADMIN_PATH.findall(html.unescape(body).replace("\\/", "/"))
        return super().links(content_type, body)

    def flow(self, steps, key):
        """Requests that belong together (a form posted, then its result) in one savepoint."""
        from django.db import transaction

        from .crawler import _RollBack, _body

        answers = []
        got_request_exception.connect(self.exceptions)
        try:
            with transaction.atomic():
                for url, method, data in steps:
                    self.exceptions.last = None
                    response = getattr(self.client, method)(url, data) if data is not None else getattr(self.client, method)(url)
                    body = _body(response)
                    answers.append((url, response, body))
                    self.record(url, "", key, response, body, 0.0)
                raise _RollBack
        except _RollBack:
            pass
        finally:
            got_request_exception.disconnect(self.exceptions)
        return answers


def editable(user, model, **filters):
    for page in model.objects.filter(**filters).order_by("path"):
        if page.permissions_for_user(user).can_edit():
            return page
    return None


def stream_post_data(block, state, prefix, out):
    """What Wagtail's StreamField JavaScript posts for a block's form state (``get_form_state``):
    the editor's HTML does not carry it, the browser builds it."""
    from wagtail import blocks

    if isinstance(block, blocks.StreamBlock):
        out[f"{prefix}-count"] = str(len(state))
        for index, child in enumerate(state):
            here = f"{prefix}-{index}"
            out.update({f"{here}-type": child["type"], f"{here}-id": child.get("id") or "", f"{here}-deleted": "", f"{here}-order": str(index)})
            stream_post_data(block.child_blocks[child["type"]], child["value"], f"{here}-value", out)
    elif isinstance(block, blocks.ListBlock):
        out[f"{prefix}-count"] = str(len(state))
        for index, child in enumerate(state):
            here = f"{prefix}-{index}"
            out.update({f"{here}-id": child.get("id") or "", f"{here}-deleted": "", f"{here}-order": str(index)})
            stream_post_data(block.child_block, child["value"], f"{here}-value", out)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            stream_post_data(child, (state or {}).get(name), f"{prefix}-{name}", out)
    elif isinstance(state, dict) and "id" in state:  # a chooser's state
        out[prefix] = str(state["id"])
    elif isinstance(state, (dict, list)):
        out[prefix] = json.dumps(state)
    else:
        out[prefix] = "" if state is None else str(state)


def editor_post_data(body, page):
    """The editor form's controls (what a browser would post), StreamFields included."""
    from wagtail.fields import StreamField

    data = form_data(body)
    if data is None:
        return None
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            value = getattr(page, field.name)
            stream_post_data(field.stream_block, field.stream_block.get_form_state(value), field.name, data)
    return data


def form_data(body):
    """The editor form's successful controls (what a browser would post)."""
    document = lxml.html.fromstring(body)
    form = next((f for f in document.forms if f.get("id") == "page-edit-form"), None)
    if form is None:
        form = next((f for f in document.forms if f.method.lower() == "post"), None)
    if form is None:
        return None
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, value)
    return data


def admin_seeds(c, user):
    seeds = ["/admin/"]
    for name, prefix, module in walk_routes():
        # The choosers, with and without a search term (their search views too).
        if prefix.startswith("admin/") and "<" not in prefix and ("choose" in name or "chooser" in name):
            url = "/" + prefix
            seeds += [url, url + "?" + urlencode({"q": SEARCH_TERM})]
    # One page of each type the role may edit: edit, history, revisions, usage, the draft's view.
    for model, filters in (
        (DisclosureItemPage, {"locale__language_code": "zh-hans"}),
        (DisclosureItemPage, {"locale__language_code": "zh-hant"}),
        (UnitPage, {"locale__language_code": "zh-hans"}),
        (PowerListPage, {}),
        (PortalPage, {}),
    ):
        page = editable(user, model, **filters)
        if page is None:
            continue
        for name in ("edit", "history", "revisions_index", "usage", "view_draft", "workflow_history", "copy", "move",
                     "delete", "unpublish", "add_subpage"):
            try:
                seeds.append(reverse(f"wagtailadmin_pages:{name}", args=[page.pk]))
            except NoReverseMatch:
                pass
        seeds.append(reverse("wagtailadmin_explore", args=[page.pk]))
    # The admin API's find views (the app replaces Wagtail's document and image endpoints).
    seeds += [f"/admin/api/main/documents/find/?id={c.doc.pk}", f"/admin/api/main/images/find/?id={c.image.pk}"]
    return seeds


def admin_crawl(c, role, cap=1):
    client = Client(raise_request_exception=False)
    user = c.roles[role]
    client.force_login(user)
    crawl = AdminCrawl(role, client, admin_key(detailed=role == "superuser"), follow_admin, cap=cap, check_links=False)
    dashboard = client.get("/admin/")
    menu = sidebar_menu_urls(dashboard.content.decode())
    crawl.menu = menu
    crawl.preview = None
    for url in admin_seeds(c, user) + menu:
        crawl.add(url, force=True)
    # Reports (the sidebar's 报告 entries) and their exports.
    for url in menu:
        if "/reports/" in url or "/localize/reports/" in url:
            for export in ("csv", "xlsx"):
                crawl.add(f"{url}?export={export}", force=True)
    crawl.run()
    # The preview of an item the role may edit: its editor's form posted, then the preview shown.
    item = editable(user, DisclosureItemPage, locale__language_code="zh-hans")
    if item is not None:
        edit_url = reverse("wagtailadmin_pages:edit", args=[item.pk])
        preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[item.pk])
        response, body = crawl.request(edit_url)
        data = editor_post_data(body, item.get_latest_revision_as_object()) if body and response.status_code == 200 else None
        if data is not None:
            answers = crawl.flow([(preview_url, "post", data), (preview_url, "get", None)], ("admin", "preview", "DisclosureItemPage", ("POST+GET",)))
            (_, posted, posted_body), (_, shown, _) = answers
            templates = [t.name for t in getattr(shown, "templates", []) or [] if getattr(t, "name", None)]
            crawl.preview = (posted_body, shown.status_code, templates[:1])
    crawl.run()
    return crawl
