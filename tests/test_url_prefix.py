"""The app mounted under a URL prefix (/vanban, as an intranet portal would mount it):
every link on the search page, the directive page and in the JSON starts with the
prefix and leads somewhere (each is followed with the test client)."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.wrappers import Response

PREFIX = "/vanban"


class _Links(HTMLParser):
    """Every href, src and form action of a page, unescaped."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "data-suggest") and value is not None:
                self.found.append(value)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [link for link in parser.found if not link.startswith("#")]  # anchors within the page


def _json_urls(value) -> list[str]:
    """Every string under a key named url, *_url, or in links, anywhere in a JSON body."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and (key == "url" or key.endswith("_url") or key in ("self", "first", "last",
                                                                                           "prev", "next")):
                found.append(item)
            else:
                found.extend(_json_urls(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_json_urls(item))
    return found


@pytest.fixture()
def mounted(app):
    """The app answering under /vanban only (anything else is the portal's 404)."""
    app.wsgi_app = DispatcherMiddleware(Response("portal", status=404), {PREFIX: app.wsgi_app})
    return app.test_client()


def _follow_all(client, urls: list[str]) -> None:
    assert urls
    outside = [u for u in urls if not urlsplit(u).path.startswith(PREFIX + "/") and urlsplit(u).path != PREFIX]
    assert not outside, outside
    for url in dict.fromkeys(u.split("#")[0] for u in urls):
        with client.get(url) as response:  # static files are streamed: closed here
            assert response.status_code == 200, (url, response.status_code)


@pytest.mark.parametrize("query", [
    {"q": "phòng chống dịch"},  # hits with sections, facets, timeline, exports, feed
    {"q": "giao duc", "doc_type": "ke_hoach", "year_from": "2020", "per_page": "1", "page": "2"},  # chips, pages
    {"q": "vắc xin", "doc_type": "chi_thi"},  # nothing: drop-filter suggestions
    {"q": "phong chng dich"},  # nothing: did-you-mean
])
def test_every_link_of_the_search_page_and_its_json_is_under_the_prefix(mounted, query):
    page = mounted.get(f"{PREFIX}/", query_string=query)
    assert page.status_code == 200
    links = _links(page.get_data(as_text=True))
    body = mounted.get(f"{PREFIX}/api/v1/search", query_string=query).get_json()
    json_urls = _json_urls(body)
    _follow_all(mounted, links + json_urls)
    if body["total"] == 0:
        assert body["suggestions"] and all(s["url"].startswith(PREFIX + "/") for s in body["suggestions"])


def test_every_link_of_the_directive_page_and_its_json_is_under_the_prefix(mounted, sample_ids):
    hit = mounted.get(f"{PREFIX}/api/v1/search", query_string={"q": "thi đua", "year": "2021"}).get_json()
    url = next(r for r in hit["results"] if r["id"] == sample_ids.minh_long)["sections"][0]["url"]
    assert url.startswith(f"{PREFIX}/documents/{sample_ids.minh_long}?q=") and "#" in url
    page = mounted.get(url.split("#")[0])
    assert page.status_code == 200
    links = _links(page.get_data(as_text=True))
    # «Quay lại kết quả» leads back to the search, under the prefix.
    assert f"{PREFIX}/?q=thi+%C4%91ua&year=2021" in links
    body = mounted.get(f"{PREFIX}/api/v1/documents/{sample_ids.minh_long}").get_json()
    _follow_all(mounted, links + _json_urls(body))


def test_suggestions_and_redirects_stay_under_the_prefix(mounted, sample_ids):
    found = mounted.get(f"{PREFIX}/api/v1/suggest", query_string={"q": "655/"}).get_json()["suggestions"]
    assert found[0]["url"] == f"{PREFIX}/documents/{sample_ids.minh_long}"
    issuers = mounted.get(f"{PREFIX}/api/v1/suggest", query_string={"q": "uy ban"}).get_json()["suggestions"]
    _follow_all(mounted, [s["url"] for s in found + issuers])
    # A number link and a directive's earlier spelling redirect within the prefix.
    assert mounted.get(f"{PREFIX}/numbers/655/KH-PGDĐT").location == f"{PREFIX}/documents/{sample_ids.minh_long}"
    assert mounted.get(f"{PREFIX}/documents/655-KH-PGDDT-2021").location.startswith(f"{PREFIX}/documents/")
    # An empty form field is redirected away, to the same page under the prefix.
    assert mounted.get(f"{PREFIX}/?q=d%C3%A2n+v%E1%BA%ADn&year_from=").location == f"{PREFIX}/?q=d%C3%A2n+v%E1%BA%ADn"


def test_feeds_and_opensearch_link_under_the_prefix(mounted):
    feed = mounted.get(f"{PREFIX}/feed.atom", query_string={"q": "dân vận"}).get_data(as_text=True)
    assert f"http://localhost{PREFIX}/documents/" in feed and 'href="http://localhost/documents' not in feed
    description = mounted.get(f"{PREFIX}/opensearch.xml").get_data(as_text=True)
    assert f"http://localhost{PREFIX}/?q={{searchTerms}}" in description
