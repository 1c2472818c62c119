"""Snippets and highlighting: HTML-escaped text with <mark> around matched words.

Words are found with the same analyzers as the index, whose character offsets
point into the original text, so a mark wraps exactly what the reader sees
even when the text is in NFD or old-style tone marks. A word matches when it
is a query word with its diacritics, a query word typed without diacritics
(compared folded), an abbreviation or its expansion, or a document number.

    snippet("Kế hoạch phòng, chống dịch COVID-19 ...", parsed.highlight_terms())
"""

from __future__ import annotations

import functools
import re

from html import escape

from markupsafe import Markup

import analyzers

SNIPPET_CHARS = 260
_ANALYZER = analyzers.SyllableAnalyzer()


def match_spans(text: str, terms) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of ``text`` that match ``terms``."""
    if not text or not (terms.exact or terms.folded or terms.numbers):
        return []
    spans = _word_spans(text, terms)
    if terms.numbers:
        spans.extend((m.start, m.end) for m in analyzers.find_numbers(text) if m.canonical in terms.numbers)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _word_spans(text: str, terms) -> list[tuple[int, int]]:
    """Spans of the syllables matching a query word with or without its diacritics.

    The syllables are those of SyllableAnalyzer. The text is folded at once
    and searched for the folded query words where they stand as syllables of
    their own; a text that cannot be folded character for character goes
    through the analyzer token by token.
    """
    normal, starts, ends = analyzers.normalize_with_offsets(text)
    both = analyzers.lower_and_fold(normal)
    if both is None:
        return [(token.startchar, token.endchar) for token in _ANALYZER(text, chars=True)
                if token.text in terms.exact or (terms.folded and analyzers.fold_token(token.text) in terms.folded)]
    lower, folded = both
    wanted = terms.folded | {analyzers.fold_token(word) for word in terms.exact}
    if not wanted:
        return []
    spans = []
    for match in _syllables_among(frozenset(wanted)).finditer(folded):
        start, end = match.span()
        if lower[start:end] in terms.exact or match.group() in terms.folded:
            spans.append((start, end) if starts is None else (starts[start], ends[end - 1]))
    return spans


_LETTER = r"[^\W_]"  # what analyzers.SYLLABLE's syllables are made of (joined by "&")


@functools.lru_cache(maxsize=256)
def _syllables_among(words: frozenset[str]) -> re.Pattern:
    """Finds the words where SyllableAnalyzer would find them as whole syllables:
    not inside a longer one, nor a part of syllables joined by "&" ("gd" is not
    in "gd&dt"). One C regex search instead of a Python loop over every syllable."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<!{_LETTER})(?<!{_LETTER}&)(?:{alternatives})(?!{_LETTER})(?!&{_LETTER})")


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> Markup:
    """``text[start:end]`` escaped, with <mark> around the spans inside it."""
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return Markup("".join(out))


def highlight(text: str, terms) -> Markup:
    """The whole text, escaped, with matches marked (document pages)."""
    return mark(text, match_spans(text, terms))


def snippet(text: str, terms, width: int = SNIPPET_CHARS) -> Markup:
    """The window of ``text`` with the most matches, cut at word boundaries."""
    text = " ".join(text.split())
    spans = match_spans(text, terms)
    if len(text) <= width:
        return mark(text, spans)
    start = _best_window(text, spans, width)
    end = min(len(text), start + width)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return Markup(escape(prefix)) + mark(text, spans, start, end) + Markup(escape(suffix))


def _best_window(text: str, spans: list[tuple[int, int]], width: int) -> int:
    if not spans:
        return 0
    best_start, best_count, j = 0, -1, 0
    for i, (s, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= s + width:
            j += 1
        if j - i > best_count:
            best_count, best_start = j - i, s
    # Some context before the first match.
    return max(0, best_start - width // 5)
