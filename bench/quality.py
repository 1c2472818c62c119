"""Benchmark: retrieval quality on ALQAC 2023 (Vietnamese legal articles), every system in one run.

Each system in SYSTEMS indexes the 2,256 ALQAC articles and answers the 216
statements of train.json + test.json twice: as written, and with their
diacritics stripped (as staff often type). A hit is relevant when it is one of
the statement's articles. Prints progress and timings to stderr and the table
(system x statements -> R@1, R@5, R@10, MRR@10, ms/query, index s) as markdown
to stdout, ready to paste into bench/README.md.

The data is read in place from ../shared/eval/alqac-2023-dev (or --data DIR,
or $ALQAC_DIR), never copied into the repository; without it the script says
so and exits 0.

    python bench/quality.py                   # all systems
    python bench/quality.py --system FTS5     # only systems whose name contains FTS5
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

# bench/ is a folder of scripts: run as `python bench/<script>.py`, Python puts bench/ first on
# sys.path, so a sibling imports by name.
import alqac
import baselines

K = 10


class ProjectSystem:
    """The project: the articles go through the JSONL import of the indexer, queries through run_search."""

    name = "project (Whoosh + analyzers)"

    def __init__(self):
        # Imported here so the baselines run without the project installed (pip install -e .).
        import indexer
        from corpus.records import directive_from_record
        from searcher.handle import IndexHandle
        from searcher.search import SearchRequest, run_search

        self._build_index, self._record_id, self._handle = indexer.build_index, directive_from_record, IndexHandle
        self._request, self._run_search = SearchRequest, run_search
        self.tmp = tempfile.TemporaryDirectory(prefix="vbsearch-quality-")
        self.handle = None
        self.ids: dict[str, str] = {}

    def index(self, records: list[dict]) -> None:
        tmp = Path(self.tmp.name)
        jsonl = alqac.write_jsonl(tmp / "alqac.jsonl", records)
        for r in records:
            # The project slugs record ids ("Luật Viên chức 2010#1" -> a URL-safe id); map them back.
            self.ids[self._record_id({"id": r["id"], "title": r["title"], "text": r["text"]}, "x").id] = r["id"]
        report = self._build_index(jsonl, tmp / "index")
        if report.failures:
            raise SystemExit(f"project: indexing failed: {report.failures[:3]}")
        self.handle = self._handle(tmp / "index")

    def search(self, query: str, k: int = K) -> list[str]:
        req = self._request.from_params({"q": query[:1000], "per_page": str(k)})
        return [self.ids[hit.id] for hit in self._run_search(self.handle.snapshot(), req).hits]


# The registration point: one zero-argument factory per system, run in this order.
# A factory that raises ImportError (an optional package not installed) is skipped with a note.
SYSTEMS = [
    lambda: baselines.Fts5Bm25(remove_diacritics=0),
    lambda: baselines.Fts5Bm25(remove_diacritics=2),
    lambda: baselines.Bm25s(fold_accents=False),
    lambda: baselines.Bm25s(fold_accents=True),
    ProjectSystem,
]

FORMS = (("as written", lambda text: text), ("no diacritics", alqac.strip_diacritics))


def evaluate(system, queries: list[dict], form) -> tuple[dict, float]:
    """Scores of one system on one query form, and the mean seconds per query."""
    t0 = time.perf_counter()
    rankings = [system.search(form(q["text"]), K) for q in queries]
    return alqac.scores(rankings, queries), (time.perf_counter() - t0) / max(len(queries), 1)


def markdown(rows: list[dict]) -> str:
    lines = ["| system | statements | R@1 | R@5 | R@10 | MRR@10 | ms/query | index s |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        s = r["scores"]
        lines.append(f"| {r['system']} | {r['form']} | {s['R@1']:.3f} | {s['R@5']:.3f} | {s['R@10']:.3f} "
                     f"| {s['MRR@10']:.3f} | {r['ms']:.1f} | {r['index_s']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", metavar="DIR", help="ALQAC directory (default: $ALQAC_DIR, "
                        "else ../shared/eval/alqac-2023-dev from the repository root)")
    parser.add_argument("--system", action="append", default=[], metavar="TEXT",
                        help="only systems whose name contains TEXT (repeatable)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N statements (quick runs)")
    args = parser.parse_args(argv)

    found = alqac.open_or_skip(args.data, "quality benchmark")
    if found is None:
        return 0
    directory, articles, queries = found
    if args.limit > 0:
        queries = queries[:args.limit]
    print(f"ALQAC 2023 at {directory}: {len(articles)} articles, {len(queries)} statements (train+test)",
          file=sys.stderr)

    rows = []
    for factory in SYSTEMS:
        try:
            system = factory()
        except ImportError as exc:
            print(f"  skipped a system ({exc}): install it into this virtualenv to include it", file=sys.stderr)
            continue
        if args.system and not any(s.lower() in system.name.lower() for s in args.system):
            continue
        t0 = time.perf_counter()
        system.index(articles)
        index_s = time.perf_counter() - t0
        for form_name, form in FORMS:
            scores, per_query = evaluate(system, queries, form)
            rows.append({"system": system.name, "form": form_name, "scores": scores,
                         "ms": per_query * 1000, "index_s": index_s})
            print(f"  {system.name} / {form_name}: MRR@10 {scores['MRR@10']:.3f}, "
                  f"{per_query * 1000:.1f} ms/query (index {index_s:.1f} s)", file=sys.stderr)
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
