"""Document links that keep working: an earlier id, another case or a trailing slash redirects permanently.

Ids never change once given (indexer/ids.py), but links written before that,
typed by hand or copied with a slash still reach the directive:
``/documents/655-KH-PGDDT-2021``, ``/documents/655-kh-pgddt-2021/`` and the
id an index before schema 2 gave it answer 301 (308 under /api/, which keeps
the method) to the canonical URL, with the query string kept.

    return permalinks.redirect_or_404(doc_id, "views.document_page")
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, redirect, request, url_for

from search_app import served
from search_app.errors import ApiError

bp = Blueprint("permalinks", __name__)


def not_found(doc_id: str) -> ApiError:
    return ApiError(f"no directive with id {doc_id}", status=404, message_vi=f"Không có văn bản mã «{doc_id}».")


def redirect_or_404(doc_id: str, endpoint: str):
    """A permanent redirect to ``endpoint`` for the directive ``doc_id`` means, or the 404 to raise."""
    canonical = served.snapshot().store.resolve(doc_id.rstrip("/"))
    if canonical is None:
        raise not_found(doc_id)
    url = url_for(endpoint, doc_id=canonical)
    if request.query_string:
        url += "?" + urlencode(list(request.args.items(multi=True)))
    return redirect(url, code=308 if request.path.startswith("/api/") else 301)


@bp.get("/documents/<doc_id>/")
def document_with_slash(doc_id):
    return redirect_or_404(doc_id, "views.document_page")


@bp.get("/api/v1/documents/<doc_id>/")
def api_document_with_slash(doc_id):
    return redirect_or_404(doc_id, "api.document")
