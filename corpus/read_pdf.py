"""PDF to text: the text layer with pdfminer.six, and OCR for pages that are only an image.

pdfminer gives each character with its position; they are put together into
lines here by position, not drawing order (letters from a fallback font come
last), and corpus.page_layout turns the lines into paragraphs. A page with
(almost) no text but an image on it is a scan — or a scan whose only text is
the stamp's — as is a page whose text has no Unicode mapping; such pages are
read by OCR (corpus.ocr) when Tesseract is installed, and a PDF that is only
scans without it is refused with the install command. (pdfminer.six rather
than PyMuPDF: MIT, pure Python, where PyMuPDF's AGPL does not suit a tool
agencies deploy.)

    extracted = read_pdf(path.read_bytes())   # .text, .ocr, .warnings
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata

from corpus import ocr
from corpus.errors import ReadError
from corpus.formats import Extracted
from corpus.page_layout import Line, pages_to_text

# Fewer letters than this on a page with an image: a scan (a stamp or a page number at most in text).
_SCANNED_BELOW = 80
# What pdfminer writes for a glyph its font maps to no character.
_CID = re.compile(r"\(cid:\d+\)")


def read_pdf(data: bytes) -> Extracted:
    pages, heights, scanned = _text_layer(data)
    warnings: list[str] = []
    used_ocr = False
    if scanned:
        if ocr.ocr_unavailable():
            if len(scanned) == len(pages):
                raise ReadError(f"PDF quét (không có lớp chữ) cần nhận dạng ký tự (OCR) nhưng máy chưa cài; "
                                f"cài bằng: {ocr.INSTALL}", "converter-missing")
            warnings.append(f"trang {', '.join(str(n + 1) for n in scanned)} là ảnh quét, chưa nhận dạng được "
                            f"(cài OCR: {ocr.INSTALL})")
        else:
            recognised = ocr.recognise_pdf(data, scanned)
            for number, lines in recognised.pages.items():
                pages[number], heights[number] = lines, recognised.heights[number]
            used_ocr = True
            warnings.append(f"văn bản quét, nội dung nhận dạng tự động (OCR): độ tin cậy trung bình "
                            f"{recognised.mean_confidence:.0f}%")
            warnings.extend(recognised.warnings)
    text = pages_to_text(pages, heights)
    if not text.strip():
        raise ReadError("PDF không có chữ (trang trắng, hoặc ảnh quét không nhận dạng được chữ nào)", "no-text")
    return Extracted(text, warnings, ocr=used_ocr)


def _text_layer(data: bytes) -> tuple[list[list[Line]], list[float], list[int]]:
    """Lines of each page, page heights, and the numbers of pages that are scans."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTFigure, LTImage
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    # pdfminer logs every oddity of a real-world PDF as a warning; what matters is raised.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[list[Line]] = []
    heights: list[float] = []
    scanned: list[int] = []
    try:
        resources = PDFResourceManager()
        # No layout analysis: pdfminer's own groups characters in drawing order, which splits a
        # line whose Vietnamese letters come from a fallback font drawn afterwards ("C NG HÒA … Ộ").
        device = PDFPageAggregator(resources, laparams=None)
        interpreter = PDFPageInterpreter(resources, device)
        for number, page in enumerate(PDFPage.get_pages(io.BytesIO(data), check_extractable=False)):
            interpreter.process_page(page)
            layout = device.get_result()
            chars, has_image = [], False
            stack = list(layout)
            while stack:
                item = stack.pop()
                if isinstance(item, LTChar):
                    if item.upright:  # not a diagonal watermark or a rotated stamp
                        chars.append(item)
                elif isinstance(item, LTImage):
                    has_image = True
                elif isinstance(item, LTFigure):
                    stack.extend(item)
            lines = _lines(chars, layout.height, number)
            pages.append(lines)
            heights.append(layout.height)
            text = "".join(line.text for line in lines)
            letters = sum(c.isalpha() for c in _CID.sub("", text))
            unmapped = len(_CID.findall(text))
            # A scan, or a text layer of glyph numbers only (a font without a Unicode map): OCR reads what is drawn.
            if (has_image and letters < _SCANNED_BELOW) or unmapped > letters:
                scanned.append(number)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ReadError(f"PDF có mật khẩu, không đọc được ({type(exc).__name__})", "encrypted") from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        # pdfminer raises these (not only its own) on truncated or corrupt files.
        raise ReadError(f"tệp PDF hỏng, không đọc được ({type(exc).__name__}: {exc})", "damaged-file") from None
    if not pages:
        raise ReadError("tệp PDF không có trang nào", "damaged-file")
    return pages, heights, scanned


def _lines(chars, page_height: float, page: int) -> list[Line]:
    """Characters put together into lines by position: same baseline, left to right, split at wide gaps.

    A space goes where the gap between two characters is wider than a fifth of
    the type size; a gap wider than two characters' height ends the piece (two
    table columns on one baseline are two lines).
    """
    lines: list[Line] = []
    for row in _baselines(chars):
        row.sort(key=lambda c: c.x0)
        pieces: list[list] = [[]]
        edge = row[0].x0
        for char in row:
            previous = pieces[-1][-1] if pieces[-1] else None
            if previous is not None and char.x0 - edge > 2 * char.size:
                pieces.append([])
            elif previous is not None and abs(char.x0 - previous.x0) < 0.1 * char.size \
                    and char.get_text() == previous.get_text():
                continue  # the same glyph drawn twice (fake bold)
            pieces[-1].append(char)
            edge = max(edge, char.x1)
        for piece in pieces:
            text, edge = "", piece[0].x0  # edge: the right end of what is written so far
            for char in piece:
                glyph = char.get_text()
                if text and char.x0 - edge > 0.2 * char.size and not unicodedata.combining(glyph[:1]) \
                        and not text.endswith(" ") and not glyph.isspace():
                    text += " "
                text += glyph
                edge = max(edge, char.x1)
            text = text.strip()
            if text:
                lines.append(Line(text, piece[0].x0, max(c.x1 for c in piece), page_height - max(c.y1 for c in piece),
                                  page_height - min(c.y0 for c in piece), page))
    return lines


def _baselines(chars) -> list[list]:
    """Characters grouped by line: vertical middles within a third of the type size of the line's first."""
    rows: list[tuple[float, float, list]] = []  # (middle, size, characters)
    for char in sorted(chars, key=lambda c: -(c.y0 + c.y1) / 2):
        middle = (char.y0 + char.y1) / 2
        if rows and abs(rows[-1][0] - middle) < max(char.size, rows[-1][1]) / 3:
            rows[-1][2].append(char)
        else:
            rows.append((middle, char.size, [char]))
    return [row for _, _, row in rows]
