"""Word (.docx) to text: body paragraphs and tables in reading order.

Real directives put the header ("Số: …" | "CỘNG HÒA … / <place>, ngày …") and
the closing ("Nơi nhận: …" | "KT. CHỦ TỊCH / … / <name>") in borderless
two-column tables: each cell is read in turn, left to right, its paragraphs as
lines, so the header and closing come out as the .txt of the same directive has
them. Line breaks inside a paragraph stay line breaks; numbers Word draws for
numbered paragraphs ("I.", "1.", "a)") are written out; content controls are
read through; footnotes, comments, headers and footers are not content:

    text = read_docx(path.read_bytes()).text
"""

from __future__ import annotations

import io
import zipfile
import zlib

from corpus.errors import ReadError
from corpus.formats import Extracted
from corpus.numbering import Numbering

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    # What a truncated or foreign file makes the ZIP, XML and package readers raise.
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError, XMLSyntaxError, KeyError,
            ValueError) as exc:
        raise ReadError(f"tệp Word (.docx) hỏng, không đọc được ({type(exc).__name__}: {exc})",
                        "damaged-file") from None
    numbering = Numbering.of(document)
    blocks = list(_blocks(document.element.body, numbering))
    text = "\n\n".join(block for block in blocks if block.strip())
    if not text.strip():
        raise ReadError("tệp Word không có chữ", "no-text")
    return Extracted(text)


def _blocks(container, numbering: Numbering):
    """Text blocks of a body, cell or content control, in document order."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            yield _paragraph_text(child, numbering)
        elif tag == f"{_W}tbl":
            yield from _table_blocks(child, numbering)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content, numbering)


def _table_blocks(table, numbering: Numbering):
    """Each cell of each row as one block (its paragraphs as lines), left to right, top to bottom.

    A cell merged down over several rows (vMerge) is read once, in its first row.
    """
    for row in table.iterchildren(f"{_W}tr"):
        for cell in row.iterchildren(f"{_W}tc"):
            merge = cell.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(f"{_W}val") in (None, "continue"):
                continue
            # Empty paragraphs in a signature cell are the space left for the signature.
            cell_text = "\n".join(_blocks(cell, numbering)).strip("\n")
            if cell_text.strip():
                yield cell_text


# Text inside these is not part of the paragraph's own text: deleted revisions, text
# boxes (drawn over the page, with a copy for old readers in mc:Fallback), field codes.
_NOT_TEXT = {f"{_W}del", f"{_W}txbxContent", f"{_W}instrText", f"{_W}delText",
             "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"}


def _paragraph_text(p, numbering: Numbering) -> str:
    parts = []
    for element in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):
        if _inside_excluded(element, p):
            continue
        tag = element.tag
        if tag == f"{_W}t":
            parts.append(element.text or "")
        elif tag == f"{_W}tab":
            parts.append(" ")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif element.get(f"{_W}type") in (None, "textWrapping"):  # not page or column breaks
            parts.append("\n")
    text = "".join(parts)
    label = numbering.label(p)
    if label and text.strip():
        text = f"{label} {text.lstrip()}"
    return text


def _inside_excluded(element, p) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not p:
        if parent.tag in _NOT_TEXT:
            return True
        parent = parent.getparent()
    return False
