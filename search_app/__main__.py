"""Serve the search app with waitress, the production WSGI server.

    python -m search_app --index var/index --host 127.0.0.1 --port 8000
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os

import click
import waitress
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

import analyzers
import corpus
from search_app import create_app
from search_app.errors import code_for


#: glibc's mallopt parameter for the number of heap arenas.
_M_ARENA_MAX = -8


def limit_heap_arenas(count: int = 2) -> None:
    """Let the worker threads share ``count`` glibc heap arenas.

    glibc gives threads arenas of their own (up to 8 per core) and keeps what
    is freed in each: with 8 threads allocating request-sized numpy arrays,
    that is ~80 MB more resident memory at 50,000 directives for the same
    throughput (bench/http_load.py). A no-op where libc is not glibc.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_ARENA_MAX, count)
    except (OSError, AttributeError):
        pass


@click.command()
@click.option("--index", "index_dir", default="var/index", show_default=True,
              type=click.Path(file_okay=False), help="Index directory built by python -m indexer.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
def main(index_dir, host, port, threads):
    """Serve the directive search on http://HOST:PORT."""
    os.environ["VBSEARCH_INDEX_DIR"] = index_dir  # the option wins over the environment
    limit_heap_arenas()  # before any thread starts
    app = create_app()
    # underthesea's first call is not thread-safe: load it before any request thread.
    analyzers.warm_up()
    handle = app.extensions["index_handle"]
    problem = handle.warm()
    if problem and handle.status()["generation"]:
        click.echo(f"warning: {problem}; serving the older generation {handle.status()['generation']}", err=True)
    elif problem:
        click.echo(f"warning: {problem}; pages answer 503 until it is built", err=True)
    server = create_server(app, host=host, port=port, threads=threads)
    disabled = corpus.disabled_formats()
    if disabled:
        click.echo(f"note: formats disabled on this machine (builds and uploads report such files): "
                   f"{'; '.join(disabled)}", err=True)
    click.echo(f"Serving {index_dir} on http://{host}:{port}/")
    server.run()


class JsonErrorTask(ErrorTask):
    """Waitress's own refusals (a body over the limit, a malformed request) in the API's error body."""

    def execute(self):
        error = self.request.error
        limit = self.channel.server.adj.max_request_body_size
        if error.code == 413:
            message = f"the body is larger than the {limit} bytes accepted"
            message_vi = f"Dữ liệu gửi lên vượt quá giới hạn {limit} byte."
        else:
            message = f"{error.reason}: {error.body}"
            message_vi = "Yêu cầu HTTP không hợp lệ."
        body = json.dumps({"ok": False, "error": message, "status": error.code,
                           "code": code_for(error.code), "message": message_vi},
                          ensure_ascii=False).encode("utf-8")
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend([("Content-Type", "application/json"), ("Connection", "close")])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class Channel(HTTPChannel):
    error_task_class = JsonErrorTask


def create_server(app, *, host: str, port: int, threads: int):
    """Waitress for ``app``: bodies over the app's MAX_CONTENT_LENGTH refused by their
    declared size before they are read or spooled; poll() instead of select(),
    which fails outright once a descriptor number passes 1024."""
    limit = app.config.get("MAX_CONTENT_LENGTH")
    options = {"max_request_body_size": limit} if limit else {}
    server = waitress.create_server(app, host=host, port=port, threads=threads, ident="vbsearch",
                                    asyncore_use_poll=True, **options)
    server.channel_class = Channel
    return server


if __name__ == "__main__":
    main()
