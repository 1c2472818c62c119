"""The only endpoints that change the index: upload a document, remove a directive.

Read-only by default: without a configured ADMIN_TOKEN (VBSEARCH_ADMIN_TOKEN)
both refuse every request (401 without credentials, 403 with any). With one, a
request must carry ``Authorization: Bearer <token>``; the comparison takes the
same time whether the first or the last byte differs, so the token cannot be
guessed byte by byte from response times. The token is checked before the
body is read, and a body over MAX_CONTENT_LENGTH is refused by its declared
length (413) before it is read.

Each change holds the index's writer lock from the file it writes in
UPLOAD_DIR (default: ``uploads`` next to the index directory) to the new
generation it publishes, so concurrent changes happen one after another, each
built on the one before; a 201 means the directive is in the generation being
served. Uploads are indexed under the source ``uploads/<name>`` and every
later build keeps them. Every change, and every refused attempt, is a line in
the audit log (search_app.audit).

    curl -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/plain" \\
         --data-binary @ke-hoach-12.txt "http://127.0.0.1:8000/api/v1/documents?filename=ke-hoach-12.txt"
    curl -X DELETE -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/v1/documents/12-kh-ubnd-2024
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hmac
import os
import re
import tempfile
from pathlib import Path

from flask import Blueprint, current_app, g, jsonify, request, url_for

import corpus
import indexer
from indexer import layout
from indexer.build import uploaded_file
from indexer.store import DirectiveStore
from search_app import audit, served
from search_app.errors import ApiError

bp = Blueprint("admin", __name__, url_prefix="/api/v1")

# A plain file name: letters (Vietnamese too), digits, dot, dash, underscore; no path.
_FILENAME = re.compile(r"[^\W][\w.\-]{0,150}")
#: File systems limit a name to 255 bytes; 140 × "á" is 140 characters and 280 bytes.
MAX_FILENAME_BYTES = 255
UPLOAD_SUFFIXES = corpus.SUPPORTED_SUFFIXES
#: Seconds a change waits for another writer (a build, another upload) before 503.
LOCK_WAIT_S = 60

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
        g.admin = audit.token_id(given)
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if limit is not None and (request.content_length or 0) > limit:
            raise ApiError(f"the body is {request.content_length} bytes; at most {limit} bytes are accepted",
                           status=413, message_vi=f"Tệp gửi lên có {request.content_length} byte; "
                                                  f"tối đa {limit} byte.")
        return view(*args, **kwargs)
    return guarded


@bp.after_request
def log_change(response):
    if request.endpoint in ("admin.upload", "admin.remove"):
        audit.record(current_app, response)
    return response


def _write_problem(exc: BaseException) -> ApiError | None:
    """An ApiError for a disk that is full or read-only, found anywhere in the exception chain.

    Whoosh reports a failed write as "writer is closed" and keeps the OSError as
    the cause; the client should hear the cause.
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError):
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                return ApiError("no space left on the disk of the index or the uploads; "
                                "nothing was changed", status=507,
                                message_vi="Ổ đĩa của chỉ mục hoặc thư mục tải lên đã đầy; không có gì thay đổi.")
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                return ApiError("the index or uploads directory is not writable; nothing was changed",
                                status=503, code="index_read_only",
                                message_vi="Không ghi được vào thư mục chỉ mục hoặc thư mục tải lên; "
                                           "không có gì thay đổi.")
        exc = exc.__cause__ or exc.__context__
    return None


@contextlib.contextmanager
def _change():
    """Hold the writer lock for one change; lock timeouts and disk problems become clear errors."""
    try:
        with layout.writer_lock(Path(current_app.config["INDEX_DIR"]), wait=LOCK_WAIT_S):
            yield
    except indexer.IndexLocked:
        raise ApiError("another change of the index is in progress; try again in a minute",
                       status=503, headers={"Retry-After": "60"}, code="index_busy",
                       message_vi="Đang có một thay đổi khác trên chỉ mục; vui lòng thử lại sau một phút.") from None
    except (ApiError, indexer.IndexProblem):
        raise
    except Exception as exc:
        problem = _write_problem(exc)
        if problem is None:
            raise
        current_app.logger.error("index change failed: %r", exc)
        raise problem from None


def _body() -> bytes:
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        upload_file = request.files.get("file")
        if upload_file is None:
            raise ApiError("send the document as the request body (Content-Type: text/plain or the "
                           "file's own type), or as a multipart/form-data field named 'file'", status=400,
                           message_vi="Hãy gửi văn bản làm nội dung yêu cầu, hoặc trong trường "
                                      "multipart/form-data tên là 'file'.")
        return upload_file.read()
    return request.get_data(cache=False)


@bp.post("/documents")
@admin_only
def upload():
    filename = request.args.get("filename", "")
    if (not _FILENAME.fullmatch(filename) or len(filename.encode("utf-8")) > MAX_FILENAME_BYTES
            or Path(filename).suffix.lower() not in UPLOAD_SUFFIXES):
        raise ApiError(f"filename must be a plain file name of at most {MAX_FILENAME_BYTES} bytes "
                       f"ending in {', '.join(UPLOAD_SUFFIXES)}", status=400,
                       message_vi=f"Tên tệp phải là tên đơn giản, tối đa {MAX_FILENAME_BYTES} byte, "
                                  f"có đuôi {', '.join(UPLOAD_SUFFIXES)}.")
    data = _body()
    folder = upload_dir()
    source = f"{folder.name}/{filename}"
    # Parse before anything is written: a bad file changes nothing.
    try:
        directive = corpus.parse_bytes(data, source, Path(filename).suffix.lower())
    except corpus.ParseError as exc:
        raise ApiError(f"{filename}: {exc.reason}", status=400) from None

    index_dir = current_app.config["INDEX_DIR"]
    with _change():
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / filename
        previous = target.read_bytes() if target.exists() else None
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            tmp = None
            report = indexer.add_files(index_dir, [target], uploads=folder)
            if report.failures:  # parsed above, so only an I/O problem gets here
                raise ApiError("the document could not be indexed: "
                               + "; ".join(skipped.reason for skipped in report.failures), status=500)
        except BaseException:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            _restore(target, previous)
            raise
        doc_id = _id_of_source(index_dir, source) or directive.id
    _refresh_served_index(report.generation)
    g.audit = {"action": "upload", "id": doc_id, "source": source, "generation": report.generation}
    body = {"ok": True, "id": doc_id, "source": source,
            "url": url_for("views.document_page", doc_id=doc_id),
            "api_url": url_for("api.document", doc_id=doc_id),
            "replaced": previous is not None, "warnings": [*directive.warnings, *report.warnings],
            "generation": report.generation, "directives": report.total}
    return jsonify(body), 201


def _restore(target: Path, previous: bytes | None) -> None:
    with contextlib.suppress(OSError):
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(previous)


def _id_of_source(index_dir, source: str) -> str | None:
    """The id the indexer gave the upload (a number already taken gets a suffix)."""
    generation = indexer.current_generation(Path(index_dir))
    store = DirectiveStore(generation / layout.STORE, readonly=True)
    try:
        found = store.sources().get(source)
    finally:
        store.close()
    return found[0] if found else None


def _refresh_served_index(generation: str | None) -> None:
    """Serve the new generation before answering: the client may search for the document next."""
    served.forget()  # this request's snapshot is the old one
    snap = served.snapshot()
    if generation is not None and snap.generation.path.name < generation:
        raise ApiError("the index was changed but the server could not open the new generation; "
                       "see the server log", status=503)


@bp.delete("/documents/<doc_id>")
@admin_only
def remove(doc_id):
    index_dir = current_app.config["INDEX_DIR"]
    with _change():
        # Looked up under the lock, in the generation being written over, not
        # in this request's snapshot: a change may have landed since it was taken.
        generation = indexer.current_generation(Path(index_dir))
        directive = None
        if generation is not None:
            store = DirectiveStore(generation / layout.STORE, readonly=True)
            try:
                directive = store.get(doc_id)
            finally:
                store.close()
        if directive is None:
            raise ApiError(f"no directive with id {doc_id}", status=404)
        source = directive.get("source") or ""
        upload = uploaded_file(upload_dir(), source)
        removed, _ = indexer.remove_ids(index_dir, [doc_id], uploads=upload_dir())
    new_generation = indexer.current_generation(Path(index_dir))
    _refresh_served_index(new_generation.name if new_generation else None)
    g.audit = {"action": "delete", "id": doc_id, "source": source,
               "generation": new_generation.name if new_generation else None}
    # An upload would come back with the next build, so its file went with it;
    # a corpus file is the corpus owner's to delete, and the answer says so.
    return jsonify({"ok": True, "id": doc_id, "removed": bool(removed), "source": source,
                    "upload_deleted": upload is not None,
                    "note": None if upload is not None else
                    "the corpus file is still there: remove it too, or the next build indexes it again"})
