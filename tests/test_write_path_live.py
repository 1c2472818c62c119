"""The write path against the production server (waitress on loopback): concurrent
uploads all land, open files stay flat, oversized bodies are refused unread,
deletes and uploads of one name do not race, a damaged index still starts (issue #12)."""

import json
import os
import shutil
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

import indexer
from live_server import live_server
from test_admin import NEW_PLAN
from test_write_path import NO_YEAR, _damage

pytestmark = pytest.mark.slow

TOKEN = "live-admin-token-2026"  # HTTP headers on the wire are Latin-1
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def plan(n: int) -> str:
    """A distinct plan per n, findable by its own phrase "mã kế hoạch <n>"."""
    return NEW_PLAN.replace("88/KH-UBND", f"{n}/KH-UBND").replace(
        "Khơi dậy phong trào", f"Mã kế hoạch k{n}x. Khơi dậy phong trào")


@pytest.fixture()
def server(sample_dir, tmp_path):
    index = tmp_path / "var" / "index"
    indexer.build_index(sample_dir, index)
    env = {"VBSEARCH_ADMIN_TOKEN": TOKEN}
    with live_server(index, tmp_path / "server.log", env=env) as (base, proc):
        yield base, proc, index


def _upload(base, text, filename):
    return requests.post(f"{base}/api/v1/documents", params={"filename": filename}, headers=AUTH,
                         data=text.encode("utf-8"), timeout=300)


def _total(base, q):
    return requests.get(f"{base}/api/v1/search", params={"q": q}, timeout=60).json()["total"]


def test_sixteen_concurrent_uploads_all_land_in_the_served_generation(server):
    base, _, index = server
    with ThreadPoolExecutor(16) as pool:
        responses = list(pool.map(lambda n: _upload(base, plan(n), f"ke-hoach-{n}.txt"), range(100, 116)))
    assert [r.status_code for r in responses] == [201] * 16, [r.text for r in responses if r.status_code != 201]
    for n in range(100, 116):
        assert _total(base, f'"k{n}x"') == 1, n
    assert _total(base, '"Minh Long"') == 1
    body = requests.get(f"{base}/api/v1/search", params={"q": "\"ngày hội đọc sách\""}, timeout=60).json()
    assert body["total"] == 16


def test_open_files_stay_flat_across_many_changes_under_readers(server):
    base, proc, index = server
    stop, errors = threading.Event(), []

    def read():
        session = requests.Session()
        while not stop.is_set():
            try:
                r = session.get(f"{base}/api/v1/search", params={"q": "phòng chống dịch"}, timeout=60)
                if r.status_code != 200:
                    errors.append(r.status_code)
                session.get(f"{base}/documents/655-kh-pgddt-2021", timeout=60)
            except requests.RequestException as exc:
                errors.append(repr(exc))
        session.close()

    def changes(numbers):
        """Uploads and deletes under eight readers, then the files the server holds open."""
        readers = [threading.Thread(target=read) for _ in range(8)]
        stop.clear()
        for t in readers:
            t.start()
        try:
            for change in numbers:
                if change % 2 == 0:
                    assert _upload(base, plan(change), "thay-doi.txt").status_code == 201
                else:
                    assert requests.delete(f"{base}/api/v1/documents/{change - 1}-kh-ubnd-2025", headers=AUTH,
                                           timeout=300).status_code == 200
        finally:
            stop.set()
            for t in readers:
                t.join(timeout=60)
        # Quiet: one more change and one search, after the readers' last requests ended.
        assert _upload(base, plan(999), "yen-lang.txt").status_code == 201
        _total(base, "phòng chống dịch")
        time.sleep(0.5)
        return _open_index_files(proc.pid, index)

    for numbers in (range(0, 6), range(6, 46)):
        opened = changes(numbers)
        current = indexer.current_generation(index)
        # Only the generation served is open: every retired one was closed when
        # its last request ended, and nothing of a deleted generation is held.
        generations = {path.relative_to(index).parts[0] for path in opened} - {"cache"}
        assert generations == {current.name}, sorted(map(str, opened))[:20]
        # A searcher per thread that read it, each with a bounded number of files per segment.
        segments = len(list(current.glob("*/*.trm")))
        assert len(opened) <= 20 * segments + 16, (len(opened), segments)
    assert errors == []
    assert proc.poll() is None


def _open_index_files(pid: int, index) -> list:
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue  # closed meanwhile
        if target.startswith(str(index)):
            found.append(Path(target))  # a deleted generation's file ends in " (deleted)"
    return found


def test_waitress_refuses_a_declared_oversized_body_without_reading_it(server):
    base, _, _ = server
    host, port = base.removeprefix("http://").split(":")
    for headers in (f"Authorization: Bearer {TOKEN}\r\n", ""):
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall((f"POST /api/v1/documents?filename=lon.txt HTTP/1.1\r\nHost: {host}\r\n{headers}"
                          "Content-Type: text/plain\r\nContent-Length: 1073741824\r\n\r\n").encode())
            sock.sendall(b"x" * 65536)  # a start of the gigabyte, not the rest
            reply = b""
            started = time.monotonic()
            while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
            assert time.monotonic() - started < 10
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413"), reply[:200]
        assert json.loads(body)["status"] == 413 and "bytes accepted" in json.loads(body)["error"]


def test_deletes_racing_uploads_of_the_same_name_stay_consistent(server, tmp_path):
    base, _, index = server
    statuses, bodies = [], []

    def upload_loop():
        for _ in range(6):
            r = _upload(base, plan(7), "cung-ten.txt")
            statuses.append(r.status_code)
            bodies.append(r.text)

    def delete_loop():
        for _ in range(12):
            r = requests.delete(f"{base}/api/v1/documents/7-kh-ubnd-2025", headers=AUTH, timeout=300)
            statuses.append(r.status_code)
            bodies.append(r.text)

    threads = [threading.Thread(target=upload_loop), threading.Thread(target=delete_loop)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(statuses) <= {200, 201, 404}, statuses
    assert not [b for b in bodies if str(tmp_path) in b]
    # The file and the index agree: both have it or neither does.
    on_disk = (index.parent / "uploads" / "cung-ten.txt").exists()
    assert (_total(base, '"k7x"') == 1) == on_disk


def test_the_server_starts_on_a_damaged_index_and_serves_the_previous_generation(sample_dir, tmp_path):
    index = tmp_path / "index"
    indexer.build_index(sample_dir, index)
    extra = tmp_path / "khong-nam.txt"
    extra.write_text(NO_YEAR, encoding="utf-8")
    indexer.add_files(index, [extra])
    _damage(indexer.current_generation(index), "truncated toc")
    with live_server(index, tmp_path / "server.log") as (base, _):
        r = requests.get(f"{base}/api/v1/search", params={"q": '"Minh Long"'}, timeout=60)
        assert r.status_code == 200 and r.json()["total"] == 1
    log = (tmp_path / "server.log").read_text()
    assert "serving the older generation" in log and "Traceback" not in log
    shutil.rmtree(index)
