"""The demo county's subscribers (订阅提醒): one of each kind, so the admin and the manage pages
have something to show and a publication in the demo reaches someone.

- E-mail, at once: 城关镇 (the first township) with its villages, in Simplified.
- E-mail, daily digest: the 党费收缴使用 catalogue entry, in Traditional.
- E-mail, weekly digest: the whole county.
- Mobile (SMS), at once: a village of the first township, without sub-units.
- E-mail following one item's next stages and answers; one address not confirmed yet; one
  suspended after failed deliveries.
- E-mail, weekly digest: a saved search (检索“党费”, in the first township).
- A member's own account address (the demo's ``member`` login, with ``SUNSHINE_DEMO_LOGINS``),
  tied to the member: their village's members-only items reach it too.
- The alerts the at-once subscribers would have had for the first township's latest items,
  recorded as sent (the manage page and the admin counts read them).

The seed's own publications are drained from alerts' outboxes first, before anyone subscribes:
`make run`'s worker must not send the whole demo to the demo's addresses. The addresses are
invented (example.cn, 138 0013 80xx numbers).
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from alerts import fanout, search_matching
from alerts.models import Delivery, DeliveryStatus, Frequency, Script, Subscriber, Subscription
from disclosure_pages.choices import Scope, UnitType
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage
from participation.choices import ContactKind


def seed_subscribers(builder, tree):
    """The demo's subscribers; returns how many."""
    fanout.process_outbox()  # with nobody subscribed yet: the seed's publications are done, not sent
    search_matching.forget_pending()  # nor matched later against a saved search
    units = [page for _, page in tree]
    county = next((unit for unit in units if unit.unit_type == UnitType.COUNTY), None)
    townships = [unit for unit in units if unit.unit_type == UnitType.TOWNSHIP]
    if county is None or not townships:
        return 0
    town = townships[0]
    villages = [unit for unit in units if unit.path.startswith(town.path) and unit.depth > town.depth]
    village = villages[0] if villages else town
    public = DisclosureItemPage.objects.live().filter(scope=Scope.PUBLIC, locale=town.locale).order_by("-first_published_at")
    followed = public.filter(unit=town).first()
    dues = CatalogueEntry.objects.filter(name__contains="党费", unit=None, locale=town.locale).order_by("pk").first()

    now = timezone.now()
    confirmed = now - datetime.timedelta(days=30)
    plan = [
        (ContactKind.EMAIL, "wang.lin@example.cn", Script.SIMPLIFIED, {"unit": town, "with_sub_units": True}, Frequency.IMMEDIATE, confirmed),
        (ContactKind.EMAIL, "chen.yu@example.cn", Script.TRADITIONAL, {"entry": dues}, Frequency.DAILY, confirmed),
        (ContactKind.EMAIL, "liu.fang@example.cn", Script.SIMPLIFIED, {"unit": county, "with_sub_units": True}, Frequency.WEEKLY, confirmed),
        (ContactKind.MOBILE, "13800138001", Script.SIMPLIFIED, {"unit": village, "with_sub_units": False}, Frequency.IMMEDIATE, confirmed),
        (ContactKind.EMAIL, "zhou.min@example.cn", Script.SIMPLIFIED, {"item": followed}, Frequency.IMMEDIATE, confirmed),
        (ContactKind.EMAIL, "new.reader@example.cn", Script.SIMPLIFIED, {"unit": town, "with_sub_units": True}, Frequency.DAILY, None),
        (ContactKind.EMAIL, "old.box@example.cn", Script.SIMPLIFIED, {"unit": county, "with_sub_units": True}, Frequency.IMMEDIATE, confirmed),
    ]
    plan.append(
        (ContactKind.EMAIL, "sun.li@example.cn", Script.SIMPLIFIED, {"search_query": "党费", "search_filters": {"unit": town.code}}, Frequency.WEEKLY, confirmed)
    )
    member = get_user_model().objects.filter(username="member", is_active=True).exclude(email="").first()
    if member is not None:
        home = UnitPage.objects.filter(members_group__in=member.groups.all(), locale=town.locale).order_by("path").first()
        if home is not None:
            plan.append((ContactKind.EMAIL, member.email.lower(), Script.SIMPLIFIED, {"unit": home, "with_sub_units": True}, Frequency.DAILY, confirmed))
    made = 0
    for kind, address, script, target, frequency, confirmed_at in plan:
        if any(value is None for value in target.values()):
            continue  # a smaller demo without that entry or item
        subscriber, _ = Subscriber.objects.get_or_create(
            kind=kind, address=address, defaults={
                "script": script, "confirmed_at": confirmed_at, "user": member if member and address == member.email.lower() else None,
            },
        )
        Subscription.objects.get_or_create(
            subscriber=subscriber, **{key: value for key, value in target.items() if key not in ("with_sub_units", "search_filters")},
            defaults={
                "frequency": frequency, "with_sub_units": target.get("with_sub_units", True), "confirmed_at": confirmed_at,
                "search_filters": target.get("search_filters", {}),
            },
        )
        made += 1
    # What the at-once reader of the township was sent, and the failures that suspended an address.
    reader = Subscriber.objects.get(address="wang.lin@example.cn")
    sent = list(public.filter(path__startswith=town.path)[:3])
    Delivery.objects.bulk_create([
        Delivery(subscriber=reader, item_key=item.translation_key, item=item, frequency=Frequency.IMMEDIATE,
                 status=DeliveryStatus.SENT, attempts=1, sent_at=item.first_published_at or now)
        for item in sent
    ], ignore_conflicts=True)
    gone = Subscriber.objects.get(address="old.box@example.cn")
    if sent:
        Delivery.objects.get_or_create(
            subscriber=gone, item_key=sent[0].translation_key, defaults={
                "item": sent[0], "frequency": Frequency.IMMEDIATE, "status": DeliveryStatus.FAILED, "attempts": 5,
                "error": "550 5.1.1 mailbox unavailable",
            },
        )
    Subscriber.objects.filter(pk=gone.pk).update(failure_count=5, suspended=True)
    builder.log(f"订阅提醒演示：{made} 个订阅地址（邮件、短信；即时、每日、每周；保存的检索；党员账号订阅；一个待确认，一个已暂停）。")
    return made
