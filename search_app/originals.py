"""The file a directive was read from, offered for download ("Tải văn bản gốc (.docx, 48 KB)").

The file is looked up under the two folders the served generation's manifest
records: the corpus it was built from ("corpus") and the uploads folder
("uploads"). A source that would resolve outside them, a file that is gone,
or one that changed since it was indexed (its hash differs) is not served.
Directives from a JSONL file have no file of their own.

    original = find(snap, directive)   # Original(path, name, size, …) or None
    GET /documents/655-kh-pgddt-2021/original
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask import Blueprint, send_file

import corpus
from corpus.decode import decode_bytes
from corpus.formats import reader_for
from indexer import layout
from search_app import permalinks, served
from search_app.errors import ApiError

bp = Blueprint("originals", __name__)


@dataclass
class Original:
    path: Path
    name: str  # the file's own name, as downloaded
    suffix: str  # ".docx"
    size: int
    media_type: str

    @property
    def label(self) -> str:
        """'Tải văn bản gốc (.docx, 48 KB)'."""
        return f"Tải văn bản gốc ({self.suffix}, {human_size(self.size)})"


def human_size(size: int) -> str:
    """'850 B', '48 KB', '1,2 MB' (a decimal comma, as Vietnamese writes it)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def _roots(manifest: dict) -> list[Path]:
    """The folders originals may come from: the corpus folder (a JSONL corpus's folder) and the uploads folder."""
    roots = []
    recorded = manifest.get("corpus")
    if recorded:
        root = Path(recorded)
        roots.append(root.parent if root.suffix.lower() in corpus.RECORD_SUFFIXES else root)
    if manifest.get(layout.UPLOADS):
        roots.append(Path(manifest[layout.UPLOADS]))
    return roots


def _candidates(source: str, manifest: dict) -> list[tuple[Path, Path]]:
    """(root, path) pairs the source may name: relative to the corpus folder, or "uploads/<name>"."""
    out = []
    for root in _roots(manifest):
        out.append((root, root / source))
        # Uploads are named after their folder ("uploads/x.docx"), relative to its parent.
        parts = PurePosixPath(source).parts
        if len(parts) > 1 and parts[0] == root.name:
            out.append((root, root.joinpath(*parts[1:])))
    return out


def find(snap, directive: dict) -> Original | None:
    """The original file of ``directive`` when it is still where the index found it."""
    source = directive.get("source") or ""
    if not source or "#" in source:  # a JSONL record: its file holds many directives
        return None
    fmt = reader_for(PurePosixPath(source).suffix)
    if fmt is None:
        return None
    for root, path in _candidates(source, snap.generation.manifest):
        try:
            resolved, base = path.resolve(), root.resolve()
        except OSError:
            continue
        # A source naming "../" or an absolute path never leaves the corpus or uploads folder.
        if not resolved.is_relative_to(base) or not resolved.is_file():
            continue
        return Original(resolved, resolved.name, PurePosixPath(source).suffix.lower(), resolved.stat().st_size,
                        fmt.media_type)
    return None


def _not_found(doc_id: str) -> ApiError:
    return ApiError(f"the original file of {doc_id} is not available", status=404,
                    message_vi="Không còn tệp gốc của văn bản này (tệp đã bị xóa, đổi tên hoặc sửa sau "
                               "khi lập chỉ mục).")


@bp.get("/documents/<doc_id>/original")
def download(doc_id):
    snap = served.snapshot()
    directive = snap.store.get(doc_id)
    if directive is None:
        return permalinks.redirect_or_404(doc_id, "originals.download")
    original = find(snap, directive)
    if original is None:
        raise _not_found(doc_id)
    data = original.path.read_bytes()
    # A file edited since it was indexed is not the directive this page shows.
    if "sha256:" + hashlib.sha256(data).hexdigest() != snap.store.file_hash(doc_id):
        raise _not_found(doc_id)
    # Always an attachment: a corpus .html file must never run as a page of this site.
    # Werkzeug writes filename*=UTF-8''… (RFC 6266) for a Vietnamese name, with an ASCII fallback.
    response = send_file(io.BytesIO(data), mimetype=original.media_type, as_attachment=True,
                         download_name=original.name, etag=False, max_age=60)
    if original.media_type.startswith("text/"):
        # The file's own encoding (a .txt may be Windows-1258), not the UTF-8 Flask assumes.
        encoding = decode_bytes(data)[1]
        response.headers["Content-Type"] = (f"{original.media_type}; charset="
                                            f"{'utf-8' if encoding == 'utf-8-sig' else encoding}")
    return response
