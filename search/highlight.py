"""Highlighted snippets, made the same way for every engine.

Matching runs on normalised text (half-width, lower case, Simplified) aligned character by
character with the original, so a Simplified query marks the words of a Traditional item
and the reverse, and the marks land on the original characters.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from chinese.analysis import highlight_needles, normalise_aligned

SCAN_FIRST = 1500


def _spans(normalised, needles):
    """Non-overlapping (start, end) spans of the needles in ``normalised``, longest needle first."""
    if not needles:
        return []
    pattern = re.compile("|".join(re.escape(needle) for needle in needles))
    spans = []
    for start, end in (match.span() for match in pattern.finditer(normalised)):
        if spans and spans[-1][1] == start:  # 2023 and 年 of "2023年": one mark
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _marked(text, spans, offset=0):
    parts, position = [], 0
    for start, end in spans:
        start, end = start - offset, end - offset
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def highlight(text, query):
    """All of ``text``, escaped, with the query's words marked."""
    return _marked(text, _spans(normalise_aligned(text), highlight_needles(query)))


def snippet(text, query, length=120):
    """About ``length`` characters of ``text`` around the first match, escaped, matches marked."""
    text = " ".join((text or "").split())
    needles = highlight_needles(query)
    # Most matches are near the start: normalise (OpenCC) the whole text only when needed.
    spans = _spans(normalise_aligned(text[:SCAN_FIRST]), needles)
    if not spans and len(text) > SCAN_FIRST:
        spans = _spans(normalise_aligned(text), needles)
    if not spans:
        return mark_safe(escape(text[:length]) + ("…" if len(text) > length else ""))
    first = spans[0][0]
    start = max(0, first - length // 4)
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    inside = [(max(a, start), min(b, end)) for a, b in spans if a < end and b > start]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + _marked(text[start:end], inside, offset=start) + suffix)
