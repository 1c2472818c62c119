"""The parser on bad and unusual input: encodings, HTML, huge files, the CLI and corpus walks."""

import html
import json
import time
import unicodedata

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import corpus
import corpus.files
from corpus.__main__ import cli

SAMPLE_002 = "002_43a1c1c90911598f.txt"


@pytest.fixture(scope="module")
def text_002(sample_dir):
    return (sample_dir / SAMPLE_002).read_text("utf-8")


@pytest.fixture(scope="module")
def directive_002(text_002):
    return corpus.parse_bytes(text_002.encode("utf-8"), "002.txt", ".txt")


def without_provenance(directive):
    """The parsed content, without what depends on the bytes (hash, encoding warning)."""
    data = directive.to_dict()
    del data["content_hash"], data["source"]
    data["warnings"] = [w for w in data["warnings"] if not w.startswith("tệp mã hóa")]
    return data


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("data, reason, code", [
    (b"", "tệp rỗng", "empty-file"),
    (b"  \r\n\t \n", "tệp rỗng", "empty-file"),
    (b"\xef\xbb\xbf\n\n", "tệp rỗng", "empty-file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "tệp nhị phân (PNG), không phải văn bản", "binary-file"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "tệp nhị phân (PDF), không phải văn bản", "binary-file"),
    (bytes(range(256)) * 4, "tệp nhị phân, không phải văn bản", "binary-file"),
])
def test_unreadable_bytes_raise_parse_error(data, reason, code):
    with pytest.raises(corpus.ParseError) as info:
        corpus.parse_bytes(data, "bad.txt", ".txt")
    assert info.value.reason == reason
    assert info.value.code == code and code in corpus.CODES
    assert info.value.path == "bad.txt"
    assert str(info.value) == f"bad.txt: {reason}"


def test_bytes_that_are_no_known_encoding_are_refused():
    # Latin-1 symbols: not UTF-8, and as Windows-1258 they are not Vietnamese letters.
    with pytest.raises(corpus.ParseError) as info:
        corpus.parse_bytes("KẾ HOẠCH ¤¥¦§¨©ª«¬®¯°±²³".encode("utf-8")[:-1] + b"\xa4\xa5\xa6\xa7\xa8\xa9\xaa",
                           "x.txt", ".txt")
    assert "không phải UTF-8 hợp lệ" in info.value.reason and "Windows-1258" in info.value.reason
    assert info.value.code == "bad-encoding"


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:  # sparse: the size is refused before anything is read
        f.truncate(corpus.MAX_FILE_BYTES + 1)
    with pytest.raises(corpus.ParseError, match="tệp quá lớn") as info:
        corpus.parse_file(path)
    assert info.value.code == "too-large"
    assert corpus.MAX_FILE_BYTES == 10 * 1024 * 1024


def test_missing_file_is_a_parse_error(tmp_path):
    with pytest.raises(corpus.ParseError, match="không đọc được tệp") as info:
        corpus.parse_file(tmp_path / "nope.txt")
    assert info.value.code == "cannot-read"


# --- encodings and Unicode forms ----------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_utf8_bom_and_utf16_parse_like_utf8(text_002, directive_002, encoding):
    data = text_002.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # big-endian with BOM; "utf-16-le" stays without BOM
    directive = corpus.parse_bytes(data, "002.txt", ".txt")
    assert without_provenance(directive) == without_provenance(directive_002)
    assert directive.number == "655/KH-PGDĐT"


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text):
    """Vietnamese as Windows-1258 writes it: "ế" is "ê" (a code point there) plus a combining acute."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        out.append(unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS)) + tones)
    return "".join(out).encode("cp1258")


def test_windows_1258_with_combining_tone_marks(text_002, directive_002):
    data = to_cp1258(text_002)
    assert b"\xec" in data  # combining acute: this really is the decomposed form
    directive = corpus.parse_bytes(data, "002.txt", ".txt")
    assert (directive.number, directive.title) == (directive_002.number, directive_002.title)
    assert directive.issuer == "Phòng Giáo dục và Đào tạo huyện Minh Long"
    assert directive.warnings[0] == "tệp mã hóa WINDOWS-1258, đã chuyển sang Unicode"


def test_nfd_text_gives_the_same_directive(text_002, directive_002):
    nfd = unicodedata.normalize("NFD", text_002)
    assert nfd != text_002
    assert without_provenance(corpus.parse_text(nfd, "002.txt")) == without_provenance(directive_002)


def test_bom_zero_width_and_crlf_are_invisible(text_002, directive_002):
    messy = "\ufeff" + text_002.replace("KẾ HOẠCH", "KẾ\u200b HOẠCH").replace("\n", "\r\n")
    assert without_provenance(corpus.parse_text(messy, "002.txt")) == without_provenance(directive_002)


# --- HTML -------------------------------------------------------------------------------------

def as_html(text):
    """The .txt as a web page: blocks as <p>, line breaks as <br>, with noise around it."""
    paragraphs = [block.strip() for block in text.split("\n\n") if block.strip()]
    body = "".join("<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>\n" for p in paragraphs)
    return ("<!DOCTYPE html><html><head><title>Trang chủ</title><style>p { color: red }</style>"
            "<script>alert(1)</script></head><body><nav style='display:none'>Menu ẩn</nav>"
            f"<div class='content'>{body}</div><script>var x = 'KẾ HOẠCH';</script>"
            "<noscript>Bật JavaScript</noscript><!-- ghi chú --></body></html>")


def test_html_parses_to_the_same_directive_as_text(text_002, directive_002):
    directive = corpus.parse_bytes(as_html(text_002).encode("utf-8"), "002.html", ".html")
    assert without_provenance(directive) == without_provenance(directive_002)


def test_html_scripts_styles_and_hidden_text_are_not_content(text_002):
    directive = corpus.parse_bytes(as_html(text_002).encode("utf-8"), "002.html", ".html")
    dumped = json.dumps(directive.to_dict(), ensure_ascii=False)
    for noise in ("alert(1)", "color: red", "var x", "Menu ẩn", "Bật JavaScript", "Trang chủ", "ghi chú"):
        assert noise not in dumped


def test_html_entities_are_decoded():
    page = "<p>K&#7870; HO&#7840;CH</p><p>V&#7873; vi&#7879;c &quot;th&#7917;&quot;&nbsp;nghi&#7879;m</p>"
    directive = corpus.parse_bytes(page.encode(), "e.html", ".html")
    assert directive.doc_type == "ke_hoach"
    assert directive.title == 'Về việc "thử" nghiệm'


def test_deeply_nested_html_does_not_blow_the_stack():
    page = "<div>" * 10_000 + "<p>KẾ HOẠCH</p><p>Về việc thử nghiệm</p>" + "</div>" * 10_000
    directive = corpus.parse_bytes(page.encode(), "deep.html", ".html")
    assert (directive.doc_type, directive.title) == ("ke_hoach", "Về việc thử nghiệm")
    unclosed = "<span>" * 10_000 + "CHỈ THỊ<br>Về việc thử nghiệm"
    assert corpus.parse_bytes(unclosed.encode(), "deep.html", ".html").doc_type == "chi_thi"


def test_page_with_ten_thousand_links_is_quick():
    links = "".join(f'<li><a href="/van-ban/{i}">Văn bản số {i}/KH-UBND</a></li>' for i in range(10_000))
    page = f"<p>KẾ HOẠCH</p><p>Về việc liên kết</p><ul>{links}</ul>"
    started = time.monotonic()
    directive = corpus.parse_bytes(page.encode(), "links.html", ".html")
    assert time.monotonic() - started < 5
    assert directive.title == "Về việc liên kết"


def test_html_without_visible_text_is_refused():
    with pytest.raises(corpus.ParseError, match="không có chữ hiển thị"):
        corpus.parse_bytes(b"<html><script>alert(1)</script><style>p{}</style></html>", "s.html", ".html")


def test_html_file_that_is_only_a_url_parses_without_warnings():
    # BeautifulSoup would warn that this looks like a URL; pytest turns warnings into errors.
    directive = corpus.parse_bytes(b"http://example.com/van-ban", "u.html", ".html")
    assert directive.sections[0].text == "http://example.com/van-ban"


# --- size ------------------------------------------------------------------------------------------

def test_the_largest_file_accepted_parses_with_unique_section_ids(bench_module):
    # The file bench/parse.py times: a sample's parts repeated up to the size limit.
    data = bench_module("parse").largest_file()
    assert 9_000_000 < len(data) <= corpus.MAX_FILE_BYTES
    directive = corpus.parse_bytes(data, "big.txt", ".txt")
    ids = [s.id for s in directive.walk_sections()]
    assert len(ids) == len(set(ids)) > 5_000
    # The repeated part "I." gets the first free suffix ("muc-I-2" … are items of the first part),
    # and its items hang under that id.
    first, second = [s for s in directive.sections if s.number == "I"][:2]
    assert first.id == "muc-I" and second.id == "muc-I-8"
    assert second.children[0].id == "muc-I-8-1"


# --- structure of synthetic documents -----------------------------------------------------------

def test_header_block_gives_issuer_number_date_and_cong_van():
    text = ("ỦY BAN NHÂN DÂN HUYỆN MINH LONG\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO\n\nSố: 123/PGDĐT-VP\n"
            "V/v tổ chức hội thi giáo viên dạy giỏi\n\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
            "Minh Long, ngày 5 tháng 3 năm 2023\n\n"
            "Kính gửi: Hiệu trưởng các trường.\n\n"
            "Thực hiện Công văn số 45/SGDĐT-GDTrH ngày 01/02/2023 của Sở Giáo dục và Đào tạo, "
            "Phòng đề nghị các trường cử giáo viên tham gia.\n\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG\n\n\nLê Văn Ba\n")
    d = corpus.parse_text(text, "cv.txt")
    assert (d.number, d.doc_type, d.doc_type_label) == ("123/PGDĐT-VP", "cong_van", "Công văn")
    assert d.issuer == "Phòng Giáo dục và Đào tạo huyện Minh Long"
    assert (d.place, d.issued_date, d.year, d.year_inferred) == ("Minh Long", "2023-03-05", 2023, False)
    assert d.title == "V/v tổ chức hội thi giáo viên dạy giỏi"
    assert (d.signer.name, d.signer.title) == ("Lê Văn Ba", "Phó Trưởng phòng")
    assert d.recipients == ["Như trên", "Lưu: VT"]
    assert d.id == "123-pgddt-vp-2023"
    assert [r.number for r in d.references] == ["45/SGDĐT-GDTrH"]


def test_duplicate_item_numbers_get_suffixed_ids():
    text = "KẾ HOẠCH\n\nVề việc thử\n\n1. Việc một\n\nNội dung một.\n\n1. Việc một lần nữa\n\nNội dung.\n"
    ids = [s.id for s in corpus.parse_text(text, "dup.txt").walk_sections()]
    assert ids == ["muc-1", "muc-1-2"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("KẾHOẠCHSố:12/-IV.a)\n bcđơưNơi nhậnTM.ngày 5 tháng")), max_size=300))
def test_any_text_gives_a_directive_with_unique_section_ids(text):
    directive = corpus.parse_text(text, "fuzz.txt")
    ids = [s.id for s in directive.walk_sections()]
    assert len(ids) == len(set(ids))
    json.dumps(directive.to_dict(), ensure_ascii=False)


# --- corpus walk and CLI -------------------------------------------------------------------------

@pytest.fixture()
def messy_corpus(tmp_path, sample_dir):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_bytes((sample_dir / SAMPLE_002).read_bytes())
    (tmp_path / "sub" / "b.html").write_text("<p>CHỈ THỊ</p><p>Về việc thử nghiệm</p>", "utf-8")
    (tmp_path / "sub" / "c.txt").write_bytes(b"\x00\x01\x02binary\x00\xff")
    (tmp_path / ".hidden.txt").write_text("KẾ HOẠCH", "utf-8")
    (tmp_path / "notes.md").write_text("KẾ HOẠCH", "utf-8")
    return tmp_path


def test_iter_corpus_reports_bad_files_and_goes_on(messy_corpus):
    results = list(corpus.iter_corpus(messy_corpus))
    assert [p.relative_to(messy_corpus).as_posix() for p, _ in results] == ["a.txt", "notes.md", "sub/b.html",
                                                                           "sub/c.txt"]
    a, md, b, c = (r for _, r in results)
    assert a.number == "655/KH-PGDĐT" and a.source == "a.txt"
    assert isinstance(md, corpus.ParseError) and md.code == "unsupported-format" and ".md" in md.reason
    assert b.doc_type == "chi_thi" and b.source == "sub/b.html"
    assert isinstance(c, corpus.ParseError) and c.path == "sub/c.txt" and c.code == "binary-file"


def test_cli_prints_one_directive_as_readable_json(sample_dir):
    result = CliRunner().invoke(cli, ["parse", str(sample_dir / SAMPLE_002)])
    assert result.exit_code == 0
    assert "Phòng Giáo dục và Đào tạo huyện Minh Long" in result.stdout  # not \u escapes
    data = json.loads(result.stdout)
    assert data["id"] == "655-kh-pgddt-2021" and data["sections"][1]["id"] == "muc-I"
    assert result.stdout.startswith("{\n  ")


def test_cli_prints_a_folder_as_json_lines(sample_dir):
    result = CliRunner().invoke(cli, ["parse", str(sample_dir)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [json.loads(line)["source"] for line in lines] == sorted(p.name for p in sample_dir.glob("*.txt"))


def test_cli_reports_bad_files_on_stderr_and_fails(messy_corpus):
    result = CliRunner().invoke(cli, ["parse", str(messy_corpus)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: notes.md: định dạng .md chưa được hỗ trợ (đọc được: .txt, .html, .htm, .docx, .pdf, .doc) "
        "[unsupported-format]",
        "error: sub/c.txt: tệp nhị phân, không phải văn bản [binary-file]"]
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == ["a.txt", "sub/b.html"]


def test_cli_on_one_bad_file(messy_corpus):
    result = CliRunner().invoke(cli, ["parse", str(messy_corpus / "sub" / "c.txt")])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: c.txt: tệp nhị phân, không phải văn bản [binary-file]"
