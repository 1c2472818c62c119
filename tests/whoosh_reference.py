"""Whoosh's own scores for a query, the reference the posting-array evaluator is checked against."""

from contextlib import contextmanager
from pathlib import Path

import pytest
from whoosh import fields, index as whoosh_index, query as wq

import indexer
from analyzers import FoldedAnalyzer
from indexer import layout
from indexer.schema import FOLDED_FROM, directive_schema
from searcher.query import ranking


@contextmanager
def folded_fields_written():
    """Builds inside write the folded fields themselves, with positions, as
    Whoosh indexes any text field: the index whose folded fields the derived
    ones (searcher.postings) must equal, its documents under the same docnums
    when built from the same files in the same steps."""
    from indexer import build

    def written(make):
        def document(*args):
            doc = make(*args)
            return {**doc, **{folded: doc[exact] for folded, exact in FOLDED_FROM.items() if exact in doc}}
        return document

    def schema():
        found = directive_schema()
        for folded in FOLDED_FROM:
            found.remove(folded)
            found.add(folded, fields.TEXT(analyzer=FoldedAnalyzer(), phrase=True))
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "head_document", written(build.head_document))
        patch.setattr(build, "section_document", written(build.section_document))
        patch.setattr(build, "directive_schema", schema)
        yield


def reference_searcher(index_path: Path):
    """A Whoosh searcher of an index built with folded_fields_written(), weighted as search weighs."""
    folder = indexer.current_generation(index_path) / layout.WHOOSH
    return whoosh_index.open_dir(str(folder)).searcher(weighting=ranking())


def whoosh_docs(searcher, query) -> set[int]:
    """The documents Whoosh finds for the query."""
    return set(searcher.docs_for_query(query))


def whoosh_scores(searcher, query) -> dict[int, float]:
    """Whoosh's scores; around a DisjunctionMax, Whoosh's scores of its clauses
    combined as the query says. (Whoosh's DisjunctionMaxMatcher.score() takes
    the max of its two sides' current scores even when they stand on different
    documents, so its own DisMax scores are wrong; the documents are right.)"""
    if not _has_dismax(query):
        return {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
    if isinstance(query, wq.AndNot):
        excluded = set(searcher.docs_for_query(query.b))
        return {d: v for d, v in whoosh_scores(searcher, query.a).items() if d not in excluded}
    parts = [whoosh_scores(searcher, sub) for sub in query.subqueries]
    if len(parts) == 1:  # Whoosh ignores a one-clause compound's boost
        return parts[0]
    docs = set.intersection(*map(set, parts)) if isinstance(query, wq.And) else set().union(*parts)
    combine = max if isinstance(query, wq.DisjunctionMax) else sum
    return {d: combine(p[d] for p in parts if d in p) * query.boost for d in docs}


def _has_dismax(query) -> bool:
    return isinstance(query, wq.DisjunctionMax) or any(_has_dismax(q) for q in query.children())
