"""The search engine: everything that reads a built index, with no web framework.

The surface a program uses (typed, in the spirit of tantivy's and bm25s's):

    import searcher
    with searcher.open_index("var/index") as index:
        result = index.search(searcher.SearchRequest.from_params({"q": "phong chong dich"}))
        result.total, result.hits[0].id, result.hits[0].sections[0].snippet

open_index() -> Index (index.py): search(SearchRequest) -> SearchResult,
document(id) -> corpus.model.Directive, stats(), close(). A SearchResult
(results.py) holds hits with their best sections, facet values, pages,
suggestions and the relaxed notice; its links are GET parameters and ids,
never URLs.

Inside: handle.py opens a generation (and its snapshots), query.py reads the
query language, postings.py evaluates it over posting arrays, search.py ranks
and assembles results with snippets (sections.py, highlight.py), facets.py
holds the facets (one class each), suggest.py and similar.py answer the
suggestion box and related documents.
search_app/ turns HTTP requests into SearchRequests and results into pages.
"""

from searcher.index import Index, IndexStats, open_index
from searcher.results import ActiveFilter, FacetValue, Hit, HitSection, SearchResult, Suggestion, TimelineYear
from searcher.search import InvalidParameter, PageOutOfRange, SearchRequest

__all__ = ["open_index", "Index", "IndexStats", "SearchRequest", "SearchResult", "Hit", "HitSection",
           "FacetValue", "ActiveFilter", "TimelineYear", "Suggestion", "InvalidParameter", "PageOutOfRange"]
