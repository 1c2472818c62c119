"""Atom feeds of searches and of all new directives; the OpenSearch description every page links."""

import datetime
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

A = "{http://www.w3.org/2005/Atom}"
OS = "{http://a9.com/-/spec/opensearch/1.1/}"
PLAN_MINH_LONG = "655-kh-pgddt-2021"


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == f"{A}feed"
    return root


def _assert_valid_atom(root):
    """RFC 4287's required elements: feed id, title, updated, an author; entry id, title,
    updated, an alternate link; timestamps in RFC 3339 with a zone; absolute links."""
    for tag in ("id", "title", "updated"):
        assert root.find(f"{A}{tag}").text, tag
    assert datetime.datetime.fromisoformat(root.find(f"{A}updated").text).tzinfo is not None
    assert root.find(f"{A}author/{A}name").text == "Tra cứu văn bản"
    self_link = root.find(f"{A}link[@rel='self']").get("href")
    assert self_link.startswith("http://localhost/feed.atom")
    for entry in root.findall(f"{A}entry"):
        assert entry.find(f"{A}id").text.startswith("http://localhost/documents/")
        assert entry.find(f"{A}title").text
        assert datetime.datetime.fromisoformat(entry.find(f"{A}updated").text).tzinfo is not None
        assert entry.find(f"{A}link[@rel='alternate']").get("href") == entry.find(f"{A}id").text


def _published(root) -> list[datetime.datetime]:
    return [datetime.datetime.fromisoformat(e.find(f"{A}published").text) for e in root.findall(f"{A}entry")]


def test_feed_of_all_new_directives_lists_them_newest_first(client):
    root = _feed(client, "/feed.atom")
    _assert_valid_atom(root)
    assert root.find(f"{A}title").text == "Văn bản mới – Tra cứu văn bản"
    entries = root.findall(f"{A}entry")
    assert len(entries) == 5
    dates = _published(root)
    assert dates == sorted(dates, reverse=True)
    minh_long = next(e for e in entries if e.find(f"{A}id").text.endswith(PLAN_MINH_LONG))
    assert minh_long.find(f"{A}title").text.startswith("Kế hoạch số 655/KH-PGDĐT: Tổ chức thực hiện Chỉ thị")
    assert minh_long.find(f"{A}published").text == "2021-12-02T00:00:00+07:00"
    assert minh_long.find(f"{A}author/{A}name").text == "Phòng Giáo dục và Đào tạo huyện Minh Long"


@pytest.mark.parametrize("q", ["phòng chống dịch", "phong chong dich", unicodedata.normalize("NFD", "phòng chống dịch")])
def test_feed_of_a_search_keeps_its_filters_and_marks_the_words(client, q):
    root = _feed(client, f"/feed.atom?q={q}&doc_type=ke_hoach&sort=relevance")  # a feed is newest first anyway
    _assert_valid_atom(root)
    typed = unicodedata.normalize("NFC", q)  # as the project's normaliser writes it
    assert root.find(f"{A}title").text == f"Văn bản mới: «{typed}», Kế hoạch – Tra cứu văn bản"
    entries = root.findall(f"{A}entry")
    assert len(entries) >= 2
    assert all(e.find(f"{A}category").get("term") == "ke_hoach" for e in entries)
    dates = _published(root)
    assert dates == sorted(dates, reverse=True)
    summary = entries[0].find(f"{A}summary")
    assert summary.get("type") == "html" and "<mark>" in summary.text
    page = root.find(f"{A}link[@rel='alternate']").get("href")
    assert page.startswith("http://localhost/?q=") and "doc_type=ke_hoach" in page and "sort=date_desc" in page


def test_feed_of_a_query_with_control_characters_is_still_xml(client):
    root = _feed(client, "/feed.atom?q=d%C3%A2n%00+v%E1%BA%ADn%1B%0B")
    assert root.find(f"{A}title").text == "Văn bản mới: «dân vận» – Tra cứu văn bản"


def test_feed_with_a_bad_filter_is_a_vietnamese_400(client):
    response = client.get("/feed.atom?doc_type=ke-hoach")
    assert response.status_code == 400
    assert "Loại văn bản «ke-hoach» không có" in response.get_data(as_text=True)


def test_results_page_links_its_own_feed(client):
    html = client.get("/?q=dân+vận&doc_type=ke_hoach&sort=date_asc").get_data(as_text=True)
    feed = "/feed.atom?q=d%C3%A2n+v%E1%BA%ADn&amp;doc_type=ke_hoach"
    assert f'<link rel="alternate" type="application/atom+xml" title="Văn bản mới theo tìm kiếm này"\n      href="{feed}">' in html
    assert f'<a href="{feed}" type="application/atom+xml">Theo dõi văn bản mới (Atom)</a>' in html


def test_opensearch_description_lets_the_browser_search_directives(client):
    response = client.get("/opensearch.xml")
    assert response.headers["Content-Type"] == "application/opensearchdescription+xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == f"{OS}OpenSearchDescription"
    short_name = root.find(f"{OS}ShortName").text
    assert short_name == "Tra cứu văn bản" and len(short_name) <= 16
    assert root.find(f"{OS}InputEncoding").text == "UTF-8"
    templates = {u.get("type"): u.get("template") for u in root.findall(f"{OS}Url")}
    assert templates["text/html"] == "http://localhost/?q={searchTerms}"
    assert templates["application/atom+xml"] == "http://localhost/feed.atom?q={searchTerms}"
    # What the browser does with the template: a search page for what was typed.
    typed = templates["text/html"].replace("{searchTerms}", "ch%E1%BB%89+th%E1%BB%8B+19").removeprefix("http://localhost")
    assert "<mark>" in client.get(typed).get_data(as_text=True)
    image = root.find(f"{OS}Image").text.removeprefix("http://localhost")
    icon = client.get(image)
    assert icon.status_code == 200 and icon.headers["Content-Type"].startswith("image/svg+xml")
    icon.close()


@pytest.mark.parametrize("url", ["/", "/?q=dân+vận", f"/documents/{PLAN_MINH_LONG}", "/khong-co-trang", "/?page=abc"])
def test_every_page_links_the_opensearch_description_and_the_favicon(client, url):
    html = client.get(url).get_data(as_text=True)
    assert ('<link rel="search" type="application/opensearchdescription+xml" title="Tra cứu văn bản"\n'
            '        href="/opensearch.xml">') in html
    assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in html


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60), issuer=st.text(max_size=20))
def test_feed_of_any_query_is_well_formed_atom_or_a_400(client, q, issuer):
    response = client.get("/feed.atom", query_string={"q": q, "issuer": issuer})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        _assert_valid_atom(ET.fromstring(response.data))
