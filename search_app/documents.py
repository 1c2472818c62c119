"""The directive page's content: sections with anchors and highlights, linked citations.

document_view() gathers what /documents/<id> shows: the directive from the
store, its section tree with the query's words marked, each cited document
linked to its page when it is in the corpus (to a search for its number
otherwise), the directives citing this one, those implementing the same
directive and those most similar by content ("Văn bản liên quan").

    page = document_view(snapshot, "655-kh-pgddt-2021", q="phòng chống dịch")
"""

from __future__ import annotations

from flask import url_for

import analyzers
from indexer.documents import sections_with_path
from search_app import originals
from search_app.results import document_url, search_url
from searcher import highlight, similar
from searcher.query import QueryTooLong, parse_query


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
            url = search_url([("q", ref.get("number") or ref.get("text", ""))])
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

    def mark(text):
        return highlight.highlight(text, terms) if terms else text

    def render(sections, depth):
        out = []
        for s in sections:
            heading = s.get("heading") or ""
            out.append({
                "id": s["id"], "kind": s["kind"], "number": s.get("number"), "depth": depth,
                "marker": marker(s),
                "heading_html": mark(heading) if heading else "",
                "paragraphs": [mark(p) for p in (s.get("text") or "").split("\n\n") if p.strip()],
                "children": render(s.get("children", []), depth + 1),
            })
        return out

    sections = render(directive.get("sections", []), 0)
    return {
        "directive": directive,
        "title_html": mark(directive.get("title") or ""),
        "sections": sections,
        "contents": contents(sections),
        "closing": closing(directive),
        "original": original_link(snap, directive),
        "references": reference_links(snap, directive),
        "related": related(snap, directive),
        "url": document_url(doc_id),
    }


def original_link(snap, directive: dict) -> dict | None:
    """{url, name, size, media_type, label} of the file the directive was read from, when it is still there."""
    found = originals.find(snap, directive)
    if found is None:
        return None
    return {"url": url_for("originals.download", doc_id=directive["id"]), "name": found.name, "size": found.size,
            "media_type": found.media_type, "label": found.label}


def marker(section: dict) -> str:
    """The section's number as the document writes it ("II.", "2)", "a)"); rebuilt from the number
    for directives stored before the parser kept it."""
    if section.get("marker"):
        return section["marker"]
    number = section.get("number")
    if not number:
        return ""
    return f"{number})" if number.isalpha() and number.islower() else f"{number}."


def contents(sections: list[dict], depth_limit: int = 2) -> list[dict]:
    """The table of contents: the document's own headings, two levels deep, each once with its number."""
    entries = []
    for s in sections:
        children = contents(s["children"], depth_limit) if s["depth"] + 1 < depth_limit else []
        if s["heading_html"]:
            entries.append({"id": s["id"], "marker": s["marker"], "heading_html": s["heading_html"],
                            "children": children})
        else:
            entries.extend(children)
    return entries


def closing(directive: dict) -> dict:
    """What ends the directive: "Nơi nhận" on the left, the signature block on the right.

    The signature lines are the ones the document has ("TM. ỦY BAN NHÂN DÂN",
    "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", name); a directive stored without them
    (or a JSONL record) shows its signer's title and name.
    """
    lines = list(directive.get("signature") or [])
    signer = directive.get("signer") or {}
    if not lines:
        lines = [line for line in (signer.get("title") and signer["title"].upper(), signer.get("name")) if line]
    name = signer.get("name")
    return {
        "recipients": directive.get("recipients") or [],
        "signature": [{"text": line, "name": bool(name) and line.casefold() == name.casefold()} for line in lines],
    }
