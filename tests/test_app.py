"""The web app: pages, stable links, the JSON API and its errors (Flask test client)."""

import re

import pytest

from search_app.openapi import openapi_document


def test_home_page_is_vietnamese_and_lists_documents(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Tìm kiếm" in html
    assert "5</strong> văn bản" in html
    assert 'name="viewport"' in html


def test_search_page_without_diacritics_highlights_and_links(client, sample_ids):
    html = client.get("/?q=phong+chong+dich").get_data(as_text=True)
    assert "<mark>" in html
    assert f'href="/documents/{sample_ids.cu_chi}?q=phong+chong+dich' in html
    assert 'type="checkbox"' in html and "Loại văn bản" in html


def test_facet_link_is_a_shareable_url(client):
    result = client.get("/api/v1/search?q=phong+chong+dich").get_json()
    year = result["facets"]["year"][0]
    page = client.get(year["toggle_url"].replace("/api/v1/search", "/"))
    assert page.status_code == 200
    narrowed = client.get(year["toggle_url"]).get_json()
    assert narrowed["total"] == year["count"]
    assert all(r["year"] == year["value"] for r in narrowed["results"])


def test_document_page_has_metadata_toc_anchors_and_highlights(client, sample_ids):
    html = client.get(f"/documents/{sample_ids.minh_long}?q=thi+đua").get_data(as_text=True)
    assert "655/KH-PGDĐT" in html
    assert "Phòng Giáo dục và Đào tạo huyện Minh Long" in html
    # A headed item is in the contents; a numbered paragraph keeps its anchor for links from results.
    assert 'id="muc-IV-1"' in html and 'href="#muc-IV-1"' in html and 'id="muc-II-1"' in html
    assert "<mark>thi</mark> <mark>đua</mark>" in html
    assert "Nguyễn Thị Thu Hiền" in html


def test_document_page_links_cited_documents(client, sample_ids):
    html = client.get(f"/documents/{sample_ids.minh_long}").get_data(as_text=True)
    # Not in the corpus: a search for its number.
    assert 'href="/?q=19%2FCT-TTg"' in html


def test_unknown_document_is_404(client):
    response = client.get("/documents/khong-co")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.get_data(as_text=True)


def test_number_link_redirects_to_document_or_search(client, sample_ids):
    found = client.get("/numbers/655/KH-PGDĐT")
    assert found.status_code == 302
    assert found.headers["Location"].endswith(f"/documents/{sample_ids.minh_long}")
    cited = client.get("/numbers/19/CT-TTg")
    assert cited.status_code == 302
    assert "/?q=19" in cited.headers["Location"]


def test_api_search_contract(client):
    body = client.get("/api/v1/search?q=vắc+xin&per_page=3").get_json()
    assert body["ok"] is True and body["query"] == "vắc xin"
    assert body["page"] == 1 and body["per_page"] == 3
    first = body["results"][0]
    for key in ("id", "number", "doc_type", "doc_type_label", "title", "issuer", "issued_date", "year",
                "url", "score", "sections"):
        assert key in first
    for key in ("id", "kind", "heading", "snippet", "url"):
        assert key in first["sections"][0]
    for name in ("doc_type", "issuer", "year", "section"):
        for entry in body["facets"][name]:
            assert set(entry) >= {"value", "label", "count", "selected", "toggle_url"}


def test_api_repeated_parameters_are_multi_valued_filters(client):
    both = client.get("/api/v1/search?doc_type=ke_hoach&doc_type=chi_thi").get_json()
    assert both["total"] == 4
    assert both["filters"]["doc_type"] == ["ke_hoach", "chi_thi"]


def test_api_document(client, sample_ids):
    body = client.get(f"/api/v1/documents/{sample_ids.minh_long}").get_json()
    assert body["number"] == "655/KH-PGDĐT"
    assert body["url"] == f"/documents/{sample_ids.minh_long}"
    assert body["sections"]


@pytest.mark.parametrize("query, message", [
    ("page=0", "page"),
    ("per_page=10000", "per_page"),
    ("sort=random", "sort"),
    ("year=abc", "year"),
])
def test_api_bad_parameters_are_400_json(client, query, message):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["ok"] is False and body["status"] == 400 and message in body["error"]


def test_html_bad_parameter_is_a_400_page(client):
    response = client.get("/?page=0")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


def test_api_unknown_id_and_route_are_404_json(client):
    for url in ("/api/v1/documents/khong-co", "/api/v1/khong-co"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.get_json()["ok"] is False


def test_api_wrong_method_is_405_json(client):
    response = client.post("/api/v1/search")
    assert response.status_code == 405
    assert response.get_json()["status"] == 405


def test_missing_index_is_503_naming_the_fix(tmp_path, app_for):
    app = app_for(tmp_path / "none")
    client = app.test_client()
    response = client.get("/api/v1/search?q=x")
    assert response.status_code == 503
    assert "python -m indexer build" in response.get_json()["error"]
    assert client.get("/").status_code == 503


def test_cors_only_for_configured_origins(client):
    allowed = client.get("/api/v1/search?q=x", headers={"Origin": "https://intranet.example.vn"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://intranet.example.vn"
    other = client.get("/api/v1/search?q=x", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_etag_and_cache_control(client):
    first = client.get("/api/v1/search?q=dân+vận")
    assert first.headers["Cache-Control"].startswith("public")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/search?q=dân+vận", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_openapi_describes_the_responses(client, sample_ids):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec == openapi_document()
    assert spec["openapi"].startswith("3.")
    search = spec["components"]["schemas"]["SearchResponse"]
    body = client.get("/api/v1/search?q=dân+vận").get_json()
    assert set(body) == set(search["properties"])
    result = spec["components"]["schemas"]["Result"]
    assert set(body["results"][0]) == set(result["properties"])
    directive = spec["components"]["schemas"]["Directive"]
    document = client.get(f"/api/v1/documents/{sample_ids.minh_long}").get_json()
    assert set(document) == set(directive["properties"])


def test_hostile_query_is_escaped(client):
    html = client.get('/?q=<script>alert(1)</script>"><img src=x onerror=alert(1)>').get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert re.search(r"&lt;script&gt;alert\(1\)&lt;/script&gt;", html)


def test_document_page_lists_citing_and_same_directive_documents(sample_dir, tmp_path, app_for, sample_ids):
    import shutil

    import indexer

    corpus = tmp_path / "corpus"
    shutil.copytree(sample_dir, corpus)
    (corpus / "bao-cao.txt").write_text(
        "Số: 12/BC-THCS\n\nMinh Long, ngày 15 tháng 01 năm 2022\n\nBÁO CÁO\n\n"
        "Kết quả thực hiện Kế hoạch số 655/KH-PGDĐT của Phòng Giáo dục và Đào tạo\n\n"
        "Thực hiện Kế hoạch số 655/KH-PGDĐT ngày 02/12/2021 của Phòng Giáo dục và Đào tạo, "
        "Trường THCS báo cáo kết quả như sau:\n\n1. Kết quả\n\nĐã phổ biến Chỉ thị đến toàn thể giáo viên.\n",
        encoding="utf-8")
    (corpus / "ke-hoach-truong.txt").write_text(
        "Số: 07/KH-THCS\n\nMinh Long, ngày 10 tháng 12 năm 2021\n\nKẾ HOẠCH\n\n"
        "Thực hiện Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ về phát động thi đua\n\n"
        "Căn cứ Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ, nhà trường xây dựng kế hoạch:\n\n"
        "1. Nội dung\n\nPhát động phong trào thi đua trong giáo viên.\n", encoding="utf-8")
    indexer.build_index(corpus, tmp_path / "index")
    app = app_for(tmp_path / "index")
    client = app.test_client()
    related = client.get(f"/api/v1/documents/{sample_ids.minh_long}").get_json()["related"]
    assert [b["number"] for b in related["citing"]] == ["12/BC-THCS"]
    assert [b["number"] for b in related["implementing_same"]] == ["07/KH-THCS"]
    html = client.get(f"/documents/{sample_ids.minh_long}").get_data(as_text=True)
    assert "Văn bản dẫn chiếu văn bản này" in html and "12/BC-THCS" in html
    assert "Văn bản cùng triển khai một văn bản" in html and "07/KH-THCS" in html
    # The report's citation links to the plan's page, now that it is in the corpus.
    report_id = related["citing"][0]["id"]
    report = client.get(f"/documents/{report_id}").get_data(as_text=True)
    assert f'href="/documents/{sample_ids.minh_long}"' in report


def test_an_index_of_an_empty_folder_serves_no_results(tmp_path, app_for):
    # A department's first day: the folder is empty, the build succeeds and
    # every page answers, with nothing found rather than an error.
    import indexer

    (tmp_path / "corpus").mkdir()
    report = indexer.build_index(tmp_path / "corpus", tmp_path / "index")
    assert report.total == 0 and not report.failures
    app = app_for(tmp_path / "index")
    client = app.test_client()
    for q in ("phòng chống dịch", "phong chong dich", '"dân vận khéo"', "UBND", "19/CT-TTg", ""):
        result = client.get("/api/v1/search", query_string={"q": q, "section": "can_cu"}).get_json()
        assert result["ok"] and result["total"] == 0 and result["results"] == []
        page = client.get("/", query_string={"q": q}, follow_redirects=True)
        assert page.status_code == 200


def test_results_page_has_one_h1_naming_the_query(client):
    html = client.get("/?q=dân+vận").get_data(as_text=True)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == ["Kết quả tìm kiếm «dân vận»"]
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", client.get("/").get_data(as_text=True)) == ["Danh sách văn bản"]


def test_results_name_the_signer_and_the_place(client, sample_ids):
    body = client.get("/api/v1/search?q=Minh+Long").get_json()
    result = next(r for r in body["results"] if r["id"] == sample_ids.minh_long)
    assert result["signer"] == {"name": "Nguyễn Thị Thu Hiền", "title": None}
    assert result["place"] == "Minh Long"
    html = client.get("/?q=minh+long").get_data(as_text=True)
    assert "<span>Minh Long, ngày 02/12/2021</span>" in html
    assert "<span>Người ký: Nguyễn Thị Thu Hiền</span>" in html


def test_responses_are_gzip_compressed_when_the_client_accepts_it(client):
    import gzip

    plain = client.get("/?q=phòng+chống+dịch")
    assert "Content-Encoding" not in plain.headers
    packed = client.get("/?q=phòng+chống+dịch", headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) * 3 < len(plain.data)
    # The compressed variant has its own validator, and it still answers 304.
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = client.get("/?q=phòng+chống+dịch", headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304
    # JSON and CSV exports too; an XLSX is a zip already.
    api = client.get("/api/v1/search?q=dân+vận&format=csv", headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(api.data).startswith(b"\xef\xbb\xbf")
    xlsx = client.get("/api/v1/search?q=dân+vận&format=xlsx", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in xlsx.headers
