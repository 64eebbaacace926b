"""The crawl's report: test-artifacts/crawl-<name>-report.txt (URLs per role, findings)."""

from collections import Counter
from pathlib import Path

from django.conf import settings

REPORTS = Path(settings.BASE_DIR) / "test-artifacts"


def write_report(name, result, extra=()):
    per_role = result.per_role()
    statuses = Counter(visit.status for visit in result.visits)
    lines = [
        f"# crawl: {name}",
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}",
        f"requests: {len(result.visits)} in {result.seconds:.1f} s; statuses {dict(sorted(statuses.items()))}",
        "URLs per role: " + ", ".join(f"{role} {count}" for role, count in per_role.items()),
        f"URLs not requested beyond the per-kind cap: {sum(result.skipped.values())}",
        *extra,
    ]
    by_kind = Counter(finding.kind for finding in result.findings)
    lines.append(f"findings: {dict(by_kind) or 'none'}")
    for kind in sorted(by_kind):
        seen = set()
        lines.append(f"\n## {kind}")
        for finding in result.findings:
            if finding.kind != kind:
                continue
            # One line per (role, what): the same wrong URL on 40 pages is one problem.
            marker = (finding.role, finding.detail) if kind in ("absolute-url", "bad-conversion") else (finding.role, finding.url, finding.detail)
            if marker in seen:
                continue
            seen.add(marker)
            lines.append("  " + finding.line())
    refused = [visit for visit in result.visits if 400 <= visit.status < 500]
    lines.append(f"\n## 4xx answers ({len(refused)}: refusals, POST-only views, seeds that must not be found)")
    lines += [f"  {visit.status} {visit.role} {visit.url}" for visit in refused[:80]]
    slow = sorted(result.visits, key=lambda visit: -visit.seconds)[:15]
    lines.append("\n## slowest requests")
    lines += [f"  {visit.seconds:.2f} s {visit.role} {visit.url} ({visit.status})" for visit in slow]
    lines.append("\n## kinds of URL visited (role: key -> count)")
    kinds = Counter((visit.role, visit.key) for visit in result.visits)
    lines += [f"  {role}: {key} -> {count}" for (role, key), count in sorted(kinds.items(), key=str)]
    REPORTS.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines) + "\n"
    (REPORTS / f"crawl-{name}-report.txt").write_text(text, encoding="utf-8")
    return text


def summary(findings, limit=60):
    """Distinct findings, one a line, for an assertion message."""
    lines = []
    seen = set()
    for finding in findings:
        marker = (finding.role, finding.detail) if finding.kind in ("absolute-url", "bad-conversion") else finding.line()
        if marker in seen:
            continue
        seen.add(marker)
        lines.append(finding.line())
    more = f"\n… and {len(lines) - limit} more (test-artifacts/crawl-*-report.txt)" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more
