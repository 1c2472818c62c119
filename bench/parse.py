"""Benchmark: seconds to parse the largest file the corpus accepts.

A sample directive's body repeated up to corpus.MAX_FILE_BYTES (10 MB of
Vietnamese text, thousands of numbered parts), parsed as a .txt file the way
a build or an upload parses it. The parser must stay linear: a quadratic step
shows here as minutes. tests/test_corpus_edge.py checks what such a file parses
into; this times it.

    python bench/parse.py            # median of 3
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import corpus

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "samples" / "003_1cdd3520dbf33d3e.txt"


def largest_file() -> bytes:
    """The sample's header, then its body (parts I, II, ...) repeated up to the size limit."""
    text = SAMPLE.read_text("utf-8")
    head, body = text[:text.index("I. PHƯƠNG")], text[text.index("I. PHƯƠNG"):text.index("Nơi nhận")]
    return (head + body * (corpus.MAX_FILE_BYTES // len(body.encode()) - 1)).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = largest_file()
    seconds, sections = [], 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        directive = corpus.parse_bytes(data, "big.txt", ".txt")
        seconds.append(time.perf_counter() - started)
        sections = sum(1 for _ in directive.walk_sections())
    median = statistics.median(seconds)
    print(f"file: {len(data) / 1e6:.1f} MB, {sections:,} sections (median of {args.repeat})")
    print(f"parse: {median:7.2f} s  {len(data) / 1e6 / median:6.2f} MB/s")


if __name__ == "__main__":
    main()
