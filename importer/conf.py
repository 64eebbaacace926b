"""The importer's settings with their defaults (``disclosure_pages.conf.AppSettings``): the limits of ``limits.py``."""

from disclosure_pages.conf import AppSettings

MB = 1024 * 1024

app_settings = AppSettings(
    # Any file (.txt, .html, .docx), checked before it is read.
    SUNSHINE_IMPORT_MAX_FILE_BYTES=20 * MB,
    # A Word file's entries, unpacked, all together.
    SUNSHINE_IMPORT_MAX_UNCOMPRESSED_BYTES=50 * MB,
    # The main document part, unpacked: what is parsed, at about 25 times its size in memory
    # for short paragraphs (16 MB ≈ 400 MB; the text of a 500-page document is a few MB).
    SUNSHINE_IMPORT_MAX_DOCUMENT_PART_BYTES=16 * MB,
    # Entries of a Word file's archive (a real one has 10–100, more with many pictures).
    SUNSHINE_IMPORT_MAX_ENTRIES=1000,
    # Unpacked size over packed size of any entry larger than limits.RATIO_FLOOR unpacked (Word's
    # XML packs 5–20 times; a zip bomb hundreds to millions of times).
    SUNSHINE_IMPORT_MAX_COMPRESSION_RATIO=100,
)
