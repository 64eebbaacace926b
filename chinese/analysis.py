"""Text analysis for search: one normalisation and one tokenisation for index and query alike.

Every engine (SQLite FTS5, PostgreSQL, Elasticsearch, OpenSearch) receives text that was
already analysed here and splits it on whitespace only, so that a query finds the same items
on each engine and no engine plugin (IK, STConvert) is needed.

- Normalisation folds full-width Latin letters and digits to half-width, lowercases, and
  converts Traditional to Simplified with OpenCC's phrase-level t2s, so 黨務公開 and 党务公开
  become the same terms.
- Chinese runs become overlapping bigrams (党务公开 → 党务 务公 公开 开: every character starts
  exactly one term), so any substring of two or more characters is a phrase of consecutive
  terms. Bigrams are used rather than a word segmenter because segmentation depends on the
  context: jieba cuts a paragraph and a query taken from it differently, and the benchmark
  (bench/search_bench.py) measures what that costs in recall.
- A second term stream holds single characters, for queries with a one-character run such as
  2023年 or 5号, which a bigram stream cannot express.
- Runs of Latin letters and digits are terms of their own, so 〔2023〕5号, 2023年 and English
  words match as written; punctuation and query syntax never reach an engine.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from .conversion import convert

# CJK Unified Ideographs (with extension A) and compatibility ideographs.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]+|[0-9a-z]+")
_HAN_RUN = re.compile(rf"[{_HAN}]")
# Full-width ASCII (！ to ～) sits 0xFEE0 above its half-width form; the ideographic space is U+3000.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20


def fold_width(text):
    """Full-width letters, digits and punctuation as half-width ones; one character for one."""
    return text.translate(_WIDTH)


@lru_cache(maxsize=4096)
def _simplified(text):
    return convert(text, "t2s")


def normalise(text):
    """``text`` folded to half-width, lower case and Simplified script."""
    if not text:
        return ""
    return _simplified(fold_width(text).lower())


def normalise_aligned(text):
    """Like ``normalise`` but guaranteed to keep every character at its position (for highlighting).

    OpenCC converts phrase by phrase and could, in rare phrases, change the length; then each
    character is converted on its own, which is good enough for finding a match.
    """
    folded = fold_width(text or "").lower()
    converted = _simplified(folded) if len(folded) < 2000 else convert(folded, "t2s")
    if len(converted) == len(folded):
        return converted
    return "".join(convert(char, "t2s") if len(convert(char, "t2s")) == 1 else char for char in folded)


def _runs(normalised):
    return _TOKEN.findall(normalised)


def _is_han(run):
    return bool(_HAN_RUN.match(run))


def bigram_terms(normalised):
    """Terms of already normalised text: bigrams of Chinese runs, each ending with its last character."""
    terms = []
    for run in _runs(normalised):
        if _is_han(run):
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
            terms.append(run[-1])
        else:
            terms.append(run)
    return terms


def char_terms(normalised):
    """Terms of already normalised text: each Chinese character, and Latin/digit runs whole."""
    terms = []
    for run in _runs(normalised):
        if _is_han(run):
            terms.extend(run)
        else:
            terms.append(run)
    return terms


@dataclass(frozen=True)
class AnalysedText:
    """What an engine indexes for one text: two whitespace-separated term streams."""

    bigrams: str
    chars: str


def analyse(text):
    normalised = normalise(text)
    return AnalysedText(" ".join(bigram_terms(normalised)), " ".join(char_terms(normalised)))


@dataclass(frozen=True)
class Phrase:
    """One word of a query as consecutive terms of one stream ("bigrams" or "chars")."""

    stream: str
    terms: tuple


def analyse_query(query, max_length=200):
    """The phrases of a search query, all of which an item must contain.

    Words separated by spaces are separate phrases. A word whose Chinese runs are all two or
    more characters long is searched in the bigram stream; its last run goes without its final
    single character (the text may continue the run), the others keep it (the text's run ends
    there too). Otherwise the word is searched in the character stream. Anything else (punctuation, operators, quotes) is dropped.
    """
    phrases = []
    for word in normalise((query or "")[:max_length]).split():
        runs = _runs(word)
        if not runs:
            continue
        if all(len(run) >= 2 for run in runs if _is_han(run)):
            terms = []
            for position, run in enumerate(runs):
                if _is_han(run):
                    terms.extend(run[i : i + 2] for i in range(len(run) - 1))
                    if position < len(runs) - 1:
                        terms.append(run[-1])  # the run ends here in the text too, as in 关于2023
                else:
                    terms.append(run)
            phrases.append(Phrase("bigrams", tuple(terms)))
        else:
            phrases.append(Phrase("chars", tuple(char_terms(word))))
    # The same phrase twice asks nothing more.
    return list(dict.fromkeys(phrases))


def highlight_needles(query, max_length=200):
    """The normalised strings a highlighter looks for in normalised text: the query's words."""
    needles = []
    for word in normalise((query or "")[:max_length]).split():
        for run in _runs(word):
            needles.append(run)
    return sorted(set(needles), key=lambda needle: (-len(needle), needle))
