"""Cleaning rules for scraped and converted legacy documents, as small pure functions.

Old disclosures arrive as scraped web pages and converted Word files: HTML tags and
entities (some broken), download-site furniture around the text (下载文档, 温馨提示, prices,
page counters), pinyin readings that converters put after characters, and paragraphs
flattened into one line. ``clean_document`` applies the rules in order and returns the
document's paragraphs; ``heading_level`` tells numbered headings (一、…, （一）…) apart.
"""

import html
import re

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Han characters and the full-width punctuation written between them.
_CJK = rf"[{_HAN}\u3000-\u303f\uff00-\uffef“”‘’…—]"

# -- markup -----------------------------------------------------------------------------------

_DROPPED_ELEMENTS = re.compile(r"<(script|style|head|noscript|template)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)
_CELL_TAGS = re.compile(r"</?t[dh]\b[^>]*>", re.IGNORECASE)
_BLOCK_TAGS = re.compile(
    r"<br\s*/?>|</?(?:p|div|h[1-6]|li|tr|table|section|article|blockquote|pre|ul|ol|dl|dd|dt|header|footer|nav|aside)\b[^>]*>",
    re.IGNORECASE,
)
# A "<" followed by a letter, "/" or "!": so "<<党章>>" and "a < b" are left alone.
_TAGS = re.compile(r"</?[a-zA-Z][^<>]*>|<![^<>]*>")


def strip_markup(text):
    """Turn ``<br>`` and block tags into line breaks and drop every other tag, scripts and styles."""
    text = _COMMENTS.sub("", text)
    text = _DROPPED_ELEMENTS.sub("\n", text)
    text = _CELL_TAGS.sub(" ", text)
    text = _BLOCK_TAGS.sub("\n", text)
    return _TAGS.sub("", text)


# -- entities ---------------------------------------------------------------------------------

_QUOTE_ENTITIES = "ldquo|rdquo|lsquo|rsquo|mdash|ndash|hellip|middot|nbsp|quot"
# "&ldquo" that lost its ";", and "rdquo;" or "_rdquo;" that lost its "&" (the "_" before it
# is the page's own blank, as in "_月_日", and stays).
_MISSING_SEMICOLON = re.compile(rf"&({_QUOTE_ENTITIES})(?![;a-zA-Z])")
_MISSING_AMPERSAND = re.compile(rf"(?<![&a-zA-Z])(?<!&amp;)({_QUOTE_ENTITIES});")


def repair_entities(text):
    """Decode HTML entities, including broken ones such as ``rdquo;``, ``_rdquo;`` and ``&ldquo``."""
    text = _MISSING_SEMICOLON.sub(r"&\1;", text)
    text = _MISSING_AMPERSAND.sub(r"&\1;", text)
    # Pages escaped twice (&amp;ldquo;) need a second pass.
    for _ in range(2):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


# -- pinyin readings --------------------------------------------------------------------------

_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_SYLLABLE = re.compile(rf"[a-zü{_TONE_MARKS}]{{1,6}}[1-5]?")
# A bracketed run of lower-case Latin letters right after a Han character.
_READING_CANDIDATE = re.compile(rf"(?<=[{_HAN}])[(（]\s*([a-zü{_TONE_MARKS}1-5 ]{{1,40}}?)\s*[)）]")


def _is_pinyin_reading(candidate):
    syllables = candidate.split()
    toned = any(character in _TONE_MARKS or character.isdigit() for character in candidate)
    return toned and all(_PINYIN_SYLLABLE.fullmatch(syllable) for syllable in syllables)


def remove_pinyin_readings(text):
    """Drop readings such as 務(wù) or 公开(gōng kāi); a reading needs a tone, so (a) or （试行） stay."""
    return _READING_CANDIDATE.sub(lambda match: "" if _is_pinyin_reading(match.group(1)) else match.group(0), text)


# -- whitespace and paragraphs ----------------------------------------------------------------

_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
# Control characters (NUL and the like; not tab and line breaks): damage, never text.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalise_whitespace(line):
    """One line with zero-width characters removed and every run of spaces (incl. 全角) made one space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", CONTROL_CHARACTERS.sub("", line))).strip()


_SENTENCE_END_THEN_SPACE = re.compile(r"[。！？；：!?;:]\s+\S")
_FLATTENED_BREAK = re.compile(rf"(?<={_CJK})\s+(?=(?:{_CJK}|\d))")


def split_flattened_paragraphs(line):
    """Split a whole document flattened into one line back into its paragraphs.

    Converters that flatten a document leave a space where each paragraph ended; a long
    line with several "。 " is such a document, and every space between Chinese text is
    a paragraph break. Ordinary lines are returned as they are.
    """
    if len(line) < 200 or len(_SENTENCE_END_THEN_SPACE.findall(line)) < 2:
        return [line]
    return [part for part in _FLATTENED_BREAK.split(line) if part]


# -- download-site furniture ------------------------------------------------------------------

_FURNITURE_LINES = {
    "首页", "分享", "收藏", "下载", "下载文档", "文档下载", "立即下载", "版权提示", "温馨提示", "推荐特供",
    "相关推荐", "相关文档", "猜你喜欢", "你可能关注的文档", "收起", "展开", "更多", "more", "返回顶部",
    "上一篇", "下一篇", "打印本页", "关闭窗口",
}
# Phrases only download sites write; a short line holding one is furniture.
_FURNITURE_PHRASES = (
    "客服", "本站", "网友上传", "用户上传", "版权归属", "代发布", "放心下载", "下载前", "下载后", "需下载",
    "下载收益", "付费", "资源预览", "分享赚钱", "页未读", "下载文档", "文档下载", "点击下载", "免费下载",
)
_FURNITURE_PATTERNS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # Site metadata: 时间:2022-06-19 03:12:00, 大小:18.60KB, 格式:DOCX, 价格:¥3 ...
        r"(?:发布|上传|更新)?时间[:：]\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+页数[:：]\s*\d+)?",
        r"(?:ID|文档编号)[:：]\s*\d+",
        r"大小[:：]\s*[\d.]+\s*[KMG]?B",
        r"页数[:：]\s*\d+\s*页?",
        r"格式[:：]\s*(?:DOCX?|PDF|TXT|WPS|PPTX?|XLSX?|RTF)",
        r"价格[:：].*",
        r"文章作者[:：].*",
        r"(?:浏览|阅读|下载)(?:次数|量)?[:：]\s*\d+\s*次?",
        # Page counters: 第6页 共6页, 共6页, 1/16, - 3 -
        r"第\s*\d+\s*页(?:\s*[,，/、]?\s*共\s*\d+\s*页)?",
        r"共\s*\d+\s*页",
        r"\d+\s*/\s*\d+",
        r"[-—－]\s*\d+\s*[-—－]",
        # The file name of the download: 2023年镇党务公开工作的实践与思考.docx
        r"[^\s/\\:：]{1,100}\.(?:docx?|pdf|wps|txt|html?)",
    )
]
_BULLETS = "•·●▪◆■□"


def _in_both_scripts(texts):
    """Each text with its Traditional forms (OpenCC s2t, s2tw, s2hk): 下载文档 → 下載文檔."""
    from .conversion import convert

    return {form for text in texts for form in (text, *(convert(text, profile) for profile in ("s2t", "s2tw", "s2hk")))}


# Download sites write their furniture in either script: the rules hold for both.
_FURNITURE_LINES = frozenset(_in_both_scripts(_FURNITURE_LINES))
_FURNITURE_PHRASES = tuple(sorted(_in_both_scripts(_FURNITURE_PHRASES)))
_FURNITURE_PATTERNS = [re.compile(pattern, re.IGNORECASE) for pattern in sorted(_in_both_scripts(p.pattern for p in _FURNITURE_PATTERNS))]


def _is_keyword_line(line):
    """A download site's tag line, e.g. "2023 党务 公开 工作 实践 思考"."""
    words = line.split(" ")
    return len(words) >= 4 and all(len(word) <= 4 and word.isalnum() for word in words)


def is_site_furniture(paragraph):
    """Whether a paragraph is download-site furniture rather than part of the document."""
    line = paragraph.strip().lstrip(_BULLETS).strip().rstrip(":：").strip()
    if not line or line.lower() in _FURNITURE_LINES:
        return True
    if len(line) <= 200 and any(phrase in line for phrase in _FURNITURE_PHRASES):
        return True
    return _is_keyword_line(line) or any(pattern.fullmatch(line) for pattern in _FURNITURE_PATTERNS)


def drop_repeated_paragraphs(paragraphs):
    """Drop a paragraph that repeats the one before it (a page header above the same title)."""
    return _drop_repeats(paragraphs)[0]


def _drop_repeats(paragraphs):
    kept, dropped = [], 0
    for paragraph in paragraphs:
        if not kept or paragraph != kept[-1]:
            kept.append(paragraph)
        else:
            dropped += 1
    return kept, dropped


# -- the whole document -----------------------------------------------------------------------


def clean_document(text):
    """The paragraphs of a scraped or converted document, with its artefacts removed."""
    return clean_document_counting_repeats(text)[0]


def clean_document_counting_repeats(text):
    """``clean_document``'s paragraphs and how many repeated paragraphs were dropped."""
    text = strip_markup(text)
    text = repair_entities(text)
    text = remove_pinyin_readings(text)
    paragraphs = []
    for line in text.splitlines():
        line = normalise_whitespace(line)
        if line:
            paragraphs.extend(split_flattened_paragraphs(line))
    return _drop_repeats([paragraph for paragraph in paragraphs if not is_site_furniture(paragraph)])


_CHINESE_NUMERAL = "[一二三四五六七八九十百零〇]+"
_SECTION_HEADING = re.compile(rf"{_CHINESE_NUMERAL}、|第{_CHINESE_NUMERAL}[章节部分]")
_SUBSECTION_HEADING = re.compile(rf"[（(]{_CHINESE_NUMERAL}[)）]")
_HEADING_MAX_LENGTH = 40


def heading_level(paragraph):
    """2 for a numbered heading such as "一、…", 3 for "（一）…", None for an ordinary paragraph.

    A heading is short and holds at most one sentence; a long paragraph that merely starts
    with a number (common in speeches) is body text.
    """
    if len(paragraph) > _HEADING_MAX_LENGTH or "。" in paragraph.rstrip("。"):
        return None
    if _SECTION_HEADING.match(paragraph):
        return 2
    if _SUBSECTION_HEADING.match(paragraph):
        return 3
    return None


def ends_truncated(paragraphs):
    """Whether the text stops short with "..." or a single "…", as preview pages cut documents."""
    if not paragraphs:
        return False
    last = paragraphs[-1]
    return last.endswith("...") or (last.endswith("…") and not last.endswith("……"))
