"""The demo county's subscribers (订阅提醒): one of each kind, and the demo's own publications never sent to them."""

from django.core.management import call_command
from django.test import TestCase, override_settings

from alerts import fanout, links
from alerts.models import DeliveryStatus, Frequency, Subscriber
from disclosure_pages.choices import Scope, UnitType
from disclosure_pages.models import DisclosureItemPage, PendingItemChange, UnitPage
from participation.choices import ContactKind
from participation.senders import OutboxSender
from tests.alerts.helpers import outbox_senders
from tests.factories import make_item

COUNTY = {"townships": 2, "villages_per_township": 1, "departments": 1, "items_per_unit": 2, "skip_index": True,
          "quiet": True, "no_files": True, "no_opinions": True, "no_supervision": True}


@override_settings(SUNSHINE_DEMO_LOGINS=True)
class AlertsSeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with outbox_senders():
            call_command("seed_demo", **COUNTY)
            cls.sent_while_seeding = list(OutboxSender.outbox)

    def test_subscribers_of_each_kind_and_frequency(self):
        confirmed = Subscriber.objects.filter(confirmed_at__isnull=False, suspended=False)
        self.assertEqual(set(confirmed.values_list("kind", flat=True)), {ContactKind.EMAIL, ContactKind.MOBILE})
        self.assertEqual(set(confirmed.values_list("script", flat=True)), {"zh-hans", "zh-hant"})
        self.assertEqual(
            {subscription.frequency for subscriber in confirmed for subscription in subscriber.subscriptions.all()},
            set(Frequency.values),
        )
        self.assertTrue(Subscriber.objects.filter(confirmed_at__isnull=True).exists())
        self.assertTrue(confirmed.filter(subscriptions__search_query="党费", user=None).exists())
        self.assertTrue(confirmed.filter(user__username="member").exists())
        self.assertTrue(Subscriber.objects.filter(suspended=True, deliveries__status=DeliveryStatus.FAILED).exists())

    def test_the_seed_sends_nothing_and_leaves_nothing_to_send(self):
        self.assertEqual(self.sent_while_seeding, [])
        self.assertFalse(PendingItemChange.objects.filter(consumer__in=["alerts", "alerts-searches"]).exists())
        with outbox_senders():
            fanout.process_outbox()
            self.assertEqual(OutboxSender.outbox, [])

    def test_the_township_reader_sees_their_subscription_and_gets_the_next_publication(self):
        reader = Subscriber.objects.get(address="wang.lin@example.cn")
        page = self.client.get(links.manage_url(reader).removeprefix("http://testserver")).content.decode()
        township = UnitPage.objects.filter(unit_type=UnitType.TOWNSHIP, locale__language_code="zh-hans").order_by("path").first()
        self.assertIn(township.title, page)
        with outbox_senders(), self.captureOnCommitCallbacks(execute=True):
            make_item(township, "演示：城关镇新发布的公开事项")
        self.assertEqual([contact for contact, _message in OutboxSender.outbox].count("wang.lin@example.cn"), 1)
        self.assertTrue(DisclosureItemPage.objects.filter(title="演示：城关镇新发布的公开事项").exists())

    def test_the_demo_members_address_is_tied_and_gets_their_villages_members_only_items(self):
        member = Subscriber.objects.get(user__username="member")
        self.assertEqual(member.address, member.user.email)
        village = UnitPage.objects.filter(members_group__in=member.user.groups.all(), locale__language_code="zh-hans").get()
        with outbox_senders():
            with self.captureOnCommitCallbacks(execute=True):
                make_item(village, "演示：本村党员大会会议纪要", scope=Scope.UNIT_MEMBERS)
            fanout.send_digests(Frequency.DAILY)
        to_member = [message for contact, message in OutboxSender.outbox if contact == member.address]
        self.assertEqual(len(to_member), 1)
        self.assertIn("演示：本村党员大会会议纪要", to_member[0].text)
        self.assertIn("仅党员可见", to_member[0].text)
        # Nobody else: the township's at-once reader is not tied to a member.
        self.assertEqual([contact for contact, _message in OutboxSender.outbox], [member.address])
