"""The engine's results made answers of this app: a SearchResult as the JSON body
of /api/v1/search (and the results page's context), suggestions as the JSON of
/api/v1/suggest, and every link they describe made a URL with url_for.

The engine says what a link means (a search's GET parameters, a directive and
section); only here does it become a URL, so the app works under any prefix
(SCRIPT_NAME, a DispatcherMiddleware mount).

    search_body(run_search(snapshot, req), "api.search")["results"][0]["url"]   # /documents/…?q=…
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import url_for

from searcher.results import Params, SearchResult


def with_params(path: str, pairs: Params) -> str:
    return f"{path}?{urlencode(pairs)}" if pairs else path


def search_url(pairs: Params, endpoint: str = "views.search_page") -> str:
    """The search with these GET parameters (the results page, or its JSON twin with "api.search")."""
    return with_params(url_for(endpoint), pairs)


def document_url(doc_id: str, search: Params = (), section_id: str | None = None) -> str:
    """The directive's page at ``section_id``; ``search`` (a search's parameters) rides along so
    that the page's «Quay lại kết quả» returns to that very page of results (views.back_to_results)."""
    url = with_params(url_for("views.document_page", doc_id=doc_id), list(search))
    return f"{url}#{section_id}" if section_id else url


class _Searches:
    """URLs of searches at one path: a page has a hundred or more (a toggle per
    facet value), most sharing their parameters, so each parameter is encoded
    once per page (urlencode of the whole list gives the same text)."""

    def __init__(self, path: str):
        self.path = path
        self._encoded: dict[tuple[str, str], str] = {}

    def __call__(self, pairs: Params) -> str:
        if not pairs:
            return self.path
        parts = []
        for pair in pairs:
            encoded = self._encoded.get(pair)
            if encoded is None:
                encoded = self._encoded[pair] = urlencode([pair])
            parts.append(encoded)
        return f"{self.path}?{'&'.join(parts)}"


def search_body(result: SearchResult, endpoint: str) -> dict:
    """The result as search_app/openapi.py describes it; links to other searches go to ``endpoint``."""
    at = _Searches(url_for(endpoint))
    # Every hit carries this page's search; encoded once for the page.
    back = urlencode(result.params())

    def opens(doc_id: str) -> str:
        return url_for("views.document_page", doc_id=doc_id) + (f"?{back}" if back else "")

    def page_url(page: int) -> str:
        return at(result.params(page))

    pages = {hit.id: opens(hit.id) for hit in result.hits}
    return {
        "ok": True,
        "query": result.query,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "sort": result.sort,
        "relaxed": result.relaxed,
        "filters": result.filters(),
        "active_filters": [{"name": c.name, "value": c.value, "label": c.label, "remove_url": at(c.remove)}
                           for c in result.active_filters],
        "clear_filters_url": at(result.clear_filters()),
        "results": [{
            "id": hit.id, "number": hit.number, "doc_type": hit.doc_type, "doc_type_label": hit.doc_type_label,
            "title": hit.title, "title_html": hit.title_html, "issuer": hit.issuer,
            "issued_date": hit.issued_date, "year": hit.year, "year_inferred": hit.year_inferred,
            "url": pages[hit.id], "score": hit.score,
            "sections": [{"id": s.id, "kind": s.kind, "kind_label": s.kind_label, "heading": s.heading,
                          "number": s.number, "snippet": s.snippet, "url": f"{pages[hit.id]}#{s.id}"}
                         for s in hit.sections],
            "place": hit.place, "signer": hit.signer,
        } for hit in result.hits],
        "facets": {name: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected,
                           "toggle_url": at(v.toggle)} for v in values]
                   for name, values in result.facets.items()},
        "facet_sizes": result.facet_sizes,
        "timeline": [{"year": y.year, "count": y.count, "selected": y.selected, "url": at(y.params)}
                     for y in result.timeline],
        "suggestions": [{"type": s.type, "label": s.label, **({"query": s.query} if s.query else {}),
                         "url": at(s.params)} for s in result.suggestions],
        "url": page_url(result.page),
        "links": {
            "self": page_url(result.page),
            "first": page_url(1),
            "prev": page_url(result.page - 1) if result.page > 1 else None,
            "next": page_url(result.page + 1) if result.page < result.pages else None,
            "last": page_url(result.pages),
            "pages": [{"page": p, "url": page_url(p), "current": p == result.page} for p in result.page_numbers()],
        },
    }


def suggestion_body(found: list[dict]) -> list[dict]:
    """/api/v1/suggest's entries: a number or title opens its directive, an issuer filters the search by it."""
    return [{"type": s["type"], "label": s["label"], "value": s["value"], "detail": s["detail"],
             "url": document_url(s["id"]) if s["id"] else search_url([("issuer", s["value"])])}
            for s in found]
