"""Command line of the indexer: build, stats, add, remove, snapshot, restore.

    python -m indexer build corpus/samples --index var/index [--workers 4]
    python -m indexer stats --index var/index
    python -m indexer add new.txt --index var/index
    python -m indexer remove 655-kh-pgddt-2021 --index var/index
    python -m indexer snapshot --index var/index backups/2026-12-01
    python -m indexer restore backups/2026-12-01 --index var/index
"""

from __future__ import annotations

import json
import sys

import click

from indexer import backup
from indexer.build import Progress, add_files, build_index, index_stats, remove_ids
from indexer.layout import IndexProblem

DEFAULT_INDEX = "var/index"
index_option = click.option("--index", "index_dir", default=DEFAULT_INDEX, show_default=True,
                            type=click.Path(file_okay=False), help="Index directory.")


def _terminal_progress():
    """A one-line progress display, redrawn in place; nothing when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None
    last = [0.0]

    def show(p: Progress) -> None:
        if p.elapsed - last[0] < 0.2 and p.files_done != p.files_total:
            return
        last[0] = p.elapsed
        rate = p.files_done / p.elapsed if p.elapsed else 0.0
        sys.stderr.write(
            f"\r{p.files_done}/{p.files_total} files · {p.directives} directives · "
            f"{p.sections} sections · {p.elapsed:.1f} s · {rate:.1f} files/s\x1b[K")
        if p.files_done == p.files_total:
            sys.stderr.write("\n")
        sys.stderr.flush()
    return show


def _report_problems(report) -> None:
    for skipped in report.failures:
        click.echo(f"error: {skipped.path}: {skipped.reason} [{skipped.code}]", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)


@click.group()
def cli():
    """Index Vietnamese directives for search."""


@cli.command()
@click.argument("corpus_dir", type=click.Path(exists=True))
@index_option
@click.option("--full", is_flag=True, help="Rebuild everything instead of only what changed.")
@click.option("--uploads", type=click.Path(file_okay=False),
              help="Folder of documents uploaded over HTTP, kept in every build "
                   "[default: the one the index records, else uploads/ beside the index].")
@click.option("--workers", type=click.IntRange(min=1),
              help="Processes segmenting words ahead of the one index writer; 1: all in this process "
                   "[default: the cores available].")
def build(corpus_dir, index_dir, full, uploads, workers):
    """Index CORPUS_DIR (a directory of documents, or a .jsonl file of records) and the uploads."""
    try:
        report = build_index(corpus_dir, index_dir, full=full, progress=_terminal_progress(),
                             uploads=uploads, workers=workers)
    except IndexProblem as exc:
        raise click.ClickException(str(exc)) from exc
    _report_problems(report)
    click.echo(report.summary(index_dir))
    if report.failures:
        sys.exit(1)


@cli.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(index_dir, as_json):
    """Print what the index holds."""
    try:
        figures = index_stats(index_dir)
    except IndexProblem as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    skipped = figures.pop("skipped")
    for key, value in figures.items():
        click.echo(f"{key}: {value}")
    click.echo(f"skipped: {len(skipped)} file(s) by the last build")
    for s in skipped:
        click.echo(f"  {s['path']}: {s['reason']} [{s['code']}]")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@index_option
@click.option("--corpus-root", type=click.Path(file_okay=False),
              help="Corpus directory the files belong to (their source paths are relative to it).")
def add(files, index_dir, corpus_root):
    """Add or replace the directives of FILES in the index."""
    try:
        report = add_files(index_dir, files, corpus_root=corpus_root)
    except IndexProblem as exc:
        raise click.ClickException(str(exc)) from exc
    _report_problems(report)
    click.echo(f"Added {report.directives} directives ({report.sections} sections); "
               f"{report.total} directives in {index_dir}")
    if report.failures:
        sys.exit(1)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@index_option
def remove(ids, index_dir):
    """Remove directives by id."""
    try:
        removed, unknown = remove_ids(index_dir, list(ids))
    except IndexProblem as exc:
        raise click.ClickException(str(exc)) from exc
    for doc_id in unknown:
        click.echo(f"error: no directive with id {doc_id}", err=True)
    click.echo(f"Removed {len(removed)} directive(s) from {index_dir}")
    if unknown:
        sys.exit(1)


@cli.command("snapshot")
@index_option
@click.argument("out", type=click.Path(file_okay=False))
def snapshot_command(index_dir, out):
    """Copy the served generation and the uploads into the new directory OUT (a backup)."""
    try:
        info = backup.snapshot(index_dir, out)
    except (IndexProblem, FileExistsError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Saved generation {info['generation']} ({info['directives']} directives, "
               f"{info['uploads']} uploaded files) to {out}")


@cli.command("restore")
@click.argument("snapshot_dir", type=click.Path(exists=True, file_okay=False))
@index_option
@click.option("--uploads", type=click.Path(file_okay=False),
              help="Where to put the saved uploads [default: uploads/ beside the index].")
def restore_command(snapshot_dir, index_dir, uploads):
    """Serve the backup in SNAPSHOT_DIR from the index directory (as its newest generation)."""
    try:
        info = backup.restore(snapshot_dir, index_dir, uploads)
    except IndexProblem as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {info['directives']} directives from {snapshot_dir} into {index_dir} "
               f"as {info['generation']}")


if __name__ == "__main__":
    cli()
