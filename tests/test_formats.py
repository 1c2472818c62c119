"""Real archives: Word, PDF printed from a browser, scanned PDF and Word 97 read like the .txt of the same directive.

Fixtures are made here (tests/directive_files.py): each sample laid out as
directives are, with borderless two-column header and closing tables, saved
with python-docx, printed to PDF by headless Chromium (with its date, title,
URL and page-number margins), and scanned (rasterised, wrapped in a PDF with no
text layer) for Tesseract. The Word 97 file is tests/data/ (see its README).
Every file is either indexed or reported with a Vietnamese reason, an English
code and, for a missing converter, the install command.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import corpus
import indexer
from corpus import ocr, read_doc
from corpus.page_layout import Line, pages_to_text
from directive_files import chromium, docx_bytes, html_page, print_pdf, scan_pdf, split_directive
from indexer.__main__ import cli as indexer_cli
from search_app import create_app

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLES = sorted((ROOT / "corpus" / "samples").glob("*.txt"))
SAMPLE_002 = ROOT / "corpus" / "samples" / "002_43a1c1c90911598f.txt"
WORD_97 = DATA / "002_43a1c1c90911598f.doc"

needs_chromium = pytest.mark.skipif(chromium() is None, reason="chromium not installed: scripts/ensure-browser.sh")
needs_antiword = pytest.mark.skipif(shutil.which("antiword") is None,
                                    reason="antiword not installed: scripts/ensure-converters.sh")
needs_ocr = pytest.mark.skipif(ocr.ocr_unavailable() is not None,
                               reason="OCR not installed: scripts/ensure-converters.sh")


def same_directive(expected: corpus.Directive, got: corpus.Directive) -> None:
    """What staff see and search: identity, title, issuer, date, signer, recipients, references and every section."""
    for key in ("number", "doc_type", "title", "issuer", "place", "issued_date", "year", "signer",
                "signer_on_behalf_of", "recipients", "references"):
        assert getattr(got, key) == getattr(expected, key), key
    assert [(s.id, s.kind, s.heading, s.text) for s in got.walk_sections()] == \
           [(s.id, s.kind, s.heading, s.text) for s in expected.walk_sections()]


def as_docx(txt: Path) -> bytes:
    return docx_bytes(split_directive(txt.read_text("utf-8")))


# --- Word (.docx) ---------------------------------------------------------------------------------

@pytest.mark.parametrize("txt", SAMPLES, ids=lambda p: p.stem[:3])
def test_docx_with_two_column_tables_parses_like_the_txt(txt):
    expected = corpus.parse_file(txt)
    got = corpus.parse_bytes(as_docx(txt), txt.stem + ".docx", ".docx")
    same_directive(expected, got)
    assert got.id == expected.id and not got.ocr
    # The page header and footer of the Word file are not content.
    assert not any("VĂN BẢN MẪU" in s.text or "Trang 1" in s.text for s in got.walk_sections())


def test_docx_reads_issuer_cells_line_breaks_and_word_numbering():
    import io

    import docx
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nHUYỆN SƠN TỊNH"  # one paragraph, a line break inside
    header.cell(0, 0).add_paragraph("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    header.cell(1, 0).text = "Số: 41/KH-PGDĐT"
    header.cell(1, 1).text = "Sơn Tịnh, ngày 15 tháng 3 năm 2023"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Kiểm tra công tác thư viện trường học năm 2023")
    document.add_paragraph("Căn cứ Kế hoạch số 12/KH-UBND ngày 02/3/2023 của Ủy ban nhân dân huyện;")
    # Word draws "1." and "2." from numbering.xml: they are not in the paragraphs' text.
    document.add_paragraph("MỤC ĐÍCH, YÊU CẦU", style="List Number")
    document.add_paragraph("Đánh giá việc sử dụng thư viện xanh ở các trường tiểu học.")
    document.add_paragraph("TỔ CHỨC THỰC HIỆN", style="List Number")
    document.add_paragraph("Các trường báo cáo kết quả trước ngày 30/4/2023.")
    closing = document.add_table(rows=1, cols=2)
    closing.cell(0, 0).text = "Nơi nhận:"
    for line in ("- Các trường tiểu học;", "- Lưu: VT."):
        closing.cell(0, 0).add_paragraph(line)
    closing.cell(0, 1).text = "KT. TRƯỞNG PHÒNG"
    for line in ("PHÓ TRƯỞNG PHÒNG", "", "", "Lê Thị Hoà"):
        closing.cell(0, 1).add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)

    got = corpus.parse_bytes(buffer.getvalue(), "41.docx", ".docx")
    assert (got.number, got.doc_type, got.issued_date, got.place) == ("41/KH-PGDĐT", "ke_hoach", "2023-03-15",
                                                                     "Sơn Tịnh")
    assert got.issuer == "Phòng Giáo dục và Đào tạo huyện Sơn Tịnh"
    assert got.title == "Kiểm tra công tác thư viện trường học năm 2023"
    assert [(s.id, s.heading) for s in got.sections] == [
        ("can-cu", ""), ("muc-1", "MỤC ĐÍCH, YÊU CẦU"), ("muc-2", "TỔ CHỨC THỰC HIỆN")]
    assert (got.signer.name, got.signer.title) == ("Lê Thị Hoà", "Phó Trưởng phòng")
    assert got.recipients == ["Các trường tiểu học", "Lưu: VT"]


@pytest.mark.parametrize("suffix, data", [
    (".docx", b"PK\x03\x04" + b"\x00" * 200),
    (".pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog"),
    (".doc", b"<html>not a Word file</html>"),
])
def test_damaged_word_and_pdf_files_are_refused_with_a_reason(suffix, data):
    with pytest.raises(corpus.ParseError) as info:
        corpus.parse_bytes(data, "hong" + suffix, suffix)
    assert info.value.code == "damaged-file"
    assert info.value.reason.startswith(("tệp Word", "tệp PDF", "không phải tệp Word"))


# --- Word 97 (.doc) --------------------------------------------------------------------------------

@needs_antiword
def test_word_97_file_parses_like_the_txt():
    got = corpus.parse_file(WORD_97)
    same_directive(corpus.parse_file(SAMPLE_002), got)


def test_doc_without_a_converter_is_refused_with_the_install_command(monkeypatch):
    monkeypatch.setattr(read_doc.shutil, "which", lambda name: None)
    with pytest.raises(corpus.ParseError) as info:
        corpus.parse_file(WORD_97)
    assert info.value.code == "converter-missing"
    assert info.value.reason.endswith("cài bằng: apt-get install antiword")
    assert corpus.disabled_formats()[0] == ".doc (Word 97-2003): antiword not installed (apt-get install antiword)"


# --- PDF layout, from positioned lines (what pdfminer and Tesseract both give) ----------------------

def row(text, x0, x1, top, page=0, size=12.0):
    return Line(text, x0, x1, top, top + size, page)


def test_two_column_header_and_closing_rows_read_left_column_first():
    page = [
        row("ỦY BAN NHÂN DÂN", 90, 230, 60), row("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 280, 540, 60),
        row("HUYỆN MINH LONG", 95, 225, 76), row("Độc lập - Tự do - Hạnh phúc", 320, 500, 76),
        row("Số: 655/KH-PGDĐT", 100, 220, 100), row("Minh Long, ngày 02 tháng 12 năm 2021", 300, 530, 100),
        row("KẾ HOẠCH", 280, 350, 140),
        row("Thực hiện Kế hoạch số 1032/KH-SGDĐT ngày 11/11/2021 của Sở Giáo dục và Đào tạo", 90, 545, 170),
        row("đề nghị các đơn vị triển khai thực hiện.", 90, 320, 186),
        row("Nơi nhận:", 90, 150, 220), row("KT. CHỦ TỊCH", 360, 450, 220),
        row("- Các đơn vị trực thuộc;", 90, 240, 234), row("PHÓ CHỦ TỊCH", 355, 455, 236),
        row("- Lưu: VT.", 90, 150, 248),
        row("Nguyễn Thị Thu Hiền", 340, 470, 300),
    ]
    assert pages_to_text([page], [842]).split("\n\n") == [
        "ỦY BAN NHÂN DÂN", "HUYỆN MINH LONG", "Số: 655/KH-PGDĐT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Minh Long, ngày 02 tháng 12 năm 2021",
        "KẾ HOẠCH",
        "Thực hiện Kế hoạch số 1032/KH-SGDĐT ngày 11/11/2021 của Sở Giáo dục và Đào tạo "
        "đề nghị các đơn vị triển khai thực hiện.",
        "Nơi nhận:", "- Các đơn vị trực thuộc;", "- Lưu: VT.",
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Thị Thu Hiền",
    ]


def test_wrapped_lines_join_across_a_page_break_without_page_numbers_or_running_headers():
    def page(number, lines):
        return [row("Kế hoạch số 655/KH-PGDĐT", 250, 350, 20, number, 8),  # running header
                *lines, row(f"Trang {number + 1}/2", 280, 320, 815, number, 8)]
    first = page(0, [
        row("I. MỤC ĐÍCH, YÊU CẦU", 90, 260, 100),
        row("Tổ chức thực hiện tốt Chỉ thị số 19/CT-", 118, 545, 120),   # first-line indent
        row("TTg nhằm tạo sự chuyển biến trong công tác phòng, chống dịch COVID-", 90, 545, 136),
        row("19 và làm tốt công tác khen thưởng, đồng thời chú trọng", 90, 545, 152),
    ])
    second = page(1, [
        row("công tác động viên nhà giáo.", 90, 280, 60),
        row("Hàng năm các đơn vị báo cáo kết quả.", 118, 380, 82),
    ])
    assert pages_to_text([first, second], [842, 842]).split("\n\n") == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Tổ chức thực hiện tốt Chỉ thị số 19/CT-TTg nhằm tạo sự chuyển biến trong công tác phòng, chống dịch "
        "COVID-19 và làm tốt công tác khen thưởng, đồng thời chú trọng công tác động viên nhà giáo.",
        "Hàng năm các đơn vị báo cáo kết quả.",
    ]


def test_a_centred_title_over_several_lines_is_one_paragraph():
    page = [
        row("KẾ HOẠCH", 280, 350, 100),
        row("Tổ chức thực hiện Nghị quyết số 118/NQ-HĐND ngày 09 tháng 12 năm 2021 về chất", 100, 535, 116),
        row("vấn và trả lời chất vấn tại kỳ họp thứ tư", 200, 435, 132),
        row("Căn cứ Nghị quyết số 118/NQ-HĐND ngày 09 tháng 12 năm 2021 của Hội đồng nhân dân", 118, 545, 160),
        row("Thành phố khóa X;", 90, 200, 176),
    ]
    assert pages_to_text([page], [842]).split("\n\n") == [
        "KẾ HOẠCH",
        "Tổ chức thực hiện Nghị quyết số 118/NQ-HĐND ngày 09 tháng 12 năm 2021 về chất vấn và trả lời chất vấn "
        "tại kỳ họp thứ tư",
        "Căn cứ Nghị quyết số 118/NQ-HĐND ngày 09 tháng 12 năm 2021 của Hội đồng nhân dân Thành phố khóa X;",
    ]


class Glyph:
    """What pdfminer gives for a drawn character: its text and box (y up from the page bottom) and size."""

    def __init__(self, text, x0, width=8.0, y0=700.0, size=12.0):
        self.text, self.x0, self.x1, self.y0, self.y1, self.size = text, x0, x0 + width, y0, y0 + size, size

    def get_text(self):
        return self.text


def test_letters_drawn_later_from_a_fallback_font_stay_in_their_words():
    # LibreOffice and Word draw the letters their font lacks ("Ộ", "ủ") from a fallback font,
    # after the rest of the line: by position they belong inside the words.
    from corpus.read_pdf import _lines
    glyphs = [Glyph("C", 100), Glyph("N", 116), Glyph("G", 124), Glyph(" ", 132), Glyph("H", 136), Glyph("Ò", 144),
              Glyph("A", 152), Glyph("S", 330), Glyph("ố", 338), Glyph(":", 346),  # a second column, same baseline
              Glyph("Ộ", 108),
              Glyph("c", 100, y0=680), Glyph("a", 116, y0=680), Glyph("ủ", 108, y0=680),
              Glyph("c", 100, y0=680),  # drawn twice: fake bold
              # A tone mark drawn as a combining character over its letter: no space before it.
              Glyph("n", 100, y0=660), Glyph("g", 108, y0=660), Glyph("a", 116, y0=660),
              Glyph("\u0300", 117, 0, y0=660), Glyph("y", 124, y0=660)]
    lines = _lines(glyphs, page_height=842, page=0)
    assert [(line.text, line.x0) for line in lines] == [
        ("CỘNG HÒA", 100), ("Số:", 330), ("của", 100), ("nga\u0300y", 100)]


def tiny_pdf(*pages: tuple[bool, list[str]]) -> bytes:
    """A PDF written by hand: each page a full-page 8x8 grey image or not, and lines of text (ASCII, Helvetica)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
            b" ".join(b"%d 0 R" % (5 + 2 * i) for i in range(len(pages))), len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Length 64 >>\nstream\n" + b"\x80" * 64 + b"\nendstream",
    ]
    for i, (image, lines) in enumerate(pages):
        content = b"q 595 0 0 842 0 0 cm /Im1 Do Q\n" if image else b""
        for n, line in enumerate(lines):
            content += b"BT /F1 11 Tf 72 %d Td (%s) Tj ET\n" % (780 - 16 * n, line.encode("ascii"))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
                       b"/XObject << /Im1 4 0 R >> >> /Contents %d 0 R >>" % (6 + 2 * i))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PLAN = ["KE HOACH", "Kiem tra thu vien truong hoc nam 2023",
        "I. MUC DICH, YEU CAU", "Danh gia viec su dung thu vien xanh o cac truong tieu hoc tren dia ban huyen."]


@pytest.mark.parametrize("stamp", [[], ["DA KY"]], ids=["image only", "text layer only the stamp"])
def test_scanned_pdf_without_ocr_is_refused_with_the_install_command(monkeypatch, stamp):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(corpus.ParseError) as info:
        corpus.parse_bytes(tiny_pdf((True, stamp)), "scan.pdf", ".pdf")
    assert info.value.code == "converter-missing"
    assert info.value.reason.endswith("apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils")
    assert any(note.startswith("scanned PDF (OCR): pdftoppm, tesseract not installed")
               for note in corpus.disabled_formats())


def test_a_scanned_page_among_text_pages_without_ocr_is_named_in_a_warning(monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    got = corpus.parse_bytes(tiny_pdf((False, PLAN), (True, [])), "mixed.pdf", ".pdf")
    assert got.doc_type == "ke_hoach" and got.title == "Kiem tra thu vien truong hoc nam 2023"
    assert got.warnings[0] == ("trang 2 là ảnh quét, chưa nhận dạng được "
                               "(cài OCR: apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils)")
    assert got.ocr is False


# --- the build reports every file it skips ---------------------------------------------------------

def test_build_reports_unsupported_and_broken_files_and_stats_lists_them(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SAMPLE_002, folder)
    (folder / "004.docx").write_bytes(as_docx(SAMPLES[4]))
    (folder / "bang-tong-hop.xlsx").write_bytes(b"PK\x03\x04 spreadsheet")
    (folder / "ghi-chu").write_text("không có đuôi", "utf-8")
    (folder / "hong.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (folder / "~$004.docx").write_bytes(b"Word's lock file")
    (folder / "Thumbs.db").write_bytes(b"\x00")
    index = tmp_path / "index"
    runner = CliRunner()

    result = runner.invoke(indexer_cli, ["build", str(folder), "--index", str(index)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors[:2] == [
        "error: bang-tong-hop.xlsx: định dạng .xlsx chưa được hỗ trợ (đọc được: .txt, .html, .htm, .docx, .pdf, .doc)"
        " [unsupported-format]",
        "error: ghi-chu: tệp không có đuôi chưa được hỗ trợ (đọc được: .txt, .html, .htm, .docx, .pdf, .doc)"
        " [unsupported-format]",
    ]
    assert len(errors) == 3
    assert errors[2].startswith("error: hong.docx: tệp Word (.docx) hỏng") and errors[2].endswith("[damaged-file]")
    assert "Indexed 2 directives" in result.stdout
    assert "skipped 3: 2 unsupported-format, 1 damaged-file" in result.stdout

    stats = json.loads(runner.invoke(indexer_cli, ["stats", "--index", str(index), "--json"]).output)
    assert stats["directives"] == 2
    assert [(s["path"], s["code"]) for s in stats["skipped"]] == [
        ("bang-tong-hop.xlsx", "unsupported-format"), ("ghi-chu", "unsupported-format"), ("hong.docx", "damaged-file")]
    text = runner.invoke(indexer_cli, ["stats", "--index", str(index)]).output
    assert "skipped: 3 file(s) by the last build" in text
    assert "  hong.docx: tệp Word (.docx) hỏng" in text
    app = create_app({"TESTING": True, "INDEX_DIR": str(index)})
    try:
        status = app.test_client().get("/api/v1/status").get_json()
    finally:
        app.extensions["index_handle"].close()
    assert status["skipped"] == stats["skipped"]
    assert set(status["skipped"][0]) == {"path", "code", "reason"}

    # Fixed files leave the list even when nothing else changed.
    (folder / "bang-tong-hop.xlsx").unlink()
    (folder / "ghi-chu").unlink()
    (folder / "hong.docx").write_bytes(as_docx(SAMPLES[0]))
    result = runner.invoke(indexer_cli, ["build", str(folder), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert indexer.index_stats(index)["skipped"] == []
    assert indexer.index_stats(index)["directives"] == 3


# --- uploads take the same formats -----------------------------------------------------------------

TOKEN = "mật-khẩu-quản-trị"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def admin(tmp_path):
    """A server with write access over an index of one sample (not 002, which the uploads bring)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SAMPLES[0], folder)
    index = tmp_path / "var" / "index"
    indexer.build_index(folder, index)
    app = create_app({"TESTING": True, "INDEX_DIR": str(index), "ADMIN_TOKEN": TOKEN})
    yield app.test_client()
    app.extensions["index_handle"].close()


def post(client, data: bytes, filename: str):
    return client.post("/api/v1/documents", query_string={"filename": filename}, headers=AUTH, data=data,
                       content_type="application/octet-stream")


def test_upload_a_docx_returns_the_parsed_directive_and_is_searchable(admin):
    response = post(admin, as_docx(SAMPLE_002), "ke-hoach-655.docx")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id"] == "655-kh-pgddt-2021" and body["source"] == "uploads/ke-hoach-655.docx"
    assert body["warnings"] == []
    found = admin.get("/api/v1/search", query_string={"q": "Minh Long thi đua"}).get_json()
    assert [r["id"] for r in found["results"]] == ["655-kh-pgddt-2021"]
    document = admin.get("/api/v1/documents/655-kh-pgddt-2021").get_json()
    assert document["signer"]["name"] == "Nguyễn Thị Thu Hiền" and document["ocr"] is False


@pytest.mark.parametrize("filename, data, code_words", [
    ("hong.pdf", b"%PDF-1.4\n%broken", "tệp PDF hỏng"),
    ("hong.docx", b"PK\x03\x04broken", "tệp Word (.docx) hỏng"),
])
def test_a_broken_pdf_or_docx_upload_is_400_naming_the_reason(admin, filename, data, code_words):
    response = post(admin, data, filename)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"{filename}: {code_words}")


def test_a_doc_upload_without_antiword_is_400_with_the_install_command(admin, monkeypatch):
    monkeypatch.setattr(read_doc.shutil, "which", lambda name: None)
    response = post(admin, WORD_97.read_bytes(), "ke-hoach.doc")
    assert response.status_code == 400
    assert response.get_json()["error"].endswith("apt-get install antiword")


# --- printed and scanned PDFs (Chromium, Tesseract) ------------------------------------------------

@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    """Each sample printed by Chromium with its date/title header and URL/page-number footer."""
    folder = tmp_path_factory.mktemp("printed")
    return {txt.stem: print_pdf(html_page(split_directive(txt.read_text("utf-8"))), folder / f"{txt.stem}.pdf",
                                header_footer=True)
            for txt in SAMPLES}


@pytest.fixture(scope="module")
def scanned(printed, tmp_path_factory) -> Path:
    """Sample 002 printed, rasterised at 200 dpi and wrapped in an image-only PDF."""
    return scan_pdf(printed[SAMPLE_002.stem], tmp_path_factory.mktemp("scanned") / "002-scan.pdf")


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("txt", SAMPLES, ids=lambda p: p.stem[:3])
def test_pdf_printed_by_a_browser_parses_like_the_txt(printed, txt):
    got = corpus.parse_file(printed[txt.stem])
    same_directive(corpus.parse_file(txt), got)
    assert not got.ocr


@pytest.mark.slow
@needs_chromium
@needs_ocr
def test_scanned_pdf_is_read_by_ocr_and_says_so(scanned):
    got = corpus.parse_file(scanned)
    assert got.ocr is True
    assert (got.number, got.doc_type, got.issued_date, got.place) == ("655/KH-PGDĐT", "ke_hoach", "2021-12-02",
                                                                     "Minh Long")
    assert got.title.startswith("Tổ chức thực hiện Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ")
    assert got.signer.name == "Nguyễn Thị Thu Hiền"
    assert "Lãnh đạo Phòng GD&ĐT" in got.recipients
    confidence = [w for w in got.warnings if w.startswith("văn bản quét, nội dung nhận dạng tự động (OCR)")]
    assert confidence and 50 < float(confidence[0].rsplit(" ", 1)[1].rstrip("%")) <= 100
    # OCR may misread a heading's dot ("II NỘI DUNG"), so the body is checked by its words.
    assert [s.id for s in got.sections][:2] == ["can-cu", "muc-I"]
    body = " ".join(s.text for s in got.walk_sections())
    assert "Hội đồng Thi đua - Khen thưởng các cấp" in body and "đại dịch Covid-19" in body


@pytest.mark.slow
@needs_chromium
@needs_ocr
@needs_antiword
def test_a_folder_of_every_format_builds_and_every_file_is_indexed_or_reported(printed, scanned, tmp_path):
    folder = tmp_path / "archive"
    for kind in ("txt", "docx", "pdf"):
        (folder / kind).mkdir(parents=True)
    for txt in SAMPLES:
        shutil.copy(txt, folder / "txt")
        (folder / "docx" / f"{txt.stem}.docx").write_bytes(as_docx(txt))
        shutil.copy(printed[txt.stem], folder / "pdf")
    shutil.copy(scanned, folder / "scan-002.pdf")
    shutil.copy(WORD_97, folder / "word97-002.doc")
    (folder / "bang-tong-hop.xlsx").write_bytes(b"PK\x03\x04 spreadsheet")
    index = tmp_path / "index"

    result = subprocess.run([sys.executable, "-m", "indexer", "build", str(folder), "--index", str(index)],
                            cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 1, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("error: ")] == [
        "error: bang-tong-hop.xlsx: định dạng .xlsx chưa được hỗ trợ (đọc được: .txt, .html, .htm, .docx, .pdf, .doc)"
        " [unsupported-format]"]
    assert "Indexed 17 directives" in result.stdout and "skipped 1: 1 unsupported-format" in result.stdout
    stats = indexer.index_stats(index)
    assert stats["directives"] == 17 and [s["path"] for s in stats["skipped"]] == ["bang-tong-hop.xlsx"]

    app = create_app({"TESTING": True, "INDEX_DIR": str(index)})
    client = app.test_client()
    try:
        found = client.get("/api/v1/search", query_string={"q": "655/KH-PGDĐT", "per_page": 50}).get_json()
        by_source = {client.get(f"/api/v1/documents/{r['id']}").get_json()["source"]: r["id"]
                     for r in found["results"]}
        assert {"txt/002_43a1c1c90911598f.txt", "docx/002_43a1c1c90911598f.docx",
                "pdf/002_43a1c1c90911598f.pdf", "scan-002.pdf", "word97-002.doc"} <= set(by_source)
        page = client.get(f"/documents/{by_source['scan-002.pdf']}").get_data(as_text=True)
        assert "Văn bản quét — nội dung nhận dạng tự động" in page
        printed_page = client.get(f"/documents/{by_source['pdf/002_43a1c1c90911598f.pdf']}").get_data(as_text=True)
        assert "Văn bản quét" not in printed_page
    finally:
        app.extensions["index_handle"].close()
