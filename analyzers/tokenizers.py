"""Whoosh tokenizers for Vietnamese: syllables, compound words, document numbers.

Each normalises its input first (Whoosh has no character filters) and reports
startchar/endchar into the ORIGINAL text, so a highlight wraps exactly what
the reader sees, whether the text came as NFD, with old tone marks or with
invisible characters. Tokens are lowercased here: every field wants it, and
doing it once keeps the chain within a few percent of segmentation's cost.

    [t.text for t in SyllableTokenizer()("Kế hoạch số 19/CT-TTg")] == ["kế", "hoạch", "số", "19", "ct", "ttg"]
"""

from __future__ import annotations

import functools
import re

from whoosh.analysis import Token, Tokenizer

from analyzers.normalize import fold_token, lower_and_fold, normalize_with_offsets
from analyzers.numbers import find_numbers, number_variants
from analyzers.segmentation import segment

# Letters and digits; "GD&ĐT" stays one token, as it is one abbreviation.
SYLLABLE = re.compile(r"[^\W_]+(?:&[^\W_]+)*")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


def _offsets(starts, ends, start: int, end: int, base: int) -> tuple[int, int]:
    if starts is None:
        return base + start, base + end
    return base + starts[start], base + ends[end - 1]


def _align(syllables, cursor: int, first_part: str) -> int:
    """Where a segmented word starts in the paragraph's syllables: underthesea
    may split a token ("gd&đt" -> "gd", "&", "đt") that is one syllable here."""
    if cursor < len(syllables) and syllables[cursor].group() == first_part:
        return cursor
    if cursor > 0 and first_part in syllables[cursor - 1].group():
        return cursor - 1
    for ahead in range(cursor + 1, min(cursor + 4, len(syllables))):
        if syllables[ahead].group() == first_part:
            return ahead
    return cursor


class SyllableTokenizer(Tokenizer):
    """One lowercase token per syllable, with positions and original offsets;
    ``fold``: without diacritics (fold_token), as FoldFilter would make them.

    Folding here rather than in FoldFilter folds the whole text in one
    str.translate (normalize.lower_and_fold) instead of each token in turn:
    -9 % of the time Whoosh takes to index a folded field (bench/README.md).
    """

    fold = False  # for tokenizers pickled into an index's schema before the option existed

    def __init__(self, fold: bool = False):
        self.fold = fold

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text, starts, ends = normalize_with_offsets(value)
        if not tokenize:
            token.original = token.text = text.lower()
            if self.fold:
                token.text = fold_token(token.text)
            token.boost, token.stopped = 1.0, False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        folded = None
        if self.fold:
            both = lower_and_fold(text)
            folded = both[1] if both is not None else None
        for pos, match in enumerate(SYLLABLE.finditer(text), start_pos):
            if folded is not None:
                token.text = folded[match.start():match.end()]
            elif self.fold:
                token.text = fold_token(match.group().lower())
            else:
                token.text = match.group().lower()
            token.boost, token.stopped = 1.0, False
            if keeporiginal:
                token.original = match.group().lower()
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = _offsets(starts, ends, match.start(), match.end(), start_char)
            yield token


@functools.lru_cache(maxsize=100_000)
def _word_parts(word: str) -> tuple[tuple[str, ...], str]:
    """A segmented word's syllables and its token ("ủy_ban"), remembered: a
    corpus has far fewer distinct words than words."""
    parts = tuple(SYLLABLE.findall(word))
    return parts, "_".join(parts)


def _paragraphs(lower: str):
    """(syllable matches, text to segment) of each paragraph of a normalised, lowercased text."""
    last = 0
    for paragraph_end in [m.start() for m in _PARAGRAPH_BREAK.finditer(lower)] + [len(lower)]:
        syllables = list(SYLLABLE.finditer(lower, last, paragraph_end))
        last = paragraph_end
        if syllables:
            yield syllables, " ".join(lower[syllables[0].start():syllables[-1].end()].split())


def segmentation_inputs(value: str) -> list[str]:
    """The paragraphs WordTokenizer hands to segment() for ``value``, in order
    (a build segments them ahead in worker processes)."""
    return [paragraph for _, paragraph in _paragraphs(normalize_with_offsets(value)[0].lower())]


def uses_segmentation(analyzer) -> bool:
    """Whether a field's analyzer segments words (its text is worth segmenting ahead)."""
    return any(isinstance(part, WordTokenizer) for part in getattr(analyzer, "items", [analyzer]))


class WordTokenizer(Tokenizer):
    """Compound words from underthesea, joined with "_" ("ủy_ban_nhân_dân").

    Text is segmented a paragraph at a time (words never glue across blank
    lines) and lowercased first, so an all-caps heading segments like the same
    words in running text.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text, starts, ends = normalize_with_offsets(value)
        pos = start_pos
        for syllables, paragraph in _paragraphs(text.lower()):
            cursor = 0
            for word in segment(paragraph):
                parts, joined = _word_parts(word)
                if not parts:
                    continue
                cursor = _align(syllables, cursor, parts[0])
                first = syllables[min(cursor, len(syllables) - 1)]
                last_match = syllables[min(cursor + len(parts), len(syllables)) - 1]
                cursor += len(parts)
                token.text = joined
                token.boost, token.stopped = 1.0, False
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar, token.endchar = _offsets(starts, ends, first.start(), last_match.end(),
                                                              start_char)
                pos += 1
                yield token


class NumberTokenizer(Tokenizer):
    """Only the document numbers in the text, in canonical form (see analyzers.numbers)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text, starts, ends = normalize_with_offsets(value)
        for pos, match in enumerate(find_numbers(text), start_pos):
            for variant in number_variants(match.canonical):
                token.text = variant
                token.boost, token.stopped = 1.0, False
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar, token.endchar = _offsets(starts, ends, match.start, match.end, start_char)
                yield token
