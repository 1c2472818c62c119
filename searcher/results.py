"""What a search answers, as dataclasses: hits with their best sections, facet
values, pagination, suggestions, the timeline and the relaxed notice.

A link is given as what it means, never as a URL: the GET parameters of the
search it leads to (``toggle``, ``remove``, ``params``) or the directive and
section it opens (``Hit.id``, ``HitSection.id``). Whoever serves the result
turns them into URLs (search_app/search_json.py does, with Flask's url_for).

    result = index.search(SearchRequest.from_params({"q": "phòng chống dịch"}))
    [(hit.id, [s.id for s in hit.sections]) for hit in result.hits]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from searcher.search import SearchRequest

#: GET parameters in order, repeated names allowed: [("q", "dân vận"), ("year", "2021")].
Params = list[tuple[str, str]]


@dataclass
class HitSection:
    """One of a hit's best-matching sections; its id is the anchor on the directive's page."""

    id: str
    kind: str
    kind_label: str
    heading: str
    number: str | None
    snippet: str  # HTML-escaped text with <mark> around the matched words


@dataclass
class Hit:
    """A matching directive as a result list shows it."""

    id: str
    number: str | None
    doc_type: str | None
    doc_type_label: str | None
    title: str | None
    title_html: str  # HTML-escaped title with <mark> around the matched words
    issuer: str | None
    issued_date: str | None  # ISO yyyy-mm-dd
    year: int | None
    year_inferred: bool
    score: float | None  # None when sorted by date or without a query
    sections: list[HitSection]
    place: str | None
    signer: dict  # {"name", "title"}


@dataclass
class FacetValue:
    """One value of a facet, its count among the matches, and the search with it ticked or unticked."""

    value: str | int
    label: str
    count: int
    selected: bool
    toggle: Params


@dataclass
class ActiveFilter:
    """A filter in use, as a removable chip (a year or date range is one)."""

    name: str  # the parameter; year_range and date_range for the ranges
    value: str | int | list
    label: str  # what the chip says, in Vietnamese
    remove: Params  # this search without it


@dataclass
class TimelineYear:
    """Matching directives in one year; ``params``: this search narrowed to that year alone."""

    year: int
    count: int
    selected: bool
    params: Params


@dataclass
class Suggestion:
    """What to try when nothing matched: a filter dropped, or the query respelt."""

    type: str  # "drop_filter" or "spelling"
    label: str
    params: Params
    query: str | None = None  # the respelt query


@dataclass
class SearchResult:
    """One page of results for a SearchRequest, with everything the page shows around them."""

    request: SearchRequest
    total: int  # matching directives
    pages: int
    sort: str  # the order used (the request's, or its default)
    relaxed: str | None  # "diacritics": nothing matched as typed, these match without the marks
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]  # facet name -> its first values (all selected ones among them)
    facet_sizes: dict[str, int]  # facet name -> how many values it has
    timeline: list[TimelineYear]
    active_filters: list[ActiveFilter]
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def query(self) -> str:
        return self.request.q

    @property
    def page(self) -> int:
        return self.request.page

    @property
    def per_page(self) -> int:
        return self.request.per_page

    def filters(self) -> dict:
        """The filters applied, by parameter (ranges as their bounds, days in ISO)."""
        req = self.request
        bounds = {name: getattr(req, name) for name in ("year_from", "year_to", "date_from", "date_to")}
        return {**req.filters, **{name: value.isoformat() if hasattr(value, "isoformat") else value
                                  for name, value in bounds.items() if value}}

    def params(self, page: int | None = None) -> Params:
        """This search's parameters at ``page`` (default: this page): what a hit's
        link carries so that its directive's page leads back here."""
        page = self.page if page is None else page
        return self.request.params() + ([("page", str(page))] if page > 1 else [])

    def clear_filters(self) -> Params:
        """This search (query, sort, page size) without any filter."""
        return [p for p in self.request.params() if p[0] in ("q", "sort", "per_page")]

    def page_numbers(self, width: int = 2) -> list[int]:
        """The pages a pager lists around this one."""
        return list(range(max(1, self.page - width), min(self.pages, self.page + width) + 1))
