"""How a directive becomes Whoosh documents: a head document, and one per section.

The head holds the title and the facts a user may type (number, issuer,
place, signer, recipients); a section its own heading line and its text, so
each word of a directive is indexed once. Both kinds carry the directive's facts (type, issuer, year, signer, date) as
facet columns; text goes to the syllable, compound-word and number fields of
indexer.schema (its folded fields are read from the syllables). Facet values pass through the same normaliser as
every other text path, so "Ủy ban" and "Uỷ ban" are one facet value.
Nothing names a section document: a directive's documents are written
together, head first, then its sections depth first (indexer.build), and a
section is known by its place among them (searcher.handle.Snapshot.sections_of).

    head_document(d), [section_document(d, s) for s, _ in sections_with_path(d)]
"""

from __future__ import annotations

from typing import Iterator

import analyzers
from indexer.store import sort_date


def facet_value(text: str | None) -> str:
    return analyzers.normalize(text or "")


def _facts(directive: dict) -> dict:
    signer = (directive.get("signer") or {}).get("name")
    facts = {
        "doc_id": directive["id"],
        "doc_type": directive.get("doc_type") or "",
        "issuer": facet_value(directive.get("issuer")),
        "signer": facet_value(signer),
        "sort_date": sort_date(directive),
        # Every facet column gets a value in every document, 0 or "" for
        # unknown: a segment whose documents all lack one would have no column
        # for it, and Whoosh's multi-segment column reader then silently skips
        # that segment, shifting every later document's values.
        "year": int(directive.get("year") or 0),
    }
    return facts


def _title(directive: dict) -> str:
    label = directive.get("doc_type_label") or ""
    return f"{label}\n{directive.get('title') or ''}".strip()


def _metadata(directive: dict) -> str:
    """The facts a user may type as words: number, issuer, place, signer, recipients."""
    signer = directive.get("signer") or {}
    parts = [directive.get("number"), directive.get("issuer"), directive.get("place"),
             signer.get("name"), signer.get("title"), *directive.get("recipients", [])]
    return "\n".join(p for p in parts if p)


def _text(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def sections_with_path(directive: dict) -> Iterator[tuple[dict, list[dict]]]:
    """Every section, depth first, with the chain of its ancestors."""
    def walk(sections, ancestors):
        for section in sections:
            yield section, ancestors
            yield from walk(section.get("children", []), ancestors + [section])
    yield from walk(directive.get("sections", []), [])


def heading_line(section: dict) -> str:
    """"II. Nội dung phong trào thi đua"; empty for a section without a heading of its own
    (a numbered paragraph's number is not a heading)."""
    number = section.get("number")
    heading = section.get("heading") or ""
    return f"{number}. {heading}" if number and heading else heading


def head_document(directive: dict) -> dict:
    """The directive's head document: its title and the facts a user may type."""
    title = _title(directive)
    metadata = _metadata(directive)
    own = directive.get("number") and analyzers.canonical_number(directive["number"])
    return {
        **_facts(directive),
        "number": own or "",
        "kind": "",
        "title": title,
        "body": metadata,
        "words": _text(title, metadata),
        "numbers": _text(title, metadata),
    }


def section_document(directive: dict, section: dict) -> dict:
    """A section's document: its own heading line (not its ancestors') and its text.
    The directive's title is its head document's alone."""
    heading = heading_line(section)
    body = section.get("text", "")
    return {
        **_facts(directive),
        "kind": section.get("kind") or "khac",
        "heading": heading,
        "body": body,
        "words": _text(heading, body),
        "numbers": _text(heading, body),
    }
