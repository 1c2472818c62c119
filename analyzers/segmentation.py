"""Word segmentation with underthesea, cached in memory and optionally on disk.

segment() splits one paragraph into words ("ủy ban nhân dân" stays one word).
underthesea costs ~2 KB of memory per input character and call, so long
paragraphs are cut at sentence ends first. Results are cached by paragraph:
in-process always, and in a SQLite file once set_segment_cache() names one, so
rebuilding an unchanged corpus never segments a paragraph twice. A build's
worker processes (indexer/segment_pool.py) run segment_new() and hand their
results to remember(), so the writer finds them cached.

    warm_up(); segment("kế hoạch phòng, chống dịch")
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
import threading
import time
from pathlib import Path

from analyzers import underthesea_words

#: Longest text handed to underthesea in one call.
MAX_CALL_CHARS = 20_000
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")

_lock = threading.Lock()
_warm = False
_disk: "_DiskCache | None" = None
# Segmentations made in other processes, until segment() asks for them (then
# they move into the in-process cache, so they are held once).
_given: dict[str, tuple[str, ...]] = {}

#: Seconds spent inside underthesea and paragraphs it segmented, for the build
#: report's split (segmentation vs the rest of analysis and writing).
underthesea_stats = {"seconds": 0.0, "paragraphs": 0}


def warm_up() -> None:
    """Load underthesea's model once; its first call is not thread-safe."""
    global _warm
    with _lock:
        if not _warm:
            underthesea_words.load()("khởi động")
            _warm = True


def _chunks(text: str) -> list[str]:
    if len(text) <= MAX_CALL_CHARS:
        return [text]
    chunks, current = [], ""
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > MAX_CALL_CHARS:  # no sentence end for a long stretch
            cut = sentence.rfind(" ", 0, MAX_CALL_CHARS)
            cut = cut if cut > 0 else MAX_CALL_CHARS
            chunks.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        if current and len(current) + len(sentence) + 1 > MAX_CALL_CHARS:
            chunks.append(current)
            current = ""
        current = f"{current} {sentence}" if current else sentence
    if current:
        chunks.append(current)
    return chunks


def _underthesea(text: str) -> tuple[str, ...]:
    if not _warm:
        warm_up()
    word_tokenize = underthesea_words.load()
    started = time.perf_counter()
    words: list[str] = []
    for chunk in _chunks(text):
        words.extend(word_tokenize(chunk))
    underthesea_stats["seconds"] += time.perf_counter() - started
    underthesea_stats["paragraphs"] += 1
    return tuple(words)


@functools.lru_cache(maxsize=50_000)
def _segment_cached(text: str) -> tuple[str, ...]:
    words = _given.pop(text, None)
    if words is not None:
        return words
    disk = _disk
    if disk is not None:
        words = disk.get(text)
        if words is not None:
            return words
    words = _underthesea(text)
    if disk is not None:
        disk.put(text, words)
    return words


def segment(text: str) -> list[str]:
    """The words of one paragraph of normalised text, in order."""
    if not text.strip():
        return []
    return list(_segment_cached(text))


def segment_new(texts) -> list[tuple[str, tuple[str, ...]]]:
    """segment() each paragraph of ``texts``; return (text, words) of those
    underthesea had to segment (found in neither cache): what a build's worker
    process sends back to the writer's process, which remember()s them."""
    new = []
    for text in texts:
        if not text.strip():
            continue
        before = underthesea_stats["paragraphs"]
        words = _segment_cached(text)
        if underthesea_stats["paragraphs"] != before:
            new.append((text, words))
    return new


def remember(pairs) -> None:
    """Take (text, words) segmented by another process: segment(text) finds
    them, and they go to the disk cache."""
    disk = _disk
    for text, words in pairs:
        words = tuple(words)
        _given[text] = words
        if disk is not None:
            disk.put(text, words)


class _DiskCache:
    """paragraph hash -> words, in SQLite; writes are batched until flush()."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = path
        self.readonly = readonly
        if readonly:  # a build's worker process: the writer's process alone writes
            self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(path, check_same_thread=False)
            self.conn.execute("CREATE TABLE IF NOT EXISTS segments (key TEXT PRIMARY KEY, words TEXT NOT NULL)")
        self.pending: dict[str, str] = {}
        self.lock = threading.Lock()

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> tuple[str, ...] | None:
        key = self._key(text)
        with self.lock:
            if key in self.pending:
                return tuple(json.loads(self.pending[key]))
            row = self.conn.execute("SELECT words FROM segments WHERE key = ?", (key,)).fetchone()
        return tuple(json.loads(row[0])) if row else None

    def put(self, text: str, words: tuple[str, ...]) -> None:
        if self.readonly:
            return
        with self.lock:
            self.pending[self._key(text)] = json.dumps(words, ensure_ascii=False)
            if len(self.pending) >= 5000:
                self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.conn.executemany("INSERT OR REPLACE INTO segments VALUES (?, ?)", self.pending.items())
            self.conn.commit()
            self.pending.clear()

    def close(self) -> None:
        with self.lock:
            self._flush()
            self.conn.close()


def set_segment_cache(path, readonly: bool = False) -> None:
    """Keep segmentations in the SQLite file ``path`` (None: memory only);
    ``readonly``: only read the segmentations it holds (it must exist)."""
    global _disk
    with _lock:
        if _disk is not None:
            if path is not None and Path(path) == _disk.path and readonly == _disk.readonly:
                return
            _disk.close()
            _disk = None
        if path is not None:
            _disk = _DiskCache(Path(path), readonly)


def flush_segment_cache() -> None:
    """Write pending segmentations to the disk cache (the end of a build: those
    remember()ed that nothing asked for are dropped from memory too)."""
    _given.clear()
    with _lock:
        if _disk is not None:
            with _disk.lock:
                _disk._flush()


def clear_memory_cache() -> None:
    """Forget in-process results (benchmarks measure real segmentation with this)."""
    _segment_cached.cache_clear()
    _given.clear()
