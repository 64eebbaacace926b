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

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from disclosure_pages.models import CatalogueEntry, UnitPage
from disclosure_pages.public_urls import public_url
from participation.choices import ContactKind
from participation.senders import Message
from script_variants.machine_translator import convert_for

from . import links
from .models import Frequency
from .searches import SavedSearch, describe_search


@dataclass(frozen=True)
class ItemView:
    title: str
    summary: str
    unit: str
    entry: str
    index_number: str
    published: date | None
    url: str


def item_view(variants, script):
    """An item (``{language code: public page}``) as ``script``'s reader sees it."""
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


def confirmation(subscriber, subscriptions, code=None):
    """The request to confirm ``subscriptions``: a link by e-mail, ``code`` by SMS."""
    with translation.override(subscriber.script):
        if subscriber.kind == ContactKind.MOBILE:
            return _sms(subscriber, "confirm", {"code": code})
        targets = [describe(subscription) for subscription in subscriptions]
        subject = _("请确认订阅%(site)s信息提醒") % {"site": site_name(subscriber.script)}
        context = {"targets": targets, "confirm_url": links.confirm_url(subscriber, subscriptions)}
        return _email(subscriber, subject, "confirm", context)


def alert(subscriber, variants):
    """The immediate alert of one newly published item."""
    with translation.override(subscriber.script):
        item = item_view(variants, subscriber.script)
        if subscriber.kind == ContactKind.MOBILE:
            return _sms(subscriber, "alert", {
                "unit": item.unit, "title": item.title, "index_number": item.index_number, "url": item.url,
                "unsubscribe_url": links.unsubscribe_url(subscriber),
            })
        subject = f"【{site_name(subscriber.script)}】{item.unit}：{item.title}" if item.unit else item.title
        return _email(subscriber, subject, "alert", {"item": item})


def correction(subscriber, item, withdrawn_variants=None):
    """The notice that ``item`` (default locale), alerted to before, was withdrawn — with its
    page, which shows the public reason (``withdrawn_variants``: ``{language code: page}``) — or
    removed: its title only, which the subscriber was sent before; never a removal's reason."""
    with translation.override(subscriber.script):
        view = item_view(withdrawn_variants, subscriber.script) if withdrawn_variants else None
        title = view.title if view else convert_for(item.title, subscriber.script)
        params = {
            "title": title, "index_number": item.index_number, "withdrawn": view is not None,
            "url": view.url if view else "", "reason": convert_for(item.takedown_reason, subscriber.script) if view else "",
        }
        if subscriber.kind == ContactKind.MOBILE:
            return _sms(subscriber, "correction", {**params, "unsubscribe_url": links.unsubscribe_url(subscriber)})
        if view:
            subject = _("【%(site)s】已撤回：%(title)s") % {"site": site_name(subscriber.script), "title": title}
        else:
            subject = _("【%(site)s】已撤除：%(title)s") % {"site": site_name(subscriber.script), "title": title}
        return _email(subscriber, subject, "correction", params)


def digest(subscriber, frequency, items):
    """One message of several items (``{language code: page}`` each), grouped by unit and
    catalogue entry: the groups with the newest item first, newest first within them."""
    with translation.override(subscriber.script):
        views = [item_view(variants, subscriber.script) for variants in items]
        groups = {}
        for view in sorted(views, key=lambda view: (view.published or date.min, view.title), reverse=True):
            groups.setdefault((view.unit, view.entry), []).append(view)
        grouped = [{"unit": unit, "entry": entry, "items": views} for (unit, entry), views in groups.items()]
        label = Frequency(frequency).label
        if subscriber.kind == ContactKind.MOBILE:
            return _sms(subscriber, "digest", {
                "count": len(views), "frequency": str(label), "manage_url": links.manage_url(subscriber),
                "unsubscribe_url": links.unsubscribe_url(subscriber),
            })
        subject = _("【%(site)s】%(label)s：%(count)s条新公开信息") % {
            "site": site_name(subscriber.script), "label": label, "count": len(views),
        }
        return _email(subscriber, subject, "digest", {"groups": grouped, "count": len(views), "label": label})


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
    return _("“%(item)s”的后续公开信息") % {"item": name}
