"""The served index, kept open across requests and reopened when it changes.

IndexHandle holds the open generation (both Whoosh indexes and the store) and,
per Whoosh index, the facet columns read once into per-document numpy arrays:
the directive each document belongs to and its type, issuer, year, signer and
section kind as small integers, plus the decoded-postings cache of
searcher.postings. Facet counts and filters then work on arrays instead of
Whoosh's generic grouping, which scans stored fields.

    handle = IndexHandle("var/index"); snapshot = handle.snapshot()
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import analyzers
import indexer
from indexer.schema import FACET_FIELDS, SECTION_COPIES
from indexer.whoosh_private import toc_names
from searcher.postings import CACHE_BYTES, Evaluator, IndexArrays, live_mask
from searcher.query import ranking

logger = logging.getLogger(__name__)


@dataclass
class Columns:
    """Per-document facet ordinals of one Whoosh reader, as numpy arrays."""

    doc_ids: list[str]  # docnum -> directive id
    values: dict[str, np.ndarray]  # facet -> docnum -> ordinal into labels[facet]
    labels: dict[str, list]  # facet -> ordinal -> value
    sort_date: np.ndarray  # docnum -> yyyymmdd
    directive: np.ndarray  # docnum -> directive ordinal, shared by the snapshot's two indexes
    id_rank: np.ndarray  # docnum -> rank of its directive id in sorted order (a stable tie-break)
    live: np.ndarray  # docnums not deleted, ascending

    @classmethod
    def read(cls, reader, directives: dict[str, int]) -> Columns:
        """``directives`` maps directive id -> ordinal; ids not in it yet are added."""
        # Values are streamed into arrays (np.fromiter over generators), never
        # held as lists of 665k Python objects at 50,000 directives: freeing
        # those left ~100 MB of the heap fragmented and kept by the process.
        n = reader.doc_count_all()

        def column(name: str):
            # Segment by segment: Whoosh's multi-segment column reader skips a
            # segment without the column and shifts every later value. Indexes
            # built before every document had every column may have such
            # segments; their documents read as unknown (0 or "").
            if not n:
                return  # an empty index's reader has no segments
            default = 0 if name in ("year", "sort_date") else ""
            for segment, _ in reader.leaf_readers():
                if segment.has_column(name):
                    yield from segment.column_reader(name)
                else:
                    yield from itertools.repeat(default, segment.doc_count_all())

        def ordinals_of(values, ordinals: dict) -> np.ndarray:
            return np.fromiter((ordinals.setdefault(v, len(ordinals)) for v in values), dtype=np.int32, count=n)

        directive = ordinals_of(column("doc_id"), directives)
        names = list(directives)  # ordinal -> directive id (a dict keeps insertion order)
        doc_ids = [names[o] for o in directive]  # the dict's own strings, one per directive
        values, labels = {}, {}
        for name in FACET_FIELDS:
            ordinals: dict = {}
            values[name] = ordinals_of(column(name), ordinals)
            labels[name] = list(ordinals)
        # Rank of each directive id in sorted order (among every id seen so far:
        # the same order among this reader's own).
        rank = np.empty(len(names), dtype=np.int64)
        rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
        live = np.flatnonzero(live_mask(reader))
        sort_date = np.fromiter(column("sort_date"), dtype=np.int64, count=n)
        return cls(doc_ids, values, labels, sort_date, directive, rank[directive], live)

    def ordinals_of(self, facet: str, wanted) -> set[int]:
        """The ordinals of the facet values in ``wanted`` (values as labels hold them)."""
        wanted = set(wanted)
        return {i for i, label in enumerate(self.labels[facet]) if label in wanted}


class Snapshot:
    """A consistent view for one request: searchers, their columns, the store.

    Each thread gets its own Whoosh searchers: a searcher reads postings by
    seeking a file object it shares with nobody else, and two threads seeking
    the same one read each other's bytes (seen as unpickling errors under 16
    concurrent clients). The generation's files never change once published,
    so every searcher of a snapshot sees the same documents under the same
    numbers, and the columns read once serve them all.
    """

    def __init__(self, generation: indexer.Generation, docs: Columns, sections: Columns,
                 directives: dict[str, int], spelling: dict[str, str], first_searchers: tuple,
                 cache_bytes: int = CACHE_BYTES):
        self.generation = generation
        self.docs = docs
        self.sections = sections
        self.directive_count = len(directives)
        self._directive_ordinals = directives
        # Live section docnums grouped by directive (a stable sort keeps document order).
        live = sections.live
        self._sections_sorted = live[np.argsort(sections.directive[live], kind="stable")]
        self._section_starts = np.searchsorted(sections.directive[self._sections_sorted],
                                               np.arange(self.directive_count + 1))
        self._no_sections = np.zeros(0, dtype=np.int64)
        # Decoded postings and field lengths, shared by every thread's searchers.
        self.docs_arrays = IndexArrays(first_searchers[0].reader(), cache_bytes)
        # Every section document repeats its directive's title: the title fields'
        # postings there are the directive index's, fanned out to the sections
        # (a tenth of the reading, and of the cache, for a title word).
        self.sections_arrays = IndexArrays(first_searchers[1].reader(), cache_bytes,
                                           derived={name: self._title_postings for name in SECTION_COPIES})
        self.spelling = spelling  # folded syllable -> most frequent spelling in the index
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open = [first_searchers]
        self._local.searchers = first_searchers

    def _searchers(self) -> tuple:
        searchers = getattr(self._local, "searchers", None)
        if searchers is None:
            searchers = (self.generation.docs.searcher(weighting=ranking()), self.generation.sections.searcher())
            with self._lock:
                self._open.append(searchers)
            self._local.searchers = searchers
        return searchers

    @property
    def docs_searcher(self):
        return self._searchers()[0]

    @property
    def sections_searcher(self):
        return self._searchers()[1]

    def _title_postings(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """A title field's postings in the section index, from the directive index's."""
        ids, weights = self.docs_arrays.postings(self.docs_searcher.reader(), fieldname, btext)
        live = self.docs_arrays.live[ids]
        ordinals, weights = self.docs.directive[ids[live]], weights[live]
        starts, ends = self._section_starts[ordinals], self._section_starts[ordinals + 1]
        sizes = ends - starts
        # The sections of each directive, one run after another, then in docnum order.
        picks = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        section_ids = self._sections_sorted[picks]
        order = np.argsort(section_ids, kind="stable")
        return section_ids[order], np.repeat(weights, sizes)[order]

    def sections_of(self, doc_id: str) -> np.ndarray:
        """The directive's live section documents, in document order (depth first)."""
        ordinal = self._directive_ordinals.get(doc_id)
        if ordinal is None:
            return self._no_sections
        return self._sections_sorted[self._section_starts[ordinal]:self._section_starts[ordinal + 1]]

    def evaluator(self, sections: bool = False) -> Evaluator:
        """Evaluates queries over this thread's searcher of the directive (or section) index."""
        if sections:
            return Evaluator(self.sections_arrays, self.sections_searcher)
        return Evaluator(self.docs_arrays, self.docs_searcher)

    @property
    def store(self):
        return self.generation.store

    def close(self) -> None:
        """Close every searcher any thread opened, the maps and the store's connections."""
        with self._lock:
            opened, self._open = self._open, []
        for docs_searcher, sections_searcher in opened:
            docs_searcher.close()
            sections_searcher.close()
        self.docs_arrays.close()
        self.sections_arrays.close()
        self.generation.close()


class IndexHandle:
    """Thread-safe access to the current generation, refreshed when the index changes.

    Requests take the current snapshot with ``acquire`` (or ``using``) and give
    it back with ``release``. A snapshot replaced by a newer generation is
    closed (every file it opened, in every thread) when its last request gives
    it back, so open files stay flat however often the index changes.

    A generation that fails its checks (damaged files, wrong schema) is not
    served: the handle keeps serving the snapshot it had, or after a restart
    the newest older generation that passes, and says why in ``status()``.
    """

    def __init__(self, index_dir, cache_bytes: int = CACHE_BYTES):
        self.index_dir = Path(index_dir)
        self.cache_bytes = cache_bytes  # per Whoosh index, for decoded postings
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._key = None
        self._users: dict[int, int] = {}  # id(snapshot) -> requests using it
        self._retired: list[Snapshot] = []
        self._refused: tuple | None = None  # (key, problem) of a generation that failed to open

    def _current_key(self):
        generation = indexer.current_generation(self.index_dir)
        if generation is None:
            return None
        # A new generation, or a commit (add/remove) inside the same one.
        toc = toc_names(generation / "docs") + toc_names(generation / "sections")
        return generation.name, tuple(toc)

    def snapshot(self) -> Snapshot:
        """The current snapshot; opens the index on first use and after each change.

        The caller does not hold it: a request uses ``acquire``/``release``.
        Raises indexer.IndexProblem when there is nothing good to serve.
        """
        key = self._current_key()
        snap = self._snapshot
        if snap is not None and (key == self._key or self._refused_key(key)):
            return snap
        with self._lock:
            if self._snapshot is not None and (key == self._key or self._refused_key(key)):
                return self._snapshot
            try:
                snap = self._open(None)
            except indexer.IndexProblem as exc:
                self._refused = (key, str(exc))
                logger.error("not serving %s: %s", key[0] if key else self.index_dir, exc)
                if self._snapshot is not None:
                    return self._snapshot  # the last good one keeps serving
                snap = self._open_fallback(exc)
            else:
                self._refused = None
            self._replace(snap, key)
            return snap

    def _refused_key(self, key) -> bool:
        return self._refused is not None and self._refused[0] == key

    def _open(self, generation) -> Snapshot:
        handle = indexer.open_index(self.index_dir, generation)
        try:
            docs_searcher = handle.docs.searcher(weighting=ranking())
            sections_searcher = handle.sections.searcher()
            directives: dict[str, int] = {}
            return Snapshot(
                generation=handle,
                docs=Columns.read(docs_searcher.reader(), directives),
                sections=Columns.read(sections_searcher.reader(), directives),
                directives=directives,
                spelling=_spelling_table(docs_searcher.reader()),
                first_searchers=(docs_searcher, sections_searcher),
                cache_bytes=self.cache_bytes,
            )
        except Exception as exc:
            handle.close()
            raise indexer.IndexDamaged(f"index generation {handle.path.name} cannot be read "
                                       f"({type(exc).__name__}: {exc}); "
                                       f"{indexer.rebuild_hint(self.index_dir)}") from exc

    def _open_fallback(self, problem: Exception) -> Snapshot:
        """The newest older generation that opens, when the current one does not."""
        current = indexer.current_generation(self.index_dir)
        for generation in indexer.generations(self.index_dir):
            if current is not None and generation.name >= current.name:
                continue
            try:
                snap = self._open(generation)
            except indexer.IndexProblem as exc:
                logger.error("not serving %s either: %s", generation.name, exc)
                continue
            logger.warning("serving the older generation %s", generation.name)
            return snap
        raise problem

    def _replace(self, snap: Snapshot, key) -> None:
        old = self._snapshot
        self._snapshot, self._key = snap, key
        if old is not None and old is not snap:
            self._retired.append(old)
        self._close_unused()

    def _close_unused(self) -> None:
        keep = []
        for retired in self._retired:
            if self._users.get(id(retired), 0):
                keep.append(retired)
            else:
                self._users.pop(id(retired), None)
                retired.close()
        self._retired = keep

    def acquire(self) -> Snapshot:
        """The current snapshot, held until ``release``."""
        while True:
            snap = self.snapshot()
            with self._lock:
                # It may have been replaced (and closed) between the two lines.
                if snap is self._snapshot:
                    self._users[id(snap)] = self._users.get(id(snap), 0) + 1
                    return snap

    def release(self, snap: Snapshot) -> None:
        with self._lock:
            left = self._users.get(id(snap), 0) - 1
            if left > 0:
                self._users[id(snap)] = left
            else:
                self._users.pop(id(snap), None)
            self._close_unused()

    @contextlib.contextmanager
    def using(self):
        snap = self.acquire()
        try:
            yield snap
        finally:
            self.release(snap)

    def status(self) -> dict:
        """What is served and, when a newer generation was refused, why."""
        snap = self._snapshot
        return {
            "generation": snap.generation.path.name if snap is not None else None,
            "manifest": snap.generation.manifest if snap is not None else None,
            "refused": ({"generation": self._refused[0][0] if self._refused[0] else None,
                         "problem": self._refused[1]} if self._refused else None),
        }

    def warm(self) -> str | None:
        """Open the index now rather than on the first request; the problem if there is none."""
        try:
            self.snapshot()
        except indexer.IndexProblem as exc:
            return str(exc)
        if self._refused:
            return self._refused[1]
        return None

    def close(self) -> None:
        """Close every open snapshot (app shutdown, tests)."""
        with self._lock:
            for snap in [*self._retired, *([self._snapshot] if self._snapshot else [])]:
                snap.close()
            self._retired, self._users = [], {}
            self._snapshot, self._key = None, None


def _spelling_table(reader) -> dict[str, str]:
    """For each folded syllable, its most frequent spelling with diacritics."""
    best: dict[str, tuple[int, str]] = {}
    for term in reader.lexicon("body"):
        word = term.decode("utf-8") if isinstance(term, bytes) else term
        folded = analyzers.fold(word)
        freq = reader.doc_frequency("body", word)
        if folded not in best or freq > best[folded][0]:
            best[folded] = (freq, word)
    return {folded: word for folded, (_, word) in best.items()}
