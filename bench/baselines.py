"""Baseline retrieval systems for the quality benchmark: syllable BM25 without word segmentation.

Every system has the same two calls: index(records) with records
{"id", "title", "text"}, then search(query, k) -> list of record ids, best
first. Vietnamese is written with spaces between syllables, so splitting on
them is the cheapest tokenisation anyone would try first; these are the
figures the project's segmentation and accent folding have to beat.

    system = Fts5Bm25(remove_diacritics=0); system.index(records); system.search("thời hạn", 10)
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Lowercased syllables in order, punctuation dropped ("18/06/2018" -> 18, 06, 2018)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def _distinct(items: list[str]) -> list[str]:
    # dict keeps first-seen order, so the query string is the same on every run.
    return list(dict.fromkeys(items))


class Fts5Bm25:
    """SQLite FTS5, unicode61 tokenizer over title + text, ranked by bm25().

    A statement is read as "any of its words": each distinct word is quoted (so
    words like AND/NOT/NEAR and punctuation cannot break the MATCH syntax) and
    the words are OR-ed; the implicit AND of a 20-word statement matches nothing.
    remove_diacritics 2 folds tone and vowel marks on both sides, but not đ,
    which Unicode treats as a letter of its own: "dieu" does not match "điều".
    """

    def __init__(self, remove_diacritics: int = 0):
        self.name = f"FTS5 unicode61 remove_diacritics={remove_diacritics}"
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
            f"tokenize = 'unicode61 remove_diacritics {int(remove_diacritics)}')")

    def index(self, records: list[dict]) -> None:
        with self.conn:
            self.conn.executemany("INSERT INTO docs (id, title, text) VALUES (?, ?, ?)",
                                  ((r["id"], r["title"], r["text"]) for r in records))

    def search(self, query: str, k: int = 10) -> list[str]:
        terms = _distinct(words(query))
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        rows = self.conn.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, k))
        return [row[0] for row in rows]


def fold(text: str) -> str:
    """Lowercase and drop every mark, đ included (for the folded bm25s baseline)."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


class Bm25s:
    """bm25s (Lucene BM25, k1=1.5, b=0.75) over title + text syllables, optionally with every mark folded.

    Needs the optional `bm25s` package; constructing it without raises ImportError.
    """

    def __init__(self, fold_accents: bool = False):
        import bm25s  # optional: only this baseline needs it

        self._bm25s = bm25s
        self.fold_accents = fold_accents
        self.name = f"bm25s syllables{', all marks folded' if fold_accents else ''}"
        self.ids: list[str] = []
        self.retriever = None

    def _tokens(self, text: str) -> list[str]:
        return words(fold(text) if self.fold_accents else text)

    def index(self, records: list[dict]) -> None:
        self.ids = [r["id"] for r in records]
        corpus = [self._tokens(f"{r['title']}\n{r['text']}") for r in records]
        self.retriever = self._bm25s.BM25()
        self.retriever.index(corpus, show_progress=False)

    def search(self, query: str, k: int = 10) -> list[str]:
        vocab = self.retriever.vocab_dict
        # bm25s rejects a query made only of unknown words; nothing matches, so nothing is returned.
        terms = [t for t in _distinct(self._tokens(query)) if t in vocab]
        if not terms:
            return []
        docs, _ = self.retriever.retrieve([terms], k=min(k, len(self.ids)), show_progress=False, n_threads=1)
        return [self.ids[i] for i in docs[0]]
