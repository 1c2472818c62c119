"""One error body everywhere: JSON under /api/, a Vietnamese page elsewhere.

Views raise ApiError(message, status); missing or incompatible indexes become
503 with the command that fixes them; 404/405 under /api/ answer JSON too.

    raise ApiError("page must be a positive integer", status=400)
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

import indexer
from search_app.search import InvalidParameter

#: Vietnamese headings for the HTML error page.
MESSAGES_VI = {
    400: "Yêu cầu không hợp lệ",
    404: "Không tìm thấy trang hoặc văn bản",
    405: "Phương thức không được hỗ trợ",
    413: "Tệp gửi lên quá lớn",
    503: "Chưa có chỉ mục tìm kiếm",
    507: "Hết dung lượng lưu trữ",
}


class ApiError(Exception):
    def __init__(self, message: str, status: int = 400, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers = headers or {}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def public_message(message: str) -> str:
    """The message with the server's own directories named by their last part only:
    a client has no business knowing where the index lives."""
    return _without_server_paths(message)


def _without_server_paths(message: str) -> str:
    """The message with the server's own directories named by their last part only:
    a client has no business knowing where the index lives."""
    paths = set()
    for key in ("INDEX_DIR", "UPLOAD_DIR", "AUDIT_LOG"):
        value = current_app.config.get(key)
        if value:
            for path in (Path(value), Path(value).resolve()):
                paths.add((str(path), path.name))
                paths.add((str(path.parent), path.parent.name))
    paths.add((os.getcwd(), "."))
    for full, short in sorted(paths, key=lambda p: -len(p[0])):
        if len(full) > 1:
            message = message.replace(full, short)
    return message


def error_response(message: str, status: int):
    message = _without_server_paths(message)
    if _wants_json():
        response = jsonify({"ok": False, "error": message, "status": status})
        response.status_code = status
        return response
    html = render_template("error.html", status=status, heading=MESSAGES_VI.get(status, "Lỗi"),
                           message=message)
    return html, status


def init_app(app) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        response = app.make_response(error_response(exc.message, exc.status))
        response.headers.update(exc.headers)
        return response

    @app.errorhandler(InvalidParameter)
    def invalid_parameter(exc: InvalidParameter):
        return error_response(str(exc), 400)

    @app.errorhandler(indexer.IndexProblem)
    def no_index(exc: indexer.IndexProblem):
        return error_response(str(exc), 503)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        response = app.make_response(error_response(exc.description or exc.name, exc.code or 500))
        # Keep what the exception says in headers: a 405 must name the allowed methods (Allow).
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # A bug, not bad input: logged with its traceback, never shown to the client.
        app.logger.exception("unhandled error on %s", request.path)
        return error_response("internal error; the administrators have been notified in the log", 500)
