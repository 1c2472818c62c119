"""searcher.postings finds the documents Whoosh finds, with Whoosh's BM25F scores,
and ranks directives and sections by BM25F over their documents.

Search ranks by these arrays instead of Whoosh's matchers, so every kind of
query the parser builds (diacritics or not, NFD, old tone marks, phrases,
abbreviations, numbers, OR, exclusions, pasted passages) is checked against
Whoosh over the samples' index document by document, with the cache on and
evicting everything, and after a directive is removed; once with every
posting list read from Whoosh's blocks and once with every list read from the
copies the indexer writes (indexer.posting_arrays), over two segments. The
directive and section levels are checked term by term against BM25F computed
here from Whoosh's public reader (postings, field lengths), and phrase by
phrase against the documents Whoosh finds.
"""

import json
import shutil
import unicodedata
from contextlib import nullcontext

import numpy as np
import pytest

import indexer
from indexer import layout, posting_arrays
from indexer.schema import HEAD_FIELDS
from searcher.handle import IndexHandle
from indexer.whoosh_private import bm25f_parameters
from searcher.postings import Evaluator, IndexArrays
from whoosh_reference import folded_fields_written, reference_searcher, whoosh_docs, whoosh_scores
from searcher.query import (long_query_clauses, match_query, parse_query, proximity_query, rank_query,
                              required_clauses)

QUERIES = [
    "phòng chống dịch", "phong chong dich", unicodedata.normalize("NFD", "phòng chống dịch"),
    "hoà bình thuỷ lợi", "UBND huyện", "ủy ban nhân dân", "giáo dục mầm non", '"dân vận khéo"',
    "19/CT-TTg", "CT-TTg 19", "kế hoạch -2021", "covid OR tiêm chủng", "Ba Tơ", "GD&ĐT",
    "Các trường học xây dựng kế hoạch phòng chống dịch bệnh, báo cáo kết quả thực hiện về Phòng "
    "Giáo dục định kỳ hằng tháng",
    "không có từ nào như thế này xyzzy",
    # Partly marked, variants, numbers in part or with their separators exchanged, field prefixes.
    "chuyển doi so", "TP.HCM vắc xin", "KH 655", "34/HD-ĐU", 'so:655 trichyeu:"dân vận"', "Đầu Tiêng",
]


def _forget_checksums(index) -> None:
    import json

    for manifest in index.glob("gen-*/manifest.json"):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data.pop("files", None)
        manifest.write_text(json.dumps(data), encoding="utf-8")


def _reference_path(index_path):
    return index_path.parent / "reference"


@pytest.fixture(scope="module", params=["Whoosh's blocks", "copied arrays"])
def postings_index(request, index_dir, sample_dir, tmp_path_factory):
    """The samples' index read two ways (the module's tests run for each),
    and beside it (_reference_path) the same built with the folded fields
    written by Whoosh, the reference of Whoosh's own scores."""
    path = tmp_path_factory.mktemp("postings") / "index"
    if request.param == "Whoosh's blocks":
        shutil.copytree(index_dir, path)
        for copied in path.glob("gen-*/*/*.vbp.*"):
            copied.unlink()
        _forget_checksums(path)  # as an index built before the copies and their checksums
        with folded_fields_written():
            assert not indexer.build_index(sample_dir, _reference_path(path)).failures
        return path
    corpus = tmp_path_factory.mktemp("postings-corpus")
    first, *rest = sorted(sample_dir.glob("*.txt"))
    for source in rest:
        shutil.copy(source, corpus / source.name)
    for target, written in ((path, False), (_reference_path(path), True)):
        with pytest.MonkeyPatch.context() as patch, (folded_fields_written() if written else nullcontext()):
            patch.setattr(posting_arrays, "MIN_POSTINGS", 1)  # copy every list, however short
            assert not indexer.build_index(corpus, target).failures
            shutil.copy(first, corpus / first.name)  # a second segment, with its own copy
            assert not indexer.add_files(target, [corpus / first.name], corpus_root=corpus).failures
            (corpus / first.name).unlink()
    return path


@pytest.fixture(scope="module")
def snapshot(postings_index):
    handle = IndexHandle(postings_index)
    yield handle.snapshot()
    handle.close()


@pytest.fixture(scope="module")
def reference(postings_index):
    """Whoosh's searcher of the reference index: the same documents under the same docnums."""
    searcher = reference_searcher(_reference_path(postings_index))
    yield searcher
    searcher.close()


def _documents(reader) -> list[tuple[str, str, int]]:
    """Each document's directive, section kind and body length, by docnum."""
    return list(zip(reader.column_reader("doc_id"), reader.column_reader("kind"),
                    (reader.doc_field_length(d, "body") for d in range(reader.doc_count_all()))))


def test_the_reference_holds_the_same_documents(snapshot, reference):
    ours = _documents(snapshot.searcher.reader())
    assert len(ours) == snapshot.arrays.doc_count and len({kind for _, kind, _ in ours}) > 2
    assert ours == _documents(reference.reader())
    assert not list(snapshot.searcher.reader().lexicon("body_f"))  # nothing written to a folded field
    assert list(reference.reader().lexicon("body_f"))


def test_each_segment_has_its_copy_when_asked(request, snapshot):
    expect_copies = "copied arrays" in request.node.callspec.id
    arrays, searcher = snapshot.arrays, snapshot.searcher
    leaves = searcher.reader().leaf_readers()
    assert len(arrays.segments) == (len(leaves) if expect_copies else 0)
    if expect_copies:
        assert len(leaves) == 2
        ids, _ = arrays.postings(searcher.reader(), "body_f", b"dich")
        assert len(ids) and isinstance(ids, np.ndarray)


def documents_evaluator(snap) -> Evaluator:
    """An evaluator over the index's documents themselves, scored as Whoosh scores them."""
    return Evaluator(snap.arrays, snap.searcher)


def arrays_scores(evaluator, query) -> dict[int, float]:
    mask, scores = evaluator.run(query)
    return {int(d): float(scores[d]) for d in np.flatnonzero(mask)}


def assert_same(evaluator, reference, query):
    """The evaluator's documents and scores are Whoosh's over the reference index."""
    expected, found = whoosh_scores(reference, query), arrays_scores(evaluator, query)
    assert found.keys() == expected.keys()
    for docnum, score in expected.items():
        assert found[docnum] == pytest.approx(score, rel=1e-9, abs=1e-9)


def _queries(q: str) -> list:
    parsed = parse_query(q)
    queries = [match_query(parsed), rank_query(parsed), *required_clauses(parsed),
               match_query(parsed.relax()), rank_query(parsed.relax())]
    if parsed.is_long:
        exact, folded = long_query_clauses(parsed)
        queries += exact + folded
    if proximity_query(parsed) is not None:
        queries.append(proximity_query(parsed))
    return queries


@pytest.mark.parametrize("q", QUERIES)
def test_same_documents_and_scores_as_whoosh(snapshot, reference, q):
    evaluator = documents_evaluator(snapshot)
    for query in _queries(q):
        assert_same(evaluator, reference, query)
        assert set(evaluator.docs(query).tolist()) == whoosh_docs(reference, query)


def _units(snap, sections: bool):
    """Per docnum, the unit it counts for (-1: none): its directive, or itself when a section;
    and the live units."""
    if sections:
        unit = np.full(snap.arrays.doc_count, -1)
        unit[snap.sections.live] = snap.sections.live
        return unit, snap.sections.live
    return snap.sections.directive, snap.docs.live


def bm25f_by_hand(snap, reference, sections: bool, fieldname: str, text: str) -> dict[int, float]:
    """BM25F of one term per unit, from Whoosh's public reader of the
    reference index: the unit's documents' frequencies and (byte-quantised)
    lengths summed; N the live units, df the live units holding the term, the
    field's average length over them. A section counts its head document's
    title as its own."""
    reader, weighting = reference.reader(), snap.searcher.weighting
    unit, live = _units(snap, sections)
    live_docs = set(reader.all_doc_ids())
    head_fields = sections and fieldname in ("title", "title_f")
    heads = {snap.sections.directive[d]: d for d in live_docs if snap.sections.values["kind"][d]
             == snap.sections.labels["kind"].index("")}

    def counted(docnum):  # the documents whose statistics the unit takes
        return [heads[snap.sections.directive[docnum]]] if head_fields else [docnum]

    length, tf = {}, {}
    postings = dict(reader.postings(fieldname, text).items_as("weight")) \
        if (fieldname, text) in reader else {}
    for docnum in live_docs:
        if unit[docnum] < 0:
            continue
        for source in counted(docnum):
            length[unit[docnum]] = length.get(unit[docnum], 0) + (reader.doc_field_length(source, fieldname) or 0)
            if source in postings:
                tf[unit[docnum]] = tf.get(unit[docnum], 0) + postings[source]
    n = len(live)
    avgfl = sum(length.get(u, 0) for u in live.tolist()) / n
    idf = np.log(n / (len(tf) + 1)) + 1
    B, K1 = bm25f_parameters(weighting, fieldname)
    return {u: idf * f * (K1 + 1) / (f + K1 * (1 - B + B * length[u] / avgfl)) for u, f in tf.items()}


@pytest.mark.parametrize("sections", [False, True], ids=["directives", "sections"])
def test_directive_and_section_scores_are_bm25f_over_their_documents(snapshot, reference, sections):
    from whoosh import query as wq

    evaluator = snapshot.evaluator(sections=sections)
    unit, _ = _units(snapshot, sections)
    checked = set()
    for q in QUERIES:
        for query in _queries(q):
            for leaf in query.leaves():
                if isinstance(leaf, wq.Term) and (leaf.fieldname, leaf.text) not in checked \
                        and snapshot.searcher.schema[leaf.fieldname].scorable:
                    checked.add((leaf.fieldname, leaf.text))
                    expected = bm25f_by_hand(snapshot, reference, sections, leaf.fieldname, leaf.text)
                    found = arrays_scores(evaluator, wq.Term(leaf.fieldname, leaf.text))
                    assert found.keys() == expected.keys(), leaf
                    for u, score in expected.items():
                        assert found[u] == pytest.approx(score, rel=1e-6), leaf
                elif isinstance(leaf, wq.Phrase):
                    # Within one document, then counted for its unit; a section
                    # counts its head's title as its own, phrases included.
                    found = set(evaluator.docs(leaf).tolist())
                    whoosh = set()
                    for d in whoosh_docs(reference, leaf):
                        if unit[d] >= 0:
                            whoosh.add(int(unit[d]))
                        elif sections and leaf.fieldname in HEAD_FIELDS:
                            whoosh.update(snapshot.sections_of(snapshot.sections.doc_id(d)).tolist())
                    assert found == whoosh, leaf
    assert len(checked) > 100
    assert any(f.startswith("title") for f, _ in checked)


def test_a_directive_counts_the_words_of_all_its_sections(snapshot):
    # "dân vận" in one section and "khéo" in another: the directive matches
    # both words, no section does, and the phrase needs them side by side in one document.
    from whoosh import query as wq

    words = wq.And([wq.Term("body", "dân"), wq.Term("body", "khéo")])
    directives = set(snapshot.evaluator().docs(words).tolist())
    sections = snapshot.evaluator(sections=True).docs(words)
    assert directives >= {int(snapshot.sections.directive[d]) for d in sections}
    assert snapshot.evaluator().docs(wq.Phrase("body", ["dân", "vận", "khéo"])).tolist()


def test_a_words_directive_frequency_counts_directives_not_documents(snapshot):
    # Related documents (searcher/similar.py) weigh a syllable by how many
    # directives say it; a directive saying it in ten sections counts once.
    from whoosh import query as wq

    evaluator, searcher = snapshot.evaluator(), snapshot.searcher
    repeated = 0
    for word in ("thực", "hiện", "dịch", "khéo", "giáo", "huyện"):
        documents = list(searcher.docs_for_query(wq.Term("body", word)))
        directives = {int(snapshot.sections.directive[d]) for d in documents}
        assert evaluator.unit_frequency("body", word) == len(directives) > 0
        repeated += len(documents) > len(directives)
    assert repeated


def test_a_directives_own_number_counts_once_and_for_each_of_its_sections(snapshot):
    # "so:655/KH-PGDĐT" boosts the directive that number is, once (not once per
    # section: the number is its head document's), and with a section filter
    # every section of it has it.
    from whoosh import query as wq

    import analyzers

    number = analyzers.canonical_number("655/KH-PGDĐT")
    directives = snapshot.evaluator()
    mask, scores = directives.run(wq.Term("number", number))
    assert [snapshot.docs.doc_id(d) for d in np.flatnonzero(mask)] == ["655-kh-pgddt-2021"]
    assert scores[mask].tolist() == [1.0]
    sections = snapshot.evaluator(sections=True).docs(wq.Term("number", number))
    assert sections.tolist() == snapshot.sections_of("655-kh-pgddt-2021").tolist()
    assert len(sections) > 5


def test_results_do_not_depend_on_what_the_cache_kept(snapshot):
    from searcher.postings import Level

    searcher = snapshot.searcher
    roomy, starved = IndexArrays(searcher.reader()), IndexArrays(searcher.reader(), cache_bytes=1)
    for arrays in (roomy, starved):
        assert (arrays.live == snapshot.arrays.live).all()
    directive_live = np.zeros(snapshot.directive_count, dtype=bool)
    directive_live[snapshot.docs.live] = True
    for make in (lambda arrays: arrays,
                 lambda arrays: Level("directives", arrays, snapshot.sections.directive, directive_live)):
        for q in QUERIES:
            query = rank_query(parse_query(q))
            assert arrays_scores(Evaluator(make(starved), searcher), query) == \
                arrays_scores(Evaluator(make(roomy), searcher), query)
    # Over budget, the cache keeps only the entry it was just given.
    kept = [sum(part.nbytes for part in value) for value in starved._cache.values()]
    assert sum(kept) == starved._cache_bytes and sorted(kept)[-2:-1] in ([], [0])


def test_removed_directive_is_not_matched(postings_index, tmp_path):
    from whoosh import query as wq

    copy, reference_copy = tmp_path / "index", _reference_path(tmp_path / "index")
    shutil.copytree(postings_index, copy)
    shutil.copytree(_reference_path(postings_index), reference_copy)
    for index in (copy, reference_copy):
        removed, _ = indexer.remove_ids(index, ["655-kh-pgddt-2021"])
        assert removed == ["655-kh-pgddt-2021"]
    handle, reference = IndexHandle(copy), reference_searcher(reference_copy)
    try:
        snap = handle.snapshot()
        query = rank_query(parse_query("dân vận khéo"))
        for sections in (False, True):
            evaluator = snap.evaluator(sections=sections)
            cols = snap.sections if sections else snap.docs
            found = evaluator.docs(query)
            assert len(found) and "655-kh-pgddt-2021" not in {cols.doc_id(d) for d in found}
        assert_same(documents_evaluator(snap), reference, query)
        for leaf in query.leaves():
            if not hasattr(leaf, "text"):  # phrases: their words are leaves too
                continue
            expected = bm25f_by_hand(snap, reference, False, leaf.fieldname, leaf.text)
            found = arrays_scores(snap.evaluator(), wq.Term(leaf.fieldname, leaf.text))
            assert found.keys() == expected.keys()
            assert found == pytest.approx(expected, rel=1e-6)
    finally:
        handle.close()
        reference.close()


@pytest.mark.parametrize("q", ["phòng chống dịch", "phong chong dich", "UBND huyện", "kiểm tra, đánh giá",
                               "Các trường học xây dựng kế hoạch phòng chống dịch bệnh, báo cáo kết quả"])
def test_scores_within_some_documents_are_their_scores(snapshot, q):
    # run_search reads phrase positions only for its leading candidates; their
    # scores must be what a run over every document gives them.
    for sections in (False, True):
        evaluator = snapshot.evaluator(sections=sections)
        query = proximity_query(parse_query(q))
        full_mask, full = evaluator.run(query)
        within = (snapshot.sections if sections else snapshot.docs).live[1::2]
        assert full_mask[within].any()
        mask, scores = evaluator.run(query, within=within)
        assert mask[within].tolist() == full_mask[within].tolist()
        assert scores[within].tolist() == pytest.approx(full[within].tolist())


def test_the_cache_size_is_the_servers_setting(index_dir, client):
    # VBSEARCH_POSTINGS_CACHE_MB trades memory for speed; answers never change.
    from search_app import create_app

    small = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "POSTINGS_CACHE_MB": 1})
    try:
        for q in QUERIES:
            expected = client.get("/api/v1/search", query_string={"q": q}).get_json()
            found = small.test_client().get("/api/v1/search", query_string={"q": q}).get_json()
            assert [r["id"] for r in found["results"]] == [r["id"] for r in expected["results"]]
            assert found["facets"] == expected["facets"]
        snap = small.extensions["index_handle"].snapshot()
        assert snap.arrays._budget == 2**20
    finally:
        small.extensions["index_handle"].close()


def test_a_damaged_copy_is_ignored_not_trusted(postings_index, reference, tmp_path):
    # A copy cut short (a crash, a full disk) must not lose phrase matches or
    # stop the server: that segment is read from Whoosh's blocks instead.
    copy = tmp_path / "index"
    shutil.copytree(postings_index, copy)
    damaged = sorted(copy.glob("gen-*/*/*.vbp.pos"))
    for path in damaged:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    # A generation with checksums refuses to open (tests/test_write_path.py);
    # one written before them still reads around a bad copy.
    _forget_checksums(copy)
    handle = IndexHandle(copy)
    try:
        snap = handle.snapshot()
        assert not snap.arrays.segments
        evaluator = documents_evaluator(snap)
        for q in ('"dân vận khéo"', "phòng chống dịch", "UBND huyện"):
            for query in (match_query(parse_query(q)), proximity_query(parse_query(q))):
                if query is not None:
                    assert_same(evaluator, reference, query)
    finally:
        handle.close()


def test_a_stale_copy_is_rewritten_without_touching_the_served_files(index_dir, tmp_path, monkeypatch):
    # A new generation starts as hard links to the served one's files; a copy
    # written for other fields is replaced under new names, never rewritten in
    # place under the server's memory maps.
    import json
    import os

    from indexer.schema import SEARCHED_FIELDS

    monkeypatch.setattr(posting_arrays, "MIN_POSTINGS", 1)
    served = tmp_path / "served"
    shutil.copytree(indexer.current_generation(index_dir) / layout.WHOOSH, served)
    posting_arrays.write_missing(served, SEARCHED_FIELDS)
    folder = tmp_path / "next"
    shutil.copytree(served, folder, copy_function=os.link)
    metas = sorted(folder.glob("*.vbp.json"))
    assert metas
    before = {p.name: p.read_bytes() for p in served.glob("*.vbp.*")}
    for meta_path in metas:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        fresh = meta_path.with_name("fresh.json")
        fresh.write_text(json.dumps({**meta, "fields": ["body"]}), encoding="utf-8")
        os.replace(fresh, meta_path)  # a new file: the served one keeps its content
    posting_arrays.write_missing(folder, SEARCHED_FIELDS)
    assert {p.name: p.read_bytes() for p in served.glob("*.vbp.*")} == before
    for meta_path in metas:
        assert json.loads(meta_path.read_text(encoding="utf-8"))["fields"] == sorted(SEARCHED_FIELDS)
    assert not list(folder.glob("*.tmp"))


def _copied_only(request):
    if "copied arrays" not in request.node.callspec.id:
        pytest.skip("about the copies; this index has none")


def test_copies_are_narrow(request, postings_index):
    # The samples fit the narrowest dtypes: docnum gaps in a byte, positions
    # in 2 bytes, frequencies in 1; the phrase and score tests above read
    # through them.
    _copied_only(request)
    metas = [json.loads(p.read_text(encoding="utf-8")) for p in postings_index.glob("gen-*/*/*.vbp.json")]
    assert metas and all(m["format"] == posting_arrays.FORMAT for m in metas)
    assert {tuple(sorted(m["dtypes"].items())) for m in metas} == {(("pos", "<u2"), ("weights", "<u1"))}
    # Docnums as gaps: every gap of the samples' few documents fits a byte.
    assert all(m["id_bytes"] == m["postings"] for m in metas)
    for path in postings_index.glob("gen-*/*/*.vbp.pos"):
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert path.stat().st_size == 2 * meta["positions"]


def test_a_long_document_keeps_its_far_positions_and_large_frequencies(tmp_path, monkeypatch):
    # A word said 300 times in a document of 70,000 words: its frequency does
    # not fit a byte nor its last positions 2 bytes; the copy widens the
    # segment's dtypes instead of wrapping them round (a phrase at the end of
    # a long law would otherwise be found at the wrong place, or not at all).
    # "kế" is in the second document and the 401st: its docnum gaps take 2
    # bytes each, beside terms whose gaps take one, in the same file.
    from whoosh import fields, index as whoosh_index

    from whoosh.analysis import StandardAnalyzer

    from indexer.schema import positional_text
    from indexer.whoosh_private import open_writer, raw_matcher, read_positions, read_postings, term_info

    monkeypatch.setattr(posting_arrays, "MIN_POSTINGS", 1)
    schema = fields.Schema(body=positional_text(StandardAnalyzer()))
    ix = whoosh_index.create_in(str(tmp_path), schema)
    with open_writer(ix) as writer:  # as the indexer writes them
        writer.add_document(body=" ".join(["nội dung"] * 35_000 + ["tổ chức thực hiện"] * 300))
        writer.add_document(body="tổ chức thực hiện kế hoạch")
        for _ in range(398):
            writer.add_document(body="nội dung khác")
        writer.add_document(body="kế hoạch")
    posting_arrays.write_missing(tmp_path, ["body"])
    meta = json.loads(next(tmp_path.glob("*.vbp.json")).read_text(encoding="utf-8"))
    assert meta["dtypes"] == {"weights": "<u2", "pos": "<u4"}
    spans = np.fromfile(next(tmp_path.glob("*.vbp.spans")), dtype="<i8").reshape(meta["terms"], -1)
    assert set(spans[:, 5].tolist()) == {1, 2}
    with ix.reader() as reader:
        (leaf, _), = reader.leaf_readers()
        copied = posting_arrays.SegmentArrays.open(leaf)
        assert copied is not None
        for word in ("nội", "chức", "kế", "hoạch", "khác"):
            btext = word.encode("utf-8")
            info = term_info(leaf, "body", btext)
            ids, weights = copied.postings("body", info)
            expected_ids, expected_weights = read_postings(raw_matcher(leaf, "body", btext))
            assert ids.tolist() == expected_ids.tolist() and weights.tolist() == expected_weights.tolist()
            expected_keys = read_positions(raw_matcher(leaf, "body", btext))
            assert copied.positions("body", info).tolist() == expected_keys.tolist()
            assert copied.positions("body", info, np.array([1])).tolist() == \
                expected_keys[expected_keys >> 32 == 1].tolist()


def _damage_first(spans: np.ndarray, column: int, change, width: int = 1) -> None:
    row = int(np.flatnonzero(spans[:, 5] == width)[0])
    spans[row, column] = change(int(spans[row, column]))


@pytest.mark.parametrize("damage", [
    pytest.param(lambda spans: _damage_first(spans, 4, lambda offset: -8), id="gaps before the file"),
    pytest.param(lambda spans: _damage_first(spans, 4, lambda offset: offset - 1, width=2), id="gaps off their width"),
    pytest.param(lambda spans: _damage_first(spans, 6, lambda first: -300), id="a negative first docnum"),
    pytest.param(lambda spans: _damage_first(spans, 3, lambda end: end + 1_000_000), id="positions past the file"),
    pytest.param(lambda spans: _damage_first(spans, 0, lambda start: start + 5), id="weights ending before they start"),
])
def test_a_copy_whose_spans_point_outside_its_lists_is_refused(tmp_path, monkeypatch, damage):
    # The files have the sizes their description says, but a term's span
    # (damaged, or written by a faulty build) points before or past them, or
    # off its gaps' width: read anyway, a phrase would take another term's
    # documents, or a search would fail. The copy is refused and the
    # segment read from Whoosh's blocks, slower but right.
    from whoosh import fields, index as whoosh_index

    monkeypatch.setattr(posting_arrays, "MIN_POSTINGS", 1)
    ix = whoosh_index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT(phrase=True)))
    with ix.writer(compound=False) as writer:
        writer.add_document(body="Tổ chức thực hiện kế hoạch")
        for _ in range(299):
            writer.add_document(body="nội dung khác")
        writer.add_document(body="kế hoạch")  # "kế" 300 documents later: its gap takes 2 bytes
    posting_arrays.write_missing(tmp_path, ["body"])
    with ix.reader() as reader:
        (leaf, _), = reader.leaf_readers()
        assert posting_arrays.SegmentArrays.open(leaf) is not None
        path = next(tmp_path.glob("*.vbp.spans"))
        spans = np.fromfile(path, dtype="<i8").reshape(-1, 7)
        damage(spans)
        path.write_bytes(spans.astype("<i8").tobytes())
        assert posting_arrays.SegmentArrays.open(leaf) is None


@pytest.mark.parametrize("old_format", [1, 2])
def test_a_copy_of_an_earlier_format_is_rewritten_not_misread(request, postings_index, tmp_path, old_format):
    # Format 1 wrote every part at 4 or 8 bytes, format 2 whole docnums; read
    # with this format's layout they would give wrong documents, so they are
    # ignored until rewritten.
    from whoosh import index as whoosh_index

    from indexer.schema import SEARCHED_FIELDS

    _copied_only(request)

    folder = tmp_path / layout.WHOOSH
    shutil.copytree(next(postings_index.glob(f"gen-*/{layout.WHOOSH}")), folder)
    for meta_path in folder.glob("*.vbp.json"):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta_path.write_text(json.dumps({**meta, "format": old_format}), encoding="utf-8")
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        assert all(posting_arrays.SegmentArrays.open(leaf) is None for leaf, _ in reader.leaf_readers())
    posting_arrays.write_missing(folder, SEARCHED_FIELDS)
    with ix.reader() as reader:
        assert all(posting_arrays.SegmentArrays.open(leaf) is not None for leaf, _ in reader.leaf_readers())


def test_the_cache_counts_what_it_holds_not_what_is_mapped(request, snapshot):
    # A copied list's docnums are added up from their gaps and kept; its
    # weights stay a view of the copy's memory map, which the LRU's budget
    # must not count (it would evict for memory the page cache holds).
    _copied_only(request)
    reader = snapshot.searcher.reader()
    (first, _), (second, _) = reader.leaf_readers()
    # A word of one segment only: its weights are the mapped view itself.
    word = next(t for t in first.lexicon("body")
                if ("body", t) not in second and first.doc_frequency("body", t) > 3)
    arrays = IndexArrays(reader)
    ids, weights = arrays.postings(reader, "body", word)
    assert isinstance(weights, np.memmap) and not isinstance(ids, np.memmap)
    assert arrays._cache_bytes == ids.nbytes > 0


def test_a_folded_words_postings_and_positions_are_those_whoosh_writes(snapshot, reference):
    # Nothing is written to the folded fields (indexer.schema.FOLDED_FROM): a
    # folded syllable's postings, frequencies and positions are read from every
    # spelling of the exact field that folds to it ("dung" is dung, dùng, dụng,
    # dựng, đúng and đứng in the samples; "hoa" hòa and hóa). They must be
    # exactly what Whoosh writes when it indexes the folded field itself, for
    # every term of every folded field, and so must the field's lengths.
    searcher, arrays = snapshot.searcher, snapshot.arrays
    reader, written = searcher.reader(), reference.reader()
    assert len(arrays.spellings(reader, "body")[b"dung"]) == 6
    everything = np.arange(arrays.doc_count)
    for field in ("title_f", "heading_f", "body_f"):
        terms = list(written.lexicon(field))
        assert len(terms) > 20 and set(terms) == set(arrays.spellings(reader, field[:-2]))
        for btext in terms:
            postings = written.postings(field, btext)
            expected = [(d, w, postings.value_as("positions")) for d, w in _each(postings)]
            ids, weights = arrays.postings(reader, field, btext)
            keys = arrays.positions(reader, field, btext)
            found = [(d, w, (keys[keys >> 32 == d] & 0xFFFFFFFF).tolist())
                     for d, w in zip(ids.tolist(), weights.tolist())]
            assert found == expected, (field, btext)
        assert arrays.lengths(reader, field, everything).tolist() == \
            [written.doc_field_length(d, field) or 0 for d in everything.tolist()]
    assert not searcher.schema["body_f"].format.supports("positions")


def _each(matcher):
    """(docnum, weight) of a Whoosh matcher's postings, leaving it on each in turn."""
    while matcher.is_active():
        yield matcher.id(), matcher.weight()
        matcher.next()


@pytest.mark.parametrize("slop", [1, 2])
def test_a_phrase_followed_a_chunk_of_ends_at_a_time_finds_what_one_pass_finds(monkeypatch, slop):
    # following() takes the first word's occurrences in chunks to bound its
    # temporaries; a chunk's edge must neither lose nor add an occurrence.
    from searcher import postings

    rng = np.random.default_rng(7)
    docs = np.repeat(np.arange(40, dtype=np.int64), 30) << 32
    ends = np.unique(docs + rng.integers(0, 60, len(docs)))
    # Every end is followed (the last one too), and other occurrences are not.
    positions = np.unique(np.concatenate([ends + 1, docs + rng.integers(0, 60, len(docs))]))
    expected = [int(k) for k in positions if any(k - step in set(ends.tolist()) for step in range(1, slop + 1))]
    assert len(expected) > 50
    for chunk in (postings.FOLLOWING_CHUNK, 7, 1):
        monkeypatch.setattr(postings, "FOLLOWING_CHUNK", chunk)
        assert postings.following(ends, positions, slop).tolist() == expected
