"""Abbreviations of administrative Vietnamese and what they stand for: the one table.

The query parser offers both forms for each other: a query for "UBND" also
matches "Ủy ban nhân dân", and "ủy ban nhân dân" also matches "UBND".
Keys are lowercase tokens as SyllableAnalyzer produces them ("gd&đt").

    expand_abbreviation("UBND") -> ("ủy ban nhân dân",)
"""

from __future__ import annotations

from typing import Sequence

from analyzers.normalize import fold_token, normalize

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "ubnd": ("ủy ban nhân dân",),
    "hđnd": ("hội đồng nhân dân",),
    "gd&đt": ("giáo dục và đào tạo",),
    "gdđt": ("giáo dục và đào tạo",),
    "pgdđt": ("phòng giáo dục và đào tạo",),
    "sgdđt": ("sở giáo dục và đào tạo",),
    "bgdđt": ("bộ giáo dục và đào tạo",),
    "pgd": ("phòng giáo dục",),
    "sgd": ("sở giáo dục",),
    "thcs": ("trung học cơ sở",),
    "thpt": ("trung học phổ thông",),
    "th": ("tiểu học",),
    "mn": ("mầm non",),
    "mttq": ("mặt trận tổ quốc",),
    "mttqvn": ("mặt trận tổ quốc việt nam",),
    "ttg": ("thủ tướng",),
    "đu": ("đảng ủy",),
    "hu": ("huyện ủy",),
    "bch": ("ban chấp hành",),
    "btv": ("ban thường vụ",),
    "cbql": ("cán bộ quản lý",),
    "cntt": ("công nghệ thông tin",),
    "atgt": ("an toàn giao thông",),
}

_BY_FOLDED: dict[str, str] = {fold_token(k): k for k in ABBREVIATIONS}
_EXPANSIONS: list[tuple[tuple[str, ...], str]] = sorted(
    ((tuple(fold_token(s) for s in expansion.split()), abbreviation)
     for abbreviation, expansions in ABBREVIATIONS.items() for expansion in expansions),
    key=lambda pair: -len(pair[0]),
)


def expand_abbreviation(token: str) -> tuple[str, ...]:
    """The expansions of an abbreviation, written with or without diacritics."""
    key = normalize(token).lower()
    if key in ABBREVIATIONS:
        return ABBREVIATIONS[key]
    # Typed without diacritics, two letters are too ambiguous ("du" is not "đu").
    if len(key) < 3:
        return ()
    return ABBREVIATIONS.get(_BY_FOLDED.get(fold_token(key), ""), ())


def abbreviations_for(syllables: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, abbreviation) for each expansion found in a syllable sequence,
    longest first and not overlapping: ["ủy", "ban", "nhân", "dân", "huyện"] -> [(0, 4, "ubnd")]."""
    folded = [fold_token(s) for s in syllables]
    found: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for expansion, abbreviation in _EXPANSIONS:
        size = len(expansion)
        for start in range(len(folded) - size + 1):
            span = set(range(start, start + size))
            if tuple(folded[start:start + size]) == expansion and not span & taken:
                found.append((start, start + size, abbreviation))
                taken |= span
    return sorted(found)
