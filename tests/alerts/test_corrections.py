"""Withdrawn (撤回) and removed (撤除) items: whoever was alerted to them is told, once; nobody else."""

import pytest

from alerts import fanout
from alerts.models import Delivery, DeliveryKind, DeliveryStatus, Frequency
from disclosure_pages.choices import Takedown
from tests.factories import make_item, reload

from .helpers import confirmed, sent_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write with its commit's work (the alerts task) done."""

    def commit(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return commit


def take_down(item, takedown, reason):
    """Publish a revision with the takedown, as an approved takedown request does (its variant follows)."""
    draft = reload(item).get_latest_revision_as_object()
    draft.takedown, draft.takedown_reason = takedown, reason
    draft.save_revision().publish()
    return reload(item)


def test_a_withdrawal_tells_those_alerted_with_the_public_reason_and_the_page(county, outbox, commit):
    alerted = confirmed(county.township, "alerted@example.cn")
    traditional = confirmed(county.township, "hant@example.cn", script="zh-hant")
    waiting = confirmed(county.township, "weekly@example.cn", frequency=Frequency.WEEKLY)
    elsewhere = confirmed(county.township2, "other@example.cn")
    item = commit(make_item, county.township, "城关镇2024年党员发展计划")
    assert len(sent_to(alerted.address)) == 1
    outbox.clear()

    commit(take_down, item, Takedown.WITHDRAWN, "计划数字有误，更正后重新发布")

    [notice] = sent_to(alerted.address)
    assert notice.subject == "【阳光党务】已撤回：城关镇2024年党员发展计划"
    assert "计划数字有误，更正后重新发布" in notice.text and reload(item).index_number in notice.text
    assert f"http://testserver{item.url}" in notice.text or item.full_url in notice.text
    [hant] = sent_to(traditional.address)
    assert "已撤回：城關鎮2024年黨員發展計劃" in hant.subject
    # The weekly reader had not been sent it: no correction, and the withdrawn item leaves their digest.
    assert sent_to(waiting.address) == [] and sent_to(elsewhere.address) == []
    assert fanout.send_digests(Frequency.WEEKLY) == 0
    assert Delivery.objects.get(subscriber=waiting).status == DeliveryStatus.WITHHELD


def test_a_removal_names_the_item_but_neither_its_reason_nor_a_link(county, outbox, commit):
    email = confirmed(county.township, "alerted@example.cn")
    mobile = confirmed(county.township, "13800138000", kind="mobile")
    item = commit(make_item, county.township, "城关镇党员名册（误发）")
    outbox.clear()

    commit(take_down, item, Takedown.REMOVED, "含党员身份证号码")

    [notice] = sent_to(email.address)
    assert notice.subject == "【阳光党务】已撤除：城关镇党员名册（误发）"
    assert "不再公开" in notice.text
    assert "含党员身份证号码" not in notice.text + notice.html and item.url not in notice.text + notice.html
    [text] = sent_to(mobile.address)
    assert "已撤除：城关镇党员名册（误发）" in text.text and "身份证" not in text.text


def test_each_address_is_told_once_and_not_after_a_reinstatement(county, outbox, commit):
    subscriber = confirmed(county.township, "once@example.cn")
    item = commit(make_item, county.township, "城关镇2024年第二季度党费收缴情况")
    outbox.clear()
    commit(take_down, item, Takedown.WITHDRAWN, "数据待核实")
    commit(take_down, item, Takedown.NONE, "")
    commit(take_down, item, Takedown.REMOVED, "核实后不宜公开")
    assert len(sent_to(subscriber.address)) == 1
    assert Delivery.objects.filter(subscriber=subscriber, kind=DeliveryKind.TAKEN_DOWN).count() == 1

    # Reinstated before the correction's turn came: nobody is told.
    other = confirmed(county.township, "late@example.cn")
    second = commit(make_item, county.township, "城关镇村级后备干部名单")
    outbox.clear()
    take_down(second, Takedown.WITHDRAWN, "名单待公示期满")  # the task has not run yet
    fanout.correct({second.translation_key})
    take_down(second, Takedown.NONE, "")
    assert fanout.send_corrections() == 0
    assert Delivery.objects.get(subscriber=other, item_key=second.translation_key, kind=DeliveryKind.TAKEN_DOWN).status == DeliveryStatus.WITHHELD
    assert sent_to(other.address) == []
