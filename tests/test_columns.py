"""The ID columns (indexer.whoosh_private.RefColumn) give back every document's value,
however many distinct values a segment holds."""

import unicodedata

import pytest
from whoosh import columns
from whoosh.filedb.filestore import RamStorage

from indexer.schema import directive_schema
from indexer.whoosh_private import RefColumn

ISSUERS = ["Ủy ban nhân dân huyện Ba Tơ", "Uỷ ban nhân dân tỉnh Quảng Ngãi",
           unicodedata.normalize("NFD", "Phòng Giáo dục và Đào tạo"), "Huyện ủy Đức Phổ", ""]


def _write_and_read(column, values: list[bytes]) -> list[bytes]:
    storage = RamStorage()
    with storage.create_file("column") as out:
        writer = column.writer(out)
        for docnum, value in enumerate(values):
            if value:  # a document without a value, as Whoosh leaves it: filled with the default
                writer.add(docnum, value)
        writer.finish(len(values))
        length = out.tell()
    return list(column.reader(storage.open_file("column"), 0, length, len(values)))


@pytest.mark.parametrize("distinct", [5, 3_000])  # references of 8 and 16 bits
def test_every_document_reads_back_its_own_value(distinct):
    # A directive's head and sections share its id: ids repeat, in runs.
    schema = directive_schema()
    ids = [f"{n}-kh-ubnd-{2019 + n % 5}" for n in range(distinct)]
    values = [schema["doc_id"].to_column_value(ids[n // 3]) for n in range(3 * distinct)]
    values[1] = b""  # the empty value too, in the middle of a run
    assert _write_and_read(RefColumn(), values) == values


def test_more_than_65535_directives_in_a_segment_keep_their_ids():
    ids = [f"{n}-qd-ubnd-2021".encode() for n in range(70_000)]
    assert _write_and_read(RefColumn(), ids) == ids
    with pytest.warns(UserWarning, match="dropped"):  # Whoosh's RefBytesColumn loses the ones past 65,535
        assert _write_and_read(columns.RefBytesColumn(), ids)[65_535:] != ids[65_535:]


def test_facet_values_with_marks_read_back_as_written():
    schema = directive_schema()
    values = [schema["issuer"].to_column_value(ISSUERS[n % len(ISSUERS)]) for n in range(40)]
    read = [schema["issuer"].from_column_value(v) for v in _write_and_read(RefColumn(), values)]
    assert read == [ISSUERS[n % len(ISSUERS)] for n in range(40)]
