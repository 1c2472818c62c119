"""The engine's entry point for a program: open an index, search it, read a directive.

open_index() opens the generation an index directory serves (checked against
its manifest) through the same IndexHandle the web app uses; each call takes
the current snapshot, so an index rebuilt meanwhile is seen at the next call.

    with open_index("var/index") as index:
        result = index.search(SearchRequest.from_params({"q": "phong chong dich", "year": "2021"}))
        [hit.id for hit in result.hits], result.facets["doc_type"][0].label, index.stats().directives
        index.document("655-kh-pgddt-2021").signer.name
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpus.model import Directive
from searcher.handle import IndexHandle
from searcher.postings import CACHE_BYTES
from searcher.results import SearchResult
from searcher.search import SearchRequest, run_search


@dataclass(frozen=True)
class IndexStats:
    """What a generation holds."""

    generation: str  # its directory's name, e.g. gen-000042
    schema_version: int | None
    built_at: str | None  # ISO timestamp of the build
    directives: int
    sections: int


def stats(snap) -> IndexStats:
    """The statistics of a snapshot's generation."""
    manifest = snap.generation.manifest
    return IndexStats(generation=snap.generation.path.name, schema_version=manifest.get("schema_version"),
                      built_at=manifest.get("built_at"), directives=int(len(snap.docs.live)),
                      sections=int(len(snap.sections.live)))


class Index:
    """A built index, searched in-process (no web framework involved)."""

    def __init__(self, handle: IndexHandle):
        self.handle = handle

    def search(self, request: SearchRequest | str) -> SearchResult:
        """One page of results; a str is a query typed in the search box.

        Raises searcher.search.InvalidParameter for a request that cannot be
        answered and PageOutOfRange for a page past the last.
        """
        if isinstance(request, str):
            request = SearchRequest.from_params({"q": request})
        with self.handle.using() as snap:
            return run_search(snap, request)

    def document(self, doc_id: str) -> Directive | None:
        """The directive as parsed (sections, references, signer …), or None when the index has no such id."""
        with self.handle.using() as snap:
            found = snap.store.get(doc_id)
        return Directive.from_dict(found) if found is not None else None

    def stats(self) -> IndexStats:
        with self.handle.using() as snap:
            return stats(snap)

    def close(self) -> None:
        self.handle.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_index(path: str | Path, cache_mb: int = CACHE_BYTES // 2**20) -> Index:
    """Open the index at ``path`` now; raises indexer.IndexProblem (missing,
    damaged, built by an incompatible version) with the command that fixes it.

    ``cache_mb``: posting lists decoded from Whoosh's blocks kept in memory, per Whoosh index.
    """
    handle = IndexHandle(path, cache_bytes=cache_mb * 2**20)
    try:
        handle.snapshot()
    except BaseException:
        handle.close()
        raise
    return Index(handle)
