"""Everything this project reads of Whoosh below its public API, in one place.

Search evaluates queries over numpy arrays (searcher.postings) and the
indexer copies long posting lists into flat files (indexer.posting_arrays);
both need a few things Whoosh's public API gives only one posting, one
document or one score at a time, or not at all. Each is one function here,
written for Whoosh-Reloaded 2.7.5 (setup.cfg pins it exactly) and checked
against what Whoosh's public API says on a real index by
tests/test_whoosh_private.py. Before changing the pin, run those tests; when
one fails, the internal named below it is what changed.

What is read, and why:

- ``SegmentReader._terms`` (the codec's W3TermsReader): ``term_info`` looks a
  term up without the public ``reader.term_info``'s field check and text
  conversion (a query looks up each of its terms in every segment), and
  ``raw_matcher`` gets a term's matcher without the public ``postings``'s
  deletion filter, which hides the codec's blocks (the caller masks deleted
  documents itself, for the whole list at once).
- ``W3TermInfo._offset``: where the term's postings start in the segment's
  postings file; ``term_offset`` gives it as the key under which the
  indexer's copy of a posting list is found again (no second term dictionary).
- ``W3LeafMatcher`` blocks (``_read_data``, ``_next_block``, ``_data`` =
  (ids, weights, values), ``_byteids``, ``_blocklength``, ``_maxid``) and the
  value layout of ``whoosh.formats.Positions`` (a 4-byte count, then a pickled
  list of position deltas): ``read_postings`` and ``read_positions`` decode a
  block of 128 postings with numpy instead of a Python call per posting and
  per position, and skip blocks that hold none of the documents asked about.
- ``whoosh.codec.whoosh3._lenfield`` and ``LENGTHS_COLUMN``, the per-document
  reader's ``_cached_reader`` and the column's ``_dbfile``, ``_basepos``,
  ``_count``: ``length_bytes`` reads a field's lengths (one byte per document,
  as BM25F sees them) in one read instead of a call per document.
- The same ``_cached_reader`` while a writer commits: ``lengths_read_at_once``
  wraps ``SegmentWriter.per_document_reader`` so that the codec's
  ``add_postings``, which asks for the field length of every posting it writes
  (``W3PerDocReader.doc_field_length``: a seek and a read each, 13 % of a
  build), finds them in arrays read once per field and segment.
- ``BM25F._field_B``: ``bm25f_parameters`` gives the B and K1 Whoosh's own
  BM25F scorer would use for a field, so scores over arrays are Whoosh's.
- File names: a segment's files are named ``<segment id>.<anything>``, and
  Whoosh deletes every such file of a segment that is no longer in the index
  (``whoosh.index.clean_files``, ``TOC._segment_pattern``): ``segment_file_name``
  names the indexer's copies so that they go with their segment.
  Each commit writes a new table of contents ``_MAIN_<generation>.toc``
  (``TOC._filename``): ``toc_names`` lets the server see a commit without
  opening the index.

    ids, weights = read_postings(raw_matcher(leaf, "body", b"dich"))
"""

from __future__ import annotations

from itertools import chain
from pathlib import Path
from pickle import loads

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.util.numeric import byte_to_length, length_to_byte

#: The index name Whoosh gives both of a generation's indexes (whoosh.index.open_dir's default).
INDEX_NAME = "MAIN"


# Segments and their files.

def segment_id(leaf) -> str | None:
    """The id of the segment a leaf reader reads (the prefix of its files);
    None for an empty index's reader."""
    segment = leaf.segment()
    return segment.segment_id() if segment is not None else None


def segment_file_name(segment_id: str, suffix: str) -> str:
    """The name of a file that belongs to the segment: Whoosh deletes it with
    the segment when segments are merged."""
    return f"{segment_id}.{suffix}"


def toc_names(folder: Path) -> list[str]:
    """The names of the Whoosh index's tables of contents in ``folder``,
    sorted; a commit replaces them with a new one."""
    return sorted(p.name for p in Path(folder).glob(f"_{INDEX_NAME}_*.toc"))


# Terms.

def term_info(leaf, fieldname: str, btext: bytes):
    """The term's TermInfo in the segment; raises whoosh.reading.TermNotFound."""
    return leaf._terms.term_info(fieldname, btext)


def term_offset(info) -> int:
    """Where the term's postings start in its segment's postings file: unique
    per term of a segment, the same from every reader of it."""
    return info._offset


def raw_matcher(leaf, fieldname: str, btext: bytes):
    """The term's postings in the segment, deleted documents included (the
    caller masks them), unscored."""
    return leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format)


# Posting lists, a block at a time.

def read_postings(m, positions: bool = False):
    """(docnums, weights) of a matcher's whole list, a block at a time when it
    can; with ``positions``, (docnums, weights, position keys: docnum << 32 |
    position, ascending), each block decoded once."""
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
            block = _block_ids(m, np.int64)
            ids.append(block.astype(np.int32))
            weights.append(_block_weights(m))
            if positions:
                keys.append(_block_positions(m, block))
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
        ids = _block_ids(m, np.int64)
        chosen = None if within is None else _members(ids, within)
        parts.append(_block_positions(m, ids, chosen))
        m._next_block()
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(parts)


def _block_ids(m: W3LeafMatcher, dtype) -> np.ndarray:
    """The docnums of the matcher's current block (read with _read_data), un-delta'd."""
    block = np.asarray(m._data[0], dtype=dtype)
    return block if m._byteids else np.cumsum(block, dtype=dtype)


def _block_weights(m: W3LeafMatcher) -> np.ndarray:
    stored, n = m._data[1], m._blocklength
    if stored is None:
        return np.ones(n, dtype=np.float32)
    if isinstance(stored, float):
        return np.full(n, stored, dtype=np.float32)
    return np.asarray(stored, dtype=np.float32)


def _block_positions(m: W3LeafMatcher, ids: np.ndarray, chosen=None) -> np.ndarray:
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


def _members(ids: np.ndarray, sorted_docs: np.ndarray) -> list[int]:
    """Indexes of ``ids`` found in ``sorted_docs``."""
    at = np.minimum(np.searchsorted(sorted_docs, ids), len(sorted_docs) - 1)
    return np.flatnonzero(sorted_docs[at] == ids).tolist()


def _any_between(sorted_docs: np.ndarray, low: int, high: int) -> bool:
    i = int(np.searchsorted(sorted_docs, low))
    return i < len(sorted_docs) and sorted_docs[i] <= high


# Scoring.

def length_bytes(leaf, fieldname: str) -> np.ndarray:
    """The field's length in each document of the segment as Whoosh stores it
    (whoosh.util.numeric.length_to_byte: one byte, the precision BM25F
    scores with); 0 where the field has no lengths."""
    count = leaf.doc_count_all()
    raw = np.zeros(count, dtype=np.uint8)
    perdoc = getattr(leaf, "_perdoc", None)
    column = _length_column(perdoc, fieldname) if perdoc is not None else None
    if column is None:
        return raw
    stored = _column_bytes(column)
    if stored is None:  # another column layout: the public, per-document way
        return np.array([length_to_byte(leaf.doc_field_length(d, fieldname) or 0) for d in range(count)],
                        dtype=np.uint8)
    raw[:len(stored)] = np.frombuffer(stored, dtype=np.uint8)
    return raw


def _length_column(perdoc, fieldname: str):
    """A per-document reader's column of the field's length bytes (None: the field has none)."""
    return perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)


def _column_bytes(column) -> bytes | None:
    """A length column's bytes (one per document, up to the last one written),
    read at once; None for a column laid out otherwise."""
    try:
        return column._dbfile.get(column._basepos, column._count)
    except AttributeError:
        return None


def lengths_read_at_once(writer) -> None:
    """Make ``writer`` (a Whoosh SegmentWriter) read each field's lengths once
    per segment it writes, instead of once per posting; the segment written
    is the same, byte for byte."""
    per_document_reader = writer.per_document_reader
    writer.per_document_reader = lambda: _LengthsAtOnce(per_document_reader())


class _LengthsAtOnce:
    """A W3PerDocReader whose doc_field_length() reads from per-field lists."""

    _BYTE_TO_LENGTH = [None] + [byte_to_length(b) for b in range(1, 256)]  # 0: the reader's None

    def __init__(self, perdoc):
        self._perdoc = perdoc
        self._lengths: dict[str, list | None] = {}

    def __getattr__(self, name):
        return getattr(self._perdoc, name)

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self._lengths.get(fieldname, False)
        if lengths is False:
            lengths = self._lengths[fieldname] = self._read(fieldname)
        if lengths is None:
            return self._perdoc.doc_field_length(docnum, fieldname, default)
        if docnum < len(lengths):
            return lengths[docnum]
        return self._perdoc.doc_field_length(docnum, fieldname, default)

    def _read(self, fieldname: str) -> list | None:
        column = _length_column(self._perdoc, fieldname)
        stored = _column_bytes(column) if column is not None else None
        if stored is None:  # no such column, or another layout: the reader's own way
            return None
        table = self._BYTE_TO_LENGTH
        return [table[b] for b in stored]


def bm25f_parameters(weighting, fieldname: str) -> tuple[float, float]:
    """(B, K1) that a whoosh.scoring.BM25F weighting scores the field with."""
    return weighting._field_B.get(fieldname, weighting.B), weighting.K1
