"""Word segmentation of a build's new directives, ahead of the writer, in worker processes.

underthesea is the part of a build that parallelises cleanly: each paragraph is
segmented on its own. SegmentPool.segmented() wraps the stream of directives
the one Whoosh writer indexes: it hands the next few directives to worker
processes (spawned, underthesea loaded once in each), which segment every
paragraph the directive's Whoosh documents will ask for and send back what was
not cached; the writer's process puts that in its segmentation cache
(analyzers.segmentation.remember) and only then gives the directive on, so
the writer finds its words there. A directive whose segmentation raises, or
kills its worker (out of memory, a crash in native code), comes back with the
error, to be reported and skipped; the build goes on with a fresh pool.

    with SegmentPool(2, documents, fields, cache_path) as pool:
        for (number, directive), error in pool.segmented(records): ...
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator

import analyzers
from analyzers import segmentation

#: Below this much new text (bytes of changed files) a build segments in its
#: own process: starting the workers (~1.5 s of CPU each, mostly imports and
#: underthesea's model) costs more than they would save.
MIN_BYTES = 1_000_000

#: Directives handed out ahead of the writer, per worker: enough that no
#: worker waits for the writer, few enough that their texts stay small.
AHEAD_PER_WORKER = 8

CRASHED = "tiến trình tách từ bị dừng đột ngột khi xử lý văn bản này"

# Set in each worker process by _start_worker.
_documents: Callable | None = None
_fields: tuple[str, ...] = ()


def _start_worker(documents: Callable, fields: tuple[str, ...], cache_path) -> None:
    global _documents, _fields
    # Ctrl-C reaches the whole process group; the writer's process handles it
    # (and stops the pool), a worker dying of it would only read as a crash.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker waits for tasks on a pipe it also holds the writing end of, so
    # it would wait forever for a writer killed with SIGKILL: it leaves with it.
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    _documents, _fields = documents, fields
    if cache_path is not None:
        segmentation.set_segment_cache(cache_path, readonly=True)
    segmentation.warm_up()


def _exit_with_parent() -> None:
    multiprocessing.parent_process().join()
    os._exit(1)


def _ready() -> None:
    """A task that succeeds once a worker has started."""


def _segment_directive(directive: dict) -> tuple[list, float]:
    """In a worker: (text, words) of the directive's paragraphs underthesea had to
    segment, and the seconds it took."""
    texts = [text for document in _documents(directive) for name in _fields if document.get(name)
             for text in analyzers.segmentation_inputs(document[name])]
    before = segmentation.underthesea_stats["seconds"]
    return segmentation.segment_new(texts), segmentation.underthesea_stats["seconds"] - before


class SegmentPool:
    """``workers`` processes segmenting directives for one build; a context manager.

    ``documents(directive)``: the Whoosh documents the writer makes of it (a
    module-level function, as workers import it); ``fields``: the names of
    those whose analyzer segments words; ``cache_path``: the segmentation
    cache, read by the workers (the writer's process alone writes it);
    ``warn``: called with a message when the workers cannot start (the
    writer's process then segments everything itself).
    """

    def __init__(self, workers: int, documents: Callable, fields: Iterable[str], cache_path=None,
                 warn: Callable[[str], None] = print):
        self.workers = workers
        self._init_args = (documents, tuple(fields), cache_path)
        self._warn = warn
        self.seconds = 0.0  # underthesea's time in the workers (beside the writer's, not added to it)
        self.restarts = 0
        self._executor = self._start()
        self._started = self._executor.submit(_ready)  # not waited for: workers start while files are parsed

    def _start(self) -> ProcessPoolExecutor:
        # spawn: a fresh interpreter that inherits no open file (the writer
        # lock, Whoosh's files) and no threads, on every platform.
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=self._init_args)

    def _restart(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.restarts += 1
        self._executor = self._start()

    def __enter__(self) -> SegmentPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        # Tasks already running finish (a directive takes well under a second);
        # the rest are dropped.
        self._executor.shutdown(wait=True, cancel_futures=True)

    def segmented(self, records: Iterable[tuple[int, dict]]) -> Iterator[tuple[tuple[int, dict], str | None]]:
        """Each (number, directive) record, in order, once its paragraphs are in
        the segmentation cache, with None; or with the reason (Vietnamese) why
        they could not be segmented."""
        try:
            self._started.result()
        except BrokenProcessPool as exc:
            self._warn(f"words segmented in one process: the worker processes did not start ({exc})")
            yield from ((record, None) for record in records)
            return
        pending: deque[list] = deque()  # [record, future], in order
        records = iter(records)
        window = AHEAD_PER_WORKER * self.workers
        while True:
            for record in records:
                pending.append([record, self._executor.submit(_segment_directive, record[1])])
                if len(pending) >= window:
                    break
            if not pending:
                return
            record, future = pending.popleft()
            yield record, self._collect(record[1], future, pending)

    def _collect(self, directive: dict, future: Future, pending: deque) -> str | None:
        try:
            new, seconds = future.result()
        except BrokenProcessPool:
            # A worker died with this directive or another one in hand: the
            # pool is gone with every task in it. This one alone in a fresh
            # pool tells which.
            self._restart()
            try:
                new, seconds = self._executor.submit(_segment_directive, directive).result()
            except BrokenProcessPool:
                self._restart()
                return CRASHED
            except Exception as exc:  # noqa: BLE001 - any failure of one text skips that text only
                return f"tách từ thất bại: {type(exc).__name__}: {exc}"
            finally:
                for entry in pending:  # lost with the old pool
                    if not _succeeded(entry[1]):
                        entry[1] = self._executor.submit(_segment_directive, entry[0][1])
        except Exception as exc:  # noqa: BLE001
            return f"tách từ thất bại: {type(exc).__name__}: {exc}"
        segmentation.remember(new)
        self.seconds += seconds
        return None


def _succeeded(future: Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None
