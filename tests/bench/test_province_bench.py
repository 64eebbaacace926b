"""bench/province.py at its tiny size (``--quick``): the whole script runs — build, index, gunicorn
with production settings, every measured screen answered — so that it cannot rot between the
runs at full size. It builds its own SQLite database in a temporary directory: the test
database is not used, hence once, in the SQLite pass."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine_neutral

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results" / "province-quick-sqlite.json"


def test_the_province_bench_runs_at_its_tiny_size():
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "PROVINCE_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    run = subprocess.run(
        [sys.executable, "bench/province.py", "--quick"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200
    )
    # Status 1 is a missed target, which a loaded machine may cause; anything else is a failure.
    assert run.returncode in (0, 1), run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(RESULTS.read_text())
    # Both scripts' pages, and the demo's review items beside the bulk ones.
    assert results["units"] >= 11 and results["items"] >= 120
    assert set(results["build"]) == {"migrate", "seed", "update_index"}
    pages = results["pages"]
    expected = {"dashboard (officer)", "dashboard (approver)", "dashboard (reviewer)", "dashboard (superuser)",
                "explorer: officer's township", "chooser: page (officer)", "admin search (officer)", "item edit (officer)",
                "portal home", "township page", "search page: a word's first search", "search page", "API list (by township)", "API detail"}
    assert expected <= set(pages)
    for name, row in pages.items():
        assert row["errors"] == 0, (name, row["statuses"])
        assert row["n"] > 0 and row["p95_ms"] >= row["p50_ms"] > 0
        assert len(row["load_1min"]) == 2
    assert pages["search page: a word's first search"]["n"] == pages["search page"]["n"] // 2  # once, where --quick asks twice
