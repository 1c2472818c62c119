"""The audit log of changes made over HTTP: who, what, when, and the generation it made.

One JSON object per line in AUDIT_LOG (default: ``audit.log`` beside the index
directory, i.e. ``var/audit.log``), appended for every upload and removal and
for every refused attempt (wrong token, too large, locked). Who is the
caller's address and a short fingerprint of the token it presented, never the
token itself; an operator reads the file with any JSON-lines tool:

    tail -n 20 var/audit.log | jq .
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path

from flask import g, request

_lock = threading.Lock()


def token_id(token: str | None) -> str | None:
    """A fingerprint that tells tokens apart in the log without revealing them."""
    if not token:
        return None
    return "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:12]


def log_path(app) -> Path:
    configured = app.config.get("AUDIT_LOG")
    return Path(configured) if configured else Path(app.config["INDEX_DIR"]).resolve().parent / "audit.log"


def record(app, response) -> None:
    """Append this admin request and its outcome to the audit log."""
    change = g.get("audit") or {}
    entry = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "remote": request.remote_addr,
        "token": g.get("admin"),
        "method": request.method,
        "path": request.path,
        "filename": request.args.get("filename"),
        "status": response.status_code,
        **change,
    }
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    path = log_path(app)
    try:
        with _lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(line)
    except OSError as exc:
        # The change itself is done (or refused); a log that cannot be written
        # must not turn it into an error, but the operator must hear of it.
        app.logger.error("cannot write the audit log %s: %s; entry: %s", path, exc, line.strip())
