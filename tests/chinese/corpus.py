"""The scraped legacy documents in ../shared/corpus, read in place (never copied into the project).

``SUNSHINE_CORPUS`` names another place for them (a checkout that is not beside ../shared).
"""

import os
import unittest
from pathlib import Path

CORPUS = Path(os.environ.get("SUNSHINE_CORPUS") or Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus")
CORPUS_FILES = sorted(path.name for path in CORPUS.glob("*.txt")) if CORPUS.is_dir() else []

needs_corpus = unittest.skipUnless(CORPUS_FILES, f"the shared corpus is not at {CORPUS}")


def read_corpus(name):
    return (CORPUS / name).read_text(encoding="utf-8")
