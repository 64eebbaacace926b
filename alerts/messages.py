"""What a subscriber receives: confirmations, an alert for one item, a digest — in their script.

E-mails have a plain text and an HTML part (``templates/alerts/email/``), the item's 索引号
and absolute link (``PUBLIC_BASE_URL``), the manage and one-click unsubscribe links, and the
``List-Unsubscribe`` headers (RFC 2369, RFC 8058). SMS carry a short text and, for gateways
that send templates, the template name and its parameters.

An item is shown from its page in the subscriber's script when that is public; otherwise
from the other script's page, its words converted by the site's conversion layer.
"""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage
from disclosure_pages.public_urls import public_url
from disclosure_pages.visibility import ANONYMOUS, user_can_view
from participation.choices import ContactKind
from participation.senders import Message
from script_variants.machine_translator import convert_for

from . import links
from .models import Frequency
from .searches import SavedSearch, describe_search


@dataclass(frozen=True)
class AnswerView:
    """An answer to an opinion (``answers.PublicAnswer``) as a script's reader sees it."""

    number: str
    opinion: str  # the opinion's title, else the start of its text
    item: str  # the item it is on, or empty (a unit's 意见箱)
    index_number: str
    unit: str  # the item's unit, or the unit whose 意见箱 it was put in
    answered_by: str
    outcome: str
    body: str
    answered: date | None
    url: str


def answer_view(public, script):
    opinion, answer = public.opinion, public.answer
    title = opinion.subject or (opinion.body[:30] + ("…" if len(opinion.body) > 30 else ""))
    return AnswerView(
        number=opinion.number,
        opinion=convert_for(title, script),
        item=convert_for(public.item.title, script) if public.item else "",
        index_number=public.item.index_number if public.item else "",
        unit=convert_for(public.unit.title, script) if public.unit else "",
        answered_by=convert_for(opinion.unit.title, script),
        outcome=str(answer.get_outcome_display()),
        body=convert_for(answer.body, script),
        answered=answer.decided_at.date() if answer.decided_at else None,
        url=links.url_in_script(script, "participation:opinion_detail", number=opinion.number),
    )


@dataclass(frozen=True)
class ItemView:
    title: str
    summary: str
    unit: str
    entry: str
    index_number: str
    published: date | None
    url: str
    # For members only (仅党员可见): sent to a member who may read it; its link asks them to sign in.
    members_only: bool = False


def item_view(variants, script, members_only=False):
    """An item (``{language code: page its reader may read}``) as ``script``'s reader sees it."""
    page = variants.get(script) or next(iter(variants.values()))

    def words(text):
        return text if page.locale.language_code == script or not text else convert_for(text, script)

    return ItemView(
        title=words(page.title),
        summary=words(page.summary),
        unit=words(page.unit.title) if page.unit_id else "",
        entry=words(page.catalogue_entry.name) if page.catalogue_entry_id else "",
        index_number=page.index_number,
        published=page.publish_date or (page.first_published_at.date() if page.first_published_at else None),
        url=public_url(page),
        members_only=members_only,
    )


def site_name(script):
    return convert_for(settings.WAGTAIL_SITE_NAME, script)


def _email(subscriber, subject, template, context):
    """The message of ``template`` (text and HTML) for ``subscriber``, with the links every message carries."""
    unsubscribe = links.unsubscribe_url(subscriber)
    context = {
        **context, "site_name": site_name(subscriber.script), "manage_url": links.manage_url(subscriber),
        "unsubscribe_url": unsubscribe, "subject": subject,
    }
    return Message(
        subject, render_to_string(f"alerts/email/{template}.txt", context),
        html=render_to_string(f"alerts/email/{template}.html", context),
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def _sms(subscriber, template, params):
    text = render_to_string(f"alerts/sms/{template}.txt", {**params, "site_name": site_name(subscriber.script)}).strip()
    return Message("", text, template=f"alerts_{template}", params=params)


def confirmation(subscriber, subscriptions, code=None, member=None):
    """The request to confirm ``subscriptions``: a link by e-mail, ``code`` by SMS. ``member``: the
    signed-in member asking for their account's address, whose tie the link confirms too. Nothing
    members-only is named: the address is not proven theirs before the link is followed."""
    with translation.override(subscriber.script):
        if subscriber.kind == ContactKind.MOBILE:
            return _sms(subscriber, "confirm", {"code": code})
        targets = [describe_for(subscription) for subscription in subscriptions]
        subject = _("请确认订阅%(site)s信息提醒") % {"site": site_name(subscriber.script)}
        context = {"targets": targets, "confirm_url": links.confirm_url(subscriber, subscriptions, member=member)}
        return _email(subscriber, subject, "confirm", context)


def alert(subscriber, variants, members_only=False):
    """The immediate alert of one newly published item (``members_only``: sent to its member as such)."""
    with translation.override(subscriber.script):
        item = item_view(variants, subscriber.script, members_only)
        if subscriber.kind == ContactKind.MOBILE:
            return _sms(subscriber, "alert", {
                "unit": item.unit, "title": item.title, "index_number": item.index_number, "url": item.url,
                "unsubscribe_url": links.unsubscribe_url(subscriber),
            })
        subject = f"【{site_name(subscriber.script)}】{item.unit}：{item.title}" if item.unit else item.title
        if item.members_only:
            subject = _("%(subject)s（仅党员可见）") % {"subject": subject}
        return _email(subscriber, subject, "alert", {"item": item})


def answered(subscriber, public):
    """The immediate alert of one answer to an opinion (``answers.PublicAnswer``)."""
    with translation.override(subscriber.script):
        view = answer_view(public, subscriber.script)
        if subscriber.kind == ContactKind.MOBILE:
            return _sms(subscriber, "answer", {
                "number": view.number, "item": view.item, "unit": view.unit, "url": view.url,
                "unsubscribe_url": links.unsubscribe_url(subscriber),
            })
        subject = _("【%(site)s】意见答复：%(title)s") % {"site": site_name(subscriber.script), "title": view.item or view.unit}
        return _email(subscriber, subject, "answer", {"answer": view})


def correction(subscriber, item, withdrawn_variants=None, members_only=False):
    """The notice that ``item`` (default locale), alerted to before, was withdrawn — with its
    page, which shows the public reason (``withdrawn_variants``: ``{language code: page}``) — or
    removed: its title only, which the subscriber was sent before; never a removal's reason."""
    with translation.override(subscriber.script):
        view = item_view(withdrawn_variants, subscriber.script, members_only) if withdrawn_variants else None
        title = view.title if view else convert_for(item.title, subscriber.script)
        params = {
            "title": title, "index_number": item.index_number, "withdrawn": view is not None,
            "url": view.url if view else "", "reason": convert_for(item.takedown_reason, subscriber.script) if view else "",
            "members_only": members_only,
        }
        if subscriber.kind == ContactKind.MOBILE:
            return _sms(subscriber, "correction", {**params, "unsubscribe_url": links.unsubscribe_url(subscriber)})
        if view:
            subject = _("【%(site)s】已撤回：%(title)s") % {"site": site_name(subscriber.script), "title": title}
        else:
            subject = _("【%(site)s】已撤除：%(title)s") % {"site": site_name(subscriber.script), "title": title}
        return _email(subscriber, subject, "correction", params)


def digest(subscriber, frequency, items, answers=(), members_only=frozenset()):
    """One message of several items (``{language code: page}`` each), grouped by unit and
    catalogue entry: the groups with the newest item first, newest first within them; then the
    answers to opinions (``answers.PublicAnswer``), in their own section, newest first.
    ``members_only``: the translation keys of the items sent to a member as members-only."""
    with translation.override(subscriber.script):
        views = [
            item_view(variants, subscriber.script, next(iter(variants.values())).translation_key in members_only) for variants in items
        ]
        answer_views = sorted(
            (answer_view(public, subscriber.script) for public in answers), key=lambda view: (view.answered or date.min, view.number), reverse=True,
        )
        groups = {}
        for view in sorted(views, key=lambda view: (view.published or date.min, view.title), reverse=True):
            groups.setdefault((view.unit, view.entry), []).append(view)
        grouped = [{"unit": unit, "entry": entry, "items": views} for (unit, entry), views in groups.items()]
        label = Frequency(frequency).label
        if subscriber.kind == ContactKind.MOBILE:
            return _sms(subscriber, "digest", {
                "count": len(views) + len(answer_views), "frequency": str(label), "manage_url": links.manage_url(subscriber),
                "unsubscribe_url": links.unsubscribe_url(subscriber),
            })
        if views:
            subject = _("【%(site)s】%(label)s：%(count)s条新公开信息") % {
                "site": site_name(subscriber.script), "label": label, "count": len(views),
            }
        else:
            subject = _("【%(site)s】%(label)s：%(count)s条意见答复") % {
                "site": site_name(subscriber.script), "label": label, "count": len(answer_views),
            }
        context = {"groups": grouped, "count": len(views), "label": label, "answers": answer_views}
        return _email(subscriber, subject, "digest", context)


def describe(subscription):
    """What a subscription is for, in words of the active script."""
    if subscription.is_search:
        return describe_search(subscription.search_query, subscription.search_filters)
    return describe_target(subscription.target, subscription.with_sub_units)


def describe_target(target, with_sub_units=True):
    script = translation.get_language()
    if isinstance(target, SavedSearch):
        return describe_search(target.query, target.filters)
    if isinstance(target, CatalogueEntry):
        return _("公开目录“%(entry)s”下的公开信息") % {"entry": convert_for(target.name, script)}
    name = convert_for(target.title, script)
    if isinstance(target, UnitPage):
        if with_sub_units:
            return _("%(unit)s（含下级单位）发布的公开信息") % {"unit": name}
        return _("%(unit)s发布的公开信息") % {"unit": name}
    if apps.is_installed("participation"):
        return _("“%(item)s”的后续公开信息和意见答复") % {"item": name}
    return _("“%(item)s”的后续公开信息") % {"item": name}


def describe_for(subscription, reader=None):
    """``describe``, unless the subscription is for a page only some members may read and
    ``reader`` (a user; None: anyone) is not one of them: then it names no title."""
    target = subscription.target
    if isinstance(target, (UnitPage, DisclosureItemPage)) and not user_can_view(target, ANONYMOUS):
        if reader is None or not user_can_view(target, reader):
            return _("一项仅党员可见的内容（登录后查看）")
        return _("%(what)s（仅党员可见）") % {"what": describe(subscription)}
    return describe(subscription)
