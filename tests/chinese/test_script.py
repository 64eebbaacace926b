"""Script detection (简体/繁體) and the flags for bad character-by-character conversions."""

import pytest

from chinese.conversion import to_traditional
from chinese.script import SIMPLIFIED, TRADITIONAL, detect_script, suspect_conversions
from tests.chinese.corpus import needs_corpus, read_corpus


@pytest.mark.parametrize(
    "text, script",
    [
        ("党务公开", SIMPLIFIED),
        ("黨務公開", TRADITIONAL),
        ("為人民服務", TRADITIONAL),
        ("为人民服务", SIMPLIFIED),
        ("党委（党组）会议", SIMPLIFIED),
        ("中共中央", SIMPLIFIED),  # the same in both scripts: the default
        ("", SIMPLIFIED),
        ("Party affairs 2024", SIMPLIFIED),
        ("黨務公開(wù)，一個 OpenCC 測試", TRADITIONAL),
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script


def test_a_few_simplified_quotations_do_not_make_a_traditional_text_simplified():
    traditional = "鎮黨委認真貫徹落實關於全面推行黨務公開的意見，制訂了實施方案。" * 3
    assert detect_script(traditional + "（引自“党务公开”）") == TRADITIONAL


@needs_corpus
@pytest.mark.parametrize(
    "name",
    ["county-secretary-speech.txt", "township-practice-scraped.txt", "town-power-transparency-scraped.html.txt", "district-meeting-speech.txt"],
)
def test_corpus_is_detected_in_both_scripts(name):
    text = read_corpus(name)
    assert detect_script(text) == SIMPLIFIED
    assert detect_script(to_traditional(text)) == TRADITIONAL


@pytest.mark.parametrize(
    "text, found, likely",
    [
        ("按照真实公正的原那么，", "原那么", "原则"),
        ("效劳群众", "效劳", "服务"),
        ("使广阔党员群众增强意识", "广阔", "广大"),
        ("落实科学开展观", "开展观", "发展观"),
        ("民主意识不时增强", "不时", "不断"),
        ("发明条件", "发明", "创造"),
        ("群众根底", "根底", "基础"),
        ("公开信息反响制", "反响", "反馈"),
        ("把好“四关〞", "〞", "”"),
        ("按照真實公正的原那麼，", "原那么", "原则"),  # found in a Traditional text too
    ],
)
def test_suspect_conversions_are_flagged_with_the_likely_word(text, found, likely):
    assert [(suspect.found, suspect.likely) for suspect in suspect_conversions(text)] == [(found, likely)]


@pytest.mark.parametrize(
    "text",
    ["坚持原则，服务群众", "广阔的草原", "开展党务公开工作", "不时有群众来访", "发明创造", "社会反响强烈", "“两新”组织"],
)
def test_correct_text_is_not_flagged(text):
    assert suspect_conversions(text) == []


def test_suspects_are_counted_most_frequent_first():
    suspects = suspect_conversions("原那么。效劳，效劳，效劳。")
    assert [(suspect.found, suspect.count) for suspect in suspects] == [("效劳", 3), ("原那么", 1)]


@needs_corpus
def test_corpus_bad_conversions_are_flagged():
    found = {suspect.found for suspect in suspect_conversions(read_corpus("township-practice-scraped.txt"))}
    assert {"原那么", "效劳", "广阔", "〞"} <= found
    assert suspect_conversions(read_corpus("district-meeting-speech.txt")) == []
