"""Phrase-level script conversion: the pitfalls of character-by-character converters."""

from pathlib import Path

import pytest

from chinese.conversion import PROFILES, convert, to_simplified, to_traditional

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

# (Simplified, Traditional as read in Taiwan, the default profile s2tw)
PITFALLS = [
    ("发展", "發展"),
    ("头发", "頭髮"),
    ("干部", "幹部"),
    ("干预", "干預"),
    ("后来", "後來"),
    ("皇后", "皇后"),
    ("系统", "系統"),
    ("范围", "範圍"),
    ("原则", "原則"),
    ("服务", "服務"),
    ("广大", "廣大"),
    ("面条", "麵條"),
    ("里面", "裡面"),
    ("公里", "公里"),
]


@pytest.mark.parametrize("simplified, traditional", PITFALLS)
def test_simplified_to_traditional_by_phrase(simplified, traditional):
    assert to_traditional(simplified, "s2tw") == traditional


@pytest.mark.parametrize("simplified, traditional", PITFALLS)
def test_traditional_to_simplified_by_phrase(simplified, traditional):
    assert to_simplified(traditional) == simplified


def test_pitfalls_in_running_text_both_ways():
    text = "皇后镇干部在发展中坚持原则，为广大群众服务，干预范围限于本系统；后来他在面馆里面吃面条，头发都湿了，离这里三公里。"
    traditional = to_traditional(text, "s2tw")
    assert traditional == "皇后鎮幹部在發展中堅持原則，為廣大群眾服務，干預範圍限於本系統；後來他在麵館裡面吃麵條，頭髮都溼了，離這裡三公里。"
    assert to_simplified(traditional) == text


def test_profiles_differ_where_regions_do():
    assert to_traditional("里面", "s2hk") == "裏面"
    assert to_traditional("软件", "s2twp") == "軟體"
    assert to_traditional("软件", "s2tw") == "軟件"


def test_numbers_latin_urls_and_markup_pass_through():
    text = '<p>见<a href="https://dangwu.example.cn/a?id=2023">〔2023〕5号</a> PDF v2.1 2023年</p>'
    assert to_traditional(text) == '<p>見<a href="https://dangwu.example.cn/a?id=2023">〔2023〕5號</a> PDF v2.1 2023年</p>'


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError):
        convert("党务", "s2xx")
    assert "s2tw" in PROFILES


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize("name", ["county-secretary-speech.txt", "district-meeting-speech.txt"])
def test_corpus_round_trips_through_traditional(name):
    """Real documents: Simplified → Traditional → Simplified changes next to nothing."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    back = to_simplified(to_traditional(text))
    differences = sum(1 for a, b in zip(text, back) if a != b)
    assert len(back) == len(text)
    assert differences / len(text) < 0.002
    assert "黨務公開" in to_traditional(text) or "黨務" in to_traditional(text)
