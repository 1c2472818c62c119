"""The write path: uploads, removals and builds change the index one at a time,
never break what is served, and never lose a document (issue #12).

Each test names the defect it guards against; those that need the production
server's own behaviour (waitress, real concurrency, open files) run it on
loopback and are marked slow.
"""

import errno
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import indexer
import searcher.search
from indexer import backup, layout
from indexer.build import GenerationCheckFailed
from indexer.whoosh_private import toc_names
from searcher.handle import IndexHandle

from test_admin import AUTH, NEW_PLAN, TOKEN, total, upload

ROOT = Path(__file__).resolve().parent.parent

#: A plan with no number, no date and no issuer: no year can be found.
NO_YEAR = "KẾ HOẠCH\nPhòng chống dịch bệnh trong trường học\nI. MỤC ĐÍCH\nBảo đảm an toàn.\n"


@pytest.fixture()
def index(writable_index):
    return writable_index


@pytest.fixture()
def app(index, app_for):
    return app_for(index, ADMIN_TOKEN=TOKEN)


@pytest.fixture()
def admin(app):
    return app.test_client()


# 1. A directive without a year.

def test_an_upload_without_a_year_keeps_every_endpoint_working(admin, index):
    response = upload(admin, NO_YEAR, filename="khong-nam.txt")
    assert response.status_code == 201, response.get_json()
    doc_id = response.get_json()["id"]
    assert total(admin, '"dịch bệnh trong trường học"') == 1
    assert admin.get("/api/v1/search", query_string={"q": "dân vận khéo"}).status_code == 200
    assert admin.get("/", query_string={"q": "phòng chống dịch"}).status_code == 200
    assert admin.get(f"/documents/{doc_id}").status_code == 200
    assert admin.get("/documents/655-kh-pgddt-2021").status_code == 200
    assert admin.get("/numbers/655/KH-PGDĐT").status_code in (200, 302)
    # The year facet has no "0" for the unknown year.
    years = admin.get("/api/v1/search", query_string={"q": "phòng chống dịch"}).get_json()["facets"]["year"]
    assert all(entry["value"] for entry in years)
    # A restarted server opens it too.
    fresh = IndexHandle(index)
    try:
        assert fresh.warm() is None
    finally:
        fresh.close()
    assert admin.delete(f"/api/v1/documents/{doc_id}", headers=AUTH).status_code == 200
    assert total(admin, '"dịch bệnh trong trường học"') == 0


def test_cli_add_and_incremental_build_without_a_year(sample_dir, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_dir, corpus)
    index = tmp_path / "index"
    indexer.build_index(corpus, index)
    extra = tmp_path / "khong-nam.txt"
    extra.write_text(NO_YEAR, encoding="utf-8")
    indexer.add_files(index, [extra])
    (corpus / "khong-nam-2.txt").write_text(NO_YEAR.replace("an toàn", "an toàn tuyệt đối"), encoding="utf-8")
    indexer.build_index(corpus, index)
    handle = IndexHandle(index)
    try:
        snap = handle.snapshot()
        result = searcher.search.run_search(snap, searcher.search.SearchRequest.from_params({"q": "an toàn"}))
        assert result.total >= 2
    finally:
        handle.close()


def test_a_generation_missing_a_column_is_never_published(index, tmp_path, monkeypatch):
    from indexer import build

    def without_year(make):
        def made(*args):
            document = make(*args)
            document.pop("year")
            return document
        return made

    monkeypatch.setattr(build, "head_document", without_year(build.head_document))
    monkeypatch.setattr(build, "section_document", without_year(build.section_document))
    served = indexer.current_generation(index)
    extra = tmp_path / "khong-nam.txt"
    extra.write_text(NO_YEAR, encoding="utf-8")
    with pytest.raises(GenerationCheckFailed, match="'year' column"):
        indexer.add_files(index, [extra])
    assert indexer.current_generation(index) == served
    assert not list(index.glob("gen-*.tmp"))


# 2 and 8. The writer lock.

def _take_the_lock_repeatedly(index, holders, most, guard, failures):
    for _ in range(40):  # many takes: a racy lock's window is short
        try:
            with layout.writer_lock(index, wait=60):
                with guard:
                    holders.value += 1
                    most.value = max(most.value, holders.value)
                time.sleep(0.0005)
                with guard:
                    holders.value -= 1
        except Exception:  # any failure is what this test looks for
            with guard:
                failures.value += 1


@pytest.mark.parametrize("workers", ["threads", "processes"])
def test_the_writer_lock_admits_one_writer_at_a_time(tmp_path, workers):
    import multiprocessing

    index = tmp_path / "index"
    index.mkdir()
    context = multiprocessing.get_context("fork")
    holders, most, failures = context.Value("i", 0), context.Value("i", 0), context.Value("i", 0)
    guard = context.Lock()
    make = threading.Thread if workers == "threads" else context.Process
    runners = [make(target=_take_the_lock_repeatedly, args=(index, holders, most, guard, failures))
               for _ in range(8)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join(120)
    assert (most.value, failures.value) == (1, 0)


def test_a_lock_file_naming_a_live_unrelated_pid_does_not_block(corpus_copy_factory, tmp_path):
    # PID 1 is alive in every container; a lock is what the kernel holds, not what the file says.
    index = tmp_path / "index"
    index.mkdir()
    (index / layout.LOCK).write_text("1\n")
    report = indexer.build_index(corpus_copy_factory(tmp_path), index)
    assert report.total == 5


def test_a_writer_in_another_process_is_waited_for_then_its_death_frees_the_lock(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    with subprocess.Popen(
            [sys.executable, "-c", "import sys, time; from indexer import layout\n"
                                   "with layout.writer_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(60)",
             str(index)],
            stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout.readline().strip() == "held"
            with pytest.raises(indexer.IndexLocked):
                with layout.writer_lock(index, wait=0.3):
                    pass
        finally:
            holder.kill()  # SIGKILL: no chance to release anything itself
            holder.wait()
    with layout.writer_lock(index, wait=5):
        pass


@pytest.fixture()
def corpus_copy_factory(sample_dir):
    def make(base):
        corpus = base / "corpus"
        shutil.copytree(sample_dir, corpus)
        return corpus
    return make


# 4. Bounded cost of one request.

def test_spelling_suggestions_are_bounded_in_words(admin, monkeypatch):
    calls = []
    from whoosh.spelling import Corrector

    original = Corrector.suggest

    def counting(self, text, *args, **kwargs):
        calls.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(Corrector, "suggest", counting)
    words = " ".join(f"zqx{i:03d}wv" for i in range(110))  # 989 characters of unknown words
    response = admin.get("/api/v1/search", query_string={"q": words})
    assert response.status_code == 200 and response.get_json()["total"] == 0
    assert len(calls) <= 2 * searcher.search.SPELLING_MAX_WORDS
    excluded = admin.get("/api/v1/search", query_string={"q": "dân vận " + " ".join(f"-zq{i}x" for i in range(200))})
    assert excluded.status_code in (200, 400)
    assert len(calls) <= 4 * searcher.search.SPELLING_MAX_WORDS


def test_spelling_suggestions_stop_at_their_time_budget(admin, monkeypatch):
    monkeypatch.setattr(searcher.search, "SPELLING_BUDGET_S", 0.0)
    response = admin.get("/api/v1/search", query_string={"q": "phong chng dich zqxw"})
    body = response.get_json()
    assert response.status_code == 200
    assert not [s for s in body["suggestions"] if s["type"] == "spelling"]
    # With a budget, the same query does get a suggestion.
    monkeypatch.setattr(searcher.search, "SPELLING_BUDGET_S", 5.0)
    body = admin.get("/api/v1/search", query_string={"q": "phong chng dich"}).get_json()
    assert body["total"] > 0 or [s for s in body["suggestions"] if s["type"] == "spelling"]


# 5. The size limit, in the default configuration.

def test_default_configuration_refuses_a_body_over_the_limit_before_reading_it(index, app_for):
    from werkzeug.test import create_environ

    app = app_for(index, ADMIN_TOKEN=TOKEN)
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit and limit < 64 * 2**20
    reads = []

    class Body(io.RawIOBase):
        """A body that records every read; it claims more bytes than the limit."""

        def readable(self):
            return True

        def readinto(self, buffer):
            reads.append(len(buffer))
            buffer[:1] = b"x"
            return 1

    def post(headers):
        environ = create_environ("/api/v1/documents", method="POST", query_string="filename=lon.txt",
                                 headers=headers)
        environ.update({"wsgi.input": Body(), "CONTENT_LENGTH": str(limit + 1),
                        "CONTENT_TYPE": "text/plain"})
        status = []
        body = b"".join(app.wsgi_app(environ, lambda s, h, e=None: status.append(s)))
        return int(status[0].split()[0]), json.loads(body)

    assert post(AUTH) == (413, {"ok": False, "status": 413,
                                "error": f"the body is {limit + 1} bytes; at most {limit} bytes are accepted",
                                "code": "payload_too_large",
                                "message": f"Tệp gửi lên có {limit + 1} byte; tối đa {limit} byte."})
    assert reads == []
    # Without the token: refused for the token, the body unread either way.
    status, body = post({})
    assert status == 401 and reads == []


# 6. Uploads survive builds.

def test_uploads_survive_incremental_and_full_cli_builds(admin, index, sample_dir, tmp_path):
    doc_id = upload(admin, NEW_PLAN).get_json()["id"]
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_dir, corpus)
    (corpus / "004_a92abdaa7ce0d418.txt").unlink()
    for full in (False, True):
        report = indexer.build_index(corpus, index, full=full)
        assert not report.failures
        assert total(admin, '"ngày hội đọc sách"') == 1, f"full={full}"
        assert admin.get(f"/api/v1/documents/{doc_id}").status_code == 200
    # The command line removes an upload for good: its file goes too.
    removed, _ = indexer.remove_ids(index, [doc_id])
    assert removed == [doc_id]
    assert not (index.parent / "uploads" / "ke-hoach-88.txt").exists()
    indexer.build_index(corpus, index)
    assert total(admin, '"ngày hội đọc sách"') == 0


# 9. Damage is detected, refused, and the previous generation serves.

def _damage(generation: Path, how: str) -> None:
    if how == "truncated store":
        path = generation / layout.STORE
        path.write_bytes(path.read_bytes()[:4096])
    elif how == "truncated toc":
        path = generation / layout.WHOOSH / toc_names(generation / layout.WHOOSH)[0]
        path.write_bytes(path.read_bytes()[:20])
    elif how == "zeroed column":
        path = max((generation / layout.WHOOSH).glob("*.col"), key=lambda p: p.stat().st_size)
        size = path.stat().st_size
        path.unlink()  # the file may be a hard link shared with the previous generation
        path.write_bytes(b"\0" * size)
    elif how == "posting copy changed in place":
        candidates = [p for p in generation.rglob("*.vbp.*") if p.stat().st_size > 64]
        path = max(candidates, key=lambda p: p.stat().st_size)
        data = bytearray(path.read_bytes())
        middle = len(data) // 2
        data[middle:middle + 8] = bytes(255 - b for b in data[middle:middle + 8])
        # A hard link shared with the previous generation would damage both; write a new file.
        path.unlink()
        path.write_bytes(bytes(data))
    else:
        raise AssertionError(how)


DAMAGE = ["truncated store", "truncated toc", "zeroed column", "posting copy changed in place"]


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_generation_is_refused_and_the_previous_one_serves(index, tmp_path, how, app_for):
    before = indexer.current_generation(index)
    extra = tmp_path / "ke-hoach-88.txt"
    extra.write_text(NEW_PLAN, encoding="utf-8")
    indexer.add_files(index, [extra])
    damaged = indexer.current_generation(index)
    assert damaged != before
    _damage(damaged, how)
    with pytest.raises(indexer.IndexDamaged, match="python -m indexer build"):
        indexer.open_index(index)
    app = app_for(index)
    client = app.test_client()
    response = client.get("/api/v1/search", query_string={"q": '"Minh Long"'})
    assert response.status_code == 200 and response.get_json()["total"] == 1
    assert total(client, '"ngày hội đọc sách"') == 0  # the older generation, without the damaged change
    status = client.get("/api/v1/status").get_json()
    assert status["generation"] == before.name and status["directives"] == 5
    assert status["refused"]["generation"] == damaged.name
    assert "python -m indexer build" in status["refused"]["problem"]
    assert str(index.parent) not in json.dumps(status)


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_only_generation_is_a_503_naming_the_fix(index, how, app_for):
    for old in indexer.generations(index)[1:]:
        shutil.rmtree(old)
    _damage(indexer.current_generation(index), how)
    app = app_for(index)
    client = app.test_client()
    for path in ("/api/v1/search?q=dich", "/?q=dich", "/documents/655-kh-pgddt-2021"):
        response = client.get(path)
        assert response.status_code == 503
        body = response.get_data(as_text=True)
        assert "python -m indexer build" in body and str(index.parent) not in body


def test_a_build_over_a_damaged_generation_rebuilds_instead_of_copying_it(index, sample_dir):
    _damage(indexer.current_generation(index), "zeroed column")
    report = indexer.build_index(sample_dir, index)
    assert report.changed and report.total == 5
    assert any("not reused" in w for w in report.warnings)
    indexer.open_index(index).close()


def test_status_names_the_generation_and_its_counts(admin, index):
    status = admin.get("/api/v1/status").get_json()
    assert status["generation"] == indexer.current_generation(index).name
    assert (status["directives"], status["refused"], status["read_only"]) == (5, None, False)
    assert status["sections"] > 5 and status["built_at"]
    generation = upload(admin, NEW_PLAN).get_json()["generation"]
    after = admin.get("/api/v1/status").get_json()
    assert (after["generation"], after["directives"]) == (generation, 6)


def test_a_file_replaced_by_another_numbered_directive_takes_that_directives_id(admin):
    first = upload(admin, NEW_PLAN, filename="thay-the.txt").get_json()["id"]
    second = upload(admin, NEW_PLAN.replace("88/KH-UBND", "89/KH-UBND"), filename="thay-the.txt").get_json()
    assert (first, second["id"], second["replaced"]) == ("88-kh-ubnd-2025", "89-kh-ubnd-2025", True)
    assert admin.get("/api/v1/documents/89-kh-ubnd-2025").status_code == 200


# Low: names, temp files, headers, disk errors, audit, form uploads.

def test_a_file_name_over_255_bytes_is_400_and_leaves_no_temp_file(admin, index):
    name = "á" * 140 + ".txt"  # 144 characters, 284 bytes
    response = upload(admin, NEW_PLAN, filename=name)
    assert response.status_code == 400 and "255 bytes" in response.get_json()["error"]
    uploads = index.parent / "uploads"
    assert not uploads.exists() or not list(uploads.glob(".upload-*"))


def test_every_api_response_varies_by_origin(admin):
    for response in (admin.get("/api/v1/search?q=dich"), admin.get("/api/v1/documents/khong-co"),
                     admin.get("/api/v1/search?page=abc"), upload(admin, NEW_PLAN, headers={})):
        assert "Origin" in response.headers.get("Vary", ""), response.status_code


@pytest.mark.parametrize("error, status", [(errno.ENOSPC, 507), (errno.EROFS, 503)])
def test_a_failed_write_says_why_and_changes_nothing(admin, index, monkeypatch, error, status):
    from indexer import build

    def fail(generation):
        try:
            raise OSError(error, os.strerror(error))
        except OSError as exc:
            raise RuntimeError("writer is closed") from exc

    monkeypatch.setattr(build.posting_arrays, "write_generation", fail)
    before = indexer.current_generation(index)
    response = upload(admin, NEW_PLAN)
    assert response.status_code == status
    message = response.get_json()["error"]
    assert ("no space left" if error == errno.ENOSPC else "not writable") in message
    assert str(index.parent) not in message
    assert indexer.current_generation(index) == before
    assert not list(index.glob("gen-*.tmp"))
    uploads = index.parent / "uploads"
    assert not (uploads / "ke-hoach-88.txt").exists() and not list(uploads.glob(".upload-*"))
    # The lock was released: the next change goes through.
    monkeypatch.undo()
    assert upload(admin, NEW_PLAN).status_code == 201


def test_every_admin_change_and_refusal_is_in_the_audit_log(admin, index):
    doc_id = upload(admin, NEW_PLAN).get_json()["id"]
    admin.delete(f"/api/v1/documents/{doc_id}", headers=AUTH)
    upload(admin, NEW_PLAN, headers={"Authorization": "Bearer sai"})
    lines = [json.loads(line) for line in (index.parent / "audit.log").read_text("utf-8").splitlines()]
    assert [(e["method"], e["status"]) for e in lines] == [("POST", 201), ("DELETE", 200), ("POST", 401)]
    added, deleted, refused = lines
    assert added["action"] == "upload" and added["id"] == doc_id and added["generation"].startswith("gen-")
    assert deleted["action"] == "delete" and deleted["generation"] > added["generation"]
    assert added["token"] and added["token"] != TOKEN and TOKEN not in json.dumps(lines)
    assert refused["token"] is None and added["remote"]


def test_a_form_upload_without_a_file_field_says_what_to_send(admin):
    response = admin.post("/api/v1/documents?filename=ke-hoach-88.txt", headers=AUTH,
                          data={"document": NEW_PLAN})
    assert response.status_code == 400
    assert "field named 'file'" in response.get_json()["error"]
    ok = admin.post("/api/v1/documents?filename=ke-hoach-88.txt", headers=AUTH,
                    data={"file": (io.BytesIO(NEW_PLAN.encode()), "ke-hoach-88.txt")})
    assert ok.status_code == 201


# Backup and restore.

def test_snapshot_and_restore_into_an_empty_directory_serves_the_same(admin, index, tmp_path, app_for):
    doc_id = upload(admin, NEW_PLAN).get_json()["id"]
    saved = backup.snapshot(index, tmp_path / "backup")
    assert saved["directives"] == 6 and saved["uploads"] == 1
    target = tmp_path / "elsewhere" / "index"
    restored = backup.restore(tmp_path / "backup", target)
    assert restored["directives"] == 6
    assert (target.parent / "uploads" / "ke-hoach-88.txt").read_text("utf-8") == NEW_PLAN
    app = app_for(target)
    client = app.test_client()
    assert total(client, '"ngày hội đọc sách"') == 1 and total(client, '"Minh Long"') == 1
    assert client.get(f"/documents/{doc_id}").status_code == 200
    # The restored upload is kept by the next build of the restored index.
    indexer.build_index(ROOT / "corpus" / "samples", target)
    assert indexer.open_index(target).store.count() == 6


def test_restore_refuses_a_damaged_snapshot(index, tmp_path):
    backup.snapshot(index, tmp_path / "backup")
    _damage(tmp_path / "backup" / "generation", "zeroed column")
    with pytest.raises(indexer.IndexDamaged):
        backup.restore(tmp_path / "backup", tmp_path / "other" / "index")
    assert indexer.current_generation(tmp_path / "other" / "index") is None
