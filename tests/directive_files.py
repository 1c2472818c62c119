"""A directive's .txt turned into the files an office really has: Word, PDF printed from it, a scan.

Laid out as Vietnamese directives are (Nghị định 30/2020 style): a borderless
two-column header table (number | national motto, place and date), the type
line and trích yếu centred, justified body paragraphs with a first-line
indent, and a borderless two-column closing table (Nơi nhận | signature).

    parts = split_directive(text); docx_bytes(parts); print_pdf(html_page(parts), out)
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from corpus.doctypes import doc_type_from_line
from corpus.front import read_front
from corpus.layout import lines, paragraphs, to_rows
from corpus.vntext import normalize

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
_RECIPIENTS = re.compile(r"^N[oơ]i nhận", re.I)
_NUMBER = re.compile(r"^Số\b")


@dataclass
class Parts:
    header_left: list[str]      # issuer lines, "Số: …"
    header_right: list[str]     # place and date (the motto is added when laid out)
    type_line: str
    title: list[str]
    body: list[str]             # paragraphs
    recipients: list[str]       # "Nơi nhận:" and its lines
    signature: list[str]        # "TM. …", title, name


def split_directive(text: str) -> Parts:
    """The parts of a .txt directive: the rows above the type line, type line, trích yếu, body, Nơi nhận, signature.

    Where the title ends and the closing starts is what the text parser reads
    from the .txt, so the Word and PDF files lay out the same directive.
    """
    rows = to_rows(lines(normalize(text)))
    front = read_front(rows)
    type_at = next(i for i, (row, _) in enumerate(rows) if doc_type_from_line(row))
    above = [row for row, _ in rows[:type_at]]
    left = [row for row in above if _NUMBER.match(row) or row.isupper()]
    right = [row for row in above if row not in left]
    closing_at = next((i for i, (row, _) in enumerate(rows) if _RECIPIENTS.match(row)), len(rows))
    after = [row for row, _ in rows[closing_at:]]
    i = 1
    while i < len(after) and (after[i].startswith("-") or after[i].endswith((";", ",", "."))):
        i += 1
    return Parts(left, right, rows[type_at][0], [front.title], paragraphs(rows[front.body_start:closing_at]),
                 after[:i], after[i:])


# --- Word ---------------------------------------------------------------------------------------

def docx_bytes(parts: Parts) -> bytes:
    """A .docx of the directive with python-docx: borderless two-column tables at the top and bottom."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    section = document.sections[0]
    section.header.paragraphs[0].text = "VĂN BẢN MẪU — không phải nội dung"  # must not be read
    section.footer.paragraphs[0].text = "Trang 1"

    header = _layout_table(document)
    _cell_lines(header.cell(0, 0), [*parts.header_left] or [""], bold_caps=True)
    _cell_lines(header.cell(0, 1), [*MOTTO, *parts.header_right], bold_caps=True)

    for line in (parts.type_line, *parts.title):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = True
    for para in parts.body:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Pt(28)
        p.add_run(para).bold = _is_heading(para)
    if parts.recipients or parts.signature:
        closing = _layout_table(document)
        _cell_lines(closing.cell(0, 0), parts.recipients or [""])
        signature = parts.signature[:-1] + ["", "", ""] + parts.signature[-1:] if parts.signature else [""]
        _cell_lines(closing.cell(0, 1), signature, bold_caps=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _layout_table(document):
    """A borderless (python-docx's default style) one-row table: 40% | 60% of the text width, as templates have."""
    from docx.shared import Inches

    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, (Inches(2.6), Inches(3.9))):
        column.width = cell.width = width  # Word reads the cells' widths, LibreOffice the grid's
    return table


def _cell_lines(cell, cell_lines: list[str], bold_caps: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    first = True
    for line in cell_lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        if bold_caps:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold = bold_caps and line.isupper()
        run.font.size = Pt(12)  # the header and signature's size in the template (Nghị định 30/2020)


def _is_heading(para: str) -> bool:
    return bool(re.match(r"^[IVX]+\.\s", para)) or (para.isupper() and len(para) < 80)


# --- HTML printed to PDF --------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: 'Liberation Serif', 'DejaVu Serif', serif; font-size: 13pt; line-height: 1.3; }
table.layout { width: 100%; border-collapse: collapse; }
table.layout td { vertical-align: top; text-align: center; padding: 0; font-size: 11.5pt; }
table.layout td.left { width: 40%; }
table.layout td.recipients { text-align: left; font-size: 10.5pt; }
.type { text-align: center; font-weight: bold; margin: 18pt 0 0; }
.title { text-align: center; font-weight: bold; margin: 0 0 12pt; }
p.body { text-align: justify; text-indent: 28pt; margin: 0 0 6pt; }
p.cell { margin: 0; }
.caps { font-weight: bold; }
.signature-space { height: 60pt; }
"""


def html_page(parts: Parts) -> str:
    """The directive as a printable HTML page."""
    def cell(cell_lines, cls=""):
        rows = "".join(f'<p class="cell{" caps" if line.isupper() else ""}">{html.escape(line)}</p>'
                       for line in cell_lines)
        return f'<td class="{cls}">{rows}</td>'

    body = "".join(f'<p class="body{" caps" if _is_heading(p) else ""}">{html.escape(p)}</p>' for p in parts.body)
    signature = ""
    if parts.signature:
        above = "".join(f'<p class="cell caps">{html.escape(line)}</p>' for line in parts.signature[:-1])
        name = html.escape(parts.signature[-1])
        signature = f'{above}<div class="signature-space"></div><p class="cell caps">{name}</p>'
    closing = ""
    if parts.recipients or parts.signature:
        closing = (f'<table class="layout"><tr>{cell(parts.recipients, "left recipients")}'
                   f'<td>{signature}</td></tr></table>')
    title = "".join(f'<p class="title">{html.escape(line)}</p>' for line in parts.title)
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Văn bản</title>'
            f'<style>{_CSS}</style></head><body>'
            f'<table class="layout"><tr>{cell(parts.header_left, "left")}'
            f'{cell([*MOTTO, *parts.header_right])}</tr></table>'
            f'<p class="type">{html.escape(parts.type_line)}</p>{title}{body}{closing}</body></html>')


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_pdf(page_html: str, out: Path, *, header_footer: bool = False) -> Path:
    """Print ``page_html`` to ``out`` with headless Chromium (its date/title/URL/page-number margins when asked)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.html"
        source.write_text(page_html, "utf-8")
        args = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}"]
        if not header_footer:
            args.append("--no-pdf-header-footer")
        subprocess.run([*args, source.as_uri()], check=True, capture_output=True, timeout=120)
    return out


def scan_pdf(pdf: Path, out: Path, dpi: int = 200) -> Path:
    """A PDF of page images only, as a scanner makes: each page rasterised (pdftoppm) and wrapped in a PDF page.

    Chromium prints a page holding nothing but the images, so the result has no text layer.
    """
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/page"], check=True,
                       capture_output=True, timeout=300)
        images = sorted(Path(tmp).glob("page-*.png"))
        pages = "".join(f'<img src="{image.as_uri()}">' for image in images)
        css = ("@page { size: A4; margin: 0; } body { margin: 0; } "
               "img { display: block; width: 210mm; height: 296mm; } img + img { break-before: page; }")
        print_pdf(f"<!doctype html><html><head><style>{css}</style></head><body>{pages}</body></html>", out)
    return out
