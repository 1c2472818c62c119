"""Where an index lives on disk: generations, the CURRENT pointer and the writer lock.

An index directory holds complete generations side by side; ``CURRENT`` names
the one being served and is replaced atomically (``os.replace``) once a new
generation is complete and has answered a smoke query. A build that dies
leaves a ``*.tmp`` directory that the next build removes, and the old
generation keeps serving. One writer at a time holds an OS lock on ``LOCK``,
released by the kernel when its holder exits, however it exits.

    with writer_lock(index_dir): ...
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
import time
from pathlib import Path

from indexer.schema import SCHEMA_VERSION

CURRENT = "CURRENT"
LOCK = "LOCK"
MANIFEST = "manifest.json"
WHOOSH = "directives"  # the one Whoosh index: each directive's head document and its sections
STORE = "store.sqlite"
CACHE = "cache"


class IndexProblem(Exception):
    """Base of the errors that say what is wrong with an index and how to fix it."""


class IndexMissing(IndexProblem):
    pass


class IndexIncompatible(IndexProblem):
    pass


class IndexLocked(IndexProblem):
    pass


class IndexDamaged(IndexProblem):
    """A generation's files do not match its manifest, or it cannot be opened."""


def rebuild_hint(index_dir: Path) -> str:
    return f"run: python -m indexer build CORPUS_DIR --index {index_dir} --full"


UPLOADS = "uploads"


def uploads_dir(index_dir: Path, manifest: dict | None = None) -> Path:
    """Where documents uploaded over HTTP are kept: as the served generation's
    manifest records it, else ``uploads`` beside the index directory."""
    recorded = (manifest or {}).get(UPLOADS)
    return Path(recorded) if recorded else Path(index_dir).resolve().parent / UPLOADS


def current_generation(index_dir: Path) -> Path | None:
    """The generation being served, or None when nothing was ever built."""
    try:
        name = (Path(index_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    generation = Path(index_dir) / name
    return generation if generation.is_dir() else None


def generations(index_dir: Path) -> list[Path]:
    """Every complete generation on disk, newest first."""
    found = [p for p in Path(index_dir).glob("gen-*") if p.is_dir() and not p.name.endswith(".tmp")]
    return sorted(found, key=lambda p: p.name, reverse=True)


def read_manifest(generation: Path) -> dict:
    return json.loads((generation / MANIFEST).read_text(encoding="utf-8"))


def check_compatible(index_dir: Path, generation: Path) -> dict:
    """The manifest of ``generation``; IndexIncompatible when its schema differs."""
    try:
        manifest = read_manifest(generation)
    except (OSError, ValueError) as exc:
        raise IndexIncompatible(
            f"index at {index_dir} has no readable manifest ({exc}); {rebuild_hint(index_dir)}"
        ) from exc
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexIncompatible(
            f"index at {index_dir} was built with schema version {version}, this program "
            f"reads version {SCHEMA_VERSION}; {rebuild_hint(index_dir)}"
        )
    return manifest


def new_generation_dir(index_dir: Path) -> Path:
    """A fresh ``gen-<n>.tmp`` directory, numbered after every existing generation."""
    index_dir = Path(index_dir)
    numbers = [0]
    for path in index_dir.glob("gen-*"):
        stem = path.name.removesuffix(".tmp")[4:]
        if stem.isdigit():
            numbers.append(int(stem))
    tmp = index_dir / f"gen-{max(numbers) + 1:06d}.tmp"
    tmp.mkdir(parents=True)
    return tmp


def publish(index_dir: Path, tmp: Path, keep: int = 3) -> Path:
    """Rename a finished ``.tmp`` generation into place and point CURRENT at it."""
    final = tmp.with_name(tmp.name.removesuffix(".tmp"))
    tmp.rename(final)
    pointer = Path(index_dir) / (CURRENT + ".tmp")
    with open(pointer, "w", encoding="utf-8") as fh:
        fh.write(final.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pointer, Path(index_dir) / CURRENT)
    _fsync_dir(Path(index_dir))
    _remove_old_generations(Path(index_dir), final, keep)
    return final


def remove_leftovers(index_dir: Path) -> list[Path]:
    """Delete the ``.tmp`` generations of builds that died; returns what was removed."""
    removed = []
    for path in Path(index_dir).glob("gen-*.tmp"):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _remove_old_generations(index_dir: Path, current: Path, keep: int) -> None:
    # The previous generations are kept: a server that has not yet noticed the
    # new CURRENT, or a request still reading an older snapshot, may use them.
    generations = sorted(p for p in index_dir.glob("gen-*") if p.is_dir() and not p.name.endswith(".tmp"))
    for old in generations[:-keep]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Index directories whose lock a thread of this process holds: resolved path -> thread.
_held: dict[str, int] = {}
_held_lock = threading.Lock()


@contextlib.contextmanager
def writer_lock(index_dir: Path, wait: float = 0.0):
    """Hold the index's single-writer lock for the whole block.

    An OS lock (``flock``) on ``LOCK``, held through one open file: every
    writer, in this process or another, opens the file and waits its turn; the
    kernel releases the lock when the holder closes it or dies, so there is no
    stale lock to guess about (a reused PID cannot keep it). The file stays in
    place; only the lock on it matters. ``wait`` seconds are spent waiting for
    another writer before IndexLocked is raised.
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    key = str(index_dir.resolve())
    me = threading.get_ident()
    with _held_lock:
        reentered = _held.get(key) == me
    if reentered:
        # The thread that holds it (an upload holds the lock around its file
        # and its index change): a second flock on another open file would
        # wait for ourselves.
        yield
        return
    fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"another writer is changing the index at {index_dir.name}; "
                        "wait for it to finish") from None
                time.sleep(0.05)
        # Who holds it, for an operator reading the file; the lock does not depend on it.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        with _held_lock:
            _held[key] = me
        try:
            yield
        finally:
            with _held_lock:
                del _held[key]
    finally:
        os.close(fd)  # releases the lock
