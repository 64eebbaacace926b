"""Title, 成文日期 (the date a document was signed) and 文号 (its issuing number) from its paragraphs.

Official documents follow GB/T 9704: the 文号 (e.g. 城关党发〔2024〕3号) stands alone above the
title, and the 成文日期 closes the document under the issuing organ, in Arabic or Chinese
numerals. Speeches give the date in brackets under the title. Only lines that hold nothing
else are read, so numbers and dates quoted inside the text are never taken.
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

TITLE_MAX_LENGTH = 80
# How far from each end of a document its 文号 and 成文日期 are looked for.
_HEAD_PARAGRAPHS = 6
_TAIL_PARAGRAPHS = 6


@dataclass
class DocumentMetadata:
    title: str
    title_from_text: bool
    document_number: str
    document_date: date | None
    body: list  # the paragraphs after the title


_DOCUMENT_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fffA-Za-z]{1,20})\s*[〔\[［(（【]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）】]\s*第?\s*(?P<number>\d{1,5})\s*号"
)


def document_number(paragraph):
    """The 文号 a paragraph consists of, written the standard way (〔2024〕), or ""."""
    match = _DOCUMENT_NUMBER.fullmatch(paragraph.strip())
    if not match:
        return ""
    return f"{match['prefix']}〔{match['year']}〕{int(match['number'])}号"


_DIGITS = {character: value for value, characters in enumerate(["〇○零Ｏ０0", "一1", "二2", "三3", "四4", "五5", "六6", "七7", "八8", "九9"]) for character in characters}
_NUMERALS = "〇○零Ｏ０0一二三四五六七八九十1-9"
_DATE = rf"(?P<year>[{_NUMERALS}]{{4}})\s*年\s*(?P<month>[{_NUMERALS}]{{1,3}})\s*月\s*(?P<day>[{_NUMERALS}]{{1,3}})\s*日"
_DATE_LINE = re.compile(rf"[（(]?\s*{_DATE}\s*[)）]?")
# The closing line may carry the issuing organ before the date: 中共城关镇委员会 2024年3月5日.
_SIGNED_DATE_LINE = re.compile(rf"[\u4e00-\u9fff（）()]{{2,30}}\s+{_DATE}")


def _number(text):
    """Arabic or Chinese numerals (二〇二四, 十二, 二十一) as an int, or None."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_DIGITS.get(tens, 0) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)
    if all(character in _DIGITS for character in text):
        return int("".join(str(_DIGITS[character]) for character in text))
    return None


def document_date(paragraph):
    """The date a paragraph consists of (“2024年3月5日”, “（二〇二四年三月五日）”), or None."""
    text = paragraph.strip()
    match = _DATE_LINE.fullmatch(text) or _SIGNED_DATE_LINE.fullmatch(text)
    if not match:
        return None
    year, month, day = (_number(match[name]) for name in ("year", "month", "day"))
    try:
        return date(year, month, day)
    except (TypeError, ValueError):
        return None


_SENTENCE_ENDS = ("。", "！", "？", "；", "，", ",", ";", "!", "?", ":", "：")
_ISSUING_ORGAN_ENDS = ("委员会", "党委", "党组", "党工委", "党支部", "党总支", "办公室", "领导小组")


def _looks_like_title(paragraph):
    return (
        len(paragraph) <= TITLE_MAX_LENGTH
        and not paragraph.endswith(_SENTENCE_ENDS)
        and not paragraph.startswith("同志们")
        and not document_number(paragraph)
        and document_date(paragraph) is None
    )


def title_from_file_name(path):
    """The file name without its extensions, e.g. “镇委权力运行会讲话” for 镇委权力运行会讲话.html.txt."""
    name = Path(path).name
    while Path(name).suffix and len(Path(name).suffix) <= 5:
        name = Path(name).stem
    return name.replace("_", " ").strip() or Path(path).name


def extract_metadata(paragraphs, path):
    """Title, 文号 and 成文日期 of a cleaned document; the title falls back to the file name."""
    head = paragraphs[:_HEAD_PARAGRAPHS]
    number = next((found for found in map(document_number, head) if found), "")
    # A 文号 line above the title is metadata, not the title.
    start = next((position + 1 for position, paragraph in enumerate(head) if document_number(paragraph)), 0)
    rest = paragraphs[start:] if start else paragraphs

    title, title_from_text, body = title_from_file_name(path), False, rest
    if rest and _looks_like_title(rest[0]):
        title, title_from_text, body = rest[0], True, rest[1:]
        # 中共城关镇委员会 / 关于……的通知: an organ's name on its own line above the subject.
        if body and title.endswith(_ISSUING_ORGAN_ENDS) and body[0].startswith("关于") and _looks_like_title(body[0]):
            title, body = title + body[0], body[1:]

    tail = list(reversed(paragraphs[-_TAIL_PARAGRAPHS:]))
    signed = next((found for found in map(document_date, tail) if found), None)
    # A speech's date under its title: taken as 成文日期 (unless the closing line gives another
    # date), the line leaves the body: the item shows the date in its own field.
    position = next((position for position, paragraph in enumerate(body[:3]) if document_date(paragraph)), None)
    if position is not None and signed in (None, document_date(body[position])):
        signed = document_date(body[position])
        body = body[:position] + body[position + 1 :]
    return DocumentMetadata(
        title=title[:255], title_from_text=title_from_text, document_number=number, document_date=signed, body=body
    )
