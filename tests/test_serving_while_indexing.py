"""The production server keeps answering while the index is rebuilt and added to,
and new directives become searchable without a restart (real waitress on loopback)."""

import json
import shutil
import threading
import time
import urllib.request
from urllib.parse import quote

import pytest

import indexer
from live_server import live_server

pytestmark = pytest.mark.slow

NEW_DIRECTIVE = (
    "Số: 99/TB-PGDĐT\n\nBa Tơ, ngày 05 tháng 3 năm 2025\n\nTHÔNG BÁO\n\n"
    "Về việc tổ chức hội thi giáo viên dạy giỏi cấp huyện\n\n"
    "Căn cứ Kế hoạch năm học, Phòng Giáo dục và Đào tạo thông báo như sau:\n\n"
    "1. Đối tượng\n\nGiáo viên các trường tiểu học và trung học cơ sở tham dự hội thi ngọc lan.\n"
)


def _get(url: str) -> tuple[int, dict]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, json.loads(response.read().decode("utf-8"))


@pytest.fixture()
def server(sample_dir, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_dir, corpus)
    index = tmp_path / "index"
    indexer.build_index(corpus, index)
    with live_server(index, tmp_path / "server.log") as (base, _):
        yield base, corpus, index


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
