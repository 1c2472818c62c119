"""Search as a plain function: a SearchRequest in, a SearchResult out (no Flask here).

run_search() matches the query against whole directives (or, with a section
filter, against sections of those kinds), counts facets over every match from
the per-document columns of searcher.handle, ranks with Whoosh's BM25F (computed
over posting arrays by searcher.postings), picks each result's best-matching
sections and highlights them. A query naming a directive's signer or issuer
ranks it higher; a query whose marks find nothing is answered without them
and the answer says so (``relaxed == "diacritics"``). Links in the result are
GET parameters and ids (searcher/results.py); search_app makes them URLs.

    run_search(handle.snapshot(), SearchRequest.from_params({"q": "phong chong dich"}))
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import time

from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq

import analyzers
from corpus.model import SECTION_KIND_LABELS
from indexer.documents import sections_with_path
from searcher import highlight
from searcher.facets import FACETS, directives_per_value, distinct_count, label_syllables
from searcher.results import (ActiveFilter, FacetValue, Hit, HitSection, Params, SearchResult, Suggestion,
                              TimelineYear)
from searcher.sections import SectionScorer, best_sections
from searcher.query import (LONG_FOLDED_SHARE, MAX_QUERY_CHARS, ParsedQuery, QueryTooLong, exclusion_query,
                              fielded_query, long_query_clauses, match_query, parse_query, proximity_query,
                              rank_query)

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 1000
SORTS = ("relevance", "date_desc", "date_asc")
FACET_LIMIT = 30
SECTIONS_PER_RESULT = 2
#: How many of the best directives are re-ordered by their best section.
RERANK_DEPTH = 50
#: Documents whose score gets the proximity boosts (see query.proximity_query).
PROXIMITY_DEPTH = 100
#: Weight of a query naming a directive's signer or issuer (all of the query's
#: words), in units of the best text score (re-ranking adds text and best
#: section, each at most 1): more than any passing mention of the name.
NAMED_WEIGHT = 2.0
#: Longer queries (pasted passages) are ranked on whole directives only.
RERANK_MAX_WORDS = 20
MAX_FILTER_VALUES = 50
#: Facet values a page shows before "Xem thêm"; with ``more=<facet>`` that facet lists up to FACET_MORE_LIMIT.
FACET_SHOWN = 10
FACET_MORE_LIMIT = 1000

#: Request parameters as staff know them, for the Vietnamese error messages.
PARAMETER_LABELS_VI = {"q": "Câu tìm kiếm", **{name: facet.title for name, facet in FACETS.items()},
                       "year_from": "Năm bắt đầu", "year_to": "Năm kết thúc", "sort": "Cách sắp xếp",
                       "date_from": "Từ ngày", "date_to": "Đến ngày",
                       "page": "Số trang", "per_page": "Số kết quả mỗi trang", "more": "Danh sách đầy đủ"}


class InvalidParameter(ValueError):
    """A request parameter that cannot be used; the message says which and why
    (in English, and in Vietnamese as ``message_vi``)."""

    def __init__(self, message: str, message_vi: str | None = None):
        super().__init__(message)
        self.message_vi = message_vi


class PageOutOfRange(LookupError):
    """A page past the last page of results (a 404, not an empty page)."""

    def __init__(self, page: int, pages: int):
        super().__init__(f"page {page} does not exist: the results have {pages} page{'s' if pages > 1 else ''}")
        self.message_vi = f"Không có trang {page}: kết quả chỉ có {pages} trang."


@dataclass
class SearchRequest:
    q: str = ""
    filters: dict[str, list] = field(default_factory=dict)  # facet parameter -> values
    year_from: int | None = None
    year_to: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str | None = None
    more: str | None = None  # the facet listed in full (not part of the search's URL)
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    parsed: ParsedQuery | None = None  # set by from_params

    @classmethod
    def from_params(cls, params, max_per_page: int = MAX_PER_PAGE) -> SearchRequest:
        """Read GET parameters (a MultiDict or a plain dict of str / list of str)."""
        def getlist(name):
            if hasattr(params, "getlist"):
                return [v for v in params.getlist(name)]
            value = params.get(name)
            if value is None:
                return []
            return list(value) if isinstance(value, (list, tuple)) else [value]

        def one(name):
            values = getlist(name)
            return values[-1] if values else None

        req = cls(q=(one("q") or "").strip())
        for name, facet in FACETS.items():
            values = [analyzers.normalize(v) for v in getlist(name) if v and v.strip()]
            if len(values) > MAX_FILTER_VALUES:
                raise InvalidParameter(f"{name}: at most {MAX_FILTER_VALUES} values",
                                       f"{facet.title}: tối đa {MAX_FILTER_VALUES} giá trị.")
            if name == "year":
                values = [_int(v, "year", 1, 9999) for v in values]
            # A closed vocabulary refuses what it does not know (a typo would
            # otherwise look like "no such directives").
            known = facet.vocabulary
            unknown = [v for v in values if v not in known] if known is not None else []
            if unknown:
                raise InvalidParameter(
                    f"{name} must be one of {', '.join(known)} (got {unknown[0]!r})",
                    f"{facet.title} «{unknown[0]}» không có; chọn một trong: "
                    f"{', '.join(known.values())}.")
            if values:
                req.filters[name] = list(dict.fromkeys(values))
        for name in ("year_from", "year_to"):
            value = one(name)
            if value not in (None, ""):
                setattr(req, name, _int(value, name, 1, 9999))
        for name in ("date_from", "date_to"):
            value = one(name)
            if value not in (None, "") and value.strip():
                setattr(req, name, parse_date(value, name))
        req.more = _one_of(one("more"), "more", FACETS, "Không có bộ lọc «{}».")
        req.sort = _one_of(one("sort"), "sort", SORTS, "Cách sắp xếp «{}» không được hỗ trợ.")
        page, per_page = one("page"), one("per_page")
        if page not in (None, ""):
            req.page = _int(page, "page", 1, MAX_PAGE)
        if per_page not in (None, ""):
            req.per_page = _int(per_page, "per_page", 1, max_per_page)
        try:
            req.parsed = parse_query(req.q)
        except QueryTooLong as exc:
            raise InvalidParameter(str(exc), f"Câu tìm kiếm quá dài ({len(req.q)} ký tự; "
                                             f"tối đa {MAX_QUERY_CHARS}).") from exc
        return req

    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "date_desc" if self.parsed is None or self.parsed.is_empty else "relevance"

    def params(self) -> list[tuple[str, str]]:
        """The request as GET parameters, in a stable order (for shareable URLs)."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for name in FACETS:
            pairs.extend((name, str(v)) for v in self.filters.get(name, []))
        for name in ("year_from", "year_to", "date_from", "date_to"):
            if getattr(self, name) is not None:
                pairs.append((name, str(getattr(self, name))))  # dates as ISO yyyy-mm-dd
        if self.sort:
            pairs.append(("sort", self.sort))
        if self.per_page != DEFAULT_PER_PAGE:
            pairs.append(("per_page", str(self.per_page)))
        return pairs


def _one_of(value: str | None, name: str, allowed, message_vi: str) -> str | None:
    """``value`` when it is one of ``allowed``, None when not given; else a 400."""
    if value in (None, ""):
        return None
    if value not in allowed:
        raise InvalidParameter(f"{name} must be one of {', '.join(allowed)} (got {value!r})",
                               message_vi.format(value))
    return value


def _int(value: str, name: str, low: int, high: int) -> int:
    try:
        text = str(value).strip()
        # "2.0" is an integer to JSON Schema (and to the generators that test the API from it).
        number = int(text) if not text.endswith(".0") else int(float(text))
    except ValueError:
        # "2.0" is an integer as the OpenAPI description (JSON Schema) reads it.
        try:
            written = float(str(value).strip())
        except ValueError:
            written = math.nan
        if not written.is_integer():
            raise InvalidParameter(f"{name} must be an integer (got {value!r})",
                                   f"{PARAMETER_LABELS_VI[name]} phải là số nguyên (nhận được «{value}»).") from None
        number = int(written)
    if not low <= number <= high:
        raise InvalidParameter(f"{name} must be between {low} and {high} (got {number})",
                               f"{PARAMETER_LABELS_VI[name]} phải từ {low} đến {high} (nhận được {number}).")
    return number


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(value: str, name: str) -> dt.date:
    """A day as ISO (2022-06-15) or as directives write it (15/06/2022, 15/6/2022)."""
    text = value.strip()
    try:
        found = _DMY.fullmatch(text)
        if found:
            day, month, year = map(int, found.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(f"{name} must be a date as yyyy-mm-dd or dd/mm/yyyy (got {value!r})",
                               f"{PARAMETER_LABELS_VI[name]} phải là một ngày dạng dd/mm/yyyy "
                               f"hoặc yyyy-mm-dd (nhận được «{value}»).") from None


def _yyyymmdd(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


class _Links:
    """This search's parameters, and the parameters with one filter value ticked or unticked."""

    def __init__(self, req: SearchRequest):
        self.pairs = req.params()

    def toggle(self, name: str, value) -> Params:
        return FACETS[name].toggle(self.pairs, value)

    def without(self, *names: str) -> Params:
        return [p for p in self.pairs if p[0] not in names]


# Matching and facets.

class _Filters:
    """The request's filters as sets of column ordinals, for one Whoosh index;
    ``required`` (filters typed as field prefixes in the query) always apply,
    even to the counts of their own facet."""

    def __init__(self, req: SearchRequest, cols, required: dict[str, list] | None = None):
        self.cols = cols
        self.allowed: dict[str, set[int]] = {}
        for name, values in req.filters.items():
            self.allowed[name] = FACETS[name].ordinals(cols, values)
        if req.year_from is not None or req.year_to is not None:
            low = req.year_from or 0
            high = req.year_to or 9999
            in_range = {i for i, y in enumerate(cols.labels["year"]) if y and low <= y <= high}
            self.allowed["year"] = self.allowed.get("year", in_range) & in_range
        self.required = {name: FACETS[name].ordinals(cols, values) for name, values in (required or {}).items()}
        self.days = None
        if req.date_from is not None or req.date_to is not None:
            self.days = (_yyyymmdd(req.date_from) if req.date_from else 0,
                         _yyyymmdd(req.date_to) if req.date_to else 99991231)

    def _in_days(self, docnums: np.ndarray) -> np.ndarray:
        """Documents issued within the date range. A directive known only by its
        year (sort_date yyyy0000) is kept when that year overlaps the range: it
        may have been issued in it, and dropping it would hide it from every
        date filter."""
        low, high = self.days
        days = self.cols.dates(docnums)
        by_day = (days % 10000 != 0) & (days >= low) & (days <= high)
        by_year = (days % 10000 == 0) & (days > 0) & (days // 10000 >= low // 10000) & (days // 10000 <= high // 10000)
        return docnums[by_day | by_year]

    def keep(self, docnums: np.ndarray, skip: str | None = None) -> np.ndarray:
        """The docnums that pass every filter (but ``skip``'s)."""
        if self.days is not None:
            docnums = self._in_days(docnums)
        checks = [(name, allowed) for name, allowed in self.allowed.items() if name != skip]
        for name, allowed in checks + list(self.required.items()):
            docnums = FACETS[name].keep(self.cols, docnums, allowed)
        return docnums


def _with_index_spelling(req: SearchRequest, cols) -> SearchRequest:
    """The request with each issuer and signer filter value written as the
    index writes it ("nguyen manh thang" -> "Nguyễn Mạnh Thắng"), so the facet
    shows it ticked and its links untick it; values matching none stay as typed."""
    filters = dict(req.filters)
    for name in ("issuer", "signer"):
        if name not in filters:
            continue
        labels = cols.labels[FACETS[name].column]
        spelt = []
        for value in filters[name]:
            matches = sorted(labels[o] for o in FACETS[name].ordinals(cols, [value]))
            spelt.extend(matches or [value])
        filters[name] = list(dict.fromkeys(spelt))
    return dataclasses.replace(req, filters=filters) if filters != req.filters else req


def _matched(ev, cols, parsed: ParsedQuery) -> np.ndarray:
    """Docnums matching the query, ascending (every live document when it is empty)."""
    if parsed.is_empty:
        matched = cols.live
        exclusion = exclusion_query(parsed)
        if exclusion is not None:
            matched = matched[~ev.run(exclusion, scored=False)[0][matched]]
        return matched
    if parsed.is_long:
        return _min_should_match(ev, parsed)
    return ev.docs(match_query(parsed))


def _min_should_match(ev, parsed: ParsedQuery) -> np.ndarray:
    """Documents containing at least min_should_match() of a long query's units;
    a unit found only without the marks it was typed with counts LONG_FOLDED_SHARE."""
    exact, folded = long_query_clauses(parsed)
    counts = np.zeros(ev.level.doc_count, dtype=np.float64)
    for as_typed, without_marks in zip(exact, folded):
        if without_marks == as_typed or LONG_FOLDED_SHARE >= 1.0:  # what is found as typed is found folded
            counts += ev.run(without_marks, scored=False)[0]
            continue
        found = ev.run(as_typed, scored=False)[0]
        counts += found
        counts += LONG_FOLDED_SHARE * (ev.run(without_marks, scored=False)[0] & ~found)
    enough = counts >= min(parsed.min_should_match(), len(exact)) - 1e-9
    fielded = fielded_query(parsed)
    if fielded is not None:
        enough &= ev.run(fielded, scored=False)[0]
    exclusion = exclusion_query(parsed)
    if exclusion is not None:
        enough &= ~ev.run(exclusion, scored=False)[0]
    return np.flatnonzero(enough)


def _facet_counts(req, cols, filters: _Filters, docnums: np.ndarray, skip_section: bool) -> dict[str, list[dict]]:
    """Each facet's values over the matches passing every filter but its own."""
    facets = {}
    for name, facet in FACETS.items():
        if name == "section" and skip_section:
            continue
        counts = facet.count(cols, filters.keep(docnums, skip=name))
        facets[name] = facet.values(req.filters.get(name, []), cols.labels[facet.column], counts)
    return facets


def _capped(req, facets: dict[str, list[dict]], links: _Links) -> dict[str, list[FacetValue]]:
    """Each facet's first FACET_LIMIT values (FACET_MORE_LIMIT for the one asked for in full)."""
    return {name: FACETS[name].shown(entries, FACET_MORE_LIMIT if name == req.more
                                     else max(FACET_LIMIT, len(req.filters.get(name, []))), links.pairs)
            for name, entries in facets.items()}


# Ranking one page.

def _rank(ev, cols, parsed, final: np.ndarray, sort: str, limit: int, collapse: bool,
          named: np.ndarray | None = None) -> list[tuple[str, float | None]]:
    """(directive id, score) for the first ``limit`` directives; ``named``
    (see _named_shares) raises the documents whose signer or issuer the query names."""
    if not len(final):
        return []
    if sort == "relevance" and not parsed.is_empty:
        _, scores = ev.run(rank_query(parsed))
        scores = scores[final]
        if named is not None and len(scores):
            scores = scores + NAMED_WEIGHT * float(scores.max()) * named[final]
        order = np.lexsort((final, -scores))  # best first, then docnum
        if collapse:  # the best section of each directive
            _, first = np.unique(cols.directive[final[order]], return_index=True)
            order = order[np.sort(first)]
        top = order[:max(limit, PROXIMITY_DEPTH)]
        scored = _add_proximity(ev, parsed, [(int(final[i]), float(scores[i])) for i in top])
        return [(cols.doc_id(docnum), round(score, 4)) for docnum, score in scored][:limit]
    # Newest (or oldest) first; ties by directive id, one entry per directive.
    order = np.lexsort((cols.ranks(final), cols.dates(final)))
    if sort != "date_asc":
        order = order[::-1]
    _, first = np.unique(cols.directive[final[order]], return_index=True)
    order = order[np.sort(first)][:limit]
    return [(cols.doc_id(int(final[i])), None) for i in order]


def _named_shares(cols, parsed: ParsedQuery) -> np.ndarray | None:
    """Per document, the share of a short query's words that name its signer
    or issuer (the best of the two), or None when the query names neither.

    A name counts when the query holds its end: the whole name, or a signer's
    given name ("Thắng"), or at least two syllables of an issuer ending with
    its place ("Dầu Tiếng"); words match as typed (analyzers.typed_matches).
    """
    if parsed.is_long:
        return None
    words = [s for item in parsed.items() if item.kind != "number" for s in item.content()]
    if parsed.relaxed:
        words = [analyzers.fold_token(w) for w in words]
    if not words:
        return None
    # A name is named by its end: only names whose last syllable is among the
    # words (marks aside, as typed_matches reads them) need a closer look.
    endings = {analyzers.fold_token(w) for w in words}
    best = None
    for name, least in (("signer", 1), ("issuer", 2)):
        column = FACETS[name].column
        shares = np.zeros(len(cols.labels[column]))
        for ordinal, label in enumerate(cols.labels[column]):
            syllables = label_syllables(label) if label else None
            if syllables and analyzers.fold_token(syllables[-1]) in endings:
                shares[ordinal] = _tail_named(words, syllables, least) / len(words)
        if shares.any():
            per_document = shares[cols.values[column]]
            best = per_document if best is None else np.maximum(best, per_document)
    return best


def _tail_named(words: list[str], name: list[str], least: int) -> int:
    """How many syllables of ``words``, side by side, spell the end of ``name``
    (at least ``least``, else 0)."""
    for size in range(min(len(words), len(name)), least - 1, -1):
        tail = name[-size:]
        if any(analyzers.typed_matches_all(words[i:i + size], tail) for i in range(len(words) - size + 1)):
            return size
    return 0


def _add_proximity(ev, parsed, scored: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Add the proximity boosts' score to the first PROXIMITY_DEPTH documents and re-sort them."""
    proximity = proximity_query(parsed)
    head, tail = scored[:PROXIMITY_DEPTH], scored[PROXIMITY_DEPTH:]
    if proximity is None or len(head) < 2:
        return scored
    _, extra = ev.run(proximity, within=np.array(sorted(docnum for docnum, _ in head), dtype=np.int64))
    head = [(docnum, score + float(extra[docnum])) for docnum, score in head]
    head.sort(key=lambda pair: -pair[1])
    return head + tail


def _section_hits(snap, scorer: SectionScorer | None, doc_ids: list[str], kinds: list[str] | None,
                  limit: int = SECTIONS_PER_RESULT) -> dict[str, list[tuple[int, float]]]:
    """Up to ``limit`` best-matching (section index, score) per directive, best
    first; a section's index is its place among the directive's sections, depth first."""
    if scorer is None:
        return {}
    todo = [doc_id for doc_id in dict.fromkeys(doc_ids) if doc_id not in scorer.known]
    if todo:
        # Every section of every directive asked about, scored at once from the index.
        groups = [snap.sections_of(doc_id) for doc_id in todo]
        docnums = np.concatenate(groups)
        order = np.argsort(docnums, kind="stable")
        ascending = docnums[order]
        ev = snap.evaluator(sections=True)

        def positions(field: str, term: str) -> np.ndarray:
            keys = ev.positions(field, term, ascending)
            rows = order[np.searchsorted(ascending, keys >> 32)].astype(np.int64)
            return np.sort((rows << 32) | (keys & 0xFFFFFFFF))

        scores = scorer.scores(len(docnums), lambda field, term: ev.frequencies(field, term, docnums), positions)
        start = 0
        for doc_id, group in zip(todo, groups):
            scorer.known[doc_id] = scores[start:start + len(group)]
            start += len(group)
    wanted = set(kinds) if kinds else None
    labels, values = snap.sections.labels["kind"], snap.sections.values["kind"]
    hits = {}
    for doc_id in doc_ids:
        section_kinds = [labels[v] for v in values[snap.sections_of(doc_id)].tolist()]
        hits[doc_id] = best_sections(scorer.known[doc_id], section_kinds, wanted, limit)
    return hits


def _rerank_by_best_section(ranked: list[tuple[str, float]], hits: dict,
                            named: dict[str, float] | None = None) -> list[tuple[str, float]]:
    """Re-order the first RERANK_DEPTH directives by their score plus their best
    section's: a directive that says it all in one place beats one that spreads
    the words over many pages. A directive whose signer or issuer the query
    names (``named``: share of the query) gets up to NAMED_WEIGHT more: the
    name is in no section."""
    head, tail = ranked[:RERANK_DEPTH], ranked[RERANK_DEPTH:]
    best = {doc_id: found[0][1] for doc_id, found in hits.items() if found}
    named = named or {}
    if len(head) < 2 or not (best or any(named.values())):
        return ranked
    top_doc = max(score for _, score in head) or 1.0
    top_section = max(best.values(), default=0.0) or 1.0
    combined = [(doc_id, round(score / top_doc + best.get(doc_id, 0.0) / top_section
                               + NAMED_WEIGHT * named.get(doc_id, 0.0), 4))
                for doc_id, score in head]
    combined.sort(key=lambda pair: -pair[1])
    return combined + tail


def _section_index(directive: dict) -> dict[str, dict]:
    """Section id -> section, depth first."""
    return {section["id"]: section for section, _ in sections_with_path(directive)}


def _chosen_sections(directive: dict, found: list[tuple[int, float]] | None) -> list[str]:
    """The ids of the sections _section_hits chose (by place, depth first)."""
    if not found:
        return []
    flat = list(_section_index(directive))
    return [flat[i] for i, _ in found if i < len(flat)]


def _first_sections(directive: dict, kinds: set[str] | None) -> list[str]:
    for section in _section_index(directive).values():
        if (kinds is None or section["kind"] in kinds) and section.get("text"):
            return [section["id"]]
    return []


def _hit(directive: dict, score, section_ids: list[str], terms) -> Hit:
    sections = _section_index(directive)
    shown = []
    for section_id in section_ids:
        section = sections.get(section_id)
        if section is None:
            continue
        shown.append(HitSection(
            id=section_id,
            kind=section["kind"],
            kind_label=SECTION_KIND_LABELS.get(section["kind"], section["kind"]),
            heading=section.get("heading") or "",
            number=section.get("number"),
            snippet=str(highlight.snippet(section.get("text") or section.get("heading") or "", terms)),
        ))
    return Hit(
        id=directive["id"],
        number=directive.get("number"),
        doc_type=directive.get("doc_type"),
        doc_type_label=directive.get("doc_type_label"),
        title=directive.get("title"),
        title_html=str(highlight.highlight(directive.get("title") or "", terms)),
        issuer=directive.get("issuer"),
        issued_date=directive.get("issued_date"),
        year=directive.get("year"),
        year_inferred=directive.get("year_inferred", False),
        score=score,
        sections=shown,
        place=directive.get("place"),
        signer={"name": (directive.get("signer") or {}).get("name"),
                "title": (directive.get("signer") or {}).get("title")},
    )


@dataclass
class _Match:
    """Which documents a request matches: the columns searched (directives, or
    sections with a section filter), their evaluator, the matching docnums,
    the filters and the docnums passing them; the query as answered, and
    "diacritics" when that is the query without its marks."""

    cols: object
    ev: object
    matched: np.ndarray
    filters: _Filters
    final: np.ndarray
    parsed: ParsedQuery
    relaxed: str | None = None


def _section_kinds(req: SearchRequest, parsed: ParsedQuery) -> list[str] | None:
    """The section kinds searched: the section filter's, or the query's muc: prefix."""
    return req.filters.get("section") or parsed.filters.get("section")


def _match(snap, req: SearchRequest, parsed: ParsedQuery) -> _Match:
    use_sections = bool(_section_kinds(req, parsed))
    cols = snap.sections if use_sections else snap.docs
    ev = snap.evaluator(sections=use_sections)
    filters = _Filters(req, cols, parsed.filters)
    matched = _matched(ev, cols, parsed)
    found = _Match(cols, ev, matched, filters, filters.keep(matched), parsed)
    if not len(found.final) and parsed.can_relax():
        # Nothing as typed: a mark typed wrong ("Dầu Tiềng" for Dầu Tiếng)
        # should not mean nothing at all. Answer without marks, and say so.
        loose = parsed.relax()
        matched = _matched(ev, cols, loose)
        final = filters.keep(matched)
        if len(final):
            found = _Match(cols, ev, matched, filters, final, loose, "diacritics")
    return found


def _order(snap, req: SearchRequest, parsed: ParsedQuery, cols, ev, final: np.ndarray, depth: int,
           scorer: SectionScorer | None) -> list[tuple[str, float | None]]:
    """The first ``depth`` (directive id, score) in the request's order."""
    sort = req.effective_sort()
    use_sections = bool(_section_kinds(req, parsed))
    rerank = (sort == "relevance" and not use_sections and not parsed.is_empty
              and parsed.word_count() <= RERANK_MAX_WORDS)
    named = _named_shares(cols, parsed) if sort == "relevance" else None
    ranked = _rank(ev, cols, parsed, final, sort, max(depth, RERANK_DEPTH) if rerank else depth,
                   collapse=use_sections, named=None if rerank else named)
    if rerank:
        # Re-ranking needs each directive's best section only; the page's
        # directives get their second one in run_search (the scorer keeps the scores).
        covered = list(dict.fromkeys(doc_id for doc_id, _ in ranked[:RERANK_DEPTH]))
        shares = None
        if named is not None:
            shares = {cols.doc_id(d): float(named[d]) for d in np.flatnonzero(named)}
        ranked = _rerank_by_best_section(ranked, _section_hits(snap, scorer, covered, None, limit=1), shares)
    return ranked


def ranked_directives(snap, req: SearchRequest, limit: int) -> tuple[int, list[tuple[str, float | None]]]:
    """How many directives match, and the first ``limit`` of them as (id, score)
    in the order the result pages show them (exports and feeds: no facets, no snippets)."""
    parsed = req.parsed if req.parsed is not None else parse_query(req.q)
    req = _with_index_spelling(req, snap.docs)
    match = _match(snap, req, parsed)
    scorer = None if match.parsed.is_empty else SectionScorer(match.parsed)
    ranked = _order(snap, req, match.parsed, match.cols, match.ev, match.final, limit, scorer)
    return distinct_count(match.cols.directive[match.final]), ranked[:limit]


def run_search(snap, req: SearchRequest) -> SearchResult:
    """Search the snapshot's index; see the module docstring for what comes back."""
    parsed = req.parsed if req.parsed is not None else parse_query(req.q)
    req = _with_index_spelling(req, snap.docs)
    sort = req.effective_sort()
    section_kinds = _section_kinds(req, parsed)
    use_sections = bool(section_kinds)
    match = _match(snap, req, parsed)
    cols, ev, matched, filters, final, parsed = (match.cols, match.ev, match.matched, match.filters,
                                                 match.final, match.parsed)
    total = distinct_count(cols.directive[final])
    pages = max(1, -(-total // req.per_page))
    if req.page > pages:
        raise PageOutOfRange(req.page, pages)
    links = _Links(req)
    facets = _facet_counts(req, cols, filters, matched, skip_section=not use_sections)
    if not use_sections:
        facets["section"] = _section_facet(snap, req, parsed, cols.directive[final])
    facets = {name: facets[name] for name in FACETS}
    facet_sizes = {name: len(entries) for name, entries in facets.items()}
    timeline = _timeline(req, facets["year"], links)
    facets = _capped(req, facets, links)

    offset = (req.page - 1) * req.per_page
    depth = offset + req.per_page
    # One scorer for the request: it remembers each section's score, so the
    # page's directives are not scored twice after the re-ranking.
    scorer = None if parsed.is_empty else SectionScorer(parsed)
    ranked = _order(snap, req, parsed, cols, ev, final, depth, scorer)[offset:depth]
    page_ids = [doc_id for doc_id, _ in ranked]
    directives = snap.store.shared_many(page_ids)
    hits = _section_hits(snap, scorer, page_ids, section_kinds)
    terms = parsed.highlight_terms()
    results = []
    for doc_id, score in ranked:
        directive = directives.get(doc_id)
        if directive is None:  # removed between matching and reading
            continue
        section_ids = _chosen_sections(directive, hits.get(doc_id)) or _first_sections(
            directive, set(section_kinds) if section_kinds else None)
        results.append(_hit(directive, score, section_ids, terms))

    return SearchResult(
        request=req, total=total, pages=pages, sort=sort, relaxed=match.relaxed, hits=results,
        facets=facets, facet_sizes=facet_sizes, timeline=timeline, active_filters=active_filters(req, links),
        suggestions=_suggestions(snap, req, parsed, links) if total == 0 else [],
    )


def _section_facet(snap, req, parsed, directives: np.ndarray) -> list[dict]:
    """Section kinds in which the matched directives (ordinals) have a matching section."""
    cols = snap.sections
    wanted = np.zeros(snap.directive_count, dtype=bool)
    wanted[directives] = True
    docnums = _matched(snap.evaluator(sections=True), cols, parsed)
    docnums = docnums[wanted[cols.directive[docnums]]]
    facet = FACETS["section"]
    return facet.values(req.filters.get("section", []), cols.labels[facet.column], facet.count(cols, docnums))


def _vn_day(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def active_filters(req: SearchRequest, links: _Links) -> list[ActiveFilter]:
    """One removable chip per filter value (a range is one chip): what it says and the search without it."""
    chips = []
    for name in FACETS:
        for value in req.filters.get(name, []):
            chips.append(ActiveFilter(name, value, f"{FACETS[name].title}: {FACETS[name].label(value)}",
                                      links.toggle(name, value)))
    for low_name, high_name, title, show in (("year_from", "year_to", "Năm", str), ("date_from", "date_to", "Ngày", _vn_day)):
        low, high = getattr(req, low_name), getattr(req, high_name)
        if low is None and high is None:
            continue
        if low is not None and high is not None:
            label = f"{title}: {show(low)} – {show(high)}"
        else:
            label = f"{title}: {'từ ' + show(low) if low is not None else 'đến ' + show(high)}"
        chips.append(ActiveFilter(low_name.split("_")[0] + "_range", [low and str(low), high and str(high)],
                                  label, links.without(low_name, high_name)))
    return chips


#: The timeline spans at most this many years (the newest ones).
TIMELINE_MAX_YEARS = 40


def _timeline(req: SearchRequest, years: list[dict], links: _Links) -> list[TimelineYear]:
    """Matching directives per year, oldest first, every year between the first and
    the last (zero bars too), each with this search narrowed to that year alone
    (other year and date filters dropped)."""
    counts = {int(e["value"]): e["count"] for e in years if e["count"]}
    if not counts:
        return []
    last = max(counts)
    first = max(min(counts), last - TIMELINE_MAX_YEARS + 1)
    kept = links.without("year", "year_from", "year_to", "date_from", "date_to")
    selected = set(req.filters.get("year", []))
    return [TimelineYear(year, counts.get(year, 0), year in selected, kept + [("year", str(year))])
            for year in range(first, last + 1)]


# Zero results: what to try instead.

def _suggestions(snap, req: SearchRequest, parsed: ParsedQuery, links: _Links) -> list[Suggestion]:
    suggestions = []
    for name, values in req.filters.items():
        for value in values:
            suggestions.append(Suggestion("drop_filter", f"Bỏ lọc {FACETS[name].label(value)}",
                                          links.toggle(name, value)))
    for low, high, label in (("year_from", "year_to", "Bỏ lọc khoảng năm"), ("date_from", "date_to", "Bỏ lọc khoảng ngày")):
        if getattr(req, low) is not None or getattr(req, high) is not None:
            suggestions.append(Suggestion("drop_filter", label, links.without(low, high)))
    corrected = _corrected_query(snap, req.q)
    if corrected and corrected != req.q:
        suggestions.append(Suggestion("spelling", corrected, [("q", corrected)] + links.without("q"), corrected))
    return suggestions


#: Bounds on what one request may spend on did-you-mean: an edit-distance
#: search per unknown word costs up to tens of milliseconds on a large
#: vocabulary, and a pasted page of unknown words must not hold a worker.
SPELLING_MAX_WORDS = 8
SPELLING_BUDGET_S = 0.25


def _corrected_query(snap, q: str, budget_s: float | None = None) -> str | None:
    """The query with its words restored to spellings the index knows: marks
    added to words typed without them, close misspellings corrected; None (no
    suggestion) when nothing better is found.

    Each word keeps up to SPELLING_CANDIDATES spellings from the index's own
    vocabulary (a syllable typed with marks keeps them: it is corrected only
    when the index does not have it); the suggestion is the sequence whose
    neighbouring words the index writes side by side most often, and a word is
    changed only when a neighbour vouches for it that way ("phong chng dich"
    -> "phòng chống dịch", not "phong công dịch"). A lone unknown word is
    corrected on its own. None when more than SPELLING_MAX_WORDS words are
    unknown or the budget (``budget_s``, else SPELLING_BUDGET_S) runs out.
    """
    if not q:
        return None
    deadline = time.monotonic() + (SPELLING_BUDGET_S if budget_s is None else budget_s)
    reader = snap.searcher.reader()
    corrector = None
    words = q.split()
    options: list[list[str] | None] = []  # per word: its candidates, typed form first when known; None: left alone
    unknown = 0
    for word in words:
        if time.monotonic() > deadline:
            return None
        lower = analyzers.normalize(word).lower()
        if lower in ("or",) or not any(c.isalpha() for c in lower) or "/" in lower or len(analyzers.syllables(lower)) != 1:
            options.append(None)
            continue
        known = reader.doc_frequency("body", lower) > 0
        found = [lower] if known else []
        restored = snap.spelling(analyzers.fold(lower))
        if not analyzers.has_diacritics(lower) and restored:
            found.append(restored)  # marks restored: the likeliest reading of a word typed without them
        if not found:
            unknown += 1
            if unknown > SPELLING_MAX_WORDS:
                return None
            corrector = corrector or snap.searcher.corrector("body")
            # Whoosh ranks candidates by frequency alone: look one edit away first.
            candidates = corrector.suggest(lower, limit=10, maxdist=1)
            if not candidates and time.monotonic() < deadline:
                candidates = corrector.suggest(lower, limit=10, maxdist=2)
            # Closest letters first (marks aside: a word typed without them
            # lacks marks, not letters), a letter left out before one typed
            # wrong, then the closest spelling, then the commoner.
            typed = analyzers.fold(lower)
            found = sorted(candidates, key=lambda c: (_edit_distance(typed, analyzers.fold(c)),
                                                      not _left_out(typed, analyzers.fold(c)),
                                                      _edit_distance(lower, c), abs(len(c) - len(lower)),
                                                      -reader.doc_frequency("body", c)))
        options.append(list(dict.fromkeys(found))[:SPELLING_CANDIDATES] or None)
    chosen = _best_sequence(snap, words, options, deadline)
    if chosen is None or chosen == words or time.monotonic() > deadline:
        return None
    # A suggestion that finds nothing either is no help (a name the index
    # does not have: "học bổng du học Nhật Bản").
    suggestion = " ".join(chosen)
    return suggestion if len(snap.evaluator().docs(match_query(parse_query(suggestion)))) else None


#: Spellings weighed per word of a did-you-mean (each adds phrase look-ups).
SPELLING_CANDIDATES = 4


def _best_sequence(snap, words: list[str], options: list[list[str] | None], deadline: float) -> list[str] | None:
    """The words with each replaced by the candidate that makes the most pairs
    the index writes side by side (ties: the earlier candidate); a changed word
    no neighbour vouches for is put back as typed. None when out of time."""
    ev = snap.evaluator()
    pair_seen: dict[tuple[str, str], bool] = {}

    def side_by_side(a: str, b: str) -> bool:
        if (a, b) not in pair_seen:
            pair_seen[(a, b)] = bool(len(ev.docs(wq.Phrase("body", [a, b]))))
        return pair_seen[(a, b)]

    # Best (pairs found, -candidate ranks) ending in each candidate of each word, left to right.
    best: list[dict[str, tuple[tuple[int, int], list[str]]]] = []
    for i, (word, found) in enumerate(zip(words, options)):
        here = {}
        for rank, candidate in enumerate(found or [word]):
            if time.monotonic() > deadline:
                return None
            entries = []
            for previous, (score, path) in (best[-1].items() if best else [(None, ((0, 0), []))]):
                linked = found is not None and options[i - 1] is not None and previous is not None \
                    and side_by_side(previous, candidate)
                entries.append(((score[0] + linked, score[1] - rank), path + [candidate]))
            here[candidate] = max(entries, key=lambda e: e[0])
        best.append(here)
    _, chosen = max(best[-1].values(), key=lambda e: e[0]) if best else ((0, 0), [])
    if len(words) == 1:
        return chosen
    vouched = [options[i] is not None and (
        i > 0 and options[i - 1] is not None and side_by_side(chosen[i - 1], chosen[i])
        or i + 1 < len(words) and options[i + 1] is not None and side_by_side(chosen[i], chosen[i + 1]))
        for i in range(len(words))]
    return [c if vouched[i] and c != analyzers.normalize(w).lower() else w for i, (w, c) in enumerate(zip(words, chosen))]


def _left_out(typed: str, word: str) -> bool:
    """Whether ``typed`` is ``word`` with letters left out ("chng" of "chong")."""
    letters = iter(word)
    return all(c in letters for c in typed)


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
