"""Văn bản liên quan: the directives most like one directive by content.

Most directives cite nothing in the corpus, so their citation lists are empty;
these are found from the words instead. similar() takes the directive's most
characteristic syllables (frequent in it, rare in the corpus: tf-idf over its
title and text, exact diacritics), ranks every directive by BM25F on those
syllables, each weighted by how often the directive uses it, and returns the
best others. One query over the posting arrays, a few milliseconds.

    similar(snapshot, snapshot.store.get("655-kh-pgddt-2021"))
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from whoosh import query as wq

import analyzers
from indexer.documents import sections_with_path

#: Syllables of the directive the query is made of.
KEY_TERMS = 30
LIMIT = 5
#: A syllable in more than this share of the directives says nothing about any.
MAX_DOC_SHARE = 0.3


def _text(directive: dict) -> str:
    parts = [directive.get("title") or ""] * 2  # the title says what it is about: counted twice
    for section, _ in sections_with_path(directive):
        parts += [section.get("heading") or "", section.get("text") or ""]
    return " ".join(parts)


def key_terms(snap, directive: dict, count: int = KEY_TERMS) -> list[tuple[str, float]]:
    """The directive's ``count`` most characteristic syllables, with their tf-idf, best first."""
    ev = snap.evaluator()
    total = int(len(snap.docs.live))  # live directives: a removed one may keep its ordinal
    counts = Counter(s for s in analyzers.syllables(_text(directive))
                     if s.isalpha() and not analyzers.is_stopword(s))
    weighted = []
    for term, tf in counts.items():
        df = ev.unit_frequency("body", term)  # directives holding it
        # In no other directive, in too many, or in every one (a weight of 0): no help in finding similar ones.
        if df < 2 or df > max(2, MAX_DOC_SHARE * total) or df >= total:
            continue
        weight = (1 + math.log(tf)) * math.log(total / df)
        if weight > 0:  # a syllable in every directive (a tiny index) tells nothing
            weighted.append((term, weight))
    weighted.sort(key=lambda pair: (-pair[1], pair[0]))
    return weighted[:count]


def similar(snap, directive: dict, exclude: set[str] = frozenset(), limit: int = LIMIT) -> list[str]:
    """Ids of the directives most like ``directive``, most similar first (not itself, not ``exclude``)."""
    terms = key_terms(snap, directive)
    if not terms:
        return []
    top = terms[0][1]
    query = wq.Or([wq.Term("body", term, boost=weight / top) for term, weight in terms])
    mask, scores = snap.evaluator().run(query)
    docnums = np.flatnonzero(mask)
    order = docnums[np.lexsort((docnums, -scores[docnums]))]
    skip = {directive["id"], *exclude}
    found = []
    for docnum in order:
        doc_id = snap.docs.doc_id(int(docnum))
        if doc_id not in skip and doc_id not in found:
            found.append(doc_id)
            if len(found) == limit:
                break
    return found
