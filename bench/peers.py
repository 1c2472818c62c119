"""What a user would pick instead, answering bench/speed.py's query mix on the same directives.

Each peer indexes the parsed directives (title + all section text, doc_type,
issuer, year) and answers ``search(params)`` like the project's search page
does: the top 20 by relevance (or newest first without words), the total, and
facet counts for doc_type, issuer and year over all matches. Each keeps its
index in a file of its own; ``size_bytes()`` is what it takes on disk (FTS5
with the text stored, as the project's store keeps it).

- Fts5Peer: SQLite FTS5, ``unicode61 remove_diacritics 2`` (so unaccented
  queries match), facets by GROUP BY over the matching ids, a snippet()
  of the body for each of the top 20 (as the page shows one per result).
- TantivyPeer: tantivy (Rust, Python bindings; optional: ``pip install
  tantivy==0.27.0``), lowercase + ASCII folding analyzer, facets by terms
  aggregations over fast fields.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import unicodedata
from pathlib import Path


def walk(sections):
    for s in sections:
        yield s
        yield from walk(s.get("children", []))


def body_text(directive: dict) -> str:
    return "\n".join(s["text"] for s in walk(directive["sections"]))


def query_words(params: dict) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", params.get("q", "")).lower())


class Fts5Peer:
    name = "SQLite FTS5 + GROUP BY"

    def __init__(self, directives: list[dict]):
        self.tmp = tempfile.TemporaryDirectory(prefix="fts5-peer-")
        self.path = Path(self.tmp.name) / "fts5.sqlite"
        self.conn = sqlite3.connect(self.path, check_same_thread=False)
        self.conn.execute("CREATE TABLE d (id INTEGER PRIMARY KEY, doc_type TEXT, issuer TEXT, year INT)")
        self.conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
        for rowid, d in enumerate(directives, 1):
            self.conn.execute("INSERT INTO d VALUES (?, ?, ?, ?)", (rowid, d["doc_type"], d["issuer"], d["year"]))
            self.conn.execute("INSERT INTO t(rowid, title, body) VALUES (?, ?, ?)",
                              (rowid, d["title"], body_text(d)))
        self.conn.commit()

    def search(self, params: dict) -> None:
        words = query_words(params)
        where, args = [], []
        if words:
            where.append("d.id IN (SELECT rowid FROM t WHERE t MATCH ?)")
            args.append(" ".join(f'"{w}"' for w in words))
        for name in ("doc_type", "year"):
            if name in params:
                where.append(f"d.{name} = ?")
                args.append(params[name])
        clause = " WHERE " + " AND ".join(where) if where else ""
        self.conn.execute(f"SELECT COUNT(*) FROM d{clause}", args).fetchall()
        for name in ("doc_type", "issuer", "year"):
            self.conn.execute(f"SELECT {name}, COUNT(*) FROM d{clause} GROUP BY {name} ORDER BY 2 DESC LIMIT 30",
                              args).fetchall()
        if words:
            self.conn.execute("SELECT rowid, snippet(t, 1, '<mark>', '</mark>', '…', 24) FROM t WHERE t MATCH ? "
                              "ORDER BY bm25(t) LIMIT 20", args[:1]).fetchall()
        else:
            self.conn.execute(f"SELECT id FROM d{clause} ORDER BY year DESC LIMIT 20", args).fetchall()

    def size_bytes(self) -> int:
        return self.path.stat().st_size


def tree_bytes(path) -> int:
    """Bytes of the files below ``path`` (0 when there is nothing there)."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


class TantivyPeer:
    name = "tantivy + terms aggregations"

    def __init__(self, directives: list[dict]):
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("title", tokenizer_name="vi_folded")
        builder.add_text_field("body", tokenizer_name="vi_folded")
        builder.add_text_field("doc_type", tokenizer_name="raw", fast=True)
        builder.add_text_field("issuer", tokenizer_name="raw", fast=True)
        builder.add_integer_field("year", indexed=True, fast=True)
        self.schema = builder.build()
        self.tmp = tempfile.TemporaryDirectory(prefix="tantivy-peer-")
        self.index = tantivy.Index(self.schema, path=self.tmp.name)
        self.index.register_tokenizer("vi_folded", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                                      .filter(tantivy.Filter.lowercase())
                                      .filter(tantivy.Filter.ascii_fold()).build())
        writer = self.index.writer(heap_size=256_000_000, num_threads=1)
        for d in directives:
            writer.add_document(tantivy.Document(
                title=d["title"] or "", body=body_text(d), doc_type=d["doc_type"] or "-",
                issuer=d["issuer"] or "-", year=d["year"] or 0))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, params: dict) -> None:
        t = self.tantivy
        clauses = []
        words = query_words(params)
        if words:
            text = t.Query.boolean_query([
                (t.Occur.Must, t.Query.disjunction_max_query([
                    t.Query.term_query(self.schema, "title", w), t.Query.term_query(self.schema, "body", w)]))
                for w in (self._fold(w) for w in words)])
            clauses.append((t.Occur.Must, text))
        if "doc_type" in params:
            clauses.append((t.Occur.Must, t.Query.term_query(self.schema, "doc_type", params["doc_type"])))
        if "year" in params:
            clauses.append((t.Occur.Must, t.Query.term_query(self.schema, "year", int(params["year"]))))
        query = t.Query.boolean_query(clauses) if clauses else t.Query.all_query()
        result = self.searcher.search(query, 20) if words else \
            self.searcher.search(query, 20, order_by_field="year")
        result.count  # the total
        self.searcher.aggregate(query, {name: {"terms": {"field": name, "size": 30}}
                                        for name in ("doc_type", "issuer", "year")})

    def size_bytes(self) -> int:
        return tree_bytes(self.tmp.name)

    @staticmethod
    def _fold(word: str) -> str:
        # What tantivy's ascii_fold does to the indexed text, done to the query term.
        return "".join(c for c in unicodedata.normalize("NFD", word.replace("đ", "d"))
                       if not unicodedata.combining(c))


def available_peers():
    """Factories of the peers that can run here, and notes for those that cannot."""
    peers, notes = [Fts5Peer], []
    try:
        import tantivy  # noqa: F401
        peers.append(TantivyPeer)
    except ImportError:
        notes.append("tantivy not installed (pip install tantivy==0.27.0): its rows are skipped")
    return peers, notes
