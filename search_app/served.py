"""The snapshot a request reads: taken once per request, given back when it ends.

flaskr's ``get_db`` pattern: the first call in a request takes the current
snapshot from the app's IndexHandle and keeps it in ``g``; the app context's
teardown gives it back, so a replaced generation closes its files as soon as
the last request reading it has answered.

It also hands out turns to evaluate a search (``evaluating()``): searching is
CPU-bound Python, so more searches at once than cores answer no more per
second; each waits for the interpreter lock holding its request-sized arrays.
At 50,000 directives, 16 clients on 8 threads, two runs each: 8.9 and 7.7
req/s (p95 3.0 and 3.1 s) unbounded, 13.4 and 11.2 req/s (p95 1.5 and 1.7 s)
with two turns (bench/http_load.py).

    snap = served.snapshot()
    with served.evaluating():
        result = run_search(snap, req)
"""

from __future__ import annotations

import os
import threading

from flask import current_app, g


def handle():
    return current_app.extensions["index_handle"]


def snapshot():
    """This request's snapshot of the index (the same one for the whole request)."""
    if "snapshot" not in g:
        g.snapshot = handle().acquire()
    return g.snapshot


def forget() -> None:
    """Give back this request's snapshot now (after it changed the index)."""
    snap = g.pop("snapshot", None)
    if snap is not None:
        handle().release(snap)


def evaluating() -> threading.BoundedSemaphore:
    """A turn to evaluate a search (a context manager): at most
    SEARCH_CONCURRENCY requests evaluate at once, the others wait their turn."""
    return current_app.extensions["search_turns"]


def usable_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def init_app(app) -> None:
    turns = int(app.config.get("SEARCH_CONCURRENCY") or usable_cores())
    app.extensions["search_turns"] = threading.BoundedSemaphore(turns)
    app.teardown_appcontext(lambda exc: forget())
