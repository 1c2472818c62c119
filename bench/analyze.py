"""Benchmark: chars/s of the index-time analyzer chain next to raw underthesea.

Runs the four analyzers used at index time (syllables, folded syllables,
compound words, document numbers) over the sample corpus repeated to at least
--mb megabytes, with an empty segmentation cache so underthesea really runs,
and raw underthesea.word_tokenize over the same paragraphs in the same run.
Also times a warm (cached) re-run and the analysis of a short query.

    python bench/analyze.py            # 1 MB, 3 repetitions
    python bench/analyze.py --quick    # smaller, for make bench
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

import analyzers
from analyzers import segmentation

ROOT = Path(__file__).resolve().parent.parent


def paragraphs(megabytes: float) -> list[str]:
    """Sample paragraphs, repeated until the text reaches ``megabytes``; each copy
    is made distinct (a number appended) so caches cannot short-cut later copies."""
    base = []
    for path in sorted((ROOT / "corpus" / "samples").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        base += [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    out, size, copy = [], 0, 0
    while size < megabytes * 1_000_000:
        for p in base:
            p = f"{p} {copy}"
            out.append(p)
            size += len(p.encode("utf-8"))
        copy += 1
    return out


def run_chain(paras: list[str]) -> None:
    chain = [analyzers.SyllableAnalyzer(), analyzers.FoldedAnalyzer(), analyzers.WordAnalyzer(),
             analyzers.NumberAnalyzer()]
    for p in paras:
        for analyzer in chain:
            for _ in analyzer(p, positions=True):
                pass


def run_raw(paras: list[str]) -> None:
    from underthesea import word_tokenize
    for p in paras:
        word_tokenize(p)


def timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="megabytes of text (default 1)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="0.25 MB, 3 repetitions")
    args = parser.parse_args()
    if args.quick:
        args.mb = 0.25
    paras = paragraphs(args.mb)
    chars = sum(len(p) for p in paras)
    analyzers.warm_up()
    analyzers.set_segment_cache(None)

    raw, chain, warm = [], [], []
    for _ in range(args.repeat):
        raw.append(timed(run_raw, paras))
        segmentation.clear_memory_cache()
        chain.append(timed(run_chain, paras))
        warm.append(timed(run_chain, paras))  # every paragraph now cached
        segmentation.clear_memory_cache()

    query = "ke hoach phong chong dich"
    ana = analyzers.FoldedAnalyzer()
    t0 = time.perf_counter()
    for _ in range(1000):
        list(ana(query))
        analyzers.canonical_number(query)
    query_us = (time.perf_counter() - t0) / 1000 * 1e6

    raw_s, chain_s, warm_s = map(statistics.median, (raw, chain, warm))
    print(f"text: {chars:,} chars in {len(paras):,} paragraphs (median of {args.repeat})")
    print(f"raw underthesea.word_tokenize : {raw_s:7.2f} s  {chars / raw_s:>10,.0f} chars/s")
    print(f"full analyzer chain (cold)    : {chain_s:7.2f} s  {chars / chain_s:>10,.0f} chars/s")
    print(f"full analyzer chain (cached)  : {warm_s:7.2f} s  {chars / warm_s:>10,.0f} chars/s")
    print(f"chain / raw                   : {chain_s / raw_s:7.2f}x  (goal <= 1.25x)")
    print(f"short query analysis          : {query_us:7.1f} us per query (no reload)")


if __name__ == "__main__":
    main()
