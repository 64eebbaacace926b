"""The portal's subscription pages: subscribe (to a unit, a catalogue entry or an item),
confirm, manage by signed link, unsubscribe in one click.

Everything works without JavaScript. A link that was tampered with or has expired answers a
Chinese page (400), never an error; a page the reader may not read answers 404 (members-only
pages are offered to the members who may read them, signed in). Pages showing a subscriber's
data are not stored by browsers or proxies (``never_cache``) nor indexed, and name a
members-only subscription only to a reader who may read it (``messages.describe_for``).
"""

import uuid

from django.db.models import Count, Min, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from chinese.conversion import convert
from disclosure_pages.accounts import portal_for
from disclosure_pages.models import CatalogueEntry, UnitPage
from disclosure_pages.templatetags.portal_tags import in_script
from disclosure_pages.visibility import ANONYMOUS, visible_pages
from participation.choices import ContactKind

from . import links, messages, searches, subscribing
from .conf import app_settings
from .fanout import is_tied
from .forms import CodeForm, SubscribeForm
from .models import Frequency, Script, Subscriber

PENDING_CODE_SESSION_KEY = "alerts_pending_code"


def masked(kind, address):
    """An address as a page repeats it: enough to recognise, not to read off a shoulder."""
    if kind == ContactKind.MOBILE:
        return f"{address[:3]}****{address[-4:]}"
    name, _at, domain = address.partition("@")
    return f"{name[:1]}***@{domain}"


def _render(request, template, context, status=200):
    context = {"page": portal_for(request), "confirm_days": app_settings.SUNSHINE_ALERTS_CONFIRM_DAYS, **context}
    return TemplateResponse(request, f"alerts/{template}.html", context, status=status)


def bad_link(request):
    return _render(request, "bad_link", {"page_heading": _("链接无效")}, status=400)


def _target(request):
    """What ``?page=<unit or item id>`` or ``?entry=<entry key>`` names, or ``?q=…`` (a search
    page's parameters: a saved search; ``BadSearch`` if they are not valid); None for none; 404
    for anything not offered."""
    if "q" in request.GET:
        return searches.saved_search_of(request.GET, get_language())
    page_id, entry_key = request.GET.get("page", ""), request.GET.get("entry", "")
    if page_id:
        target = subscribing.target_of_page(int(page_id), request.user) if page_id.isdigit() and len(page_id) < 19 else None
    elif entry_key:
        try:
            target = subscribing.target_of_entry(uuid.UUID(entry_key))
        except ValueError:
            target = None
    else:
        return None
    if target is None:
        raise Http404
    return target


# Units a name search lists at most (the reader narrows the name for more).
UNIT_SEARCH_LIMIT = 50
UNIT_SEARCH_MAX_LENGTH = 40


def _reader_locale():
    return Locale.objects.filter(language_code=get_language()).first() or Locale.get_default()


def _with_sub_units(units, public, top=None):
    """``[(unit, public units directly below it, indent)]`` (indented from depth ``top``): one query
    per depth among ``units``, whatever their number."""
    counts = {}
    for depth in {unit.depth for unit in units}:
        end = UnitPage.steplen * depth
        parents = [unit.path for unit in units if unit.depth == depth]
        below = public.filter(depth=depth + 1).annotate(parent_path=Substr("path", 1, end)).filter(parent_path__in=parents)
        counts.update(below.order_by().values_list("parent_path").annotate(count=Count("pk")).values_list("parent_path", "count"))
    return [(unit, counts.get(unit.path, 0), unit.depth - top if top else 0) for unit in units]


def _units(request, locale):
    """The units the subscribe page lists, never every unit of a province: the top units and
    their direct sub-units (a county's townships and departments); ``?under=<unit id>``, that
    unit's sub-units (a township's villages) with the way back up; ``?name=<name>``, the units
    whose name has it (``name``: ``q`` is a saved search's query). Each with the number of its own sub-units (the link to list them).
    404 for an ``under`` that is not a public unit."""
    public = visible_pages(UnitPage.objects.filter(locale=locale), ANONYMOUS)
    query = request.GET.get("name", "").replace("\x00", "").strip()[:UNIT_SEARCH_MAX_LENGTH]  # no NUL: PostgreSQL refuses it
    under_id = request.GET.get("under", "")
    context = {"unit_query": query, "parents": [], "under": None, "unit_search_limit": UNIT_SEARCH_LIMIT}
    if query:
        # A name typed in either script finds the unit (a reader of one script may paste the other's).
        named = Q()
        for text in {query, convert(query, "s2tw"), convert(query, "t2s")}:
            named |= Q(title__icontains=text) | Q(short_name__icontains=text)
        found = list(public.filter(named).order_by("path")[:UNIT_SEARCH_LIMIT + 1])
        found, more = found[:UNIT_SEARCH_LIMIT], len(found) > UNIT_SEARCH_LIMIT
        # Villages of one name are in many townships: each found unit names the unit it is under.
        above = {unit.path: unit for unit in public.filter(path__in=[unit.path[:-UnitPage.steplen] for unit in found])}
        for unit in found:
            unit.above = above.get(unit.path[:-UnitPage.steplen])
        context.update(units=_with_sub_units(found, public), more_units=more)
        return context
    if under_id:
        under = UnitPage.objects.filter(pk=int(under_id)).first() if under_id.isdigit() and len(under_id) < 19 else None
        under = public.filter(translation_key=under.translation_key).first() if under is not None else None
        if under is None:
            raise Http404
        ancestors = public.filter(path__in=[under.path[:end] for end in range(UnitPage.steplen, len(under.path), UnitPage.steplen)])
        context.update(under=under, parents=list(ancestors.order_by("path")))
        context["units"] = _with_sub_units(list(public.filter(depth=under.depth + 1, path__startswith=under.path).order_by("path")), public)
        return context
    top = public.aggregate(top=Min("depth"))["top"]
    listed = list(public.filter(depth__in=[top, top + 1]).order_by("path")) if top else []
    # The top units' sub-units are listed under them: only those sub-units' own are counted (to link to).
    counted = {unit.pk: (count, level) for unit, count, level in _with_sub_units([unit for unit in listed if unit.depth > top], public, top)}
    context["units"] = [(unit, *counted.get(unit.pk, (0, 0))) for unit in listed]
    return context


def _choices(request):
    """What the subscribe page offers without a target: units (``_units``) and, at the top, the catalogue entries, in the reader's script."""
    locale = _reader_locale()
    context = _units(request, locale)
    if context["under"] is not None or context["unit_query"]:
        return context
    entries = CatalogueEntry.objects.filter(locale=locale).select_related("area", "area__catalogue").order_by(
        "area__catalogue__name", "area__sort_order", "sort_order", "pk"
    )
    if not entries.exists():
        entries = CatalogueEntry.objects.filter(locale=Locale.get_default()).select_related("area", "area__catalogue").order_by(
            "area__catalogue__name", "area__sort_order", "sort_order", "pk"
        )
    return {**context, "entries": entries, "show_entries": True}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    try:
        target = _target(request)
    except searches.BadSearch as error:
        errors = [in_script(message) for message in error.messages]
        return _render(request, "bad_search", {"page_heading": _("订阅检索结果"), "errors": errors}, status=400)
    context = {"page_heading": _("订阅提醒"), "target": target}
    if target is None:
        context.update(_choices(request))
        return _render(request, "subscribe", context)
    is_unit = isinstance(target, UnitPage)
    context["target_label"] = messages.describe_target(target)
    if request.method == "POST" and request.POST.get("action") == "code":
        return _confirm_code(request, context)
    form = SubscribeForm(request.POST if request.method == "POST" else None, unit=is_unit, member=request.user)
    context["member_email"] = member_email(request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            subscriber, subscription = subscribing.subscribe(
                data["kind"], data["address"], target, data["frequency"], get_language(), with_sub_units=data.get("with_sub_units", False),
                member=request.user,
            )
        except subscribing.SubscribeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            context["sent_to"] = masked(subscriber.kind, subscriber.address)
            if subscriber.kind == ContactKind.MOBILE:
                request.session[PENDING_CODE_SESSION_KEY] = {"subscriber": subscriber.pk, "subscriptions": [subscription.pk]}
                context["code_form"] = CodeForm()
                return _render(request, "code", context)
            return _render(request, "sent", context)
    context["form"] = form
    return _render(request, "subscribe", context)


def _confirm_code(request, context):
    pending = request.session.get(PENDING_CODE_SESSION_KEY)
    subscriber = None
    if pending:
        subscriber = Subscriber.objects.filter(pk=pending["subscriber"], kind=ContactKind.MOBILE).first()
    if subscriber is None:
        return bad_link(request)
    form = CodeForm(request.POST)
    context.update(code_form=form, sent_to=masked(subscriber.kind, subscriber.address))
    if not form.is_valid():
        return _render(request, "code", context)
    try:
        confirmed = subscribing.confirm_code(subscriber, form.cleaned_data["code"], pending["subscriptions"])
    except subscribing.SubscribeError as error:
        form.add_error("code", error.message)
        return _render(request, "code", context)
    del request.session[PENDING_CODE_SESSION_KEY]
    return _confirmed(request, subscriber, confirmed)


def member_email(user):
    """A signed-in member's account e-mail as the subscribe form offers it (masked), or ""."""
    if user.is_authenticated and user.is_active and user.email:
        return masked(ContactKind.EMAIL, user.email.strip().lower())
    return ""


def _confirmed(request, subscriber, subscriptions):
    return _render(request, "confirmed", {
        "page_heading": _("订阅成功"), "subscriptions": [messages.describe_for(s, request.user) for s in subscriptions],
        "manage_url": links.manage_url(subscriber),
    })


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The link asks, the button confirms: mail scanners open links (GET) to check them, and
    an address must not be subscribed by its provider's scanner."""
    try:
        subscriber, ids = links.confirmation_of(token)
    except links.BadLink:
        return bad_link(request)
    if request.method == "POST":
        return _confirmed(request, subscriber, subscribing.confirm(subscriber, ids, links.member_of_confirmation(token)))
    pending = subscriber.subscriptions.filter(pk__in=ids).select_related("unit", "entry", "item").order_by("pk")
    return _render(request, "confirm", {
        "page_heading": _("确认订阅"), "address": masked(subscriber.kind, subscriber.address),
        "subscriptions": [messages.describe_for(subscription, request.user) for subscription in pending],
    })


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    try:
        subscriber = links.subscriber_of(token, links.MANAGE)
    except links.BadLink:
        return bad_link(request)
    notice = ""
    if request.method == "POST":
        removed = {int(pk) for pk in request.POST.getlist("remove") if pk.isdigit() and len(pk) < 19}
        frequencies = {
            int(name.removeprefix("frequency-")): value
            for name, value in request.POST.items()
            if name.startswith("frequency-") and name.removeprefix("frequency-").isdigit() and len(name) < 30
        }
        subscribing.change(subscriber, frequencies, removed, request.POST.get("script", ""))
        notice = _("已保存您的订阅设置。")
    subscriptions = subscriber.subscriptions.filter(confirmed_at__isnull=False).select_related("unit", "entry", "item").order_by("pk")
    # A members-only subscription is named to its tied member (as its messages are), else to a reader signed in who may read it.
    tied = subscriber.user if subscriber.user_id and is_tied(subscriber, subscriber.user) else None
    reader = tied or request.user
    return _render(request, "manage", {
        "page_heading": _("管理订阅"), "notice": notice, "subscriber": subscriber, "tied": tied is not None,
        "address": masked(subscriber.kind, subscriber.address),
        "rows": [(subscription, messages.describe_for(subscription, reader)) for subscription in subscriptions],
        "frequencies": Frequency.choices, "scripts": Script.choices,
        "unsubscribe_url": links.unsubscribe_url(subscriber),
    })


@csrf_exempt  # RFC 8058: mail clients post the one-click unsubscribe without a page; the signed link is the proof
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        subscriber = links.subscriber_of(token, links.UNSUBSCRIBE)
    except links.BadLink:
        return bad_link(request)
    done = request.method == "POST"
    if done:
        subscribing.unsubscribe_all(subscriber)
    return _render(request, "unsubscribe", {
        "page_heading": _("退订"), "done": done, "address": masked(subscriber.kind, subscriber.address),
    })
