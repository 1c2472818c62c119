"""Exports: the whole result list as CSV (Excel opens it in Vietnamese), XLSX and JSON Lines."""

import csv
import datetime
import io
import json
import unicodedata

import openpyxl
import pytest

from search_app import export

HEADERS = ["Số ký hiệu", "Loại văn bản", "Trích yếu", "Cơ quan ban hành", "Người ký", "Ngày ban hành", "Liên kết"]


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def _ids_of_pages(client, query: str) -> list[str]:
    """The directive ids the JSON pages show for ``query``, page after page."""
    ids, page = [], 1
    while True:
        body = client.get(f"/api/v1/search?{query}&per_page=2&page={page}").get_json()
        ids += [r["id"] for r in body["results"]]
        if not body["links"]["next"]:
            return ids
        page += 1


def test_csv_starts_with_a_bom_and_parses_in_vietnamese(client, sample_ids):
    response = client.get("/api/v1/search?q=phong+chong+dich&format=csv")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = _csv_rows(response)
    assert rows[0] == HEADERS
    assert len(rows) - 1 == int(response.headers["X-Total-Count"]) >= 2
    minh_long = next(row for row in rows if row[0] == "655/KH-PGDĐT")
    assert minh_long[1] == "Kế hoạch"
    assert minh_long[2].startswith("Tổ chức thực hiện Chỉ thị số 19/CT-TTg")
    assert minh_long[3] == "Phòng Giáo dục và Đào tạo huyện Minh Long"
    assert minh_long[4] == "Nguyễn Thị Thu Hiền"
    assert minh_long[5] == "02/12/2021"
    assert minh_long[6] == f"http://localhost/documents/{sample_ids.minh_long}"


def test_xlsx_opens_with_a_reader_and_keeps_diacritics_dates_and_links(client, sample_ids):
    response = client.get("/api/v1/search?q=Minh+Long&doc_type=ke_hoach&format=xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == export.FORMATS["xlsx"][0]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "Kết quả"
    assert [c.value for c in sheet[1]] == HEADERS
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "655/KH-PGDĐT")
    assert row[2].value.endswith("Đại hội đại biểu Đảng bộ tỉnh lần thứ XX")
    assert row[3].value == "Phòng Giáo dục và Đào tạo huyện Minh Long"
    assert row[4].value == "Nguyễn Thị Thu Hiền"
    assert row[5].value == datetime.datetime(2021, 12, 2) and row[5].number_format == "dd/mm/yyyy"
    assert row[6].hyperlink.target == f"http://localhost/documents/{sample_ids.minh_long}"
    assert all(r[1].value == "Kế hoạch" for r in sheet.iter_rows(min_row=2))


@pytest.mark.parametrize("sort", ["date_asc", "date_desc", "relevance"])
def test_jsonl_holds_every_match_in_the_order_of_the_pages(client, sort):
    query = f"q=giáo+dục&sort={sort}"
    response = client.get(f"/api/v1/search?{query}&format=jsonl&page=2")  # page is ignored
    assert response.status_code == 200
    records = [json.loads(line) for line in response.data.decode("utf-8").splitlines()]
    assert [r["id"] for r in records] == _ids_of_pages(client, query)
    assert len(records) >= 3
    assert list(records[0]) == list(export.RECORD_KEYS)
    assert all(r["url"] == f"http://localhost/documents/{r['id']}" for r in records)


def test_export_without_diacritics_or_in_nfd_is_the_same_list(client):
    nfc, folded, nfd = [client.get("/api/v1/search", query_string={"q": q, "format": "jsonl"}).data
                        for q in ("phòng chống dịch", "phong chong dich",
                                  unicodedata.normalize("NFD", "phòng chống dịch"))]
    assert nfc and nfc == nfd
    # Typed without marks, every spelling counts: the Dầu Tiếng plan's "MỤC ĐÍCH"
    # is "muc dich" but not "dịch" (issue 13).
    ids = [[json.loads(line)["id"] for line in data.splitlines()] for data in (nfc, folded)]
    assert set(ids[0]) < set(ids[1]) and set(ids[1]) - set(ids[0]) == {"ke-hoach-1760b0085c"}


def test_export_stops_at_the_limit_and_says_how_many_matched(client, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_LIMIT", 2)
    response = client.get("/api/v1/search?format=csv")
    assert len(_csv_rows(response)) - 1 == 2
    assert response.headers["X-Total-Count"] == "5" and response.headers["X-Export-Limit"] == "2"


def test_unknown_format_is_a_400_naming_the_formats(client):
    body = client.get("/api/v1/search?q=dân+vận&format=pdf").get_json()
    assert body["status"] == 400 and body["code"] == "invalid_parameter"
    assert "csv, xlsx, jsonl" in body["error"] and body["message"].startswith("Định dạng «pdf»")


def test_results_page_offers_the_exports_with_its_filters_and_the_limit(client):
    html = client.get("/?q=dân+vận&doc_type=ke_hoach&sort=date_asc").get_data(as_text=True)
    assert "tối đa 5.000 văn bản" in html
    for fmt in ("csv", "xlsx", "jsonl"):
        assert (f'href="/api/v1/search?q=d%C3%A2n+v%E1%BA%ADn&amp;doc_type=ke_hoach&amp;sort=date_asc'
                f'&amp;format={fmt}"') in html


@pytest.mark.parametrize("cell, safe", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+84 255 3822", "'+84 255 3822"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("Kế hoạch số 655", "Kế hoạch số 655"),
])
def test_csv_cells_cannot_become_formulas(cell, safe):
    assert export._spreadsheet_safe(cell) == safe
