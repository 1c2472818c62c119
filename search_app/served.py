"""The snapshot a request reads: taken once per request, given back when it ends.

flaskr's ``get_db`` pattern: the first call in a request takes the current
snapshot from the app's IndexHandle and keeps it in ``g``; the app context's
teardown gives it back, so a replaced generation closes its files as soon as
the last request reading it has answered.

    snap = served.snapshot()
"""

from __future__ import annotations

from flask import current_app, g


def handle():
    return current_app.extensions["index_handle"]


def snapshot():
    """This request's snapshot of the index (the same one for the whole request)."""
    if "snapshot" not in g:
        g.snapshot = handle().acquire()
    return g.snapshot


def forget() -> None:
    """Give back this request's snapshot now (after it changed the index)."""
    snap = g.pop("snapshot", None)
    if snap is not None:
        handle().release(snap)


def init_app(app) -> None:
    app.teardown_appcontext(lambda exc: forget())
