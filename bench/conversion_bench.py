"""Benchmark of the conversion layer (issue 16): accuracy on the labelled set, speed, the shared corpus.

Run with ``make bench-conversion``. Compares, on ``tests/chinese/conversion_set.tsv`` (phrases
and sentences of party and government text, Simplified → Traditional with s2tw and
Traditional → Simplified with t2s):

- OpenCC alone (the profiles' own dictionaries);
- zhconv-rs, MediaWiki's conversion tables (installed by this bench only, into the temporary
  directory; its best variant pair is counted: zh-hant or zh-tw, zh-hans or zh-cn);
- ours, ``chinese.conversion``: the project's phrases loaded into OpenCC's dictionaries (the
  layer's choice), and the same phrases placed around OpenCC instead.

Then the time to convert a 3,000-character item (the median of many runs, after a warm-up),
with and without 300 known names, and, when the shared corpus is beside the repository (or
named by SUNSHINE_CORPUS), every place where ours and OpenCC differ on its four documents, for
review (printed only: the corpus is never copied into the repository). Prints a table and
writes bench/results/conversion.json. Targets: ours ≥ 99.5% on the set and better than both
baselines; ≤ 5 ms per 3,000 characters.
"""

import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "conversion.json"
sys.path.insert(0, str(ROOT))

from chinese.conversion import Converter, KnownNames, converter  # noqa: E402
from chinese.dictionary import project_dictionary  # noqa: E402
from tests.chinese.conversion_set import cases, failures  # noqa: E402
from tests.chinese.corpus import CORPUS_FILES, read_corpus  # noqa: E402
from tests.crawl.conversions import bad_conversions  # noqa: E402

ZHCONV = Path(tempfile.gettempdir()) / "sunshine-bench-zhconv-rs"
ZHCONV_VERSION = "0.4.2"
ITEM_CHARACTERS = 3000
RUNS = 300


def zhconv_rs():
    """zhconv-rs's ``zhconv`` function, installed into the temporary directory on first use; None offline."""
    sys.path.insert(0, str(ZHCONV))
    try:
        from zhconv_rs import zhconv
    except ImportError:
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(ZHCONV), f"zhconv-rs=={ZHCONV_VERSION}"]
        if subprocess.run(command, capture_output=True).returncode != 0:
            return None
        importlib.invalidate_caches()  # the directory did not exist when the path was searched
        from zhconv_rs import zhconv
    return zhconv


def accuracy(convert, rows):
    wrong = failures(convert, rows)
    by_family = {}
    for case, _ in wrong:
        by_family[case.family] = by_family.get(case.family, 0) + 1
    per_profile = {
        profile: 1 - sum(1 for case, _ in wrong if case.profile == profile) / sum(1 for case in rows if case.profile == profile)
        for profile in sorted({case.profile for case in rows})
    }
    return {"accuracy": 1 - len(wrong) / len(rows), "wrong": len(wrong), "per_profile": per_profile, "wrong_by_family": by_family}


def item_text(rows):
    """3,000 characters of running text: the corpus's first speech, or the set's sentences repeated."""
    if CORPUS_FILES:
        text = read_corpus("county-secretary-speech.txt")
    else:
        text = "".join(case.source for case in rows if case.profile == "s2tw" and len(case.source) > 8)
    return (text * (ITEM_CHARACTERS // len(text) + 1))[:ITEM_CHARACTERS]


def known_names(count=300):
    surnames, given = "余于沈郁范姜谷李王张杨赵刘陈罗段周施鲁毕孔尹朱马苏高董", "建国华明军强伟志刚海涛杰宏文斌平光荣德昌福发顺永忠学勇雄丽芳秀兰红燕梅"
    people = {surnames[i % len(surnames)] + given[i % len(given)] + given[(i * 7) % len(given)] for i in range(count)}
    return KnownNames(frozenset(people), frozenset({"麦地冲村", "羊毛冲村", "城关镇", "余套村"}))


def median_ms(function, text):
    function(text)  # warm-up (and a layer's first use builds its OpenCC configuration)
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function(text)
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 3)


def main():
    rows = cases()
    inside = {profile: Converter(profile) for profile in ("s2tw", "t2s")}
    around = {profile: Converter(profile, phrases_inside=False) for profile in ("s2tw", "t2s")}
    converters = {
        "OpenCC alone": lambda text, profile: converter(profile).convert(text),
        "ours (phrases inside OpenCC)": lambda text, profile: inside[profile].convert(text),
        "ours (phrases around OpenCC)": lambda text, profile: around[profile].convert(text),
    }
    zhconv = zhconv_rs()
    zhconv_variants = {}
    if zhconv is not None:
        # MediaWiki's variants: the pair scoring best on the set is the baseline.
        best = None
        for traditional in ("zh-hant", "zh-tw"):
            for simplified in ("zh-hans", "zh-cn"):
                variants = {"s2tw": traditional, "t2s": simplified}
                score = accuracy(lambda text, profile, v=variants: zhconv(text, v[profile]), rows)["accuracy"]
                if best is None or score > best[0]:
                    best = (score, variants)
        zhconv_variants = best[1]
        converters[f"zhconv-rs {ZHCONV_VERSION} ({zhconv_variants['s2tw']}, {zhconv_variants['t2s']})"] = (
            lambda text, profile: zhconv(text, zhconv_variants[profile])
        )

    results = {"set": {"cases": len(rows), "dictionary_version": project_dictionary().version,
                       "dictionary_entries": len(project_dictionary().entries)}, "accuracy": {}, "ms_per_3000_characters": {}}
    for name, convert in converters.items():
        results["accuracy"][name] = accuracy(convert, rows)

    text = item_text(rows)
    names = known_names()
    timings = {
        "OpenCC alone": lambda t: converter("s2tw").convert(t),
        "ours (phrases inside OpenCC)": lambda t: inside["s2tw"].convert(t),
        "ours (phrases inside OpenCC), 300 known names": lambda t: inside["s2tw"].convert(t, names),
        "ours (phrases around OpenCC)": lambda t: around["s2tw"].convert(t),
        "ours, Traditional → Simplified (t2s)": lambda t: inside["t2s"].convert(t),
    }
    if zhconv is not None:
        timings[f"zhconv-rs ({zhconv_variants['s2tw']})"] = lambda t: zhconv(t, zhconv_variants["s2tw"])
    for name, function in timings.items():
        source = inside["s2tw"].convert(text) if "t2s" in name else text
        results["ms_per_3000_characters"][name] = median_ms(function, source)

    review = []
    if CORPUS_FILES:
        corpus = {"files": len(CORPUS_FILES), "characters": 0, "known_bad": {}, "places_ours_differs_from_opencc": 0}
        for name in CORPUS_FILES:
            source = read_corpus(name)
            corpus["characters"] += len(source)
            outputs = {label: convert(source, "s2tw") for label, convert in converters.items()}
            for label, output in outputs.items():
                corpus["known_bad"][label] = corpus["known_bad"].get(label, 0) + len(bad_conversions(output))
            plain, ours = outputs["OpenCC alone"], outputs["ours (phrases inside OpenCC)"]
            if len(plain) == len(ours):
                for i, (a, b) in enumerate(zip(plain, ours)):
                    if a != b:
                        corpus["places_ours_differs_from_opencc"] += 1
                        review.append(f"{name}: {source[max(0, i - 5):i + 5]} | OpenCC {plain[max(0, i - 5):i + 5]} | ours {ours[max(0, i - 5):i + 5]}")
        results["corpus"] = corpus
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}

    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Labelled set: {len(rows)} cases; project dictionary v{results['set']['dictionary_version']}, {results['set']['dictionary_entries']} entries")
    print(f"{'converter':<52} {'accuracy':>9} {'wrong':>6}  s2tw / t2s")
    for name, score in results["accuracy"].items():
        per = " / ".join(f"{value:.1%}" for value in score["per_profile"].values())
        print(f"{name:<52} {score['accuracy']:>9.2%} {score['wrong']:>6}  {per}")
    print(f"\nConverting {ITEM_CHARACTERS:,} characters (median of {RUNS} runs):")
    for name, ms in results["ms_per_3000_characters"].items():
        print(f"  {name:<52} {ms:>7.3f} ms")
    if review:
        print(f"\nThe corpus ({results['corpus']['characters']:,} characters): where ours differs from OpenCC, for review:")
        for line in review:
            print("  " + line.replace("\n", " "))
    if "corpus" in results:
        print(f"Known-bad conversions (tests/crawl/conversions.py) in the corpus: {results['corpus']['known_bad']}")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
