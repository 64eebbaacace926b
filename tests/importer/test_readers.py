"""Reading legacy files: encodings, Word, and the files that are not documents."""

import io
from pathlib import Path

import docx
import pytest

from importer.readers import SkippedFile, UnreadableFile, find_files, read_text

TEXT = "关于党费收缴情况的公示\n黨務公開"


def word_file(*paragraphs, table=None):
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table):
            for cell, value in zip(row.cells, values):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with its byte order mark
        TEXT.encode("gb18030"),
    ],
)
def test_text_in_common_encodings(data):
    assert read_text(Path("公示.txt"), data) == TEXT


def test_big5_traditional_text():
    text = "關於黨費收繳情況的公示，請黨員群眾監督。" * 3
    assert read_text(Path("公示.txt"), text.encode("big5")) == text


def test_gbk_html_is_returned_as_markup():
    markup = "<html><body><p>党务公开</p></body></html>" * 3
    assert read_text(Path("page.htm"), markup.encode("gbk")) == markup


def test_word_paragraphs_and_table_rows_in_order():
    data = word_file("关于党费收缴情况的公示", "现将情况公示如下：", table=[["姓名", "金额"], ["张三", "120元"]])
    assert read_text(Path("公示.docx"), data).split("\n") == ["关于党费收缴情况的公示", "现将情况公示如下：", "姓名 | 金额", "张三 | 120元"]


def test_word_merged_cells_are_read_once():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合计"
    table.cell(0, 2).text = "360元"
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_text(Path("表.docx"), buffer.getvalue()) == "合计 | 360元"


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("空.txt", b"", "空文件"),
        ("空白.txt", b" \n\r\n\t", "空文件"),
        ("图片.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "二进制文件"),
        ("说明.md", b"# readme", "不支持的文件类型"),
        ("旧版.doc", b"\xd0\xcf\x11\xe0", ".doc"),
        ("扫描件.pdf", b"%PDF-1.4", "PDF"),
        ("无扩展名", b"text", "无扩展名"),
    ],
)
def test_files_that_are_not_documents_are_skipped_with_a_reason(name, data, reason):
    with pytest.raises(SkippedFile, match=reason):
        read_text(Path(name), data)


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not really a zip", b"plain text named .docx", word_file("x")[:300]],
)
def test_damaged_word_files_are_unreadable(data):
    with pytest.raises(UnreadableFile, match="Word"):
        read_text(Path("坏.docx"), data)


def test_find_files_walks_folders_in_order_and_leaves_out_hidden_and_lock_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "b/1.docx", "a.html", "README.md", ".hidden.txt", "~$锁定.docx", ".git/x.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    single = tmp_path / "b" / "2.txt"
    found = find_files([tmp_path, single, tmp_path / "missing.txt"])
    assert [str(path.relative_to(tmp_path)) for path in found] == ["README.md", "a.html", "b/1.docx", "b/2.txt", "b/2.txt", "missing.txt"]
