"""The production server keeps answering while the index is rebuilt and added to,
and new directives become searchable without a restart (real waitress on loopback)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

import indexer

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
NEW_DIRECTIVE = (
    "Số: 99/TB-PGDĐT\n\nBa Tơ, ngày 05 tháng 3 năm 2025\n\nTHÔNG BÁO\n\n"
    "Về việc tổ chức hội thi giáo viên dạy giỏi cấp huyện\n\n"
    "Căn cứ Kế hoạch năm học, Phòng Giáo dục và Đào tạo thông báo như sau:\n\n"
    "1. Đối tượng\n\nGiáo viên các trường tiểu học và trung học cơ sở tham dự hội thi ngọc lan.\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, dict]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, json.loads(response.read().decode("utf-8"))


@pytest.fixture()
def server(sample_dir, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_dir, corpus)
    index = tmp_path / "index"
    indexer.build_index(corpus, index)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "search_app", "--index", str(index), "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(base + "/api/v1/search?q=x")
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("server did not start")
    yield base, corpus, index
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def test_queries_keep_succeeding_during_rebuild_and_add(server, tmp_path):
    base, corpus, index = server
    errors, empty, done = [], [], threading.Event()
    counts = [0]

    def hammer():
        while not done.is_set():
            try:
                status, body = _get(base + "/api/v1/search?q=" + quote("phong chong dich"))
                counts[0] += 1
                if status != 200:
                    errors.append(status)
                elif not body["results"]:
                    empty.append(body)
            except Exception as exc:  # any failure at all is what this test looks for
                errors.append(repr(exc))

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        indexer.build_index(corpus, index, full=True)
        new_file = tmp_path / "thong-bao.txt"
        new_file.write_text(NEW_DIRECTIVE, encoding="utf-8")
        indexer.add_files(index, [new_file])
        time.sleep(0.5)
    finally:
        done.set()
        for t in threads:
            t.join(timeout=60)

    assert counts[0] > 10
    assert errors == [] and empty == [], (tmp_path / "server.log").read_text()[-3000:]
    status, body = _get(base + "/api/v1/search?q=" + quote('"ngọc lan"'))
    assert status == 200 and [r["number"] for r in body["results"]] == ["99/TB-PGDĐT"]
