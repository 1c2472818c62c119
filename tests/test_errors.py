"""Errors speak Vietnamese to people and stable codes to programs, and never name server paths."""

import pytest

from search_app import create_app
from search_app.errors import ApiError

ENGLISH = ("requested URL", "not found", "must be", "method is not allowed", "internal error", "no index",
           "directive with id", "Not Found")


def _raise_bug(*args, **kwargs):
    raise RuntimeError("a bug in /srv/vbsearch/search_app/search.py")


@pytest.mark.parametrize("method, url, status, heading", [
    ("get", "/?page=abc", 400, "Yêu cầu không hợp lệ"),
    ("get", "/?doc_type=ke-hoach", 400, "Yêu cầu không hợp lệ"),
    ("get", "/documents/khong-co-van-ban-nay", 404, "Không tìm thấy"),
    ("get", "/trang-khong-co", 404, "Không tìm thấy"),  # Werkzeug's own 404
    ("get", "/?q=phòng+chống+dịch&page=900", 404, "Không tìm thấy"),
    ("post", "/", 405, "Phương thức không được hỗ trợ"),
])
def test_html_errors_are_vietnamese_pages_in_the_layout_with_a_way_back(client, method, url, status, heading):
    response = getattr(client, method)(url)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert '<html lang="vi">' in html and heading in html
    assert 'class="searchbox"' in html  # the site's header, so searching again is one step
    assert 'href="/">Về trang tìm kiếm</a>' in html
    for english in ENGLISH:
        assert english not in html, english


def test_html_page_names_the_bad_value_in_vietnamese(client):
    html = client.get("/?page=abc").get_data(as_text=True)
    assert "Số trang phải là số nguyên (nhận được «abc»)" in html
    html = client.get("/?q=dân+vận&page=40").get_data(as_text=True)
    assert "Không có trang 40: kết quả chỉ có 1 trang." in html


def test_unexpected_error_is_a_vietnamese_500_page_and_a_json_500(client, monkeypatch):
    from search_app import api, views

    monkeypatch.setattr(views, "run_search", _raise_bug)
    monkeypatch.setattr(api, "run_search", _raise_bug)
    response = client.get("/?q=dân+vận")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Lỗi máy chủ" in html and "Về trang tìm kiếm" in html
    assert "/srv/vbsearch" not in html and "Traceback" not in html
    body = client.get("/api/v1/search?q=dân+vận").get_json()
    assert body["code"] == "internal_error" and body["status"] == 500
    assert "/srv" not in body["error"] and body["message"].startswith("Đã có lỗi trong máy chủ")


@pytest.mark.parametrize("method, url, status, code", [
    ("get", "/api/v1/search?page=abc", 400, "invalid_parameter"),
    ("get", "/api/v1/search?section=khong_co", 400, "invalid_parameter"),
    ("get", "/api/v1/search?doc_type=khong_co", 400, "invalid_parameter"),
    ("get", "/api/v1/documents/khong-co", 404, "not_found"),
    ("get", "/api/v1/khong-co", 404, "not_found"),
    ("get", "/api/v1/search?q=dân+vận&page=2", 404, "page_out_of_range"),
    ("post", "/api/v1/search", 405, "method_not_allowed"),
])
def test_json_errors_have_a_code_and_a_vietnamese_message_beside_the_english(client, method, url, status, code):
    response = getattr(client, method)(url)
    assert response.status_code == status
    body = response.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"]  # the keys clients already read
    assert body["code"] == code
    assert body["message"] and body["message"] != body["error"]
    assert any(c in body["message"] for c in "ăâđêôơưạảấầẩậắằặẹẻếềểễệịọỏốồổộớờởợụủứừửữựỳỷỹý")


def test_unknown_doc_type_is_refused_like_an_unknown_section(client):
    body = client.get("/api/v1/search?doc_type=ke-hoach").get_json()
    assert "doc_type must be one of" in body["error"] and "'ke-hoach'" in body["error"]
    assert body["message"].startswith("Loại văn bản «ke-hoach» không có; chọn một trong: Nghị quyết,")
    assert client.get("/api/v1/search?doc_type=ke_hoach").get_json()["total"] >= 1
    assert client.get("/api/v1/search?doc_type=").status_code == 200  # an empty form field is no filter


def test_page_past_the_last_is_404_but_the_last_is_not(client):
    first = client.get("/api/v1/search?per_page=2").get_json()
    assert first["pages"] >= 2
    last = client.get(f"/api/v1/search?per_page=2&page={first['pages']}")
    assert last.status_code == 200 and last.get_json()["links"]["next"] is None
    past = client.get(f"/api/v1/search?per_page=2&page={first['pages'] + 1}")
    assert past.status_code == 404
    assert past.get_json()["error"] == f"page {first['pages'] + 1} does not exist: the results have {first['pages']} pages"
    # No results at all: page 1 is the empty answer, page 2 does not exist.
    assert client.get("/api/v1/search?q=zzzqqq").get_json()["total"] == 0
    assert client.get("/api/v1/search?q=zzzqqq&page=2").status_code == 404


def test_missing_index_names_no_absolute_server_path(tmp_path):
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "chua-co" / "index")})
    client = app.test_client()
    response = client.get("/api/v1/search?q=x")
    body = response.get_json()
    assert response.status_code == 503 and body["code"] == "index_unavailable"
    assert "python -m indexer build" in body["error"] and "index" in body["error"]
    assert body["message"] == ("Chưa có chỉ mục tìm kiếm. Quản trị viên cần dựng chỉ mục: "
                               "python -m indexer build <thư mục văn bản> --index index")
    html = client.get("/").get_data(as_text=True)
    for text in (response.get_data(as_text=True), html):
        assert str(tmp_path) not in text
    assert "Chưa có chỉ mục tìm kiếm" in html and "no index" not in html
    app.extensions["index_handle"].close()


def test_api_error_derives_code_and_vietnamese_message_from_the_status():
    # The mechanism the write endpoints use: a status alone gives both.
    too_large = ApiError("upload larger than 11 MB", status=413)
    assert too_large.code == "payload_too_large" and "quá giới hạn" in too_large.message_vi
    full = ApiError("disk full", status=507)
    assert full.code == "insufficient_storage" and "dung lượng" in full.message_vi
    assert ApiError("x", status=429).code == "too_many_requests"
    named = ApiError("x", status=404, code="page_out_of_range", message_vi="Không có trang 3.")
    assert (named.code, named.message_vi) == ("page_out_of_range", "Không có trang 3.")
