"""Whoosh queries evaluated over posting lists held as numpy arrays.

Whoosh's matchers score one posting at a time in Python: a two-word query
over 10,000 directives is some 100,000 BM25 calls through layers of matcher
objects. Here each term's posting list (docnums and term frequencies) is
taken from the copy the indexer wrote of the segment's long lists
(indexer.posting_arrays: memory-mapped docnum gaps and narrow arrays), or else
read from Whoosh's blocks, and kept in a byte-bounded LRU shared by the snapshot's
threads. A folded field (a word typed without marks) is not written: its
word's postings are those of every spelling in the exact field that folds to
it, added up, its lengths the exact field's (indexer.schema.FOLDED_FROM).
A query tree of Term / And / Or / DisjunctionMax / AndNot /
ConstantScoreQuery (over Terms or Prefixes) is evaluated as array
operations: a boolean mask of matching units and, when asked, their
scores (a term inside a compound is added in place at the units that hold
it, never spread over an array of every unit first). A unit is a document
(the IndexArrays themselves), or a directive or a section (a Level: a
directive sums its head and section documents' frequencies and lengths).
The scores are Whoosh's own BM25F over the units (same idf formula, same
byte-quantised field lengths, same boosts, the same quirk of ignoring the
boost of a one-clause compound). Phrases take each
word's positions the same way (docnum << 32 | position, sorted; only for the
documents asked about when the caller says which; a folded word's merged
from its spellings'), chain them by binary
search within a document, then count for the document's unit. What this
needs of Whoosh below its public API (blocks, term infos, length bytes,
BM25F's parameters) comes from indexer.whoosh_private.

    arrays = IndexArrays(reader); mask, scores = Evaluator(arrays, searcher).run(query)
    Evaluator(Level("directives", arrays, directive_of_docnum, live_directives), searcher).run(query)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from math import log

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from analyzers import fold_token
from indexer import posting_arrays
from indexer.array_ops import ranges
from indexer.posting_arrays import SegmentArrays, leaf_terms
from indexer.schema import FOLDED_FROM
from indexer.whoosh_private import (bm25f_parameters, length_bytes, raw_matcher, read_positions, read_postings,
                                    segment_id)

#: Bytes of posting arrays a snapshot keeps in its LRU: the lists decoded from
#: Whoosh's blocks or added up from the copies' gaps, the positions expanded
#: from them, the directives' summed postings and the sections' title
#: postings fanned out from their head documents (postings.Level).
CACHE_BYTES = 64 * 2**20

# Field lengths are decoded from Whoosh's byte per document into whole numbers.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.int32)


class UnsupportedQuery(TypeError):
    """A query node or weighting this module does not evaluate (searcher.query builds none)."""


class IndexArrays:
    """Per Whoosh index of one snapshot: live documents, field lengths and a
    cache of decoded postings. Thread-safe; readers are the caller's own
    (Whoosh file objects must not be shared between threads)."""

    def __init__(self, reader, cache_bytes: int = CACHE_BYTES):
        self.doc_count = reader.doc_count_all()
        # Folded fields -> the exact field their postings, positions and
        # lengths are read from (indexer.schema.FOLDED_FROM).
        schema = reader.schema
        self._folded_from = {field: exact for field, exact in FOLDED_FROM.items()
                             if field in schema and exact in schema}
        self._spellings: dict[str, dict[bytes, tuple[bytes, ...]]] = {}
        self.live = live_mask(reader)
        # Segment id -> its copied posting lists (memory-mapped), where it has them.
        self.segments = {}
        for leaf, _ in reader.leaf_readers():
            copied = SegmentArrays.open(leaf)
            if copied is not None:
                self.segments[segment_id(leaf)] = copied
        self._lengths: dict[str, np.ndarray] = {}
        self._cache: OrderedDict = OrderedDict()
        self._cache_bytes = 0
        self._budget = cache_bytes
        self._lock = threading.Lock()

    # Field lengths, as Whoosh's BM25F sees them (quantised to a byte per document).

    def lengths(self, reader, fieldname: str, docnums: np.ndarray) -> np.ndarray:
        """The field's length in each of ``docnums``. Kept as Whoosh stores it,
        a byte per document, and decoded only for the documents asked about."""
        fieldname = self._folded_from.get(fieldname, fieldname)  # the same syllables, as many
        found = self._lengths.get(fieldname)
        if found is None:
            found = np.zeros(self.doc_count, dtype=np.uint8)
            for leaf, offset in reader.leaf_readers():
                found[offset:offset + leaf.doc_count_all()] = length_bytes(leaf, fieldname)
            self._lengths[fieldname] = found
        return _LENGTH_OF_BYTE[found[docnums]]

    # Postings read from Whoosh's blocks or computed, LRU by bytes.

    def cached(self, key, load):
        """``load()`` -> (value, whether to keep it), kept in the LRU when so."""
        with self._lock:
            value = self._cache.get(key)
            if value is not None:
                self._cache.move_to_end(key)
                return value
        value, keep = load()
        if not keep:
            return value
        size = _heap_bytes(value)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = value
                self._cache_bytes += size
                while self._cache_bytes > self._budget and len(self._cache) > 1:
                    _, old = self._cache.popitem(last=False)
                    self._cache_bytes -= _heap_bytes(old)
        return value

    def close(self) -> None:
        """Drop the cache and the memory maps (the snapshot is closing)."""
        with self._lock:
            self._cache.clear()
            self._cache_bytes = 0
        self.segments = {}

    def postings(self, reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, weights) of a term over the whole index, deleted documents
        included. A folded word's are its spellings' in the exact field,
        frequencies added up where a document writes several."""
        exact = self._folded_from.get(fieldname)
        if exact is None:
            return self.cached(("t", fieldname, btext),
                               lambda: _read_postings(reader, fieldname, btext, self.segments))
        spellings = self.spellings(reader, exact).get(btext, ())
        if len(spellings) == 1:
            return self.postings(reader, exact, spellings[0])
        return self.cached(("t", fieldname, btext), lambda: (
            _added_up([self.postings(reader, exact, spelling) for spelling in spellings]), True))

    def has_term(self, reader, fieldname: str, btext: bytes) -> bool:
        exact = self._folded_from.get(fieldname)
        if exact is None:
            return (fieldname, btext) in reader
        return btext in self.spellings(reader, exact)

    def positions(self, reader, fieldname: str, btext: bytes, within: np.ndarray | None = None) -> np.ndarray:
        """Every occurrence of a term as docnum << 32 | position, ascending;
        with ``within`` (sorted docnums), only theirs. A folded word's are
        those of every spelling that folds to it, in the exact field."""
        exact = self._folded_from.get(fieldname)
        if exact is not None:
            spellings = self.spellings(reader, exact).get(btext, ())
            if len(spellings) == 1:
                return self.positions(reader, exact, spellings[0], within)
            if within is not None:
                return _merged([self._positions_within(reader, exact, s, within) for s in spellings])
            return self.cached(("p", fieldname, btext), lambda: (
                (_merged([_read_positions(reader, exact, s, self.segments) for s in spellings]),), True))[0]
        if within is not None:
            return self._positions_within(reader, fieldname, btext, within)
        return self.cached(("p", fieldname, btext),
                           lambda: ((_read_positions(reader, fieldname, btext, self.segments),), True))[0]

    def _positions_within(self, reader, fieldname: str, btext: bytes, within: np.ndarray) -> np.ndarray:
        # A long list is read for the documents asked about alone; a short one
        # (a block or so, uncopied: decoding it is the cost) once, kept, then narrowed.
        if reader.doc_frequency(fieldname, btext) >= posting_arrays.MIN_POSTINGS:
            return _read_positions(reader, fieldname, btext, self.segments, within)
        keys = self.positions(reader, fieldname, btext)
        return keys[np.isin(keys >> 32, within)]

    def spellings(self, reader, fieldname: str) -> dict[bytes, tuple[bytes, ...]]:
        """The field's terms grouped by their folded form (analyzers.fold_token),
        in the lexicon's order; one walk of the lexicon per snapshot."""
        found = self._spellings.get(fieldname)
        if found is None:
            grouped: dict[bytes, list[bytes]] = {}
            for btext in reader.lexicon(fieldname):
                folded = fold_token(btext.decode("utf-8")).encode("utf-8")
                grouped.setdefault(folded, []).append(btext)
            found = {folded: tuple(spellings) for folded, spellings in grouped.items()}
            with self._lock:
                found = self._spellings.setdefault(fieldname, found)
        return found

    # What an Evaluator reads of the units it scores: here each document, with Whoosh's own statistics.

    def units(self, docnums: np.ndarray, fieldname: str | None = None) -> np.ndarray:
        """The unit each document counts for: itself."""
        return docnums

    def documents_of(self, units: np.ndarray) -> np.ndarray:
        return units

    def idf(self, searcher, fieldname: str, btext: bytes, ids: np.ndarray) -> float:
        if fieldname not in self._folded_from:
            return searcher.idf(fieldname, btext)
        # whoosh.scoring.WeightingModel.idf, the documents holding any spelling
        return log(self.doc_count / (len(ids) + 1)) + 1

    def avg_length(self, searcher, fieldname: str) -> float:
        return searcher.avg_field_length(self._folded_from.get(fieldname, fieldname)) or 1

    def unit_frequency(self, reader, fieldname: str, btext: bytes) -> int:
        """Units (here documents, deleted ones included, as Whoosh counts) holding the term."""
        if fieldname not in self._folded_from:
            return reader.doc_frequency(fieldname, btext)
        return len(self.postings(reader, fieldname, btext)[0])


class Level:
    """The units an Evaluator ranks over one Whoosh index's IndexArrays when a
    unit is not a document: a directive (its head document and its sections,
    their term frequencies and field lengths summed) or a section alone (the
    head documents left out, the head's title counted for each of its sections).

    BM25F is computed as Whoosh computes it for a document, over the units:
    N is the live units, a term's document frequency the live units holding
    it, a field's length a unit's summed (byte-quantised) lengths and its
    average over the live units.

    ``unit``: docnum -> unit ordinal (-1: a document that is no unit), or
    None when each unit is a document of its own (the sections): ``live``
    then says which documents are units, and searched. ``live``: per unit,
    whether it is searched. ``fanned``: fields whose
    postings and lengths a unit takes from another document: field ->
    function (fieldname, term bytes) -> (unit ids, weights), ``source``:
    unit -> the docnum whose length of those fields it takes (-1: none), and
    ``spread``: source docnums -> the units they give those fields to (where a
    phrase found in a fanned field counts).

    What it keeps is per unit and per field, never a copy of a per-document
    array it can read from ``arrays`` when asked (at 50,000 directives each
    such array is 2.9 MB of a server's memory for as long as it runs).
    """

    def __init__(self, name: str, arrays: IndexArrays, unit: np.ndarray | None, live: np.ndarray,
                 fanned: dict | None = None, source: np.ndarray | None = None, spread=None):
        self.name = name
        self.arrays = arrays
        self.unit = unit
        self.doc_count = len(live)  # units, as the Evaluator's result arrays count them
        self.live = live
        self._count = max(1, int(np.count_nonzero(live)))
        self._fanned = fanned or {}
        self._source = source
        self._spread = spread
        self._one_to_one = unit is None  # a unit per docnum: postings need no summing
        self._lengths: dict[str, np.ndarray] = {}
        self._average: dict[str, float] = {}
        if not self._one_to_one:
            # Docnums grouped by unit, for phrases asked about a few units only.
            members = self._members()
            self._by_unit = members[np.argsort(unit[members], kind="stable")]
            self._starts = np.searchsorted(unit[self._by_unit], np.arange(self.doc_count + 1))

    def _members(self) -> np.ndarray:
        """The docnums counted for some unit, ascending (computed when asked:
        once per field, and kept by nobody)."""
        return np.flatnonzero(self.arrays.live & (self.unit >= 0)).astype(np.int32)

    def postings(self, reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(unit ids ascending, term frequencies) of a term; units that are not live may be among them."""
        fan = self._fanned.get(fieldname)
        if fan is not None:
            return self.arrays.cached((self.name, fieldname, btext), lambda: (fan(fieldname, btext), True))
        if self._one_to_one:
            return self.arrays.postings(reader, fieldname, btext)
        return self.arrays.cached((self.name, fieldname, btext),
                                  lambda: (self._summed(reader, fieldname, btext), True))

    def _summed(self, reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        ids, weights = self.arrays.postings(reader, fieldname, btext)
        units = self.unit[ids]
        keep = self.arrays.live[ids] & (units >= 0)
        if not keep.all():  # (mostly every posting counts: no copies of a long list's two arrays then)
            units, weights = units[keep], weights[keep]
        del keep
        total = np.bincount(units, weights=weights, minlength=self.doc_count)
        found = np.flatnonzero(total)
        return found.astype(np.int32), total[found].astype(np.float32)

    def lengths(self, reader, fieldname: str, units: np.ndarray) -> np.ndarray:
        if fieldname in self._fanned:
            return self._fanned_lengths(reader, fieldname, units)
        if self._one_to_one:
            return self.arrays.lengths(reader, fieldname, units)
        return self._unit_lengths(reader, fieldname)[units]

    def _fanned_lengths(self, reader, fieldname: str, units: np.ndarray) -> np.ndarray:
        """A fanned field's length in each of ``units``: its source document's (0: none)."""
        found = np.zeros(len(units), dtype=np.int32)
        sources = self._source[units]
        has = sources >= 0
        found[has] = self.arrays.lengths(reader, fieldname, sources[has])
        return found

    def _unit_lengths(self, reader, fieldname: str) -> np.ndarray:
        """Each unit's length of a field it sums from its documents (a directive's)."""
        found = self._lengths.get(fieldname)
        if found is None:
            members = self._members()
            # whole numbers: float32 holds them exactly up to 2**24 syllables a directive
            found = np.bincount(self.unit[members], weights=self.arrays.lengths(reader, fieldname, members),
                                minlength=self.doc_count).astype(np.float32)
            self._lengths[fieldname] = found
        return found

    def idf(self, searcher, fieldname: str, btext: bytes, ids: np.ndarray) -> float:
        # whoosh.scoring.WeightingModel.idf over the units
        return log(self._count / (np.count_nonzero(self.live[ids]) + 1)) + 1

    def avg_length(self, searcher, fieldname: str) -> float:
        found = self._average.get(fieldname)
        if found is None:
            lengths = self.lengths(searcher.reader(), fieldname, np.flatnonzero(self.live))
            total = float(lengths.sum(dtype=np.float64))
            found = self._average[fieldname] = (total / self._count) or 1
        return found

    def unit_frequency(self, reader, fieldname: str, btext: bytes) -> int:
        """Live units holding the term."""
        ids, _ = self.postings(reader, fieldname, btext)
        return int(np.count_nonzero(self.live[ids]))

    def positions(self, reader, fieldname: str, btext: bytes, within: np.ndarray | None = None) -> np.ndarray:
        return self.arrays.positions(reader, fieldname, btext, within)

    def has_term(self, reader, fieldname: str, btext: bytes) -> bool:
        return self.arrays.has_term(reader, fieldname, btext)

    def units(self, docnums: np.ndarray, fieldname: str | None = None) -> np.ndarray:
        """The units of the live ``docnums`` (a deleted document's directive may live on, re-added);
        in a fanned field, also the units the documents give it to (a title phrase: its sections)."""
        live = self.arrays.live[docnums]
        if self._one_to_one:
            counted = self.live[docnums]  # a live document that is a unit
            found, others = docnums[counted], live & ~counted
        else:
            units = self.unit[docnums]
            found, others = units[(units >= 0) & live], (units < 0) & live
        if self._spread is not None and fieldname in self._fanned:
            sources = docnums[others]
            if len(sources):
                found = np.concatenate([found, self._spread(np.unique(sources))])
        return found

    def documents_of(self, units: np.ndarray) -> np.ndarray:
        """The docnums counted for ``units`` (sorted ordinals), ascending, with
        the documents their fanned fields come from."""
        if self._one_to_one:
            if self._source is None:
                return units
            sources = self._source[units]
            return np.union1d(units, sources[sources >= 0])
        return np.sort(runs(self._by_unit, self._starts, units)[0])


def runs(grouped: np.ndarray, starts: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``grouped[starts[g]:starts[g + 1]]`` for each of ``groups``, one run after
    another, and each run's length (no Python loop over the groups)."""
    begin, sizes = starts[groups], starts[groups + 1] - starts[groups]
    return grouped[ranges(begin, sizes)], sizes


def live_mask(reader) -> np.ndarray:
    """True for every document of the reader that is not deleted."""
    live = np.ones(reader.doc_count_all(), dtype=bool)
    for leaf, offset in reader.leaf_readers():
        if leaf.has_deletions():
            live[np.fromiter(leaf.deleted_docs_set, dtype=np.int64) + offset] = False
    return live


def _heap_bytes(value) -> int:
    """What a cached value holds on the heap: a view of a copy's memory map
    (a copied list's weights) is the page cache's, not the LRU's."""
    return sum(part.nbytes for part in value if not isinstance(part, np.memmap))


def _read_postings(reader, fieldname: str, btext: bytes, segments: dict):
    """((docnums, weights), whether to keep them) of the term over every
    segment: from the segment's copied arrays where it has them (docnums
    added up from their gaps, weights the mapped view for one segment), else
    decoded from Whoosh's blocks. Either way computed, so kept, unless the
    term is nowhere."""
    id_parts, weight_parts = [], []
    for leaf, sid, info, offset in leaf_terms(reader, fieldname, btext):
        copied = segments.get(sid)
        found = copied.postings(fieldname, info) if copied is not None else None
        if found is None:
            found = read_postings(raw_matcher(leaf, fieldname, btext))
        ids, weights = found
        id_parts.append(ids.astype(np.int32) + offset if offset else ids)
        weight_parts.append(weights)
    if not id_parts:
        return (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)), False
    if len(id_parts) == 1:
        return (id_parts[0], weight_parts[0]), True
    ids = np.concatenate([part.astype(np.int32, copy=False) for part in id_parts])
    return (ids, np.concatenate([part.astype(np.float32, copy=False) for part in weight_parts])), True


def _read_positions(reader, fieldname: str, btext: bytes, segments: dict,
                    within: np.ndarray | None = None) -> np.ndarray:
    """The term's occurrences as sorted docnum << 32 | position keys; with
    ``within`` (sorted docnums), only theirs."""
    parts = []
    for leaf, sid, info, offset in leaf_terms(reader, fieldname, btext):
        local = None if within is None else within - offset
        copied = segments.get(sid)
        keys = copied.positions(fieldname, info, local) if copied is not None else None
        if keys is None:
            keys = read_positions(raw_matcher(leaf, fieldname, btext), local)
        parts.append(keys + (offset << 32) if offset else keys)
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _added_up(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Several terms' (docnums, weights) as one term's: docnums ascending, the
    weights of a docnum in several added up."""
    if not parts:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    ids = np.concatenate([part[0].astype(np.int32, copy=False) for part in parts])
    weights = np.concatenate([part[1].astype(np.float32, copy=False) for part in parts])
    order = np.argsort(ids, kind="stable")  # sorted runs: merged, not sorted anew
    ids, weights = ids[order], weights[order]
    if not len(ids):
        return ids, weights
    firsts = np.flatnonzero(_run_starts(ids))
    return ids[firsts], np.add.reduceat(weights, firsts)


def _merged(parts: list[np.ndarray]) -> np.ndarray:
    """Sorted position keys of several terms (no key in two), in one sorted array."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.concatenate(parts), kind="stable")  # sorted runs: merged, not sorted anew


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted, non-empty array starts (a mask)."""
    return np.concatenate(([True], values[1:] != values[:-1]))


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """Each value of a sorted array once."""
    return values[_run_starts(values)] if len(values) else values


#: Ends following() takes at a time: its temporaries (the targets and their
#: places, 8 bytes each) stay at 2 MB apiece however many occurrences two
#: common words have (a phrase of "giáo dục" at 50,000 directives: 1.0 M).
FOLLOWING_CHUNK = 2**18


def following(ends: np.ndarray, positions: np.ndarray, slop: int) -> np.ndarray:
    """The occurrences in ``positions`` 1 to ``slop`` after one of ``ends``
    (both sorted keys), sorted: binary searches, no sort of the big arrays."""
    hit = np.zeros(len(positions), dtype=bool)
    if not len(positions) or not len(ends):
        return positions[:0]
    for start in range(0, len(ends), FOLLOWING_CHUNK):
        chunk = ends[start:start + FOLLOWING_CHUNK]
        for step in range(1, max(1, slop) + 1):
            target = chunk + step
            at = np.searchsorted(positions, target)
            found = at < len(positions)
            found[found] = positions[at[found]] == target[found]
            hit[at[found]] = True
    return positions[hit]


class Evaluator:
    """Evaluates Whoosh queries for one searcher over its snapshot's IndexArrays:
    per document (``level`` the IndexArrays themselves, scored as Whoosh
    scores) or per directive or section (a Level over them)."""

    def __init__(self, level: IndexArrays | Level, searcher):
        self.level = level
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        weighting = searcher.weighting
        if not isinstance(weighting, BM25F):
            raise UnsupportedQuery(f"weighting {type(weighting).__name__}")
        self.weighting = weighting
        self._within, self._within_positions = None, {}
        # Documents of each phrase matched over the whole index, for this
        # evaluator's later runs: run_search's match, ranking and the query's
        # own repeats (an abbreviation and its expansion) chain the same
        # phrases' positions, the costliest step of a query.
        self._phrase_docs: dict[tuple, np.ndarray] = {}

    def run(self, q, scored: bool = True, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
        """(mask of live matching documents, their scores or None).

        ``within`` (sorted docnums) promises that only those documents' results
        will be read: phrases then decode positions for them alone, uncached
        (run_search's proximity boosts for its leading candidates).
        """
        self._within = None if within is None else self.level.documents_of(within)
        self._within_positions = {}
        try:
            mask, scores = self._eval(q, scored)
        finally:
            self._within, self._within_positions = None, {}
        mask &= self.level.live
        return mask, scores

    def _positions(self, fieldname: str, btext: bytes) -> np.ndarray:
        if self._within is None:
            return self.level.positions(self.reader, fieldname, btext)
        key = (fieldname, btext)
        if key not in self._within_positions:
            self._within_positions[key] = self.level.positions(self.reader, fieldname, btext, self._within)
        return self._within_positions[key]

    def docs(self, q) -> np.ndarray:
        """The matching docnums, ascending."""
        return np.flatnonzero(self.run(q, scored=False)[0])

    def _eval(self, q, scored: bool):
        if isinstance(q, wq.Term):
            return self._term(q, scored)
        if isinstance(q, (wq.And, wq.Or)):
            subs = q.subqueries
            if not subs:
                return self._nothing(scored)
            if len(subs) == 1:  # Whoosh ignores the boost of a one-clause compound
                return self._eval(subs[0], scored)
            # One clause at a time, each folded in and dropped: a query of many
            # words over many fields never holds all its clauses' arrays at once.
            # (_eval always returns arrays of its own, so they are changed in place.)
            mask, scores = self._eval(subs[0], scored)
            both = isinstance(q, wq.And)
            for sub in subs[1:]:
                if isinstance(sub, wq.Term):  # added where it holds, no array per unit of its own
                    ids, values = self._term_values(sub, scored)
                    if both:
                        mask &= self._mask_of(ids)
                    else:
                        mask[ids] = True
                    if scored:
                        scores[ids] += values
                    continue
                sub_mask, sub_scores = self._eval(sub, scored)
                (np.logical_and if both else np.logical_or)(mask, sub_mask, out=mask)
                if scored:
                    scores += sub_scores
            if scored:
                if isinstance(q, wq.And):
                    scores[~mask] = 0.0
                if q.boost != 1.0:
                    scores *= q.boost
            return mask, scores
        if isinstance(q, wq.DisjunctionMax):
            # Whoosh's DisjunctionMaxMatcher: the best clause's score (its tiebreak is unused).
            subs = q.subqueries
            if not subs:
                return self._nothing(scored)
            if len(subs) == 1:
                return self._eval(subs[0], scored)
            mask, scores = self._eval(subs[0], scored)
            for sub in subs[1:]:
                if isinstance(sub, wq.Term):  # scores are never negative: 0 where it is absent changes nothing
                    ids, values = self._term_values(sub, scored)
                    mask[ids] = True
                    if scored:
                        scores[ids] = np.maximum(scores[ids], values)
                    continue
                sub_mask, sub_scores = self._eval(sub, scored)
                mask |= sub_mask
                if scored:
                    np.maximum(scores, sub_scores, out=scores)
            if scored and q.boost != 1.0:
                scores *= q.boost
            return mask, scores
        if isinstance(q, wq.ConstantScoreQuery):
            mask, _ = self._eval(q.child, False)
            return mask, (np.where(mask, q.score, 0.0) if scored else None)
        if isinstance(q, wq.Prefix) and not scored:
            return self._prefix(q)
        if isinstance(q, wq.AndNot):
            mask, scores = self._eval(q.a, scored)
            excluded, _ = self._eval(q.b, False)
            mask = mask & ~excluded
            if scored:
                scores = np.where(mask, scores, 0.0)
            return mask, scores
        if isinstance(q, wq.Every):
            return np.ones(self.level.doc_count, dtype=bool), (np.ones(self.level.doc_count) if scored else None)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return self._nothing(scored)
        if isinstance(q, wq.Phrase):
            return self._phrase(q, scored)
        raise UnsupportedQuery(type(q).__name__)

    def frequencies(self, fieldname: str, text: str, docnums: np.ndarray) -> np.ndarray:
        """The term's frequency (posting weight) in each of ``docnums``, 0 where absent."""
        found = np.zeros(len(docnums))
        field = self.schema[fieldname] if fieldname in self.schema else None
        if field is None or not len(docnums):
            return found
        ids, weights = self.level.postings(self.reader, fieldname, field.to_bytes(text))
        if len(ids):  # ids ascend: a binary search per document asked about
            at = np.minimum(np.searchsorted(ids, docnums), len(ids) - 1)
            hit = (ids[at] == docnums) & self.level.live[docnums]
            found[hit] = weights[at[hit]]
        return found

    def positions(self, fieldname: str, text: str, docnums: np.ndarray) -> np.ndarray:
        """The term's occurrences in ``docnums`` (sorted documents) as docnum << 32 | position keys, ascending."""
        field = self.schema[fieldname] if fieldname in self.schema else None
        if field is None or not len(docnums):
            return np.zeros(0, dtype=np.int64)
        return self.level.positions(self.reader, fieldname, field.to_bytes(text), docnums)

    def _prefix(self, q: wq.Prefix):
        """The documents with any term of the field starting with the prefix (unscored)."""
        mask = np.zeros(self.level.doc_count, dtype=bool)
        if q.fieldname not in self.schema or not q.text:
            return mask, None
        for btext in self.reader.expand_prefix(q.fieldname, q.text):
            mask[self.level.postings(self.reader, q.fieldname, btext)[0]] = True
        return mask, None

    def unit_frequency(self, fieldname: str, text: str) -> int:
        """How many units (documents, directives or sections) hold the term."""
        field = self.schema[fieldname] if fieldname in self.schema else None
        return self.level.unit_frequency(self.reader, fieldname, field.to_bytes(text)) if field is not None else 0

    def _nothing(self, scored: bool):
        n = self.level.doc_count
        return np.zeros(n, dtype=bool), (np.zeros(n) if scored else None)

    def _term(self, q: wq.Term, scored: bool):
        ids, values = self._term_values(q, scored)
        if not scored:
            return self._mask_of(ids), None
        scores = np.zeros(self.level.doc_count)
        scores[ids] = values
        return self._mask_of(ids), scores

    def _term_values(self, q: wq.Term, scored: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """The units holding the term (ascending, each once) and, when scored,
        its score in each: what _term spreads over every unit, and what a
        compound adds in place at these units alone (at 50,000 directives an
        array over the 727,577 section documents is 5.8 MB, and a query's
        tree held one per level)."""
        nothing = np.zeros(0, dtype=np.int32)
        field = self.schema[q.fieldname] if q.fieldname in self.schema else None
        if field is None:
            return nothing, (np.zeros(0) if scored else None)
        try:
            btext = field.to_bytes(q.text)
        except ValueError:
            return nothing, (np.zeros(0) if scored else None)
        ids, weights = self.level.postings(self.reader, q.fieldname, btext)
        if not scored:
            return ids, None
        if not len(ids):
            return ids, np.zeros(0)
        if field.scorable:
            # whoosh.scoring.bm25 over every posting at once.
            idf = self.level.idf(self.searcher, q.fieldname, btext, ids)
            avgfl = self.level.avg_length(self.searcher, q.fieldname)
            B, K1 = bm25f_parameters(self.weighting, q.fieldname)
            fl = self.level.lengths(self.reader, q.fieldname, ids).astype(np.float64)
            tf = weights.astype(np.float64)
            values = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        else:  # Whoosh scores unscorable fields (ids) by the posting's weight
            values = weights
        return ids, (values * q.boost if q.boost != 1.0 else values)

    def _mask_of(self, ids: np.ndarray) -> np.ndarray:
        """True at ``ids`` among the level's units."""
        mask = np.zeros(self.level.doc_count, dtype=bool)
        mask[ids] = True
        return mask

    def _phrase(self, q: wq.Phrase, scored: bool):
        """Whoosh's Phrase (an ordered SpanNear2): each next word 1 to ``slop``
        positions after the previous one; scored as the sum of its words' own
        scores, times the phrase's boost."""
        field = self.schema[q.fieldname] if q.fieldname in self.schema else None
        try:
            words = [field.to_bytes(w) for w in q.words] if field is not None else []
        except ValueError:
            words = []
        if not words or any(not self.level.has_term(self.reader, q.fieldname, w) for w in words):
            return self._nothing(scored)
        key = (q.fieldname, tuple(words), q.slop)
        units = self._phrase_docs.get(key) if self._within is None else None
        if units is None:
            ends = self._positions(q.fieldname, words[0])
            for word in words[1:]:
                if not len(ends):
                    break
                ends = following(ends, self._positions(q.fieldname, word), q.slop)
            # Within one document; then counted for its unit, each document
            # once (a common phrase ends a million times in far fewer documents,
            # and units() makes several arrays of its argument's length).
            # Repeated units set the same element below.
            units = self.level.units(_distinct_sorted(ends >> 32), q.fieldname)
            if self._within is None:
                self._phrase_docs[key] = units
        mask = self._mask_of(units)
        if not scored:
            return mask, None
        scores = np.zeros(self.level.doc_count)
        for word in words:
            ids, values = self._term_values(wq.Term(q.fieldname, word), True)
            scores[ids] += values
        scores[~mask] = 0.0
        if q.boost != 1.0:
            scores *= q.boost
        return mask, scores
