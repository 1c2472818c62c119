"""Hostile and random input never breaks search: no 500, no traceback, bounded time."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searcher.search import InvalidParameter, PageOutOfRange, SearchRequest, run_search

WHOOSH_SYNTAX = ["field:*", "[a TO", "*", '"', "AND OR NOT", "-", "OR", "~2", "^3", "(", ")", "{", "}", "title:x",
                 "*dịch", "ph?ng", "\u202e", "\u0301\u0301", "\x00", "\u200b", "<script>", "19/CT-TTg", "UBND"]

queries = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(WHOOSH_SYNTAX) | st.text(max_size=8), max_size=12).map(" ".join),
)
params = st.fixed_dictionaries({}, optional={
    "q": queries,
    "page": st.text(max_size=6) | st.integers(-5, 2000).map(str),
    "per_page": st.text(max_size=6) | st.integers(-5, 20000).map(str),
    "sort": st.sampled_from(["relevance", "date_desc", "date_asc", "", "x"]),
    "year": st.text(max_size=6) | st.integers(0, 3000).map(str),
    "doc_type": st.text(max_size=12),
    "section": st.sampled_from(["can_cu", "to_chuc_thuc_hien", "", "bad"]),
    "issuer": st.text(max_size=40),
})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params)
def test_search_function_accepts_or_refuses_cleanly(snapshot, p):
    try:
        req = SearchRequest.from_params(p)
    except InvalidParameter as exc:
        assert str(exc)
        return
    t0 = time.perf_counter()
    try:
        result = run_search(snapshot, req)
    except PageOutOfRange as exc:
        assert req.page > 1 and str(exc)
        return
    assert time.perf_counter() - t0 < 5
    assert result.total >= len(result.hits)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params)
def test_api_answers_200_or_400_json(client, p):
    response = client.get("/api/v1/search", query_string=p)
    # 404: a page past the last.
    assert response.status_code in (200, 400, 404), response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body["ok"] is (response.status_code == 200)
    assert "Traceback" not in response.get_data(as_text=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(queries)
def test_html_page_never_injects_markup(client, q):
    response = client.get("/", query_string={"q": q}, follow_redirects=True)  # a blank q: to "/"
    assert response.status_code in (200, 400)
    html = response.get_data(as_text=True)
    if "<script>" in q:
        assert html.count("<script") == 1  # only the page's own app.js


def test_ten_kilobyte_query_is_refused_with_a_message(client):
    response = client.get("/api/v1/search", query_string={"q": "phòng chống dịch " * 700})
    assert response.status_code == 400
    assert "too long" in response.get_json()["error"]
