"""Which sections of a directive answer the query best, scored in Python.

Only the sections of the few directives being shown or re-ranked are scored,
so the cost does not grow with the index (a Whoosh pass over the section documents
reads every posting of every query word: 70 % of query time at 1,000
directives). A section scores by the distinct query words it contains (exact
spelling only, as in matching, for a word typed with marks; a pasted
passage counts a folded match for less), the query's word pairs it keeps
side by side, the document numbers it cites, and, a little, how often.

    best_sections(directive, SectionScorer(parsed), kinds=None, limit=2) -> [("muc-III", 4.2), ...]
"""

from __future__ import annotations

import functools
import math
from collections import Counter

from typing import Sequence

import numpy as np

import analyzers
from indexer.documents import sections_with_path
from searcher.query import ParsedQuery

#: What each of the query's words counts when it is among the most of them
#: found within WINDOW syllables of each other: a section that says it in
#: one sentence ("báo cáo kết quả thực hiện hàng tháng") beats one with the
#: same words scattered over a page.
WINDOW = 8
WINDOW_WEIGHT = 0.5

# Sections repeat the same few thousand syllables: folding each once (a
# lookup afterwards) is cheaper than folding every occurrence or every character.
_fold = functools.lru_cache(maxsize=100_000)(analyzers.fold_token)


class SectionScorer:
    """The query's words, pairs and numbers, ready to score many sections."""

    def __init__(self, parsed: ParsedQuery):
        terms = parsed.highlight_terms()
        self.exact = terms.exact
        self.plain = terms.folded  # typed without marks: any spelling counts
        self.folded = {analyzers.fold_token(w) for w in terms.exact} | terms.folded
        # A word typed with marks counts only as typed, as in matching (a
        # pasted passage forgives a wrong mark, for less).
        self.strict = not parsed.is_long
        self.numbers = terms.numbers
        self.pairs = set()
        for item in parsed.items():
            folded = [analyzers.fold_token(s) for s in item.content()]
            self.pairs.update(zip(folded, folded[1:]))
        self._folded_in_order = sorted(self.folded)
        self._typed_as: dict[str, set[str]] = {}  # folded word -> the query's spellings of it with marks
        for word in terms.exact:
            self._typed_as.setdefault(analyzers.fold_token(word), set()).add(word)
        self._scores: dict[tuple[str, int], float] = {}  # (directive id, section index) -> score

    def section_score(self, directive: dict, index: int, section: dict) -> float:
        """score() of the directive's ``index``-th section (depth first), computed once."""
        key = (directive.get("id"), index)
        found = self._scores.get(key)
        if found is None:
            found = self._scores[key] = self.score(f"{section.get('heading') or ''}\n{section.get('text') or ''}")
        return found

    def upper_bounds(self, frequencies) -> np.ndarray | None:
        """For some section documents of the index, a score() their sections
        cannot exceed, from the index alone: each query word present counts as
        much as its spellings present allow (a word typed with marks and found
        only otherwise: nothing, or half in a pasted passage), with its
        frequency in the section's own heading and its body; the
        window as if every such word stood in it, when two or more do; every
        pair whose two words are present; every cited number.
        ``frequencies(field, term)`` gives a term's frequency in each of them."""
        words = set(self.folded) | {w for pair in self.pairs for w in pair}
        counts = {w: frequencies("heading_f", w) + frequencies("body_f", w) for w in sorted(words)}
        if not counts and not self.numbers:
            return None
        bound, credited = None, None
        for word in sorted(self.folded):
            count = counts[word]
            if word in self.plain:
                full = 1.0
            else:  # credited in full only where one of its spellings typed with marks is
                typed = sum(frequencies("heading", e) + frequencies("body", e)
                            for e in sorted(self._typed_as[word]))
                full = np.where(typed > 0, 1.0, 0.0 if self.strict else 0.5)
            can = (count > 0) & (full > 0)
            part = np.where(can, full + 0.1 * np.log1p(count), 0.0)
            bound = part if bound is None else bound + part
            credited = can.astype(np.int64) if credited is None else credited + can
        if credited is not None:
            bound = bound + WINDOW_WEIGHT * np.where(credited > 1, credited, 0)
        for a, b in sorted(self.pairs):
            part = 0.5 * ((counts[a] > 0) & (counts[b] > 0))
            bound = part if bound is None else bound + part
        for number in sorted(self.numbers):
            part = 2.0 * (frequencies("numbers", number) > 0)
            bound = part if bound is None else bound + part
        # Above any rounding difference between numpy's and math's log1p.
        return bound + 1e-9 if bound is not None else None

    def score(self, text: str) -> float:
        exact_tokens = syllables_of(text)
        folded = list(map(_fold, exact_tokens))
        found = Counter(folded)
        # In one fixed order (not the set's, which follows string hashing).
        counts = {word: found[word] for word in self._folded_in_order if found[word]}
        if not counts and not self.numbers:
            return 0.0
        exact_hits = {t for t in exact_tokens if t in self.exact}
        score = 0.0
        credited = set()
        for word, count in counts.items():
            if word in self.plain or any(analyzers.fold_token(e) == word for e in exact_hits):
                score += 1.0
            elif self.strict:
                continue
            else:
                score += 0.5
            credited.add(word)
            score += 0.1 * math.log1p(count)
        if WINDOW_WEIGHT and len(credited) > 1:
            score += WINDOW_WEIGHT * _most_within(folded, credited, WINDOW)
        if any(found[a] and found[b] for a, b in self.pairs):
            score += 0.5 * len({p for p in zip(folded, folded[1:]) if p in self.pairs})
        if self.numbers:
            score += 2.0 * len({m.canonical for m in analyzers.find_numbers(text)} & self.numbers)
        # Rounded: different terms with the same sum can differ in the last
        # bit, and equal scores must tie (document order decides).
        # upper_bounds() leaves 1e-9 of room above the unrounded score.
        return round(score, 9)


def syllables_of(text: str) -> list[str]:
    """analyzers.syllables(text): SyllableAnalyzer's lowercase syllables, by
    one regex pass over the text lowercased at once where that lowercases each
    syllable as it would be alone (not around İ or Σ)."""
    normal = analyzers.normalize_with_offsets(text)[0]
    lower = normal.lower()
    if len(lower) != len(normal) or "Σ" in normal:
        return [syllable.lower() for syllable in analyzers.SYLLABLE.findall(normal)]
    return analyzers.SYLLABLE.findall(lower)


def _most_within(tokens: list[str], wanted: set[str], width: int) -> int:
    """The most distinct ``wanted`` tokens among any ``width`` consecutive tokens."""
    # Only the wanted tokens' places matter: a best window can be taken to end
    # at one of them, so slide over those (a few per section) instead of every token.
    places = [(i, token) for i, token in enumerate(tokens) if token in wanted]
    seen: Counter = Counter()
    best, first = 0, 0
    for end, token in places:
        seen[token] += 1
        while places[first][0] <= end - width:
            gone = places[first][1]
            seen[gone] -= 1
            if not seen[gone]:
                del seen[gone]
            first += 1
        best = max(best, len(seen))
    return best


def best_sections(directive: dict, scorer: SectionScorer, kinds: set[str] | None, limit: int,
                  bounds: Sequence[float] | None = None):
    """(section id, score) of the best-scoring sections, best first; ties in document order.

    With ``bounds`` (SectionScorer.upper_bounds of each section, depth first),
    sections are read best bound first and the rest skipped once no bound left
    can reach the ``limit`` best scores: the same answer from a few sections.
    """
    flat = [section for section, _ in sections_with_path(directive)]
    order = [i for i, section in enumerate(flat) if kinds is None or section.get("kind") in kinds]
    if bounds is not None and len(bounds) == len(flat):
        order = sorted((i for i in order if bounds[i] > 0), key=lambda i: (-bounds[i], i))
    else:
        bounds = None
    scored: list[tuple[float, int, str]] = []
    for i in order:
        if bounds is not None and len(scored) >= limit and bounds[i] < -scored[limit - 1][0]:
            break
        section = flat[i]
        score = scorer.section_score(directive, i, section)
        if score > 0:
            scored.append((-score, i, section["id"]))
            scored.sort()
    return [(section_id, -neg) for neg, _, section_id in scored[:limit]]
