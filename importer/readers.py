"""Finding the files to import and reading their text: plain text, HTML and Word (.docx)."""

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import charset_normalizer
from docx.oxml import parse_xml
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.table import Table
from docx.text.paragraph import Paragraph

from .limits import check_archive, check_document_part

TEXT, HTML, DOCX = "txt", "html", "docx"
KINDS = {".txt": TEXT, ".html": HTML, ".htm": HTML, ".docx": DOCX}
_ADVICE = {
    ".doc": "旧版 Word 文件（.doc）暂不支持，请另存为 .docx 后导入。",
    ".wps": "WPS 文件暂不支持，请另存为 .docx 后导入。",
    ".pdf": "PDF 暂不支持（中文 PDF 的文字提取不可靠），请导出为 .docx 或 .txt 后导入。",
}


class SkippedFile(Exception):
    """A file that is not a document to import (unsupported, empty, binary); the reason is in Chinese."""


class UnreadableFile(Exception):
    """A document that could not be read (damaged, unknown encoding); the reason is in Chinese."""


def find_files(paths):
    """The files named or found under the folders named, in a stable order.

    Hidden files and Word's lock files (~$…) are left out; every other file is returned, so
    that the report lists unsupported ones too. A path that does not exist is returned as
    is and reported by the import.
    """
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                sorted(
                    file
                    for file in path.rglob("*")
                    if file.is_file() and not any(part.startswith((".", "~$")) for part in file.relative_to(path).parts)
                )
            )
        else:
            found.append(path)
    return found


def kind_of(path):
    """``"txt"``, ``"html"`` or ``"docx"``; raises SkippedFile for any other type."""
    suffix = path.suffix.lower()
    if suffix in KINDS:
        return KINDS[suffix]
    raise SkippedFile(_ADVICE.get(suffix, f"不支持的文件类型“{suffix or '无扩展名'}”（支持 .txt、.html、.htm、.docx）。"))


def read_text(path, data):
    """The text of a document given its bytes; HTML is returned as markup for the cleaning rules."""
    kind = kind_of(path)
    if not data.strip():
        raise SkippedFile("空文件。")
    if kind == DOCX:
        return _docx_text(data)
    return decode(data)


_BYTE_ORDER_MARKS = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")]


def decode(data):
    """Text from bytes in UTF-8, UTF-16, GB18030 (GBK, GB2312) or Big5."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise UnreadableFile(f"文件声明为 {encoding} 编码，但内容无法按此编码读取。") from None
            if not plausible_chinese(text):
                raise UnreadableFile(
                    f"文件声明为 {encoding} 编码，但按此编码读出的文字不像中文（多为生僻字，如“{_sample(text)}”），"
                    "可能是编码有误；请另存为 UTF-8 后导入。"
                )
            return text
    if b"\x00" in data[:8192]:
        if _utf16_without_mark(data):
            raise UnreadableFile(_UTF16_ADVICE)
        raise SkippedFile("二进制文件，不是文本。")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    if best is None:
        if _utf16_without_mark(data):
            raise UnreadableFile(_UTF16_ADVICE)
        raise UnreadableFile("无法识别文件的文字编码（支持 UTF-8、GBK/GB18030、Big5）。")
    text = str(best)
    if not plausible_chinese(text):
        # A guess that gives rare characters one after another ("最牡慢敧…") is a wrong guess:
        # the file would become a draft of garbage.
        if _utf16_without_mark(data):
            raise UnreadableFile(_UTF16_ADVICE)
        raise UnreadableFile(
            f"按 {best.encoding} 编码读出的文字不像中文（多为生僻字，如“{_sample(text)}”），"
            "可能是编码识别错误；请另存为 UTF-8 后导入。"
        )
    return text


_UTF16_ADVICE = "文件似乎是没有字节顺序标记（BOM）的 UTF-16 编码，无法可靠识别；请另存为 UTF-8 后导入。"
_HAN_CHARACTER = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def _common(character):
    """In the character sets of everyday Chinese: GB2312 (Simplified) or Big5 (Traditional)."""
    for encoding in ("gb2312", "big5"):
        try:
            character.encode(encoding)
            return True
        except UnicodeEncodeError:
            pass
    return False


def plausible_chinese(text, sample=16000):
    """Whether decoded text reads as Chinese (or plain Latin text): few odd characters.

    Real documents, Simplified or Traditional, have 99 % or more of their Han characters in
    GB2312 or Big5, and the rest is ASCII, CJK and general punctuation. Bytes decoded with
    the wrong encoding give the rare characters of the outer ranges and characters of other
    scripts ("最牡慢敧朠牡慢敧਍…" is English text read as UTF-16).
    """
    characters = [character for character in text[:sample] if not character.isspace()]
    if len(characters) < 8:
        return True
    odd = sum(1 for character in characters if not _expected(character))
    return odd / len(characters) < 0.1


def _expected(character):
    code = ord(character)
    if code < 0x250 or 0x2000 <= code <= 0x206F or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF:
        return True  # Latin, general, CJK and full-width punctuation
    if 0x2460 <= code <= 0x24FF or 0x2500 <= code <= 0x25FF or 0x2160 <= code <= 0x217F:
        return True  # ①, box drawing and shapes, Roman numerals
    return bool(_HAN_CHARACTER.match(character)) and _common(character)


def _sample(text):
    return "".join(_HAN_CHARACTER.findall(text[:400])[:8])


def _utf16_without_mark(data):
    """Does ``data`` read as UTF-16 (either byte order) giving plausible text with line breaks or Chinese?"""
    if len(data) < 4 or len(data) % 2:
        return False
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:65536].decode(encoding)
        except UnicodeDecodeError:
            continue
        if _HAN_CHARACTER.search(text) and plausible_chinese(text) and "\x00" not in text:
            return True
    return False


_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _docx_text(data):
    """The paragraphs and table rows of a Word file's body, in order.

    Only the main document part is parsed, with python-docx's XML layer: loading the whole
    package (styles, theme, settings, fonts) costs several times more and holds no text.
    The archive is held to ``importer.limits`` first.
    """
    check_archive(data)  # the zip's own figures, before anything is unpacked (zip bombs)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            relationships = ElementTree.fromstring(archive.read("_rels/.rels"))
            target = next(rel.get("Target") for rel in relationships if rel.get("Type") == _OFFICE_DOCUMENT)
            part = archive.getinfo(target.lstrip("/"))
            check_document_part(part)
            body = parse_xml(archive.read(part)).body
        lines = []
        for element in body.iterchildren():
            if isinstance(element, CT_P):
                lines.append(Paragraph(element, None).text)
            elif isinstance(element, CT_Tbl):
                lines.extend(_table_rows(Table(element, None)))
    except (zipfile.BadZipFile, KeyError, StopIteration, AttributeError, ValueError, SyntaxError) as error:
        # Not a zip, no document part, or XML that is not WordprocessingML.
        raise UnreadableFile(f"不是有效的 Word（.docx）文件（{type(error).__name__}）。") from None
    return "\n".join(lines)


def _table_rows(table):
    """Each row as one line, its cells separated by " | " (merged cells once)."""
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if not cells or cells[-1] != text:
                cells.append(text)
        if any(cells):
            rows.append(" | ".join(cells))
    return rows
