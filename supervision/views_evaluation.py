"""The portal's 评议 pages: the rounds a person votes in, the ballot, residents' rating, the results.

A unit a person may not vote for answers exactly as a unit that does not exist (404), as do
results the reader may not see. Ballot pages are never cached: they say whether one has voted.
"""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from disclosure_pages.accounts import portal_for
from disclosure_pages.models import UnitPage

from . import evaluation
from .choices import EvaluationScale, ResultScope, RoundState, Satisfaction, VoterKind
from .forms_evaluation import BallotForm, ResidentForm
from .models import EvaluationRound


def residents_enabled():
    """Residents confirm a contact with participation's one-time codes: without it they cannot rate."""
    return apps.is_installed("participation")


def titles_in_script(units):
    """{unit pk: its title in the reader's script} (the default title where no translation is live)."""
    units = list(units)
    titles = {unit.pk: unit.title for unit in units}
    locale = Locale.objects.filter(language_code=get_language()).first()
    if locale is not None:
        keys = {unit.translation_key: unit.pk for unit in units if unit.locale_id != locale.pk}
        for key, title in UnitPage.objects.live().filter(locale=locale, translation_key__in=keys).values_list("translation_key", "title"):
            titles[keys[key]] = title
    return titles


def scores_chart(chart_id, title, description, rows, suffix=""):
    """Horizontal bars of scores (or percentages: ``suffix`` "%") on a fixed 0–100 axis, as inline SVG
    (no script); ``rows`` = [(label, value)]."""
    width, left, right, row_height = 640, 190, 56, 30
    plot = width - left - right
    height = row_height * max(len(rows), 1) + 30
    grid = format_html_join("", '<line x1="{0}" x2="{0}" y1="0" y2="{1}" stroke="#d9d9d9"/>'
                            '<text x="{0}" y="{2}" text-anchor="middle" fill="#555" font-size="12" font-family="sans-serif">{3}</text>',
                            ((f"{left + plot * tick / 100:.1f}", height - 22, height - 6, tick) for tick in (0, 20, 40, 60, 80, 100)))
    bars = format_html_join("", '<text x="{0}" y="{1}" text-anchor="end" fill="#1f1f1f" font-size="14" font-family="sans-serif">{2}</text>'
                            '<rect x="{3}" y="{4}" width="{5}" height="20" fill="#b2151b"><title>{2}：{6}</title></rect>'
                            '<text x="{7}" y="{1}" fill="#1f1f1f" font-size="14" font-family="sans-serif">{6}</text>',
                            ((left - 8, 8 + index * row_height + 15, label, left, 8 + index * row_height,
                              f"{plot * float(score) / 100:.1f}", f"{score}{suffix}", f"{left + plot * float(score) / 100 + 6:.1f}")
                             for index, (label, score) in enumerate(rows)))
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title id="{0}-title">{3}</title>'
        '<desc id="{0}-desc">{4}</desc>{5}{6}</svg>', chart_id, width, height, title, description, grid, bars,
    )


def _context(request, heading, **extra):
    return {"page": portal_for(request), "page_heading": heading, **extra}


@never_cache
@require_http_methods(["GET", "HEAD"])
def index(request):
    """评议: for a signed-in person, the open rounds and the units they vote for in each."""
    listing = evaluation.open_rounds_for(request.user) if request.user.is_authenticated else []
    titles = titles_in_script(unit for _round, units in listing for unit, _voted in units)
    rounds = [(r, [(unit, titles[unit.pk], voted) for unit, voted in units]) for r, units in listing]
    resident_rounds = []
    if residents_enabled():
        resident_rounds = [
            r for r in EvaluationRound.objects.filter(state=RoundState.OPEN, residents_may_rate=True) if evaluation.takes_votes(r)
        ]
    return TemplateResponse(request, "supervision/evaluation/index.html", _context(
        request, _("党务公开评议"), rounds=rounds, resident_rounds=resident_rounds,
    ))


def _round_and_unit(round_id, unit_id):
    evaluation_round = get_object_or_404(EvaluationRound.objects.select_related("questionnaire__county"), pk=round_id)
    unit = get_object_or_404(UnitPage.objects.filter(locale=Locale.get_default()), pk=unit_id)
    return evaluation_round, unit


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ballot(request, round_id, unit_id):
    """The questionnaire for one unit: one vote per person per unit per round."""
    evaluation_round, unit = _round_and_unit(round_id, unit_id)
    if not evaluation.may_vote_for(request.user, unit, evaluation_round) or evaluation_round.state == RoundState.DRAFT:
        raise Http404
    form = BallotForm(request.POST or None, questionnaire=evaluation_round.questionnaire)
    refusal = _refusal(evaluation_round, unit, user=request.user)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            evaluation.cast(
                evaluation_round, unit, form.answers(), kind=evaluation.voter_kind(request.user, unit), user=request.user
            )
        except evaluation.EvaluationError as error:
            refusal = str(error)
        else:
            return redirect(f"{reverse('supervision:ballot', args=[evaluation_round.pk, unit.pk])}?voted=1")
    status = 200 if request.method != "POST" or not (refusal or form.errors) else 400
    return TemplateResponse(request, "supervision/evaluation/ballot.html", _context(
        request, _("参加评议"), round=evaluation_round, unit_title=titles_in_script([unit])[unit.pk], form=form,
        refusal=refusal, thanks=request.GET.get("voted") == "1" and refusal == _("您已参加本轮评议。"),
        action=request.path, satisfaction=evaluation_round.questionnaire.scale == EvaluationScale.SATISFACTION,
    ), status=status)


def _refusal(evaluation_round, unit, user=None, contact_hash=""):
    """Why no vote can be taken now, or ""."""
    if not evaluation.takes_votes(evaluation_round):
        return _("本轮评议已结束。") if evaluation_round.state == RoundState.CLOSED else _("本轮评议未在投票期间，不能投票。")
    if (user is not None or contact_hash) and evaluation.has_voted(evaluation_round, unit, user=user, contact_hash=contact_hash):
        return _("您已参加本轮评议。")
    return ""


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def resident_ballot(request, round_id):
    """A resident rates a unit's public disclosure once per confirmed mobile or e-mail.

    Without JavaScript: one form, two buttons (获取验证码, 提交评价), as participation's opinion form."""
    if not residents_enabled():
        raise Http404
    from participation import intake  # only here: participation is optional

    evaluation_round = get_object_or_404(
        EvaluationRound.objects.select_related("questionnaire__county").exclude(state=RoundState.DRAFT),
        pk=round_id, residents_may_rate=True,
    )
    county = evaluation.county_of_round(evaluation_round)
    units = list(UnitPage.objects.live().filter(locale=county.locale, path__startswith=county.path).order_by("path"))
    titles = titles_in_script(units)
    unit = next((u for u in units if str(u.pk) == (request.POST.get("unit") or request.GET.get("unit"))), None)
    data = request.POST if request.method == "POST" else None
    form = BallotForm(data, questionnaire=evaluation_round.questionnaire)
    contact_form = ResidentForm(data)
    refusal = _refusal(evaluation_round, unit) if unit else ""
    notice = ""
    if request.method == "POST" and unit is not None and not refusal:
        contact_form.is_valid()
        kind, raw = contact_form.cleaned_data.get("contact_kind", ""), contact_form.cleaned_data.get("contact", "")
        try:
            contact = intake.normalise_contact(kind, raw)
            digest = evaluation.contact_digest(contact)
            # A contact that has rated this unit is told so before any code is sent or spent.
            refusal = _refusal(evaluation_round, unit, contact_hash=digest)
            if not refusal and request.POST.get("action") == "code":
                intake.request_code(kind, contact, request.META.get("REMOTE_ADDR", ""))
                notice = _("验证码已发送，请查收后填写并提交评价。")
            elif not refusal and form.is_valid():
                intake.check_code(contact, contact_form.cleaned_data.get("code", ""))
                evaluation.cast(evaluation_round, unit, form.answers(), kind=VoterKind.RESIDENT, contact_hash=digest)
                return redirect(f"{reverse('supervision:resident_ballot', args=[evaluation_round.pk])}?unit={unit.pk}&voted=1")
        except intake.IntakeError as error:
            contact_form.add_error(error.field if error.field in contact_form.fields else None, error.message)
        except evaluation.EvaluationError as error:
            refusal = str(error)
    return TemplateResponse(request, "supervision/evaluation/resident.html", _context(
        request, _("群众评价党务公开"), round=evaluation_round, units=[(u, titles[u.pk]) for u in units], unit=unit,
        unit_title=titles[unit.pk] if unit else "", form=form, contact_form=contact_form, refusal=refusal, notice=notice,
        thanks=request.GET.get("voted") == "1", action=request.path,
        satisfaction=evaluation_round.questionnaire.scale == EvaluationScale.SATISFACTION,
    ))


# -- results ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def results_index(request):
    """评议结果: the closed rounds whose results the reader may see."""
    return TemplateResponse(request, "supervision/evaluation/results_index.html", _context(
        request, _("评议结果"), rounds=evaluation.readable_rounds(request.user),
    ))


@require_http_methods(["GET", "HEAD"])
def results(request, round_id):
    evaluation_round = get_object_or_404(EvaluationRound.objects.select_related("questionnaire"), pk=round_id)
    shown = evaluation.results_for(evaluation_round, request.user)
    if shown is None:
        raise Http404
    response = TemplateResponse(request, "supervision/evaluation/results.html", _context(
        request, evaluation_round.name, **results_context(shown),
    ))
    if evaluation_round.result_scope != ResultScope.PUBLIC:
        response["Cache-Control"] = "private, no-store"  # a members' page must not sit in a shared cache
    return response


def results_context(shown):
    """The table rows and the chart of a ``RoundResults``, titles in the reader's script."""
    titles = titles_in_script(row.unit for row in shown.rows)
    questions = shown.questions
    satisfaction = shown.round.questionnaire.scale == EvaluationScale.SATISFACTION
    rows = []
    for row in shown.rows:
        answers = []
        for question in questions:
            entry = row.per_question.get(str(question.pk), {})
            counts = entry.get("counts", {})
            answers.append({
                "score": entry.get("score"),
                "counts": [(label, counts.get(str(value), 0)) for value, label in Satisfaction.choices] if satisfaction else [],
            })
        rows.append({"title": titles[row.unit.pk], "votes": row.votes, "score": row.score, "answers": answers})
    chart = scores_chart(
        f"evaluation-{shown.round.pk}", _("%(name)s：各单位平均得分") % {"name": shown.round.name},
        _("横条为各单位平均得分（0–100分），数据见下表。"),
        [(row["title"], row["score"]) for row in rows if row["score"] is not None],
    )
    return {"round": shown.round, "questions": questions, "rows": rows, "chart": chart, "satisfaction": satisfaction}
