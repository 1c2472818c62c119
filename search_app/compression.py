"""gzip for the text responses when the client accepts it (Flask-Compress).

Result pages, JSON, feeds and the CSV / JSON Lines exports shrink several
times; XLSX is a zip already and static files are streamed, so both go as
they are. A compressed body's ETag gets a ":gzip" suffix, so caches never mix
the two bodies, and If-None-Match still answers 304.

    compression.init_app(app)   # before the after_request hook that sets ETags
"""

from __future__ import annotations

from flask_compress import Compress

#: What this app sends as text (Flask-Compress's own default list is about other apps' types).
MIMETYPES = [
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
    "application/atom+xml", "application/opensearchdescription+xml", "image/svg+xml",
    "text/csv", "application/x-ndjson",
]


def init_app(app) -> None:
    # gzip only: every client and proxy speaks it, and brotli or zstd would
    # save little more on pages this size. Streamed responses (static files)
    # stay as they are.
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    Compress(app)
