"""The labelled conversion set (``conversion_set.tsv``) and how a converter scores on it."""

from dataclasses import dataclass
from pathlib import Path

PATH = Path(__file__).with_name("conversion_set.tsv")


@dataclass(frozen=True)
class Case:
    profile: str
    source: str
    expected: str
    family: str


def cases():
    rows = [line.split("\t") for line in PATH.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return [Case(*row) for row in rows]


def failures(convert, rows=None):
    """The cases ``convert(text, profile)`` gets wrong, with what it wrote."""
    return [(case, written) for case in rows or cases() if (written := convert(case.source, case.profile)) != case.expected]
