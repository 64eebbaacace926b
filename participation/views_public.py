"""The portal's opinion pages: submit (on an item or to a unit), the receipt, and tracking by 查询码.

Everything works without JavaScript: the form has two buttons, 获取验证码 and 提交意见, and
re-renders with what was typed. The 查询码 never travels in a URL: the receipt is kept in the
session for the one page that shows it, tracking is a POST. Pages that show a resident's own
data are not stored by browsers or proxies (``never_cache``).
"""

import secrets

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from disclosure_pages.accounts import portal_for
from disclosure_pages.models import DisclosureItemPage, UnitPage
from disclosure_pages.visibility import user_can_view

from . import handling, intake
from .choices import ContactKind, Moderation, Satisfaction
from .conf import app_settings
from .forms import OpinionForm
from .models import Opinion, new_tracking_code
from .panels import approved_answers

RECEIPT_SESSION_KEY = "participation_receipt"


def client_address(request):
    return request.META.get("REMOTE_ADDR", "")


def in_reader_script(page):
    """``page`` as the reader's script shows it (its variant in the active locale, if live)."""
    if page is None:
        return None
    locale = Locale.objects.filter(language_code=get_language()).first()
    if locale is None or page.locale_id == locale.pk:
        return page
    return type(page).objects.live().filter(translation_key=page.translation_key, locale=locale).first() or page


def masked(kind, contact):
    """A contact as the notice repeats it: enough to recognise, not to read off a shoulder."""
    if kind == ContactKind.MOBILE and len(contact) == 11:
        return f"{contact[:3]}****{contact[-4:]}"
    name, _at, domain = contact.partition("@")
    return f"{name[:1]}***@{domain}" if domain else "***"


# -- submitting ------------------------------------------------------------------------------


def _target(kind, page_id, user):
    """The item or unit an opinion goes to, in the reader's script; 404 for anything not open to ``user``."""
    if kind == "item":
        page = get_object_or_404(DisclosureItemPage.objects.live(), pk=page_id)
        if not intake.may_write_on(page, user) or not intake.opening_of(page).takes_opinions:
            raise Http404
    else:
        page = get_object_or_404(UnitPage.objects.live(), pk=page_id)
        if not user_can_view(page, user):
            raise Http404
    return in_reader_script(page)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request, page_id, kind):
    page = _target(kind, page_id, request.user)
    opening = intake.opening_of(page) if kind == "item" else None
    notice = ""
    if request.method != "POST":
        form = OpinionForm(user=request.user)
    else:
        form = OpinionForm(request.POST, user=request.user)
        form.is_valid()  # every field is optional text: the rules are intake's
        wants_code = request.POST.get("action") == "code" and not form.signed_in
        if form.is_spam:
            # A robot: it is answered as a person would be, and nothing is sent or saved.
            if wants_code:
                notice = _code_sent(form.value("contact_kind"), form.value("contact"))
            else:
                return _show_receipt(request, number=f"{timezone.localdate():%Y}{secrets.randbelow(10**7):07d}", code=new_tracking_code())
        elif wants_code:
            try:
                contact = intake.request_code(form.value("contact_kind"), form.value("contact"), client_address(request))
            except intake.IntakeError as error:
                form.refuse(error)
            else:
                notice = _code_sent(form.value("contact_kind"), contact)
        else:
            try:
                opinion, code = intake.submit(
                    body=form.value("body"), subject=form.value("subject"), name=form.value("name"),
                    contact_kind=form.value("contact_kind"), contact=form.value("contact"), code=form.value("code"),
                    user=request.user, address=client_address(request), script=get_language(),
                    **({"item": page} if kind == "item" else {"unit": page}),
                )
            except intake.IntakeError as error:
                form.refuse(error)
            else:
                return _show_receipt(request, number=opinion.number, code=code)
    context = {
        "page": page, "kind": kind, "form": form, "opening": opening, "notice": notice,
        "may_write": opening is None or opening.open, "page_heading": _("提出意见建议"),
    }
    return TemplateResponse(request, "participation/submit.html", context)


def _code_sent(kind, contact):
    return _("验证码已发送至 %(contact)s，%(minutes)s 分钟内有效。") % {
        "contact": masked(kind, contact), "minutes": app_settings.SUNSHINE_OPINION_CODE_MINUTES,
    }


def _show_receipt(request, number, code):
    """Keep the receipt for the one page that shows it (not in its URL), and go there."""
    request.session[RECEIPT_SESSION_KEY] = {"number": number, "code": code}
    return redirect("participation:receipt")


@never_cache
@require_http_methods(["GET"])  # not HEAD: looking must not spend the receipt
def receipt(request):
    """受理回执: the number and the 查询码, shown once; a second look finds them gone."""
    shown = request.session.pop(RECEIPT_SESSION_KEY, None)
    context = {"page": portal_for(request), "receipt": shown, "page_heading": _("意见受理回执")}
    return TemplateResponse(request, "participation/receipt.html", context)


# -- tracking --------------------------------------------------------------------------------


def _own_opinion(request, opinion_id):
    """A signed-in member's own opinion (needs no 查询码), else 404."""
    if not request.user.is_authenticated or not str(opinion_id).isdigit():
        raise Http404
    return get_object_or_404(Opinion.objects.select_related("unit", "item"), pk=opinion_id, author=request.user)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    """意见查询: by 查询码 (POST), or a member's own opinions without one."""
    context = {"page": portal_for(request), "page_heading": _("意见查询"), "errors": [], "notice": ""}
    opinion, code = None, ""
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            if request.POST.get("opinion"):
                opinion, code = _own_opinion(request, request.POST["opinion"]), ""
            else:
                opinion = intake.find_by_tracking_code(code, client_address(request), request.user)
        except intake.IntakeError as error:
            context["errors"].append(error.message)
        if opinion is not None:
            opinion, context["notice"] = _act(request, opinion, context["errors"])
    elif request.GET.get("opinion"):
        opinion = _own_opinion(request, request.GET["opinion"])
    if opinion is not None:
        context.update(_opinion_context(opinion))
        context["code"] = code
    if request.user.is_authenticated:
        context["my_opinions"] = Opinion.objects.filter(author=request.user).select_related("unit", "item")
    return TemplateResponse(request, "participation/track.html", context)


def _act(request, opinion, errors):
    """A rating or a send-back by whoever holds the code (or wrote the opinion); returns the opinion and a notice."""
    action = request.POST.get("action", "")
    try:
        if action == "rate":
            opinion = handling.rate(opinion, request.POST.get("satisfaction", ""))
            return opinion, _("感谢您的评价。")
        if action == "send_back":
            opinion = handling.send_back(opinion, request.POST.get("reason", ""))
            return opinion, _("已发回重办，承办单位将重新办理并答复。")
    except handling.HandlingError as error:
        errors.append(str(error))
    return opinion, ""


def _opinion_context(opinion):
    merged_into = None
    if opinion.moderation == Moderation.MERGED and opinion.merged_into_id:
        merged_into = Opinion.objects.public().filter(pk=opinion.merged_into_id).prefetch_related(approved_answers()).first()
    return {
        "opinion": opinion,
        "target_item": in_reader_script(opinion.item),
        "target_unit": in_reader_script(opinion.unit),
        "events": opinion.public_events().select_related("to_unit"),
        "answer": opinion.approved_answer,
        "merged_into": merged_into,
        "satisfaction_choices": Satisfaction.choices,
    }
