"""Benchmark: the production server (waitress) under concurrent clients on loopback.

Starts ``python -m search_app`` on an index built earlier (for instance by
``bench/speed.py --keep-index``), then for each client count (default 1, 4, 16)
runs that many keep-alive HTTP clients for a fixed time, each cycling through
speed.py's query mix against /api/v1/search, and prints latency p50/p95/p99,
requests/s, errors, and the server's resident memory: the most it reached
while those clients ran (sampled every 50 ms) and what it holds after.

    python bench/http_load.py --index var/scale-10k-index --seconds 30
    python bench/http_load.py --index var/index --clients 16 --seconds 60

The clients run in this process, on the same 2 cores as the server: figures
are what one machine does serving itself, a floor for a real deployment.
``run_load`` is also what tests/test_load.py drives.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass
class LoadResult:
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    peak: dict[str, float] | None = None  # the server's rss_mb() when VmRSS was highest during the run

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000 if ordered else float("nan")

    def line(self) -> str:
        return (f"{self.clients:>3} clients  {self.requests:>6} requests  {self.requests / self.seconds:7.1f} req/s  "
                f"p50 {self.percentile(0.5):7.1f} ms  p95 {self.percentile(0.95):7.1f} ms  "
                f"p99 {self.percentile(0.99):7.1f} ms  errors {len(self.errors)}")


def query_paths(mix: list[dict]) -> list[str]:
    return ["/api/v1/search?" + urlencode(params) for params in mix]


def run_load(base: str, clients: int, seconds: float, paths: list[str], timeout: float = 60.0,
             server_pid: int | None = None) -> LoadResult:
    """``clients`` threads with one keep-alive connection each, for ``seconds``; every non-200 is an error.
    With ``server_pid``, the server's resident memory is sampled meanwhile (``result.peak``)."""
    url = urlsplit(base)
    result = LoadResult(clients=clients, seconds=seconds)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
        i = offset
        while time.monotonic() < deadline:
            path = paths[i % len(paths)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - t0
                ok = response.status == 200 and body.startswith(b'{"ok":true')
                problem = None if ok else f"{response.status} {path}: {body[:200]!r}"
            except (OSError, http.client.HTTPException) as exc:
                elapsed, problem = time.perf_counter() - t0, f"{type(exc).__name__} {path}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
            with lock:
                if problem:
                    result.errors.append(problem)
                else:
                    result.latencies.append(elapsed)
        conn.close()

    def sample() -> None:
        while any(t.is_alive() for t in threads):
            now = rss_mb(server_pid)
            if result.peak is None or now["VmRSS"] > result.peak["VmRSS"]:
                result.peak = now
            time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(n * 3,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    sampler = threading.Thread(target=sample) if server_pid is not None else None
    if sampler is not None:
        sampler.start()
    for t in threads:
        t.join()
    if sampler is not None:
        sampler.join()
    result.seconds = time.monotonic() - started  # includes the requests still running at the deadline
    return result


def rss_mb(pid: int) -> dict[str, float]:
    """A process's resident memory in MB, from /proc: VmRSS (now), VmHWM (peak),
    RssAnon (its own heap and stacks) and RssFile (mapped files, which the
    kernel can drop and read again: the memory-mapped posting arrays)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            values[key] = int(rest.split()[0]) / 1024
    return values


def rss_line(pid: int) -> str:
    m = rss_mb(pid)
    return (f"RSS {m['VmRSS']:.0f} MB (anon {m['RssAnon']:.0f} + mapped files {m['RssFile']:.0f}; "
            f"peak since start {m['VmHWM']:.0f} MB)")


def peak_line(m: dict[str, float]) -> str:
    return f"RSS at most {m['VmRSS']:.0f} MB (anon {m['RssAnon']:.0f} + mapped files {m['RssFile']:.0f})"


def start_server(index: Path, port: int, threads: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "search_app", "--index", str(index), "--port", str(port),
                             "--threads", str(threads)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)


def wait_until_up(base: str, proc: subprocess.Popen, limit: float = 120) -> None:
    url = urlsplit(base)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
            conn.request("GET", "/api/v1/search?q=x")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {base} did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="index directory built by python -m indexer")
    parser.add_argument("--clients", type=int, action="append", help="client counts (default 1, 4, 16)")
    parser.add_argument("--seconds", type=float, default=30.0, help="per client count (default 30)")
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads (default 8)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    import indexer

    stats = indexer.index_stats(args.index)
    print(f"index: {stats['directives']} directives, {stats['sections']} sections, {stats['size_bytes'] / 1e6:.1f} MB")
    import speed  # a sibling script (bench/ is first on sys.path when this one runs)
    paths = query_paths(speed.QUERY_MIX)
    base = f"http://127.0.0.1:{args.port}"
    proc = start_server(args.index, args.port, args.threads)
    try:
        wait_until_up(base, proc)
        print(f"server after start: {rss_line(proc.pid)} (waitress, {args.threads} threads)")
        run_load(base, 1, min(10.0, args.seconds), paths)  # warm caches; not reported
        for clients in args.clients or [1, 4, 16]:
            result = run_load(base, clients, args.seconds, paths, server_pid=proc.pid)
            print(result.line())
            print(f"    during: {peak_line(result.peak)}; after: {rss_line(proc.pid)}")
            for problem in result.errors[:5]:
                print(f"    error: {problem}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
