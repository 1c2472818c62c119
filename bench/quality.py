"""Benchmark: search quality on ALQAC 2023 (Vietnamese legal retrieval), project vs baselines.

Every ALQAC article is indexed through the project's own ingestion path (a
JSONL file of records -> python -m indexer's build_index) and every statement
of train.json + test.json is run through run_search; a hit is relevant when it
is one of the statement's articles. Baselines in the same run, on the same
articles and statements: syllable BM25 with SQLite FTS5 (unicode61 tokenizer,
no segmentation), with and without diacritics removed. Each system also runs
the statements with their diacritics stripped, as staff often type.

The data is read from ../shared/eval/alqac-2023-dev (or --data / $ALQAC_DIR),
never copied into the repository; without it the script says so and exits 0.

    python bench/quality.py            # prints a markdown table
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "alqac-2023-dev"
K = 10


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def load(data_dir: Path) -> tuple[list[dict], list[dict]]:
    """Articles {"key", "title", "text"} and queries {"text", "relevant": set of keys}."""
    laws = json.loads((data_dir / "legal_passages.json").read_text(encoding="utf-8"))
    articles = []
    for law in laws:
        for article in law["articles"]:
            heading, _, body = article["text"].partition("\n")
            articles.append({"key": f"{law['id']}#{article['id']}", "title": heading.strip(),
                             "text": body.strip() or heading.strip()})
    queries = []
    for name in ("train.json", "test.json"):
        for item in json.loads((data_dir / name).read_text(encoding="utf-8")):
            relevant = {f"{p['law_id']}#{p['article_id']}" for p in item["legal_passages"]}
            queries.append({"text": item["statement"], "relevant": relevant})
    return articles, queries


def metrics(rankings: list[list[str]], queries: list[dict]) -> dict[str, float]:
    n = len(queries)
    recall = {k: 0 for k in (1, 5, 10)}
    mrr = 0.0
    for ranked, query in zip(rankings, queries):
        for k in recall:
            if set(ranked[:k]) & query["relevant"]:
                recall[k] += 1
        for rank, key in enumerate(ranked[:K], 1):
            if key in query["relevant"]:
                mrr += 1 / rank
                break
    return {"R@1": recall[1] / n, "R@5": recall[5] / n, "R@10": recall[10] / n, "MRR@10": mrr / n}


class Fts5System:
    """Syllable BM25 without segmentation: SQLite FTS5 with the unicode61 tokenizer."""

    def __init__(self, remove_diacritics: int):
        self.name = f"FTS5 unicode61 remove_diacritics={remove_diacritics}"
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute(f"CREATE VIRTUAL TABLE a USING fts5(key UNINDEXED, title, text, "
                          f"tokenize = 'unicode61 remove_diacritics {remove_diacritics}')")

    def index(self, articles: list[dict]) -> None:
        self.conn.executemany("INSERT INTO a VALUES (?, ?, ?)",
                              [(a["key"], a["title"], a["text"]) for a in articles])

    def search(self, query: str) -> list[str]:
        words = sorted(set(re.findall(r"\w+", unicodedata.normalize("NFC", query).lower())))
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        rows = self.conn.execute("SELECT key FROM a WHERE a MATCH ? ORDER BY bm25(a) LIMIT ?", (match, K))
        return [row[0] for row in rows]


class ProjectSystem:
    """The project: records imported by the indexer, queries through run_search."""

    name = "project (Whoosh + analyzers)"

    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="vbsearch-quality-")
        self.handle = None
        self.keys: dict[str, str] = {}

    def index(self, articles: list[dict]) -> None:
        import indexer
        from corpus.records import directive_from_record
        from search_app.handle import IndexHandle

        records = Path(self.tmp.name) / "alqac.jsonl"
        with records.open("w", encoding="utf-8") as fh:
            for a in articles:
                record = {"id": a["key"], "title": a["title"], "text": a["text"], "doc_type": "luat"}
                self.keys[directive_from_record(record, "x").id] = a["key"]
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        report = indexer.build_index(records, Path(self.tmp.name) / "index")
        if report.failures:
            raise SystemExit(f"indexing failed: {report.failures[:3]}")
        self.handle = IndexHandle(Path(self.tmp.name) / "index")

    def search(self, query: str) -> list[str]:
        from search_app.search import SearchRequest, run_search

        req = SearchRequest.from_params({"q": query[:1000], "per_page": str(K)})
        result = run_search(self.handle.snapshot(), req)
        return [self.keys[r["id"]] for r in result["results"]]


def evaluate(system, queries: list[dict], strip: bool) -> tuple[dict, float]:
    t0 = time.perf_counter()
    rankings = [system.search(strip_diacritics(q["text"]) if strip else q["text"]) for q in queries]
    per_query = (time.perf_counter() - t0) / len(queries)
    return metrics(rankings, queries), per_query


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("ALQAC_DIR", DEFAULT_DATA)))
    parser.add_argument("--limit", type=int, default=0, help="only the first N statements (quick runs)")
    args = parser.parse_args()
    if not (args.data / "legal_passages.json").exists():
        print(f"ALQAC data not found at {args.data}; skipping the quality benchmark.")
        return 0
    articles, queries = load(args.data)
    if args.limit:
        queries = queries[:args.limit]
    print(f"ALQAC 2023: {len(articles)} articles, {len(queries)} statements (train+test)\n")

    systems = [Fts5System(0), Fts5System(2), ProjectSystem()]
    rows = []
    for system in systems:
        t0 = time.perf_counter()
        system.index(articles)
        build_s = time.perf_counter() - t0
        for strip in (False, True):
            scores, per_query = evaluate(system, queries, strip)
            rows.append((system.name, "no diacritics" if strip else "as written", scores, per_query, build_s))
            print(f"  {system.name} / {rows[-1][1]}: MRR@10 {scores['MRR@10']:.3f}", file=sys.stderr)

    print("| system | statements | R@1 | R@5 | R@10 | MRR@10 | ms/query | index s |")
    print("|---|---|---|---|---|---|---|---|")
    for name, form, s, per_query, build_s in rows:
        print(f"| {name} | {form} | {s['R@1']:.3f} | {s['R@5']:.3f} | {s['R@10']:.3f} | {s['MRR@10']:.3f} "
              f"| {per_query * 1000:.1f} | {build_s:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
