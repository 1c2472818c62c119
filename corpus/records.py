"""Directives from JSON Lines records, for collections that are already structured.

Each line of a ``.jsonl`` file is one record ``{"id", "title", "text", ...}``;
optional keys fill the directive fields of the same name (number, doc_type,
issuer, place, issued_date, year, signer, heading). The text becomes one
section. A line that is not a usable record is reported and skipped.

    for item in directives_from_records(Path("laws.jsonl").read_bytes(), "laws.jsonl"): ...
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Iterator

from corpus.errors import ParseError
from corpus.model import Directive, Section, Signer
from corpus.vntext import slugify

RECORD_SUFFIXES = (".jsonl",)


class RecordError(ParseError):
    """A record that cannot become a directive; str() is 'source:line: reason', its code 'bad-record'.

    The detail stays as the JSON reader or the field check words it: records come from other systems' exports.
    """

    def __init__(self, path: str, detail: str):
        super().__init__(path, f"bản ghi không dùng được: {detail}", "bad-record")


def _text(value) -> str | None:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) and value.strip() else None


def directive_from_record(record: dict, source: str) -> Directive:
    """One record as a directive; ValueError when it lacks an id or any text."""
    if not isinstance(record, dict):
        raise ValueError("a record must be a JSON object")
    text = _text(record.get("text")) or ""
    title = _text(record.get("title")) or ""
    if not (text or title):
        raise ValueError("record has neither title nor text")
    raw_id = record.get("id")
    doc_id = slugify(str(raw_id)) if raw_id not in (None, "") else ""
    if not doc_id:
        raise ValueError("record has no usable id")
    year = record.get("year")
    date = _text(record.get("issued_date"))
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ValueError(f"issued_date {date!r} is not YYYY-MM-DD")
    if year is None and date:
        year = int(date[:4])
    if year is not None and not isinstance(year, int):
        raise ValueError(f"year {year!r} is not an integer")
    signer = record.get("signer") if isinstance(record.get("signer"), dict) else {}
    body = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return Directive(
        id=doc_id,
        number=_text(record.get("number")),
        doc_type=_text(record.get("doc_type")),
        doc_type_label=_text(record.get("doc_type_label")),
        title=title,
        issuer=_text(record.get("issuer")),
        place=_text(record.get("place")),
        issued_date=date,
        year=year,
        year_inferred=False,
        signer=Signer(name=_text(signer.get("name")), title=_text(signer.get("title"))),
        recipients=[],
        references=[],
        sections=[Section(id="noi-dung", kind="khac", number=None,
                          heading=_text(record.get("heading")) or "", text=text)],
        source=f"{source}#{doc_id}",
        content_hash="sha256:" + hashlib.sha256(body).hexdigest(),
    )


def directives_from_records(data: bytes, source: str) -> Iterator[dict | RecordError]:
    """Directive dicts of a JSONL file, and a RecordError for each bad line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield RecordError(source, f"not UTF-8 JSON Lines ({exc.reason} at byte {exc.start})")
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield directive_from_record(json.loads(line), source).to_dict()
        except (ValueError, TypeError) as exc:
            yield RecordError(f"{source}:{number}", str(exc))
