"""The directive page reads like the directive: its own headings and numbering, text in order,
"Nơi nhận" and the signature at the end, one table-of-contents number, one reference per cited
document, and the original file to download.

Pages are read with an HTML parser (BeautifulSoup), for the five samples as
.txt and as .docx (tests/directive_files.py lays them out as offices do).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

import corpus
from directive_files import docx_bytes, split_directive
from test_corpus_edge import to_cp1258
from indexer import build_index
from search_app import create_app, originals
from searcher.handle import IndexHandle

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {p.name[:3]: p for p in sorted((ROOT / "corpus" / "samples").glob("*.txt"))}
DOCX_NAME_002 = "Kế hoạch 655-KH-PGDĐT thi đua.docx"  # a Vietnamese file name, as offices name them

#: The headings each sample writes, in order, with their numbers as written; nothing else is a heading.
HEADINGS = {
    "000": ["I. Mục đích, yêu cầu", "1. Mục đích", "2. Yêu cầu", "II. Nhiệm vụ và giải pháp",
            "1. Đối với công tác ứng phó với diễn biến tình hình dịch bệnh COVID-19 trên địa bàn huyện",
            "2. Về nhiệm vụ và giải pháp năm 2022", "III. Tổ chức thực hiện"],
    "002": ["I. Mục đích, yêu cầu", "II. Nội dung phong trào thi đua", "III. Giải pháp thực hiện",
            "IV. Tổ chức thực hiện", "1. Phòng Giáo dục và Đào tạo", "2. Các đơn vị trực thuộc"],
    "004": ["I. Mục đích, yêu cầu", "II. Nội dung thực hiện", "III. Tổ chức thực hiện"],
}

#: (sample, a numbered sentence as the page must show it: number, then the paragraph).
NUMBERED_PARAGRAPHS = [
    ("002", "1. Tổ chức thực hiện tốt Chỉ thị số 19/CT-TTg và Chỉ thị số 14/CT-UBND nhằm tạo sự chuyển biến"),
    ("003", "2. Xây dựng kế hoạch và có các giải pháp đột phá nâng cao chất lượng giáo dục. Căn cứ hướng dẫn"),
    ("003", "a) Triển khai thực hiện Chương trình Giáo dục mầm non đã được sửa đổi, bổ sung"),
    ("004", "9. Phối hợp Ban Dân vận Huyện ủy tổ chức Diễn đàn"),
    ("001", "1. Về tuyên truyền, vận động đến đội ngũ thực hiện hiệu quả Kế hoạch tổng thể"),
]

CLOSINGS = {
    "000": (["Hiệu trưởng các trường MN (công lập và ngoài công lập), TH, THCS trên địa bàn huyện",
             "Hiệu trưởng Trường TH-THCS Tân Trung", "Hiệu trưởng Trường Nuôi dạy trẻ em khuyết tật",
             "Hiệu trưởng Trường Bồi dưỡng giáo dục huyện", "Lưu: VT, NTPhuong.02"],
            ["TRƯỞNG PHÒNG", "Trần Văn Toản"]),
    "001": (["Ban Dân vận Thành ủy (để báo cáo)", "Đảng bộ, chi bộ cơ sở (để thực hiện)", "Lưu Văn phòng Đảng ủy"],
            ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Nguyễn Huỳnh Long"]),
    "002": (["Các đơn vị trực thuộc", "Lãnh đạo Phòng GD&ĐT", "Lưu: VT"], ["Nguyễn Thị Thu Hiền"]),
    "003": (["Sở GD&ĐT", "TTHU-TTĐND huyện", "CT, các PCT UBND huyện", "Ban Tuyên giáo Huyện ủy",
             "Ủy ban MTTQVN huyện và các đoàn thể", "Các phòng, ban, ngành, đoàn thể huyện", "UBND các xã, thị trấn",
             "Cổng Thông tin điện tử huyện", "Lưu: VT"],
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Mạnh Thắng"]),
    "004": (["Sở GD&ĐT", "Ban Dân vận HU", "UBND huyện", "Các trường học trực thuộc", "Lưu: VT"], []),
}


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def ids_by_sample(store) -> dict[str, str]:
    """Directive ids by sample ("002"), read from the files' names."""
    def key(source):
        name = Path(source).name
        return "002" if name == DOCX_NAME_002 else name[:3]
    return {key(source): doc_id for source, (doc_id, _) in store.sources().items()}


@pytest.fixture(scope="module")
def txt_ids(index_dir):
    handle = IndexHandle(index_dir)
    try:
        yield ids_by_sample(handle.snapshot().store)
    finally:
        handle.close()


@pytest.fixture(scope="module")
def docx_site(tmp_path_factory):
    """A test client over an index of the five samples as Word files, and their ids."""
    root = tmp_path_factory.mktemp("docx-site")
    folder = root / "Văn bản"
    folder.mkdir()
    for key, txt in SAMPLES.items():
        name = DOCX_NAME_002 if key == "002" else txt.with_suffix(".docx").name
        (folder / name).write_bytes(docx_bytes(split_directive(txt.read_text("utf-8"))))
    report = build_index(folder, root / "index")
    assert not report.failures, report.failures
    app = create_app({"TESTING": True, "INDEX_DIR": str(root / "index")})
    handle = app.extensions["index_handle"]
    ids = ids_by_sample(handle.snapshot().store)
    yield app.test_client(), ids, folder
    handle.close()


def page(client, doc_id: str) -> BeautifulSoup:
    response = client.get(f"/documents/{doc_id}")
    assert response.status_code == 200, doc_id
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def headings(soup) -> list[str]:
    return [text_of(h).lstrip("§ ") for h in soup.select(".body h3, .body h4, .body h5, .body h6")]


def body_paragraphs(soup) -> list[str]:
    return [text_of(p) for p in soup.select(".body p")]


@pytest.fixture(params=["txt", "docx"])
def site(request, client, txt_ids, docx_site):
    """(client, ids by sample) for the samples as .txt and as .docx: both must read the same."""
    if request.param == "txt":
        return client, txt_ids
    docx_client, ids, _ = docx_site
    return docx_client, ids


@pytest.mark.parametrize("sample", sorted(HEADINGS))
def test_headings_are_the_documents_own(site, sample):
    client, ids = site
    soup = page(client, ids[sample])
    assert headings(soup) == HEADINGS[sample]


@pytest.mark.parametrize("sample, paragraph", NUMBERED_PARAGRAPHS)
def test_a_numbered_sentence_is_a_paragraph_with_its_number_shown_once(site, sample, paragraph):
    client, ids = site
    soup = page(client, ids[sample])
    found = [p for p in body_paragraphs(soup) if p.startswith(paragraph)]
    assert len(found) == 1, paragraph
    # Its words are not repeated as a (truncated) heading above it.
    sentence_start = paragraph.split(" ", 1)[1][:40]
    assert not any(sentence_start in h for h in headings(soup))
    assert not any(h.endswith("…") for h in headings(soup))


@pytest.mark.parametrize("sample, closing, after", [
    ("002", "Phòng Giáo dục và Đào tạo yêu cầu Thủ trưởng các đơn vị triển khai thực hiện",
     "thực hiện Chỉ thị số 19/CT-TTg và Chỉ thị số 14/CT- UBND, coi đó là một trong những nội dung"),
    ("003", "Ủy ban nhân dân huyện yêu cầu các cấp, các ngành",
     "4. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam huyện"),
])
def test_closing_sentence_keeps_its_place_after_the_last_item(site, sample, closing, after):
    client, ids = site
    paragraphs = body_paragraphs(page(client, ids[sample]))
    at = next(i for i, p in enumerate(paragraphs) if p.startswith(closing))
    assert at == len(paragraphs) - 1
    assert any(after in p for p in paragraphs[:at]) and not any(after in p for p in paragraphs[at + 1:])


@pytest.mark.parametrize("sample", sorted(CLOSINGS))
def test_recipients_left_and_signature_right_at_the_end(site, sample):
    client, ids = site
    soup = page(client, ids[sample])
    recipients, signature = CLOSINGS[sample]
    closing = soup.select_one(".closing")
    assert closing is not None
    # After the body, recipients first (the left column), then the signature block.
    columns = closing.find_all("div", recursive=False)
    assert [c["class"] for c in columns] == [["recipients"], ["signature"]]
    assert [text_of(li).rstrip(";.") for li in closing.select(".recipients li")] == recipients
    assert [text_of(p) for p in closing.select(".signature p")] == signature
    if signature:
        assert closing.select(".signature p")[-1]["class"] == ["signer-name"]
    assert closing.find_previous("div", class_="body") is not None
    # Recipients are not repeated in the table at the top.
    assert "Nơi nhận" not in text_of(soup.select_one(".meta-table"))


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_table_of_contents_numbers_each_entry_once(site, sample):
    client, ids = site
    soup = page(client, ids[sample])
    entries = [text_of(a) for a in soup.select("nav.toc li > a")]
    for entry in entries:
        # "1. 1. …", "2. I. …": two numbers in a row.
        assert not re.match(r"^\S+[.)] +(?:[IVX]+|\d+(?:\.\d+)*|[a-zđ])[.)] ", entry), entry
        assert entry in headings(soup), entry
    # The list adds no numbers of its own (style.css: list-style none).
    css = (ROOT / "search_app" / "static" / "style.css").read_text("utf-8")
    assert re.search(r"\.toc ol \{[^}]*list-style: none", css)


def test_each_cited_document_is_listed_once(site):
    client, ids = site
    soup = page(client, ids["003"])
    listed = [text_of(a) for a in soup.select(".refs li > a")]
    assert len(listed) == len(set(listed))
    circulars = [t for t in listed if re.match(r"Thông tư số 1[789]/TT-BGDĐT", t)]
    assert circulars == [f"Thông tư số {n}/TT-BGDĐT của Bộ Giáo dục và Đào tạo" for n in (17, 18, 19)]


# --- The original file ------------------------------------------------------------------------------

def test_txt_original_is_a_download_link_with_its_size(client, txt_ids):
    soup = page(client, txt_ids["002"])
    link = soup.select_one("a.download")
    size = SAMPLES["002"].stat().st_size
    assert text_of(link) == f"Tải văn bản gốc (.txt, {round(size / 1024)} KB)"
    # The internal file name is not shown as the source any more.
    assert "002_43a1c1c90911598f" not in text_of(soup.select_one("main"))
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response.data == SAMPLES["002"].read_bytes()
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=002_43a1c1c90911598f.txt"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_docx_original_downloads_with_its_vietnamese_name(docx_site):
    client, ids, folder = docx_site
    soup = page(client, ids["002"])
    link = soup.select_one("a.download")
    data = (folder / DOCX_NAME_002).read_bytes()
    assert text_of(link) == f"Tải văn bản gốc (.docx, {round(len(data) / 1024)} KB)"
    response = client.get(link["href"])
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Type"] == \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = response.headers["Content-Disposition"]
    # RFC 6266: an ASCII fallback and the real name as UTF-8 in filename*.
    assert disposition.startswith("attachment; filename=")
    assert f"filename*=UTF-8''{quote(DOCX_NAME_002)}" in disposition
    api = client.get(f"/api/v1/documents/{ids['002']}").get_json()["original"]
    assert (api["name"], api["size"], api["url"]) == (DOCX_NAME_002, len(data), link["href"])


def test_windows_1258_text_is_served_with_its_own_charset(tmp_path, app_for):
    folder = tmp_path / "corpus"
    folder.mkdir()
    text = SAMPLES["002"].read_text("utf-8")
    (folder / "ke-hoach.txt").write_bytes(to_cp1258(text))
    build_index(folder, tmp_path / "index")
    app = app_for(tmp_path / "index")
    client = app.test_client()
    doc_id = ids_by_sample(app.extensions["index_handle"].snapshot().store)["ke-"]
    response = client.get(f"/documents/{doc_id}/original")
    assert response.headers["Content-Type"] == "text/plain; charset=windows-1258"
    assert unicodedata.normalize("NFC", response.data.decode("cp1258")) == text


def test_a_changed_or_removed_original_is_not_served(tmp_path, app_for):
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "samples", folder)
    build_index(folder, tmp_path / "index")
    app = app_for(tmp_path / "index")
    client = app.test_client()
    doc_id = ids_by_sample(app.extensions["index_handle"].snapshot().store)["002"]
    path = folder / SAMPLES["002"].name
    path.write_text(path.read_text("utf-8") + "\nSửa sau khi lập chỉ mục.", encoding="utf-8")
    response = client.get(f"/documents/{doc_id}/original")
    assert response.status_code == 404 and "tệp gốc" in response.get_data(as_text=True)
    path.unlink()
    assert page(client, doc_id).select_one("a.download") is None
    assert client.get(f"/documents/{doc_id}/original").status_code == 404


@pytest.mark.parametrize("source", [
    "../secret.txt", "../../etc/passwd.txt", "/etc/hosts.txt", "uploads/../../secret.txt", "a/../../secret.txt",
    "link.txt",  # a symbolic link in the corpus pointing outside it
])
def test_a_source_outside_the_corpus_and_uploads_is_never_served(tmp_path, source):
    corpus_dir, uploads = tmp_path / "corpus", tmp_path / "var" / "uploads"
    corpus_dir.mkdir()
    uploads.mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("bí mật", encoding="utf-8")
    (corpus_dir / "link.txt").symlink_to(tmp_path / "secret.txt")
    snap = SimpleNamespace(generation=SimpleNamespace(manifest={"corpus": str(corpus_dir), "uploads": str(uploads)}))
    assert originals.find(snap, {"id": "x", "source": source}) is None


def test_an_upload_is_found_in_the_uploads_folder(tmp_path):
    corpus_dir, uploads = tmp_path / "corpus", tmp_path / "var" / "uploads"
    corpus_dir.mkdir()
    uploads.mkdir(parents=True)
    (uploads / "Công văn 12.txt").write_text("Công văn", encoding="utf-8")
    snap = SimpleNamespace(generation=SimpleNamespace(manifest={"corpus": str(corpus_dir), "uploads": str(uploads)}))
    found = originals.find(snap, {"id": "x", "source": "uploads/Công văn 12.txt"})
    assert found is not None and found.path == (uploads / "Công văn 12.txt").resolve()
    assert originals.find(snap, {"id": "x", "source": "records.jsonl#12"}) is None


@pytest.mark.parametrize("path", [
    "/documents/..%2F..%2Fetc%2Fpasswd/original", "/documents/%2E%2E/original",
    "/documents/655-kh-pgddt-2021/original/../../../etc/passwd", "/documents/khong-co/original",
])
def test_traversal_in_the_url_is_a_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.data


@pytest.mark.parametrize("size, label", [(850, "850 B"), (48 * 1024 + 100, "48 KB"), (1_300_000, "1,2 MB")])
def test_sizes_read_as_staff_write_them(size, label):
    assert originals.human_size(size) == label


def test_manifest_records_the_corpus_and_uploads_folders_as_absolute_paths(index_dir, sample_dir):
    from indexer import layout

    manifest = layout.read_manifest(layout.current_generation(index_dir))
    assert Path(manifest["corpus"]) == sample_dir.resolve() and Path(manifest["corpus"]).is_absolute()
    assert Path(manifest["uploads"]).is_absolute()
