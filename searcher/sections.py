"""Which sections of a directive answer the query best, scored from the index.

Only the sections of the few directives being shown or re-ranked are scored,
so the cost does not grow with the index. A section scores by the distinct
query words it contains (exact spelling only, as in matching, for a word typed
with marks; a pasted passage counts a folded match for less), the most of
them within WINDOW syllables of each other, the query's word pairs it keeps
side by side, the document numbers it cites, and, a little, how often.

Everything is read from the section's own documents in the index (term
frequencies of its heading line and its text, the folded words' positions,
its numbers), for every candidate section at once: the section texts are not
read, normalised and folded again at query time (that was half of a query's
time). The heading line and the text are two fields, so a window or a pair
never joins the heading's last word to the text's first.

    scores = SectionScorer(parsed).scores(len(docnums), frequencies, positions)  # one per section document
    best_sections(scores, kinds, wanted, limit=2) -> [(index, score), ...]
"""

from __future__ import annotations

import numpy as np

import analyzers
from searcher.postings import following
from searcher.query import ParsedQuery

#: What each of the query's words counts when it is among the most of them
#: found within WINDOW syllables of each other: a section that says it in
#: one sentence ("báo cáo kết quả thực hiện hàng tháng") beats one with the
#: same words scattered over a page.
WINDOW = 8
WINDOW_WEIGHT = 0.5

#: The two positional fields of a section document a window or a pair lies in.
_FIELDS = ("heading_f", "body_f")


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
        self.known: dict[str, np.ndarray] = {}  # directive id -> its sections' scores, once computed

    def scores(self, rows: int, frequencies, positions) -> np.ndarray:
        """The score of each of ``rows`` section documents (rounded to 9 places, so
        that equal scores tie whatever order their terms were added in).

        ``frequencies(field, term)`` gives a term's frequency in each of them,
        ``positions(field, term)`` its occurrences in them as row << 32 |
        position keys, ascending (row: the document's place among the rows);
        ``positions`` is asked only about the folded fields.
        """
        score = np.zeros(rows)
        credited: dict[str, np.ndarray] = {}
        read: dict[tuple[str, str], np.ndarray] = {}  # windows and pairs ask for the same words

        def positions_of(field: str, term: str) -> np.ndarray:
            if (field, term) not in read:
                read[field, term] = positions(field, term)
            return read[field, term]

        counts = {w: frequencies("heading_f", w) + frequencies("body_f", w)
                  for w in sorted(set(self.folded) | {w for pair in self.pairs for w in pair})}
        for word in self._folded_in_order:
            count = counts[word]
            if word in self.plain:
                full = np.ones(rows)
            else:  # credited in full only where one of its spellings typed with marks is
                typed = sum(frequencies("heading", e) + frequencies("body", e) for e in sorted(self._typed_as[word]))
                full = np.where(typed > 0, 1.0, 0.0 if self.strict else 0.5)
            can = (count > 0) & (full > 0)
            score = score + np.where(can, full, 0.0)
            score = score + np.where(can, 0.1 * np.log1p(count), 0.0)
            credited[word] = can
        if WINDOW_WEIGHT and len(credited) > 1:
            score = score + WINDOW_WEIGHT * self._windows(credited, positions_of, rows)
        pairs = np.zeros(rows)
        for a, b in sorted(self.pairs):
            both = (counts[a] > 0) & (counts[b] > 0)
            if both.any():
                pairs += self._side_by_side(a, b, positions_of, rows)
        score = score + 0.5 * pairs
        for number in sorted(self.numbers):
            score = score + 2.0 * (frequencies("numbers", number) > 0)
        return np.round(score, 9)

    def _windows(self, credited: dict[str, np.ndarray], positions, rows: int) -> np.ndarray:
        """Per section, the most distinct credited words within WINDOW syllables
        of each other (0 where fewer than two words are credited)."""
        words = sorted(credited)
        several = np.sum([credited[w] for w in words], axis=0) > 1
        best = np.zeros(rows)
        if not several.any():
            return best
        for field in _FIELDS:
            places = []
            for word in words:
                found = positions(field, word)
                places.append(found[credited[word][found >> 32] & several[found >> 32]] if len(found) else found)
            keys, counts = _most_within(places, WINDOW)
            np.maximum.at(best, keys >> 32, counts)
        return best

    def _side_by_side(self, a: str, b: str, positions, rows: int) -> np.ndarray:
        """1.0 for each section where ``b`` directly follows ``a`` (in its heading or its text)."""
        found = np.zeros(rows)
        for field in _FIELDS:
            first, second = positions(field, a), positions(field, b)
            if len(first) and len(second):
                found[following(first, second, 1) >> 32] = 1.0
        return found


def _most_within(places: list[np.ndarray], width: int) -> tuple[np.ndarray, np.ndarray]:
    """Every place of every word (``places``: one sorted array of row << 32 |
    position keys per word), and how many of the words stand within the
    ``width`` syllables ending there, in its row: the most of them in any
    window of ``width`` consecutive syllables is the most at any such end."""
    keys = np.concatenate(places) if places else np.zeros(0, dtype=np.int64)
    counts = np.zeros(len(keys), dtype=np.int64)
    for own in places:
        if len(own):
            # The word's first place at or after the window's start, if the window holds it.
            at = np.searchsorted(own, keys - (width - 1))
            inside = at < len(own)
            inside[inside] = own[at[inside]] <= keys[inside]
            counts += inside
    return keys, counts


def best_sections(scores: np.ndarray, kinds: list[str], wanted: set[str] | None,
                  limit: int) -> list[tuple[int, float]]:
    """(index, score) of a directive's ``limit`` best-scoring sections (``scores``
    and ``kinds`` per section, depth first), best first; ties in document order;
    only sections of the ``wanted`` kinds (any, when None) that score at all."""
    scored = [(-score, i) for i, score in enumerate(scores.tolist())
              if score > 0 and (wanted is None or kinds[i] in wanted)]
    scored.sort()
    return [(i, -neg) for neg, i in scored[:limit]]
