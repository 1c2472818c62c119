"""Ways of writing the same thing, offered for each other at query time: the one table.

Each group lists forms as SyllableAnalyzer reads them ("Covid-19" and
"COVID 19" are both "covid 19"; "TP.HCM" and "TP HCM" are both "tp hcm").
A query containing one form also matches the others, so the index does not
grow. Related wording (``RELATED``) is offered too, at a lower weight.
alternatives_for() also offers the abbreviations table (analyzers.abbreviations)
both ways, so the query parser has one mechanism for both tables.

Forms are matched as typed syllables are (analyzers.normalize.typed_matches):
"vac xin" finds the form "vắc xin", "vặc xin" does not; when the user typed
without marks, the other forms are offered without marks too.

    alternatives_for(["covid", "19"]) -> [Variants(0, 2, ((("covid19",), 1.0),), as_written=True)]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

from analyzers.abbreviations import ABBREVIATIONS, expand_abbreviation
from analyzers.normalize import fold_token, typed_matches_all

#: Groups of forms that mean the same thing.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("covid 19", "covid19"),
    ("thành phố hồ chí minh", "tp hcm", "tphcm"),
    ("hồ chí minh", "hcm"),
    ("vắc xin", "vắcxin", "vaccine"),
)

#: Groups of forms close enough to offer for each other, below the typed form.
RELATED: tuple[tuple[str, ...], ...] = (
    ("trực tuyến", "online"),
)
#: Weight of a related form's match against the typed form's.
RELATED_WEIGHT = 0.6


@dataclass(frozen=True)
class Variants:
    """Syllables ``start:end`` of a query may also be written as each of ``forms``
    (syllables, weight): exactly as written when ``as_written``, else (the
    user typed the span without its marks) without marks."""

    start: int
    end: int
    forms: tuple[tuple[tuple[str, ...], float], ...]
    as_written: bool = True


def _groups():
    for group in SYNONYMS:
        yield [tuple(form.split()) for form in group], 1.0
    for group in RELATED:
        yield [tuple(form.split()) for form in group], RELATED_WEIGHT
    for abbreviation, expansions in ABBREVIATIONS.items():
        yield [(abbreviation,), *(tuple(e.split()) for e in expansions)], 1.0


# (form, the other forms with their weight), longest form first: the longest match wins.
_FORMS: list[tuple[tuple[str, ...], tuple[tuple[tuple[str, ...], float], ...]]] = sorted(
    ((form, tuple((other, weight) for other in group if other != form))
     for group, weight in _groups() for form in group),
    key=lambda pair: -len(pair[0]),
)


def _without_marks(typed: Sequence[str], form: tuple[str, ...]) -> bool:
    """Whether the user typed this form without (some of) its marks."""
    return any(fold_token(t) == t and fold_token(f) != f for t, f in zip(typed, form))


# The same, by the folded first syllable of the form: a query looks up its own syllables.
_BY_FIRST: dict[str, list] = {}
for _form, _others in _FORMS:
    _BY_FIRST.setdefault(fold_token(_form[0]), []).append((_form, _others))


def alternatives_for(syllables: Sequence[str]) -> list[Variants]:
    """Every span of ``syllables`` (lowercase, normalised) with other ways of
    writing it, longest first and not overlapping, in order of position."""
    return list(_alternatives(tuple(syllables)))


@functools.lru_cache(maxsize=4096)
def _alternatives(syllables: tuple[str, ...]) -> tuple[Variants, ...]:
    # Query building, highlighting and section scoring all ask about the same runs.
    candidates = []  # (size, start, form, others), longest form first, then by position
    for start, syllable in enumerate(syllables):
        for form, others in _BY_FIRST.get(fold_token(syllable), ()):
            size = len(form)
            if start + size <= len(syllables) and _matches(syllables[start:start + size], form):
                candidates.append((-size, start, form, others))
    found: list[Variants] = []
    taken: set[int] = set()
    for negative_size, start, form, others in sorted(candidates, key=lambda c: c[:2]):
        span = set(range(start, start - negative_size))
        if span & taken:
            continue
        typed = syllables[start:start - negative_size]
        if _without_marks(typed, form):
            found.append(Variants(start, start - negative_size, tuple(
                (tuple(fold_token(s) for s in other), weight) for other, weight in others), as_written=False))
        else:
            found.append(Variants(start, start - negative_size, others))
        taken |= span
    return tuple(sorted(found, key=lambda v: v.start))


def _matches(typed: Sequence[str], form: tuple[str, ...]) -> bool:
    if len(form) == 1 and form[0] in ABBREVIATIONS:
        # An abbreviation follows its table's rules (two letters typed
        # without marks are too ambiguous: "du" is not "đu").
        return form[0] in _abbreviation_keys(typed[0])
    return typed_matches_all(typed, form)


def _abbreviation_keys(token: str) -> set[str]:
    """The abbreviations table's keys a typed token stands for."""
    expansions = expand_abbreviation(token)
    return {key for key, values in ABBREVIATIONS.items() if values == expansions} if expansions else set()
