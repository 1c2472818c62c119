"""What one hostile request costs: a page of unknown words, a hundred exclusions,
next to an ordinary query, in-process against an index (issue #12, item 4).

    python bench/request_cost.py --index var/bench/index

Prints the median of three runs per query. Before the did-you-mean bounds, the
first line took 14.6 s on a 400-directive index (gen_corpus.py -n 400); after
them 0.4 s, in the same run (ordinary query 0.06-0.1 s).
"""

from __future__ import annotations

import argparse
import statistics
import time

from search_app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = create_app({"TESTING": True, "INDEX_DIR": args.index})
    client = app.test_client()
    client.get("/api/v1/search?q=warm")
    queries = {
        "989 characters of unknown words": " ".join(f"zqx{i:03d}wv" for i in range(110)),
        "110 exclusions": "dân vận " + " ".join(f"-zq{i}x" for i in range(110)),
        "ordinary query": "phòng chống dịch",
    }
    for name, q in queries.items():
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get("/api/v1/search", query_string={"q": q})
            times.append(time.perf_counter() - started)
        print(f"{name:34s} status {response.status_code}  median {statistics.median(times) * 1000:8.0f} ms")
    app.extensions["index_handle"].close()


if __name__ == "__main__":
    main()
