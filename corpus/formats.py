"""Readers by file format: the bytes of a .txt, .html, .docx, .pdf or .doc file to plain text.

Every format ends as text with blank lines between paragraphs, which
corpus.parse_text reads the same way whatever it came from. A reader raises
corpus.errors.ReadError (Vietnamese reason, English code); readers that need a
program the machine may lack (OCR, antiword) say in that reason how to install
it, and ``disabled()`` lists them for a startup note:

    extracted = reader_for(".docx").read(data)   # extracted.text, .warnings, .ocr
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from corpus.decode import decode_bytes


@dataclass
class Extracted:
    """A file's text, what the reader wants the reader of the directive to know, and whether OCR made it."""
    text: str
    warnings: list[str] = field(default_factory=list)
    ocr: bool = False


@dataclass(frozen=True)
class Format:
    suffixes: tuple[str, ...]
    name: str
    read: Callable[[bytes], Extracted]
    #: Files bigger than this are refused before reading. Text is segmented word by
    #: word, so text files are held to what a build can segment in seconds; Word and
    #: PDF files carry images and fonts, and their text is held to the same limit after reading.
    max_bytes: int
    #: The media type the original file is served with ("Tải văn bản gốc"); text types get their charset then.
    media_type: str = "application/octet-stream"


# The longest real directive with its appendices is well under 1 MB of text; a
# bigger file is an export gone wrong, and segmenting it would stall a build for
# minutes (underthesea reads ~150,000 characters a second).
MAX_TEXT_BYTES = 10 * 1024 * 1024
# A scanned 20-page directive at 300 dpi is 10-20 MB; Word files with photos of the seal are a few MB.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def _encoding_note(encoding: str) -> list[str]:
    return [] if encoding in ("utf-8", "utf-8-sig") else [f"tệp mã hóa {encoding.upper()}, đã chuyển sang Unicode"]


def _read_text(data: bytes) -> Extracted:
    text, encoding = decode_bytes(data)
    return Extracted(text, _encoding_note(encoding))


def _read_html(data: bytes) -> Extracted:
    from corpus.errors import ReadError
    from corpus.parse_html import html_to_text

    text, encoding = decode_bytes(data)
    text = html_to_text(text)
    if not text.strip():
        raise ReadError("trang HTML không có chữ hiển thị", "no-text")
    return Extracted(text, _encoding_note(encoding))


# The readers of binary formats import their libraries only when a file needs them.

def _read_docx(data: bytes) -> Extracted:
    from corpus.read_docx import read_docx
    return read_docx(data)


def _read_pdf(data: bytes) -> Extracted:
    from corpus.read_pdf import read_pdf
    return read_pdf(data)


def _read_doc(data: bytes) -> Extracted:
    from corpus.read_doc import read_doc
    return read_doc(data)


FORMATS = (
    Format((".txt",), "văn bản thuần (.txt)", _read_text, MAX_TEXT_BYTES, "text/plain"),
    Format((".html", ".htm"), "trang web (.html)", _read_html, MAX_TEXT_BYTES, "text/html"),
    Format((".docx",), "Word (.docx)", _read_docx, MAX_DOCUMENT_BYTES,
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    Format((".pdf",), "PDF (.pdf)", _read_pdf, MAX_DOCUMENT_BYTES, "application/pdf"),
    Format((".doc",), "Word 97-2003 (.doc)", _read_doc, MAX_DOCUMENT_BYTES, "application/msword"),
)

SUPPORTED_SUFFIXES = tuple(suffix for fmt in FORMATS for suffix in fmt.suffixes)
#: The biggest file of any format (uploads above it are refused before they are read).
MAX_UPLOAD_BYTES = max(fmt.max_bytes for fmt in FORMATS)


def reader_for(suffix: str) -> Format | None:
    """The format read for a file name ending in ``suffix`` (any case), or None."""
    suffix = suffix.lower()
    return next((fmt for fmt in FORMATS if suffix in fmt.suffixes), None)


def disabled() -> list[str]:
    """One line per kind of file this machine cannot read, saying why and how to fix it (English, for consoles)."""
    from corpus.ocr import ocr_unavailable
    from corpus.read_doc import doc_unavailable

    return [note for note in (doc_unavailable(), ocr_unavailable()) if note]
