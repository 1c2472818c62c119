"""The OpenAPI 3 description of /api/v1, kept next to the code it describes.

Tests validate real responses against these schemas, so a key added to a
response without being described here (or described but missing) is caught.

    openapi_document()["paths"]["/api/v1/search"]
"""

from __future__ import annotations

import corpus
from corpus.model import SECTION_KIND_LABELS
from search_app.export import COLUMNS as EXPORT_COLUMNS
from search_app.export import EXPORT_LIMIT, RECORD_KEYS as EXPORT_RECORD_KEYS
from search_app.export import FORMATS as EXPORT_FORMATS
from search_app.feeds import FEED_ENTRIES
from searcher.suggest import DEFAULT_LIMIT as SUGGEST_DEFAULT, MAX_ISSUERS
from searcher.suggest import MAX_LIMIT as SUGGEST_MAX, MAX_QUERY_CHARS as SUGGEST_MAX_CHARS
from searcher.facets import FACETS
from searcher.search import FACET_LIMIT, FACET_MORE_LIMIT, MAX_PAGE, MAX_PER_PAGE, SORTS

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_NINT = {"type": ["integer", "null"]}


def _obj(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required}


FACET_VALUE = _obj({
    "value": {"type": ["string", "integer"]},
    "label": _STR,
    "count": {"type": "integer", "minimum": 0},
    "selected": {"type": "boolean"},
    "toggle_url": _STR,
})

RESULT_SECTION = _obj({
    "id": _STR, "kind": {"type": "string", "enum": list(SECTION_KIND_LABELS)}, "kind_label": _STR,
    "heading": _STR, "number": _NSTR,
    "snippet": {"type": "string", "description": "HTML-escaped text; <mark> around matched words"},
    "url": _STR,
})

RESULT = _obj({
    "id": _STR, "number": _NSTR, "doc_type": _NSTR, "doc_type_label": _NSTR, "title": _STR,
    "title_html": _STR, "issuer": _NSTR, "issued_date": _NSTR, "year": _NINT,
    "year_inferred": {"type": "boolean"}, "url": _STR,
    "score": {"type": ["number", "null"],
              "description": "Relevance of this result to the query (BM25F over the directive, plus "
                             "boosts for nearby words and the best-matching section). Only the order "
                             "matters: scores compare results within one response, never across queries "
                             "or pages. null when the results are sorted by date or there is no query."},
    "sections": {"type": "array", "items": {"$ref": "#/components/schemas/ResultSection"}},
    "place": {"type": ["string", "null"], "description": "Where it was issued (the locality before the date)"},
    "signer": _obj({"name": _NSTR, "title": _NSTR}, required=["name", "title"]),
})

SUGGESTION = _obj({"type": {"type": "string", "enum": ["drop_filter", "spelling"]}, "label": _STR,
                   "url": _STR, "query": _STR}, required=["type", "label", "url"])

ACTIVE_FILTER = _obj({
    "name": {"type": "string", "description": "The parameter (year_range and date_range for the ranges)"},
    "value": {"type": ["string", "integer", "array"]},
    "label": {"type": "string", "description": "What the chip says, in Vietnamese"},
    "remove_url": _STR,
})

TIMELINE_YEAR = _obj({"year": {"type": "integer"}, "count": {"type": "integer", "minimum": 0},
                      "selected": {"type": "boolean"},
                      "url": {"type": "string", "description": "This search narrowed to that year alone"}})

SUGGEST_RESPONSE = _obj({
    "ok": {"type": "boolean", "const": True},
    "query": _STR,
    "suggestions": {"type": "array", "items": _obj({
        "type": {"type": "string", "enum": ["number", "issuer", "title"]},
        "label": {"type": "string", "description": "What the list shows"},
        "value": {"type": "string", "description": "The number, issuer or title itself"},
        "detail": {"type": "string", "description": "A second line: the title, the type and year, or the count"},
        "url": {"type": "string", "description": "The directive's page, or for an issuer the search filtered by it"},
    })},
})

PAGE_LINK = _obj({"page": {"type": "integer"}, "url": _STR, "current": {"type": "boolean"}})

SEARCH_RESPONSE = _obj({
    "ok": {"type": "boolean", "const": True},
    "query": _STR,
    "total": {"type": "integer", "minimum": 0},
    "page": {"type": "integer", "minimum": 1},
    "per_page": {"type": "integer", "minimum": 1},
    "pages": {"type": "integer", "minimum": 1},
    "sort": {"type": "string", "enum": list(SORTS)},
    "relaxed": {"type": ["string", "null"], "enum": ["diacritics", None],
                "description": "\"diacritics\" when nothing matched the marks as typed and the "
                               "results match the query without its marks; else null"},
    "filters": {"type": "object"},
    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
    "facets": _obj({name: {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
                    for name in FACETS}),
    "suggestions": {"type": "array", "items": {"$ref": "#/components/schemas/Suggestion"}},
    "active_filters": {"type": "array", "items": {"$ref": "#/components/schemas/ActiveFilter"},
                       "description": "One entry per filter value (a year or date range is one), "
                                      "with the URL of this search without it"},
    "clear_filters_url": {"type": "string", "description": "This search (query, sort) without any filter"},
    "facet_sizes": _obj({name: {"type": "integer", "minimum": 0} for name in FACETS})
    | {"description": f"How many values each facet has; facets lists the first {FACET_LIMIT} "
                      f"(more=<facet>: up to {FACET_MORE_LIMIT})"},
    "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/TimelineYear"},
                 "description": "Matching directives per year, oldest first, every year between the first "
                                "and the last (other filters applied, the year filters not)"},
    "url": _STR,
    "links": _obj({"self": _STR, "first": _STR, "prev": _NSTR, "next": _NSTR, "last": _STR,
                   "pages": {"type": "array", "items": {"$ref": "#/components/schemas/PageLink"}}}),
})

SECTION = _obj({
    "id": _STR, "kind": {"type": "string", "enum": list(SECTION_KIND_LABELS)}, "number": _NSTR,
    "heading": {"type": "string", "description": "The document's own heading; empty for a numbered paragraph "
                                                 "that is a sentence, the căn cứ and the closing paragraphs"},
    "text": _STR,
    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Section"}},
    "marker": {"type": "string", "description": "The number as written (\"II.\", \"Điều 5.\", \"2)\", "
                                                "\"a)\"); absent in indexes built before it existed"},
}, required=["id", "kind", "number", "heading", "text", "children"])

REFERENCE = _obj({"doc_type": _NSTR, "number": _NSTR, "date": _NSTR, "issuer": _NSTR, "text": _STR})

BRIEF = _obj({"id": _STR, "number": _NSTR, "doc_type_label": _NSTR, "title": _NSTR,
              "issued_date": _NSTR, "year": _NINT, "url": _STR})

DIRECTIVE = _obj({
    "id": _STR, "number": _NSTR, "doc_type": _NSTR, "doc_type_label": _NSTR, "title": _STR,
    "issuer": _NSTR, "place": _NSTR, "issued_date": _NSTR, "year": _NINT,
    "year_inferred": {"type": "boolean"},
    "signer": _obj({"name": _NSTR, "title": _NSTR}, required=["name", "title"]),
    "recipients": {"type": "array", "items": _STR},
    "references": {"type": "array", "items": {"$ref": "#/components/schemas/Reference"}},
    "sections": {"type": "array", "items": {"$ref": "#/components/schemas/Section"}},
    "source": _STR, "content_hash": _STR,
    "signer_on_behalf_of": _NSTR,
    # True when the text was recognised from a scan (OCR); absent in indexes built before it existed.
    "ocr": {"type": "boolean"},
    "fingerprint": {"type": "string",
                    "description": "sha256 of the text ignoring case and spaces: what identifies a directive "
                                   "without a number (its id keeps the first characters)"},
    "signature": {"type": "array", "items": _STR,
                  "description": "The signature block's lines as written (\"TM. ỦY BAN NHÂN DÂN\", "
                                 "\"KT. CHỦ TỊCH\", title, name); absent in indexes built before it existed"},
    "warnings": {"type": "array", "items": _STR},
    "url": _STR,
    "original": {"type": ["object", "null"],
                 "description": "The file the directive was read from, to download; null for a JSONL record "
                                "or a file no longer in the corpus",
                 "properties": {"url": _STR, "name": _STR, "size": {"type": "integer"}, "media_type": _STR,
                                "label": _STR},
                 "required": ["url", "name", "size", "media_type", "label"]},
    "related": _obj({"citing": {"type": "array", "items": {"$ref": "#/components/schemas/Brief"}},
                     "implementing_same": {"type": "array", "items": {"$ref": "#/components/schemas/Brief"}},
                     "similar": {"type": "array", "items": {"$ref": "#/components/schemas/Brief"},
                                 "description": "Most similar by content (shared characteristic words), "
                                                "most similar first; none of citing or implementing_same"}}),
}, required=["id", "number", "doc_type", "doc_type_label", "title", "issuer", "place", "issued_date",
             "year", "year_inferred", "signer", "recipients", "references", "sections", "source",
             "content_hash", "warnings", "url"])

UPLOADED = _obj({
    "ok": {"type": "boolean", "const": True}, "id": _STR, "source": _STR, "url": _STR, "api_url": _STR,
    "replaced": {"type": "boolean"}, "warnings": {"type": "array", "items": _STR},
    "generation": _STR, "directives": {"type": "integer", "minimum": 0},
})

REMOVED = _obj({
    "ok": {"type": "boolean", "const": True}, "id": _STR, "removed": {"type": "boolean"}, "source": _STR,
    "upload_deleted": {"type": "boolean"}, "note": _NSTR,
})

STATUS = _obj({
    "ok": {"type": "boolean", "const": True}, "generation": _STR, "schema_version": {"type": "integer"},
    "built_at": _NSTR, "directives": {"type": "integer", "minimum": 0}, "sections": {"type": "integer", "minimum": 0},
    "corpus": _NSTR,
    "skipped": {"type": "array", "items": {"type": "object"}},
    "refused": {"anyOf": [{"type": "null"}, _obj({"generation": _NSTR, "problem": _STR})]},
    "read_only": {"type": "boolean"},
})

ERROR = _obj({
    "ok": {"type": "boolean", "const": False},
    "error": {"type": "string", "description": "What went wrong, in English"},
    "status": {"type": "integer"},
    "code": {"type": "string", "pattern": "^[a-z_]+$",
             "description": "Stable machine code to switch on: invalid_parameter, unauthorized, forbidden, "
                            "not_found, page_out_of_range, method_not_allowed, payload_too_large, "
                            "internal_error, index_unavailable, index_busy, index_read_only, insufficient_storage; "
                            "more may be added"},
    "message": {"type": "string", "description": "What went wrong, in Vietnamese, for people"},
})


# A search form sends its empty fields ("?q=dân+vận&year=&sort="): an empty
# value is the same as leaving the parameter out, and a blank filter value too.
_EMPTY = {"type": "string", "maxLength": 0}
_BLANK = {"type": "string", "pattern": r"^\s*$"}
#: A day as the date filters read it (search.parse_date): yyyy-mm-dd or dd/mm/yyyy (leading
#: zeros optional). The pattern leaves out 29 February, which is read in leap years only.
_YEAR = r"(?!0000)[0-9]{4}"
_ISO_DAY = r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
_VN_DAY = r"(?:(?:0?[1-9]|1[0-9]|2[0-8])/(?:0?[1-9]|1[0-2])|(?:29|30)/(?:0?[13-9]|1[0-2])|31/(?:0?[13578]|1[02]))"
_DAY = rf"^\s*(?:{_YEAR}-{_ISO_DAY}|{_VN_DAY}/{_YEAR})?\s*$"


def _multi(name: str, description: str, schema: dict | None = None) -> dict:
    items = {"anyOf": [schema, _BLANK]} if schema else _STR
    return {"name": name, "in": "query", "required": False,
            "description": description + "; repeat for several (any of them); blank values are ignored",
            "schema": {"type": "array", "items": items}, "style": "form", "explode": True}


def _param(name: str, description: str, schema: dict) -> dict:
    if schema.get("type") != "string" or "enum" in schema:
        schema = {"anyOf": [schema, _EMPTY]}
        description += "; empty means the default"
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _error_responses(*codes: int) -> dict:
    text = {400: "Bad parameter, or a file that cannot be parsed", 401: "Missing or wrong admin token",
            403: "Read-only server: no admin token configured", 404: "Unknown id, or a page past the last",
            413: "File too large", 503: "No index to serve, or another indexer is writing; the message says",
            507: "No space left on the index's disk; nothing was changed"}
    return {str(c): {"description": text[c], "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}} for c in codes}


def _search_filters() -> list[dict]:
    """The parameters that choose which directives match (the search and its feed)."""
    return [
        _param("q", "Query: words (a syllable typed with marks matches only that syllable, one "
                    "typed without marks every spelling of it), \"phrases\", -exclusions, OR, "
                    "document numbers (also in part: 655/KH), and field prefixes so:, loai:, coquan:, "
                    "nguoiky:, nam:, muc:, trichyeu: (each like its filter)",
               {"type": "string", "maxLength": 1000}),
        _multi("doc_type", "Document type slug; like section, a value outside the list is "
                           "a 400 (invalid_parameter), not an empty result",
               {"type": "string", "enum": list(corpus.DOC_TYPES)}),
        _multi("issuer", "Issuing body, as in the facet values (marks optional)"),
        _multi("year", "Year", {"type": "integer", "minimum": 1, "maximum": 9999}),
        _param("year_from", "First year of a range", {"type": "integer", "minimum": 1, "maximum": 9999}),
        _param("year_to", "Last year of a range", {"type": "integer", "minimum": 1, "maximum": 9999}),
        _param("date_from", "First day of the issue dates, as yyyy-mm-dd or dd/mm/yyyy; a directive "
                            "known only by its year matches when that year overlaps the range",
               {"type": "string", "pattern": _DAY}),
        _param("date_to", "Last day of the issue dates, as yyyy-mm-dd or dd/mm/yyyy",
               {"type": "string", "pattern": _DAY}),
        _multi("section", "Section kind", {"type": "string", "enum": list(SECTION_KIND_LABELS)}),
        _multi("signer", "Signer's name (marks optional)"),
    ]


def _html_errors(*codes: int) -> dict:
    """Errors of the pages outside /api/: the Vietnamese error page."""
    text = {400: "Bad parameter (a Vietnamese page saying which)", 503: "No index to serve"}
    return {str(c): {"description": text[c], "content": {"text/html": {"schema": _STR}}} for c in codes}


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Vietnamese directive search", "version": "1.0.0",
                 "description": "Search Vietnamese administrative directives (kế hoạch, hướng dẫn, chỉ thị, …)."},
        "paths": {
            "/api/v1/search": {"get": {
                "operationId": "search",
                "summary": "Search directives, with facets",
                "parameters": [
                    *_search_filters(),
                    _param("sort", "Order of results (default: relevance with a query, newest first without)",
                           {"type": "string", "enum": list(SORTS)}),
                    _param("more", "A facet to list in full (up to "
                                   f"{FACET_MORE_LIMIT} values instead of {FACET_LIMIT})",
                           {"type": "string", "enum": list(FACETS)}),
                    _param("page", "Page number; a page past the last is a 404 (page_out_of_range)",
                           {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
                    _param("per_page", "Results per page",
                           {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}),
                    _param("format", f"json (default): one page of results; csv, xlsx or jsonl: a file of "
                                     f"every match, at most {EXPORT_LIMIT}, with the same filters and sort "
                                     f"(page and per_page are ignored). CSV is UTF-8 with a BOM; CSV and XLSX "
                                     f"have the columns {', '.join(h for h, _ in EXPORT_COLUMNS.values())}",
                           {"type": "string", "enum": ["json", *EXPORT_FORMATS]}),
                ],
                "responses": {
                    "200": {"description": "Results: JSON, or the file asked for with format",
                            "headers": {
                                "X-Total-Count": {"description": "Exports: how many directives matched",
                                                  "schema": {"type": "integer"}},
                                "X-Export-Limit": {"description": "Exports: the most rows a file holds",
                                                   "schema": {"type": "integer"}}},
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}},
                                "text/csv": {"schema": {"type": "string"}},
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                    "schema": {"type": "string", "format": "binary"}},
                                "application/x-ndjson": {"schema": {"type": "string",
                                    "description": "One JSON object per line: " + ", ".join(EXPORT_RECORD_KEYS)}},
                            }},
                    **_error_responses(400, 404, 503),
                },
            }},
            "/api/v1/suggest": {"get": {
                "operationId": "suggest",
                "summary": "Autocomplete: document numbers, issuers and titles beginning with what was typed",
                "description": "Diacritics optional (\"655/kh\", \"phong giao duc\"); words of a title or an "
                               "issuer match from any word's start. Numbers first (newest first), then at most "
                               f"{MAX_ISSUERS} issuers (their url filters the search), then titles.",
                "parameters": [
                    _param("q", "What was typed so far; empty gives no suggestions",
                           {"type": "string", "maxLength": SUGGEST_MAX_CHARS}),
                    _param("limit", f"How many suggestions at most (default {SUGGEST_DEFAULT})",
                           {"type": "integer", "minimum": 1, "maximum": SUGGEST_MAX}),
                ],
                "responses": {
                    "200": {"description": "Suggestions", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/SuggestResponse"}}}},
                    **_error_responses(400, 503),
                },
            }},
            "/api/v1/documents": {"post": {
                "operationId": "uploadDocument",
                "summary": "Add or replace a document file (admin token required)",
                "security": [{"adminToken": []}],
                "parameters": [{"name": "filename", "in": "query", "required": True,
                                "description": "Plain file name ending in .txt, .html or .htm",
                                "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": {
                    "text/plain": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": {
                    "201": {"description": "Indexed and searchable", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Uploaded"}}}},
                    **_error_responses(400, 401, 403, 413, 503, 507),
                },
            }},
            "/api/v1/documents/{doc_id}": {
                "get": {
                    "operationId": "getDocument",
                    "summary": "One directive as parsed, plus its URL and related directives",
                    "parameters": [{"name": "doc_id", "in": "path", "required": True, "schema": _STR}],
                    "responses": {
                        "200": {"description": "The directive", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Directive"}}}},
                        "308": {"description": "An earlier id of the directive, or its id in another case "
                                               "or with a trailing slash: Location is its URL now"},
                        **_error_responses(404, 503),
                    },
                },
                "delete": {
                    "operationId": "removeDocument",
                    "summary": "Remove a directive from the index (admin token required)",
                    "security": [{"adminToken": []}],
                    "parameters": [{"name": "doc_id", "in": "path", "required": True, "schema": _STR}],
                    "responses": {
                        "200": {"description": "Removed", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Removed"}}}},
                        **_error_responses(401, 403, 404, 503),
                    },
                },
            },
            "/api/v1/status": {"get": {
                "operationId": "status",
                "summary": "The generation served, its counts, the last build's skipped files, "
                           "and a newer generation refused as damaged",
                "responses": {
                    "200": {"description": "Status", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Status"}}}},
                    **_error_responses(503),
                },
            }},
            "/feed.atom": {"get": {
                "operationId": "feed",
                "summary": "Atom feed of a search: its newest directives, newest first",
                "description": f"The {FEED_ENTRIES} newest directives matching the same parameters as the "
                               "search, each with its link and a snippet (HTML, matched words in <mark>). "
                               "Without parameters: every new directive.",
                "parameters": _search_filters(),
                "responses": {
                    "200": {"description": "Atom 1.0 (RFC 4287)", "content": {
                        "application/atom+xml": {"schema": _STR}}},
                    **_html_errors(400, 503),
                },
            }},
            "/opensearch.xml": {"get": {
                "operationId": "openSearchDescription",
                "summary": "OpenSearch 1.1 description: lets a browser search directives from its address bar",
                "responses": {"200": {"description": "OpenSearch description document", "content": {
                    "application/opensearchdescription+xml": {"schema": _STR}}}},
            }},
            "/api/v1/openapi.json": {"get": {
                "operationId": "openapi",
                "summary": "This description",
                "responses": {"200": {"description": "OpenAPI document",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }},
        },
        "components": {
            "securitySchemes": {"adminToken": {"type": "http", "scheme": "bearer",
                                               "description": "The server's VBSEARCH_ADMIN_TOKEN"}},
            "schemas": {
                "SearchResponse": SEARCH_RESPONSE, "Result": RESULT, "ResultSection": RESULT_SECTION,
                "FacetValue": FACET_VALUE, "Suggestion": SUGGESTION, "PageLink": PAGE_LINK,
                "ActiveFilter": ACTIVE_FILTER, "TimelineYear": TIMELINE_YEAR, "SuggestResponse": SUGGEST_RESPONSE,
                "Directive": DIRECTIVE, "Section": SECTION, "Reference": REFERENCE, "Brief": BRIEF,
                "Uploaded": UPLOADED, "Removed": REMOVED, "Status": STATUS, "Error": ERROR,
            },
        },
    }
