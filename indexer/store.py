"""The directive store: each directive's JSON (zlib-compressed) beside the Whoosh indexes, in SQLite.

Whoosh stores only ids; pages and API answers read the directives shown from
here. The store also answers the lookups by document number: which directive
has number X, which directives cite it, which implement the same directive.

    store = DirectiveStore(path); store.put(directive); store.get("655-kh-pgddt-2021")
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Iterator

import analyzers

_SCHEMA = """
CREATE TABLE IF NOT EXISTS directives (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    sort_date INTEGER NOT NULL,
    -- What the suggestions read of every directive, beside the compressed row.
    number TEXT,
    doc_type_label TEXT,
    title TEXT,
    issuer TEXT,
    data BLOB NOT NULL  -- the directive's JSON, zlib-compressed (_pack)
);
CREATE INDEX IF NOT EXISTS directives_source ON directives(source);
CREATE INDEX IF NOT EXISTS directives_date ON directives(sort_date);
-- role: 'own' (the directive's number), 'title' (cited in its title: the
-- directive it implements) or 'cited' (cited anywhere else).
CREATE TABLE IF NOT EXISTS numbers (
    number TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (number, doc_id, role)
);
CREATE INDEX IF NOT EXISTS numbers_doc ON numbers(doc_id);
-- What identifies each directive ever indexed -> the id it was given (indexer/ids.py);
-- kept when a directive is removed, and carried into every new generation.
CREATE TABLE IF NOT EXISTS identities (
    key TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL
);
-- Earlier ids of directives (from indexes that named them differently) -> their id now.
CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL
);
"""


#: Directives a store keeps decoded for shared_many(), the most recently read
#: (about 25 kB of Python objects each at the generated corpus's sizes): a
#: search reads the directives of its page (20 by default; re-ranking reads
#: none since best sections are scored from the index), and the directives
#: shown for one query are shown for many.
SHARED_DIRECTIVES = 512


#: zlib's level for the rows: 3.3 x smaller than the JSON on the generated corpus
#: (6 and 9 alike; 1 is 10 % larger), 0.24 ms to write a row, 45 us to read one.
COMPRESSION = 6


def _pack(directive: dict) -> bytes:
    return zlib.compress(json.dumps(directive, ensure_ascii=False).encode(), COMPRESSION)


def _unpack(data: bytes) -> dict:
    return json.loads(zlib.decompress(data))


def sort_date(directive: dict) -> int:
    """YYYYMMDD as an int (the year alone when the date is unknown), for sorting."""
    date = directive.get("issued_date")
    if date:
        return int(date.replace("-", ""))
    year = directive.get("year")
    return int(year) * 10000 if year else 0


def directive_numbers(directive: dict) -> set[tuple[str, str]]:
    """(canonical number, role) pairs for the number lookups of one directive."""
    pairs: set[tuple[str, str]] = set()
    own = directive.get("number") and analyzers.canonical_number(directive["number"])
    if own:
        pairs.add((own, "own"))
    in_title = {m.canonical for m in analyzers.find_numbers(directive.get("title") or "")}
    for ref in directive.get("references", []):
        canonical = ref.get("number") and analyzers.canonical_number(ref["number"])
        if canonical and canonical != own:
            pairs.add((canonical, "title" if canonical in in_title else "cited"))
    return pairs


class DirectiveStore:
    """One SQLite file; a connection per thread, so it can serve a threaded app."""

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self._local = threading.local()
        # Every thread's connection, so that close() can close them all: a
        # server's store is read by its worker threads and closed by whichever
        # thread retires the generation.
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        self._decoded: OrderedDict[str, dict] = OrderedDict()  # id -> directive, for shared_many()
        if not readonly:
            self._conn().executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # check_same_thread=False only so that close() may run on another
            # thread; each connection is still used by its own thread alone.
            if self.readonly:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            else:
                conn = sqlite3.connect(self.path, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
            with self._lock:
                if self._closed:
                    conn.close()
                    raise sqlite3.ProgrammingError(f"the store {self.path.name} is closed")
                self._connections.append(conn)
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._closed = True
        for conn in connections:
            conn.close()
        self._local = threading.local()

    # Writing (the indexer's single writer only).

    def put(self, directive: dict, file_hash: str | None = None) -> None:
        """Store ``directive``; ``file_hash`` is the hash of the file it came from
        (one JSONL file holds many directives), to tell later what changed."""
        conn = self._conn()
        doc_id = directive["id"]
        self._forget(doc_id)
        conn.execute(
            "INSERT OR REPLACE INTO directives VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, directive["source"], file_hash or directive["content_hash"], sort_date(directive),
             directive.get("number"), directive.get("doc_type_label"), directive.get("title"),
             directive.get("issuer"), _pack(directive)),
        )
        conn.execute("DELETE FROM numbers WHERE doc_id = ?", (doc_id,))
        conn.executemany(
            "INSERT OR IGNORE INTO numbers VALUES (?, ?, ?)",
            [(number, doc_id, role) for number, role in sorted(directive_numbers(directive))],
        )

    def remember(self, doc_id: str, keys) -> None:
        """Record that these identity keys name ``doc_id`` (indexer/ids.py)."""
        self._conn().executemany("INSERT OR REPLACE INTO identities VALUES (?, ?)", [(k, doc_id) for k in keys])

    def add_alias(self, alias: str, doc_id: str) -> None:
        self._conn().execute("INSERT OR REPLACE INTO aliases VALUES (?, ?)", (alias, doc_id))

    def load_registry(self, registry: dict) -> None:
        """Take over the identities and aliases another generation kept (a full rebuild)."""
        conn = self._conn()
        conn.executemany("INSERT OR REPLACE INTO identities VALUES (?, ?)", registry.get("identities", {}).items())
        conn.executemany("INSERT OR REPLACE INTO aliases VALUES (?, ?)", registry.get("aliases", {}).items())

    def delete(self, doc_id: str) -> None:
        self._forget(doc_id)
        conn = self._conn()
        conn.execute("DELETE FROM directives WHERE id = ?", (doc_id,))
        conn.execute("DELETE FROM numbers WHERE doc_id = ?", (doc_id,))

    def commit(self) -> None:
        self._conn().commit()

    # Reading.

    def get(self, doc_id: str) -> dict | None:
        row = self._conn().execute("SELECT data FROM directives WHERE id = ?", (doc_id,)).fetchone()
        return _unpack(row[0]) if row else None

    def get_many(self, doc_ids: list[str]) -> dict[str, dict]:
        if not doc_ids:
            return {}
        marks = ",".join("?" * len(doc_ids))
        rows = self._conn().execute(f"SELECT id, data FROM directives WHERE id IN ({marks})", doc_ids)
        return {doc_id: _unpack(data) for doc_id, data in rows}

    def shared_many(self, doc_ids: list[str]) -> dict[str, dict]:
        """get_many(), but each directive decoded once and shared by every caller
        while it stays among the SHARED_DIRECTIVES last read: for readers that
        never modify what they get (searching)."""
        found, missing = {}, []
        with self._lock:
            for doc_id in doc_ids:
                directive = self._decoded.get(doc_id)
                if directive is None:
                    missing.append(doc_id)
                else:
                    self._decoded.move_to_end(doc_id)
                    found[doc_id] = directive
        if missing:
            read = self.get_many(missing)
            found.update(read)
            with self._lock:
                self._decoded.update(read)
                while len(self._decoded) > SHARED_DIRECTIVES:
                    self._decoded.popitem(last=False)
        return {doc_id: found[doc_id] for doc_id in doc_ids if doc_id in found}

    def _forget(self, doc_id: str) -> None:
        with self._lock:
            self._decoded.pop(doc_id, None)

    def file_hash(self, doc_id: str) -> str | None:
        """The hash of the file ``doc_id`` was read from, as it was when indexed ("sha256:…")."""
        row = self._conn().execute("SELECT file_hash FROM directives WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def identity_ids(self, keys) -> dict[str, str]:
        """key -> id for the identity keys the index has seen."""
        keys = list(dict.fromkeys(keys))
        found = {}
        for start in range(0, len(keys), 500):  # SQLite's limit on parameters
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._conn().execute(f"SELECT key, doc_id FROM identities WHERE key IN ({marks})", chunk))
        return found

    def aliases(self) -> dict[str, str]:
        return dict(self._conn().execute("SELECT alias, doc_id FROM aliases"))

    def registry(self) -> dict:
        """Everything a rebuild needs to keep every id: the identities and the aliases.

        A store written before ids were kept (schema 1) has neither; its ids are
        returned as ``legacy:<source>`` identities, to become aliases of the new ids.
        """
        conn = self._conn()
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "identities" not in tables:
            return {"identities": {f"legacy:{source}": doc_id for source, doc_id in
                                   conn.execute("SELECT source, id FROM directives")}, "aliases": {}}
        return {"identities": dict(conn.execute("SELECT key, doc_id FROM identities")),
                "aliases": self.aliases()}

    def resolve(self, doc_id: str) -> str | None:
        """The id a URL's id means: itself, an earlier id's directive, or either in another case."""
        conn = self._conn()
        for candidate in dict.fromkeys((doc_id, doc_id.lower())):
            if conn.execute("SELECT 1 FROM directives WHERE id = ?", (candidate,)).fetchone():
                return candidate
            row = conn.execute("SELECT doc_id FROM aliases WHERE alias = ?", (candidate,)).fetchone()
            if row and conn.execute("SELECT 1 FROM directives WHERE id = ?", (row[0],)).fetchone():
                return row[0]
        return None

    def sources(self) -> dict[str, tuple[str, str]]:
        """source -> (directive id, hash of its file), to find what changed."""
        rows = self._conn().execute("SELECT source, id, file_hash FROM directives")
        return {source: (doc_id, file_hash) for source, doc_id, file_hash in rows}

    def briefs(self) -> Iterator[tuple[str, int, str | None, str | None, str | None, str | None]]:
        """(id, sort_date, number, doc_type_label, title, issuer) of every directive,
        read from their own columns without decoding the rest of each directive (the suggestions)."""
        yield from self._conn().execute("SELECT id, sort_date, number, doc_type_label, title, issuer FROM directives")

    def ids(self) -> set[str]:
        return {row[0] for row in self._conn().execute("SELECT id FROM directives")}

    def count(self) -> int:
        return self._conn().execute("SELECT COUNT(*) FROM directives").fetchone()[0]

    def with_number(self, canonical: str) -> list[str]:
        """Ids of the directives whose own number is ``canonical``."""
        rows = self._conn().execute(
            "SELECT doc_id FROM numbers WHERE number = ? AND role = 'own' ORDER BY doc_id", (canonical,)
        )
        return [row[0] for row in rows]

    def citing(self, canonical: str) -> list[str]:
        """Ids of the directives that cite ``canonical``, newest first."""
        rows = self._conn().execute(
            "SELECT DISTINCT n.doc_id FROM numbers n JOIN directives d ON d.id = n.doc_id "
            "WHERE n.number = ? AND n.role != 'own' ORDER BY d.sort_date DESC, n.doc_id",
            (canonical,),
        )
        return [row[0] for row in rows]

    def implementing_same(self, doc_id: str) -> list[str]:
        """Other directives whose title cites a number this one's title cites."""
        rows = self._conn().execute(
            "SELECT DISTINCT o.doc_id FROM numbers n "
            "JOIN numbers o ON o.number = n.number AND o.role = 'title' AND o.doc_id != n.doc_id "
            "JOIN directives d ON d.id = o.doc_id "
            "WHERE n.doc_id = ? AND n.role = 'title' ORDER BY d.sort_date DESC, o.doc_id",
            (doc_id,),
        )
        return [row[0] for row in rows]

    def ids_for_numbers(self, canonicals: list[str]) -> dict[str, str]:
        """canonical number -> id of the directive that has it, for those in the corpus."""
        if not canonicals:
            return {}
        marks = ",".join("?" * len(canonicals))
        rows = self._conn().execute(
            f"SELECT number, MIN(doc_id) FROM numbers WHERE role = 'own' AND number IN ({marks}) "
            "GROUP BY number",
            canonicals,
        )
        return dict(rows.fetchall())
