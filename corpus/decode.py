"""Bytes to text: encoding detection for the files a corpus actually contains.

UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16 without BOM (recognised
by its NUL bytes) and Windows-1258 as a fallback when the bytes are not UTF-8 but
read as plausible Vietnamese. Binary and empty files are refused:

    text, encoding = decode_bytes(path.read_bytes())   # ValueError with the reason
"""

from __future__ import annotations

import codecs
import unicodedata

from corpus.errors import ReadError
from corpus.vntext import fold

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

# Magic numbers of the binary formats people drop into a folder of documents.
_MAGIC = (
    (b"%PDF", "PDF"), (b"PK\x03\x04", "ZIP/DOCX"), (b"\xd0\xcf\x11\xe0", "DOC/XLS"),
    (b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"), (b"{\\rtf", "RTF"),
)

_SAMPLE = 8192


class DecodeError(ReadError):
    """Bytes that are not text we can read; the message is the reason (Vietnamese), ``code`` its kind."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for ``data``; DecodeError for empty, binary or undecodable input."""
    if not data.strip():
        raise DecodeError("tệp rỗng", "empty-file")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"tệp nhị phân ({kind}), không phải văn bản", "binary-file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data, encoding), encoding)
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise DecodeError("tệp nhị phân, không phải văn bản", "binary-file")
        return _checked(_strict(data, encoding), encoding)
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        where = f"byte 0x{data[exc.start]:02x} không hợp lệ ở vị trí {exc.start}"
        # "unexpected end of data": valid up to a character cut off by the end of the file.
        truncated = exc.reason == "unexpected end of data"
    text = _windows_1258(data)
    if text is None:
        if truncated:
            raise DecodeError(f"tệp UTF-8 bị cắt cụt: tệp kết thúc giữa một ký tự (vị trí {len(data)}); "
                              "hãy sao chép lại từ bản gốc", "truncated-utf8")
        raise DecodeError(f"không phải UTF-8 hợp lệ ({where}; đã thử UTF-16, Windows-1258)", "bad-encoding")
    return _checked(text, "windows-1258")


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"không phải {encoding.upper()} hợp lệ (dữ liệu sai ở vị trí {exc.start})",
                          "bad-encoding") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the NUL bytes sit in every other position, as in Latin text."""
    sample = data[:_SAMPLE - _SAMPLE % 2]
    if len(sample) < 2 or len(data) % 2:
        return None
    pairs = len(sample) // 2
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    # Vietnamese in UTF-16 is mostly ASCII letters and spaces: one NUL per pair, on one side.
    if odd >= pairs * 0.3 and even <= pairs * 0.02:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd <= pairs * 0.02:
        return "utf-16-be"
    return None


def _checked(text: str, encoding: str) -> tuple[str, str]:
    sample = text[:_SAMPLE]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if "\x00" in sample or controls > max(2, len(sample) // 100):
        raise DecodeError("tệp nhị phân, không phải văn bản", "binary-file")
    if not text.strip("\ufeff\u200b \t\r\n\f"):
        raise DecodeError("tệp rỗng", "empty-file")
    return text, encoding


def _windows_1258(data: bytes) -> str | None:
    """The text as Windows-1258 (tone marks composed) when it reads as Vietnamese, else None."""
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    others = [c for c in text[:_SAMPLE * 4] if not c.isascii()]
    if not others:
        return None
    # Vietnamese non-ASCII characters are letters that fold to ASCII (ế, ạ, đ) or typographic
    # punctuation; a Latin-1 or random binary file decoded this way gives symbols and stray marks.
    vietnamese = sum(1 for c in others if (c.isalpha() and fold(c).isascii()) or c in "“”‘’–—…•")
    return text if vietnamese >= 0.9 * len(others) else None
