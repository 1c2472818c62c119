"""One error body everywhere: JSON under /api/, a Vietnamese page elsewhere.

Views raise ApiError(message, status); the machine ``code`` follows from the
status (CODES) unless one is given, and the Vietnamese ``message`` from the code
(MESSAGES_VI) unless one is given. Invalid parameters, a page past the last,
missing or incompatible indexes (503) and Werkzeug's own 404/405 get the same
treatment. JSON bodies are ``{"ok": false, "error": English, "status": n,
"code": "not_found", "message": Vietnamese}``; HTML pages show only the
Vietnamese, in the site's layout, with a link back to search. No body names an
absolute path on the server.

    raise ApiError("page must be a positive integer", status=400)
    raise ApiError("disk full; nothing was changed", status=507,
                   message_vi="Máy chủ hết dung lượng đĩa; chỉ mục không thay đổi.")
"""

from __future__ import annotations

import os
import re
from http import HTTPStatus
from pathlib import Path

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

import indexer
from searcher.search import InvalidParameter, PageOutOfRange

#: Machine code for each status when the raiser names none; clients switch on
#: these (keys of a public contract: added, never renamed).
CODES = {
    400: "invalid_parameter",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    500: "internal_error",
    503: "index_unavailable",
    507: "insufficient_storage",
}

#: Vietnamese heading of the HTML error page, by status.
HEADINGS_VI = {
    400: "Yêu cầu không hợp lệ",
    401: "Cần mã quản trị",
    403: "Không được phép",
    404: "Không tìm thấy trang hoặc văn bản",
    405: "Phương thức không được hỗ trợ",
    413: "Tệp gửi lên quá lớn",
    500: "Lỗi máy chủ",
    503: "Dịch vụ tạm thời chưa sẵn sàng",
    507: "Hết dung lượng lưu trữ",
}

#: The Vietnamese message for a code when the raiser gives none.
MESSAGES_VI = {
    "invalid_parameter": "Tham số của yêu cầu không hợp lệ.",
    "unauthorized": "Thiếu mã quản trị hoặc mã không đúng (Authorization: Bearer <mã>).",
    "forbidden": "Máy chủ này chỉ cho phép tra cứu, không cho phép thay đổi chỉ mục.",
    "not_found": "Không có trang hoặc văn bản nào ở địa chỉ này. Hãy kiểm tra lại đường dẫn hoặc tìm văn bản.",
    "page_out_of_range": "Trang này vượt quá số trang kết quả.",
    "method_not_allowed": "Địa chỉ này không nhận phương thức của yêu cầu.",
    "payload_too_large": "Dữ liệu gửi lên vượt quá giới hạn cho phép.",
    "internal_error": "Đã có lỗi trong máy chủ và lỗi đã được ghi vào nhật ký cho quản trị viên. "
                      "Vui lòng thử lại sau.",
    "index_unavailable": "Chỉ mục tìm kiếm chưa sẵn sàng. Vui lòng thử lại sau hoặc báo quản trị viên.",
    "insufficient_storage": "Máy chủ không đủ dung lượng lưu trữ; chỉ mục không thay đổi.",
}
GENERIC_VI = "Không thể xử lý yêu cầu."

#: What each kind of index problem means for the person who hit it, and the
#: administrator's fix ({index}: the index directory, without server paths).
INDEX_PROBLEMS_VI = {
    indexer.IndexMissing: "Chưa có chỉ mục tìm kiếm. Quản trị viên cần dựng chỉ mục: "
                          "python -m indexer build <thư mục văn bản> --index {index}",
    indexer.IndexIncompatible: "Chỉ mục được tạo bởi một phiên bản khác của chương trình. Quản trị viên "
                               "cần dựng lại: python -m indexer build <thư mục văn bản> --index {index} --full",
    indexer.IndexDamaged: "Chỉ mục bị hỏng. Quản trị viên cần khôi phục bản sao lưu hoặc dựng lại: "
                          "python -m indexer build <thư mục văn bản> --index {index} --full",
    indexer.IndexLocked: "Chỉ mục đang được cập nhật. Vui lòng thử lại sau một phút.",
}


def code_for(status: int) -> str:
    """The machine code of a status: CODES, else its HTTP reason in snake case."""
    if status in CODES:
        return CODES[status]
    try:
        return re.sub(r"\W+", "_", HTTPStatus(status).phrase.lower())
    except ValueError:
        return "error"


class ApiError(Exception):
    """An error a client can act on. ``code`` defaults from ``status``, ``message_vi`` from ``code``."""

    def __init__(self, message: str, status: int = 400, headers: dict | None = None, *,
                 code: str | None = None, message_vi: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers = headers or {}
        self.code = code or code_for(status)
        self.message_vi = message_vi or MESSAGES_VI.get(self.code, GENERIC_VI)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def public_message(message: str) -> str:
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


def error_response(error: ApiError):
    """The response for ``error``: JSON under /api/, the Vietnamese page elsewhere."""
    message = public_message(error.message)
    message_vi = public_message(error.message_vi)
    if _wants_json():
        response = jsonify({"ok": False, "error": message, "status": error.status,
                            "code": error.code, "message": message_vi})
        response.status_code = error.status
    else:
        html = render_template("error.html", status=error.status,
                               heading=HEADINGS_VI.get(error.status, "Lỗi"), message=message_vi)
        response = current_app.make_response((html, error.status))
    response.headers.update(error.headers)
    return response


def init_app(app) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return error_response(exc)

    @app.errorhandler(InvalidParameter)
    def invalid_parameter(exc: InvalidParameter):
        return error_response(ApiError(str(exc), 400, message_vi=exc.message_vi))

    @app.errorhandler(PageOutOfRange)
    def page_out_of_range(exc: PageOutOfRange):
        return error_response(ApiError(str(exc), 404, code="page_out_of_range", message_vi=exc.message_vi))

    @app.errorhandler(indexer.IndexProblem)
    def no_index(exc: indexer.IndexProblem):
        message_vi = next((text for kind, text in INDEX_PROBLEMS_VI.items() if isinstance(exc, kind)), None)
        if message_vi:
            message_vi = message_vi.format(index=app.config["INDEX_DIR"])  # paths shortened below
        return error_response(ApiError(str(exc), 503, message_vi=message_vi))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        # Keep what the exception says in headers: a 405 must name the allowed methods (Allow).
        headers = {name: value for name, value in exc.get_headers() if name.lower() != "content-type"}
        return error_response(ApiError(exc.description or exc.name, exc.code or 500, headers))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # A bug, not bad input: logged with its traceback, never shown to the client.
        app.logger.exception("unhandled error on %s", request.path)
        return error_response(ApiError("internal error; the administrators have been notified in the log", 500))
