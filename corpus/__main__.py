"""Command line for the parser: print directives as JSON.

    python -m corpus parse corpus/samples/002_43a1c1c90911598f.txt   # one directive, indented
    python -m corpus parse corpus/samples                            # one JSON object per line
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from corpus.errors import ParseError
from corpus.files import iter_corpus, parse_file


@click.group()
def cli():
    """Parse Vietnamese administrative directives."""


@cli.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def parse(path: Path):
    """Print the directive in PATH as JSON, or one JSON line per file when PATH is a folder.

    Files that cannot be parsed, or are in no supported format, are reported on
    stderr as 'error: <path>: <reason> [<code>]'; the exit status is 1 when any file failed.
    """
    _utf8(sys.stdout)
    _utf8(sys.stderr)
    if path.is_file():
        try:
            directive = parse_file(path)
        except ParseError as exc:
            click.echo(f"error: {exc} [{exc.code}]", err=True)
            sys.exit(1)
        click.echo(json.dumps(directive.to_dict(), ensure_ascii=False, indent=2))
        return
    failed = 0
    for _, result in iter_corpus(path):
        if isinstance(result, ParseError):
            failed += 1
            click.echo(f"error: {result} [{result.code}]", err=True)
        else:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":")))
    if failed:
        sys.exit(1)


def _utf8(stream) -> None:
    # Vietnamese must come out as UTF-8 whatever the locale (Windows consoles, LANG=C in cron).
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8")


if __name__ == "__main__":
    cli()
