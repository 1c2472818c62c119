"""PDF to text: the text layer with pdfminer.six, and OCR for pages that are only an image.

pdfminer gives each line with its position; corpus.page_layout turns them into
paragraphs. A page with (almost) no text but an image on it is a scan — or a
scan whose only text is the stamp's — and is read by OCR (corpus.ocr) when
Tesseract is installed; a PDF that is only scans without it is refused with the
install command. (pdfminer.six rather than PyMuPDF: MIT, pure Python, where
PyMuPDF's AGPL does not suit a tool agencies deploy.)

    extracted = read_pdf(path.read_bytes())   # .text, .ocr, .warnings
"""

from __future__ import annotations

import io
import logging

from corpus import ocr
from corpus.errors import ReadError
from corpus.formats import Extracted
from corpus.page_layout import Line, pages_to_text

# Fewer letters than this on a page with an image: a scan (a stamp or a page number at most in text).
_SCANNED_BELOW = 80


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
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTFigure, LTImage, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    # pdfminer logs every oddity of a real-world PDF as a warning; what matters is raised.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[list[Line]] = []
    heights: list[float] = []
    scanned: list[int] = []
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams())):
            lines, has_image = [], False
            stack = list(page)
            while stack:
                item = stack.pop()
                if isinstance(item, LTTextLine):
                    text = item.get_text().strip()
                    if text:
                        lines.append(Line(text, item.x0, item.x1, page.height - item.y1, page.height - item.y0,
                                          number))
                elif isinstance(item, (LTImage, LTFigure)):
                    has_image = True
                    if isinstance(item, LTFigure):
                        stack.extend(item)
                elif hasattr(item, "__iter__"):
                    stack.extend(item)
            pages.append(lines)
            heights.append(page.height)
            letters = sum(c.isalpha() for line in lines for c in line.text)
            if has_image and letters < _SCANNED_BELOW:
                scanned.append(number)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ReadError(f"PDF có mật khẩu, không đọc được ({type(exc).__name__})", "encrypted") from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        # pdfminer raises these (not only its own) on truncated or corrupt files.
        raise ReadError(f"tệp PDF hỏng, không đọc được ({type(exc).__name__}: {exc})", "damaged-file") from None
    if not pages:
        raise ReadError("tệp PDF không có trang nào", "damaged-file")
    return pages, heights, scanned
