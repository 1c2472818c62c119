"""indexer.whoosh_private gives what Whoosh's public API gives, only faster.

Every function of the module that reads Whoosh below its public API is
checked here against the public way of getting the same thing, on a small
real index with the project's schema: three segments' worth of Vietnamese
text (marks and none, NFD, old-style tone marks), posting lists of several
Whoosh blocks, documents deleted from a segment, field lengths long enough to
be quantised. When a Whoosh upgrade changes an internal, a test here fails
and names it.
"""

import random
import unicodedata
from importlib import metadata

import numpy as np
import pytest
from whoosh import formats
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from indexer.schema import SEARCHED_FIELDS, TEXT_FIELDS, directive_schema
from indexer.whoosh_private import (PositionArrays, bm25f_parameters, length_bytes, lengths_read_at_once,
                                    open_writer, raw_matcher, read_positions, read_postings, segment_file_name,
                                    segment_id, term_info, term_offset, toc_names)

SENTENCES = [
    "Kế hoạch phòng, chống dịch COVID-19 trên địa bàn huyện",
    "Tổ chức thực hiện nhiệm vụ phát triển kinh tế - xã hội",
    "Uỷ ban nhân dân các xã, thị trấn bảo đảm hoà bình và thuỷ lợi nội đồng",
    "Ủy ban nhân dân các xã, thị trấn bảo đảm hòa bình và thủy lợi nội đồng",
    unicodedata.normalize("NFD", "phòng chống dịch bệnh trong trường học"),
    "phong chong dich benh trong truong hoc",
    "thực hiện Chỉ thị số 19/CT-TTg của Thủ tướng Chính phủ",
    "căn cứ Hướng dẫn số 34/HD-ĐU về công tác dân vận khéo",
    "giáo dục mầm non và giáo dục phổ thông",
]
TITLES = ["Kế hoạch phòng, chống dịch", "Chỉ thị về thi đua khen thưởng", "Hướng dẫn dân vận khéo"]
DOC_TYPES = ["ke_hoach", "chi_thi", "huong_dan"]


def _document(rng: random.Random, n: int) -> dict:
    # Every document mentions "phòng chống dịch" (a list of several blocks);
    # one in ten is long enough for its length to be stored approximately.
    sentences = ["phòng chống dịch"] + rng.choices(SENTENCES, k=rng.randint(1, 6))
    if n % 10 == 0:
        sentences *= 30
    body = ". ".join(sentences)
    title = TITLES[n % len(TITLES)]
    heading = SENTENCES[n % len(SENTENCES)]
    return dict(doc_id=f"vb-{n}", title=title, title_f=title, heading=heading, heading_f=heading,
                body=body, body_f=body, words=title,
                numbers=" ".join(s for s in sentences if "/" in s), doc_type=DOC_TYPES[n % len(DOC_TYPES)],
                issuer="UBND huyện Ba Tơ", signer="", kind="", year=2019 + n % 4, sort_date=20190101 + n)


def _write(path, schema, writer_of) -> None:
    """Three segments (300 + 40 + 1 documents) with every seventh document of
    the first deleted."""
    ix = whoosh_index.create_in(str(path), schema)
    rng = random.Random(14)
    for start, count in ((0, 300), (300, 40), (340, 1)):
        writer = writer_of(ix)
        for n in range(start, start + count):
            writer.add_document(**_document(rng, n))
        writer.commit(merge=False)
    writer = writer_of(ix)
    for n in range(0, 300, 7):
        writer.delete_by_term("doc_id", f"vb-{n}")  # as indexer.build deletes
    writer.commit(merge=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The index the tests read, written as indexer.build writes."""
    path = tmp_path_factory.mktemp("whoosh-private")
    _write(path, directive_schema(), open_writer)
    return path


@pytest.fixture(scope="module")
def stock_folder(tmp_path_factory):
    """The same documents in the same steps, written by Whoosh's own codec
    and its own Positions format (what this index wrote before schema 7)."""
    path = tmp_path_factory.mktemp("whoosh-stock")
    schema = directive_schema()
    for fieldname in TEXT_FIELDS:
        schema[fieldname].format = formats.Positions()
    _write(path, schema, lambda ix: ix.writer(compound=False))
    return path


@pytest.fixture(scope="module")
def ix(folder):
    return whoosh_index.open_dir(str(folder))


@pytest.fixture()
def reader(ix):
    with ix.reader() as r:
        yield r


def _leaves(reader):
    leaves = [leaf for leaf, _ in reader.leaf_readers()]
    assert len(leaves) == 3 and leaves[0].has_deletions()  # the fixture is what the tests need
    return leaves


def _terms(leaf, fields=SEARCHED_FIELDS):
    """(fieldname, term bytes) of every term of ``fields`` in the segment."""
    return [term for term, _ in leaf if term[0] in fields]


def _public_postings(m, positions: bool):
    """A matcher's postings, one at a time through Whoosh's public matcher API."""
    ids, weights, keys = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if positions:
            keys += [(m.id() << 32) | p for p in m.value_as("positions")]
        m.next()
    return ids, weights, keys


def test_installed_whoosh_is_the_pinned_release():
    version = metadata.version("Whoosh-Reloaded")
    assert version == "2.7.5", (
        f"Whoosh-Reloaded {version} is installed, 2.7.5 is pinned (setup.cfg). indexer/whoosh_private.py "
        "reads its internals: before changing the pin, run tests/test_whoosh_private.py and "
        "tests/test_postings.py against the new release, check each internal that module's docstring "
        "lists, and rebuild an index (the posting copies are keyed by its term offsets).")


def test_segment_ids_name_every_file_of_their_segment(folder, reader):
    ids = [segment_id(leaf) for leaf in _leaves(reader)]
    assert len(set(ids)) == 3 and all(ids)
    # Every file but the table of contents (and the writer's lock) is one segment's.
    files = [p.name for p in folder.iterdir() if p.name not in toc_names(folder) and p.name != "MAIN_WRITELOCK"]
    assert files and all(name.split(".", 1)[0] in ids for name in files)
    assert {name.split(".", 1)[0] for name in files} == set(ids)


def test_an_empty_index_reader_has_no_segment(tmp_path):
    empty = whoosh_index.create_in(str(tmp_path), directive_schema())
    with empty.reader() as r:
        assert [segment_id(leaf) for leaf, _ in r.leaf_readers()] == [None]


def test_files_named_for_a_segment_go_with_it_when_segments_merge(folder, tmp_path):
    import shutil

    path = tmp_path / "index"
    shutil.copytree(folder, path)
    ix = whoosh_index.open_dir(str(path))
    with ix.reader() as r:
        ids = [segment_id(leaf) for leaf, _ in r.leaf_readers()]
    ours = [path / segment_file_name(sid, "vbp.json") for sid in ids]
    for name in ours:
        name.write_text("{}", encoding="utf-8")
    writer = open_writer(ix)
    writer.add_document(**_document(random.Random(1), 999))
    writer.commit(merge=False)
    assert all(name.exists() for name in ours)  # their segments are still in the index
    ix.optimize()
    assert not any(name.exists() for name in ours)  # merged away, with Whoosh's own files
    with ix.reader() as r:
        assert [segment_id(leaf) for leaf, _ in r.leaf_readers()] != ids[:1]


def test_toc_names_are_the_index_generations(folder, tmp_path):
    import shutil

    assert toc_names(tmp_path) == []
    path = tmp_path / "index"
    shutil.copytree(folder, path)
    ix = whoosh_index.open_dir(str(path))
    before = toc_names(path)
    assert before == [f"_MAIN_{ix.latest_generation()}.toc"]
    writer = open_writer(ix)
    writer.add_document(**_document(random.Random(2), 998))
    writer.commit(merge=False)
    after = toc_names(path)
    assert after == [f"_MAIN_{ix.latest_generation()}.toc"] and after != before


def test_term_info_is_the_readers_with_a_stable_offset(ix, reader):
    with ix.reader() as other:  # a second reader, files opened again
        for leaf, twin in zip(_leaves(reader), [leaf for leaf, _ in other.leaf_readers()]):
            offsets = set()
            for fieldname, btext in _terms(leaf):
                info = term_info(leaf, fieldname, btext)
                public = leaf.term_info(fieldname, btext)
                assert (info.doc_frequency(), info.weight()) == (public.doc_frequency(), public.weight())
                assert term_offset(info) == term_offset(public) == term_offset(term_info(twin, fieldname, btext))
                offsets.add(term_offset(info))
            # The posting copies find a term by its offset: one term, one offset.
            assert len(offsets) == len(_terms(leaf))
            with pytest.raises(TermNotFound):
                term_info(leaf, "body", "không có từ này".encode())


def test_raw_matcher_keeps_deleted_documents_the_public_one_drops(reader):
    leaf = _leaves(reader)[0]
    deleted = set(leaf.deleted_docs_set)
    for fieldname, btext in [("body", "phòng".encode()), ("body_f", b"dich"), ("title", "hoạch".encode())]:
        raw = set(raw_matcher(leaf, fieldname, btext).all_ids())
        public = set(leaf.postings(fieldname, btext).all_ids())
        assert raw - deleted == public and raw & deleted


@pytest.mark.parametrize("fieldname", SEARCHED_FIELDS)
def test_read_postings_is_what_whoosh_matchers_give(reader, fieldname):
    positional = directive_schema()[fieldname].format.supports("positions")
    checked = 0
    for leaf in _leaves(reader):
        for _, btext in _terms(leaf, (fieldname,)):
            ids, weights, keys = _public_postings(raw_matcher(leaf, fieldname, btext), positional)
            found = read_postings(raw_matcher(leaf, fieldname, btext), positions=positional)
            assert found[0].tolist() == ids and found[0].dtype == np.int32
            assert found[1].tolist() == pytest.approx(weights) and found[1].dtype == np.float32
            if positional:
                assert found[2].tolist() == keys
            assert read_postings(raw_matcher(leaf, fieldname, btext))[0].tolist() == ids
            checked += 1
    assert checked


def test_long_lists_span_blocks_and_read_whole(reader):
    leaf = _leaves(reader)[0]
    btext = "phòng".encode()
    ids, weights, keys = _public_postings(raw_matcher(leaf, "body", btext), True)
    assert len(ids) == 300  # three of Whoosh's blocks of 128, deleted documents included
    found = read_postings(raw_matcher(leaf, "body", btext), positions=True)
    assert found[0].tolist() == ids and found[2].tolist() == keys
    assert read_positions(raw_matcher(leaf, "body", btext)).tolist() == keys


def test_matchers_that_are_not_codec_blocks_read_one_posting_at_a_time(reader):
    # The public postings of a segment with deletions wrap the codec's matcher.
    leaf = _leaves(reader)[0]
    btext = "dịch".encode()
    ids, weights, keys = _public_postings(leaf.postings("body", btext), True)
    found = read_postings(leaf.postings("body", btext), positions=True)
    assert found[0].tolist() == ids and found[1].tolist() == pytest.approx(weights) and found[2].tolist() == keys
    assert read_positions(leaf.postings("body", btext)).tolist() == keys
    within = np.array(ids[::5], dtype=np.int64)
    assert read_positions(leaf.postings("body", btext), within).tolist() == [
        k for k in keys if (k >> 32) in set(within.tolist())]


def test_positions_are_those_whooshs_own_format_writes(ix, reader, stock_folder):
    # The same documents written with Whoosh's own codec and Positions: every
    # term of the positional fields has the same postings, weights and
    # positions, read as the search reads them, and Whoosh's own phrase
    # query (its matchers' values, rebuilt from a block's array) agrees.
    stock = whoosh_index.open_dir(str(stock_folder))
    with stock.reader() as theirs:
        checked = 0
        for leaf, twin in zip(_leaves(reader), _leaves(theirs)):
            for fieldname in TEXT_FIELDS:
                terms = _terms(leaf, (fieldname,))
                assert terms == _terms(twin, (fieldname,))
                for _, btext in terms:
                    ids, weights, keys = read_postings(raw_matcher(leaf, fieldname, btext), positions=True)
                    assert (ids.tolist(), weights.tolist(), keys.tolist()) == _public_postings(
                        raw_matcher(twin, fieldname, btext), True)
                    checked += 1
        assert checked > 100
    phrase = wq.Phrase("body", ["thủy", "lợi", "nội", "đồng"])
    with ix.searcher() as ours, stock.searcher() as whooshs:
        found = [hit.docnum for hit in ours.search(phrase, limit=None)]
        assert found and found == [hit.docnum for hit in whooshs.search(phrase, limit=None)]


@pytest.mark.parametrize("merged_by", ["this codec", "Whoosh's own writer"])
def test_segments_merged_keep_every_position(folder, tmp_path, merged_by):
    # Merging reads each posting's value from the block's array and writes it
    # again; Whoosh's own writer (ix.optimize) writes its own blocks, a value
    # per posting, which the search reads too.
    import shutil

    def positions_by_document(ix) -> dict:
        found = {}
        with ix.reader() as r:
            for leaf, _ in r.leaf_readers():
                ids = list(leaf.column_reader("doc_id"))
                deleted = set(leaf.deleted_docs_set) if leaf.has_deletions() else set()
                for fieldname, btext in _terms(leaf, TEXT_FIELDS):
                    for key in read_positions(raw_matcher(leaf, fieldname, btext)).tolist():
                        if key >> 32 not in deleted:
                            found.setdefault((ids[key >> 32], fieldname, btext), []).append(key & 0xFFFFFFFF)
        return found

    path = tmp_path / "index"
    shutil.copytree(folder, path)
    ix = whoosh_index.open_dir(str(path))
    before = positions_by_document(ix)
    if merged_by == "this codec":
        open_writer(ix).commit(optimize=True)
    else:
        ix.optimize()
    with ix.reader() as r:
        assert len(list(r.leaf_readers())) == 1
    assert positions_by_document(ix) == before and len(before) > 1000


@pytest.mark.parametrize("pick", ["every third", "last block only", "first of the last block", "first and last",
                                  "none there", "nothing"])
def test_read_positions_within_some_documents_is_theirs(reader, pick):
    leaf = _leaves(reader)[0]
    btext = "dịch".encode()
    _, _, keys = _public_postings(raw_matcher(leaf, "body", btext), True)
    docs = sorted({k >> 32 for k in keys})
    # Whoosh's blocks hold 128 postings: the third starts at the 257th.
    within = {"every third": docs[::3], "last block only": docs[260:], "first of the last block": docs[256:257],
              "first and last": [docs[0], docs[-1]], "none there": [leaf.doc_count_all() + 5], "nothing": []}[pick]
    within = np.array(within, dtype=np.int64)
    expected = [k for k in keys if (k >> 32) in set(within.tolist())]
    assert read_positions(raw_matcher(leaf, "body", btext), within).tolist() == expected


def test_length_bytes_are_whoosh_field_lengths(reader):
    schema = directive_schema()
    quantised = False
    for leaf in _leaves(reader):
        for fieldname in schema.names():
            found = length_bytes(leaf, fieldname)
            # (Whoosh says None for a document without the field, and 0 for a field without lengths.)
            expected = [leaf.doc_field_length(d, fieldname) or 0 for d in range(leaf.doc_count_all())]
            assert [byte_to_length(b) for b in found.tolist()] == expected, fieldname
            assert found.dtype == np.uint8 and len(found) == leaf.doc_count_all()
            quantised |= any(length > 255 for length in expected)
    assert quantised  # lengths too long for a byte were stored approximately, and read so


@pytest.mark.parametrize("weighting", [BM25F(), BM25F(B=0.5, K1=2.0, body_B=0.9, title_f_B=0.1)],
                         ids=["default", "per field"])
def test_bm25f_parameters_and_lengths_give_whooshs_scores(ix, weighting):
    with ix.searcher(weighting=weighting) as searcher:
        for fieldname, text in [("body", "phòng"), ("body_f", "dich"), ("title_f", "dan"), ("title", "Kế")]:
            btext = text.lower().encode()
            scorer = weighting.scorer(searcher, fieldname, btext)
            B, K1 = bm25f_parameters(weighting, fieldname)
            assert (B, K1) == (scorer.B, scorer.K1)
            idf, avgfl = searcher.idf(fieldname, btext), searcher.avg_field_length(fieldname) or 1
            expected = {hit.docnum: hit.score for hit in searcher.search(wq.Term(fieldname, btext), limit=None)}
            assert expected
            lengths = np.concatenate([length_bytes(leaf, fieldname) for leaf, _ in searcher.reader().leaf_readers()])
            for docnum, score in expected.items():
                fl = byte_to_length(int(lengths[docnum]))
                tf = _weight_of(searcher, fieldname, btext, docnum)
                ours = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
                assert ours == pytest.approx(score, rel=1e-9)


def _weight_of(searcher, fieldname, btext, docnum):
    m = searcher.reader().postings(fieldname, btext)
    m.skip_to(docnum)
    assert m.id() == docnum
    return m.weight()


def test_columns_read_segment_by_segment_line_up_with_docnums(reader):
    # searcher.handle reads facet columns leaf by leaf (Whoosh's multi-segment
    # column reader shifts values after a segment without the column); each
    # leaf's values belong to the docnums from its offset on.
    for leaf, offset in reader.leaf_readers():
        ids = list(leaf.column_reader("doc_id"))
        assert len(ids) == leaf.doc_count_all()
        for docnum in leaf.all_doc_ids():  # each document's own id term finds it there
            assert list(reader.postings("doc_id", ids[docnum]).all_ids()) == [offset + docnum]


def _segment_files(path) -> dict[str, bytes]:
    """suffix -> content of every segment file (segment ids are random; contents are not)."""
    found = {}
    for file in path.iterdir():
        if file.name.startswith("MAIN_") and "." in file.name:
            found[file.name.split(".", 1)[1]] = file.read_bytes()
    return found


def test_a_writer_reading_lengths_at_once_writes_the_same_segments(tmp_path):
    # Two commits, the second merging the first segment (with deletions) into
    # a new one: both ways of writing postings go through add_postings.
    written = {}
    for way in ("per posting", "at once"):
        path = tmp_path / way.replace(" ", "-")
        path.mkdir()
        ix = whoosh_index.create_in(str(path), directive_schema())
        rng = random.Random(14)
        for start, count, optimize in ((0, 120, False), (120, 30, True)):
            writer = open_writer(ix)
            if way == "at once":
                lengths_read_at_once(writer)
            for n in range(start, start + count):
                writer.add_document(**_document(rng, n))
            if optimize:
                for n in range(0, 120, 9):
                    writer.delete_by_term("doc_id", f"vb-{n}")  # as indexer.build deletes
            writer.commit(optimize=optimize)
        written[way] = _segment_files(path)
        ix.close()
    assert len(written["at once"]) > 10  # postings, terms, lengths and the columns of one segment
    assert written["at once"] == written["per posting"]
