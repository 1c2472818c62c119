"""Filters a staff member can see and undo: chips, clear-all, dates by day, long facet
lists, clean URLs, the way back from a directive, and the per-year timeline (Flask test client).

The samples: 655/KH-PGDĐT dated 02/12/2021 (Minh Long), the Củ Chi plan and the
Đảng ủy guidance known only as of 2022, the district's Chỉ thị as of 2021, the
Dầu Tiếng plan as of 2024.
"""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest


def ids(result):
    return {r["id"] for r in result["results"]}


def query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


# Dates by day.

@pytest.mark.parametrize("low, high", [("2021-12-01", "2021-12-31"), ("01/12/2021", "31/12/2021"),
                                       ("1/12/2021", "31/12/2021"), (" 01/12/2021 ", "2021-12-31")])
def test_date_range_in_iso_and_vietnamese_order_finds_the_same_directives(client, low, high, sample_ids):
    result = client.get("/api/v1/search", query_string={"date_from": low, "date_to": high}).get_json()
    # 655 was issued on 02/12/2021; the Chỉ thị is known only as of 2021, which overlaps the range.
    assert ids(result) == {sample_ids.minh_long, sample_ids.hai_phong}
    assert result["filters"]["date_from"] == "2021-12-01" and result["filters"]["date_to"] == "2021-12-31"


def test_a_day_range_that_misses_the_known_day_leaves_the_directive_out(client, sample_ids):
    result = client.get("/api/v1/search", query_string={"date_from": "03/12/2021"}).get_json()
    assert sample_ids.minh_long not in ids(result)
    assert sample_ids.cu_chi in ids(result)  # 2022


def test_date_filter_narrows_facets_and_text_search_alike(client):
    everything = client.get("/api/v1/search", query_string={"q": "phòng chống dịch"}).get_json()
    narrowed = client.get("/api/v1/search", query_string={"q": "phong chong dich", "date_to": "31/12/2021"}).get_json()
    assert 0 < narrowed["total"] < everything["total"]
    assert {e["value"] for e in narrowed["facets"]["year"]} <= {2021}


@pytest.mark.parametrize("value", ["31/02/2022", "2022-13-01", "hôm qua", "12/2021"])
def test_an_impossible_day_is_a_400_in_both_languages(client, value):
    response = client.get("/api/v1/search", query_string={"date_from": value})
    body = response.get_json()
    assert response.status_code == 400 and body["code"] == "invalid_parameter"
    assert "date_from" in body["error"] and "Từ ngày" in body["message"] and "dd/mm/yyyy" in body["message"]


def test_openapi_describes_the_date_parameters(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    names = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"date_from", "date_to", "more"} <= names


# Chips and clear-all.

def test_each_active_filter_is_a_chip_that_removes_only_itself(client):
    result = client.get("/api/v1/search", query_string=[
        ("q", "phòng chống dịch"), ("doc_type", "ke_hoach"), ("year", "2022"),
        ("date_from", "2020-01-01"), ("sort", "date_desc")]).get_json()
    chips = {c["label"]: c for c in result["active_filters"]}
    assert set(chips) == {"Loại văn bản: Kế hoạch", "Năm: 2022", "Ngày: từ 01/01/2020"}
    without_type = query(chips["Loại văn bản: Kế hoạch"]["remove_url"])
    assert ("doc_type", "ke_hoach") not in without_type
    assert {("q", "phòng chống dịch"), ("year", "2022"), ("date_from", "2020-01-01"),
            ("sort", "date_desc")} <= set(without_type)
    assert query(result["clear_filters_url"]) == [("q", "phòng chống dịch"), ("sort", "date_desc")]


def test_results_page_shows_chips_and_clear_all(client):
    html = client.get("/?q=phong+chong+dich&doc_type=ke_hoach&year_from=2021&year_to=2022").get_data(as_text=True)
    chips = re.findall(r'<a class="chip" href="([^"]*)"[^>]*>([^<]*)', html)
    assert [label.strip() for _, label in chips] == ["Loại văn bản: Kế hoạch", "Năm: 2021 – 2022"]
    assert dict(query(unescape(chips[1][0]))) == {"q": "phong chong dich", "doc_type": "ke_hoach"}
    clear = re.search(r'<a class="clear-filters" href="([^"]*)">Xóa tất cả bộ lọc</a>', html)
    assert clear and query(unescape(clear.group(1))) == [("q", "phong chong dich")]
    assert 'Bộ lọc (2)' in html


def test_no_chips_without_filters(client):
    html = client.get("/?q=phong+chong+dich").get_data(as_text=True)
    assert 'class="chip"' not in html and "Xóa tất cả bộ lọc" not in html
    assert "Bộ lọc (0)" in html


def test_a_new_query_says_which_filters_it_kept(client):
    # What the header's search box sends from a filtered page.
    html = client.get("/?q=dan+van&doc_type=ke_hoach&prev_q=phong+chong+dich").get_data(as_text=True)
    assert "Tìm «dan van» với bộ lọc đã giữ từ lần tìm trước:" in html
    assert "Loại văn bản: Kế hoạch" in html
    same = client.get("/?q=dan+van&doc_type=ke_hoach&prev_q=dan+van").get_data(as_text=True)
    assert "bộ lọc đã giữ" not in same


def test_the_search_box_of_a_filtered_page_carries_every_filter_and_the_query_it_replaces(client):
    html = client.get("/?q=phong+chong+dich&doc_type=ke_hoach&date_from=01/01/2021&sort=date_asc").get_data(as_text=True)
    header = html.split('<form class="searchbox"', 1)[1].split("</form>", 1)[0]
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', header)
    assert hidden == [("doc_type", "ke_hoach"), ("date_from", "2021-01-01"), ("sort", "date_asc"),
                      ("prev_q", "phong chong dich")]


# Clean URLs.

def test_empty_form_fields_never_stay_in_the_url(client):
    response = client.get("/?q=d%C3%A2n+v%E1%BA%ADn&doc_type=ke_hoach&year_from=&year_to=&date_from=&date_to=+")
    assert response.status_code == 302
    assert query(response.headers["Location"]) == [("q", "dân vận"), ("doc_type", "ke_hoach")]


def test_the_filter_form_has_no_empty_value_that_would_be_sent_checked(client):
    html = client.get("/?q=phong+chong+dich").get_data(as_text=True)
    form = html.split('class="facet-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="year_from" type="number" min="1" max="9999" value=""' in form  # sent empty: redirect above
    assert 'name="date_from" type="date" value=""' in form


# Long facet lists.

def test_a_facet_can_be_listed_in_full_and_an_unknown_one_is_refused(client, monkeypatch):
    from searcher import search

    monkeypatch.setattr(search, "FACET_LIMIT", 2)
    short = client.get("/api/v1/search").get_json()
    assert len(short["facets"]["issuer"]) == 2 and short["facet_sizes"]["issuer"] == 5
    full = client.get("/api/v1/search?more=issuer").get_json()
    assert len(full["facets"]["issuer"]) == 5 and len(full["facets"]["signer"]) <= 2
    bad = client.get("/api/v1/search?more=nguoi_ky")
    assert bad.status_code == 400 and bad.get_json()["code"] == "invalid_parameter"


def test_long_facet_lists_show_ten_then_see_more(client, monkeypatch):
    from search_app import views

    monkeypatch.setattr(views, "FACET_SHOWN", 2)
    html = client.get("/?q=phong+chong+dich").get_data(as_text=True)
    issuers = html.split('id="facet-issuer"', 1)[1].split("</fieldset>", 1)[0]
    assert issuers.count('class="facet-extra" hidden') == issuers.count("<li") - 2 > 0
    more = re.search(r'<a class="facet-more" href="([^"]*)"[^>]*>Xem thêm \((\d+)\)</a>', issuers)
    assert more and ("more", "issuer") in query(unescape(more.group(1)))
    assert 'data-facet-filter="facet-issuer"' in issuers  # the filter box (shown by app.js)
    full = client.get(unescape(more.group(1)).split("#")[0]).get_data(as_text=True)
    listed = full.split('id="facet-issuer"', 1)[1].split("</fieldset>", 1)[0]
    assert "facet-extra" not in listed and "Thu gọn" in listed


def test_issuer_facet_names_the_district(client):
    issuers = [e["label"] for e in client.get("/api/v1/search").get_json()["facets"]["issuer"]]
    assert "Phòng Giáo dục và Đào tạo huyện Củ Chi" in issuers
    assert "Phòng Giáo dục và Đào tạo huyện" not in issuers
    # The Chỉ thị never names its district: said so, not shown as if it were one body.
    assert "Ủy ban nhân dân huyện (chưa rõ tên)" in issuers


# Back to the results.

def test_a_result_links_its_directive_with_the_search_and_back_again(client):
    url = "/?q=phong+chong+dich&doc_type=ke_hoach&sort=date_asc&per_page=1&page=2"
    result = client.get("/api/v1/search?" + url[2:]).get_json()
    link = result["results"][0]["url"]
    assert ("doc_type", "ke_hoach") in query(link) and ("page", "2") in query(link)
    assert all(("page", "2") in query(s["url"]) for s in result["results"][0]["sections"])
    page = client.get(link).get_data(as_text=True)
    back = re.search(r'<p class="back"><a href="([^"]*)">‹ Quay lại kết quả</a>', page)
    assert back and query(unescape(back.group(1))) == query(url)
    assert urlsplit(unescape(back.group(1))).path == "/"


def test_a_hand_edited_directive_link_still_goes_back_to_its_query(client, sample_ids):
    page = client.get(f"/documents/{sample_ids.minh_long}?q=thi+%C4%91ua&page=abc").get_data(as_text=True)
    back = re.search(r'<p class="back"><a href="([^"]*)">', page)
    assert query(unescape(back.group(1))) == [("q", "thi đua")]


# The timeline.

def test_timeline_counts_every_year_between_the_first_and_the_last(client):
    result = client.get("/api/v1/search").get_json()
    assert [(t["year"], t["count"]) for t in result["timeline"]] == [(2021, 2), (2022, 2), (2023, 0), (2024, 1)]
    assert sum(t["count"] for t in result["timeline"]) == result["total"]


def test_a_timeline_bar_narrows_to_its_year_alone(client):
    result = client.get("/api/v1/search?q=phong+chong+dich&year=2021&year_from=2020&date_to=2030-01-01").get_json()
    bar = next(t for t in result["timeline"] if t["year"] == 2022)
    # The year filters do not shrink the chart; its bars replace them.
    assert bar["count"] >= 1 and not bar["selected"]
    assert query(bar["url"]) == [("q", "phong chong dich"), ("year", "2022")]
    narrowed = client.get(bar["url"]).get_json()
    assert narrowed["total"] == bar["count"] and {r["year"] for r in narrowed["results"]} == {2022}


def test_timeline_is_server_rendered_svg_with_accessible_links(client):
    html = client.get("/?q=phong+chong+dich").get_data(as_text=True)
    figure = html.split('<figure class="timeline">', 1)[1].split("</figure>", 1)[0]
    assert 'role="group" aria-labelledby="timeline-caption"' in figure
    bars = re.findall(r'<a href="([^"]*)" class="bar[^"]*"\s+aria-label="([^"]*)"', figure)
    timeline = client.get("/api/v1/search?q=phong+chong+dich").get_json()["timeline"]
    assert [label for _, label in bars] == [f"Năm {t['year']}: {t['count']} văn bản" for t in timeline if t["count"]]
    assert len(bars) >= 2
    assert query(unescape(bars[0][0])) == [("q", "phong chong dich"), ("year", "2021")]
    assert "style=" not in figure and "<script" not in figure  # the CSP allows neither inline


def test_the_chart_keeps_other_years_while_one_is_chosen_and_is_left_out_for_a_single_year(client):
    from search_app.timeline import chart

    html = client.get("/?year=2024").get_data(as_text=True)
    figure = html.split('<figure class="timeline">', 1)[1].split("</figure>", 1)[0]
    assert 'class="bar selected"' in figure and "Năm 2021" in figure
    assert chart([{"year": 2024, "count": 3, "selected": False, "url": "/?year=2024"}]) is None


# Small things on the results page.

def test_an_unnumbered_result_is_named_by_its_title(client):
    html = client.get("/?q=dan+van+nam+2024").get_data(as_text=True)
    links = re.findall(r'<li class="hit">\s*.*?<h2><a href="([^"]*)">(.*?)</a></h2>', html, re.S)
    texts = {urlsplit(unescape(href)).path: re.sub(r"<[^>]+>", "", text) for href, text in links}
    assert texts["/documents/ke-hoach-1760b0085c"] == "Kế hoạch: Thực hiện công tác Dân vận năm 2024"
    numbered = client.get("/?q=655%2FKH-PGD%C4%90T").get_data(as_text=True)
    assert ">Kế hoạch số 655/KH-PGDĐT</a></h2>" in numbered


def test_a_section_hit_does_not_repeat_its_kind(client):
    html = client.get("/?q=can+cu&section=can_cu").get_data(as_text=True)
    links = re.findall(r'<a class="section-link" href="[^"]*">(.*?)</a>', html, re.S)
    # The section's name once: as its kind when the document gives it no heading of its own
    # (no invented "Căn cứ ban hành" after a "CĂN CỨ" label), never both.
    texts = [re.sub(r"<[^>]+>", " ", link) for link in links]
    assert texts and all(text.lower().count("căn cứ") == 1 for text in texts), texts
    other = client.get("/?q=phong+chong+dich&section=nhiem_vu_giai_phap").get_data(as_text=True)
    assert '<span class="kind">Nhiệm vụ, giải pháp</span>' in other


def test_only_the_count_is_announced_not_the_whole_list(client):
    html = client.get("/?q=phong+chong+dich").get_data(as_text=True)
    assert "aria-live" not in html
    assert re.search(r'<p role="status"><strong>\d+</strong> văn bản', html)
    assert '<p class="empty" role="status">' in client.get("/?q=zzqxv").get_data(as_text=True)


def test_a_new_facet_is_one_class(client, monkeypatch):
    # Datasette's promise: a facet added to FACETS is in the sidebar and the
    # JSON, counted, labelled, filtering and toggled, with nothing else edited.
    from searcher.facets import FACETS, Facet

    class SignedBy(Facet):
        name, column, title = "ky_boi", "signer", "Ký bởi"

        def label(self, value) -> str:
            return f"Ký: {value}"

    monkeypatch.setitem(FACETS, "ky_boi", SignedBy())
    body = client.get("/api/v1/search", query_string={"q": "dân vận"}).get_json()
    entries = body["facets"]["ky_boi"]
    assert entries and all(e["label"] == f"Ký: {e['value']}" for e in entries)
    assert body["facet_sizes"]["ky_boi"] == len(entries)
    chosen = entries[0]
    narrowed = client.get(chosen["toggle_url"]).get_json()
    assert ("ky_boi", chosen["value"]) in query(chosen["toggle_url"])
    assert narrowed["total"] == chosen["count"] >= 1
    assert {r["signer"]["name"] for r in narrowed["results"]} == {chosen["value"]}
    assert narrowed["active_filters"][0]["label"] == f"Ký bởi: Ký: {chosen['value']}"
    assert query(narrowed["active_filters"][0]["remove_url"]) == [("q", "dân vận")]
    page = client.get("/", query_string={"q": "dân vận", "ky_boi": chosen["value"]}).get_data(as_text=True)
    assert "<legend>Ký bởi</legend>" in page and f"Ký: {chosen['value']}" in page
