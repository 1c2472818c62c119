"""The column type of the per-document ID columns: each distinct value once.

A directive's head and its ~15 section documents repeat its id, issuer and
signer, and there are few distinct issuers, kinds and document types, so a
column that stores each distinct value once and a small reference per
document (Whoosh's RefBytesColumn) is a fraction of Whoosh's default one,
which stores every document's whole string. RefBytesColumn's references are
at most 16 bits, though: past 65,535 distinct values in a segment it warns and
writes the empty value instead (a segment of more than 65,535 directives
would lose their ids). RefColumn writes the same layout with references as
wide as the segment needs (8, 16 or 32 bits), read back by RefBytesColumn's
own reader, which takes the width from the column's last byte. That layout is
Whoosh's below its public API (Whoosh-Reloaded 2.7.5, pinned);
tests/test_columns.py reads it back through Whoosh's reader.

    fields.ID(sortable=RefColumn())
"""

from __future__ import annotations

from array import array

from whoosh import columns

#: Reference widths, narrowest first: array typecode -> the largest reference it holds.
_WIDTHS = {"B": 0xFF, "H": 0xFFFF, "I": 0xFFFFFFFF}


class RefColumn(columns.RefBytesColumn):
    """RefBytesColumn's layout for values of any length, the empty one the
    default (references, then the distinct values in reference order, then the
    references' typecode), with references widened as the distinct values
    grow, so no value is ever dropped."""

    def __init__(self):
        super().__init__()  # variable length, default b""

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
