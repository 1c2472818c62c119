"""ALQAC 2023 judged data for the benchmarks: articles, statements and the metrics.

The data stays where the project's shared folder keeps it (never copied into
the repository): ../shared/eval/alqac-2023-dev from the repository root, or
$ALQAC_DIR, or an explicit directory. Articles become records
{"id": "<law_id>#<article_id>", "law_id", "article_id", "title", "text"};
statements of train.json + test.json become queries {"id", "text", "relevant",
"split": "train" | "test"}.

    articles, queries = load(data_dir(None)); scores(rankings, queries)
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / ".." / "shared" / "eval" / "alqac-2023-dev"
# Every law in ALQAC is passed by the National Assembly (the constitution included).
ISSUER = "Quốc hội"
CUTOFFS = (1, 5, 10)
MRR_DEPTH = 10


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """--data wins, then $ALQAC_DIR, then ../shared/eval/alqac-2023-dev beside the repository."""
    if explicit:
        return Path(explicit)
    if os.environ.get("ALQAC_DIR"):
        return Path(os.environ["ALQAC_DIR"])
    return DEFAULT_DIR.resolve()


def available(directory: Path) -> bool:
    return all((directory / name).is_file() for name in ("legal_passages.json", "train.json", "test.json"))


def _read(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def load_articles(directory: Path) -> list[dict]:
    """One record per article; the first line of an article is its heading."""
    articles = []
    for law in _read(directory / "legal_passages.json"):
        for article in law["articles"]:
            heading, _, body = unicodedata.normalize("NFC", article["text"]).strip().partition("\n")
            articles.append({
                "id": f"{law['id']}#{article['id']}",
                "law_id": law["id"],
                "article_id": str(article["id"]),
                "title": heading.strip(),
                # A few articles are a heading only; an empty body would vanish from some indexes.
                "text": body.strip() or heading.strip(),
            })
    return articles


def load_queries(directory: Path) -> list[dict]:
    """Statements of train.json then test.json (216 together), in file order."""
    queries = []
    for name in ("train.json", "test.json"):
        for item in _read(directory / name):
            queries.append({
                "id": item["example_id"],
                "text": unicodedata.normalize("NFC", item["statement"]),
                "relevant": {f"{p['law_id']}#{p['article_id']}" for p in item["legal_passages"]},
                "split": name.removesuffix(".json"),
            })
    return queries


def load(directory: Path) -> tuple[list[dict], list[dict]]:
    return load_articles(directory), load_queries(directory)


def open_or_skip(explicit: str | os.PathLike | None, benchmark: str):
    """(directory, articles, queries), or None after saying the data is missing
    (a benchmark then exits 0: the data is never part of the repository)."""
    directory = data_dir(explicit)
    if not available(directory):
        print(f"ALQAC data not found at {directory}; skipping the {benchmark}.")
        return None
    return (directory, *load(directory))


def strip_diacritics(text: str) -> str:
    """How staff often type: no tone or vowel marks, đ as d ("Điều kiện" -> "Dieu kien")."""
    # đ/Đ are letters of their own in Unicode, not d plus a mark, so NFD leaves them alone.
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)))


def scores(rankings: list[list[str]], queries: list[dict]) -> dict[str, float]:
    """Recall@k (a relevant article in the top k) and MRR@10, averaged over the queries."""
    if len(rankings) != len(queries):
        raise ValueError(f"{len(rankings)} rankings for {len(queries)} queries")
    hits = {k: 0 for k in CUTOFFS}
    reciprocal = 0.0
    for ranked, query in zip(rankings, queries):
        first = next((rank for rank, doc in enumerate(ranked[:MRR_DEPTH], 1) if doc in query["relevant"]), None)
        if first is not None:
            reciprocal += 1 / first
        for k in CUTOFFS:
            if any(doc in query["relevant"] for doc in ranked[:k]):
                hits[k] += 1
    n = len(queries) or 1
    result = {f"R@{k}": hits[k] / n for k in CUTOFFS}
    result[f"MRR@{MRR_DEPTH}"] = reciprocal / n
    return result


def write_jsonl(path: str | os.PathLike, articles: list[dict]) -> Path:
    """The articles as the project's JSONL import reads them, one record a line."""
    path = Path(path)
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            record = {"id": a["id"], "title": a["title"], "text": a["text"], "doc_type": "luat", "issuer": ISSUER}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
