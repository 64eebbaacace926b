"""Which script a text is in, and traces of bad conversions between the scripts.

Simplified (简体, ``zh-hans``) and Traditional (繁體, ``zh-hant``). OpenCC converts whole
phrases; old converters went character by character (or through a thesaurus) and left
words such as 原那么 for 原则 or 效劳 for 服务, which are flagged here, never "fixed".
"""

import re
from dataclasses import dataclass

from .conversion import convert, converter

SIMPLIFIED = "zh-hans"
TRADITIONAL = "zh-hant"

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _count_changed(counts, config):
    """How many of the characters (with their counts) the conversion changes, each taken alone.

    OpenCC's character tables alone (no project phrases, no names): this tells the scripts
    apart, it converts nothing."""
    characters = list(counts)
    # One character per line, so OpenCC cannot read neighbours as a phrase.
    converted = converter(config).convert("\n".join(characters)).split("\n")
    if len(converted) != len(characters):
        converted = [converter(config).convert(character) for character in characters]
    return sum(counts[original] for original, new in zip(characters, converted) if new != original)


def detect_script(text):
    """``"zh-hant"`` when more of the text's characters are Traditional forms than Simplified ones, else ``"zh-hans"``.

    A text with no Chinese (or no script-specific character at all) counts as Simplified,
    the portal's default.
    """
    counts = {}
    for character in _HAN.findall(text):
        counts[character] = counts.get(character, 0) + 1
    if not counts:
        return SIMPLIFIED
    traditional_forms = _count_changed(counts, "t2s")
    simplified_forms = _count_changed(counts, "s2t")
    return TRADITIONAL if traditional_forms > simplified_forms else SIMPLIFIED


@dataclass(frozen=True)
class SuspectConversion:
    """A word that looks like the output of a bad conversion, and what it probably was."""

    found: str
    likely: str
    count: int


# Words that character-by-character or thesaurus conversions produce in party documents,
# with the word the author wrote. Each pattern is narrow enough to be rare in real text.
_SUSPECT_WORDS = [
    (re.compile("原那么"), "原则"),
    (re.compile("效劳"), "服务"),
    (re.compile("广阔(?=党员|群众|干部|人民|职工|农民|青年|妇女)"), "广大"),
    (re.compile("开展观"), "发展观"),
    (re.compile("不时(?=增强|提高|完善|加强|推进|深化|扩大|提升)"), "不断"),
    (re.compile("发明(?=力|条件)"), "创造"),
    (re.compile("根底"), "基础"),
    (re.compile("反响(?=制|关)|(?<=信息)反响"), "反馈"),
    (re.compile("〞"), "”"),
    (re.compile("〝"), "“"),
]


def suspect_conversions(text):
    """The suspect words in ``text`` (read in Simplified form), most frequent first."""
    if detect_script(text) == TRADITIONAL:
        text = convert(text, "t2s")
    found = []
    for pattern, likely in _SUSPECT_WORDS:
        matches = pattern.findall(text)
        if matches:
            found.append(SuspectConversion(found=matches[0], likely=likely, count=len(matches)))
    return sorted(found, key=lambda suspect: -suspect.count)
