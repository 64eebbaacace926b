"""Phrase-level script conversion: the pitfalls of character-by-character converters."""

import pytest

from chinese.conversion import PROFILES, KnownNames, convert, convert_all, to_simplified, to_traditional
from chinese.dictionary import parse, project_dictionary

from .corpus import CORPUS

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


# Issue 16: what OpenCC alone gets wrong on the demo site, and the names the system knows.

def test_the_demo_sites_errors_are_gone():
    assert to_traditional("惠民资金发放情况", "s2tw") == "惠民資金發放情況"
    assert to_traditional("支部书记余兴同志、委员沈海发同志", "s2tw") == "支部書記余興同志、委員沈海發同志"
    assert to_traditional("麦地冲村和羊毛冲村", "s2tw") == "麥地沖村和羊毛沖村"


def test_known_names_convert_as_names_in_any_sentence():
    names = KnownNames(people=frozenset({"王金发", "余兴", "沈海发"}), places=frozenset({"麦地冲村", "城关镇"}))
    text = "王金发、余兴和沈海发在麦地冲开会"
    assert to_traditional(text, "s2tw") == "王金髮、餘興和瀋海發在麥地衝開會"  # OpenCC alone, no names known
    assert to_traditional(text, "s2tw", names) == "王金發、余興和沈海發在麥地沖開會"


def test_surname_rules_leave_words_that_end_in_the_surname_to_opencc():
    assert to_traditional("其余科长由于工作原因，对于书记的意见，二十余名同志", "s2tw") == "其餘科長由於工作原因，對於書記的意見，二十餘名同志"


def test_regional_profiles_keep_the_project_phrases():
    assert to_traditional("退休金发放", "s2hk") == "退休金發放"
    assert to_traditional("退休金发放", "s2t") == "退休金發放"
    assert to_traditional("余科长", "s2twp") == "余科長"


def test_every_dictionary_entry_says_why_and_reads_back():
    dictionary = project_dictionary()
    assert dictionary.version and len(dictionary.entries) >= 60
    for entry in dictionary.entries:
        assert entry.why
        if entry.applies(True):
            assert to_traditional(entry.simplified, "s2t") == entry.traditional
        if entry.applies(False):
            assert to_simplified(entry.traditional) == entry.simplified


def test_a_malformed_dictionary_line_is_named():
    with pytest.raises(ValueError, match="line 2"):
        parse("# version: 1\n金发放\t金發放\n")
    with pytest.raises(ValueError, match="version"):
        parse("金发放\t金發放\tboth\twhy\n")


def test_a_name_found_in_one_text_of_a_document_is_known_in_the_others():
    cell, sentence = "余琴桂", "经公开竞价，余琴桂以每年16800元竞得。"
    assert to_traditional(sentence, "s2tw") == "經公開競價，餘琴桂以每年16800元競得。"  # alone: no rule finds the name
    assert convert_all([sentence, cell, "余额"], "s2tw") == ["經公開競價，余琴桂以每年16800元競得。", "余琴桂", "餘額"]
