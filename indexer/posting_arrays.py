"""Each Whoosh segment's long posting lists, copied once into flat arrays.

Whoosh stores a posting list as blocks of 128 postings, each a zlib-compressed
pickle that carries every posting's positions as a pickle of its own. Reading
a common word costs one decompress and one unpickle per block (~90 µs) and a
Python loop per posting for its positions: a first query over 50,000
directives spent seconds there. The indexer therefore copies, after each
commit, the searched fields' lists longer than one block into raw
little-endian files next to the segment's own (named after the segment, so
Whoosh deletes them with it when segments merge), and search_app.postings
maps them instead of decoding:

    {segment}.vbp.terms    int64  Whoosh's postings offset of each copied term, ascending
    {segment}.vbp.spans    int64  per term: start, end in ids/weights, start, end in pos
    {segment}.vbp.ids      int32  segment docnums, ascending per term
    {segment}.vbp.weights  float32
    {segment}.vbp.pos      int64  docnum << 32 | position, ascending per term
    {segment}.vbp.json     format, fields and counts; written last: the copy is complete

A term is found by its TermInfo's offset into the segment's postings file, so
no second term dictionary is kept in memory. Shorter lists (one block) stay in
Whoosh's format; they cost one block read. A copy that is missing, of another
format, cut short, or of a compound segment (this indexer writes none) is not
used: those segments are read from Whoosh's blocks, slower but the same.

The block decoding here is the one place that reads Whoosh-Reloaded 2.7.5's
postings layout (setup.cfg pins it; tests/test_postings.py compares against
Whoosh's own matchers).

    write_generation(Path("var/index/gen-000003"))  # after the commit
    arrays = SegmentArrays.open(leaf_reader); arrays.postings(fieldname, terminfo)
"""

from __future__ import annotations

import json
import os
from itertools import chain
from pathlib import Path
from pickle import loads

import numpy as np
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound

from indexer import layout
from indexer.schema import SEARCHED_FIELDS

#: Postings a term needs (more than one Whoosh block) to be copied.
MIN_POSTINGS = 129

FORMAT = 1
_PARTS = {"terms": np.int64, "spans": np.int64, "ids": np.int32, "weights": np.float32, "pos": np.int64}


# Whoosh's blocks, decoded a block at a time.

def block_ids(m: W3LeafMatcher, dtype) -> np.ndarray:
    """The docnums of the matcher's current block (read with _read_data), un-delta'd."""
    block = np.asarray(m._data[0], dtype=dtype)
    return block if m._byteids else np.cumsum(block, dtype=dtype)


def block_weights(m: W3LeafMatcher) -> np.ndarray:
    stored, n = m._data[1], m._blocklength
    if stored is None:
        return np.ones(n, dtype=np.float32)
    if isinstance(stored, float):
        return np.full(n, stored, dtype=np.float32)
    return np.asarray(stored, dtype=np.float32)


def block_positions(m: W3LeafMatcher, ids: np.ndarray, chosen=None) -> np.ndarray:
    """docnum << 32 | position for the block's postings (or those at ``chosen``).

    whoosh.formats.Positions stores a posting's value as a 4-byte count and a
    pickled list of position deltas; they are unpickled in one pass and summed
    with one cumsum per block instead of a Python loop per position.
    """
    values = m._data[2]
    if chosen is None:
        chosen = range(len(ids))
    codes = [loads(values[i][4:]) for i in chosen]
    if not codes:
        return np.zeros(0, dtype=np.int64)
    counts = np.fromiter((len(c) for c in codes), dtype=np.int64, count=len(codes))
    deltas = np.fromiter(chain.from_iterable(codes), dtype=np.int64, count=int(counts.sum()))
    running = np.concatenate(([0], np.cumsum(deltas)))
    # Each posting's deltas start from position 0: subtract the sum before it.
    before = np.repeat(running[np.cumsum(counts) - counts], counts)
    docs = np.repeat(ids[np.fromiter(chosen, dtype=np.int64)].astype(np.int64), counts)
    return (docs << 32) | (running[1:] - before)


def segment_id(leaf) -> str | None:
    """The id of the segment a leaf reader reads; None for an empty index's reader."""
    segment = leaf.segment() if getattr(leaf, "_terms", None) is not None else None
    return segment.segment_id() if segment is not None else None


def leaf_terms(reader, fieldname: str, btext: bytes):
    """(leaf reader, its segment id, TermInfo, docnum offset) for each segment
    that has the term."""
    for leaf, offset in reader.leaf_readers():
        sid = segment_id(leaf)
        if sid is None:
            continue
        try:
            info = leaf._terms.term_info(fieldname, btext)
        except TermNotFound:
            continue
        yield leaf, sid, info, offset


def raw_matcher(leaf, fieldname: str, btext: bytes):
    """The term's postings in the segment, deleted documents included (the
    caller masks them), unscored."""
    return leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format)


def read_postings(m, positions: bool = False):
    """(docnums, weights) of a matcher's whole list, a block at a time when it
    can; with ``positions``, (docnums, weights, position keys), each block
    decoded once."""
    ids, weights, keys = [], [], []
    if not isinstance(m, W3LeafMatcher):  # one posting at a time
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            if positions:
                keys.append((np.int64(m.id()) << 32) | np.array(m.value_as("positions"), dtype=np.int64))
            m.next()
        ids, weights = np.asarray(ids, dtype=np.int32), np.asarray(weights, dtype=np.float32)
    else:
        while m.is_active():
            m._read_data()
            block = block_ids(m, np.int64)
            ids.append(block.astype(np.int32))
            weights.append(block_weights(m))
            if positions:
                keys.append(block_positions(m, block))
            m._next_block()
        ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
        weights = np.concatenate(weights) if weights else np.zeros(0, dtype=np.float32)
    if not positions:
        return ids, weights
    return ids, weights, np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)


def read_positions(m, within: np.ndarray | None = None) -> np.ndarray:
    """A matcher's occurrences as sorted docnum << 32 | position keys; with
    ``within`` (sorted segment docnums), only theirs: blocks holding none of
    them are skipped before they are decompressed."""
    parts: list[np.ndarray] = []
    low = 0  # no docnum of the current block is below this
    while m.is_active():
        if not isinstance(m, W3LeafMatcher):  # one posting at a time
            docnum = m.id()
            if within is None or _any_between(within, docnum, docnum):
                parts.append((np.int64(docnum) << 32) | np.array(m.value_as("positions"), dtype=np.int64))
            m.next()
            continue
        high = m._maxid
        if within is not None and not _any_between(within, low, high):
            low = high + 1
            m._next_block()
            continue
        low = high + 1
        m._read_data()
        ids = block_ids(m, np.int64)
        chosen = None if within is None else _members(ids, within)
        parts.append(block_positions(m, ids, chosen))
        m._next_block()
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(parts)


def _members(ids: np.ndarray, sorted_docs: np.ndarray) -> list[int]:
    """Indexes of ``ids`` found in ``sorted_docs``."""
    at = np.minimum(np.searchsorted(sorted_docs, ids), len(sorted_docs) - 1)
    return np.flatnonzero(sorted_docs[at] == ids).tolist()


def _any_between(sorted_docs: np.ndarray, low: int, high: int) -> bool:
    i = int(np.searchsorted(sorted_docs, low))
    return i < len(sorted_docs) and sorted_docs[i] <= high


def keys_within(keys: np.ndarray, within: np.ndarray) -> np.ndarray:
    """The sorted docnum << 32 | position keys of the documents in ``within``."""
    docs = within.astype(np.int64)
    lows = np.searchsorted(keys, docs << 32)
    highs = np.searchsorted(keys, (docs + 1) << 32)
    sizes = highs - lows
    if not sizes.any():
        return keys[:0]
    picks = np.repeat(lows - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
    return keys[picks]


# The copies.

def _path(folder: Path, segment_id: str, part: str) -> Path:
    return folder / f"{segment_id}.vbp.{part}"


def write_generation(generation: Path) -> None:
    """Copy the searched fields' long posting lists of every segment of a
    generation's two Whoosh indexes that has no (current) copy yet; segments
    kept from the previous generation are hard links and have theirs."""
    for name in (layout.DOCS, layout.SECTIONS):
        write_missing(generation / name, SEARCHED_FIELDS)


def write_missing(folder: Path, fields) -> None:
    """Copy the long posting lists of ``fields`` for every segment of the
    Whoosh index in ``folder`` without a copy in this format of these fields."""
    fields = sorted(set(fields))
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            sid = segment_id(leaf)
            if sid is None:
                continue
            meta = _read_meta(folder, sid)
            if meta is None or meta.get("fields") != fields:
                _write_segment(folder, sid, leaf, fields)


def _read_meta(folder: Path, segment_id: str) -> dict | None:
    """The segment's copy description, if it has a copy this code reads."""
    try:
        meta = json.loads(_path(folder, segment_id, "json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("format") == FORMAT else None


def _write_segment(folder: Path, segment_id: str, leaf, fields: list[str]) -> None:
    # Every part is written under a temporary name and renamed: the names may
    # be hard links to the served generation's files, which a rewrite in
    # place would change under the server's memory maps.
    schema = leaf.schema
    min_postings = MIN_POSTINGS  # read at call time: tests copy every list
    terms, spans = [], []
    tmp = {part: _path(folder, segment_id, part + ".tmp") for part in _PARTS}
    files = {part: open(tmp[part], "wb") for part in ("ids", "weights", "pos")}
    try:
        written, pwritten = 0, 0
        for (fieldname, btext), info in leaf._terms.items():
            if fieldname not in fields or info.doc_frequency() < min_postings:
                continue
            fmt = schema[fieldname].format
            ids, weights, *keys = read_postings(leaf._terms.matcher(fieldname, btext, fmt),
                                                positions=fmt.supports("positions"))
            keys = keys[0] if keys else np.zeros(0, dtype=np.int64)
            files["ids"].write(ids.astype("<i4").tobytes())
            files["weights"].write(weights.astype("<f4").tobytes())
            files["pos"].write(keys.astype("<i8").tobytes())
            terms.append(info._offset)
            spans.append((written, written + len(ids), pwritten, pwritten + len(keys)))
            written += len(ids)
            pwritten += len(keys)
    finally:
        for f in files.values():
            f.close()
    order = np.argsort(np.array(terms, dtype=np.int64))
    tmp["terms"].write_bytes(np.array(terms, dtype="<i8")[order].tobytes())
    tmp["spans"].write_bytes(np.array(spans, dtype="<i8").reshape(-1, 4)[order].tobytes())
    for part, path in tmp.items():
        os.replace(path, _path(folder, segment_id, part))
    meta = {"format": FORMAT, "min_postings": min_postings, "fields": fields,
            "terms": len(terms), "postings": written, "positions": pwritten}
    meta_tmp = _path(folder, segment_id, "json.tmp")
    meta_tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(meta_tmp, _path(folder, segment_id, "json"))


class SegmentArrays:
    """One segment's copied posting lists, memory-mapped (read-only, shared
    by every thread; the OS page cache holds them, not the Python heap)."""

    def __init__(self, folder: Path, segment_id: str, meta: dict):
        self.fields = frozenset(meta["fields"])
        expected = {"terms": meta["terms"], "spans": 4 * meta["terms"], "ids": meta["postings"],
                    "weights": meta["postings"], "pos": meta["positions"]}
        self._parts = {}
        for part, dtype in _PARTS.items():
            path = _path(folder, segment_id, part)
            dtype = np.dtype(dtype).newbyteorder("<")
            if path.stat().st_size != expected[part] * dtype.itemsize:
                raise ValueError(f"{path.name}: {path.stat().st_size} bytes, not {expected[part]} items")
            self._parts[part] = (np.memmap(path, dtype=dtype, mode="r") if expected[part]
                                 else np.zeros(0, dtype=dtype))
        # The small tables are read into memory: every lookup searches them.
        self._terms = np.array(self._parts["terms"])
        self._spans = np.array(self._parts["spans"]).reshape(-1, 4)

    @classmethod
    def open(cls, leaf) -> SegmentArrays | None:
        """The segment's copy, or None when it has none it can trust (an index
        built before them, a compound segment, a copy cut short or damaged):
        search then reads Whoosh's blocks, slower but the same."""
        folder = getattr(getattr(leaf, "_storage", None), "folder", None)
        sid = segment_id(leaf)
        if folder is None or sid is None:
            return None
        meta = _read_meta(Path(folder), sid)
        if meta is None:
            return None
        try:
            return cls(Path(folder), sid, meta)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _find(self, fieldname: str, info) -> int | None:
        if fieldname not in self.fields:
            return None
        offset = info._offset
        i = int(np.searchsorted(self._terms, offset))
        return i if i < len(self._terms) and self._terms[i] == offset else None

    def postings(self, fieldname: str, info) -> tuple[np.ndarray, np.ndarray] | None:
        """(segment docnums, weights) of the term with this TermInfo, or None if not copied."""
        i = self._find(fieldname, info)
        if i is None:
            return None
        start, end = self._spans[i, :2]
        return self._parts["ids"][start:end], self._parts["weights"][start:end]

    def positions(self, fieldname: str, info) -> np.ndarray | None:
        """The term's docnum << 32 | position keys in the segment, or None if not copied."""
        i = self._find(fieldname, info)
        if i is None:
            return None
        start, end = self._spans[i, 2:]
        return self._parts["pos"][start:end]
