"""Files to directives: the format's reader, size limits, and walking a corpus folder.

Every failure on bad input is a ParseError naming the file, so a caller can
report it and go on:

    for path, result in iter_corpus("corpus/samples"): ...
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator

from corpus.errors import ParseError, ReadError
from corpus.formats import MAX_TEXT_BYTES, SUPPORTED_SUFFIXES, reader_for
from corpus.model import Directive
from corpus.parse_text import parse_text
from corpus.records import RECORD_SUFFIXES

#: The size limit of text files (Word and PDF files may be bigger; their text is held to this).
MAX_FILE_BYTES = MAX_TEXT_BYTES

# Files the system puts into folders of documents; nobody expects them indexed or reported.
_SYSTEM_FILES = {"thumbs.db", "desktop.ini"}


def _too_large(source: str, size: int, limit: int, what: str = "tệp") -> ParseError:
    return ParseError(source, f"{what} quá lớn ({size} byte; giới hạn {limit // 2**20} MB)", "too-large")


def unsupported(source: str, suffix: str) -> ParseError:
    """The error for a file no reader handles, naming the formats that are read."""
    kind = f"định dạng {suffix}" if suffix else "tệp không có đuôi"
    return ParseError(source, f"{kind} chưa được hỗ trợ (đọc được: {', '.join(SUPPORTED_SUFFIXES)})",
                      "unsupported-format")


def parse_bytes(data: bytes, source: str, suffix: str) -> Directive:
    """The directive in ``data``, read by the reader of its format (``suffix``: .txt, .html, .docx, .pdf, .doc)."""
    fmt = reader_for(suffix)
    if fmt is None:
        raise unsupported(source, suffix.lower())
    if len(data) > fmt.max_bytes:
        raise _too_large(source, len(data), fmt.max_bytes)
    try:
        extracted = fmt.read(data)
    except ReadError as exc:
        raise ParseError(source, str(exc), exc.code) from None
    if len(extracted.text) > MAX_TEXT_BYTES:
        raise _too_large(source, len(extracted.text), MAX_TEXT_BYTES, "văn bản trích ra")
    content_hash = "sha256:" + hashlib.sha256(data).hexdigest()
    try:
        directive = parse_text(extracted.text, source, content_hash)
    except RecursionError:
        # The parser has no recursion; kept so the "only ParseError" promise holds regardless.
        raise ParseError(source, "cấu trúc văn bản lồng nhau quá sâu", "too-deep") from None
    directive.warnings[:0] = extracted.warnings
    directive.ocr = extracted.ocr
    return directive


def parse_file(path, root=None) -> Directive:
    """The directive in the file ``path``; ``source`` is its path relative to ``root`` (posix), or its name."""
    path = Path(path)
    source = _source(path, root)
    fmt = reader_for(path.suffix)
    if fmt is None:
        raise unsupported(source, path.suffix.lower())
    try:
        size = path.stat().st_size
        if size > fmt.max_bytes:
            raise _too_large(source, size, fmt.max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(source, f"không đọc được tệp: {exc.strerror or exc}", "cannot-read") from None
    return parse_bytes(data, source, path.suffix)


def _source(path: Path, root) -> str:
    if root is None:
        return path.name
    try:
        return path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return path.name


def _walk(root: Path) -> list[Path]:
    """Files under ``root``, sorted; hidden files and folders, Office lock files and system files skipped."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).parts
        if any(part.startswith(".") for part in relative):
            continue
        # "~$ke-hoach.docx" is the lock file Word keeps beside an open document.
        if path.name.startswith("~$") or path.name.lower() in _SYSTEM_FILES:
            continue
        if path.is_file():
            found.append(path)
    return found


def corpus_files(root) -> list[Path]:
    """Every file under ``root`` an index is built from or reports, in sorted order.

    Documents in a supported format and JSON Lines files of records are read;
    any other file is listed too, so that the build can say it was skipped.
    """
    return _walk(Path(root))


def is_readable(path: Path) -> bool:
    """Whether ``path`` has the suffix of a document format or of a records file."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES + RECORD_SUFFIXES


def iter_corpus(root) -> Iterator[tuple[Path, Directive | ParseError]]:
    """(path, directive) for each document under ``root``; a ParseError in place of a bad or unsupported one."""
    root = Path(root)
    for path in _walk(root):
        if path.suffix.lower() in RECORD_SUFFIXES:
            continue
        try:
            yield path, parse_file(path, root)
        except ParseError as exc:
            yield path, exc
