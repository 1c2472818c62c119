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
- The W3 codec's postings writer and matcher, subclassed by
  ``BlockPositionsCodec`` (the codec every segment of the index is written
  with: ``open_writer``): ``W3PostingsWriter._mini_values``/``_mini_weights``
  (what a block's pickle holds of its values and weights; ``_values``,
  ``_format``) and ``W3LeafMatcher._read_values`` (``_data``, ``format``):
  a block keeps its positions as one array instead of a pickle per posting,
  a third of the bytes.
- ``W3LeafMatcher`` blocks (``_read_data``, ``_next_block``, ``_data`` =
  (ids, weights, values), ``_byteids``, ``_blocklength``, ``_maxid``):
  ``read_postings`` and ``read_positions`` decode a block of 128 postings with
  numpy instead of a Python call per posting and per position, and skip
  blocks that hold none of the documents asked about.
- ``whoosh.codec.whoosh3._lenfield`` and ``LENGTHS_COLUMN``, the per-document
  reader's ``_cached_reader`` and the column's ``_dbfile``, ``_basepos``,
  ``_count``: ``length_bytes`` reads a field's lengths (one byte per document,
  as BM25F sees them) in one read instead of a call per document.
- The same ``_cached_reader`` while a writer commits: ``lengths_read_at_once``
  wraps ``SegmentWriter.per_document_reader`` so that the codec's
  ``add_postings``, which asks for the field length of every posting it writes
  (``W3PerDocReader.doc_field_length``: a seek and a read each, 13 % of a
  build), finds them in arrays read once per field and segment.
- RefBytesColumn's file layout (the references as a big-endian array, the
  distinct values as varint-prefixed bytes, the references' typecode last)
  and ``ColumnWriter._dbfile``/``_count``: ``RefColumn`` writes it with
  references of 32 bits when a segment has more than 65,535 distinct values.
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

import struct
from array import array
from collections import defaultdict
from pathlib import Path

import numpy as np
from whoosh import columns, formats
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3LeafMatcher, W3PostingsWriter, _lenfield
from whoosh.formats import tokens
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.array_ops import ranges

#: The index name Whoosh gives both of a generation's indexes (whoosh.index.open_dir's default).
INDEX_NAME = "MAIN"


# The format and codec the index is written with.

class PositionArrays(formats.Positions):
    """Positions (phrases, proximity) as arrays: a posting's value is its
    positions as little-endian uint32, its weight the number of them (a whole
    number; tokens' boosts are not kept: the analyzers give every token 1).

    Whoosh's own Positions pickles each posting's list of deltas behind a
    4-byte count, about 9 bytes a position once a block is compressed; the
    codec below joins a block's arrays into one, about 3.
    """

    def word_values(self, value, analyzer, **kwargs):
        kwargs["positions"] = True
        positions = defaultdict(list)
        for token in tokens(value, analyzer, kwargs):
            positions[token.text].append(token.pos)
        for word, found in positions.items():
            yield word, len(found), len(found), self.encode(found)

    def encode(self, poslist):
        return struct.pack(f"<{len(poslist)}I", *poslist)

    def decode_positions(self, valuestring):
        return np.frombuffer(valuestring, dtype="<u4").tolist()

    def decode_frequency(self, valuestring):
        return len(valuestring) // 4

    def decode_weight(self, valuestring):
        return self.decode_frequency(valuestring) * self.field_boost


class BlockPositionsCodec(W3Codec):
    """Whoosh's codec, except that a block of PositionArrays postings keeps
    its positions as one array (``_joined``) instead of a tuple of one pickled
    value per posting: at 1,000 directives the exact fields' blocks take 3.5
    instead of 11.5 MB. A block whose weights are whole numbers (frequencies,
    every field's here) keeps them as ints in its pickle, 2 bytes each
    instead of a float's 9.

    Segments record the codec that wrote them (pickled in the table of
    contents), so every reader of such a segment reads it this way; Whoosh's
    own paths (merging segments, its matchers' ``value``) get each posting's
    value back from the block's array.
    """

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return _LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


def open_writer(ix, **kwargs):
    """A writer of ``ix`` that writes its segments with BlockPositionsCodec,
    as plain files (not compound: Whoosh reads a compound segment by copying
    each part into memory per searcher)."""
    return ix.writer(codec=BlockPositionsCodec(), compound=False, **kwargs)


class _PostingsWriter(W3PostingsWriter):
    def _mini_weights(self):
        mini = super()._mini_weights()  # None (all 1), one float (all the same) or a tuple
        if isinstance(mini, tuple) and all(float(w).is_integer() for w in mini):
            return tuple(int(w) for w in mini)  # frequencies: 2 bytes each in the pickle, not a float's 9
        return mini

    def _mini_values(self):
        if not isinstance(self._format, PositionArrays):
            return super()._mini_values()
        return _joined(self._values)


class _LeafMatcher(W3LeafMatcher):
    def _read_values(self):
        if not isinstance(self.format, PositionArrays):
            return super()._read_values()
        if self._data is None:
            self._read_data()
        counts = _block_weights(self).astype(np.int64)
        positions = _split(self._data[2]).astype("<u4")
        self._values = tuple(part.tobytes() for part in np.split(positions, np.cumsum(counts)[:-1]))


def _joined(values) -> bytes:
    """A block's PositionArrays values as one array: a byte giving its width,
    then every position in the narrowest unsigned width that holds them."""
    positions = np.frombuffer(b"".join(values), dtype="<u4")
    largest = int(positions.max()) if len(positions) else 0
    width = 1 if largest < 1 << 8 else 2 if largest < 1 << 16 else 4
    return bytes((width,)) + positions.astype(f"<u{width}").tobytes()


def _split(joined: bytes) -> np.ndarray:
    """The positions of a ``_joined`` array, posting after posting."""
    return np.frombuffer(joined, dtype=f"<u{joined[0]}", offset=1)


# The ID columns' type.
#
# A directive's head and its ~15 section documents repeat its id, issuer and
# signer, and few issuers, kinds and document types are distinct, so a column
# that stores each distinct value once and a small reference per document
# (Whoosh's RefBytesColumn) is a fraction of Whoosh's default one, which
# stores every document's whole string. RefBytesColumn's references are at
# most 16 bits, though: past 65,535 distinct values in a segment it warns and
# writes the empty value instead (a segment of more than 65,535 directives
# would lose their ids). RefColumn writes the same layout with references as
# wide as the segment needs (8, 16 or 32 bits), read back by RefBytesColumn's
# own reader, which takes the width from the column's last byte
# (tests/test_columns.py).

#: Reference widths, narrowest first: array typecode -> the largest reference it holds.
_WIDTHS = {"B": 0xFF, "H": 0xFFFF, "I": 0xFFFFFFFF}


class RefColumn(columns.RefBytesColumn):
    """RefBytesColumn's layout for values of any length, the empty one the
    default (references, then the distinct values in reference order, then the
    references' typecode), with references widened as the distinct values
    grow, so no value is ever dropped."""

    def writer(self, dbfile):
        return _RefWriter(dbfile)


class _RefWriter(columns.ColumnWriter):
    def __init__(self, dbfile):
        super().__init__(dbfile)
        self._refs = array("B")
        self._uniques = {b"": 0}  # value -> reference; the default is 0, as fill() writes

    def fill(self, docnum: int) -> None:
        if docnum > self._count:
            self._refs.extend(bytes(docnum - self._count))  # reference 0, the default

    def add(self, docnum: int, value: bytes) -> None:
        self.fill(docnum)
        ref = self._uniques.setdefault(value, len(self._uniques))
        if ref > _WIDTHS[self._refs.typecode]:
            wider = next(code for code, largest in _WIDTHS.items() if ref <= largest)
            self._refs = array(wider, self._refs)
        self._refs.append(ref)
        self._count = docnum + 1

    def finish(self, doccount: int) -> None:
        self.fill(doccount)
        dbfile = self._dbfile
        dbfile.write_array(self._refs)  # big-endian, as the reader unpacks them
        dbfile.write_varint(len(self._uniques))
        for value in self._uniques:  # a dict keeps insertion order: reference order
            dbfile.write_varint(len(value))
            dbfile.write(value)
        dbfile.write_byte(ord(self._refs.typecode))


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

    A BlockPositionsCodec block holds its positions as one array, posting
    after posting, as many for each as its weight; another block (Whoosh's
    own codec, in tests) is decoded a posting at a time by its format.
    """
    values = m._data[2]
    if chosen is None:
        chosen = np.arange(len(ids))
    chosen = np.asarray(chosen, dtype=np.int64)
    if isinstance(values, bytes):
        counts = _block_weights(m).astype(np.int64)
        positions = _split(values).astype(np.int64)
        starts = np.cumsum(counts) - counts
        positions = positions[ranges(starts[chosen], counts[chosen])]
        counts = counts[chosen]
    else:
        decoded = [m.format.decode_positions(values[i]) for i in chosen.tolist()]
        counts = np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded))
        positions = np.fromiter((p for found in decoded for p in found), dtype=np.int64, count=int(counts.sum()))
    docs = np.repeat(ids[chosen].astype(np.int64), counts)
    return (docs << 32) | positions


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
