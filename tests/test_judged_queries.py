"""A judged set: realistic staff queries over corpus/samples with the directive and
section they should lead to. Regression tests for ranking and section choice, not a
benchmark: each query must put its directive first and show the expected section."""

import json
import re
import unicodedata

import pytest

from searcher.search import SearchRequest, run_search

CU_CHI = "ke-hoach-2662f66ee2"
DANG_UY = "34-hd-du"
MINH_LONG = "655-kh-pgddt-2021"
HAI_PHONG = "chi-thi-dc177e01b7"
DAU_TIENG = "ke-hoach-1760b0085c"

# (query as staff type it, expected directive, expected section id, extra filters)
JUDGED = [
    ("báo cáo hàng tháng vắc xin", CU_CHI, "muc-III", {}),
    ("bao cao ket qua thuc hien hang thang quy", CU_CHI, "muc-III", {}),
    ("vắc xin bao phủ đến từng người dân", CU_CHI, "muc-II-1", {}),
    ("chien luoc vac xin", CU_CHI, "muc-II-1", {}),
    ("kịch bản phòng chống dịch tại cơ quan đơn vị", CU_CHI, "muc-II-1", {}),
    ("chất vấn kỳ họp thứ tư HĐND thành phố", CU_CHI, "can-cu", {}),
    ("Nghị quyết 118/NQ-HĐND", CU_CHI, "can-cu", {}),
    ("tự chủ tài chính đơn vị sự nghiệp công lập", CU_CHI, "muc-II-1", {}),
    ("tiêm chủng vắc xin ngừa COVID-19 miễn phí", DANG_UY, "muc-1", {}),
    ("đội hình tình nguyện tập huấn kỹ năng", DANG_UY, "muc-2", {}),
    ("89-KH/TU", DANG_UY, "can-cu", {}),
    ("chính sách đãi ngộ y tế dự phòng", DANG_UY, "muc-1", {}),
    ("thi đua khen thưởng Chỉ thị 19/CT-TTg", MINH_LONG, "muc-I-1", {}),
    ("cai cach thu tuc hanh chinh thi dua khen thuong", MINH_LONG, "muc-III-3", {}),
    ("Quảng Ngãi chung tay vì người nghèo", MINH_LONG, "muc-II-4", {}),
    ("đề cao trách nhiệm người đứng đầu trong khen thưởng", MINH_LONG, "muc-III-2", {}),
    ("Kết luận 51-KL/TW đổi mới căn bản toàn diện giáo dục", MINH_LONG, "muc-I-2", {}),
    ("tong hop de xuat khen thuong", MINH_LONG, "muc-IV-1", {}),
    ("dạy học trực tuyến khi dịch diễn biến phức tạp", HAI_PHONG, "muc-I-1", {}),
    ("không tăng học phí lạm thu đầu năm học", HAI_PHONG, "muc-I-1", {}),
    ("sach giao khoa lop 2 lop 6", HAI_PHONG, "muc-I-2-b", {}),
    ("kiểm định chất lượng giáo dục tự đánh giá", HAI_PHONG, "muc-II-8", {}),
    ("chuyển đổi số trong giáo dục", HAI_PHONG, "muc-II-7", {}),
    ("Công an huyện an toàn giao thông trường học", HAI_PHONG, "muc-III-2", {}),
    ("học phí mầm non Hải Phòng Nghị quyết 54/2014/NQ-HĐND", HAI_PHONG, "muc-II-6", {}),
    ("Diễn đàn ngành giáo dục lắng nghe ý kiến nhân dân", DAU_TIENG, "muc-II-9", {}),
    ("phong chong duoi nuoc bao luc hoc duong", DAU_TIENG, "muc-II-7", {}),
    ("suy dinh dưỡng trẻ em", DAU_TIENG, "muc-II-8", {}),
    ("văn hóa công sở đạo đức công vụ", DAU_TIENG, "muc-II-4", {}),
    ("dân vận khéo", DAU_TIENG, "muc-I", {"year": "2024"}),
    ("Công văn 769/UBND-NC", DAU_TIENG, "can-cu", {}),
    ("trách nhiệm người đứng đầu", DAU_TIENG, "muc-III", {"section": "to_chuc_thuc_hien"}),
    ("phối hợp thực hiện", HAI_PHONG, "muc-III-4", {"doc_type": "chi_thi"}),
    ("Chi thi 33/CT-TTg dan van chinh quyen", DANG_UY, "muc-3", {}),
    # A question-length query: the section that says it in one sentence
    # ("Báo cáo kết quả thực hiện hàng tháng") beats scattered words.
    ("kế hoạch nào yêu cầu báo cáo kết quả hàng tháng", CU_CHI, "muc-III", {}),
    ("yêu cầu báo cáo kết quả hàng tháng", CU_CHI, "muc-III", {}),
    # Long enough to be read as a passage; the answer is a numbered heading
    # line, which a passage searches like any other text.
    ("quy chế dân chủ ở cơ sở phòng chống dịch", DANG_UY, "muc-2", {}),
    ("quy che dan chu o co so phong chong dich", DANG_UY, "muc-2", {}),
]


@pytest.mark.parametrize("q, directive, section, filters", JUDGED, ids=[j[0] for j in JUDGED])
def test_judged_query(snapshot, q, directive, section, filters):
    result = run_search(snapshot, SearchRequest.from_params({"q": q, **filters}))
    ranked = [hit.id for hit in result.hits]
    assert ranked and ranked[0] == directive, ranked
    shown = [s.id for s in result.hits[0].sections]
    assert section in shown, shown


# What staff type, answered exactly: marks mean something, syllable by syllable;
# variants, names, numbers in part and field prefixes find what they name.
# Each is checked through the page and through /api/v1/search.

def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def api(client, **params) -> dict:
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def page(client, **params) -> tuple[list[str], str]:
    response = client.get("/", query_string=params)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return re.findall(r'<h2><a href="/documents/([^"?#]+)', html), html


def found(client, **params) -> list[str]:
    """The directives found, in order, the same through the page and the API."""
    answer = api(client, **params)
    ids = [r["id"] for r in answer["results"]]
    assert answer["total"] == len(ids)  # every sample fits one page
    assert page(client, **params)[0] == ids
    return ids


EXACTLY = [
    ("Củ Chi", [CU_CHI]),  # not 655, whose title says "Chỉ thị"
    (nfd("Củ Chi"), [CU_CHI]),
    ("củ chi", [CU_CHI]),
    ("tiền", []),  # in no sample; "tiến", "tiện" are other words
    ("chuyển đổi số", [HAI_PHONG]),
    ("dạy học trực tuyến", [HAI_PHONG]),
    ("Nguyễn Mạnh Thắng", [HAI_PHONG]),  # he signed it
    ("TP.HCM", [DANG_UY]), ("TPHCM", [DANG_UY]), ("TP HCM", [DANG_UY]), ("Thành phố Hồ Chí Minh", [DANG_UY]),
    ("KH 655", [MINH_LONG]), ("655/KH", [MINH_LONG]),
    ("online", [HAI_PHONG]),  # ~ "trực tuyến"
    ("so:655", [MINH_LONG]),
    ('nguoiky:"Nguyễn Mạnh Thắng"', [HAI_PHONG]),
    ('coquan:"Ủy ban nhân dân huyện"', [HAI_PHONG]),
]


@pytest.mark.parametrize("q, expected", EXACTLY, ids=[e[0] for e in EXACTLY])
def test_exactly_these_directives(client, q, expected):
    assert found(client, q=q) == expected


def test_a_syllable_without_marks_matches_every_spelling(client):
    assert set(found(client, q="cu chi")) > {CU_CHI}
    assert found(client, q="chuyen doi so")[0] == HAI_PHONG
    # Partly marked: "chuyển" as typed, "doi" and "so" any spelling.
    partly = found(client, q="chuyển doi so")
    assert partly[0] == HAI_PHONG and set(partly) < set(found(client, q="chuyen doi so")) | {HAI_PHONG}


def test_mục_đích_is_not_dịch(client):
    ids = found(client, q="phòng chống dịch")
    assert DAU_TIENG not in ids  # its "MỤC ĐÍCH" folds to "dich"
    assert len(ids) == 4


def test_ubnd_and_the_place_rank_the_place_first(client):
    assert found(client, q="UBND huyện Củ Chi") == [CU_CHI]


@pytest.mark.parametrize("old, new", [("hoà", "hòa"), ("Hoà", "hòa"), (nfd("hoà"), "hòa"),
                                      ("thuỷ", "thủy"), ("hoà bình", "hòa bình")])
def test_old_style_tone_marks_and_nfd_are_the_same_query(client, old, new):
    def seen(answer):  # all but the links, which carry the query as typed
        return [(r["id"], r["score"], r["title_html"], [s["snippet"] for s in r["sections"]])
                for r in answer["results"]]
    assert seen(api(client, q=old)) == seen(api(client, q=new))
    assert page(client, q=old)[0] == page(client, q=new)[0]


def test_old_style_tone_marks_find_what_the_text_writes_either_way(client):
    assert found(client, q="hoà") and found(client, q="hoà") == found(client, q="hòa")


@pytest.mark.parametrize("forms", [
    ("COVID 19", "Covid-19", "covid19", "covid 19"),
    ("vắc xin", "vắcxin", "vaccine", "vac xin"),
    ("TP.HCM", "TPHCM", "TP HCM", "Thành phố Hồ Chí Minh", "thanh pho ho chi minh"),
])
def test_ways_of_writing_the_same_thing_find_the_same_directives(client, forms):
    answers = [set(found(client, q=form)) for form in forms]
    assert answers[0] and all(answer == answers[0] for answer in answers)


def test_a_number_with_its_separators_exchanged(client):
    assert found(client, q="34/HD-ĐU")[0] == DANG_UY  # written 34-HD/ĐU


def test_a_name_puts_the_directive_it_signed_first(client):
    for q in ("Thắng", "Mạnh Thắng", "nguyen manh thang"):
        assert found(client, q=q)[0] == HAI_PHONG, q


def test_filter_values_match_with_or_without_marks(client):
    assert found(client, signer="nguyen manh thang") == [HAI_PHONG]
    assert found(client, signer="Nguyễn Mạnh Thắng") == [HAI_PHONG]
    answer = api(client, signer="nguyen manh thang")
    ticked = [f for f in answer["facets"]["signer"] if f["selected"]]
    assert [f["value"] for f in ticked] == ["Nguyễn Mạnh Thắng"]  # shown as the directive writes it
    assert found(client, issuer="uy ban nhan dan huyen") == [HAI_PHONG]


@pytest.mark.parametrize("q, params", [
    ("loai:ke-hoach", {"doc_type": "ke_hoach"}),
    ('loai:"Kế hoạch"', {"doc_type": "ke_hoach"}),
    ('coquan:"Ủy ban nhân dân huyện"', {"issuer": "Ủy ban nhân dân huyện"}),
    ('nguoiky:"nguyen manh thang"', {"signer": "Nguyễn Mạnh Thắng"}),
    ("nam:2021", {"year": "2021"}),
    ("phối hợp muc:to-chuc-thuc-hien", {"q": "phối hợp", "section": "to_chuc_thuc_hien"}),
    ("Năm:2024 dân vận", {"q": "dân vận", "year": "2024"}),
])
def test_a_field_prefix_is_its_filter(client, q, params):
    assert set(found(client, q=q)) == set(found(client, **params))
    assert found(client, q=q)


def test_trich_yeu_searches_the_title(client):
    ids = found(client, q='trichyeu:"dân vận"')
    assert ids and DAU_TIENG in ids and HAI_PHONG not in ids
    for result in api(client, q='trichyeu:"dân vận"')["results"]:
        assert "dân vận" in result["title"].lower()


@pytest.mark.parametrize("q", ["foo:bar", "abc:", ":xyz", 'nam:"hai nghìn"', "so:", "muc:không-có", "loai:"])
def test_an_unknown_prefix_is_words_not_an_error(client, q):
    api(client, q=q)
    page(client, q=q)


def test_the_help_text_shows_the_prefixes(client):
    _, html = page(client, q="dân vận")
    for prefix in ("so:655", "loai:ke-hoach", "coquan:", "nguoiky:", "nam:2021", "muc:to-chuc-thuc-hien", "trichyeu:"):
        assert prefix in html


def test_a_mark_typed_wrong_is_forgiven_and_said(client):
    # (004 itself once writes "Đầu Tiêng": that spelling is found as typed.)
    answer = api(client, q="Dầu Tiềng")  # Dầu Tiếng
    assert [r["id"] for r in answer["results"]] == [DAU_TIENG]
    assert answer["relaxed"] == "diacritics"
    assert "<mark>" in answer["results"][0]["title_html"] + str(answer["results"][0]["sections"])
    ids, html = page(client, q="Dầu Tiềng")
    assert ids == [DAU_TIENG]
    assert "Không có kết quả đúng dấu cho «Dầu Tiềng» — hiển thị kết quả không phân biệt dấu" in html
    assert api(client, q="Dầu Tiếng")["relaxed"] is None
    assert "không phân biệt dấu" not in page(client, q="Dầu Tiếng")[1]


def test_one_syllable_is_not_relaxed(client):
    answer = api(client, q="tiền")
    assert answer["total"] == 0 and answer["relaxed"] is None


def test_a_section_filtered_query(client):
    assert found(client, q="dạy học trực tuyến", section="nhiem_vu_giai_phap") == [HAI_PHONG]
    answer = api(client, q="dạy học trực tuyến", section="can_cu")
    assert answer["total"] == 0


def test_newest_first_starts_with_a_directive_that_has_the_words(client):
    ids = found(client, q="chuyển đổi số", sort="date_desc")
    assert ids == [HAI_PHONG]  # not the 2024 Dầu Tiếng plan
    # Kế hoạch + 2024 on "phòng chống dịch" used to leave only the unrelated plan.
    assert found(client, q="phòng chống dịch", doc_type="ke_hoach", year="2024") == []
    first = found(client, q="phòng chống dịch", sort="date_desc")[0]
    text = api(client, q="phòng chống dịch", sort="date_desc")["results"][0]
    document = client.get(f"/api/v1/documents/{first}").get_json()
    words = set(re.findall(r"\w+", json.dumps(document, ensure_ascii=False).lower()))
    assert {"phòng", "chống", "dịch"} <= words, text["id"]


def test_the_document_page_marks_what_the_forgiving_search_found(client):
    url = api(client, q="Dầu Tiềng")["results"][0]["url"]
    assert "<mark>Dầu</mark> <mark>Tiếng</mark>" in client.get(url).get_data(as_text=True)
    # Found as typed: marked as typed ("củ" only as "củ").
    strict = client.get(api(client, q="Củ Chi")["results"][0]["url"]).get_data(as_text=True)
    assert "<mark>Củ</mark> <mark>Chi</mark>" in strict


def test_exclusions_and_phrases_follow_the_marks(client):
    # 004 says "MỤC ĐÍCH" and never "dịch": -dịch keeps it, -dich (any spelling) does not.
    assert DAU_TIENG in found(client, q="dân vận -dịch")
    assert DAU_TIENG not in found(client, q="dân vận -dich")
    assert DAU_TIENG not in found(client, q='"phòng chống dịch"')
    assert set(found(client, q='"mục đích"')) == set(found(client, q='"muc dich"'))
