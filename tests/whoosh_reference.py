"""Whoosh's own scores for a query, the reference the posting-array evaluator is checked against."""

from whoosh import query as wq


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
