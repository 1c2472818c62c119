"""Autocomplete speed: p50/p95/p99 of one /api/v1/suggest answer per keystroke, at N generated directives.

Generates N directives (bench/gen_corpus.py, seed 42), parses them, builds the
suggestion tables (searcher.suggest.Suggester, what the server builds once
per generation) and then types 200 numbers, issuers and titles picked at
random, one keystroke at a time (up to 25 characters each, with and without
diacritics): each keystroke is a lookup plus the JSON encoding of its answer,
in-process (no HTTP). Goal: p95 ≤ 20 ms at 10,000 directives.

    .venv/bin/python bench/suggest.py -n 10000
    .venv/bin/python bench/suggest.py --corpus var/scale-10k   # an existing generated corpus
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import analyzers
import corpus
from indexer.store import sort_date
from searcher.suggest import Suggester


GOAL_P95_MS = 20.0
TARGETS = 200
MAX_TYPED = 25


def briefs(folder: Path) -> list[tuple]:
    rows = []
    for path in sorted(folder.rglob("*.txt")):
        d = corpus.parse_file(path).to_dict()
        rows.append((d["id"], sort_date(d), d.get("number"), d.get("doc_type_label"), d.get("title"), d.get("issuer")))
    return rows


def keystrokes(rows: list[tuple], rng: random.Random) -> list[str]:
    typed = []
    for _ in range(TARGETS):
        row = rng.choice(rows)
        field = rng.choice([2, 4, 5])  # number, title, issuer
        text = row[field] or row[4]
        if field == 4 and rng.random() < 0.5:  # from a later word of the title
            words = text.split()
            text = " ".join(words[rng.randrange(len(words)):])
        if rng.random() < 0.5:
            text = analyzers.fold(text)  # typed without diacritics
        typed += [text[:i] for i in range(1, min(len(text), MAX_TYPED) + 1)]
    return typed


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10000, help="directives to generate (default 10000)")
    parser.add_argument("--corpus", type=Path, help="an existing generated corpus instead of generating one")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="suggest-bench-") as tmp:
        folder = args.corpus
        if folder is None:
            folder = Path(tmp) / "corpus"
            import gen_corpus  # a sibling script (bench/ is first on sys.path when this one runs)
            gen_corpus.generate(folder, args.n, args.seed)
        rows = briefs(folder)
    t1 = time.perf_counter()
    suggester = Suggester(rows)
    t2 = time.perf_counter()
    typed = keystrokes(rows, random.Random(args.seed))
    times, empty = [], 0
    for text in typed:
        start = time.perf_counter()
        found = suggester.lookup(text)
        json.dumps({"ok": True, "query": text, "suggestions": found}, ensure_ascii=False)
        times.append((time.perf_counter() - start) * 1000)
        empty += not found
    p95 = percentile(times, 95)
    print(f"{len(rows)} directives (generated and parsed in {t1 - t0:.1f} s); suggestion tables built in "
          f"{(t2 - t1) * 1000:.0f} ms ({len(suggester.by_title.keys)} title keys, "
          f"{len(suggester.by_issuer.keys)} issuer keys, {len(suggester.by_number.keys)} numbers)")
    print(f"{len(times)} keystrokes ({TARGETS} numbers, titles and issuers typed; {empty} without suggestions): "
          f"p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, p99 {percentile(times, 99):.2f} ms, "
          f"max {max(times):.2f} ms — goal p95 ≤ {GOAL_P95_MS:.0f} ms: {'met' if p95 <= GOAL_P95_MS else 'NOT met'}")
    return 0 if p95 <= GOAL_P95_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
