"""Building and updating the index: full and incremental builds, add, remove, open.

``build_index`` compares the corpus with the generation being served by content
hash, and when something changed writes a new generation beside it (a copy of
the current one with the changes applied, or a fresh one with ``full=True``),
checks that it opens and answers, then switches CURRENT to it. An unchanged
corpus costs one read-and-hash of each file. ``add_files`` and ``remove_ids``
do the same with their changes: the generation being served is never written.

    report = build_index("corpus/samples", "var/index")
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as whoosh_index

import analyzers
from analyzers import segmentation
import corpus
from indexer import ids, integrity, layout, posting_arrays, segment_pool
from indexer.documents import head_document, section_document, sections_with_path
from indexer.layout import IndexIncompatible, IndexMissing
from indexer.schema import COLUMN_FIELDS, SCHEMA_VERSION, directive_schema
from indexer.store import DirectiveStore
from indexer.whoosh_private import lengths_read_at_once, open_writer

#: Memory for each Whoosh writer's posting pool before it spills a sorted run
#: to disk (pickled, merged again at commit). 512 MB was adopted from one
#: measurement at 2,000 directives (157 s against 183 / 214 s at 256 MB) and
#: did not hold up: at 1,000 directives with a cold segmentation cache no
#: difference, and at 3,000 with a warm one, alternated, 256 MB took 254 / 261 s
#: of CPU and 512 MB 283 / 328 s, with the build's peak RSS 753 -> 1,284 MB
#: (bench/README.md, "Build: the writer's memory, again").
WRITER_MB = 256


@dataclass
class Skipped:
    """A file not indexed (or whose new version was not): its path, why in Vietnamese, and an English code.

    Codes are corpus.errors.CODES; a generation's manifest lists these as ``skipped``.
    """
    path: str
    code: str
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, error: corpus.ParseError, note: str = "") -> Skipped:
        return cls(error.path, error.code, error.reason + note)


def skipped_summary(skipped: list[Skipped] | list[dict]) -> str:
    """'skipped 3: 2 unsupported-format, 1 empty-file' (empty when nothing was skipped)."""
    if not skipped:
        return ""
    codes = Counter(s["code"] if isinstance(s, dict) else s.code for s in skipped)
    by_count = sorted(codes.items(), key=lambda item: (-item[1], item[0]))
    return f"skipped {len(skipped)}: " + ", ".join(f"{count} {code}" for code, count in by_count)


@dataclass
class BuildReport:
    files: int = 0
    directives: int = 0  # directives written by this run
    sections: int = 0
    unchanged: int = 0
    removed: int = 0
    total: int = 0  # directives in the index afterwards
    failures: list[Skipped] = field(default_factory=list)  # files skipped (or kept at their previous version)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    generation: str | None = None
    changed: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self, index_dir) -> str:
        if not self.changed:
            line = f"Index at {index_dir} is up to date ({self.total} directives, {self.files} files checked)"
        else:
            line = (f"Indexed {self.directives} directives ({self.sections} sections) into {index_dir} "
                    f"in {self.seconds:.1f} s; {self.total} directives in the index")
            if self.unchanged or self.removed:
                line += f" ({self.unchanged} unchanged, {self.removed} removed)"
        if self.failures:
            line += "; " + skipped_summary(self.failures)
        return line


@dataclass
class Progress:
    """What a progress display needs; the CLI draws it."""
    files_done: int
    files_total: int
    directives: int
    sections: int
    elapsed: float


ProgressFn = Callable[[Progress], None]


@dataclass
class _Source:
    path: Path
    source: str  # relative to the corpus root, posix
    data: bytes
    content_hash: str


def _read_sources(root: Path, report: BuildReport, uploads: Path | None = None) -> list[_Source]:
    """Every corpus file (or the JSONL file itself) and every uploaded file, read
    and hashed; unreadable ones reported.

    Uploads are named ``<uploads folder name>/<file>`` as the server adds them,
    so that a build of any corpus keeps them; a corpus folder that holds the
    uploads folder itself lists them once.
    """
    paths = [(path, root.parent if root.is_file() else root)
             for path in ([root] if root.is_file() else corpus.corpus_files(root))]
    if uploads is not None and uploads.is_dir() and not uploads.resolve().is_relative_to(root.resolve()):
        paths += [(path, uploads.parent) for path in corpus.corpus_files(uploads)]
    sources = []
    for path, base in paths:
        source = path.relative_to(base).as_posix()
        if not corpus.is_readable(path):
            report.failures.append(Skipped.of(corpus.unsupported(source, path.suffix.lower())))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.failures.append(Skipped(source, "cannot-read", f"không đọc được tệp: {exc.strerror or exc}"))
            continue
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        sources.append(_Source(path, source, data, digest))
    report.files = len(sources) + len(report.failures)
    return sources


def _parse(src: _Source) -> Iterable[dict | corpus.ParseError]:
    """The directives in one source: one per document file, one per JSONL line."""
    if src.path.suffix.lower() in corpus.RECORD_SUFFIXES:
        yield from corpus.directives_from_records(src.data, src.source)
        return
    try:
        yield corpus.parse_bytes(src.data, src.source, src.path.suffix.lower()).to_dict()
    except corpus.ParseError as exc:
        yield exc


class _Writer:
    """The one writer of a generation: its Whoosh index and the store."""

    def __init__(self, generation: Path, create: bool):
        if create:
            (generation / layout.WHOOSH).mkdir()
            whoosh_index.create_in(generation / layout.WHOOSH, directive_schema())
        self.ix = whoosh_index.open_dir(generation / layout.WHOOSH)
        self.store = DirectiveStore(generation / layout.STORE)
        self.writer = open_writer(self.ix, limitmb=WRITER_MB)
        lengths_read_at_once(self.writer)

    def delete(self, doc_id: str) -> None:
        self.writer.delete_by_term("doc_id", doc_id)
        self.store.delete(doc_id)

    def add(self, directive: dict, file_hash: str) -> int:
        """Write the directive's documents; returns how many sections it has."""
        count = -1  # the head document is not a section
        for document in _documents(directive):
            self.writer.add_document(**document)
            count += 1
        self.store.put(directive, file_hash)
        return count

    def commit(self) -> None:
        self.writer.commit()
        self.store.commit()
        self.store.close()

    def cancel(self) -> None:
        self.writer.cancel()
        self.store.close()


def _documents(directive: dict):
    """The Whoosh documents of a directive: its head, then one per section (what
    _Writer.add writes, and what the segmentation workers segment ahead)."""
    yield head_document(directive)
    for section, _ in sections_with_path(directive):
        yield section_document(directive, section)


def default_workers() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _segment_pool(workers: int, sources: list[_Source], index_dir: Path,
                  report: BuildReport) -> segment_pool.SegmentPool | None:
    """A pool of ``workers`` processes segmenting ahead of the writer, when there
    are several and enough new text to repay starting them; else None."""
    if workers <= 1 or sum(len(src.data) for src in sources) < segment_pool.MIN_BYTES:
        return None
    schema = directive_schema()
    fields = [name for name in schema.names() if analyzers.uses_segmentation(getattr(schema[name], "analyzer", None))]
    try:
        return segment_pool.SegmentPool(workers, _documents, fields, index_dir / layout.CACHE / "segments.sqlite",
                                        warn=report.warnings.append)
    except OSError as exc:
        report.warnings.append(f"words segmented in one process: the worker processes did not start ({exc})")
        return None


KEPT_NOTE = "; giữ bản đã lập chỉ mục trước đó"


def _keep_broken_replacements(sources: list[_Source], indexed: set[str],
                              report: BuildReport) -> list[_Source]:
    """Drop (and report) changed files that no longer parse and keep what they indexed before.

    A file that was fine yesterday and is truncated today should not take its
    directive out of the index; the next build tries the file again because
    the store still holds the old hash. Only files indexed before are parsed
    twice, so a first build pays nothing for this.
    """
    kept = []
    for src in sources:
        if src.source in indexed:
            parsed = list(_parse(src))
            if parsed and all(isinstance(item, corpus.ParseError) for item in parsed):
                report.failures.extend(Skipped.of(item, KEPT_NOTE) for item in parsed)
                continue
        kept.append(src)
    return kept


def _write(writer: _Writer, sources: list[_Source], taken: dict[str, str],
           report: BuildReport, progress: ProgressFn | None, started: float,
           pool: segment_pool.SegmentPool | None = None,
           replaced: dict[str, list[tuple[dict, str]]] | None = None) -> None:
    """Parse ``sources``, give each directive its id (indexer/ids.py) and write it.

    ``taken``: id -> source of the directives that stay in the index. Every
    source is parsed before any id is given, so that ids do not depend on the
    order files are read in; parsed directives wait in a temporary file.
    ``pool``: worker processes that segment the directives' words ahead of
    the writer; a directive they fail on is reported and skipped, and what
    its file indexed before (``replaced``: source -> [(directive, file hash)])
    is indexed again, under its old hash so that the next build retries it.
    """
    replaced = replaced or {}
    written: set[str] = set()
    failed_sources: set[str] = set()
    parse_s = write_s = 0.0
    segment_s = segmentation.underthesea_stats["seconds"]
    pending: list[ids.Pending] = []
    with tempfile.TemporaryFile() as spool:
        t0 = time.perf_counter()
        for number, src in enumerate(sources):
            for item in _parse(src):
                if isinstance(item, corpus.ParseError):
                    report.failures.append(Skipped.of(item))
                    continue
                pending.append(ids.pending_of(item))
                spool.write(json.dumps([number, item], ensure_ascii=False).encode("utf-8") + b"\n")
        parse_s = time.perf_counter() - t0
        known = writer.store.identity_ids
        assigned = ids.assign(pending, known, {*taken, *writer.store.aliases()})
        legacy = known(f"legacy:{p.source}" for p in pending)
        spool.seek(0)
        records = (json.loads(line) for line in spool)
        segmented = pool.segmented(records) if pool is not None else ((r, None) for r in records)
        done = 0
        for ((number, directive), failed), p, doc_id in zip(segmented, pending, assigned):
            t1 = time.perf_counter()
            if failed:
                kept = KEPT_NOTE if replaced.get(p.source) else ""
                report.failures.append(Skipped(p.source, "segmentation-failed", failed + kept))
                failed_sources.add(p.source)
                continue
            written.add(doc_id)
            if doc_id != p.suggested:
                report.warnings.append(f"{p.source}: id {p.suggested} is already used; indexed as {doc_id}")
            directive["id"] = doc_id
            report.sections += writer.add(directive, sources[number].content_hash)
            writer.store.remember(doc_id, p.keys.values())
            earlier = legacy.get(f"legacy:{p.source}")
            if earlier and earlier != doc_id:
                writer.store.add_alias(earlier, doc_id)  # the id an index before schema 2 gave it
            report.directives += 1
            write_s += time.perf_counter() - t1
            if progress and number + 1 > done:
                done = number + 1
                progress(Progress(done, len(sources), report.directives, report.sections,
                                  time.monotonic() - started))
    for source in sorted(failed_sources):
        for directive, file_hash in replaced.get(source, []):
            if directive is not None and directive["id"] not in written:
                report.sections += writer.add(directive, file_hash)
    if progress and sources:
        progress(Progress(len(sources), len(sources), report.directives, report.sections,
                          time.monotonic() - started))
    segment_s = segmentation.underthesea_stats["seconds"] - segment_s
    report.timings["parse"] = parse_s
    report.timings["segment"] = segment_s  # underthesea itself (cache misses only)
    report.timings["analyze_and_write"] = write_s - segment_s
    if pool is not None:  # beside the rest, in other processes
        report.timings["segment_in_workers"] = pool.seconds


class GenerationCheckFailed(RuntimeError):
    """A new generation did not pass its smoke check; it was not published."""


def _smoke_check(generation: Path, expected: int) -> None:
    """The new generation opens and answers as the server reads it, before anyone is pointed at it."""
    handle = open_generation(generation)
    try:
        with handle.index.reader() as reader:
            _check_columns(reader, generation)
            found = _head_count(reader)
        stored = handle.store.count()
    finally:
        handle.close()
    if found != expected or stored != expected:
        raise GenerationCheckFailed(f"new index generation {generation.name} holds {found} head documents and "
                                    f"{stored} stored directives, expected {expected}")


def _check_columns(reader, generation: Path) -> None:
    """Every segment has every column the server reads, one value per document."""
    for segment, _ in reader.leaf_readers():
        n = segment.doc_count_all()
        if not n:
            continue
        for name in COLUMN_FIELDS:
            if not segment.has_column(name):
                raise GenerationCheckFailed(f"new index generation {generation.name}: a segment has "
                                            f"no '{name}' column")
            if sum(1 for _ in segment.column_reader(name)) != n:
                raise GenerationCheckFailed(f"new index generation {generation.name}: the '{name}' "
                                            f"column does not cover every document")


def _head_count(reader) -> int:
    """Live head documents (``kind`` "": every section has a kind) of the index."""
    found = 0
    for segment, _ in reader.leaf_readers():
        if segment.doc_count_all():
            found += sum(1 for docnum, kind in enumerate(segment.column_reader("kind"))
                         if kind == "" and not segment.is_deleted(docnum))
    return found


def build_index(corpus_dir, index_dir, *, full: bool = False, progress: ProgressFn | None = None,
                uploads=None, wait: float = 60.0, workers: int | None = None) -> BuildReport:
    """Bring the index at ``index_dir`` in line with ``corpus_dir`` (a directory or a .jsonl file)
    plus the documents uploaded over HTTP (``uploads``; default: where the index records them).

    ``wait``: seconds to wait for another writer (an upload in progress) before IndexLocked.
    ``workers``: processes segmenting words ahead of the one writer (default:
    the cores available; 1: all in this process).
    """
    workers = default_workers() if workers is None else max(1, workers)
    started = time.monotonic()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if not corpus_dir.exists():
        raise FileNotFoundError(f"corpus {corpus_dir} does not exist")
    report = BuildReport()
    with layout.writer_lock(index_dir, wait=wait):
        layout.remove_leftovers(index_dir)
        analyzers.set_segment_cache(index_dir / layout.CACHE / "segments.sqlite")
        try:
            _build_locked(corpus_dir, index_dir, full, progress, report, started, uploads, workers)
        finally:
            analyzers.flush_segment_cache()
    report.seconds = time.monotonic() - started
    return report


def _build_locked(corpus_dir, index_dir, full, progress, report, started, uploads, workers) -> None:
    current = layout.current_generation(index_dir)
    if uploads is None:
        try:
            uploads = layout.uploads_dir(index_dir, layout.read_manifest(current) if current else None)
        except (OSError, ValueError):
            uploads = layout.uploads_dir(index_dir)
    uploads = Path(uploads)
    sources = _read_sources(corpus_dir, report, uploads)
    served = current
    previous: dict[str, tuple[str, str]] = {}
    if current is not None and not full:
        try:
            integrity.verify(current, layout.check_compatible(index_dir, current), index_dir)
            store = DirectiveStore(current / layout.STORE, readonly=True)
            try:
                previous = store.sources()
            finally:
                store.close()
        except (IndexIncompatible, layout.IndexDamaged, sqlite3.DatabaseError) as exc:
            # Rebuilt from scratch below rather than copying what is wrong.
            report.warnings.append(f"the served generation {current.name} is not reused: {exc}")
            current, previous = None, {}
    else:
        current = None
    # Every id ever given, so that a full rebuild (or one after a schema change) keeps them.
    registry = _registry(served, report) if served is not None and current is None else {}

    # Directives of JSONL records share one source; compare per source file.
    by_source: dict[str, list[str]] = {}
    for source, (doc_id, content_hash) in previous.items():
        by_source.setdefault(source.split("#", 1)[0], []).append(doc_id)
    hashes = {source.split("#", 1)[0]: h for source, (_, h) in previous.items()}
    changed = [s for s in sources if hashes.get(s.source) != s.content_hash]
    changed = _keep_broken_replacements(changed, set(by_source), report)
    seen = {s.source for s in sources}
    gone = [doc_id for source, doc_ids in by_source.items() if source not in seen for doc_id in doc_ids]
    stale = [doc_id for s in changed for doc_id in by_source.get(s.source, [])]
    report.unchanged = sum(len(by_source.get(s.source, [])) for s in sources) - len(stale)
    report.removed = len(gone)

    if current is not None and not changed and not gone and \
            _same_skipped(layout.read_manifest(current).get("skipped", []), report.failures):
        report.total = len(previous)
        report.generation = current.name
        return

    report.changed = True

    def apply(writer: _Writer) -> None:
        if current is None:
            writer.store.load_registry(registry)
        # What the changed files indexed before, put back if their new version
        # cannot be segmented (a parse failure keeps it the same way, earlier).
        replaced = {s.source: [(writer.store.get(doc_id), hashes[s.source]) for doc_id in by_source[s.source]]
                    for s in changed if s.source in by_source}
        for doc_id in [*stale, *gone]:
            writer.delete(doc_id)
        taken = {doc_id: source for source, (doc_id, _) in previous.items()
                 if doc_id not in stale and doc_id not in gone}
        new = changed if current is not None else sources
        pool = _segment_pool(workers, new, index_dir, report)
        try:
            _write(writer, new, taken, report, progress, started, pool, replaced)
        finally:
            if pool is not None:
                pool.close()

    generation, report.total = _new_generation(
        index_dir, current, apply, {"corpus": str(corpus_dir.resolve()), layout.UPLOADS: str(uploads.resolve())},
        report)
    report.generation = generation.name


def _registry(generation: Path, report: BuildReport) -> dict:
    """The identities and aliases the served generation kept (DirectiveStore.registry), read even
    from a generation of another schema version; empty when its store cannot be read."""
    try:
        store = DirectiveStore(generation / layout.STORE, readonly=True)
        try:
            return store.registry()
        finally:
            store.close()
    except sqlite3.DatabaseError as exc:
        report.warnings.append(f"the ids of {generation.name} could not be read ({exc}); new ids are given")
        return {}


def _same_skipped(recorded: list[dict], skipped: list[Skipped]) -> bool:
    """Whether the manifest already lists these skipped files (else a new generation records them)."""
    return sorted((s["path"], s["code"]) for s in recorded) == sorted((s.path, s.code) for s in skipped)


def _copy_generation(current: Path, tmp: Path) -> None:
    # Whoosh never rewrites a file once written, so its files can be shared by
    # hard links; the SQLite store is changed in place and must be copied, with
    # SQLite's backup API so that pages still in its write-ahead log come too.
    shutil.copytree(current / layout.WHOOSH, tmp / layout.WHOOSH, copy_function=_link_or_copy)
    source = sqlite3.connect(f"file:{current / layout.STORE}?mode=ro", uri=True)
    target = sqlite3.connect(tmp / layout.STORE)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


# Incremental changes to the served generation.

def _served(index_dir: Path) -> Path:
    """The generation being served, checked before a change is built on it."""
    current = layout.current_generation(index_dir)
    if current is None:
        raise IndexMissing(f"no index at {index_dir}; run: python -m indexer build CORPUS_DIR --index {index_dir}")
    integrity.verify(current, layout.check_compatible(index_dir, current), index_dir)
    return current


def _new_generation(index_dir: Path, current: Path | None, apply: Callable[[_Writer], None],
                    manifest: dict, report: BuildReport | None = None) -> tuple[Path, int]:
    """Write a new generation and switch to it: a copy of ``current`` (hard
    links for Whoosh's immutable files; None starts empty) that ``apply``
    changes through one writer, committed, described by its manifest, checked
    to open and answer, then published. Returns it and its directive count.

    Changing the served generation in place would delete files that open
    searchers have not read yet; the copy leaves them untouched until the
    server moves on. On failure the copy is removed and nothing changes.
    """
    tmp = layout.new_generation_dir(index_dir)
    try:
        if current is not None:
            _copy_generation(current, tmp)
        writer = _Writer(tmp, create=current is None)
        try:
            apply(writer)
            t0 = time.perf_counter()
            writer.commit()
            t1 = time.perf_counter()
        except BaseException:
            writer.cancel()
            raise
        posting_arrays.write_generation(tmp)
        if report is not None:
            report.timings["commit"] = t1 - t0
            report.timings["posting_arrays"] = time.perf_counter() - t1
        store = DirectiveStore(tmp / layout.STORE, readonly=True)
        total = store.count()
        store.close()
        parent_files = layout.read_manifest(current).get("files") if current is not None else None
        manifest = {**manifest, "schema_version": SCHEMA_VERSION, "directives": total,
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "parent": current.name if current is not None else None,
                    "files": integrity.digests(tmp, current, parent_files)}
        if report is not None:  # a build: its skipped files are the corpus's
            manifest["skipped"] = [s.to_dict() for s in report.failures]
        (tmp / layout.MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _smoke_check(tmp, total)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return layout.publish(index_dir, tmp), total


def add_files(index_dir, paths: Iterable, *, corpus_root=None, uploads=None) -> BuildReport:
    """Parse ``paths`` and add (or replace) their directives in a new generation.

    ``uploads``: the folder of HTTP uploads the paths are in; their sources are
    named after it and the manifest records it, so later builds keep them.
    """
    if uploads is not None:
        corpus_root = Path(uploads).parent
    started = time.monotonic()
    index_dir = Path(index_dir)
    report = BuildReport(changed=True)
    with layout.writer_lock(index_dir, wait=30):
        current = _served(index_dir)
        analyzers.set_segment_cache(index_dir / layout.CACHE / "segments.sqlite")
        sources = []
        for path in map(Path, paths):
            root = Path(corpus_root) if corpus_root else path.parent
            try:
                data = path.read_bytes()
                source = path.resolve().relative_to(root.resolve()).as_posix()
            except (OSError, ValueError) as exc:
                report.failures.append(Skipped(str(path), "cannot-read", f"không đọc được tệp: {exc}"))
                continue
            sources.append(_Source(path, source, data, "sha256:" + hashlib.sha256(data).hexdigest()))
        report.files = len(sources) + len(report.failures)
        store = DirectiveStore(current / layout.STORE, readonly=True)
        previous = store.sources()
        store.close()
        sources = _keep_broken_replacements(
            sources, {source.split("#", 1)[0] for source in previous}, report)
        replaced = {s.source for s in sources}

        def apply(writer: _Writer) -> None:
            for source, (doc_id, _) in previous.items():
                if source.split("#", 1)[0] in replaced:
                    writer.delete(doc_id)
            taken = {doc_id: source for source, (doc_id, _) in previous.items()
                     if source.split("#", 1)[0] not in replaced}
            _write(writer, sources, taken, report, None, started)

        manifest = layout.read_manifest(current)
        if uploads is not None:
            manifest[layout.UPLOADS] = str(Path(uploads).resolve())
        # A file the last build skipped and that is added now is no longer skipped (or is reported again here).
        manifest["skipped"] = [s for s in manifest.get("skipped", []) if s["path"] not in replaced]
        try:
            generation, report.total = _new_generation(index_dir, current, apply, manifest)
        finally:
            analyzers.flush_segment_cache()
        report.generation = generation.name
    report.seconds = time.monotonic() - started
    return report


def remove_ids(index_dir, doc_ids: Iterable[str], *, uploads=None) -> tuple[list[str], list[str]]:
    """Remove directives by id, in a new generation; returns (removed, unknown).

    A removed directive that was uploaded over HTTP loses its file in the
    uploads folder too, or the next build would bring it back.
    """
    index_dir = Path(index_dir)
    doc_ids = list(doc_ids)
    with layout.writer_lock(index_dir, wait=30):
        current = _served(index_dir)
        store = DirectiveStore(current / layout.STORE, readonly=True)
        try:
            known = {doc_id: source for source, (doc_id, _) in store.sources().items()}
        finally:
            store.close()
        removed = [d for d in doc_ids if d in known]
        unknown = [d for d in doc_ids if d not in known]
        if removed:
            manifest = layout.read_manifest(current)
            _new_generation(index_dir, current, lambda writer: [writer.delete(d) for d in removed], manifest)
            uploads = Path(uploads) if uploads is not None else layout.uploads_dir(index_dir, manifest)
            for doc_id in removed:
                upload = uploaded_file(uploads, known[doc_id])
                if upload is not None:
                    upload.unlink(missing_ok=True)
    return removed, unknown


def uploaded_file(uploads: Path, source: str) -> Path | None:
    """The file in the uploads folder a directive's source names, if it names one."""
    folder, _, name = source.split("#", 1)[0].partition("/")
    if folder != Path(uploads).name or not name:
        return None
    return Path(uploads) / name


# Opening.

@dataclass
class Generation:
    """An open generation: its Whoosh index and the store."""
    path: Path
    manifest: dict
    index: whoosh_index.Index
    store: DirectiveStore

    def close(self) -> None:
        self.store.close()


def open_generation(path: Path, index_dir: Path | None = None) -> Generation:
    """Open a generation after checking its files against its manifest.

    IndexDamaged when a file is missing or changed, or when Whoosh or SQLite
    cannot open what is there.
    """
    manifest = layout.read_manifest(path) if (path / layout.MANIFEST).exists() else {}
    integrity.verify(path, manifest, index_dir)
    store = None
    try:
        store = DirectiveStore(path / layout.STORE, readonly=True)
        store.count()  # SQLite reads its header only when asked something
        return Generation(
            path=path,
            manifest=manifest,
            index=whoosh_index.open_dir(path / layout.WHOOSH),
            store=store,
        )
    except Exception as exc:
        if store is not None:
            store.close()
        hint = layout.rebuild_hint(index_dir if index_dir is not None else path.parent)
        raise layout.IndexDamaged(f"index generation {path.name} cannot be opened "
                                  f"({type(exc).__name__}: {exc}); {hint}") from exc


def open_index(index_dir, generation: Path | None = None) -> Generation:
    """The generation being served (or ``generation``); IndexMissing /
    IndexIncompatible / IndexDamaged say how to fix."""
    index_dir = Path(index_dir)
    current = generation or layout.current_generation(index_dir)
    if current is None:
        raise IndexMissing(
            f"no index at {index_dir}; build it with: python -m indexer build corpus/samples --index {index_dir}")
    layout.check_compatible(index_dir, current)
    return open_generation(current, index_dir)


def index_stats(index_dir) -> dict:
    handle = open_index(index_dir)
    try:
        return {
            "index": str(index_dir),
            "generation": handle.path.name,
            "schema_version": handle.manifest.get("schema_version"),
            "built_at": handle.manifest.get("built_at"),
            "directives": handle.store.count(),
            "sections": handle.index.doc_count() - handle.store.count(),
            "size_bytes": sum(f.stat().st_size for f in handle.path.rglob("*") if f.is_file()),
            # Files the last build did not index, with reasons: [{path, code, reason}].
            "skipped": handle.manifest.get("skipped", []),
        }
    finally:
        handle.close()
