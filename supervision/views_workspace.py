"""我的监督: the supervisors' (监督员) workspace on the portal.

The list of the units the user supervises, and one unit's page: its items in every scope the
supervisor may read (``visibility.visible_pages``, never widened), its obligations, its
inspection notes with the forms to file one, accept an answer (销号) or send it back (退回重办).
A unit the user does not supervise answers 404, exactly like a unit that does not exist.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from disclosure_pages.accounts import portal_for
from disclosure_pages.models import DisclosureItemPage, UnitPage

from . import access, inspections
from .choices import InspectionState, ObligationStatus
from .forms_workspace import InspectionForm, ReturnForm
from .models import Inspection, Obligation

ITEMS_PER_PAGE = 30


def _sign_in(request):
    return redirect_to_login(request.get_full_path(), settings.WAGTAIL_FRONTEND_LOGIN_URL)


@never_cache
@require_http_methods(["GET", "HEAD"])
def workspace(request):
    """我的监督: the units the user supervises, with what waits on each."""
    if not request.user.is_authenticated:
        return _sign_in(request)
    context = {"page": portal_for(request), "page_heading": _("我的监督")}
    units = list(access.supervised_units(request.user))
    if not units:
        return TemplateResponse(request, "supervision/workspace/not_supervisor.html", context, status=403)
    notes = Inspection.objects.filter(unit__in=units).values("unit").annotate(
        open=Count("pk", filter=Q(state__in=inspections.OPEN_STATES)),
        answered=Count("pk", filter=Q(state=InspectionState.ANSWERED)),
    )
    counts = {row["unit"]: row for row in notes}
    missing = dict(
        Obligation.objects.filter(unit__in=units, status=ObligationStatus.MISSING).values("unit").annotate(n=Count("pk")).values_list("unit", "n")
    )
    context["units"] = [
        {
            "unit": in_reader_script(unit),
            "pk": unit.pk,
            "open": counts.get(unit.pk, {}).get("open", 0),
            "answered": counts.get(unit.pk, {}).get("answered", 0),
            "missing": missing.get(unit.pk, 0),
        }
        for unit in units
    ]
    return TemplateResponse(request, "supervision/workspace/index.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def workspace_unit(request, unit_id):
    """One supervised unit: items, obligations, notes, and the supervisor's steps on them."""
    if not request.user.is_authenticated:
        return _sign_in(request)
    unit = supervised_unit(request.user, unit_id)
    items = inspections.visible_items(unit, request.user).order_by("-first_published_at", "-pk")
    obligations = inspections.unit_obligations(unit)
    file_form = InspectionForm(
        items=items.only("pk", "title"), obligations=[*obligations["late"], *obligations["this_month"], *obligations["next_month"]]
    )
    return_forms = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "file":
            file_form = InspectionForm(request.POST, items=file_form.items.values(), obligations=file_form.obligations.values())
            if file_form.is_valid():
                data = file_form.cleaned_data
                try:
                    note = inspections.file(unit, request.user, data["subject"], data["body"], item=data["item"], obligation=data["obligation"])
                except inspections.InspectionError as refusal:
                    file_form.add_error(None, refusal.message)
                else:
                    messages.success(request, _("督查意见已提出，编号 %(number)s，答复期限 %(deadline)s。") % {
                        "number": note.number, "deadline": f"{note.deadline:%Y-%m-%d}"})
                    return redirect("supervision:workspace_unit", unit_id)
        elif action in ("close", "return"):
            note = Inspection.objects.filter(pk=_int(request.POST.get("inspection")), unit=unit).first()
            if note is None:
                messages.error(request, _("没有这条督查意见。"))
                return redirect("supervision:workspace_unit", unit_id)
            form = ReturnForm(request.POST, prefix=f"return-{note.pk}") if action == "return" else None
            if form is None or form.is_valid():
                try:
                    if action == "close":
                        inspections.close(note, request.user)
                        messages.success(request, _("督查意见 %(number)s 已销号。") % {"number": note.number})
                    else:
                        inspections.send_back(note, request.user, form.cleaned_data["reason"])
                        messages.success(request, _("督查意见 %(number)s 已退回重办。") % {"number": note.number})
                    return redirect("supervision:workspace_unit", unit_id)
                except inspections.InspectionError as refusal:
                    messages.error(request, refusal.message)
                    return redirect("supervision:workspace_unit", unit_id)
            return_forms[note.pk] = form
        else:
            messages.error(request, _("未知的操作。"))
            return redirect("supervision:workspace_unit", unit_id)
    notes = list(
        inspections.with_overdue_first(Inspection.objects.filter(unit=unit), first=(InspectionState.ANSWERED,))
        .select_related("item", "filed_by", "answered_by").prefetch_related("steps__by")
    )
    for note in notes:
        note.return_form = return_forms.get(note.pk) or ReturnForm(prefix=f"return-{note.pk}")
        note.item_shown = visible_item(note.item, request.user)
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("p"))
    shown_unit = in_reader_script(unit)
    context = {
        "page": portal_for(request),
        "page_heading": shown_unit.display_name,
        "unit": shown_unit,
        "items_page": page,
        "items": in_reader_script_all(page.object_list),
        "obligations": obligations,
        "notes": notes,
        "file_form": file_form,
        "file_failed": request.method == "POST" and request.POST.get("action") == "file",
        "answer_days": inspections.answer_days(unit),
        "ledger_url": ledger_url(unit),
    }
    return TemplateResponse(request, "supervision/workspace/unit.html", context, status=200 if not file_form.errors else 400)


def supervised_unit(user, unit_id):
    """The default-locale unit of ``unit_id`` (either script) if ``user`` supervises it, else 404."""
    unit = UnitPage.objects.filter(pk=unit_id).only("translation_key").first()
    if unit is None:
        raise Http404
    unit = access.supervised_units(user).filter(translation_key=unit.translation_key).first()
    if unit is None:
        raise Http404
    return unit


def visible_item(item, user):
    """The note's item if ``user`` may read it (a note never leaks a members-only item's title)."""
    if item is None or not DisclosureItemPage.objects.filter(pk=item.pk).exists():
        return None
    return item if inspections.visible_items(item.unit, user).filter(pk=item.pk).exists() else None


def in_reader_script(page):
    """``page`` in the reader's script (its live variant in the active locale), else itself."""
    locale = Locale.objects.filter(language_code=get_language()).first()
    if locale is None or page.locale_id == locale.pk:
        return page
    return type(page).objects.live().filter(translation_key=page.translation_key, locale=locale).first() or page


def in_reader_script_all(items):
    """(item, the item as the reader's script shows it) for each item, in one query."""
    items = list(items)
    locale = Locale.objects.filter(language_code=get_language()).first()
    variants = {}
    if locale is not None:
        keys = [item.translation_key for item in items if item.locale_id != locale.pk]
        variants = {
            variant.translation_key: variant
            for variant in DisclosureItemPage.objects.live().filter(translation_key__in=keys, locale=locale)
        }
    return [(item, variants.get(item.translation_key, item)) for item in items]


def ledger_url(unit):
    """The unit's public opinion ledger (意见办理台帐) when participation is installed."""
    try:
        return f"{reverse('participation:ledger')}?unit={unit.pk}"
    except NoReverseMatch:
        return None


def _int(value):
    return int(value) if value and str(value).isdigit() and len(str(value)) < 12 else None
