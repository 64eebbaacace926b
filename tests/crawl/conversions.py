"""Known-bad Simplified → Traditional conversions for this domain (issue 14's crawl, issue 16's
conversion quality). Each entry is a regular expression that must match no text of a
Traditional page, and why it is wrong.

A character-by-character conversion (or OpenCC's s2tw without phrase context) turns:

- the surnames 余 and 沈 into 餘 and 瀋 (余科长 → 餘科長, 沈海 → 瀋海): 瀋 is right only in
  瀋陽 (and the 瀋水 river), 餘 never before a title or as a name;
- 冲 in village names (麦地冲, 羊毛冲: a valley, Traditional 沖) into 衝 (to rush);
- 发 in 发放 into 髮 (hair) instead of 發;
- and leaves pinyin annotations such as ``(wù)`` behind, which a Traditional page never carries.
"""

import re

BAD_CONVERSIONS = [
    (r"髮放", "发放 is 發放 (髮 is hair)"),
    (r"瀋(?!陽|水)", "the surname 沈 stays 沈 (瀋 only in 瀋陽)"),
    (r"餘(?:科長|書記|主任|鎮長|鄉長|村長|縣長|局長|部長|委員|同志|主席|隊長|組長|會計|老師|大爺|大媽)", "the surname 余 stays 余"),
    (r"餘興", "余兴 as a name is 余興 (the surname 余)"),
    (r"[\u4e00-\u9fff]衝(?:村|社區|組|小組|居委會|村委會)|麥地衝|羊毛衝", "冲 in a place name is 沖"),
    (r"原那麼", "character-by-character conversion error"),
    (r"效勞", "character-by-character conversion error (from the brief's list)"),
    (r"[（(][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]", "a pinyin annotation such as (wù)"),
]

_COMPILED = [(re.compile(pattern), why) for pattern, why in BAD_CONVERSIONS]


def bad_conversions(text):
    """[(matched text with a little context, why)] for every known-bad conversion in ``text``."""
    found = []
    for pattern, why in _COMPILED:
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 6), min(len(text), match.end() + 6)
            found.append((match.group(0), text[start:end].replace("\n", " "), why))
    return found
