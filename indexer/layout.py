"""Where an index lives on disk: generations, the CURRENT pointer and the writer lock.

An index directory holds complete generations side by side; ``CURRENT`` names
the one being served and is replaced atomically (``os.replace``) once a new
generation is complete and has answered a smoke query. A build that dies
leaves a ``*.tmp`` directory that the next build removes, and the old
generation keeps serving. One writer at a time holds ``LOCK`` (its PID); a lock
left by a dead process is taken over.

    with writer_lock(index_dir): ...
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import time
from pathlib import Path

from indexer.schema import SCHEMA_VERSION

CURRENT = "CURRENT"
LOCK = "LOCK"
MANIFEST = "manifest.json"
DOCS = "docs"
SECTIONS = "sections"
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


def rebuild_hint(index_dir: Path) -> str:
    return f"run: python -m indexer build CORPUS_DIR --index {index_dir} --full"


def current_generation(index_dir: Path) -> Path | None:
    """The generation being served, or None when nothing was ever built."""
    try:
        name = (Path(index_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    generation = Path(index_dir) / name
    return generation if generation.is_dir() else None


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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM
    return True


@contextlib.contextmanager
def writer_lock(index_dir: Path, wait: float = 0.0):
    """Hold the index's single-writer lock; a stale lock (dead PID) is taken over.

    ``wait`` seconds are spent retrying while another live writer holds it.
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                holder = int(path.read_text().strip() or "0")
            except (OSError, ValueError):
                holder = 0
            if holder and _pid_alive(holder):
                if time.monotonic() < deadline:
                    time.sleep(0.1)
                    continue
                raise IndexLocked(
                    f"another indexer (pid {holder}) is writing {index_dir}; wait for it to finish"
                ) from None
            # Stale: its writer died without releasing it.
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        break
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
