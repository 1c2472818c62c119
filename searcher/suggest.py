"""Autocomplete for the search box: document numbers, issuers and titles that begin with what was typed.

Suggester.from_briefs() lays out, once per served generation, sorted keys
(folded: no diacritics, lowercase) for every number, for every word start of
every title and issuer; lookup() finds the keys beginning with the typed text
by bisection, so a keystroke costs a few dozen comparisons and a short scan,
whatever the corpus size. /api/v1/suggest serves it; app.js turns it into a
WAI-ARIA combobox.

    suggestions(snapshot, "655/")   # [{"type": "number", "label": "655/KH-PGDĐT", …}]
"""

from __future__ import annotations

import bisect
import re
import threading
import weakref
from dataclasses import dataclass

import analyzers

DEFAULT_LIMIT = 8
MAX_LIMIT = 20
MAX_QUERY_CHARS = 200
#: Issuers among the suggestions at most (they filter; numbers and titles open a directive).
MAX_ISSUERS = 3
#: Matching keys read per kind before ranking; a one-letter prefix matches thousands.
SCAN = 200
#: Keys are cut here: nobody types further before picking.
KEY_CHARS = 80

_NOT_WORD = re.compile(r"[^\w/.-]+")


def fold_key(text: str) -> str:
    """What a key or the typed text is compared as: "Phòng GD&ĐT, huyện" -> "phong gd dt huyen"."""
    return _NOT_WORD.sub(" ", analyzers.fold(text)).strip()


def _word_starts(key: str):
    yield 0
    for found in re.finditer(" ", key):
        yield found.end()


@dataclass
class _Table:
    """Sorted keys and, for each, the ordinal of what it names and whether it is that name's start."""

    keys: list[str]
    ordinals: list[int]
    at_start: list[bool]

    @classmethod
    def build(cls, names: list[str | None], every_word: bool) -> _Table:
        rows = []
        for ordinal, name in enumerate(names):
            key = fold_key(name) if name else ""
            if not key:
                continue
            starts = _word_starts(key) if every_word else (0,)
            rows.extend((key[i:i + KEY_CHARS], ordinal, i == 0) for i in starts)
        rows.sort()
        return cls([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])

    def matches(self, prefix: str) -> list[tuple[int, bool]]:
        """(ordinal, matched at the start) of up to SCAN keys beginning with ``prefix``."""
        i = bisect.bisect_left(self.keys, prefix)
        found = []
        while i < len(self.keys) and len(found) < SCAN and self.keys[i].startswith(prefix):
            found.append((self.ordinals[i], self.at_start[i]))
            i += 1
        return found


class Suggester:
    def __init__(self, briefs):
        """``briefs``: (id, sort_date, number, doc_type_label, title, issuer) per directive."""
        rows = [b for b in briefs if b[4] or b[2]]
        self.ids = [r[0] for r in rows]
        self.dates = [r[1] or 0 for r in rows]
        self.numbers = [r[2] for r in rows]
        self.labels = [r[3] for r in rows]
        self.titles = [analyzers.normalize(r[4] or "") for r in rows]
        counts: dict[str, int] = {}
        for r in rows:
            if r[5]:
                issuer = analyzers.normalize(r[5])
                counts[issuer] = counts.get(issuer, 0) + 1
        self.issuers = list(counts)
        self.issuer_counts = [counts[i] for i in self.issuers]
        self.by_number = _Table.build(self.numbers, every_word=False)
        self.by_title = _Table.build(self.titles, every_word=True)
        self.by_issuer = _Table.build(self.issuers, every_word=True)

    @classmethod
    def from_briefs(cls, briefs) -> Suggester:
        return cls(briefs)

    def lookup(self, typed: str, limit: int = DEFAULT_LIMIT) -> list[dict]:
        """{type, label, value, detail, id}: ``id`` is the directive a number or
        title opens (None for an issuer, which filters the search by ``value``)."""
        prefix = fold_key(typed[:MAX_QUERY_CHARS])
        if not prefix:
            return []
        out: list[dict] = []
        # Numbers: newest first.
        numbers = {o for o, _ in self.by_number.matches(prefix)}
        for o in sorted(numbers, key=lambda o: (-self.dates[o], self.ids[o]))[:limit]:
            out.append({"type": "number", "label": self.numbers[o], "value": self.numbers[o],
                        "detail": self._describe(o, with_number=False), "id": self.ids[o]})
        # Issuers: named at the start first, then the ones with most directives.
        issuers: dict[int, bool] = {}
        for o, start in self.by_issuer.matches(prefix):
            issuers[o] = issuers.get(o, False) or start
        ranked = sorted(issuers, key=lambda o: (not issuers[o], -self.issuer_counts[o], self.issuers[o]))
        for o in ranked[:min(MAX_ISSUERS, max(0, limit - len(out)))]:
            out.append({"type": "issuer", "label": self.issuers[o], "value": self.issuers[o],
                        "detail": f"Cơ quan ban hành · {self.issuer_counts[o]} văn bản", "id": None})
        # Titles: those beginning with the typed words first, then newest first.
        titles: dict[int, bool] = {}
        for o, start in self.by_title.matches(prefix):
            titles[o] = titles.get(o, False) or start
        shown = {s["id"] for s in out}
        for o in sorted(titles, key=lambda o: (not titles[o], -self.dates[o], self.ids[o])):
            if len(out) >= limit:
                break
            if self.ids[o] not in shown:
                out.append({"type": "title", "label": self.titles[o], "value": self.titles[o],
                            "detail": self._describe(o), "id": self.ids[o]})
        return out[:limit]

    def _describe(self, o: int, with_number: bool = True) -> str:
        what = self.labels[o] or "Văn bản"
        if with_number and self.numbers[o]:
            what += f" số {self.numbers[o]}"
        year = self.dates[o] // 10000
        if not with_number:
            what = _short(self.titles[o]) or what
        return f"{what}{f' · {year}' if year else ''}"


def _short(text: str, chars: int = 120) -> str:
    return text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + " …"


_built: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def suggester(snap) -> Suggester:
    """The snapshot's Suggester, built on its first use (one per generation)."""
    with _lock:
        found = _built.get(snap)
        if found is None:
            found = _built[snap] = Suggester.from_briefs(snap.store.briefs())
        return found


def suggestions(snap, typed: str, limit: int = DEFAULT_LIMIT) -> list[dict]:
    return suggester(snap).lookup(typed, limit)
