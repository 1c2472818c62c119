"""The facets of the sidebar, one small class each (Datasette's Facet shape).

A Facet is a request parameter that filters on one column of the index
(searcher.handle.Columns) and is counted over the matches: it says which
column it reads, which of the column's values a filter value stands for, how
it counts directives per value, how a value is labelled and ordered, and the
search with a value ticked or unticked. A new facet is one class added to
FACETS; run_search, the request's parameters, the chips, the JSON and the
sidebar follow.

    FACETS["issuer"].ordinals(snapshot.docs, ["ubnd huyen cu chi"])   # ordinals of its column's values
"""

from __future__ import annotations

import functools

import numpy as np

import analyzers
import corpus
from corpus.model import SECTION_KIND_LABELS
from corpus.orgs import lacks_place
from searcher.results import FacetValue, Params


def distinct_count(ordinals: np.ndarray) -> int:
    """How many different values (small non-negative integers) ``ordinals`` holds;
    a bincount, linear where np.unique hashes or sorts."""
    return int(np.count_nonzero(np.bincount(ordinals))) if len(ordinals) else 0


def directives_per_value(values: np.ndarray, directives: np.ndarray) -> dict[int, int]:
    """Facet ordinal -> number of distinct directives among the documents given."""
    if not len(values):
        return {}
    if distinct_count(directives) == len(directives):  # one document per directive: count them
        counts = np.bincount(values)
    else:
        width = int(directives.max()) + 1
        pairs = np.unique(values.astype(np.int64) * width + directives)
        counts = np.bincount(pairs // width)
    return {int(o): int(c) for o, c in enumerate(counts) if c}


class Facet:
    """A facet over the column ``column``, filtered by the request parameter ``name``."""

    name: str
    column: str
    title: str  # its heading in the sidebar and on chips, in Vietnamese
    #: value -> label of a closed list (an unknown value is a 400), or None for values the index holds.
    vocabulary: dict[str, str] | None = None

    def label(self, value) -> str:
        """How a value is shown."""
        if self.vocabulary is not None:
            return self.vocabulary.get(value, str(value))
        return str(value)

    def ordinals(self, cols, values: list) -> set[int]:
        """The ordinals of the column's values that ``values`` (a filter) stand for."""
        return cols.ordinals_of(self.column, values)

    def keep(self, cols, docnums: np.ndarray, ordinals: set[int]) -> np.ndarray:
        """The documents among ``docnums`` whose value is one of ``ordinals``."""
        allowed = np.fromiter(ordinals, dtype=np.int32, count=len(ordinals))
        return docnums[np.isin(cols.values[self.column][docnums], allowed)]

    def count(self, cols, docnums: np.ndarray) -> dict[int, int]:
        """Ordinal -> matching directives with that value, over the documents ``docnums``."""
        return directives_per_value(cols.values[self.column][docnums], cols.directive[docnums])

    def sort_key(self, entry: dict):
        return -entry["count"], str(entry["label"])

    def values(self, selected: list, labels: list, counts: dict[int, int]) -> list[dict]:
        """{value, label, count, selected} per value counted, the most common first,
        then the ``selected`` values, first of all (a capped list still shows them)."""
        ticked = set(map(str, selected))
        entries = []
        for ordinal, count in counts.items():
            value = labels[ordinal]
            if value in ("", None, 0):
                continue
            entries.append({"value": value, "label": self.label(value), "count": count,
                            "selected": str(value) in ticked})
        present = {str(e["value"]) for e in entries}
        for value in selected:  # a selected value with no matches stays visible
            if str(value) not in present:
                entries.append({"value": value, "label": self.label(value), "count": 0, "selected": True})
        entries.sort(key=self.sort_key)
        return [e for e in entries if e["selected"]] + [e for e in entries if not e["selected"]]

    def shown(self, entries: list[dict], limit: int, pairs: Params) -> list[FacetValue]:
        """The first ``limit`` values, each with its toggle (built for these only: a facet may have thousands)."""
        return [FacetValue(**e, toggle=self.toggle(pairs, e["value"])) for e in entries[:limit]]

    def toggle(self, pairs: Params, value) -> Params:
        """The search ``pairs`` with ``value`` unticked when it is ticked, else ticked."""
        item = (self.name, str(value))
        if item in pairs:
            return [p for p in pairs if p != item]
        return pairs + [item]


class _Names(Facet):
    """Names (issuers, signers) match as typed, with or without marks (analyzers.typed_matches)."""

    def ordinals(self, cols, values: list) -> set[int]:
        found = super().ordinals(cols, values)
        typed = [analyzers.syllables(v) for v in values]
        for ordinal, label in enumerate(cols.labels[self.column]):
            if label and ordinal not in found:
                if any(analyzers.typed_matches_all(t, label_syllables(label)) for t in typed):
                    found.add(ordinal)
        return found


@functools.lru_cache(maxsize=100_000)
def label_syllables(label: str) -> list[str]:
    """A facet value's syllables (names and issuers are read on every request
    that filters by them or could name them)."""
    return analyzers.syllables(label)


class DocType(Facet):
    name, column, title = "doc_type", "doc_type", "Loại văn bản"
    vocabulary = corpus.DOC_TYPES


class Issuer(_Names):
    name, column, title = "issuer", "issuer", "Cơ quan ban hành"

    def label(self, value) -> str:
        if lacks_place(str(value)):
            # "Ủy ban nhân dân huyện" alone would read as one body; it is any district's.
            return f"{value} (chưa rõ tên)"
        return str(value)


class Year(Facet):
    name, column, title = "year", "year", "Năm"

    def sort_key(self, entry: dict):
        return -int(entry["value"])  # newest first


class Section(Facet):
    """Counted over the section documents: the kinds of section in which the matched directives match."""

    name, column, title = "section", "kind", "Phần văn bản"
    vocabulary = SECTION_KIND_LABELS


class Signer(_Names):
    name, column, title = "signer", "signer", "Người ký"


#: Request parameter -> facet; the order of the sidebar.
FACETS: dict[str, Facet] = {facet.name: facet for facet in (DocType(), Issuer(), Year(), Section(), Signer())}
