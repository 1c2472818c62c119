"""The index: build, incremental changes, generations, locks, schema versions."""

import json
import os
import shutil
import subprocess
import sys
import threading
import unicodedata

import pytest
from click.testing import CliRunner

import indexer
from indexer import layout
from indexer.__main__ import cli
from searcher.handle import IndexHandle
from searcher.search import SearchRequest, run_search

SAMPLE_COUNT = 5


@pytest.fixture()
def corpus_copy(sample_dir, tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(sample_dir, target)
    return target


def test_build_indexes_every_sample(index_dir):
    stats = indexer.index_stats(index_dir)
    assert stats["directives"] == SAMPLE_COUNT
    assert stats["sections"] > 30
    assert stats["schema_version"] == indexer.build.SCHEMA_VERSION


def test_unchanged_rebuild_is_a_no_op(corpus_copy, tmp_path):
    index = tmp_path / "index"
    first = indexer.build_index(corpus_copy, index)
    assert first.changed and first.total == SAMPLE_COUNT
    generation = indexer.current_generation(index)
    again = indexer.build_index(corpus_copy, index)
    assert not again.changed
    assert again.unchanged == SAMPLE_COUNT
    assert indexer.current_generation(index) == generation


def test_changed_file_replaces_its_directive_and_deleted_file_disappears(corpus_copy, tmp_path, search_index):
    index = tmp_path / "index"
    indexer.build_index(corpus_copy, index)
    assert search_index(index, q="\"Minh Long\"").total == 1

    assert search_index(index, q="\"Minh Long\"", date_from="2021-12-02", date_to="2021-12-02").total == 1

    path = corpus_copy / "002_43a1c1c90911598f.txt"
    text = path.read_text(encoding="utf-8").replace("Minh Long", "Ba Tơ")
    text = text.replace("ngày 02 tháng 12 năm 2021", "ngày 20 tháng 10 năm 2021")
    path.write_text(text.replace("Nguyễn Thị Thu Hiền", "Trần Văn Bình"), encoding="utf-8")
    (corpus_copy / "004_a92abdaa7ce0d418.txt").unlink()
    report = indexer.build_index(corpus_copy, index)
    assert report.changed
    assert report.directives == 1 and report.removed == 1 and report.unchanged == 3
    assert report.total == SAMPLE_COUNT - 1
    assert search_index(index, q="\"Minh Long\"").total == 0
    assert search_index(index, q="\"Ba Tơ\"").hits[0].id == "655-kh-pgddt-2021"
    # Its facets are the new version's (its deleted documents stay in the segment, under the same id).
    assert search_index(index, q="\"Ba Tơ\"", signer="Trần Văn Bình").total == 1
    assert search_index(index, q="\"Ba Tơ\"", signer="Nguyễn Thị Thu Hiền").total == 0
    # and its date: filters and the newest-first order read the new one, over directives and over sections
    for section in ([], ["nhiem_vu_giai_phap"]):
        on_new = search_index(index, date_from="2021-10-20", date_to="2021-10-20", section=section, per_page=50)
        on_old = search_index(index, date_from="2021-12-02", date_to="2021-12-02", section=section, per_page=50)
        assert "655-kh-pgddt-2021" in {hit.id for hit in on_new.hits}
        assert "655-kh-pgddt-2021" not in {hit.id for hit in on_old.hits}
    newest = [hit.id for hit in search_index(index, sort="date_desc", per_page=10).hits]
    oldest = [hit.id for hit in search_index(index, sort="date_asc", per_page=10).hits]
    assert newest.index("655-kh-pgddt-2021") == len(newest) - 1 - oldest.index("655-kh-pgddt-2021")
    assert search_index(index, q="\"Dầu Tiếng\"").total == 0


def test_bad_file_is_reported_and_the_build_continues(corpus_copy, tmp_path):
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "binary.txt").write_bytes(bytes(range(256)) * 20)
    report = indexer.build_index(corpus_copy, tmp_path / "index")
    failed = {os.path.basename(s.path): s.code for s in report.failures}
    assert failed == {"empty.txt": "empty-file", "binary.txt": "binary-file"}
    assert report.total == SAMPLE_COUNT


def test_cli_build_reports_failures_with_exit_status(corpus_copy, tmp_path):
    (corpus_copy / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["build", str(corpus_copy), "--index", str(tmp_path / "index")])
    assert result.exit_code == 1
    assert "empty.txt" in result.output
    assert "Indexed 5 directives" in result.output


def test_cli_stats_add_remove(corpus_copy, tmp_path, search_index):
    index = str(tmp_path / "index")
    extra = corpus_copy / "004_a92abdaa7ce0d418.txt"
    moved = tmp_path / "later.txt"
    shutil.move(extra, moved)
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(corpus_copy), "--index", index]).exit_code == 0
    stats = json.loads(runner.invoke(cli, ["stats", "--index", index, "--json"]).output)
    assert stats["directives"] == 4

    added = runner.invoke(cli, ["add", str(moved), "--index", index])
    assert added.exit_code == 0, added.output
    assert "5 directives" in added.output
    assert search_index(index, q="\"Dầu Tiếng\"").total == 1

    doc_id = search_index(index, q="\"Dầu Tiếng\"").hits[0].id
    removed = runner.invoke(cli, ["remove", doc_id, "no-such-id", "--index", index])
    assert removed.exit_code == 1
    assert "no-such-id" in removed.output
    assert search_index(index, q="\"Dầu Tiếng\"").total == 0


def test_served_handle_sees_incremental_add_without_restart(corpus_copy, tmp_path):
    index = tmp_path / "index"
    later = tmp_path / "later.txt"
    shutil.move(corpus_copy / "004_a92abdaa7ce0d418.txt", later)
    indexer.build_index(corpus_copy, index)
    h = IndexHandle(index)
    try:
        before = run_search(h.snapshot(), SearchRequest.from_params({"q": "dân vận khéo"}))
        indexer.add_files(index, [later])
        after = run_search(h.snapshot(), SearchRequest.from_params({"q": "dân vận khéo"}))
    finally:
        h.close()
    assert {hit.id for hit in after.hits} - {hit.id for hit in before.hits}


def test_rebuild_switches_generation_atomically(corpus_copy, tmp_path):
    index = tmp_path / "index"
    indexer.build_index(corpus_copy, index)
    first = indexer.current_generation(index)
    indexer.build_index(corpus_copy, index, full=True)
    second = indexer.current_generation(index)
    assert second != first
    assert (index / layout.CURRENT).read_text().strip() == second.name
    assert not list(index.glob("*.tmp"))


def test_leftover_tmp_generation_and_stale_lock_do_not_block(corpus_copy, tmp_path, search_index):
    index = tmp_path / "index"
    indexer.build_index(corpus_copy, index)
    served = indexer.current_generation(index)
    # What a build killed half-way leaves behind.
    (index / "gen-999999.tmp" / layout.WHOOSH).mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (index / layout.LOCK).write_text(dead)
    assert search_index(index, q="dân vận").total >= 1  # still served meanwhile
    report = indexer.build_index(corpus_copy, index, full=True)
    assert report.total == SAMPLE_COUNT
    assert indexer.current_generation(index) != served
    assert not (index / "gen-999999.tmp").exists()


def test_live_lock_refuses_a_second_writer(corpus_copy, tmp_path):
    index = tmp_path / "index"
    holding, release = threading.Event(), threading.Event()

    def hold():
        with layout.writer_lock(index):
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        with pytest.raises(indexer.IndexLocked, match="another writer"):
            indexer.build_index(corpus_copy, index, wait=0.5)
    finally:
        release.set()
        holder.join()
    assert indexer.build_index(corpus_copy, index).total == SAMPLE_COUNT


def test_incompatible_schema_version_says_how_to_rebuild(corpus_copy, tmp_path):
    index = tmp_path / "index"
    indexer.build_index(corpus_copy, index)
    manifest = indexer.current_generation(index) / layout.MANIFEST
    data = json.loads(manifest.read_text())
    data["schema_version"] = 3  # two Whoosh indexes, docs/ and sections/, before schema 4's one
    manifest.write_text(json.dumps(data))
    with pytest.raises(indexer.IndexIncompatible, match="--full"):
        indexer.open_index(index)
    # A plain build notices and rebuilds from scratch.
    report = indexer.build_index(corpus_copy, index)
    assert report.changed and report.total == SAMPLE_COUNT
    indexer.open_index(index).close()


def test_missing_index_names_the_fix(tmp_path):
    with pytest.raises(indexer.IndexMissing, match="python -m indexer build"):
        indexer.open_index(tmp_path / "nothing")


def test_jsonl_records_are_indexed(tmp_path, search_index):
    records = tmp_path / "laws.jsonl"
    lines = [
        {"id": "luat-giao-duc#1", "title": "Luật Giáo dục - Điều 1", "text": "Phạm vi điều chỉnh của Luật Giáo dục."},
        {"id": "luat-giao-duc#2", "title": "Luật Giáo dục - Điều 2", "text": "Mục tiêu giáo dục nhằm phát triển toàn diện."},
        {"title": "no id"},
    ]
    records.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n",
                       encoding="utf-8")
    report = indexer.build_index(records, tmp_path / "index")
    assert report.total == 2
    assert len(report.failures) == 2
    hit = search_index(tmp_path / "index", q="muc tieu giao duc").hits[0]
    assert hit.id == "luat-giao-duc-2"


def test_directives_shared_by_searches_follow_every_change_to_the_store(tmp_path, monkeypatch):
    # Searches read directives through shared_many(), which keeps the last ones
    # decoded: a directive replaced or removed must not be shown as it was.
    from indexer import store as store_module

    monkeypatch.setattr(store_module, "SHARED_DIRECTIVES", 2)
    store = store_module.DirectiveStore(tmp_path / "store.sqlite")

    def directive(doc_id, title):
        return {"id": doc_id, "source": f"{doc_id}.txt", "content_hash": "sha256:0", "title": title,
                "issued_date": "2021-03-02", "references": [], "sections": []}

    for n, title in enumerate(["Kế hoạch phòng, chống dịch COVID-19", "Kê hoach phong chong dich",
                               "Chỉ thị về công tác thi đua, khen thưởng"]):
        store.put(directive(f"d{n}", title))
    ids = ["d0", "d1", "d2", "missing"]
    assert store.shared_many(ids) == store.get_many(ids[:3])
    assert list(store.shared_many(["d2", "d0"])) == ["d2", "d0"]  # in the order asked, evicted ones read again
    store.put(directive("d0", "Kế hoạch hoà nhập"))
    assert store.shared_many(["d0"])["d0"]["title"] == "Kế hoạch hoà nhập"
    store.delete("d2")
    assert store.shared_many(["d2", "d1"]) == {"d1": store.get("d1")}
    store.close()


def test_the_store_keeps_each_directive_exactly_in_a_fraction_of_its_json(index_dir):
    # The store is a third of the generation's size uncompressed: rows are
    # zlib-compressed, and what comes back must be exactly what the parser gave
    # (NFD text, old-style tone marks and all), every sample alike.
    import sqlite3

    from indexer.store import DirectiveStore

    generation = layout.current_generation(index_dir)
    store = DirectiveStore(generation / layout.STORE, readonly=True)
    conn = sqlite3.connect(generation / layout.STORE)
    try:
        rows = conn.execute("SELECT id, length(data) FROM directives").fetchall()
        assert len(rows) == SAMPLE_COUNT
        for doc_id, stored_bytes in rows:
            directive = store.get(doc_id)
            as_json = json.dumps(directive, ensure_ascii=False).encode()
            assert stored_bytes < len(as_json) / 2, doc_id
            assert directive["sections"] and directive["title"]
        for doc_id, number, label, title, issuer in ((b[0], *b[2:]) for b in store.briefs()):
            directive = store.get(doc_id)
            assert (number, label, title, issuer) == (directive.get("number"), directive.get("doc_type_label"),
                                                      directive.get("title"), directive.get("issuer"))
    finally:
        conn.close()
        store.close()


def test_a_stored_directive_comes_back_as_it_was_put(tmp_path):
    from indexer.store import DirectiveStore

    store = DirectiveStore(tmp_path / "store.sqlite")
    nfd = unicodedata.normalize("NFD", "Kế hoạch phòng, chống dịch bệnh")
    directive = {"id": "d1", "source": "d1.txt", "content_hash": "sha256:0", "title": nfd,
                 "issuer": "UBND huyện Thuỷ Nguyên", "number": "12/KH-UBND",
                 "sections": [{"id": "muc-1", "heading": "Hoà nhập", "text": "Thủy lợi, hòa giải " * 200}],
                 "references": []}
    store.put(directive)
    store.commit()
    assert store.get("d1") == directive
    assert store.get_many(["d1", "d2"]) == {"d1": directive}
    store.close()
