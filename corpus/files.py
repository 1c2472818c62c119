"""Files to directives: size limit, encoding, HTML or text, and walking a corpus folder.

Every failure on bad input is a ParseError naming the file, so a caller can
report it and go on:

    for path, result in iter_corpus("corpus/samples"): ...
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator

from corpus.decode import DecodeError, decode_bytes
from corpus.errors import ParseError
from corpus.model import Directive
from corpus.parse_html import html_to_text
from corpus.parse_text import parse_text
from corpus.records import RECORD_SUFFIXES

# The longest real directive with its appendices is well under 1 MB of text; a
# bigger file is an export gone wrong, and segmenting it would stall a build for
# minutes (underthesea reads ~150,000 characters a second).
MAX_FILE_BYTES = 10 * 1024 * 1024
SUPPORTED_SUFFIXES = (".txt", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")


def parse_bytes(data: bytes, source: str, suffix: str) -> Directive:
    """The directive in ``data``, read as HTML when ``suffix`` is .html/.htm, else as text."""
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(source, f"file too large ({len(data)} bytes; the limit is {MAX_FILE_BYTES // 2**20} MB)")
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        raise ParseError(source, str(exc)) from None
    if suffix.lower() in HTML_SUFFIXES:
        text = html_to_text(text)
        if not text.strip():
            raise ParseError(source, "no visible text in the HTML")
    content_hash = "sha256:" + hashlib.sha256(data).hexdigest()
    try:
        directive = parse_text(text, source, content_hash)
    except RecursionError:
        # The parser has no recursion; kept so the "only ParseError" promise holds regardless.
        raise ParseError(source, "document structure too deeply nested") from None
    if encoding not in ("utf-8", "utf-8-sig"):
        directive.warnings.insert(0, f"tệp mã hóa {encoding.upper()}, đã chuyển sang Unicode")
    return directive


def parse_file(path, root=None) -> Directive:
    """The directive in the file ``path``; ``source`` is its path relative to ``root`` (posix), or its name."""
    path = Path(path)
    source = _source(path, root)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParseError(source, f"file too large ({size} bytes; the limit is {MAX_FILE_BYTES // 2**20} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(source, f"cannot read: {exc.strerror or exc}") from None
    return parse_bytes(data, source, path.suffix)


def _source(path: Path, root) -> str:
    if root is None:
        return path.name
    try:
        return path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return path.name


def _walk(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Files under ``root`` with one of ``suffixes``, sorted, hidden files and folders skipped."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).parts
        if any(part.startswith(".") for part in relative):
            continue
        if path.suffix.lower() in suffixes and path.is_file():
            found.append(path)
    return found


def corpus_files(root) -> list[Path]:
    """Every document and JSON Lines file under ``root``, in sorted order (what an index is built from)."""
    return _walk(Path(root), SUPPORTED_SUFFIXES + RECORD_SUFFIXES)


def iter_corpus(root) -> Iterator[tuple[Path, Directive | ParseError]]:
    """(path, directive) for each .txt/.html/.htm file under ``root``; a ParseError in place of a bad one."""
    root = Path(root)
    for path in _walk(root, SUPPORTED_SUFFIXES):
        try:
            yield path, parse_file(path, root)
        except ParseError as exc:
            yield path, exc
