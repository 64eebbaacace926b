"""Conversion between Simplified and Traditional Chinese: the one layer every conversion goes through.

Page and snippet variants (script_variants' translator), the interface catalogue
(make_traditional_catalogue), search analysis (chinese.analysis), the importer's checks
(chinese.script) and template text (portal_tags) all call ``convert``. It is OpenCC with:

- the project's phrase dictionary (``phrases.tsv``, see ``chinese.dictionary``) loaded into
  OpenCC's own dictionaries, for the words it gets wrong in party and government text
  (资金发放 is 資金發放, not 資金髮放: OpenCC's longest match found 金发, blond hair);
- names (``chinese.names``) converted as names, Simplified → Traditional: the names the system
  knows (``KnownNames``: people, units) and surnames or place names recognised in the text
  (余科长 keeps 余, 麦地冲村 is 麥地沖村);
- the county's own phrase pairs (``Overrides``), which win over all of these.

OpenCC converts by dictionary phrases first and characters last, so 头发 becomes 頭髮 while
发展 becomes 發展, 干部 幹部 and 干预 干預. Latin text, digits, URLs and markup pass through.
"""

from dataclasses import dataclass
from functools import cache, lru_cache

import opencc

from . import names as name_rules
from .dictionary import opencc_config, project_dictionary

# The conversions a deployment may choose: OpenCC's configuration names.
PROFILES = {
    "s2t": "Simplified → Traditional (OpenCC standard)",
    "s2tw": "Simplified → Traditional, Taiwan characters",
    "s2twp": "Simplified → Traditional, Taiwan characters and phrases",
    "s2hk": "Simplified → Traditional, Hong Kong characters",
    "t2s": "Traditional → Simplified",
    "tw2s": "Traditional (Taiwan) → Simplified",
    "hk2s": "Traditional (Hong Kong) → Simplified",
}

# The profile producing each script unless a deployment chooses another: Taiwan characters
# without vocabulary changes (official wording stays), and plain Traditional → Simplified.
DEFAULT_PROFILES = {"zh-hant": "s2tw", "zh-hans": "t2s"}

# The regional step OpenCC applies after its standard Traditional characters, for phrases
# placed around it (``phrases_inside=False``).
_REGIONAL = {"s2tw": "t2tw", "s2twp": "t2tw", "s2hk": "t2hk"}


def profile_for(language, overrides=None):
    """The OpenCC profile that produces ``language`` (zh-hans or zh-hant)."""
    return {**DEFAULT_PROFILES, **(overrides or {})}[language]


def _check(profile):
    if profile not in PROFILES:
        raise ValueError(f"Unknown OpenCC profile {profile!r}; choose one of {', '.join(PROFILES)}")


@cache
def converter(profile):
    """OpenCC alone for ``profile`` (one of PROFILES): for script detection and as the baseline."""
    _check(profile)
    return opencc.OpenCC(profile)


def to_traditional_profile(profile):
    return profile.startswith("s2")


@dataclass(frozen=True)
class KnownNames:
    """Names the system knows, Simplified: people (users, group members, contacts) and places (units)."""

    people: frozenset = frozenset()
    places: frozenset = frozenset()

    def __bool__(self):
        return bool(self.people or self.places)


NO_NAMES = KnownNames()


@dataclass(frozen=True)
class Overrides:
    """Phrase pairs a county keeps for one direction (source phrase, what it converts to):
    they win over OpenCC, the project's dictionary and the names, and are written as given."""

    pairs: frozenset = frozenset()


NO_OVERRIDES = Overrides()


class Converter:
    """OpenCC with the project's phrases and the names rules, for one profile.

    ``phrases_inside`` chooses where the phrase dictionary goes: into OpenCC's dictionaries
    (the default), or matched in the text and placed around OpenCC's conversion as names are;
    bench/conversion_bench.py measures both (the same accuracy and speed).
    """

    def __init__(self, profile, dictionary=None, phrases_inside=True):
        _check(profile)
        self.profile = profile
        self.to_traditional = to_traditional_profile(profile)
        dictionary = dictionary or project_dictionary()
        pairs = dictionary.pairs(self.to_traditional)
        self.opencc = opencc.OpenCC(opencc_config(profile, pairs)) if phrases_inside and pairs else converter(profile)
        self.phrases = None if phrases_inside or not pairs else _phrases_around(profile, pairs)

    def convert(self, text, names=NO_NAMES, overrides=NO_OVERRIDES):
        if not text:
            return text
        # The county's overrides win over the rules and the names wherever they overlap.
        chosen = _spans_of(_overrides_pattern(overrides), text)
        spans = _without_overlaps(chosen, self._spans(text, names))
        converted = self.opencc.convert(text)
        if not spans:
            return converted
        if len(converted) == len(text):
            # OpenCC kept every character in place (as it nearly always does): patch the spans.
            pieces, position = [], 0
            for span in spans:
                pieces += [converted[position : span.start], span.converted]
                position = span.end
            return "".join(pieces) + converted[position:]
        pieces, position = [], 0
        for span in spans:
            pieces += [self.opencc.convert(text[position : span.start]), span.converted]
            position = span.end
        return "".join(pieces) + self.opencc.convert(text[position:])

    def _spans(self, text, names):
        spans = _spans_of(self.phrases, text)
        if not self.to_traditional:
            return spans
        if names:
            spans += _spans_of(self._known(names), text)
        return spans + name_rules.recognised_spans(text)

    def _characters(self, text):
        """``text`` converted character by character (one per line: no phrase across them)."""
        converted = self.opencc.convert("\n".join(text)).split("\n")
        return "".join(converted) if len(converted) == len(text) else self.opencc.convert(text)

    @lru_cache(maxsize=64)
    def _known(self, names):
        """A pattern for the known names OpenCC alone would get wrong, and their conversions."""
        needed = {}
        for name, is_person in [*((person, True) for person in names.people),
                                *((place, False) for unit in names.places for place in name_rules.unit_stems(unit))]:
            converted = self._name(name, is_person)
            if converted is not None:
                needed[name] = converted
        return name_rules.literal_pattern(needed), needed

    @lru_cache(maxsize=20000)
    def _name(self, name, is_person):
        """A name converted as a name, or None where OpenCC alone converts it so."""
        if is_person:
            converted = name_rules.convert_person(name, self._characters)
        else:
            converted = name_rules.convert_place(name, self.opencc.convert)
        return converted if len(name) > 1 and converted != self.opencc.convert(name) else None


def _spans_of(phrases, text):
    """The spans of ``phrases`` (a pattern and the replacement of each match, or None) in ``text``."""
    if phrases is None or phrases[0] is None:
        return []
    pattern, replacements = phrases
    return [name_rules.Span(m.start(), m.end(), replacements[m.group()]) for m in pattern.finditer(text)]


@lru_cache(maxsize=16)
def _overrides_pattern(overrides):
    replacements = dict(overrides.pairs)
    return name_rules.literal_pattern(replacements), replacements


def _phrases_around(profile, pairs):
    regional = opencc.OpenCC(_REGIONAL[profile]).convert if profile in _REGIONAL else (lambda text: text)
    return name_rules.literal_pattern(pairs), {source: regional(target) for source, target in pairs.items()}


def _without_overlaps(preferred, spans):
    """``preferred`` (not overlapping each other) and those of ``spans`` that overlap none of
    them, in order; among ``spans`` the first (then the longest) wins where they overlap."""
    taken = [(span.start, span.end) for span in preferred]
    chosen, end = list(preferred), 0
    for span in sorted(spans, key=lambda span: (span.start, -(span.end - span.start))):
        if span.start >= end and not any(span.start < stop and start < span.end for start, stop in taken):
            chosen.append(span)
            end = span.end
    return sorted(chosen, key=lambda span: span.start)


@cache
def layer(profile):
    """The project's converter for ``profile`` (cached)."""
    return Converter(profile)


def convert(text, profile, names=NO_NAMES, overrides=NO_OVERRIDES):
    """``text`` converted with ``profile``, the project's phrases, ``names`` and the county's
    ``overrides``; empty text stays empty."""
    return layer(profile).convert(text, names, overrides)


def convert_all(texts, profile, names=NO_NAMES, overrides=NO_OVERRIDES):
    """The texts of one document converted together: a name the rules find in one of them
    (余琴桂 alone in a table cell) is a known name in all (由余琴桂以每年…竞得)."""
    if to_traditional_profile(profile):
        found = frozenset(name for text in texts if text for name in name_rules.recognised_names(text))
        if found - names.people:
            names = KnownNames(names.people | found, names.places)
    return [convert(text, profile, names, overrides) for text in texts]


def to_traditional(text, profile="s2t", names=NO_NAMES):
    return convert(text, profile, names)


def to_simplified(text, profile="t2s"):
    return convert(text, profile)
