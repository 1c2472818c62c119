"""The only endpoints that change the index: upload a document, remove a directive.

Read-only by default: without a configured ADMIN_TOKEN (VBSEARCH_ADMIN_TOKEN)
both refuse every request (401 without credentials, 403 with any). With one, a
request must carry ``Authorization: Bearer <token>``; the comparison takes the same time whether the first or the last
byte differs, so the token cannot be guessed byte by byte from response times.

Uploads are kept as files in UPLOAD_DIR (default: ``uploads`` next to the index
directory) and indexed under the source ``uploads/<name>``: build the index
from a corpus folder that contains that ``uploads`` folder and a full rebuild
keeps them.

    curl -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/plain" \\
         --data-binary @ke-hoach-12.txt "http://127.0.0.1:8000/api/v1/documents?filename=ke-hoach-12.txt"
    curl -X DELETE -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/v1/documents/12-kh-ubnd-2024
"""

from __future__ import annotations

import functools
import hmac
import os
import re
import tempfile
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request, url_for

import corpus
import indexer
from search_app.errors import ApiError

bp = Blueprint("admin", __name__, url_prefix="/api/v1")

# A plain file name: letters (Vietnamese too), digits, dot, dash, underscore; no path.
_FILENAME = re.compile(r"[^\W][\w.\-]{0,150}")
UPLOAD_SUFFIXES = corpus.SUPPORTED_SUFFIXES


READ_ONLY = "this server is read-only: set VBSEARCH_ADMIN_TOKEN to allow changes"


def upload_dir() -> Path:
    configured = current_app.config.get("UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.config["INDEX_DIR"]).resolve().parent / "uploads"


def token_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a presented token with the configured one."""
    return given is not None and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def admin_only(view):
    @functools.wraps(view)
    def guarded(*args, **kwargs):
        expected = current_app.config.get("ADMIN_TOKEN")
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        given = given.strip() if scheme.lower() == "bearer" else ""
        if given and not expected:
            raise ApiError(READ_ONLY, status=403)
        if not token_matches(given or None, expected or ""):
            message = "missing or wrong admin token (Authorization: Bearer <token>)"
            raise ApiError(message if expected else f"{message}; {READ_ONLY}", status=401,
                           headers={"WWW-Authenticate": 'Bearer realm="vbsearch admin"'})
        return view(*args, **kwargs)
    return guarded


def _refresh_served_index() -> None:
    current_app.extensions["index_handle"].snapshot()


@bp.post("/documents")
@admin_only
def upload():
    filename = request.args.get("filename", "")
    if not _FILENAME.fullmatch(filename) or Path(filename).suffix.lower() not in UPLOAD_SUFFIXES:
        raise ApiError(f"filename must be a plain file name ending in {', '.join(UPLOAD_SUFFIXES)}", status=400)
    upload_file = request.files.get("file")
    data = upload_file.read() if upload_file else request.get_data(cache=False)
    folder = upload_dir()
    source = f"{folder.name}/{filename}"
    # Parse before anything is written: a bad file changes nothing.
    try:
        directive = corpus.parse_bytes(data, source, Path(filename).suffix.lower())
    except corpus.ParseError as exc:
        raise ApiError(f"{filename}: {exc.reason}", status=400) from None

    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    target = folder / filename
    previous = target.read_bytes() if target.exists() else None
    os.replace(tmp, target)
    try:
        report = indexer.add_files(current_app.config["INDEX_DIR"], [target], corpus_root=folder.parent)
    except indexer.IndexLocked as exc:
        _restore(target, previous)
        raise ApiError(f"{exc}; try again in a minute", status=503) from None
    except BaseException:
        _restore(target, previous)
        raise
    if report.failures:  # parsed above, so only an I/O problem gets here
        _restore(target, previous)
        raise ApiError("; ".join(f"{path}: {reason}" for path, reason in report.failures), status=500)
    _refresh_served_index()
    doc_id = _id_of_source(source) or directive.id
    body = {"ok": True, "id": doc_id, "source": source,
            "url": url_for("views.document_page", doc_id=doc_id),
            "api_url": url_for("api.document", doc_id=doc_id),
            "replaced": previous is not None, "warnings": [*directive.warnings, *report.warnings],
            "generation": report.generation, "directives": report.total}
    return jsonify(body), 201


def _restore(target: Path, previous: bytes | None) -> None:
    if previous is None:
        target.unlink(missing_ok=True)
    else:
        target.write_bytes(previous)


def _id_of_source(source: str) -> str | None:
    """The id the indexer gave the upload (a number already taken gets a suffix)."""
    snap = current_app.extensions["index_handle"].snapshot()
    found = snap.store.sources().get(source)
    return found[0] if found else None


@bp.delete("/documents/<doc_id>")
@admin_only
def remove(doc_id):
    snap = current_app.extensions["index_handle"].snapshot()
    directive = snap.store.get(doc_id)
    if directive is None:
        raise ApiError(f"no directive with id {doc_id}", status=404)
    try:
        removed, _ = indexer.remove_ids(current_app.config["INDEX_DIR"], [doc_id])
    except indexer.IndexLocked as exc:
        raise ApiError(f"{exc}; try again in a minute", status=503) from None
    # An upload would come back with the next build; a corpus file is the
    # corpus owner's to delete, and the answer says so.
    folder = upload_dir()
    source = directive.get("source") or ""
    upload = folder / source.split("/", 1)[1] if source.startswith(folder.name + "/") else None
    if upload is not None and upload.is_file():
        upload.unlink()
    _refresh_served_index()
    return jsonify({"ok": True, "id": doc_id, "removed": bool(removed), "source": source,
                    "upload_deleted": upload is not None,
                    "note": None if upload is not None else
                    "the corpus file is still there: remove it too, or the next build indexes it again"})
