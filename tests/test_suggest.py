"""Autocomplete (/api/v1/suggest and searcher.suggest): numbers, issuers and titles as the user types."""

import pytest

from searcher.suggest import Suggester


def suggest(client, q, **params):
    response = client.get("/api/v1/suggest", query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["suggestions"]


@pytest.mark.parametrize("typed", ["655/", "655/KH", "655/kh-pgd", "655/KH-PGDĐT"])
def test_a_number_is_suggested_while_it_is_typed(client, typed, sample_ids):
    found = suggest(client, typed)
    assert found[0]["type"] == "number" and found[0]["label"] == "655/KH-PGDĐT"
    assert found[0]["url"] == f"/documents/{sample_ids.minh_long}"
    assert found[0]["detail"].startswith("Tổ chức thực hiện Chỉ thị số 19/CT-TTg") and found[0]["detail"].endswith("· 2021")


@pytest.mark.parametrize("typed", ["Minh Lo", "minh lo", "phong giao duc va dao tao huyen minh",
                                   "Phòng Giáo dục và Đào tạo huyện Minh",
                                   "Pho\u0300ng Gia\u0301o du\u0323c"])  # NFD, as some keyboards send it
def test_an_issuer_is_suggested_from_any_word_with_or_without_diacritics(client, typed, sample_ids):
    issuers = [s for s in suggest(client, typed) if s["type"] == "issuer"]
    assert "Phòng Giáo dục và Đào tạo huyện Minh Long" in [s["label"] for s in issuers]
    minh_long = next(s for s in issuers if s["label"].endswith("Minh Long"))
    filtered = client.get("/api/v1" + minh_long["url"].replace("/?", "/search?")).get_json()
    assert [r["id"] for r in filtered["results"]] == [sample_ids.minh_long]


@pytest.mark.parametrize("typed", ["to chuc thuc hien chi thi", "Tổ chức thực hiện Chỉ thị", "thi dua thuc hien thang"])
def test_a_title_is_suggested_from_its_start_or_a_later_word(client, typed, sample_ids):
    titles = [s for s in suggest(client, typed) if s["type"] == "title"]
    assert [s["url"] for s in titles] == [f"/documents/{sample_ids.minh_long}"]
    assert titles[0]["label"].startswith("Tổ chức thực hiện Chỉ thị số 19/CT-TTg")


def test_titles_beginning_with_the_words_come_before_titles_containing_them(client):
    titles = [s["label"] for s in suggest(client, "to chuc", limit=20) if s["type"] == "title"]
    assert titles and titles[0].startswith("Tổ chức")
    assert len(set(titles)) == len(titles)


def test_nothing_typed_or_nothing_known_gives_no_suggestions(client):
    assert suggest(client, "") == []
    assert suggest(client, "   ") == []
    assert suggest(client, "zzqx") == []


def test_limit_is_kept_and_checked(client):
    assert len(suggest(client, "t", limit=2)) == 2
    for bad in ("0", "21", "nhiều"):
        response = client.get("/api/v1/suggest", query_string={"q": "t", "limit": bad})
        body = response.get_json()
        assert response.status_code == 400 and body["code"] == "invalid_parameter" and "Số gợi ý" in body["message"]
    long = client.get("/api/v1/suggest", query_string={"q": "ă" * 201})
    assert long.status_code == 400 and long.get_json()["code"] == "invalid_parameter"


def test_suggest_is_in_the_openapi_description(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {p["name"] for p in spec["paths"]["/api/v1/suggest"]["get"]["parameters"]} == {"q", "limit"}


def test_at_most_three_issuers_and_numbers_newest_first():
    briefs = [(f"{n}-kh-{year}", year * 10000 + 101, f"{n}/KH-UBND", "Kế hoạch", f"Kế hoạch số {n}", f"Ủy ban nhân dân huyện {place}")
              for n, year, place in [(12, 2020, "Ba Tơ"), (120, 2023, "Sơn Hà"), (121, 2021, "Minh Long"),
                                     (122, 2022, "Tư Nghĩa"), (125, 2024, "Bình Sơn")]]
    found = Suggester(briefs).lookup("12")
    assert [s["label"] for s in found if s["type"] == "number"] == \
        ["125/KH-UBND", "120/KH-UBND", "122/KH-UBND", "121/KH-UBND", "12/KH-UBND"]
    assert len([s for s in Suggester(briefs).lookup("uy ban") if s["type"] == "issuer"]) == 3
