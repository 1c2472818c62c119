"""Backups of an index: a consistent copy of the served generation and the uploads, and its restore.

``snapshot`` holds the writer lock while it copies, so no build or upload
changes what it copies; the copy is checked against the generation's manifest
before it is declared good. ``restore`` checks the copy again, brings it in as
a new generation of the target index (an empty directory is fine) with its
uploads, and switches CURRENT to it; the generations already there are kept.

    python -m indexer snapshot --index var/index backups/2026-12-01
    python -m indexer restore backups/2026-12-01 --index var/index
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from indexer import integrity, layout

SNAPSHOT_INFO = "snapshot.json"


def snapshot(index_dir, out) -> dict:
    """Copy the served generation and the uploads of ``index_dir`` into the new directory ``out``."""
    index_dir, out = Path(index_dir), Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty; give a new directory")
    with layout.writer_lock(index_dir, wait=60):
        current = layout.current_generation(index_dir)
        if current is None:
            raise layout.IndexMissing(f"no index at {index_dir} to back up")
        manifest = layout.check_compatible(index_dir, current)
        integrity.verify(current, manifest, index_dir)
        out.mkdir(parents=True, exist_ok=True)
        shutil.copytree(current, out / "generation", ignore=_sqlite_side_files)
        uploads = layout.uploads_dir(index_dir, manifest)
        copied_uploads = 0
        if uploads.is_dir():
            shutil.copytree(uploads, out / layout.UPLOADS, ignore=shutil.ignore_patterns(".upload-*"))
            copied_uploads = sum(1 for p in (out / layout.UPLOADS).rglob("*") if p.is_file())
    integrity.verify(out / "generation", manifest)
    info = {"generation": current.name, "directives": manifest.get("directives"),
            "schema_version": manifest.get("schema_version"), "built_at": manifest.get("built_at"),
            "uploads": copied_uploads}
    (out / SNAPSHOT_INFO).write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


def restore(snapshot_dir, index_dir, uploads=None) -> dict:
    """Serve the generation saved in ``snapshot_dir`` from ``index_dir``, with its uploads
    put back into ``uploads`` (default: beside the index directory)."""
    snapshot_dir, index_dir = Path(snapshot_dir), Path(index_dir)
    saved = snapshot_dir / "generation"
    try:
        info = json.loads((snapshot_dir / SNAPSHOT_INFO).read_text(encoding="utf-8"))
        manifest = layout.read_manifest(saved)
    except (OSError, ValueError) as exc:
        raise layout.IndexMissing(f"{snapshot_dir} is not a complete snapshot ({exc})") from exc
    layout.check_compatible(snapshot_dir, saved)
    integrity.verify(saved, manifest, snapshot_dir)
    uploads = Path(uploads) if uploads is not None else layout.uploads_dir(index_dir)
    with layout.writer_lock(index_dir, wait=60):
        layout.remove_leftovers(index_dir)
        tmp = layout.new_generation_dir(index_dir)
        try:
            tmp.rmdir()
            shutil.copytree(saved, tmp)
            if (snapshot_dir / layout.UPLOADS).is_dir():
                shutil.copytree(snapshot_dir / layout.UPLOADS, uploads, dirs_exist_ok=True)
            # The uploads may now live elsewhere than where they were saved from.
            manifest = {**manifest, layout.UPLOADS: str(uploads.resolve()), "restored_from": info}
            (tmp / layout.MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            integrity.verify(tmp, manifest, index_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        final = layout.publish(index_dir, tmp)
    return {**info, "generation": final.name, "restored_from": info["generation"]}


def _sqlite_side_files(directory, names):
    return [n for n in names if n.endswith(("-wal", "-shm", "-journal"))]
