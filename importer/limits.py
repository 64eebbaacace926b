"""What the importer agrees to read: a file's size, and a Word file's archive before it is opened.

A .docx is a zip archive, and a zip archive says in its central directory how many entries
it holds and how large each one unpacks: 1.2 MB can unpack to 408 MB of tiny paragraphs (a
zip bomb), which python-docx would parse into gigabytes of objects. Every limit is checked
before the work it guards:

- a file's size, from the file system, before it is read;
- the number of entries, from the archive's end record and the central directory's own
  entry headers, before ``zipfile`` builds one object per entry;
- the unpacked size of all entries, and each large entry's compression ratio, from the
  central directory, before anything is unpacked; then the unpacked size of the one part
  that is parsed (the main document). ``zipfile`` never unpacks more than an entry's
  declared size (a lying entry fails its CRC check), so the declared sizes bound what is
  read.

A refused file is reported as failed, with the reason in Chinese, and the batch goes on.
Each limit is a setting (``conf.py``); the defaults are generous for real documents (a 300-page Word
file's text is a few MB; its photos are stored, not compressed).
"""

import io
import struct
import zipfile

from .conf import app_settings
from .report import human_size

MB = 1024 * 1024
# Small entries are not held to the ratio: a few kilobytes of repeated markup pack very well.
RATIO_FLOOR = 1 * MB


class LimitExceeded(Exception):
    """A file past one of the limits; the reason is in Chinese. Reported as failed."""


def limit(name):
    return getattr(app_settings, name)


def check_file_size(path):
    """Refuse a file larger than the limit, from its size on disk, before reading it."""
    size = path.stat().st_size
    maximum = limit("SUNSHINE_IMPORT_MAX_FILE_BYTES")
    if size > maximum:
        raise LimitExceeded(
            f"文件过大（{human_size(size)}），超过导入上限 {human_size(maximum)}"
            "（SUNSHINE_IMPORT_MAX_FILE_BYTES），未读取。"
        )


# -- Word files (zip archives) ----------------------------------------------------------------

_END = b"PK\x05\x06"  # end of central directory record
_END_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"
_CENTRAL_HEADER = b"PK\x01\x02"


def _declared_entries(data):
    """The number of entries the archive's end record declares and the entry headers found in
    its central directory (the larger counts); None when there is no end record (not a zip:
    ``zipfile`` says so in its own words)."""
    position = data.rfind(_END, max(0, len(data) - _END_SIZE - 0xFFFF))
    if position < 0 or len(data) < position + _END_SIZE:
        return None
    entries, directory_size = struct.unpack_from("<HI", data, position + 10)
    directory_end = position
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:  # ZIP64: the real figures are elsewhere
        locator = position - 20
        if locator >= 0 and data[locator:locator + 4] == _ZIP64_LOCATOR:
            (record,) = struct.unpack_from("<Q", data, locator + 8)
            if record + 56 <= len(data) and data[record:record + 4] == _ZIP64_END:
                entries, directory_size = struct.unpack_from("<QQ", data, record + 32)
                directory_end = record
    # The count a zip tool trusts is the end record's; ``zipfile`` reads headers until the
    # directory's size is used up. Count those too: a forged end record cannot hide them.
    headers = data.count(_CENTRAL_HEADER, max(0, directory_end - directory_size), directory_end)
    return max(entries, headers)


def check_archive(data):
    """Refuse a zip archive (a Word file's bytes) past the limits, from its end record and
    central directory, before any entry is unpacked. Archives that are not zips pass: reading
    them fails with its own message."""
    try:
        entries = _declared_entries(data)
    except struct.error:
        return
    if entries is None:
        return
    maximum = limit("SUNSHINE_IMPORT_MAX_ENTRIES")
    if entries > maximum:
        raise LimitExceeded(
            f"Word 文件的压缩包有 {entries} 个条目，超过上限 {maximum}（SUNSHINE_IMPORT_MAX_ENTRIES），"
            "疑为压缩炸弹，未解压。"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_entries(archive.infolist())
    except zipfile.BadZipFile:
        return


def check_entries(infos):
    """The unpacked size of all entries and each large entry's compression ratio, as the
    central directory declares them."""
    total = sum(info.file_size for info in infos)
    maximum = limit("SUNSHINE_IMPORT_MAX_UNCOMPRESSED_BYTES")
    if total > maximum:
        raise LimitExceeded(
            f"Word 文件解压后共 {human_size(total)}，超过上限 {human_size(maximum)}"
            "（SUNSHINE_IMPORT_MAX_UNCOMPRESSED_BYTES），疑为压缩炸弹，未解压。"
        )
    ratio_limit = limit("SUNSHINE_IMPORT_MAX_COMPRESSION_RATIO")
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > ratio_limit * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise LimitExceeded(
                f"Word 文件中的“{info.filename}”压缩比为 {ratio:.0f}:1（{human_size(info.compress_size)} 解压为 "
                f"{human_size(info.file_size)}），超过上限 {ratio_limit}:1（SUNSHINE_IMPORT_MAX_COMPRESSION_RATIO），"
                "疑为压缩炸弹，未解压。"
            )


def check_document_part(info):
    """The main document part, the one python-docx parses, by its declared unpacked size."""
    maximum = limit("SUNSHINE_IMPORT_MAX_DOCUMENT_PART_BYTES")
    if info.file_size > maximum:
        raise LimitExceeded(
            f"Word 文件的正文部分解压后为 {human_size(info.file_size)}，超过上限 {human_size(maximum)}"
            "（SUNSHINE_IMPORT_MAX_DOCUMENT_PART_BYTES），未解析；请拆分成几个文件后导入。"
        )
