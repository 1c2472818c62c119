"""Load: 16 concurrent clients for 60 s against the production server serving 10,000 directives.

The index is built from 10,000 generated records (JSON Lines, through the
indexer's own import), each a title and two real paragraphs of the samples,
with varied types, issuers and years, so posting lists and facet counts are
those of a 10,000-directive index while the build stays near a minute and a
half. The clients cycle through bench/speed.py's query mix (diacritics or not,
phrases, numbers, filters). Every request must answer 200 with results JSON;
the figures are printed for the closing note.
"""

import json
import random
import re

import pytest

import corpus
import indexer
from live_server import live_server

pytestmark = pytest.mark.slow

DIRECTIVES = 10_000
CLIENTS = 16
SECONDS = 60
DOC_TYPES = ["ke_hoach", "huong_dan", "chi_thi", "cong_van", "thong_bao", "bao_cao"]
PLACES = ["Ba Tơ", "Minh Long", "Dầu Tiếng", "Sơn Tịnh", "Tư Nghĩa", "Bình Sơn"]


def _paragraphs(sample_dir):
    found = []
    for _, directive in corpus.iter_corpus(sample_dir):
        for section in directive.walk_sections():
            found.extend(p for p in re.split(r"\n+", section.text) if 40 < len(p) < 600)
    return sorted(set(found))


@pytest.fixture(scope="module")
def big_index(sample_dir, tmp_path_factory):
    work = tmp_path_factory.mktemp("load")
    paragraphs = _paragraphs(sample_dir)
    rng = random.Random(2026)
    with open(work / "records.jsonl", "w", encoding="utf-8") as out:
        for i in range(DIRECTIVES):
            year = rng.randint(2015, 2025)
            out.write(json.dumps({
                "id": f"tai-{i:05d}", "title": rng.choice(paragraphs)[:140],
                "text": "\n".join(rng.sample(paragraphs, 2)), "doc_type": rng.choice(DOC_TYPES),
                "issuer": f"Ủy ban nhân dân huyện {rng.choice(PLACES)}", "year": year,
                "number": f"{i + 1}/KH-UBND",
            }, ensure_ascii=False) + "\n")
    index = work / "index"
    report = indexer.build_index(work / "records.jsonl", index)
    assert not report.failures, report.failures[:3]
    assert report.total == DIRECTIVES
    return index


def test_sixteen_clients_for_a_minute_without_an_error(big_index, tmp_path, capsys, bench_module):
    http_load = bench_module("http_load")
    paths = http_load.query_paths(bench_module("speed").QUERY_MIX)
    with live_server(big_index, tmp_path / "server.log") as (base, proc):
        result = http_load.run_load(base, CLIENTS, SECONDS, paths, server_pid=proc.pid)
        memory = f"{http_load.peak_line(result.peak)}; after: {http_load.rss_line(proc.pid)}"
    with capsys.disabled():
        print(f"\nload on {DIRECTIVES} directives: {result.line()}\n    server during the run: {memory}")
    assert result.errors == []
    # Every client got answers all along, not one request each before the deadline.
    assert len(result.latencies) >= CLIENTS * 3
