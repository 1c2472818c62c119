"""Checksums of the files a generation owns, written into its manifest and checked when it opens.

A generation's manifest lists every file of the generation with its size and
SHA-256. ``verify`` compares them before anything is read: a truncated store,
a zeroed column file or a posting copy changed in place makes the generation
refuse to open (IndexDamaged) instead of answering wrongly or crashing.

Whoosh's files are shared between generations by hard links and never
rewritten, so a file already hashed (same device, inode, size and mtime) is not
hashed again: in a build, files linked from the parent take the parent's
digests; in a server, a new generation after an upload costs the hashing of
its new files only.

    manifest["files"] = digests(tmp, parent=current)
    verify(generation, manifest)
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from indexer.layout import MANIFEST, IndexDamaged, rebuild_hint

_CHUNK = 1 << 20

# (device, inode, size, mtime_ns) -> sha256 of files hashed by this process.
_known: dict[tuple[int, int, int, int], str] = {}
_known_lock = threading.Lock()


def _key(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _sha256(path: Path, st: os.stat_result) -> str:
    key = _key(st)
    with _known_lock:
        known = _known.get(key)
    if known is not None:
        return known
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    value = digest.hexdigest()
    with _known_lock:
        _known[key] = value
    return value


def _owned_files(generation: Path):
    for path in sorted(generation.rglob("*")):
        if not path.is_file() or path.name == MANIFEST:
            continue
        # SQLite's side files come and go with connections; the store itself is
        # complete (committed and closed) before the manifest is written.
        if path.name.endswith(("-wal", "-shm", "-journal")):
            continue
        yield path


def digests(generation: Path, parent: Path | None = None, parent_files: dict | None = None) -> dict:
    """``{relative path: {"size", "sha256"}}`` for every file the generation owns.

    Files hard-linked from ``parent`` (whose manifest listed ``parent_files``)
    reuse its digests.
    """
    files = {}
    for path in _owned_files(generation):
        rel = path.relative_to(generation).as_posix()
        st = path.stat()
        inherited = (parent_files or {}).get(rel)
        if inherited and parent is not None:
            try:
                same = os.path.samestat(st, (parent / rel).stat())
            except OSError:
                same = False
            if same and inherited.get("size") == st.st_size:
                with _known_lock:
                    _known.setdefault(_key(st), inherited["sha256"])
                files[rel] = inherited
                continue
        files[rel] = {"size": st.st_size, "sha256": _sha256(path, st)}
    return files


def verify(generation: Path, manifest: dict, index_dir: Path | None = None) -> None:
    """Raise IndexDamaged naming the first file that is missing, resized or changed.

    Generations written before manifests listed their files have nothing to
    compare and pass.
    """
    files = manifest.get("files")
    if not files:
        return
    hint = rebuild_hint(index_dir if index_dir is not None else generation.parent)
    for rel, expected in files.items():
        path = generation / rel
        try:
            st = path.stat()
        except OSError:
            raise IndexDamaged(f"index generation {generation.name} is damaged: {rel} is missing; {hint}") from None
        if st.st_size != expected["size"]:
            raise IndexDamaged(f"index generation {generation.name} is damaged: {rel} has {st.st_size} "
                               f"bytes, {expected['size']} were written; {hint}")
        try:
            actual = _sha256(path, st)
        except OSError as exc:
            raise IndexDamaged(f"index generation {generation.name}: cannot read {rel} "
                               f"({exc.strerror or exc}); {hint}") from None
        if actual != expected["sha256"]:
            raise IndexDamaged(f"index generation {generation.name} is damaged: {rel} changed "
                               f"after it was written; {hint}")
