"""Members' subscriptions (党员订阅): a member signed in on the portal ties their account's
e-mail address to their account by confirming it, and is then also sent the members-only items
they may read — each message built for its recipient when it is sent. No members-only content
reaches an address not tied to a member who may read it."""

import pytest
from django.test import Client

from alerts import fanout
from participation.senders import OutboxSender
from alerts.models import Delivery, DeliveryStatus, Subscriber
from disclosure_pages.choices import Scope, Takedown
from tests.factories import edit_and_publish, make_item, make_user

from .helpers import SmtpServer, confirmed, link_to, links_in, new_client, path_of, sent_to, subscribe, text_of
from .test_corrections import take_down
from .test_end_to_end import publish_through_workflow

pytestmark = pytest.mark.django_db


def signed_in(user):
    """A browser signed in on the portal (党员登录) with the member's password."""
    client = new_client()
    response = client.post("/zh-hans/account/login/", {"username": user.username, "password": "pw-" + user.username})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def member_of(unit, username, email):
    return make_user(username, unit.members_group, email=email)


def tied(target, member, frequency="immediate", with_sub_units=True):
    """A member's confirmed subscription, tied to them: requested signed in, confirmed by the link."""
    from alerts import links, subscribing

    from .helpers import outbox_senders

    with outbox_senders():
        subscriber, subscription = subscribing.subscribe(
            "email", member.email, target, frequency, "zh-hans", with_sub_units=with_sub_units, member=member
        )
        token = links.confirm_token(subscriber, [subscription], member)
        subscribing.confirm(subscriber, [subscription.pk], links.member_of_confirmation(token))
    OutboxSender.outbox.clear()  # the confirmation
    subscriber.refresh_from_db()
    assert subscriber.user == member
    return subscriber


def test_a_member_subscribes_signed_in_and_receives_a_members_only_item_no_one_else_does(county, django_capture_on_commit_callbacks):
    member = member_of(county.township, "cgz-member", "Member@CGZ.example.cn")
    other_unit = member_of(county.township2, "sqz-member", "member@sqz.example.cn")
    browser = signed_in(member)
    with SmtpServer() as mailbox:
        page = browser.get(county.township.url).content.decode()
        assert "您已登录党员账号" in page and "m***@cgz.example.cn" in page
        response = subscribe(browser, county.township, "member@cgz.example.cn")
        assert "确认邮件已发送至 m***@cgz.example.cn" in response.content.decode()
        [mail] = mailbox.to("member@cgz.example.cn")
        link = link_to(text_of(mail), "confirm")
        assert Subscriber.objects.get(address="member@cgz.example.cn").user is None  # not before the link is followed
        assert "您的订阅已确认" in new_client().post(link).content.decode()
        assert Subscriber.objects.get(address="member@cgz.example.cn").user == member
        mailbox.messages.clear()
        # A resident of the same unit, and a member of another township subscribed signed in to this one.
        confirmed(county.township, "resident@example.cn")
        tied(county.township, other_unit)

        with django_capture_on_commit_callbacks(execute=True):
            item = publish_through_workflow(county, county.township, "城关镇党员大会会议纪要（党内）", scope="unit")
        assert item.scope == Scope.UNIT_MEMBERS

        [alert] = mailbox.to("member@cgz.example.cn")
        text = text_of(alert)
        assert "仅党员可见" in str(alert["Subject"]) and "【仅党员可见】城关镇党员大会会议纪要（党内）" in text
        assert "请登录党员账号查看" in text
        item_url = "http://testserver" + item.url
        assert item_url in links_in(text)
        assert mailbox.to("resident@example.cn") == [] and mailbox.to("member@sqz.example.cn") == []
        assert not any("党员大会会议纪要" in m.as_string() for m in mailbox.messages if m is not alert)
        # The link: the member reads it signed in; anyone else is sent to sign in.
        assert "城关镇党员大会会议纪要（党内）" in browser.get(path_of(item_url)).content.decode()
        assert "城关镇党员大会会议纪要（党内）" not in Client().get(path_of(item_url), follow=True).content.decode()
        # The manage page shows the tie.
        manage = new_client().get(link_to(text, "manage")).content.decode()
        assert "党员账号订阅" in manage


def test_members_only_pages_are_offered_to_their_readers_on_their_account_address_only(county, outbox):
    members_item = make_item(county.township, "城关镇发展党员名单（党内）", scope=Scope.UNIT_MEMBERS)
    member = member_of(county.township, "cgz-member2", "reader@cgz.example.cn")
    browser = signed_in(member)
    url = f"/zh-hans/alerts/subscribe/?page={members_item.pk}"
    assert f"subscribe/?page={members_item.pk}" in browser.get(members_item.url).content.decode()  # its panel
    page = browser.get(url).content.decode()
    # The member is told what their account address brings, and not that only public items are sent.
    assert "还会收到您有权查看的仅党员可见信息" in page and "只发送向社会公开的信息" not in page
    assert "只发送向社会公开的信息" in new_client().get(f"/zh-hans/alerts/subscribe/?page={county.township.pk}").content.decode()
    for stranger in (new_client(), signed_in(member_of(county.township2, "sqz-member2", "b@sqz.example.cn"))):
        assert stranger.get(url).status_code == 404
        assert subscribe(stranger, members_item, "reader@cgz.example.cn").status_code == 404
        assert stranger.get(f"/zh-hant/alerts/subscribe/?page={members_item.pk}").status_code == 404
    # Another address of the member's: refused in words, nothing asked of it.
    response = subscribe(browser, members_item, "private@example.cn")
    assert "仅党员可见的内容只能用您党员账号的电子邮箱订阅" in response.content.decode()
    assert outbox == [] and not Subscriber.objects.filter(address="private@example.cn").exists()
    # The account's address: its confirmation names no members-only title (the address is not proven the member's yet).
    assert "确认邮件已发送" in subscribe(browser, members_item, "reader@cgz.example.cn").content.decode()
    [(address, mail)] = outbox
    assert address == "reader@cgz.example.cn"
    assert "发展党员名单" not in mail.text and "一项仅党员可见的内容" in mail.text
    confirm = link_to(mail.text, "confirm")
    assert "发展党员名单" not in new_client().get(confirm).content.decode()  # opened signed out
    assert "发展党员名单" in browser.get(confirm).content.decode()  # opened by the member
    browser.post(confirm)
    assert Subscriber.objects.get(address="reader@cgz.example.cn").user == member


def test_an_anonymous_request_never_ties_an_address_nor_unties_one(county, outbox, settings):
    settings.SUNSHINE_ALERTS_CONFIRMATIONS_PER_CONTACT_HOUR = 10  # this address asks four times
    member = member_of(county.township, "cgz-member3", "tie@cgz.example.cn")
    # Anonymous, the member's own address: an ordinary subscription, confirmed by its link, tied to no one.
    subscribe(new_client(), county.township, "tie@cgz.example.cn")
    [(_address, mail)] = outbox
    new_client().post(link_to(mail.text, "confirm"))
    subscriber = Subscriber.objects.get(address="tie@cgz.example.cn")
    assert subscriber.confirmed_at is not None and subscriber.user is None
    # A tampered link cannot add a member either: the signature covers it.
    from alerts import links

    forged = links.confirm_token(subscriber, list(subscriber.subscriptions.all())) + "x"
    assert new_client().post(f"/zh-hans/alerts/confirm/{forged}/").status_code == 400
    # Another member signed in cannot tie someone else's address.
    intruder = signed_in(member_of(county.township, "cgz-member4", "intruder@cgz.example.cn"))
    outbox.clear()
    subscribe(intruder, county.village1, "tie@cgz.example.cn")
    [(_address, mail)] = outbox
    new_client().post(link_to(mail.text, "confirm"))
    assert Subscriber.objects.get(address="tie@cgz.example.cn").user is None
    # Tied by the member, then an anonymous request and its confirmation leave the tie as it is.
    tied(county.township, member)
    outbox.clear()
    subscribe(new_client(), county.entries["党费收缴使用"], "tie@cgz.example.cn", entry=True, with_sub_units=False)
    [(_address, mail)] = outbox
    new_client().post(link_to(mail.text, "confirm"))
    assert Subscriber.objects.get(address="tie@cgz.example.cn").user == member


def test_a_member_who_left_or_was_made_inactive_before_the_digest_is_sent_nothing_of_it(county, outbox, publish):
    stays = tied(county.township, member_of(county.township, "cgz-stays", "stays@cgz.example.cn"), frequency="daily")
    leaves_member = member_of(county.township, "cgz-leaves", "leaves@cgz.example.cn")
    leaves = tied(county.township, leaves_member, frequency="daily")
    inactive_member = member_of(county.township, "cgz-inactive", "inactive@cgz.example.cn")
    inactive = tied(county.township, inactive_member, frequency="daily")
    moved_member = member_of(county.township, "cgz-moved", "moved@cgz.example.cn")
    moved = tied(county.township, moved_member, frequency="daily")
    resident = confirmed(county.township, "resident2@example.cn", frequency="daily")

    publish(county.township, "城关镇党委理论学习中心组学习安排（党内）", scope=Scope.UNIT_MEMBERS)
    publish(county.township, "城关镇公开招聘公告")
    waiting = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    assert waiting.filter(subscriber=resident).count() == 1  # the public item only
    assert waiting.filter(subscriber=leaves).count() == 2

    leaves_member.groups.remove(county.township.members_group)
    inactive_member.is_active = False
    inactive_member.save()
    moved_member.email = "new-address@cgz.example.cn"  # the address is no longer the account's
    moved_member.save()
    assert fanout.send_digests("daily") == 5

    [digest] = sent_to(stays.address)
    assert "【仅党员可见】城关镇党委理论学习中心组学习安排（党内）" in digest.text and "城关镇公开招聘公告" in digest.text
    for subscriber in (leaves, inactive, moved, resident):
        [digest] = sent_to(subscriber.address)
        assert "城关镇公开招聘公告" in digest.text and "理论学习中心组" not in digest.text and "理论学习中心组" not in digest.html
        assert Delivery.objects.filter(subscriber=subscriber, status=DeliveryStatus.WITHHELD).count() == (0 if subscriber == resident else 1)


def test_an_item_narrowed_before_the_digest_is_withheld_from_whoever_may_no_longer_read_it(county, outbox, publish):
    member = tied(county.township, member_of(county.township, "cgz-member5", "narrow@cgz.example.cn"), frequency="daily")
    resident = confirmed(county.township, "resident3@example.cn", frequency="daily")
    public = publish(county.township, "城关镇党员活动室开放时间")
    members_only = publish(county.township, "城关镇党员积分评定结果（党内）", scope=Scope.UNIT_MEMBERS)
    # The public item narrowed to members; the members' item narrowed to a village's members only.
    edit_and_publish(public, scope=Scope.UNIT_MEMBERS)
    edit_and_publish(members_only, scope=Scope.NAMED, named_units=[county.village1])
    fanout.send_digests("daily")

    assert sent_to(resident.address) == []  # its one item is no longer public
    assert Delivery.objects.get(subscriber=resident).status == DeliveryStatus.WITHHELD
    [digest] = sent_to(member.address)
    assert "【仅党员可见】城关镇党员活动室开放时间" in digest.text and "党员积分评定结果" not in digest.text
    assert Delivery.objects.get(subscriber=member, item=members_only).status == DeliveryStatus.WITHHELD


def test_corrections_of_members_only_items_reach_only_members_who_may_still_read_them(county, outbox, publish):
    stays = tied(county.township, member_of(county.township, "cgz-member6", "c-stays@cgz.example.cn"))
    leaves_member = member_of(county.township, "cgz-member7", "c-leaves@cgz.example.cn")
    leaves = tied(county.township, leaves_member)
    withdrawn = publish(county.township, "城关镇党支部换届选举方案（党内）", scope=Scope.UNIT_MEMBERS)
    removed = publish(county.township, "城关镇党员缴纳党费明细（党内）", scope=Scope.UNIT_MEMBERS)
    assert len(sent_to(stays.address)) == 2 and len(sent_to(leaves.address)) == 2
    outbox.clear()
    leaves_member.groups.remove(county.township.members_group)

    take_down(withdrawn, Takedown.WITHDRAWN, "方案调整")
    take_down(removed, Takedown.REMOVED, "误发")
    fanout.process_outbox()

    told = sent_to(stays.address)
    assert len(told) == 2 and all("仅党员可见" in message.text for message in told)
    assert sent_to(leaves.address) == []


def test_publishing_many_members_only_items_checks_each_member_once_per_batch(county, outbox, django_assert_max_num_queries):
    members = [tied(county.township, member_of(county.township, f"cgz-batch{n}", f"batch{n}@cgz.example.cn"), frequency="daily") for n in range(3)]
    for n in range(6):
        make_item(county.township, f"城关镇党内通报第{n}号", scope=Scope.UNIT_MEMBERS)
    fanout.process_outbox()
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 18
    # The digests' visibility checks: one query for the public items and one per member, not one per delivery.
    with django_assert_max_num_queries(40):
        assert fanout.send_digests("daily") == 3
    for subscriber in members:
        [digest] = sent_to(subscriber.address)
        assert digest.text.count("【仅党员可见】") == 6
