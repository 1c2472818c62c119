"""Each Whoosh segment's long posting lists, copied once into flat arrays.

Whoosh stores a posting list as blocks of 128 postings, each a zlib-compressed
pickle (the positions in it one array per block: whoosh_private.BlockPositionsCodec).
Reading a common word costs a decompress and an unpickle per block: a first
query over 50,000 directives spent seconds there when the positions were
a pickle per posting. The indexer therefore copies, after each
commit, the searched fields' lists longer than one block into raw
little-endian files next to the segment's own (named after the segment, so
Whoosh deletes them with it when segments merge), and searcher.postings
maps them instead of decoding:

    {segment}.vbp.terms    int64  Whoosh's postings offset of each copied term, ascending
    {segment}.vbp.spans    int64  per term: start, end in weights, start, end in pos,
                                  byte offset and width of its gaps in ids, first docnum
    {segment}.vbp.ids      bytes  per term, the gaps between its docnums (the first 0)
                                  in uint8, uint16 or uint32, the narrowest that holds them
    {segment}.vbp.weights  uint8, uint16 or float32  term frequencies
    {segment}.vbp.pos      uint16 or uint32  positions, posting after posting, ascending in each
    {segment}.vbp.json     format, fields, counts and the dtypes; written last: the copy is complete

A long list's docnums are close together: as gaps they fit a byte in the
commonest terms and two in the others (at 10,000 directives 80 % of the
postings take one byte though three terms in four need two; vbp.ids 27.4 MB
instead of 90.9 MB as 4-byte docnums), and a reader adds them up (a
cumulative sum: a tenth of a millisecond for 100,000 postings). Weights
and pos have the narrowest of their dtypes that holds every value of the
segment (frequencies that are whole numbers below 256, positions below
65,536 take 1 and 2 bytes), so they stay arrays a reader maps and slices.
A posting's positions are as many as its frequency: the docnum of each
position is the posting's, repeated, and is not stored (a term whose
frequencies are not its position counts, a boosted token, is left uncopied).

A term is found by its TermInfo's offset into the segment's postings file, so
no second term dictionary is kept in memory. Shorter lists (one block) stay in
Whoosh's format; they cost one block read. A copy that is missing, of another
format (format 1 wrote every part at 4 or 8 bytes, format 2 docnums whole;
any build rewrites it),
cut short, with a term's span outside its parts, or of a compound segment
(this indexer writes none) is not used: those segments are read from
Whoosh's blocks, slower but the same.

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
from indexer.array_ops import ranges
from indexer.schema import SEARCHED_FIELDS
from indexer.whoosh_private import (raw_matcher, read_postings, segment_file_name, segment_id, term_info,
                                    term_offset)

#: Postings a term needs (more than one Whoosh block) to be copied.
MIN_POSTINGS = 129

FORMAT = 3
#: The dtypes each part may have on disk, narrowest first (the small tables
#: are always int64; ids are bytes, each term's gaps in the width its span says).
_DTYPES = {"weights": ("<u1", "<u2", "<f4"), "pos": ("<u2", "<u4")}
_GAP_DTYPES = ("<u1", "<u2", "<u4")
_TABLES = {"terms": "<i8", "spans": "<i8"}
_SPAN = 7  # int64 columns of a term's span
# The wide dtypes parts are first written in, before the segment's largest value is known.
_WIDE = {"weights": "<f4", "pos": "<u4"}
_CHUNK = 1 << 20


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


def _narrowest(part: str, largest: float, whole: bool = True) -> str:
    """The narrowest dtype of the part that holds values up to ``largest``."""
    return _narrowest_of(_DTYPES[part], largest, whole)


def _narrowest_of(dtypes: tuple[str, ...], largest: float, whole: bool = True) -> str:
    """The first of ``dtypes`` (narrowest first) that holds values up to ``largest``."""
    for dtype in dtypes:
        kind = np.dtype(dtype)
        if kind.kind == "f" or (whole and largest <= np.iinfo(kind).max):
            return dtype
    raise ValueError(f"{largest} fits none of {dtypes}")


# The copies.

def _path(folder: Path, segment_id: str, part: str) -> Path:
    return folder / segment_file_name(segment_id, f"vbp.{part}")


def write_generation(generation: Path) -> None:
    """Copy the searched fields' long posting lists of every segment of a
    generation's Whoosh index that has no (current) copy yet; segments
    kept from the previous generation are hard links and have theirs."""
    write_missing(generation / layout.WHOOSH, SEARCHED_FIELDS)


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
    dtypes = {}
    terms, spans = [], []
    tmp = {part: _path(folder, segment_id, part + ".tmp") for part in (*_TABLES, "ids", *_DTYPES)}
    wide = {part: _path(folder, segment_id, part + ".wide.tmp") for part in _WIDE}
    files = {"ids": open(tmp["ids"], "wb"), **{part: open(path, "wb") for part, path in wide.items()}}
    largest = {"weights": 0.0, "pos": 0}
    whole = True
    try:
        written, pwritten, id_bytes = 0, 0, 0
        for (fieldname, btext), info in leaf:
            if fieldname not in fields or info.doc_frequency() < min_postings:
                continue
            positional = schema[fieldname].format.supports("positions")
            ids, weights, *keys = read_postings(raw_matcher(leaf, fieldname, btext), positions=positional)
            positions = np.zeros(0, dtype=np.int64)
            if positional:
                docs = keys[0] >> 32
                counts = np.searchsorted(docs, ids, "right") - np.searchsorted(docs, ids, "left")
                if not np.array_equal(counts, weights):
                    continue  # a boosted token: its positions could not be told apart by posting
                positions = keys[0] & 0xFFFFFFFF
            gaps = np.diff(ids.astype(np.int64), prepend=ids[0] if len(ids) else 0)
            gap_dtype = np.dtype(_narrowest_of(_GAP_DTYPES, int(gaps.max()) if len(gaps) else 0))
            pad = -id_bytes % gap_dtype.itemsize  # each term's gaps aligned to their width
            files["ids"].write(bytes(pad) + gaps.astype(gap_dtype).tobytes())
            id_bytes += pad
            files["weights"].write(weights.astype(_WIDE["weights"]).tobytes())
            files["pos"].write(positions.astype(_WIDE["pos"]).tobytes())
            if len(weights):
                largest["weights"] = max(largest["weights"], float(weights.max()))
                whole = whole and bool(np.all(weights == np.floor(weights)))
            if len(positions):
                largest["pos"] = max(largest["pos"], int(positions.max()))
            terms.append(term_offset(info))
            spans.append((written, written + len(ids), pwritten, pwritten + len(positions),
                          id_bytes, gap_dtype.itemsize, int(ids[0]) if len(ids) else 0))
            written += len(ids)
            pwritten += len(positions)
            id_bytes += len(gaps) * gap_dtype.itemsize
    finally:
        for f in files.values():
            f.close()
    dtypes["weights"] = _narrowest("weights", largest["weights"], whole)
    dtypes["pos"] = _narrowest("pos", largest["pos"])
    for part, path in wide.items():
        _narrow(path, _WIDE[part], tmp[part], dtypes[part])
    order = np.argsort(np.array(terms, dtype=np.int64))
    tmp["terms"].write_bytes(np.array(terms, dtype="<i8")[order].tobytes())
    tmp["spans"].write_bytes(np.array(spans, dtype="<i8").reshape(-1, _SPAN)[order].tobytes())
    for part, path in tmp.items():
        os.replace(path, _path(folder, segment_id, part))
    meta = {"format": FORMAT, "min_postings": min_postings, "fields": fields, "terms": len(terms),
            "postings": written, "positions": pwritten, "id_bytes": id_bytes, "dtypes": dtypes}
    meta_tmp = _path(folder, segment_id, "json.tmp")
    meta_tmp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(meta_tmp, _path(folder, segment_id, "json"))


def _narrow(source: Path, wide: str, target: Path, dtype: str) -> None:
    """Rewrite a part written at its wide dtype in ``dtype`` (every value fits), a chunk at a time."""
    if np.dtype(wide) == np.dtype(dtype):
        os.replace(source, target)
        return
    count = source.stat().st_size // np.dtype(wide).itemsize
    values = np.memmap(source, dtype=wide, mode="r") if count else np.zeros(0, dtype=wide)
    with open(target, "wb") as out:
        for start in range(0, count, _CHUNK):
            out.write(values[start:start + _CHUNK].astype(dtype).tobytes())
    del values
    source.unlink()


def _check_spans(spans: np.ndarray, meta: dict) -> None:
    """Raise ValueError unless every term's span lies inside the parts the
    description counts: its weights and positions in their files, its gaps in
    ids at an offset of their width, its first docnum not negative. (A span
    outside would read another term's lists, or fail at query time.)"""
    start, end, pstart, pend, offset, width, first = spans.T
    fits = ((0 <= start) & (start <= end) & (end <= meta["postings"])
            & (0 <= pstart) & (pstart <= pend) & (pend <= meta["positions"])
            & np.isin(width, [np.dtype(d).itemsize for d in _GAP_DTYPES])
            & (offset >= 0) & (offset % np.maximum(width, 1) == 0)
            & (offset + (end - start) * width <= meta["id_bytes"]) & (first >= 0))
    if not fits.all():
        raise ValueError(f"spans: {int(np.count_nonzero(~fits))} term(s) point outside the copy's parts")


class SegmentArrays:
    """One segment's copied posting lists, memory-mapped (read-only, shared
    by every thread; the OS page cache holds them, not the Python heap)."""

    def __init__(self, folder: Path, segment_id: str, meta: dict):
        self.fields = frozenset(meta["fields"])
        dtypes = {**_TABLES, "ids": "<u1", **meta["dtypes"]}
        for part, allowed in _DTYPES.items():
            if dtypes[part] not in allowed:
                raise ValueError(f"{part}: dtype {dtypes[part]!r} is none of {allowed}")
        expected = {"terms": meta["terms"], "spans": _SPAN * meta["terms"], "ids": meta["id_bytes"],
                    "weights": meta["postings"], "pos": meta["positions"]}
        self._parts = {}
        for part, count in expected.items():
            path = _path(folder, segment_id, part)
            dtype = np.dtype(dtypes[part])
            if path.stat().st_size != count * dtype.itemsize:
                raise ValueError(f"{path.name}: {path.stat().st_size} bytes, not {count} items")
            self._parts[part] = np.memmap(path, dtype=dtype, mode="r") if count else np.zeros(0, dtype=dtype)
        # The small tables are read into memory: every lookup searches them.
        self._terms = np.array(self._parts["terms"])
        self._spans = np.array(self._parts["spans"]).reshape(-1, _SPAN)
        _check_spans(self._spans, meta)

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

    def _ids(self, i: int) -> np.ndarray:
        """The docnums of the i-th copied term (int32), added up from its gaps."""
        start, end, _, _, offset, width, first = (int(v) for v in self._spans[i])
        gaps = self._parts["ids"][offset:offset + (end - start) * width].view(f"<u{width}")
        return np.cumsum(gaps, dtype=np.int32) + np.int32(first)

    def postings(self, fieldname: str, info) -> tuple[np.ndarray, np.ndarray] | None:
        """(segment docnums, weights) of the term with this TermInfo, or None
        if not copied: the docnums added up from their gaps (int32), the
        weights as mapped (a view in the segment's narrow dtype: the caller
        widens it)."""
        i = self._find(fieldname, info)
        if i is None:
            return None
        start, end = self._spans[i, :2]
        return self._ids(i), self._parts["weights"][start:end]

    def positions(self, fieldname: str, info, within: np.ndarray | None = None) -> np.ndarray | None:
        """The term's docnum << 32 | position keys in the segment, ascending,
        or None if not copied; with ``within`` (sorted segment docnums), only theirs."""
        i = self._find(fieldname, info)
        if i is None:
            return None
        start, end, pstart, pend = self._spans[i, :4]
        ids = self._ids(i).astype(np.int64)
        counts = self._parts["weights"][start:end].astype(np.int64)
        positions = self._parts["pos"][pstart:pend]
        if within is not None:
            at = np.minimum(np.searchsorted(within, ids), max(len(within) - 1, 0))
            chosen = np.flatnonzero(within[at] == ids) if len(within) else np.zeros(0, dtype=np.int64)
            firsts = np.cumsum(counts) - counts
            ids, counts = ids[chosen], counts[chosen]
            positions = positions[ranges(firsts[chosen], counts)]
        return (np.repeat(ids, counts) << 32) | positions.astype(np.int64)
