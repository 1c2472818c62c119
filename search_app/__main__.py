"""Serve the search app with waitress, the production WSGI server.

    python -m search_app --index var/index --host 127.0.0.1 --port 8000
"""

from __future__ import annotations

import os

import click
import waitress

import analyzers
from search_app import create_app


@click.command()
@click.option("--index", "index_dir", default="var/index", show_default=True,
              type=click.Path(file_okay=False), help="Index directory built by python -m indexer.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
def main(index_dir, host, port, threads):
    """Serve the directive search on http://HOST:PORT."""
    os.environ["VBSEARCH_INDEX_DIR"] = index_dir  # the option wins over the environment
    app = create_app()
    # underthesea's first call is not thread-safe: load it before any request thread.
    analyzers.warm_up()
    problem = app.extensions["index_handle"].warm()
    if problem:
        click.echo(f"warning: {problem}; pages answer 503 until it is built", err=True)
    click.echo(f"Serving {index_dir} on http://{host}:{port}/")
    waitress.serve(app, host=host, port=port, threads=threads, ident="vbsearch")


if __name__ == "__main__":
    main()
