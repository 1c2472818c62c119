"""The versioned JSON API (/api/v1/): search (also as CSV, XLSX, JSON Lines), suggestions, documents, and its OpenAPI description.

Keys are a public contract: added, never renamed. The search answer is the
same dict the HTML page renders, for the same GET parameters. Browsers on the
configured CORS_ORIGINS may call it.

    GET /api/v1/search?q=phong+chong+dich&year=2022
    GET /api/v1/search?q=phong+chong+dich&format=xlsx
    GET /api/v1/suggest?q=655/
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify, request

from search_app import documents, errors, export, permalinks, served
from search_app.errors import ApiError
from search_app.openapi import openapi_document
from search_app.results import document_url, search_body, suggestion_body
from searcher import suggest
from searcher.index import stats
from searcher.search import SearchRequest, run_search

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.after_request
def cors(response):
    origin = request.headers.get("Origin")
    if origin and origin in current_app.config["CORS_ORIGINS"]:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
        response.vary.add("Origin")
    return response


@bp.get("/search")
def search():
    req = SearchRequest.from_params(request.args, current_app.config["MAX_PER_PAGE"])
    fmt = export.requested_format(request.args)
    with served.evaluating():
        if fmt:  # every match as a file, not one page
            return export.export_response(served.snapshot(), req, fmt)
        result = run_search(served.snapshot(), req)
    return jsonify(search_body(result, "api.search"))


@bp.get("/suggest")
def suggest_():
    """What the search box offers as the user types: numbers, issuers, titles."""
    typed = request.args.get("q", "")
    limit = request.args.get("limit", "")
    if len(typed) > suggest.MAX_QUERY_CHARS:
        raise ApiError(f"q: at most {suggest.MAX_QUERY_CHARS} characters", status=400,
                       message_vi=f"Gợi ý: tối đa {suggest.MAX_QUERY_CHARS} ký tự.")
    if limit.strip():
        try:
            number = float(limit)  # "2.0" is an integer to JSON Schema
            count = int(number) if number.is_integer() else 0
        except (ValueError, OverflowError):
            count = 0
        if not 1 <= count <= suggest.MAX_LIMIT:
            raise ApiError(f"limit must be an integer from 1 to {suggest.MAX_LIMIT} (got {limit!r})", status=400,
                           message_vi=f"Số gợi ý phải là số nguyên từ 1 đến {suggest.MAX_LIMIT} (nhận được «{limit}»).")
    else:
        count = suggest.DEFAULT_LIMIT
    found = suggest.suggestions(served.snapshot(), typed, count)
    return jsonify({"ok": True, "query": typed, "suggestions": suggestion_body(found)})


@bp.get("/documents/<doc_id>")
def document(doc_id):
    snap = served.snapshot()
    directive = snap.store.get(doc_id)
    if directive is None:  # an earlier id or another case: a permanent redirect, else 404
        return permalinks.redirect_or_404(doc_id, "api.document")
    with served.evaluating():  # the similar directives among them are a search
        related = documents.related(snap, directive)
    return jsonify({**directive, "url": document_url(doc_id),
                    "related": related,
                    "original": documents.original_link(snap, directive)})


@bp.get("/status")
def status():
    """What is served: generation, counts, the last build and its skipped files, a refused generation."""
    snap = served.snapshot()
    state = served.handle().status()
    manifest = snap.generation.manifest
    corpus_dir = manifest.get("corpus")
    refused = state["refused"]
    served_stats = stats(snap)
    return jsonify({
        "ok": True,
        "generation": served_stats.generation,
        "schema_version": served_stats.schema_version,
        "built_at": served_stats.built_at,
        "directives": served_stats.directives,
        "sections": served_stats.sections,
        "corpus": Path(corpus_dir).name if corpus_dir else None,
        "skipped": manifest.get("skipped", []),
        "refused": ({"generation": refused["generation"], "problem": errors.public_message(refused["problem"])}
                    if refused else None),
        "read_only": not current_app.config.get("ADMIN_TOKEN"),
    })


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
