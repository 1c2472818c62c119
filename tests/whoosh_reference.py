"""Whoosh's own scores for a query, the reference the posting-array evaluator is checked against."""

from whoosh import query as wq

from analyzers import fold_token
from indexer.schema import POSITIONS_FROM


class _SpanOr(wq.SpanOr):
    """Whoosh's SpanOr, with the size estimate a Require asks of it (Whoosh's raises)."""

    def estimate_size(self, ixreader):
        return sum(q.estimate_size(ixreader) for q in self.subqs)

    def estimate_min_size(self, ixreader):
        return 0


def whoosh_equivalent(searcher, query):
    """The query as Whoosh can run it: a phrase in a field without positions
    of its own (a folded field, indexer.schema.POSITIONS_FROM) becomes Whoosh's
    own span query over the exact field, each word any spelling that folds to
    it, required of the phrase's words scored in the folded field (Whoosh
    scores a phrase as the sum of its words, times its boost)."""
    if isinstance(query, wq.Phrase) and query.fieldname in POSITIONS_FROM \
            and not searcher.schema[query.fieldname].format.supports("positions"):
        exact = POSITIONS_FROM[query.fieldname]
        spellings: dict[str, list[str]] = {}
        for btext in searcher.reader().lexicon(exact):
            word = btext.decode("utf-8")
            spellings.setdefault(fold_token(word), []).append(word)
        if any(word not in spellings for word in query.words):
            return wq.NullQuery
        spans = wq.SpanNear2([_SpanOr([wq.Term(exact, s) for s in spellings[word]]) for word in query.words],
                             slop=query.slop, ordered=True, mindist=1)
        words = wq.And([wq.Term(query.fieldname, word) for word in query.words], boost=query.boost)
        return wq.Require(words, spans)
    if query.is_leaf():
        return query
    return query.apply(lambda child: whoosh_equivalent(searcher, child))


def whoosh_docs(searcher, query) -> set[int]:
    """The documents Whoosh finds for the query."""
    return set(searcher.docs_for_query(whoosh_equivalent(searcher, query)))


def whoosh_scores(searcher, query) -> dict[int, float]:
    """Whoosh's scores; around a DisjunctionMax, Whoosh's scores of its clauses
    combined as the query says. (Whoosh's DisjunctionMaxMatcher.score() takes
    the max of its two sides' current scores even when they stand on different
    documents, so its own DisMax scores are wrong; the documents are right.)"""
    query = whoosh_equivalent(searcher, query)
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
