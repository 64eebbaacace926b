"""From a file's bytes to a document ready to become a draft: cleaned paragraphs, metadata, flags.

Nothing here touches the database, so a file can be read, cleaned and described (and
``--dry-run`` can show what would happen) before any transaction starts.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape

from chinese.cleaning import CONTROL_CHARACTERS, clean_document_counting_repeats, ends_truncated, heading_level
from chinese.script import detect_script, suspect_conversions

from .metadata import DocumentMetadata, extract_metadata
from .readers import SkippedFile, kind_of, read_text
from .report import Flag

AUTO_SCRIPT = "auto"
# A page header repeated above a title is one repeat; many mean a broken or padded file.
REPEATS_WORTH_A_WARNING = 3


@dataclass
class PreparedDocument:
    """A file's cleaned paragraphs and what was taken from them, ready to become a draft."""

    kind: str
    detected_script: str
    script: str
    metadata: DocumentMetadata
    flags: list


_BLANK = re.compile(r"(?<![A-Za-z0-9_])_+(?![A-Za-z0-9_])")


def prepare_document(path, data, script=AUTO_SCRIPT):
    """Read, clean and describe one file; raises SkippedFile or UnreadableFile."""
    kind = kind_of(path)
    text = read_text(path, data)
    controls = len(CONTROL_CHARACTERS.findall(text))
    paragraphs, repeats = clean_document_counting_repeats(text)
    if not paragraphs:
        raise SkippedFile("清理后没有正文（只有网站附加内容或空白）。")
    metadata = extract_metadata(paragraphs, path)
    if not metadata.body:
        metadata.body = paragraphs  # a one-paragraph text is body, not only a title
    text = "\n".join(paragraphs)
    detected = detect_script(text)
    flags = [
        Flag("suspect_conversion", f"疑似逐字转换错误：{suspect.found} → {suspect.likely}（{suspect.count} 处），未自动修改。")
        for suspect in suspect_conversions(text)
    ]
    if ends_truncated(paragraphs):
        flags.append(Flag("truncated", "正文以“...”结尾，可能是不完整的网页预览。"))
    blanks = len(_BLANK.findall(text))
    if blanks:
        flags.append(Flag("blanks", f"有 {blanks} 处下划线空白（如“_月_日”），原文可能缺字。"))
    if controls:
        flags.append(Flag("control_characters", f"有 {controls} 个控制字符（如 NUL 空字节）已删除，原文件可能已损坏，请核对正文。"))
    if repeats >= REPEATS_WORTH_A_WARNING:
        flags.append(Flag(
            "repeated_paragraphs",
            f"有 {repeats} 个与上一段完全相同的段落已合并（共剩 {len(paragraphs)} 段），原文件可能有误，请核对正文。",
        ))
    if not metadata.title_from_text:
        flags.append(Flag("title_from_file_name", "正文中没有标题，已用文件名作标题。"))
    return PreparedDocument(kind, detected, detected if script == AUTO_SCRIPT else script, metadata, flags)


def body_html(paragraphs):
    """Rich text for the item body: numbered headings as <h2>/<h3>, every other paragraph as <p>."""
    parts = []
    for paragraph in paragraphs:
        level = heading_level(paragraph)
        tag = f"h{level}" if level else "p"
        parts.append(f"<{tag}>{escape(paragraph)}</{tag}>")
    return "".join(parts)
