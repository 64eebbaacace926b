"""Issue 16: the labelled set (conversion_set.tsv) converted by the project's layer, case by case."""

import pytest

from chinese.conversion import Converter, convert, converter

from .conversion_set import cases, failures

CASES = cases()


def test_the_set_covers_every_family_in_both_directions():
    assert len(CASES) >= 300
    assert {case.profile for case in CASES} == {"s2tw", "t2s"}
    families = {case.family for case in CASES}
    for family in ("segmentation", "surname", "place", "干/乾/幹", "只/隻", "发/髮", "复/復/複/覆", "面/麵", "台/臺/颱",
                   "里/裡", "系/係/繫", "历/歷/曆", "征/徵", "松/鬆", "谷/穀", "采/採"):
        assert family in families


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.profile}-{case.source}")
def test_case(case):
    assert convert(case.source, case.profile) == case.expected


def test_better_than_opencc_alone_which_fails_the_families_of_the_issue():
    opencc_failures = {case.source for case, _ in failures(lambda text, profile: converter(profile).convert(text))}
    assert failures(convert) == []
    for source in ("惠民资金发放情况公示", "余科长", "麦地冲村", "新征程", "隨著經濟發展"):
        assert source in opencc_failures


def test_phrases_around_opencc_convert_the_set_as_inside_it():
    around = {profile: Converter(profile, phrases_inside=False) for profile in ("s2tw", "t2s")}
    assert failures(lambda text, profile: around[profile].convert(text)) == []
