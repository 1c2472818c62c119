"""Each Whoosh segment's long posting lists, copied once into flat arrays.

Whoosh stores a posting list as blocks of 128 postings, each a zlib-compressed
pickle that carries every posting's positions as a pickle of its own. Reading
a common word costs one decompress and one unpickle per block (~90 µs) and a
Python loop per posting for its positions: a first query over 50,000
directives spent seconds there. The indexer therefore copies, after each
commit, the searched fields' lists longer than one block into raw
little-endian files next to the segment's own (named after the segment, so
Whoosh deletes them with it when segments merge), and searcher.postings
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

Whoosh's blocks, term offsets and segment file names are read through
indexer.whoosh_private, the one module that knows Whoosh below its public API
(tests/test_postings.py compares the copies against Whoosh's own matchers).

    write_generation(Path("var/index/gen-000003"))  # after the commit
    arrays = SegmentArrays.open(leaf_reader); arrays.postings(fieldname, terminfo)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.reading import TermNotFound

from indexer import layout
from indexer.schema import SEARCHED_FIELDS
from indexer.whoosh_private import (raw_matcher, read_postings, segment_file_name, segment_id, term_info,
                                    term_offset)

#: Postings a term needs (more than one Whoosh block) to be copied.
MIN_POSTINGS = 129

FORMAT = 1
_PARTS = {"terms": np.int64, "spans": np.int64, "ids": np.int32, "weights": np.float32, "pos": np.int64}


# A term's lists, segment by segment.

def leaf_terms(reader, fieldname: str, btext: bytes):
    """(leaf reader, its segment id, TermInfo, docnum offset) for each segment
    that has the term."""
    for leaf, offset in reader.leaf_readers():
        sid = segment_id(leaf)
        if sid is None:
            continue
        try:
            info = term_info(leaf, fieldname, btext)
        except TermNotFound:
            continue
        yield leaf, sid, info, offset


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
    return folder / segment_file_name(segment_id, f"vbp.{part}")


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
        for (fieldname, btext), info in leaf:
            if fieldname not in fields or info.doc_frequency() < min_postings:
                continue
            ids, weights, *keys = read_postings(raw_matcher(leaf, fieldname, btext),
                                                positions=schema[fieldname].format.supports("positions"))
            keys = keys[0] if keys else np.zeros(0, dtype=np.int64)
            files["ids"].write(ids.astype("<i4").tobytes())
            files["weights"].write(weights.astype("<f4").tobytes())
            files["pos"].write(keys.astype("<i8").tobytes())
            terms.append(term_offset(info))
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
        folder = getattr(leaf.storage(), "folder", None)
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
        offset = term_offset(info)
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
