"""Builds with --workers: words segmented in worker processes give the same index as one
process, and a directive that kills its worker (or makes it raise) is reported and skipped."""

import collections
import os
import shutil
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index

import indexer
from indexer import layout, segment_pool
from indexer.__main__ import cli
from searcher.handle import IndexHandle
from searcher.search import SearchRequest, run_search

QUERIES = ["phòng chống dịch", "phong chong dich", "ủy ban nhân dân", "uy ban nhan dan", "hoà giải",
           '"thi đua khen thưởng"', "giáo dục mầm non", "an toàn giao thông"]


@pytest.fixture(scope="module")
def corpus_dir(sample_dir, tmp_path_factory, bench_module) -> Path:
    """The samples and twelve generated directives."""
    target = tmp_path_factory.mktemp("pool") / "corpus"
    shutil.copytree(sample_dir, target)
    bench_module("gen_corpus").generate(target / "generated", 12, seed=3, alqac=False)
    return target


@pytest.fixture()
def any_size(monkeypatch):
    """Workers start however little text there is (the test corpus is small)."""
    monkeypatch.setattr(segment_pool, "MIN_BYTES", 0)


def _compound_words(index: Path) -> dict:
    """Every compound word of the Whoosh index with its postings, by directive and document place."""
    generation = layout.current_generation(index)
    words = {}
    with whoosh_index.open_dir(generation / layout.WHOOSH).reader() as reader:
        # A document is known by its directive and its place among the directive's documents.
        ids, seen = {}, collections.Counter()
        for docnum, doc_id in enumerate(reader.column_reader("doc_id")):
            ids[docnum] = (doc_id, seen[doc_id])
            seen[doc_id] += 1
        for term in reader.lexicon("words"):
            postings = reader.postings("words", term)
            words[term] = sorted((ids[docnum], freq) for docnum, freq in postings.items_as("frequency"))
    return words


def _results(index: Path) -> dict:
    handle = IndexHandle(index)
    try:
        snapshot = handle.snapshot()
        return {q: [hit.id for hit in run_search(snapshot, SearchRequest.from_params({"q": q})).hits]
                for q in QUERIES}
    finally:
        handle.close()


def test_two_workers_build_the_same_index_as_one(corpus_dir, tmp_path, any_size):
    one = indexer.build_index(corpus_dir, tmp_path / "one", workers=1)
    two = indexer.build_index(corpus_dir, tmp_path / "two", workers=2)
    assert not one.failures and not two.failures and not two.warnings
    assert two.total == one.total == 17
    assert "segment_in_workers" in two.timings and "segment_in_workers" not in one.timings
    # The writer found every compound word cached by the workers ...
    assert two.timings["segment"] == 0.0
    # ... and they are the words one process finds, in the same documents.
    assert _compound_words(tmp_path / "two") == _compound_words(tmp_path / "one")
    results = _results(tmp_path / "two")
    assert results == _results(tmp_path / "one")
    assert results["ủy ban nhân dân"] and results["uy ban nhan dan"]


CRASH_SOURCE = "tach-tu-hong.txt"
RAISE_SOURCE = "tach-tu-loi.txt"


def segment_or_fail(directive: dict):
    """_segment_directive, except that one file kills its worker process and another raises."""
    if directive["source"] == CRASH_SOURCE:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
    if directive["source"] == RAISE_SOURCE:
        raise ValueError("không tách được từ")
    return segment_pool._segment_directive(directive)


def test_a_file_that_kills_its_worker_is_reported_and_skipped(corpus_dir, sample_dir, tmp_path, any_size,
                                                              monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    text = (sample_dir / "002_43a1c1c90911598f.txt").read_text(encoding="utf-8")
    (corpus / CRASH_SOURCE).write_text(text.replace("655/KH-PGDĐT", "656/KH-PGDĐT"), encoding="utf-8")
    (corpus / RAISE_SOURCE).write_text(text.replace("655/KH-PGDĐT", "657/KH-PGDĐT"), encoding="utf-8")
    # Workers are spawned: they import this module by name to run the function.
    monkeypatch.setattr(segment_pool, "_segment_directive", segment_or_fail)
    index = tmp_path / "index"
    report = indexer.build_index(corpus, index, workers=2)

    assert sorted((s.path, s.code) for s in report.failures) == [
        (CRASH_SOURCE, "segmentation-failed"), (RAISE_SOURCE, "segmentation-failed")]
    reasons = {s.path: s.reason for s in report.failures}
    assert "bị dừng đột ngột" in reasons[CRASH_SOURCE]
    assert "không tách được từ" in reasons[RAISE_SOURCE]
    # Every other directive is indexed and found, the original of the copies too.
    assert report.total == 17
    handle = IndexHandle(index)
    try:
        found = run_search(handle.snapshot(), SearchRequest.from_params({"q": "655/KH-PGDĐT"}))
        assert [hit.id for hit in found.hits][:1] == ["655-kh-pgddt-2021"]
        assert run_search(handle.snapshot(), SearchRequest.from_params({"q": "656/KH-PGDĐT"})).total == 0
    finally:
        handle.close()
    assert {s["path"] for s in indexer.index_stats(index)["skipped"]} == {CRASH_SOURCE, RAISE_SOURCE}


def test_cli_takes_workers(corpus_dir, tmp_path):
    result = CliRunner().invoke(cli, ["build", str(corpus_dir), "--index", str(tmp_path / "index"),
                                      "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "Indexed 17 directives" in result.output
    result = CliRunner().invoke(cli, ["build", str(corpus_dir), "--index", str(tmp_path / "index"),
                                      "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output


def test_a_changed_file_that_kills_its_worker_keeps_its_previous_version(corpus_dir, sample_dir, tmp_path,
                                                                         any_size, monkeypatch):
    # Yesterday's file was indexed; today's edit crashes underthesea in its
    # worker. The edit is reported and skipped, and yesterday's directive
    # stays searchable (as when an edited file no longer parses).
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    text = (sample_dir / "002_43a1c1c90911598f.txt").read_text(encoding="utf-8")
    (corpus / CRASH_SOURCE).write_text(text.replace("655/KH-PGDĐT", "656/KH-PGDĐT"), encoding="utf-8")
    index = tmp_path / "index"
    assert indexer.build_index(corpus, index, workers=2).failures == []
    (corpus / CRASH_SOURCE).write_text(text.replace("655/KH-PGDĐT", "656/KH-PGDĐT")
                                       .replace("Quảng Ngãi", "Quảng Nam"), encoding="utf-8")
    monkeypatch.setattr(segment_pool, "_segment_directive", segment_or_fail)
    report = indexer.build_index(corpus, index, workers=2)

    assert [(s.path, s.code) for s in report.failures] == [(CRASH_SOURCE, "segmentation-failed")]
    assert "giữ bản đã lập chỉ mục trước đó" in report.failures[0].reason
    handle = IndexHandle(index)
    try:
        found = run_search(handle.snapshot(), SearchRequest.from_params({"q": "656/KH-PGDĐT"}))
        assert found.total == 1
    finally:
        handle.close()
    monkeypatch.undo()
    monkeypatch.setattr(segment_pool, "MIN_BYTES", 0)
    # The old version was kept under its old hash: the next build tries the file again.
    again = indexer.build_index(corpus, index, workers=2)
    assert again.failures == [] and again.changed
