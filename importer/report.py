"""The import report: one line per file (created, updated, unchanged, skipped or failed), as a table or JSON."""

import json
import unicodedata
from dataclasses import asdict, dataclass, field

CREATED, UPDATED, UNCHANGED, SKIPPED, FAILED = "created", "updated", "unchanged", "skipped", "failed"
STATUS_LABELS = {CREATED: "新建", UPDATED: "更新", UNCHANGED: "未变", SKIPPED: "跳过", FAILED: "失败"}


@dataclass
class Flag:
    """Something a reviewer should look at in an imported draft (a code, and a message in Chinese)."""

    code: str
    message: str


@dataclass
class FileResult:
    """What happened to one file."""

    path: str
    status: str = ""
    reason: str = ""
    flags: list = field(default_factory=list)
    kind: str = ""
    detected_script: str = ""
    locale: str = ""
    title: str = ""
    item_id: int | None = None
    document_number: str = ""
    document_date: str = ""
    paragraphs: int = 0


@dataclass
class ImportReport:
    """Every file of a batch, the options it ran with and how long it took."""

    unit: str
    options: dict
    dry_run: bool
    files: list = field(default_factory=list)
    seconds: float = 0.0

    def counts(self):
        counts = dict.fromkeys(STATUS_LABELS, 0)
        for result in self.files:
            counts[result.status] += 1
        return counts

    @property
    def documents_per_second(self):
        return len(self.files) / self.seconds if self.seconds else 0.0

    def as_dict(self):
        return {
            "unit": self.unit,
            "options": self.options,
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "documents_per_second": round(self.documents_per_second, 1),
            "counts": self.counts(),
            "files": [asdict(result) for result in self.files],
        }

    def write_json(self, path):
        with open(path, "w", encoding="utf-8") as file:
            json.dump(self.as_dict(), file, ensure_ascii=False, indent=2)
            file.write("\n")

    def summary(self):
        counts = self.counts()
        parts = "，".join(f"{STATUS_LABELS[status]} {number}" for status, number in counts.items())
        prefix = "试运行（未写入数据库）：" if self.dry_run else ""
        return f"{prefix}共 {len(self.files)} 个文件：{parts}。用时 {self.seconds:.1f} 秒（{self.documents_per_second:.0f} 份/秒）。"

    def table(self, path_width=40, title_width=30):
        """The files as a fixed-width table (Chinese characters count as two columns)."""
        header = [_cell("状态", 4), _cell("文件", path_width), _cell("标题", title_width), "说明"]
        lines = ["  ".join(header).rstrip()]
        for result in self.files:
            notes = [result.reason] if result.reason else []
            notes.extend(flag.message for flag in result.flags)
            row = [
                _cell(STATUS_LABELS[result.status], 4),
                _cell(result.path, path_width, keep_end=True),
                _cell(result.title, title_width),
                " ".join(notes),
            ]
            lines.append("  ".join(row).rstrip())
        return "\n".join(lines)


def human_size(size):
    """A byte count as people read it: ``512 字节``, ``1.2 KB``, ``408.0 MB``."""
    if size < 1024:
        return f"{size} 字节"
    for unit in ("KB", "MB", "GB", "TB"):
        size /= 1024
        if size < 1024 or unit == "TB":
            return f"{size:.1f} {unit}"


def _width(text):
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _cut(text, width, keep_end=False):
    """``text`` shortened with "…" to fit ``width`` columns (keeping its end for file paths)."""
    if _width(text) <= width:
        return text
    characters = list(reversed(text)) if keep_end else list(text)
    kept, used = [], 1
    for character in characters:
        used += _width(character)
        if used > width:
            break
        kept.append(character)
    return "…" + "".join(reversed(kept)) if keep_end else "".join(kept) + "…"


def _cell(text, width, keep_end=False):
    text = _cut(text, width, keep_end)
    return text + " " * (width - _width(text))


class ProgressBar:
    """A one-line progress bar for a terminal: ``write`` prints without a newline."""

    def __init__(self, total, write, width=30):
        self.total = total
        self.write = write
        self.width = width

    def update(self, done, seconds):
        filled = self.width * done // self.total if self.total else self.width
        rate = done / seconds if seconds else 0
        self.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total}（{rate:.0f} 份/秒）")

    def close(self):
        self.write("\n")
