"""HTML pages: search with facets, the directive page, number links.

Views are thin: they read parameters, call search.run_search or the store, and
render templates. Every page state is a GET URL that can be shared or linked
from intranet pages; each page has a JSON twin under /api/v1/.

    /?q=phong+chong+dich&year=2022    /documents/655-kh-pgddt-2021#muc-II-1    /numbers/19/CT-TTg
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

import analyzers
from corpus.model import SECTION_KIND_LABELS
from search_app import documents, export, feeds, permalinks, served, timeline
from search_app.results import search_body, search_url
from searcher.facets import FACETS
from searcher.search import FACET_SHOWN, InvalidParameter, SearchRequest, run_search

bp = Blueprint("views", __name__)

SORT_LABELS = {"relevance": "Liên quan nhất", "date_desc": "Mới nhất", "date_asc": "Cũ nhất"}

#: Sent with every response; the pages need no inline script and no third party.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                "script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def init_app(app) -> None:
    @app.after_request
    def headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith("/api/"):
            # Answers differ by Origin (CORS) and may be cached (Cache-Control: public).
            response.vary.add("Origin")
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.direct_passthrough:
            response.headers.setdefault("Cache-Control", "public, max-age=60")
            response.add_etag()
            response.make_conditional(request)
        return response


@bp.get("/")
def search_page():
    # A GET form sends its empty fields too (year_from=&date_to=): the page
    # moves to the URL without them, so shared and bookmarked links stay clean.
    args = list(request.args.items(multi=True))
    if any(not value.strip() for _, value in args):
        return redirect(search_url([(k, v) for k, v in args if v.strip()]), code=302)
    req = SearchRequest.from_params(request.args, current_app.config["MAX_PER_PAGE"])
    with served.evaluating():
        found = run_search(served.snapshot(), req)
    result = search_body(found, "views.search_page")
    # The header's search box sends the query it replaces (prev_q) with the
    # filters it carries on: a new query then says which filters it kept.
    previous = request.args.get("prev_q")
    kept = result["active_filters"] if previous is not None and previous != req.q else []
    return render_template("search.html", result=result, req=req, sort_labels=SORT_LABELS,
                           facets=FACETS, section_labels=SECTION_KIND_LABELS,
                           exports=export.links(req), export_limit=export.EXPORT_LIMIT,
                           feed_url=feeds.feed_url(req), kept_filters=kept,
                           facet_shown=FACET_SHOWN, more_url=_more_url, chart=timeline.chart(result["timeline"]))


def _more_url(req: SearchRequest, name: str | None) -> str:
    """This search with facet ``name`` listed in full (or back to the short lists with None)."""
    pairs = req.params() + ([("page", str(req.page))] if req.page > 1 else [])
    return search_url(pairs + ([("more", name)] if name else []))


def back_to_results(args) -> str:
    """The results page a directive was opened from: its search's parameters ride
    along in the directive's URL (results.document_url)."""
    try:
        req = SearchRequest.from_params(args, current_app.config["MAX_PER_PAGE"])
    except InvalidParameter:  # a hand-edited link: keep the query at least
        return search_url([("q", args.get("q"))] if args.get("q") else [])
    return search_url(req.params() + ([("page", str(req.page))] if req.page > 1 else []))


@bp.get("/documents/<doc_id>")
def document_page(doc_id):
    snap = served.snapshot()
    q = request.args.get("q", "")
    with served.evaluating():  # its similar directives are a search
        page = documents.document_view(snap, doc_id, q)
    if page is None:  # an earlier id or another case: a permanent redirect, else 404
        return permalinks.redirect_or_404(doc_id, "views.document_page")
    return render_template("document.html", page=page, q=q, section_labels=SECTION_KIND_LABELS,
                           back_url=back_to_results(request.args))


@bp.get("/numbers/<path:number>")
def number_link(number):
    canonical = analyzers.canonical_number(number)
    if canonical:
        ids = served.snapshot().store.with_number(canonical)
        if len(ids) == 1:
            return redirect(url_for("views.document_page", doc_id=ids[0]), code=302)
    return redirect(url_for("views.search_page", q=number), code=302)


@bp.app_template_filter("vndate")
def vndate(iso: str | None) -> str:
    """2021-12-02 -> 02/12/2021, the way dates are written in directives."""
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
