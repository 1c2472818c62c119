"""Exports of a result list: every match, up to EXPORT_LIMIT, as CSV, XLSX or JSON Lines.

/api/v1/search?format=csv|xlsx|jsonl answers the same parameters as the
result pages (same filters, same sort; page and per_page are ignored) with a
file instead of one page of JSON. rows() reads the directives in that order;
each writer turns them into a file: CSV in UTF-8 with a BOM (so Excel shows
Vietnamese), XLSX with real dates and links (XlsxWriter), JSON Lines for
programs.

    response = export_response(snapshot, SearchRequest.from_params({"q": "chuyển đổi số"}), "xlsx")
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Iterator

import xlsxwriter
from flask import Response, url_for

import analyzers
from searcher.search import InvalidParameter, SearchRequest, ranked_directives

#: The most directives one export holds (the page says so beside the buttons).
EXPORT_LIMIT = 5000
#: Directives read from the store at a time (a directive carries its full text).
CHUNK = 500

#: format -> (media type, label on the results page)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"),
    "jsonl": ("application/x-ndjson; charset=utf-8", "JSON Lines"),
}

#: Spreadsheet columns: row key -> Vietnamese header, width in characters.
COLUMNS = {
    "number": ("Số ký hiệu", 18),
    "doc_type_label": ("Loại văn bản", 14),
    "title": ("Trích yếu", 70),
    "issuer": ("Cơ quan ban hành", 36),
    "signer": ("Người ký", 22),
    "date": ("Ngày ban hành", 14),
    "url": ("Liên kết", 50),
}


#: Keys of a JSON Lines record, in order.
RECORD_KEYS = ("id", "number", "doc_type", "doc_type_label", "title", "issuer", "place", "signer",
               "signer_title", "issued_date", "year", "url", "score")


def requested_format(args) -> str | None:
    """The export format asked for with ``format=``; None for the JSON page."""
    value = (args.get("format") or "").strip().lower()
    if value in ("", "json"):
        return None
    if value not in FORMATS:
        raise InvalidParameter(f"format must be one of json, {', '.join(FORMATS)} (got {value!r})",
                               f"Định dạng «{value}» không được hỗ trợ; chọn json, {', '.join(FORMATS)}.")
    return value


def links(req: SearchRequest) -> list[dict]:
    """The export buttons of a result page: {format, label, url}."""
    params: dict[str, list[str]] = {}
    for name, value in req.params():
        params.setdefault(name, []).append(value)
    return [{"format": fmt, "label": label, "url": url_for("api.search", **params, format=fmt)}
            for fmt, (_, label) in FORMATS.items()]


def _text(value) -> str | None:
    return analyzers.normalize(value) if isinstance(value, str) else None


def rows(snap, req: SearchRequest) -> tuple[int, Iterator[dict]]:
    """How many directives match, and the first EXPORT_LIMIT of them as export rows, in order."""
    total, ranked = ranked_directives(snap, req, EXPORT_LIMIT)

    def generate():
        for start in range(0, len(ranked), CHUNK):
            chunk = ranked[start:start + CHUNK]
            found = snap.store.get_many([doc_id for doc_id, _ in chunk])
            for doc_id, score in chunk:
                directive = found.get(doc_id)
                if directive is None:  # removed since the ranking
                    continue
                signer = directive.get("signer") or {}
                yield {
                    "id": doc_id,
                    "number": _text(directive.get("number")),
                    "doc_type": directive.get("doc_type"),
                    "doc_type_label": _text(directive.get("doc_type_label")),
                    "title": _text(directive.get("title")),
                    "issuer": _text(directive.get("issuer")),
                    "place": _text(directive.get("place")),
                    "signer": _text(signer.get("name")),
                    "signer_title": _text(signer.get("title")),
                    "issued_date": directive.get("issued_date"),
                    "year": directive.get("year"),
                    "url": url_for("views.document_page", doc_id=doc_id, _external=True),
                    "score": score,
                }
    return total, generate()


def _date_text(row: dict) -> str:
    """dd/mm/yyyy as directives write it; the year alone when the day is unknown."""
    if row["issued_date"]:
        year, month, day = row["issued_date"].split("-")
        return f"{day}/{month}/{year}"
    return str(row["year"] or "")


def _spreadsheet_safe(text: str) -> str:
    # A cell starting with one of these is a formula to Excel and LibreOffice
    # (CSV injection); a leading apostrophe makes it text again.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(records: Iterator[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _ in COLUMNS.values()])
    for row in records:
        writer.writerow([_spreadsheet_safe(_date_text(row) if key == "date" else row[key] or "")
                         for key in COLUMNS])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def write_xlsx(records: Iterator[dict], total: int) -> bytes:
    out = io.BytesIO()
    # Strings stay strings: no formula, number or URL guessing from a title.
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                         "strings_to_numbers": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("Kết quả")
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    top = workbook.add_format({"valign": "top"})
    date = workbook.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "align": "left"})
    link = workbook.add_format({"font_color": "blue", "underline": 1, "valign": "top"})
    for col, (header, width) in enumerate(COLUMNS.values()):
        sheet.set_column(col, col, width, wrap if header == "Trích yếu" else top)
        sheet.write_string(0, col, header, bold)
    row_number = 0
    for row_number, row in enumerate(records, start=1):
        for col, key in enumerate(COLUMNS):
            if key == "date" and row["issued_date"]:
                sheet.write_datetime(row_number, col, datetime.date.fromisoformat(row["issued_date"]), date)
            elif key == "url":
                sheet.write_url(row_number, col, row["url"], link, string=row["url"])
            else:
                value = _date_text(row) if key == "date" else row[key]
                sheet.write_string(row_number, col, value or "")
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row_number, 1), len(COLUMNS) - 1)
    workbook.set_properties({"title": "Kết quả tra cứu văn bản",
                             "comments": f"{row_number} trong {total} văn bản tìm thấy"})
    workbook.close()
    return out.getvalue()


def write_jsonl(records: Iterator[dict]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in records).encode("utf-8")


def export_response(snap, req: SearchRequest, fmt: str) -> Response:
    """The file for ``fmt``; X-Total-Count says how many matched, X-Export-Limit the cap."""
    total, records = rows(snap, req)
    if fmt == "csv":
        body = write_csv(records)
    elif fmt == "xlsx":
        body = write_xlsx(records, total)
    else:
        body = write_jsonl(records)
    media_type, _ = FORMATS[fmt]
    response = Response(body, content_type=media_type)
    stamp = datetime.date.today().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="van-ban-{stamp}.{fmt}"'
    response.headers["X-Total-Count"] = str(total)
    response.headers["X-Export-Limit"] = str(EXPORT_LIMIT)
    return response
