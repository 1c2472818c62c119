"""Benchmark: build and query speed on a generated corpus, against SQLite FTS5 in the same run.

Generates N directives with bench/gen_corpus.py (fixed seed), then reports:
raw underthesea throughput on the corpus text (the floor of any build), the
full build (directives/s, MB/s, split into parsing vs analysis and writing vs
commit), index size, the rebuild of the unchanged corpus, and in-process query
latency p50/p95/p99 of run_search with facets over a fixed query mix, next to
the peers of bench/peers.py (SQLite FTS5, tantivy when installed) answering
the same mix with facet counts. With --workers N the build segments words in
N worker processes (indexer/segment_pool.py), and underthesea's own throughput
in 1 and in N worker processes is printed beside it (what the cores give).

    python bench/speed.py -n 1000          # what make bench runs
    python bench/speed.py -n 10000 --keep var/scale-10k
    python bench/speed.py --reuse --cpu-time --keep var/scale-10k --keep-index var/i10k  # queries, CPU time
    python bench/speed.py -n 2000 --workers 2
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import analyzers
import corpus
import indexer
from analyzers import segmentation
from searcher.handle import IndexHandle
from searcher.search import SearchRequest, run_search


# 1-4 words, with and without diacritics, phrases, numbers, 0/1/2 filters, broad and narrow.
QUERY_MIX = [
    {"q": "phòng chống dịch"}, {"q": "phong chong dich"}, {"q": "thi đua khen thưởng"},
    {"q": "thi dua khen thuong", "doc_type": "ke_hoach"}, {"q": "giáo dục"}, {"q": "giao duc mam non"},
    {"q": '"dân vận khéo"'}, {"q": "19/CT-TTg"}, {"q": "51/2020/TT-BGDĐT"}, {"q": "UBND huyện"},
    {"q": "chuyển đổi số", "year": "2022"}, {"q": "an toàn giao thông", "doc_type": "chi_thi", "year": "2020"},
    {"q": "hợp đồng"}, {"q": "viên chức"}, {"q": "kiểm định chất lượng giáo dục"},
    {"q": "cai nghiện ma túy", "section": "nhiem_vu_giai_phap"}, {"q": "", "doc_type": "bao_cao"},
    {"q": "học sinh"}, {"q": "bao luc hoc duong"}, {"q": "tổ chức thực hiện", "year": "2019"},
]


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def at(p):
        return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000
    return at(0.50), at(0.95), at(0.99)


def corpus_paragraphs(paths: list[Path], limit_chars: int) -> tuple[list[str], int]:
    """The corpus's paragraphs, from its first files up to ``limit_chars``, and their size."""
    paragraphs, size = [], 0
    for path in paths:
        for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            if p.strip():
                paragraphs.append(p.strip())
                size += len(p)
        if size >= limit_chars:
            break
    return paragraphs, size


def raw_segmentation(paths: list[Path], limit_chars: int) -> float:
    """chars/s of underthesea alone on the corpus text (paragraph by paragraph)."""
    from underthesea import word_tokenize
    paragraphs, size = corpus_paragraphs(paths, limit_chars)
    t0 = time.perf_counter()
    for p in paragraphs:
        word_tokenize(p)
    return size / (time.perf_counter() - t0)


def pool_segmentation(paths: list[Path], limit_chars: int, workers: int) -> float:
    """chars/s of underthesea in ``workers`` spawned processes (as a build's pool
    runs it) on the same paragraphs; their start-up is not counted."""
    paragraphs, size = corpus_paragraphs(paths, limit_chars)
    chunks = [paragraphs[i:i + 20] for i in range(0, len(paragraphs), 20)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=segmentation.warm_up) as pool:
        list(pool.map(time.sleep, [0.5] * workers))  # every worker started and warm
        t0 = time.perf_counter()
        list(pool.map(segmentation.segment_new, chunks))
        return size / (time.perf_counter() - t0)


def build_figures(corpus_dir: Path, index_dir: Path, paths: list[Path], mbytes: float, workers: int) -> None:
    n = len(paths)
    analyzers.warm_up()
    raw = raw_segmentation(paths, limit_chars=2_000_000)
    segmentation.clear_memory_cache()
    report = indexer.build_index(corpus_dir, index_dir, workers=workers)
    text_chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    build_rate = text_chars / report.seconds
    print(f"raw underthesea              : {raw:>10,.0f} chars/s")
    if workers > 1:
        one, many = (pool_segmentation(paths, 1_000_000, w) for w in (1, workers))
        print(f"  in worker processes        : 1: {one:,.0f} chars/s, {workers}: {many:,.0f} chars/s "
              f"({many / one:.2f}x)")
    print(f"{f'build, {workers} worker(s)':<29}: {report.seconds:7.1f} s  {n / report.seconds:7.1f} directives/s  "
          f"{mbytes / report.seconds:.2f} MB/s  {build_rate:,.0f} chars/s  ({build_rate / raw:.2f}x raw, goal >= 0.8x)")
    print("  split                      : " + ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items()))
    stats = indexer.index_stats(index_dir)
    import peers  # a sibling script
    cache_bytes = peers.tree_bytes(index_dir / "cache")
    print(f"index size                   : {stats['size_bytes'] / 1e6:7.1f} MB = "
          f"{stats['size_bytes'] / 1e6 / mbytes:.1f}x the raw text, goal <= 3x ({stats['sections']} sections)")
    print(f"  segmentation cache beside it: {cache_bytes / 1e6:7.1f} MB = {cache_bytes / 1e6 / mbytes:.1f}x")
    again = indexer.build_index(corpus_dir, index_dir)
    print(f"rebuild, unchanged corpus    : {again.seconds:7.2f} s  ({report.seconds / again.seconds:.0f}x faster, goal >= 20x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="directives to generate (default 1000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the query mix")
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this directory")
    parser.add_argument("--keep-index", type=Path, help="build into (and keep) this index directory "
                        "(for bench/http_load.py); it must not exist yet")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes segmenting words during the build (default 1: the single-process rate)")
    parser.add_argument("--reuse", action="store_true",
                        help="skip generating and building: time the queries on --keep and --keep-index "
                             "from an earlier run")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time each query in CPU seconds of this process instead of wall-clock "
                             "(steadier on a machine shared with other work; peers timed the same way)")
    args = parser.parse_args()

    work = tempfile.TemporaryDirectory(prefix="vbsearch-speed-")
    corpus_dir = args.keep or Path(work.name) / "corpus"
    index_dir = args.keep_index or Path(work.name) / "index"
    if args.reuse:
        if not (args.keep and args.keep_index and args.keep.is_dir() and args.keep_index.is_dir()):
            parser.error("--reuse needs --keep CORPUS and --keep-index INDEX of an earlier run")
        paths = corpus.corpus_files(corpus_dir)
        made = "an earlier run's corpus"
    else:
        if args.keep_index and args.keep_index.exists():
            parser.error(f"{args.keep_index} exists; the first build must start from nothing")
        import gen_corpus  # a sibling script (bench/ is first on sys.path when this one runs)
        paths = gen_corpus.generate(corpus_dir, args.n, args.seed)
        # The corpus differs with and without the ALQAC data (gen_corpus mixes its paragraphs in).
        made = f"seed {args.seed}, " + ("ALQAC paragraphs mixed in" if gen_corpus.default_alqac().is_file()
                                        else "the samples' paragraphs only: no ALQAC data")
    mbytes = sum(p.stat().st_size for p in paths) / 1e6
    print(f"corpus: {len(paths)} directives, {mbytes:.1f} MB ({made})")
    if not args.reuse:
        build_figures(corpus_dir, index_dir, paths, mbytes, max(1, args.workers))

    clock = time.process_time if args.cpu_time else time.perf_counter
    # As python -m search_app does before serving: underthesea's models loaded
    # and the index opened, so the first query is not charged for either.
    analyzers.warm_up()
    handle = IndexHandle(index_dir)
    snap = handle.snapshot()
    ours = []
    for _ in range(args.repeat):
        for params in QUERY_MIX:
            t0 = clock()
            run_search(snap, SearchRequest.from_params(params))
            ours.append(clock() - t0)
    directives = [d.to_dict() for _, d in corpus.iter_corpus(corpus_dir) if not isinstance(d, corpus.ParseError)]
    p_ours = percentiles(ours)
    print(f"query mix ({len(QUERY_MIX)} queries x {args.repeat}), {'CPU ' if args.cpu_time else ''}ms   "
          "p50      p95      p99")
    print(f"  {'project run_search + facets':<30}{p_ours[0]:7.1f}  {p_ours[1]:7.1f}  {p_ours[2]:7.1f}")
    # The first pass maps every posting list from disk (or decodes the short
    # ones Whoosh keeps); later ones find them in the page cache and the
    # snapshot's LRU (searcher.postings). Both, so neither hides.
    if args.repeat > 1:
        for label, part in (("first pass (cold cache)", ours[:len(QUERY_MIX)]),
                            ("later passes (warm)", ours[len(QUERY_MIX):])):
            p = percentiles(part)
            print(f"    {label:<28}{p[0]:7.1f}  {p[1]:7.1f}  {p[2]:7.1f}")
    import peers
    factories, notes = peers.available_peers()
    for note in notes:
        print(f"  ({note})")
    for factory in factories:
        t0 = time.perf_counter()
        peer = factory(directives)
        index_s = time.perf_counter() - t0
        theirs = []
        for _ in range(args.repeat):
            for params in QUERY_MIX:
                t0 = clock()
                peer.search(params)
                theirs.append(clock() - t0)
        p_theirs = percentiles(theirs)
        size = peer.size_bytes() / 1e6
        print(f"  {peer.name:<30}{p_theirs[0]:7.1f}  {p_theirs[1]:7.1f}  {p_theirs[2]:7.1f}   "
              f"(indexed in {index_s:.1f} s; {size:.1f} MB on disk = {size / mbytes:.2f}x the raw text)")
        print(f"  {'  ratio project / peer':<30}{p_ours[0] / p_theirs[0]:7.1f}  {p_ours[1] / p_theirs[1]:7.1f}  "
              f"{p_ours[2] / p_theirs[2]:7.1f}")
    handle.close()


if __name__ == "__main__":
    main()
