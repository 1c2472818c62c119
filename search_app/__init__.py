"""The web app: search pages for staff, stable document links, a versioned JSON API.

create_app() is the application factory; the index directory comes from the
config key INDEX_DIR or the environment variable VBSEARCH_INDEX_DIR.

    app = create_app({"INDEX_DIR": "var/index"})
"""

from __future__ import annotations

from flask import Flask

import corpus


def create_app(test_config: dict | None = None) -> Flask:
    """Create the search app."""
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR="var/index",
        PER_PAGE=20,
        MAX_PER_PAGE=100,
        CORS_ORIGINS=[],  # origins allowed to call the JSON API from a browser
        ADMIN_TOKEN=None,  # without one, nothing can change the index over HTTP (search_app/admin.py)
        UPLOAD_DIR=None,  # where admin uploads are kept; default: "uploads" next to INDEX_DIR
        AUDIT_LOG=None,  # admin changes, one JSON line each; default: "audit.log" next to INDEX_DIR
        # Request bodies above the parser's limit for the biggest format (Word
        # and PDF files; plus room for a multipart envelope) are refused by
        # their declared length before they are read (413). Flask defines the
        # key as None (no limit), so it is set here, not with setdefault.
        MAX_CONTENT_LENGTH=corpus.MAX_UPLOAD_BYTES + 2**20,
        # Posting lists kept in memory per index (searcher.postings): those
        # decoded from Whoosh's blocks and derived title lists; the long lists
        # are memory-mapped from the index's copies and not counted here.
        POSTINGS_CACHE_MB=64,
        # Searches evaluated at once (search_app/served.py); None: the cores this process may use.
        SEARCH_CONCURRENCY=None,
    )
    if test_config is None:
        app.config.from_prefixed_env("VBSEARCH")  # VBSEARCH_INDEX_DIR=...
    else:
        app.config.update(test_config)
    if isinstance(app.config["CORS_ORIGINS"], str):
        app.config["CORS_ORIGINS"] = [o.strip() for o in app.config["CORS_ORIGINS"].split(",") if o.strip()]
    if app.config["MAX_CONTENT_LENGTH"] is not None:
        app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_CONTENT_LENGTH"])
    if app.config["ADMIN_TOKEN"] is not None:
        # from_prefixed_env reads "12345" as a number; a token is text.
        app.config["ADMIN_TOKEN"] = str(app.config["ADMIN_TOKEN"])
    app.json.ensure_ascii = False  # readable Vietnamese in JSON
    app.json.sort_keys = False

    from search_app import admin, api, compression, errors, feeds, originals, permalinks, served, views
    from searcher.handle import IndexHandle

    cache_mb = int(app.config["POSTINGS_CACHE_MB"])  # from the environment it may come as text
    app.extensions["index_handle"] = IndexHandle(app.config["INDEX_DIR"], cache_bytes=cache_mb * 2**20)
    errors.init_app(app)
    served.init_app(app)
    # Before views.init_app: hooks run in reverse, so the body is compressed
    # after its ETag is set, and the ETag then marks the compressed variant.
    compression.init_app(app)
    views.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(originals.bp)
    app.register_blueprint(permalinks.bp)
    return app
