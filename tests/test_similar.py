"""Văn bản liên quan: directives that share characteristic words are listed beside each other."""

import json

import pytest

import indexer
from search_app import create_app

RECORDS = [
    {"id": "cds-huyen", "doc_type": "ke_hoach", "doc_type_label": "Kế hoạch", "number": "21/KH-UBND",
     "title": "Kế hoạch chuyển đổi số huyện Minh Long năm 2024",
     "text": "Đẩy mạnh chuyển đổi số, xây dựng chính quyền số, kinh tế số và xã hội số. "
             "Phát triển hạ tầng số, nền tảng số dùng chung, dữ liệu số của huyện."},
    {"id": "cds-truong", "doc_type": "ke_hoach", "doc_type_label": "Kế hoạch", "number": "05/KH-THCS",
     "title": "Kế hoạch chuyển đổi số trong nhà trường",
     "text": "Ứng dụng nền tảng số trong dạy học, số hóa học liệu, xây dựng dữ liệu số "
             "về học sinh; chuyển đổi số công tác quản lý nhà trường."},
    {"id": "dich-huyen", "doc_type": "chi_thi", "doc_type_label": "Chỉ thị", "number": "03/CT-UBND",
     "title": "Chỉ thị về phòng, chống dịch bệnh truyền nhiễm",
     "text": "Tăng cường phòng, chống dịch sốt xuất huyết, tay chân miệng; giám sát ca bệnh, "
             "phun hóa chất diệt muỗi, vệ sinh môi trường phòng bệnh."},
    {"id": "dich-truong", "doc_type": "huong_dan", "doc_type_label": "Hướng dẫn", "number": "09/HD-PGDĐT",
     "title": "Hướng dẫn phòng, chống dịch bệnh trong trường học",
     "text": "Nhà trường giám sát học sinh có triệu chứng bệnh, vệ sinh lớp học, "
             "phối hợp trạm y tế phòng, chống dịch sốt xuất huyết và tay chân miệng."},
    {"id": "dan-van", "doc_type": "ke_hoach", "doc_type_label": "Kế hoạch", "number": "14/KH-ĐU",
     "title": "Kế hoạch thực hiện công tác dân vận năm 2024",
     "text": "Nâng cao chất lượng công tác dân vận, phong trào thi đua dân vận khéo, "
             "xây dựng mô hình dân vận khéo ở cơ sở."},
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("similar")
    (root / "corpus").mkdir()
    (root / "corpus" / "records.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    report = indexer.build_index(root / "corpus", root / "index")
    assert not report.failures
    app = create_app({"TESTING": True, "INDEX_DIR": str(root / "index")})
    yield app.test_client()
    app.extensions["index_handle"].close()


@pytest.mark.parametrize("doc_id, alike", [
    ("cds-huyen", "cds-truong"), ("cds-truong", "cds-huyen"),
    ("dich-huyen", "dich-truong"), ("dich-truong", "dich-huyen"),
])
def test_the_most_similar_directive_is_the_one_on_the_same_subject(client, doc_id, alike):
    similar = client.get(f"/api/v1/documents/{doc_id}").get_json()["related"]["similar"]
    assert similar[0]["id"] == alike
    assert doc_id not in [b["id"] for b in similar]
    assert similar[0]["url"] == f"/documents/{alike}"


def test_document_page_lists_related_directives_with_number_and_title(client):
    html = client.get("/documents/cds-huyen").get_data(as_text=True)
    assert '<h2 id="similar-h">Văn bản liên quan</h2>' in html
    assert ('<a href="/documents/cds-truong">Kế hoạch số 05/KH-THCS</a> – '
            'Kế hoạch chuyển đổi số trong nhà trường') in html
