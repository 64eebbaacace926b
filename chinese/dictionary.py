"""The project's phrase dictionary (``phrases.tsv``): corrections to OpenCC for party and government text.

Each entry is a Simplified phrase, its Traditional form, the direction it applies in and why.
The entries go into OpenCC's own dictionaries (see ``opencc_config``): OpenCC segments the text
with them alongside its phrases, so a longer project phrase wins over the phrase it corrects
(资金 | 金发放 instead of 资金 | 金发 | 放). Applying them around OpenCC instead measured the same
in ``bench/conversion_bench.py`` (accuracy and speed); inside, a project phrase competes with
OpenCC's own at the same place instead of being pasted over its result.
"""

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import opencc

PATH = Path(__file__).with_name("phrases.tsv")
DIRECTIONS = ("both", "s2t", "t2s")
OPENCC_DATA = Path(opencc.__file__).parent / "clib" / "share" / "opencc"


@dataclass(frozen=True)
class Entry:
    simplified: str
    traditional: str
    direction: str
    why: str

    def applies(self, to_traditional):
        return self.direction == "both" or self.direction == ("s2t" if to_traditional else "t2s")


@dataclass(frozen=True)
class PhraseDictionary:
    version: str
    entries: tuple

    def pairs(self, to_traditional):
        """{source phrase: converted phrase} for one direction."""
        if to_traditional:
            return {e.simplified: e.traditional for e in self.entries if e.applies(True)}
        return {e.traditional: e.simplified for e in self.entries if e.applies(False)}


def parse(text):
    """A PhraseDictionary from the text of a phrases.tsv file; ValueError names a malformed line."""
    version, entries = None, []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("# version:"):
            version = line.split(":", 1)[1].strip()
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[2] not in DIRECTIONS or not all(fields):
            raise ValueError(f"phrases.tsv line {number}: expected simplified, traditional, {'|'.join(DIRECTIONS)}, why")
        entries.append(Entry(*fields))
    if version is None:
        raise ValueError("phrases.tsv has no '# version:' line")
    return PhraseDictionary(version, tuple(entries))


@cache
def project_dictionary():
    return parse(PATH.read_text(encoding="utf-8"))


def _absolute(node):
    """OpenCC's configuration with its dictionary files named by absolute path (the copy lives elsewhere)."""
    if isinstance(node, dict):
        if node.get("type") == "ocd2":
            node["file"] = str(OPENCC_DATA / node["file"])
        for value in node.values():
            _absolute(value)
    elif isinstance(node, list):
        for value in node:
            _absolute(value)


def _with_phrases(group, ours):
    """A dictionary group with ours first (a group's first match wins in a conversion step)."""
    if group.get("type") == "group":
        return {**group, "dicts": [ours, *group["dicts"]]}
    return {"type": "group", "match_policy": "union", "dicts": [ours, group]}


def _mentions(node, name):
    return name in json.dumps(node)


def opencc_config(profile, pairs):
    """The path of an OpenCC configuration: ``profile`` with ``pairs`` as an extra phrase dictionary.

    The pairs join the segmentation dictionary and the conversion step holding OpenCC's own
    phrases (STPhrases or TSPhrases), ahead of them; a regional step after it (Taiwan, Hong
    Kong characters) still applies. Written once per content to the temporary directory.
    """
    phrases = "STPhrases.ocd2" if profile.startswith("s2") else "TSPhrases.ocd2"
    lines = "".join(f"{source}\t{target}\n" for source, target in sorted(pairs.items()))
    digest = hashlib.sha256(f"{profile}\n{lines}".encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"sunshine-opencc-{digest}"
    config_path = folder / f"{profile}.json"
    if config_path.exists():
        return str(config_path)
    config = json.loads((OPENCC_DATA / f"{profile}.json").read_text(encoding="utf-8"))
    _absolute(config)
    folder.mkdir(parents=True, exist_ok=True)
    ours = {"type": "text", "file": str(folder / "phrases.txt")}
    if "segmentation" in config:  # (t2s has none: its conversion step matches the longest phrase)
        config["segmentation"]["dict"] = _with_phrases(config["segmentation"]["dict"], ours)
    for step in config["conversion_chain"]:
        if _mentions(step, phrases):
            step["dict"] = _with_phrases(step["dict"], ours)
    # Written under temporary names and moved into place: another process may be reading them.
    for path, content in ((folder / "phrases.txt", lines), (config_path, json.dumps(config, ensure_ascii=False))):
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(content, encoding="utf-8")
        partial.replace(path)
    return str(config_path)
