"""Changing the index over HTTP: read-only by default, admin token required, bad uploads change nothing."""


import pytest

import indexer
import search_app.admin
from search_app import create_app

TOKEN = "s3cr3t-token-ồ"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEW_PLAN = """ỦY BAN NHÂN DÂN HUYỆN BA TƠ
Số: 88/KH-UBND
Ba Tơ, ngày 10 tháng 4 năm 2025
KẾ HOẠCH
Tổ chức ngày hội đọc sách và văn hoá đọc trong trường học năm 2025
I. MỤC ĐÍCH, YÊU CẦU
Khơi dậy phong trào đọc sách trong học sinh, xây dựng thư viện thân thiện ở các trường.
II. TỔ CHỨC THỰC HIỆN
Các trường báo cáo kết quả về Phòng Giáo dục và Đào tạo trước ngày 30/5/2025.
"""


@pytest.fixture()
def index(writable_index):
    return writable_index


@pytest.fixture()
def admin(index, app_for):
    return app_for(index, ADMIN_TOKEN=TOKEN).test_client()


def total(client, q):
    return client.get("/api/v1/search", query_string={"q": q}).get_json()["total"]


def upload(client, text, filename="ke-hoach-88.txt", headers=AUTH, **kw):
    return client.post("/api/v1/documents", query_string={"filename": filename}, headers=headers,
                       data=text.encode("utf-8") if isinstance(text, str) else text,
                       content_type="text/plain; charset=utf-8", **kw)


def test_read_only_without_a_configured_token(index, app_for):
    client = app_for(index).test_client()
    before = indexer.current_generation(index)
    for response in (upload(client, NEW_PLAN, headers={}), client.delete("/api/v1/documents/655-kh-pgddt-2021")):
        assert response.status_code == 401
        assert "read-only" in response.get_json()["error"]
    for response in (upload(client, NEW_PLAN, headers=AUTH),
                     client.delete("/api/v1/documents/655-kh-pgddt-2021", headers=AUTH)):
        assert response.status_code == 403
        assert "read-only" in response.get_json()["error"]
    assert indexer.current_generation(index) == before
    assert total(client, '"Minh Long"') == 1


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
    {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": "Bearer "},
])
def test_missing_or_wrong_token_is_401_and_changes_nothing(admin, index, headers):
    before = indexer.current_generation(index)
    assert upload(admin, NEW_PLAN, headers=headers).status_code == 401
    response = admin.delete("/api/v1/documents/655-kh-pgddt-2021", headers=headers)
    assert response.status_code == 401
    assert response.get_json() == {"ok": False, "status": 401,
                                   "error": "missing or wrong admin token (Authorization: Bearer <token>)",
                                   "code": "unauthorized",
                                   "message": "Thiếu mã quản trị hoặc mã không đúng (Authorization: Bearer <mã>)."}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert indexer.current_generation(index) == before


def test_tokens_are_compared_in_constant_time(admin, monkeypatch):
    seen = []

    def spy(a, b):
        seen.append((a, b))
        return a == b
    monkeypatch.setattr(search_app.admin.hmac, "compare_digest", spy)
    upload(admin, NEW_PLAN, headers={"Authorization": "Bearer đoán-thử"})
    assert seen == [("đoán-thử".encode(), TOKEN.encode())]


def test_upload_is_searchable_at_once_and_kept_as_a_file(admin, index):
    assert total(admin, '"ngay hoi doc sach"') == 0
    response = upload(admin, NEW_PLAN)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id"] == "88-kh-ubnd-2025" and body["replaced"] is False
    assert body["source"] == "uploads/ke-hoach-88.txt"
    assert (index.parent / "uploads" / "ke-hoach-88.txt").read_text("utf-8") == NEW_PLAN
    # Without diacritics, and with the old-style tone mark of "văn hoá" written the new way.
    assert total(admin, '"ngay hoi doc sach"') == 1
    assert total(admin, '"văn hóa đọc"') == 1
    page = admin.get(body["url"])
    assert page.status_code == 200 and "ngày hội đọc sách" in page.get_data(as_text=True)
    assert total(admin, '"Minh Long"') == 1  # the rest is still there

    again = upload(admin, NEW_PLAN.replace("30/5/2025", "15/6/2025"))
    assert again.status_code == 201 and again.get_json()["replaced"] is True
    assert again.get_json()["directives"] == body["directives"]
    assert total(admin, '"15/6/2025"') == 1 and total(admin, '"30/5/2025"') == 0


@pytest.mark.parametrize("data, reason", [
    (b"", "tệp rỗng"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "tệp nhị phân (PNG)"),
    (NEW_PLAN.encode("utf-8")[:-3] + b"\xe1\xbb", "tệp UTF-8 bị cắt cụt"),
])
def test_bad_upload_is_400_and_writes_nothing(admin, index, data, reason):
    before = indexer.current_generation(index)
    response = upload(admin, data, filename="hong.txt")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"hong.txt: {reason}")
    assert indexer.current_generation(index) == before
    assert not (index.parent / "uploads" / "hong.txt").exists()


@pytest.mark.parametrize("filename", ["../ke-hoach.txt", "a/b.txt", ".hidden.txt", "ke-hoach.exe", "", "x" * 200 + ".txt"])
def test_upload_needs_a_plain_supported_file_name(admin, filename):
    response = upload(admin, NEW_PLAN, filename=filename)
    assert response.status_code == 400
    assert "plain file name" in response.get_json()["error"]


def test_upload_over_the_size_limit_is_413(admin, monkeypatch):
    admin.application.config["MAX_CONTENT_LENGTH"] = 1000
    response = upload(admin, NEW_PLAN * 10)
    assert response.status_code == 413
    assert response.get_json()["ok"] is False


def test_remove_an_upload_and_a_corpus_directive(admin, index):
    doc_id = upload(admin, NEW_PLAN).get_json()["id"]
    response = admin.delete(f"/api/v1/documents/{doc_id}", headers=AUTH)
    assert response.status_code == 200
    assert response.get_json()["upload_deleted"] is True
    assert not (index.parent / "uploads" / "ke-hoach-88.txt").exists()
    assert total(admin, '"ngay hoi doc sach"') == 0
    assert admin.get(f"/api/v1/documents/{doc_id}").status_code == 404

    corpus_doc = admin.delete("/api/v1/documents/655-kh-pgddt-2021", headers=AUTH).get_json()
    assert corpus_doc["removed"] is True and corpus_doc["upload_deleted"] is False
    assert "next build indexes it again" in corpus_doc["note"]
    assert total(admin, '"Minh Long"') == 0
    assert admin.delete("/api/v1/documents/khong-co", headers=AUTH).status_code == 404


def test_a_numeric_token_from_the_environment_works(index, monkeypatch):
    monkeypatch.setenv("VBSEARCH_INDEX_DIR", str(index))
    monkeypatch.setenv("VBSEARCH_ADMIN_TOKEN", "20251234")
    app = create_app()
    client = app.test_client()
    assert upload(client, NEW_PLAN, headers={"Authorization": "Bearer 20251234"}).status_code == 201
    app.extensions["index_handle"].close()
