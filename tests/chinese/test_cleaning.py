"""Cleaning rules for scraped legacy documents: each rule on small cases, then all of them on the corpus."""

import re

import pytest

from chinese.cleaning import (
    clean_document,
    drop_repeated_paragraphs,
    ends_truncated,
    heading_level,
    is_site_furniture,
    normalise_whitespace,
    remove_pinyin_readings,
    repair_entities,
    split_flattened_paragraphs,
    strip_markup,
)
from tests.chinese.corpus import needs_corpus, read_corpus

# -- markup -------------------------------------------------------------------------------------


def test_br_and_block_tags_become_line_breaks():
    lines = strip_markup("甲<br>乙<br/>丙<p>丁</p><div>戊</div>").split("\n")
    assert [line for line in lines if line] == ["甲", "乙", "丙", "丁", "戊"]


def test_other_tags_scripts_styles_and_comments_are_dropped():
    text = strip_markup("<html><head><title>站名</title></head><body><script>var a = 1;</script><style>p{}</style><!-- 注 --><span>正文</span></body></html>")
    assert text.strip() == "正文"


def test_table_cells_are_separated_by_spaces():
    assert strip_markup("<tr><td>姓名</td><td>金额</td></tr>").split() == ["姓名", "金额"]


def test_text_that_only_looks_like_markup_is_kept():
    assert strip_markup("学习<<中国共产党章程>>，a < b") == "学习<<中国共产党章程>>，a < b"


# -- entities -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "broken, repaired",
    [
        ("&ldquo;两新&rdquo;组织", "“两新”组织"),
        ("两新rdquo;组织", "两新”组织"),
        ("&ldquo两新&rdquo组织", "“两新”组织"),
        ("7+_rdquo;目录", "7+_”目录"),  # the blank before it is the page's own
        ("&amp;ldquo;双重转义&amp;rdquo;", "“双重转义”"),
        ("甲&nbsp;乙&mdash;丙&hellip;", "甲\u00a0乙—丙…"),
        ("&#8220;数字&#8221;", "“数字”"),
    ],
)
def test_entities_are_decoded_and_broken_ones_repaired(broken, repaired):
    assert repair_entities(broken) == repaired


def test_words_that_contain_entity_names_are_left_alone():
    assert repair_entities("quotation; ldquo is a word") == "quotation; ldquo is a word"


# -- pinyin readings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, cleaned",
    [
        ("黨務(wù)公開", "黨務公開"),
        ("黨(dǎng)務(wù)公開", "黨務公開"),
        ("公开（gōng kāi）栏", "公开栏"),
        ("党务(wu4)公开", "党务公开"),
    ],
)
def test_pinyin_readings_are_removed(text, cleaned):
    assert remove_pinyin_readings(text) == cleaned


@pytest.mark.parametrize(
    "text", ["党委（党组）集体讨论", "实施办法(试行)", "（2023）年度", "(一)基本情况", "因地(单位)制宜", "条款(a)", "文件(PPT)", "附件(abc)"]
)
def test_legitimate_parentheses_are_kept(text):
    assert remove_pinyin_readings(text) == text


# -- whitespace and flattened paragraphs --------------------------------------------------------


def test_whitespace_is_collapsed_and_invisible_characters_removed():
    assert normalise_whitespace("\u3000\u3000近年来，\u00a0镇党委\u200b\t 坚持  公开 ") == "近年来， 镇党委 坚持 公开"


def test_a_flattened_document_is_split_into_paragraphs():
    sentence = "镇党委坚持把党务公开作为加强基层党组织建设的重要抓手，逐项明确责任人和完成时限。"
    line = f"工作总结 {sentence * 3} 一、基本情况 1、{sentence * 2} 2、{sentence} 第3页 共3页"
    assert split_flattened_paragraphs(line) == ["工作总结", sentence * 3, "一、基本情况", f"1、{sentence * 2}", f"2、{sentence}", "第3页", "共3页"]


def test_an_ordinary_line_with_spaces_is_not_split():
    assert split_flattened_paragraphs("出席：张三 李四 王五。") == ["出席：张三 李四 王五。"]


# -- site furniture -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "首页",
        "下载文档",
        "• 温馨提示:",
        "MORE",
        "收藏 分享赚钱",
        "ID:1370133",
        "大小:18.60KB",
        "页数:6页",
        "格式:DOCX",
        "时间:2023-04-20",
        "时间:2022-06-19 03:12:00",
        "发布时间:2023-01-16 11:11:51 页数:16",
        "价格:¥3 大小:29.93 KB",
        "文章作者:U-12562",
        "网站客服:3074922707",
        "1. 部分包含数学公式的文件,查看预览时可能会显示错乱,文件下载后无此问题,请放心下载。",
        "2. 本文档由用户上传,版权归属用户,本站负责整理代发布。",
        "剩余14页未读,查看更多内容需下载",
        "导语:本文来源于网友上传,不代表本站观点",
        "第6页 共6页",
        "第 2 页",
        "共6页",
        "1/16",
        "- 3 -",
        "2023年镇党务公开工作的实践与思考.docx",
        "2023 党务 公开 工作 实践 思考",
    ],
)
def test_download_site_furniture_is_recognised(line):
    assert is_site_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "同志们:",
        "一、基本情况",
        "时间：2024年3月5日上午9时",  # a meeting notice's own time line
        "地点：镇政府三楼会议室",
        "附件：党费收缴明细表.docx",
        "举报电话：12388",
        "2024年3月5日",
        "城关党发〔2024〕3号",
        "出席：张三 李四",
    ],
)
def test_document_lines_are_not_furniture(line):
    assert not is_site_furniture(line)


def test_a_paragraph_repeating_the_one_before_is_dropped():
    assert drop_repeated_paragraphs(["标题", "标题", "正文", "标题"]) == ["标题", "正文", "标题"]


# -- headings and truncation --------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph, level",
    [
        ("一、基本情况", 2),
        ("十二、其他事项", 2),
        ("第三部分 工作措施", 2),
        ("（一）强化组织领导。", 3),
        ("(二)严格公开程序", 3),
        ("一要突出重点，抓好公开。", None),
        ("1、宣传发动到位。", None),
        ("一、" + "坚持公开透明，" * 10, None),
        ("（一）加强领导。成立工作专班。", None),
    ],
)
def test_numbered_headings(paragraph, level):
    assert heading_level(paragraph) == level


@pytest.mark.parametrize(
    "paragraphs, truncated",
    [(["正文", "党员、群众被排斥..."], True), (["未完…"], True), (["如此等等……"], False), (["完。"], False), ([], False)],
)
def test_truncated_previews(paragraphs, truncated):
    assert ends_truncated(paragraphs) is truncated


# -- the corpus ---------------------------------------------------------------------------------

CORPUS_NAMES = [
    "county-secretary-speech.txt",
    "township-practice-scraped.txt",
    "town-power-transparency-scraped.html.txt",
    "district-meeting-speech.txt",
]
ARTEFACTS = [
    re.compile(pattern)
    for pattern in (
        r"[a-z]dquo", r"&[a-z#]", r"<\s*/?\s*[a-z]", r"下载", r"客服", r"温馨提示", r"版权", r"本站", r"价格", r"页数",
        r"大小[:：]", r"^\d+/\d+$", r"^第\d+页", r"共\d+页$", r"^(首页|分享|收起|展开|MORE)$", r"\.docx$",
        r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)",
    )
]
NUMBERED_HEADING = re.compile(r"(?:^|\s|<br>\s*)([一二三四五六七八九十]+、)")


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_corpus_artefacts_are_gone(name):
    for paragraph in clean_document(read_corpus(name)):
        for artefact in ARTEFACTS:
            assert not artefact.search(paragraph), f"{name}: {artefact.pattern} in {paragraph[:40]}"


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_corpus_numbered_headings_stay_paragraphs_of_their_own(name):
    raw = read_corpus(name)
    paragraphs = clean_document(raw)
    headings = [paragraph for paragraph in paragraphs if heading_level(paragraph) == 2]
    expected = {match.group(1) for match in NUMBERED_HEADING.finditer(raw)}
    assert {heading.split("、")[0] + "、" for heading in headings} == expected
    assert len(headings) == len(expected)


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_corpus_text_is_kept_whole_and_in_order(name):
    """Cleaning removes and splits, never rewrites: each paragraph is a piece of the source, in order."""
    raw = read_corpus(name)
    paragraphs = clean_document(raw)
    source = normalise_whitespace(repair_entities(strip_markup(raw)).replace("\n", " "))
    position = 0
    for paragraph in paragraphs:
        found = source.find(paragraph, position)
        assert found >= 0, f"{name}: {paragraph[:20]}"
        position = found + len(paragraph)
    # The body (the source's long lines) loses nothing but a page counter.
    body = [line for line in raw.splitlines() if len(line) > 300]
    assert han_count(paragraphs) >= 0.99 * han_count(body)


def han_count(lines):
    return sum(len(re.findall(r"[\u4e00-\u9fff]", line)) for line in lines)


@needs_corpus
def test_flattened_corpus_document_gets_its_paragraphs_back():
    paragraphs = clean_document(read_corpus("township-practice-scraped.txt"))
    assert len(paragraphs) >= 15
    assert [level for level in map(heading_level, paragraphs) if level] == [2, 2, 2]
    assert all(len(paragraph) < 1000 for paragraph in paragraphs)


@needs_corpus
def test_scraped_html_corpus_document_keeps_its_br_paragraphs_and_quotes():
    raw = read_corpus("town-power-transparency-scraped.html.txt")
    paragraphs = clean_document(raw)
    body_line = next(line for line in raw.splitlines() if "<br>" in line)
    assert len(paragraphs) == body_line.count("<br>") + 1
    assert sum(paragraph.count("“") for paragraph in paragraphs) == raw.count("&ldquo;")
    assert ends_truncated(paragraphs)


@needs_corpus
def test_broken_entities_in_corpus_are_repaired_and_blanks_and_brackets_kept():
    raw = read_corpus("district-meeting-speech.txt")
    text = "\n".join(clean_document(raw))
    assert text.count("”") == raw.count("rdquo;") + raw.count("”")
    assert text.count("_") == raw.count("_")
    assert "(试行)" in text and "(单位)" in text
