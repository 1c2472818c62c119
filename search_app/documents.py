"""The directive page's content: sections with anchors and highlights, linked citations.

document_view() gathers what /documents/<id> shows: the directive from the
store, its section tree with the query's words marked, each cited document
linked to its page when it is in the corpus (to a search for its number
otherwise), the directives citing this one, those implementing the same
directive and those most similar by content ("Văn bản liên quan").

    page = document_view(snapshot, "655-kh-pgddt-2021", q="phòng chống dịch")
"""

from __future__ import annotations

from urllib.parse import urlencode

import analyzers
from indexer.documents import sections_with_path
from search_app import highlight, similar
from search_app.query import QueryTooLong, parse_query
from search_app.search import document_url


def related(snap, directive: dict) -> dict:
    """Directives citing this one, implementing the same directive, and most
    similar by content (similar.py; none of the others), as briefs."""
    store = snap.store
    own = directive.get("number") and analyzers.canonical_number(directive["number"])
    citing = store.citing(own) if own else []
    same = [i for i in store.implementing_same(directive["id"]) if i not in citing]
    alike = similar.similar(snap, directive, exclude={*citing, *same})
    found = store.get_many(citing + same + alike)

    def brief(doc_id):
        d = found.get(doc_id)
        if d is None:
            return None
        return {"id": doc_id, "number": d.get("number"), "doc_type_label": d.get("doc_type_label"),
                "title": d.get("title"), "issued_date": d.get("issued_date"), "year": d.get("year"),
                "url": document_url(doc_id)}
    return {"citing": [b for b in map(brief, citing) if b],
            "implementing_same": [b for b in map(brief, same) if b],
            "similar": [b for b in map(brief, alike) if b]}


def reference_links(snap, directive: dict) -> list[dict]:
    refs = directive.get("references", [])
    canonicals = {r["number"]: analyzers.canonical_number(r["number"]) for r in refs if r.get("number")}
    in_corpus = snap.store.ids_for_numbers([c for c in canonicals.values() if c])
    linked = []
    for ref in refs:
        canonical = canonicals.get(ref.get("number"))
        doc_id = in_corpus.get(canonical) if canonical else None
        if doc_id == directive["id"]:
            doc_id = None
        if doc_id:
            url = document_url(doc_id)
        else:
            url = "/?" + urlencode({"q": ref.get("number") or ref.get("text", "")})
        linked.append({**ref, "url": url, "in_corpus": bool(doc_id)})
    return linked


def _terms(directive: dict, q: str):
    """What the page marks: the query's words as its marks say, or, when some
    of them are nowhere in the directive as typed (a search answered without
    marks led here), the words without their marks."""
    if not q:
        return None
    try:
        parsed = parse_query(q)
    except QueryTooLong:
        return None
    terms = parsed.highlight_terms()
    if parsed.can_relax():
        texts = [directive.get("title") or ""] + [f"{s.get('heading') or ''}\n{s.get('text') or ''}"
                                                  for s, _ in sections_with_path(directive)]
        written = set(analyzers.syllables("\n".join(texts)))
        words = {s for item in parsed.items() for s in item.syllables if s in terms.exact}
        if not words <= written:
            return parsed.relax().highlight_terms()
    return terms


def document_view(snap, doc_id: str, q: str = "") -> dict | None:
    directive = snap.store.get(doc_id)
    if directive is None:
        return None
    terms = _terms(directive, q)

    def render(sections, depth):
        out = []
        for s in sections:
            out.append({
                "id": s["id"], "kind": s["kind"], "number": s.get("number"), "depth": depth,
                "heading_html": highlight.highlight(s.get("heading") or "", terms) if terms else s.get("heading") or "",
                "paragraphs": [highlight.highlight(p, terms) if terms else p
                               for p in (s.get("text") or "").split("\n\n") if p.strip()],
                "children": render(s.get("children", []), depth + 1),
            })
        return out

    return {
        "directive": directive,
        "title_html": highlight.highlight(directive.get("title") or "", terms) if terms else directive.get("title"),
        "sections": render(directive.get("sections", []), 0),
        "references": reference_links(snap, directive),
        "related": related(snap, directive),
        "url": document_url(doc_id),
    }
