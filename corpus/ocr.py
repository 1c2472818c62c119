"""OCR of scanned PDF pages: poppler's pdftoppm renders each page, Tesseract's Vietnamese model reads it.

Both are Debian packages, run as programs (no Python binding to build).
Tesseract's words come back with their boxes and confidences; words are put
together into lines (split where a wide gap shows two table columns) in
points, so corpus.page_layout reads a scan exactly as it reads a text layer:

    result = recognise_pdf(pdf_bytes, pages=[0, 1])   # .pages {n: [Line]}, .mean_confidence
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from corpus.page_layout import Line
from corpus.tools import run_tool

INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils"
DPI = 300
# A scan longer than this is an archive box, not a directive; its first pages say what it is.
MAX_PAGES = 30
_PAGE_TIMEOUT = 180  # seconds per page for each program


@functools.cache
def _has_vietnamese(tesseract: str) -> bool:
    try:
        listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in listed.stdout.split()


def ocr_unavailable() -> str | None:
    """Why scanned PDFs cannot be read here (English, with the install command), or None when they can."""
    tesseract = shutil.which("tesseract")
    missing = [name for name, found in (("pdftoppm", shutil.which("pdftoppm")), ("tesseract", tesseract)) if not found]
    if tesseract and not _has_vietnamese(tesseract):
        missing.append("Tesseract's Vietnamese model")
    if not missing:
        return None
    return f"scanned PDF (OCR): {', '.join(missing)} not installed ({INSTALL})"


@dataclass
class Recognised:
    pages: dict[int, list[Line]] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    mean_confidence: float = 0.0
    warnings: list[str] = field(default_factory=list)


def recognise_pdf(data: bytes, pages: list[int]) -> Recognised:
    """The lines Tesseract reads on ``pages`` (0-based) of the PDF ``data``."""
    result = Recognised()
    if len(pages) > MAX_PAGES:
        result.warnings.append(f"chỉ nhận dạng {MAX_PAGES} trang quét đầu tiên trong {len(pages)} trang")
        pages = pages[:MAX_PAGES]
    confidences: list[float] = []
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core: builds and the server share the machine
    with tempfile.TemporaryDirectory(prefix="vbsearch-ocr-") as tmp:
        pdf = Path(tmp) / "in.pdf"
        pdf.write_bytes(data)
        for number in pages:
            image = Path(tmp) / f"page-{number}"
            _run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", "-f", str(number + 1),
                  "-l", str(number + 1), str(pdf), str(image)], "pdftoppm", env)
            tsv = _run(["tesseract", f"{image}.png", "stdout", "-l", "vie", "tsv"], "tesseract", env)
            lines, height, words = _lines(tsv, number)
            result.pages[number], result.heights[number] = lines, height
            confidences.extend(words)
    result.mean_confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return result


def _run(args: list[str], name: str, env: dict) -> str:
    done = run_tool(args, name, purpose="để nhận dạng PDF quét", install=INSTALL, timeout=_PAGE_TIMEOUT,
                    timeout_note=" cho một trang", env=env)
    return done.stdout.decode("utf-8", "replace")


def _lines(tsv: str, page: int) -> tuple[list[Line], float, list[float]]:
    """Lines in points from Tesseract's TSV (pixels at DPI), the page height, and the words' confidences."""
    scale = 72 / DPI
    words: dict[tuple[str, str, str], list[tuple[float, float, float, float, str]]] = {}
    height = 0.0
    confidences = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row["level"] == "1":
            height = float(row["height"]) * scale
        if row["level"] != "5" or not (row.get("text") or "").strip():
            continue
        left, top = float(row["left"]) * scale, float(row["top"]) * scale
        box = (left, left + float(row["width"]) * scale, top, top + float(row["height"]) * scale, row["text"])
        words.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(box)
        if float(row["conf"]) >= 0:
            confidences.append(float(row["conf"]))
    lines = []
    for boxes in words.values():
        boxes.sort()
        line_height = sorted(b[3] - b[2] for b in boxes)[len(boxes) // 2]
        piece = [boxes[0]]
        for box in boxes[1:]:
            if box[0] - piece[-1][1] > 2.5 * line_height:  # two table columns read as one line
                lines.append(_line(piece, page))
                piece = []
            piece.append(box)
        lines.append(_line(piece, page))
    return lines, height, confidences


def _line(boxes, page: int) -> Line:
    return Line(" ".join(b[4] for b in boxes), boxes[0][0], max(b[1] for b in boxes),
                min(b[2] for b in boxes), max(b[3] for b in boxes), page)
