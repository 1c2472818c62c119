"""Word 97-2003 (.doc) to text, through antiword (Debian), or LibreOffice where installed instead.

antiword writes the document as DocBook XML, which keeps paragraphs and
tables apart: tables are read as the .docx reader reads them (each cell in
turn, its paragraphs as lines). Without antiword, LibreOffice converts the file
to .docx for corpus.read_docx. Without either the file is refused with the
install command:

    text = read_doc(path.read_bytes()).text
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from corpus.errors import ReadError
from corpus.formats import Extracted
from corpus.tools import run_tool

INSTALL = "apt-get install antiword"
_TIMEOUT = 120
# DocBook elements whose text is not the document's body.
_SKIP = {"bookinfo", "footnote", "indexterm", "remark"}
_TEXT_BLOCKS = {"para", "simpara", "title", "literallayout", "programlisting"}


def doc_unavailable() -> str | None:
    """Why .doc files cannot be read here (English, with the install command), or None when they can."""
    if shutil.which("antiword") or _soffice():
        return None
    return f".doc (Word 97-2003): antiword not installed ({INSTALL})"


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(data: bytes) -> Extracted:
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError("không phải tệp Word 97-2003 (.doc): thiếu chữ ký OLE2", "damaged-file")
    with tempfile.TemporaryDirectory(prefix="vbsearch-doc-") as tmp:
        path = Path(tmp) / "in.doc"
        path.write_bytes(data)
        if shutil.which("antiword"):
            return Extracted(_antiword(path))
        if _soffice():
            return _libreoffice(path, Path(tmp))
    raise ReadError(f"chưa cài chương trình đọc tệp Word 97-2003 (.doc); cài bằng: {INSTALL}", "converter-missing")


def _antiword(path: Path) -> str:
    done = _run(["antiword", "-x", "db", str(path)], "antiword")
    try:
        root = ET.fromstring(done.stdout)
    except ET.ParseError as exc:
        raise ReadError(f"antiword trả về dữ liệu không đọc được ({exc})", "converter-failed") from None
    text = "\n\n".join(block for block in _blocks(root) if block.strip())
    if not text.strip():
        raise ReadError("tệp Word không có chữ", "no-text")
    return text


def _blocks(element):
    """Paragraph and table-cell texts of a DocBook tree, in document order."""
    tag = element.tag
    if tag in _SKIP:
        return
    if tag in ("informaltable", "table"):
        for entry in element.iter("entry"):
            # antiword writes the paragraphs of a cell as lines of the entry's text.
            cell = _lines("".join(_text(entry)))
            if cell:
                yield cell
        return
    if tag in _TEXT_BLOCKS and element.find(".//informaltable") is None:
        yield _lines("".join(_text(element)))
        return
    if tag in _TEXT_BLOCKS and element.text:
        yield _lines(element.text)
    for child in element:
        yield from _blocks(child)
        if tag in _TEXT_BLOCKS and child.tail:
            yield _lines(child.tail)


def _lines(text: str) -> str:
    return "\n".join(line for line in (" ".join(raw.split()) for raw in text.split("\n")) if line)


def _text(element):
    if element.tag in _SKIP:
        return
    if element.text:
        yield element.text
    for child in element:
        yield from _text(child)
        if child.tail:
            yield child.tail


def _libreoffice(path: Path, tmp: Path) -> Extracted:
    from corpus.read_docx import read_docx

    # Its own profile: LibreOffice refuses to start twice on one profile.
    profile = (tmp / "profile").as_uri()
    _run([_soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
          "--outdir", str(tmp), str(path)], "LibreOffice")
    converted = tmp / "in.docx"
    if not converted.exists():
        raise ReadError("LibreOffice không chuyển được tệp .doc", "converter-failed")
    return read_docx(converted.read_bytes())


def _run(args: list[str], name: str) -> subprocess.CompletedProcess:
    return run_tool(args, name, purpose="để đọc tệp .doc", install=INSTALL, timeout=_TIMEOUT)
