"""The served index, kept open across requests and reopened when it changes.

IndexHandle holds the open generation (its Whoosh index and the store) and
the facet columns read once into per-document numpy arrays:
the directive each document belongs to and its type, issuer, year, signer and
section kind as small integers, plus the decoded-postings cache of
searcher.postings. Facet counts and filters then work on arrays instead of
Whoosh's generic grouping, which scans stored fields.

    handle = IndexHandle("var/index"); snapshot = handle.snapshot()
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import indexer
from indexer.layout import WHOOSH
from indexer.schema import FACET_FIELDS, HEAD_FIELDS
from indexer.whoosh_private import toc_names
from searcher.postings import CACHE_BYTES, Evaluator, IndexArrays, Level, live_mask, runs
from searcher.query import ranking

logger = logging.getLogger(__name__)


@dataclass
class Columns:
    """Per-document (or, Snapshot.docs, per-directive) facet ordinals, as numpy arrays.

    Each array takes the narrowest type its values fit (docnums and dates in
    int32, a facet's ordinals in uint8 or uint16 as its labels number): at
    50,000 directives (727,577 documents) int64 throughout held some 45 MB
    more for as long as the server runs. What every document of a directive
    shares (its date, the rank of its id) is kept per directive and read
    through ``directive`` (dates(), ranks()).
    """

    names: list[str]  # directive ordinal -> directive id
    values: dict[str, np.ndarray]  # facet -> docnum -> ordinal into labels[facet]
    labels: dict[str, list]  # facet -> ordinal -> value
    sort_date: np.ndarray  # directive ordinal -> yyyymmdd
    directive: np.ndarray  # docnum -> directive ordinal
    id_rank: np.ndarray  # directive ordinal -> rank of its id in sorted order (a stable tie-break)
    live: np.ndarray  # docnums not deleted, ascending

    def doc_id(self, docnum) -> str:
        """The id of the directive a document belongs to."""
        return self.names[self.directive[docnum]]

    def dates(self, docnums: np.ndarray) -> np.ndarray:
        """The date (yyyymmdd) of each document's directive."""
        return self.sort_date[self.directive[docnums]]

    def ranks(self, docnums: np.ndarray) -> np.ndarray:
        """The rank of each document's directive id in sorted order."""
        return self.id_rank[self.directive[docnums]]

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
        values, labels = {}, {}
        for name in FACET_FIELDS:
            ordinals: dict = {}
            values[name] = ordinals_of(column(name), ordinals)
            values[name] = values[name].astype(np.min_scalar_type(max(len(ordinals) - 1, 0)))
            labels[name] = list(ordinals)
        # Rank of each directive id in sorted order (among every id seen so far:
        # the same order among this reader's own).
        rank = np.empty(len(names), dtype=np.int32)
        rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
        live = np.flatnonzero(live_mask(reader)).astype(np.int32)
        # A directive's documents share its date: the live ones' is its
        # (a deleted earlier version's may differ); 0 for a directive none is live of.
        sort_date = np.zeros(len(names), dtype=np.int32)
        sort_date[directive[live]] = np.fromiter(column("sort_date"), dtype=np.int32, count=n)[live]  # yyyymmdd
        return cls(names, values, labels, sort_date, directive, rank, live)

    def ordinals_of(self, facet: str, wanted) -> set[int]:
        """The ordinals of the facet values in ``wanted`` (values as labels hold them)."""
        wanted = set(wanted)
        return {i for i, label in enumerate(self.labels[facet]) if label in wanted}


class Snapshot:
    """A consistent view for one request: searchers, columns, levels, the store.

    The generation's one Whoosh index holds a head document per directive and
    a document per section. ``docs`` are the directives' columns (indexed by
    directive ordinal, from the head documents) and ``evaluator()`` ranks
    directives, each counting its head's and its sections' words
    (postings.Level); ``sections`` are the section documents' columns (indexed
    by docnum; the heads are not live there) and ``evaluator(sections=True)``
    ranks sections, each counting its head's title as its own.

    Each thread gets its own Whoosh searcher: a searcher reads postings by
    seeking a file object it shares with nobody else, and two threads seeking
    the same one read each other's bytes (seen as unpickling errors under 16
    concurrent clients). The generation's files never change once published,
    so every searcher of a snapshot sees the same documents under the same
    numbers, and the columns read once serve them all.
    """

    def __init__(self, generation: indexer.Generation, columns: Columns, directives: dict[str, int],
                 first_searcher, cache_bytes: int = CACHE_BYTES):
        self.generation = generation
        self.directive_count = len(directives)
        self._directive_ordinals = directives
        # Decoded postings and field lengths, shared by every thread's searchers.
        self.arrays = IndexArrays(first_searcher.reader(), cache_bytes)
        kinds = columns.labels["kind"]
        is_head = columns.values["kind"] == (kinds.index("") if "" in kinds else -1)
        self.docs, self._head_of = _directive_columns(columns, is_head, self.arrays.live, list(directives))
        self.sections = dataclasses.replace(columns, live=columns.live[~is_head[columns.live]])
        # Live section docnums grouped by directive (a stable sort keeps document order).
        live = self.sections.live
        self._sections_sorted = live[np.argsort(columns.directive[live], kind="stable")]
        self._section_starts = np.searchsorted(columns.directive[self._sections_sorted],
                                               np.arange(self.directive_count + 1))
        self._no_sections = np.zeros(0, dtype=np.int32)
        directive_live = np.zeros(self.directive_count, dtype=bool)
        directive_live[self.docs.live] = True
        self.directive_level = Level("directives", self.arrays, columns.directive, directive_live)
        section_live = np.zeros(len(is_head), dtype=bool)
        section_live[live] = True
        # Each section is a unit of its own; its title is its head's: postings
        # and lengths fanned out from the head document.
        self.section_level = Level("sections", self.arrays, None, section_live,
                                   fanned={name: self._title_postings for name in HEAD_FIELDS},
                                   source=np.where(is_head, -1, self._head_of[columns.directive]),
                                   spread=lambda heads: self._sections_of_heads(heads)[0])
        self._directive_of = columns.directive
        self.arrays.spellings(first_searcher.reader(), "body")  # read once now, not by a request
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open = [first_searcher]
        self._local.searcher = first_searcher

    @property
    def searcher(self):
        """This thread's searcher of the generation's Whoosh index (weighted by query.ranking())."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self.generation.index.searcher(weighting=ranking())
            with self._lock:
                self._open.append(searcher)
            self._local.searcher = searcher
        return searcher

    def spelling(self, folded: str) -> str | None:
        """A syllable's most frequent spelling with diacritics in the index
        (the first in the lexicon's order among equals), given its folded form."""
        reader = self.searcher.reader()
        spellings = self.arrays.spellings(reader, "body").get(folded.encode("utf-8"))
        if not spellings:
            return None
        # Most syllables have one spelling: its frequency need not be looked up.
        best = spellings[0] if len(spellings) == 1 else \
            max(spellings, key=lambda btext: reader.doc_frequency("body", btext))
        return best.decode("utf-8")

    def _title_postings(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """A title field's postings over the sections: its head documents', fanned out to their sections."""
        ids, weights = self.arrays.postings(self.searcher.reader(), fieldname, btext)
        live = self.arrays.live[ids]
        section_ids, sizes = self._sections_of_heads(ids[live])
        order = np.argsort(section_ids, kind="stable")
        return section_ids[order], np.repeat(weights[live], sizes)[order]

    def _sections_of_heads(self, heads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The live section docnums of the directives whose head documents are
        ``heads``, one directive's run after another, and each run's length."""
        return runs(self._sections_sorted, self._section_starts, self._directive_of[heads])

    def sections_of(self, doc_id: str) -> np.ndarray:
        """The directive's live section documents, in document order (depth first)."""
        ordinal = self._directive_ordinals.get(doc_id)
        if ordinal is None:
            return self._no_sections
        return self._sections_sorted[self._section_starts[ordinal]:self._section_starts[ordinal + 1]]

    def evaluator(self, sections: bool = False) -> Evaluator:
        """Evaluates queries for this thread over directives (or sections)."""
        return Evaluator(self.section_level if sections else self.directive_level, self.searcher)

    @property
    def store(self):
        return self.generation.store

    def close(self) -> None:
        """Close every searcher any thread opened, the maps and the store's connections."""
        with self._lock:
            opened, self._open = self._open, []
        for searcher in opened:
            searcher.close()
        self.arrays.close()
        self.generation.close()


def _directive_columns(columns: Columns, is_head: np.ndarray, live: np.ndarray,
                       names: list[str]) -> tuple[Columns, np.ndarray]:
    """The directives' columns, indexed by directive ordinal, from their head
    documents; and each directive's head docnum (-1: none)."""
    count = len(names)
    heads = np.flatnonzero(is_head)
    head_of = np.full(count, -1, dtype=np.int32)
    # A directive re-added keeps its deleted head too: the live one is set last, and stays.
    for chosen in (heads[~live[heads]], heads[live[heads]]):
        head_of[columns.directive[chosen]] = chosen
    has = head_of >= 0
    directive_live = np.flatnonzero(has & live[np.where(has, head_of, 0)])
    at = np.where(has, head_of, 0)
    return Columns(
        names=names,
        values={name: values[at] for name, values in columns.values.items()},
        labels=columns.labels,
        sort_date=columns.sort_date,
        directive=np.arange(count, dtype=np.int32),
        id_rank=columns.id_rank,
        live=directive_live,
    ), head_of


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
        self.cache_bytes = cache_bytes  # for decoded postings
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
        return generation.name, tuple(toc_names(generation / WHOOSH))

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
            searcher = handle.index.searcher(weighting=ranking())
            directives: dict[str, int] = {}
            return Snapshot(
                generation=handle,
                columns=Columns.read(searcher.reader(), directives),
                directives=directives,
                first_searcher=searcher,
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

