"""Positioned lines of printed pages to text with paragraphs: shared by PDF text layers and OCR.

A PDF knows where each line is, not which lines make a paragraph. This module
rebuilds what the text parser expects (one paragraph per line, blank lines
between): it drops page numbers and running headers/footers, reads two-column
rows (the header "Số: …" | "CỘNG HÒA …", the closing "Nơi nhận" | signature)
left column first, and joins the lines of a paragraph, across page breaks
too, from the geometry: spacing, first-line indent, a short last line,
centring, a change between capitals and lower case:

    text = pages_to_text([[Line("KẾ HOẠCH", 250, 330, 120, 132)], …], page_heights=[842, …])
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from corpus.layout import is_marker
from corpus.vntext import LOWER, collapse_spaces, is_all_caps


@dataclass
class Line:
    """One printed line: text and box in points, ``top`` and ``bottom`` measured down from the top of its page."""
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int = 0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?[-–—\s]*$", re.I)
_STARTS_LOWER = re.compile(rf"^[\"“(]?{LOWER}")
_ENDS_SENTENCE = re.compile(r"[.!?:;]\W*$")
_DASH_LOWER = re.compile(rf"^[-–]\s+{LOWER}")
# Running headers and footers live in this fraction of the page at its top and bottom.
_MARGIN_BAND = 0.09


def pages_to_text(pages: list[list[Line]], page_heights: list[float]) -> str:
    """The text of ``pages`` (lines in any order), paragraphs separated by blank lines."""
    pages = _without_running_lines(pages, page_heights)
    # Rows of all pages in one sequence: a closing table split by a page break stays one block.
    rows = [row for lines in pages for row in _rows(sorted(lines, key=lambda line: (line.top, line.x0)))]
    flows: list[list[Line]] = [[]]  # the main flow, interrupted by two-column blocks
    for block in _blocks(rows):
        if isinstance(block, tuple):  # (left column, right column)
            flows.extend([block[0], block[1], []])
        else:
            flows[-1].append(block)
    paragraphs: list[str] = []
    for i, flow in enumerate(flows):
        # Of every three flows, the second and third are the columns of a two-column block.
        paragraphs.extend(_paragraphs(flow, column=i % 3 != 0))
    return "\n\n".join(p for p in paragraphs if p)


def _without_running_lines(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Pages without page numbers, and without lines repeated in the top or bottom band of several pages."""
    def in_band(line: Line) -> bool:
        height = heights[line.page] if line.page < len(heights) else 0
        return bool(height) and (line.bottom < height * _MARGIN_BAND or line.top > height * (1 - _MARGIN_BAND))

    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", collapse_spaces(line.text))

    seen: dict[str, set[int]] = {}
    for page in pages:
        for line in page:
            if in_band(line):
                seen.setdefault(key(line), set()).add(line.page)
    repeated = {k for k, on in seen.items() if len(on) >= 2 and len(on) * 2 >= len(pages)}
    kept = []
    for page in pages:
        if not page:
            kept.append([])
            continue
        first = min(page, key=lambda line: line.top)
        last = max(page, key=lambda line: line.bottom)
        kept.append([line for line in page
                     if not (in_band(line) and (key(line) in repeated or _fragment(line.text)))
                     and not ((line is first or line is last or in_band(line)) and _PAGE_NUMBER.match(line.text))])
    return kept


def _fragment(text: str) -> bool:
    """A letter or two alone in the margin: a glyph of the next page's first line drawn past the page break."""
    return len(text.strip()) <= 2 and text.strip().isalpha()


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into visual rows (vertically overlapping), each row sorted left to right."""
    rows: list[list[Line]] = []
    for line in lines:
        if rows:
            row = rows[-1]
            top, bottom = min(x.top for x in row), max(x.bottom for x in row)
            overlap = min(bottom, line.bottom) - max(top, line.top)
            if overlap > 0.5 * min(line.height, bottom - top):
                row.append(line)
                continue
        rows.append([line])
    return [sorted(row, key=lambda line: line.x0) for row in rows]


def _split(row: list[Line]) -> int | None:
    """Where ``row`` splits into two columns (the index of its first right-hand line), or None."""
    best, at = 0.0, None
    for i, (left, right) in enumerate(zip(row, row[1:]), 1):
        gap = right.x0 - left.x1
        if gap > best:
            best, at = gap, i
    height = statistics.median(line.height for line in row)
    return at if best > 2.5 * height else None


def _blocks(rows: list[list[Line]]):
    """The lines of ``rows`` in reading order: single lines of the main flow, and (left, right) column pairs.

    A two-column block starts at a row with two lines far apart and goes on
    while every line of the next rows stays clear of the other column: left of
    the right column's leftmost start, or right of the left column's rightmost end.
    """
    i = 0
    while i < len(rows):
        at = _split(rows[i]) if len(rows[i]) > 1 else None
        if at is None:
            yield _merged(rows[i])
            i += 1
            continue
        left, right = list(rows[i][:at]), list(rows[i][at:])
        end = i + 1
        while end < len(rows):
            placed = _place(rows[end], left, right)
            if placed is None:
                break
            left.extend(placed[0])
            right.extend(placed[1])
            end += 1
        yield left, right
        i = end


def _place(row: list[Line], left: list[Line], right: list[Line]) -> tuple[list[Line], list[Line]] | None:
    """``row``'s lines split between the columns so far, or None when one of them crosses into the other column."""
    left_end = max(line.x1 for line in left)
    right_start = min(line.x0 for line in right)
    left_middle = sum((line.x0 + line.x1) / 2 for line in left) / len(left)
    right_middle = sum((line.x0 + line.x1) / 2 for line in right) / len(right)
    to_left, to_right = [], []
    for line in row:
        fits_left, fits_right = line.x1 < right_start, line.x0 > left_end
        middle = (line.x0 + line.x1) / 2
        if fits_left and fits_right:  # short enough for either: the nearer column
            fits_left = abs(middle - left_middle) <= abs(middle - right_middle)
        if not (fits_left or fits_right):
            return None
        column, column_middle = (left, left_middle) if fits_left else (right, right_middle)
        # A column's lines start where it starts, or are centred in it; a line centred on the
        # page below the header ("KẾ HOẠCH") is neither, and ends the block.
        if abs(middle - column_middle) > 2 * line.height and \
                abs(line.x0 - min(x.x0 for x in column)) > 2 * line.height:
            return None
        (to_left if fits_left else to_right).append(line)
    return to_left, to_right


def _merged(row: list[Line]) -> Line:
    """A row read as one line (pieces of one line split by the PDF's text runs)."""
    if len(row) == 1:
        return row[0]
    return Line(" ".join(line.text for line in row), row[0].x0, max(line.x1 for line in row),
                min(line.top for line in row), max(line.bottom for line in row), row[0].page)


def _paragraphs(flow: list[Line], column: bool) -> list[str]:
    """The paragraphs of one flow of lines (the main text, or one column of a two-column block)."""
    flow = [line for line in flow if line.text.strip()]
    if not flow:
        return []
    height = statistics.median(line.height for line in flow)
    left = min(line.x0 for line in flow)
    right = max(line.x1 for line in flow)
    gaps = [b.top - a.bottom for a, b in zip(flow, flow[1:]) if a.page == b.page and b.top > a.bottom - height]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    full = sum(1 for line in flow if line.x1 > right - height)
    paragraphs = [[flow[0]]]
    for previous, line in zip(flow, flow[1:]):
        same = _continues(previous, line, height=height, left=left, right=right, usual_gap=usual_gap,
                          justified=not column and full >= 3)
        if same:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return [_join(lines) for lines in paragraphs]


def _continues(previous: Line, line: Line, *, height: float, left: float, right: float,
               usual_gap: float, justified: bool) -> bool:
    """Whether ``line`` goes on the paragraph that ``previous`` ends."""
    prev_text, text = previous.text.strip(), line.text.strip()
    if line.page == previous.page and line.top - previous.bottom > usual_gap + 0.45 * height:
        return False  # paragraph spacing
    if _STARTS_LOWER.match(text) and not _ENDS_SENTENCE.search(prev_text):
        return True   # a sentence going on, whatever the layout says
    if _DASH_LOWER.match(text) and previous.x1 > right - 2.5 * height and not _ENDS_SENTENCE.search(prev_text):
        return True   # "… kinh tế" / "- xã hội …": a line broken before a dash, not a list item
    if previous.x1 < right - 2.5 * height:
        return False  # the previous line stops short: the end of its paragraph (a heading, a header line)
    caps_before, caps_now = _caps(prev_text), _caps(text)
    if caps_before and caps_now and not (justified and line.x0 < left + height):
        return False  # header lines, signature lines: each its own, unless a wrapped line of the main text
    if caps_before and caps_now is False:
        return False  # a heading, then text
    if is_marker(text):
        return False
    if line.x0 > left + height:
        # Indented: a first line, unless the lines are centred (a title over several lines).
        return abs((line.x0 - left) - (right - line.x1)) < 1.5 * height
    return True


def _caps(text: str) -> bool | None:
    """Whether the letters of ``text`` are all capitals; None when it has no letters ("2021-2022")."""
    return is_all_caps(text) if any(c.isalpha() for c in text) else None


def _join(lines: list[Line]) -> str:
    text = ""
    for line in lines:
        part = collapse_spaces(line.text)
        if not text:
            text = part
        elif re.search(r"\w-$", text) and part[:1].isalnum():
            text += part  # "19/CT-" + "TTg", "COVID-" + "19": a line broken after a hyphen inside a word
        else:
            text += " " + part
    return text
