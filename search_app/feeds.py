"""Feeds and the browser's search bar: an Atom feed of any search, and an OpenSearch description.

/feed.atom takes the search page's parameters (q, doc_type, issuer, …) and
lists the newest FEED_ENTRIES matching directives, newest first, each with its
link and a snippet, so staff can follow "new plans from UBND huyện about
chuyển đổi số" in a feed reader or an intranet widget; without parameters it
is the feed of all new directives. /opensearch.xml lets a browser add the site
as a search engine (every page links it).

    /feed.atom?q=chuyen+doi+so&doc_type=ke_hoach      /feed.atom      /opensearch.xml
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

from flask import Blueprint, Response, current_app, request, url_for

import analyzers
from search_app import served
from searcher.results import Hit, SearchResult
from searcher.search import SearchRequest, run_search

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
FEED_ENTRIES = 50
SITE_NAME = "Tra cứu văn bản"
#: Directives carry a date without a time: midnight in Việt Nam.
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """GET pairs as url_for keyword arguments (repeated names become lists)."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


def _timestamp(directive_date: str | None, year: int | None, fallback: str) -> str:
    """RFC 3339: the issue date, else 1 January of the year, else ``fallback``."""
    if directive_date:
        day = datetime.date.fromisoformat(directive_date)
    elif year:
        day = datetime.date(year, 1, 1)
    else:
        return fallback
    return datetime.datetime(day.year, day.month, day.day, tzinfo=VIETNAM).isoformat()


def _built_at(snap) -> str:
    """When the served index was built: the feed's own <updated>."""
    built = snap.generation.manifest.get("built_at")
    if built:
        return built
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def _entry_title(hit: Hit) -> str:
    label = hit.doc_type_label or "Văn bản"
    heading = f"{label} số {hit.number}" if hit.number else label
    return analyzers.normalize(f"{heading}: {hit.title}" if hit.title else heading)


def _summary(hit: Hit) -> str:
    """The hit's best sections as HTML (heading, then the snippet with <mark>ed words)."""
    parts = []
    for section in hit.sections:
        numbered = ". ".join(filter(None, [section.number, section.heading]))
        heading = ": ".join(filter(None, [section.kind_label, numbered]))
        parts.append(f"<p><strong>{analyzers.normalize(heading)}</strong><br>{section.snippet}</p>")
    return "".join(parts)


#: Characters XML 1.0 cannot carry even escaped (control characters a query may hold).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _xml(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = _xml(text)
    return element


def _feed_pairs(req: SearchRequest) -> list[tuple[str, str]]:
    """The search's parameters that choose a feed's directives (not their order or number)."""
    return [p for p in req.params() if p[0] not in ("sort", "per_page")]


def feed_url(req: SearchRequest, external: bool = False) -> str:
    """The Atom feed of the search ``req``."""
    return url_for("feeds.atom", **_grouped(_feed_pairs(req)), _external=external)


def atom_feed(result: SearchResult, req: SearchRequest, snap) -> bytes:
    """The Atom document of a search result sorted newest first."""
    pairs = _feed_pairs(req)
    self_url = feed_url(req, external=True)
    page_url = url_for("views.search_page", **_grouped(pairs + [("sort", "date_desc")]), _external=True)
    updated = _built_at(snap)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "vi"})
    described = [f"«{req.q}»"] if req.q else []
    described += [v.label for values in result.facets.values() for v in values if v.selected]
    described += [f"từ năm {req.year_from}"] if req.year_from else []
    described += [f"đến năm {req.year_to}"] if req.year_to else []
    described += [f"từ ngày {req.date_from:%d/%m/%Y}"] if req.date_from else []
    described += [f"đến ngày {req.date_to:%d/%m/%Y}"] if req.date_to else []
    title = f"Văn bản mới{': ' + ', '.join(described) if described else ''} – {SITE_NAME}"
    _sub(feed, "title", analyzers.normalize(title))
    _sub(feed, "id", self_url)
    _sub(feed, "updated", updated)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    _sub(_sub(feed, "author"), "name", SITE_NAME)
    _sub(feed, "generator", "vbsearch")
    for hit in result.hits:
        entry = _sub(feed, "entry")
        url = url_for("views.document_page", doc_id=hit.id, _external=True)
        _sub(entry, "title", _entry_title(hit))
        _sub(entry, "id", url)
        stamp = _timestamp(hit.issued_date, hit.year, updated)
        _sub(entry, "updated", stamp)
        _sub(entry, "published", stamp)
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        if hit.issuer:
            _sub(_sub(entry, "author"), "name", analyzers.normalize(hit.issuer))
        if hit.doc_type:
            _sub(entry, "category", term=hit.doc_type, label=hit.doc_type_label)
        _sub(entry, "summary", _summary(hit) or analyzers.normalize(hit.title or ""), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@bp.get("/feed.atom")
def atom():
    req = SearchRequest.from_params(request.args, current_app.config["MAX_PER_PAGE"])
    req.sort, req.page, req.per_page = "date_desc", 1, FEED_ENTRIES  # a feed is the newest, always
    snap = served.snapshot()
    with served.evaluating():
        result = run_search(snap, req)
    return Response(atom_feed(result, req, snap), content_type="application/atom+xml; charset=utf-8")


@bp.get("/opensearch.xml")
def opensearch():
    ET.register_namespace("", OPENSEARCH)
    root = ET.Element(f"{{{OPENSEARCH}}}OpenSearchDescription")

    def sub(tag, text=None, **attrs):
        element = ET.SubElement(root, f"{{{OPENSEARCH}}}{tag}", attrs)
        element.text = text
        return element

    # {searchTerms} is the browser's placeholder: appended, not passed to url_for (which would escape it).
    sub("ShortName", SITE_NAME)  # at most 16 characters
    sub("Description", "Tìm văn bản chỉ đạo, điều hành: kế hoạch, hướng dẫn, chỉ thị, theo từ khóa hoặc số ký hiệu")
    sub("InputEncoding", "UTF-8")
    sub("Language", "vi")
    sub("Image", url_for("static", filename="favicon.svg", _external=True),
        width="16", height="16", type="image/svg+xml")
    sub("Url", type="text/html", method="get",
        template=url_for("views.search_page", _external=True) + "?q={searchTerms}")
    sub("Url", type="application/atom+xml",
        template=url_for("feeds.atom", _external=True) + "?q={searchTerms}")
    sub("Url", type="application/opensearchdescription+xml", rel="self",
        template=url_for("feeds.opensearch", _external=True))
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, content_type="application/opensearchdescription+xml; charset=utf-8")
