"""Which sections of a directive answer the query best, scored in Python.

Only the sections of the few directives being shown or re-ranked are scored,
so the cost does not grow with the index (a Whoosh pass over the section index
reads every posting of every query word: 70 % of query time at 1,000
directives). A section scores by the distinct query words it contains (exact
spelling counts more than a folded match), the query's word pairs it keeps
side by side, the document numbers it cites, and, a little, how often.

    best_sections(directive, SectionScorer(parsed), kinds=None, limit=2) -> [("muc-III", 4.2), ...]
"""

from __future__ import annotations

import functools
import math

import analyzers
from search_app.query import ParsedQuery

# Sections repeat the same few thousand syllables: folding each once is
# cheaper than folding every occurrence.
_fold = functools.lru_cache(maxsize=100_000)(analyzers.fold_token)


class SectionScorer:
    """The query's words, pairs and numbers, ready to score many sections."""

    def __init__(self, parsed: ParsedQuery):
        terms = parsed.highlight_terms()
        self.exact = terms.exact
        self.folded = {analyzers.fold_token(w) for w in terms.exact} | terms.folded
        self.numbers = terms.numbers
        self.pairs = set()
        for item in parsed.items():
            folded = [analyzers.fold_token(s) for s in item.content()]
            self.pairs.update(zip(folded, folded[1:]))

    def score(self, text: str) -> float:
        tokens = analyzers.syllables(text)
        folded = [_fold(t) for t in tokens]
        counts: dict[str, int] = {}
        for t in folded:
            if t in self.folded:
                counts[t] = counts.get(t, 0) + 1
        if not counts and not self.numbers:
            return 0.0
        exact_hits = {t for t in tokens if t in self.exact}
        score = 0.0
        for word, count in counts.items():
            has_exact = any(analyzers.fold_token(e) == word for e in exact_hits)
            wanted_exact = any(analyzers.fold_token(e) == word for e in self.exact)
            score += 1.0 if has_exact or not wanted_exact else 0.5
            score += 0.1 * math.log1p(count)
        score += 0.5 * len({p for p in zip(folded, folded[1:]) if p in self.pairs})
        if self.numbers:
            score += 2.0 * len({m.canonical for m in analyzers.find_numbers(text)} & self.numbers)
        return score


def best_sections(directive: dict, scorer: SectionScorer, kinds: set[str] | None, limit: int):
    """(section id, score) of the best-scoring sections, best first; ties in document order."""
    scored = []
    order = 0

    def walk(sections):
        nonlocal order
        for section in sections:
            if kinds is None or section.get("kind") in kinds:
                text = f"{section.get('heading') or ''}\n{section.get('text') or ''}"
                score = scorer.score(text)
                if score > 0:
                    scored.append((-score, order, section["id"]))
            order += 1
            walk(section.get("children", []))
    walk(directive.get("sections", []))
    scored.sort()
    return [(section_id, -neg) for neg, _, section_id in scored[:limit]]
