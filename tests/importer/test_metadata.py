"""Title, 文号 and 成文日期 taken from a document's own lines."""

from datetime import date
from pathlib import Path

import pytest

from chinese.cleaning import clean_document
from importer.metadata import (
    document_date,
    document_number,
    extract_metadata,
    title_from_file_name,
)
from tests.chinese.corpus import CORPUS, needs_corpus, read_corpus


@pytest.mark.parametrize(
    "line, number",
    [
        ("城关党发〔2024〕3号", "城关党发〔2024〕3号"),
        ("城关党发[2024]3号", "城关党发〔2024〕3号"),
        ("城关党发（2024）第03号", "城关党发〔2024〕3号"),
        ("  青组字【2023】12号 ", "青组字〔2023〕12号"),
        ("根据城关党发〔2024〕3号文件精神", ""),  # quoted in a sentence, not the document's own
        ("2024年3月5日", ""),
    ],
)
def test_document_number(line, number):
    assert document_number(line) == number


@pytest.mark.parametrize(
    "line, day",
    [
        ("2024年3月5日", date(2024, 3, 5)),
        ("2024 年 12 月 31 日", date(2024, 12, 31)),
        ("二〇二四年三月五日", date(2024, 3, 5)),
        ("二○二三年十二月二十一日", date(2023, 12, 21)),
        ("（2023年7月2日）", date(2023, 7, 2)),
        ("中共城关镇委员会 2024年3月5日", date(2024, 3, 5)),
        ("_月_日", None),
        ("2024年2月30日", None),
        ("会议于2024年3月5日召开。", None),
    ],
)
def test_document_date(line, day):
    assert document_date(line) == day


def test_official_document_header_and_signature():
    paragraphs = ["城关党发〔2024〕3号", "中共城关镇委员会", "关于表彰优秀共产党员的决定", "各村党支部：", "现决定表彰……", "中共城关镇委员会", "2024年6月28日"]
    metadata = extract_metadata(paragraphs, Path("决定.docx"))
    assert metadata.title == "中共城关镇委员会关于表彰优秀共产党员的决定"
    assert metadata.title_from_text
    assert metadata.document_number == "城关党发〔2024〕3号"
    assert metadata.document_date == date(2024, 6, 28)
    assert metadata.body == paragraphs[3:]


def test_speech_with_its_date_under_the_title():
    paragraphs = ["在全镇党务公开工作会议上的讲话", "（2023年7月2日）", "同志们：", "今天召开会议。"]
    metadata = extract_metadata(paragraphs, Path("讲话.txt"))
    assert (metadata.title, metadata.document_date, metadata.document_number) == (paragraphs[0], date(2023, 7, 2), "")
    assert metadata.body == paragraphs[2:]  # taken as 成文日期, the date line leaves the body (issue 14)


def test_a_date_under_the_title_that_is_not_the_signing_date_stays():
    paragraphs = ["在全镇党务公开工作会议上的讲话", "（2023年7月2日）", "同志们：", "今天召开会议。", "中共城关镇委员会", "2023年7月9日"]
    metadata = extract_metadata(paragraphs, Path("讲话.txt"))
    assert metadata.document_date == date(2023, 7, 9)
    assert "（2023年7月2日）" in metadata.body


def test_text_without_a_title_line_takes_the_file_name():
    paragraphs = ["同志们：", "今天召开会议，主要任务是部署全年工作。"]
    metadata = extract_metadata(paragraphs, Path("2023/镇委权力运行会讲话.html.txt"))
    assert (metadata.title, metadata.title_from_text) == ("镇委权力运行会讲话", False)
    assert metadata.body == paragraphs


@pytest.mark.parametrize(
    "path, title",
    [("公示.docx", "公示"), ("a/b/town-power-transparency-scraped.html.txt", "town-power-transparency-scraped"), ("党费_2024.txt", "党费 2024")],
)
def test_title_from_file_name(path, title):
    assert title_from_file_name(path) == title


@needs_corpus
@pytest.mark.parametrize(
    "name, title",
    [
        ("county-secretary-speech.txt", "县委书记在党务公开会发言"),
        ("township-practice-scraped.txt", "镇党务公开工作的实践与思考"),
        ("town-power-transparency-scraped.html.txt", "书记在镇委权力运行会讲话"),
        ("district-meeting-speech.txt", "党务公开工作会议讲话"),
    ],
)
def test_corpus_titles(name, title):
    metadata = extract_metadata(clean_document(read_corpus(name)), CORPUS / name)
    assert (metadata.title, metadata.title_from_text) == (title, True)
    # A site's upload time (时间:2022-06-19) is not the document's date; these carry none.
    assert (metadata.document_number, metadata.document_date) == ("", None)
    assert title not in metadata.body
