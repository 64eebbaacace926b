"""Phrase-level conversion between Simplified and Traditional Chinese with OpenCC.

OpenCC converts by dictionary phrases first and characters last, so 头发 becomes 頭髮 while
发展 becomes 發展, 干部 幹部 and 干预 干預: the errors of character-by-character
converters (原那么, 效劳) do not happen. Latin text, digits, URLs and markup pass through.
"""

from functools import cache

import opencc

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


def profile_for(language, overrides=None):
    """The OpenCC profile that produces ``language`` (zh-hans or zh-hant)."""
    return {**DEFAULT_PROFILES, **(overrides or {})}[language]


@cache
def converter(profile):
    """A cached OpenCC converter for ``profile`` (one of PROFILES)."""
    if profile not in PROFILES:
        raise ValueError(f"Unknown OpenCC profile {profile!r}; choose one of {', '.join(PROFILES)}")
    return opencc.OpenCC(profile)


def convert(text, profile):
    """``text`` converted with the OpenCC ``profile``; empty text stays empty."""
    if not text:
        return text
    return converter(profile).convert(text)


def to_traditional(text, profile="s2t"):
    return convert(text, profile)


def to_simplified(text, profile="t2s"):
    return convert(text, profile)
