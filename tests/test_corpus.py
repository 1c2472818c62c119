"""The parser on the five real sample directives: every public field a user sees."""

import json

import pytest

import corpus

SAMPLES = {
    "000": "000_0c190002a228be20.txt",
    "001": "001_f74942306add2ba5.txt",
    "002": "002_43a1c1c90911598f.txt",
    "003": "003_1cdd3520dbf33d3e.txt",
    "004": "004_a92abdaa7ce0d418.txt",
}


@pytest.fixture(scope="module")
def docs(sample_dir):
    return {key: corpus.parse_file(sample_dir / name, sample_dir) for key, name in SAMPLES.items()}


def refs_by_number(directive):
    return {ref.number: ref for ref in directive.references}


@pytest.mark.parametrize("key, doc_id, number, doc_type, label", [
    ("000", "ke-hoach-2662f66ee2", None, "ke_hoach", "Kế hoạch"),
    ("001", "34-hd-du", "34-HD/ĐU", "huong_dan", "Hướng dẫn"),
    ("002", "655-kh-pgddt-2021", "655/KH-PGDĐT", "ke_hoach", "Kế hoạch"),
    ("003", "chi-thi-dc177e01b7", None, "chi_thi", "Chỉ thị"),
    ("004", "ke-hoach-1760b0085c", None, "ke_hoach", "Kế hoạch"),
])
def test_identity_number_and_type(docs, key, doc_id, number, doc_type, label):
    d = docs[key]
    assert (d.id, d.number, d.doc_type, d.doc_type_label) == (doc_id, number, doc_type, label)
    assert d.source == SAMPLES[key]


@pytest.mark.parametrize("key, issuer", [
    # It names no district of its own; the district whose People's Committee it cites.
    ("000", "Phòng Giáo dục và Đào tạo huyện Củ Chi"),
    ("001", "Đảng ủy Sở Giáo dục và Đào tạo"),
    ("002", "Phòng Giáo dục và Đào tạo huyện Minh Long"),
    ("003", "Ủy ban nhân dân huyện"),
    ("004", "Phòng Giáo dục và Đào tạo huyện Dầu Tiếng"),
])
def test_issuer_inferred_from_the_body(docs, key, issuer):
    assert docs[key].issuer == issuer


def test_a_bare_district_office_takes_the_district_its_text_names_most():
    from corpus.orgs import most_specific

    text = ("Căn cứ Kế hoạch của Ủy ban nhân dân huyện Củ Chi; Ủy ban nhân dân huyện Củ Chi chỉ đạo; "
            "học tập kinh nghiệm huyện Hóc Môn.")
    assert most_specific("Phòng Giáo dục và Đào tạo huyện", [], text) == "Phòng Giáo dục và Đào tạo huyện Củ Chi"
    # A province named in the text is not a district: the name stays as written.
    assert most_specific("Ủy ban nhân dân huyện", [], "Ủy ban nhân dân thành phố Hải Phòng") == "Ủy ban nhân dân huyện"


@pytest.mark.parametrize("key, place, date, year, inferred", [
    ("000", None, None, 2022, True),
    ("001", None, None, 2022, True),
    ("002", "Minh Long", "2021-12-02", 2021, False),
    ("003", None, None, 2021, True),
    ("004", None, None, 2024, True),
])
def test_place_date_and_year(docs, key, place, date, year, inferred):
    d = docs[key]
    assert (d.place, d.issued_date, d.year, d.year_inferred) == (place, date, year, inferred)


@pytest.mark.parametrize("key, name, title, on_behalf_of", [
    ("000", "Trần Văn Toản", "Trưởng phòng", None),
    ("001", "Nguyễn Huỳnh Long", "Phó Bí thư Thường trực", "Ban Thường vụ"),
    ("002", "Nguyễn Thị Thu Hiền", None, None),
    ("003", "Nguyễn Mạnh Thắng", "Phó Chủ tịch", "Ủy ban nhân dân"),
    ("004", None, None, None),
])
def test_signer(docs, key, name, title, on_behalf_of):
    d = docs[key]
    assert (d.signer.name, d.signer.title, d.signer_on_behalf_of) == (name, title, on_behalf_of)


def test_titles_are_the_trich_yeu(docs):
    assert docs["000"].title.startswith("Tổ chức thực hiện Nghị quyết số 118/NQ-HĐND")
    assert docs["000"].title.endswith("Hội đồng nhân dân Thành phố")
    assert docs["001"].title.startswith("triển khai thực hiện Kế hoạch số 89-KH/TU")
    assert docs["002"].title.endswith("Đại hội đại biểu Đảng bộ tỉnh lần thứ XX")
    assert docs["003"].title == ("Về thực hiện nhiệm vụ năm học 2021-2022 ứng phó với dịch COVID-19, tiếp tục "
                                 "thực hiện đổi mới, kiên trì mục tiêu chất lượng giáo dục và đào tạo")
    # Directly under "KẾ HOẠCH" with no blank line, and starting like a body paragraph.
    assert docs["004"].title == "Thực hiện công tác Dân vận năm 2024"


def test_recipients_from_noi_nhan_even_misspelt(docs):
    assert docs["000"].recipients == [
        "Hiệu trưởng các trường MN (công lập và ngoài công lập), TH, THCS trên địa bàn huyện",
        "Hiệu trưởng Trường TH-THCS Tân Trung",
        "Hiệu trưởng Trường Nuôi dạy trẻ em khuyết tật",
        "Hiệu trưởng Trường Bồi dưỡng giáo dục huyện",
        "Lưu: VT, NTPhuong.02",
    ]
    assert docs["001"].recipients == ["Ban Dân vận Thành ủy (để báo cáo)", "Đảng bộ, chi bộ cơ sở (để thực hiện)",
                                      "Lưu Văn phòng Đảng ủy"]
    assert docs["002"].recipients == ["Các đơn vị trực thuộc", "Lãnh đạo Phòng GD&ĐT", "Lưu: VT"]
    assert len(docs["003"].recipients) == 9 and docs["003"].recipients[-1] == "Lưu: VT"
    assert docs["004"].recipients[0] == "Sở GD&ĐT"


def test_references_with_dates_and_issuers(docs):
    refs = refs_by_number(docs["002"])
    ct19 = refs["19/CT-TTg"]
    assert (ct19.doc_type, ct19.date, ct19.issuer) == ("chi_thi", "2021-07-16", "Thủ tướng Chính phủ")
    assert ct19.text == "Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ"
    # "Chỉ thị số 14/CT- UBND" later in the text is the same document, cited once.
    assert refs["14/CT-UBND"].date == "2021-08-06"
    assert sum(ref.number == "14/CT-UBND" for ref in docs["002"].references) == 1
    assert refs["01-CTr/TU"].doc_type == "chuong_trinh_hanh_dong"
    assert refs["01-CTr/TU"].issuer == "Tỉnh ủy"
    assert "655/KH-PGDĐT" not in refs  # its own number


def test_references_in_messy_forms(docs):
    refs003 = refs_by_number(docs["003"])
    assert refs003["54/2014/NQ-HĐND"].date == "2019-12-09"          # "Nghị quyết 54/…" without "số"
    assert refs003["29-NQ/TW"].issuer == "Ban chấp hành Trung ương 4"  # "số 29 NQ/TW"
    assert {"17/TT-BGDĐT", "18/TT-BGDĐT", "19/TT-BGDĐT"} <= set(refs003)
    assert refs003["51/2020/TT-BGDDT"].doc_type == "thong_tu"
    refs001 = refs_by_number(docs["001"])
    assert refs001["33/CT-TTg"].date == "2021-11-26"                # "Chỉ thị 33/CT-TTg"
    refs000 = refs_by_number(docs["000"])
    assert refs000["118/NQ-HĐND"].date == "2021-12-09"              # "ngày 09 tháng 12 năm 2021"
    refs004 = refs_by_number(docs["004"])
    assert refs004["05-CTPH/BDVHU-PGDĐT"].date == "2021-05-14"
    assert refs004["769/UBND-NC"].doc_type == "cong_van"
    assert refs004["769/UBND-NC"].issuer == "Ủy ban nhân dân huyện Dầu Tiếng"
    # "Kế hoạch 5 năm (2021-2025)" is not a citation.
    assert not any(ref.text.startswith(("Kế hoạch 5", "Kế hoạch 05")) for ref in docs["002"].references)
    assert all("/" in ref.number or "-" in ref.number for ref in docs["002"].references)


def section_ids(directive):
    return [s.id for s in directive.walk_sections()]


def test_section_tree_with_roman_parts(docs):
    d = docs["000"]
    assert section_ids(d) == ["can-cu", "muc-I", "muc-I-1", "muc-I-2", "muc-II", "muc-II-1", "muc-II-2", "muc-III"]
    can_cu, part_i = d.sections[0], d.sections[1]
    # The căn cứ paragraphs have no heading in the document, so none here.
    assert (can_cu.kind, can_cu.number, can_cu.heading) == ("can_cu", None, "")
    assert can_cu.text.endswith("Phòng Giáo dục và Đào tạo huyện xây dựng Kế hoạch triển khai thực hiện như sau:")
    assert (part_i.number, part_i.heading, part_i.kind) == ("I", "Mục đích, yêu cầu", "muc_dich_yeu_cau")
    assert [c.heading for c in part_i.children] == ["Mục đích", "Yêu cầu"]
    assert all(c.kind == "muc_dich_yeu_cau" for c in part_i.children)
    assert [s.kind for s in d.sections] == ["can_cu", "muc_dich_yeu_cau", "nhiem_vu_giai_phap", "to_chuc_thuc_hien"]
    # The signature and recipients are not section text.
    assert "Trần Văn Toản" not in d.sections[-1].text and "Noi nhận" not in d.sections[-1].text
    assert d.sections[-1].text.endswith("nghiêm túc tổ chức thực hiện./.")


def test_lettered_items_nest_under_numbered_items(docs):
    d = docs["003"]
    item = next(s for s in d.walk_sections() if s.id == "muc-I-2")
    assert [c.id for c in item.children] == ["muc-I-2-a", "muc-I-2-b", "muc-I-2-c"]
    # A numbered paragraph that is a sentence is a paragraph with its number, not a heading.
    assert (item.number, item.heading) == ("2", "")
    assert item.text.startswith("Xây dựng kế hoạch") and item.text.endswith("trong đó:")
    assert [(c.number, c.heading) for c in item.children] == [("a", ""), ("b", ""), ("c", "")]
    # A short title line is the heading; its text is what follows.
    short = next(s for s in d.walk_sections() if s.id == "muc-II-2")
    assert short.heading == "Triển khai chương trình, sách giáo khoa giáo dục phổ thông mới"
    assert short.text.startswith("Tiếp tục tham mưu Ủy ban nhân dân thành phố")
    # A title may hold a ";" between its parts.
    assert next(s for s in d.walk_sections() if s.id == "muc-II-9").heading.startswith(
        "Đổi mới công tác quản lý; đẩy mạnh công tác kiểm tra")
    assert [s.kind for s in d.sections] == ["can_cu", "nhiem_vu_giai_phap", "nhiem_vu_giai_phap", "to_chuc_thuc_hien",
                                            "to_chuc_thuc_hien"]


@pytest.mark.parametrize("sample, closing, last_item", [
    ("002", "Phòng Giáo dục và Đào tạo yêu cầu Thủ trưởng các đơn vị triển khai thực hiện .", "muc-IV-2"),
    ("003", "Ủy ban nhân dân huyện yêu cầu các cấp, các ngành", "muc-III-4"),
])
def test_closing_sentence_stays_after_the_last_item(docs, sample, closing, last_item):
    """Text keeps its order: the closing sentence comes after IV.2 (III.4), not before IV.1 (III.1)."""
    order = [(s.id, s.text) for s in docs[sample].walk_sections()]
    ids = [section_id for section_id, _ in order]
    at = next(i for i, (_, text) in enumerate(order) if text.startswith(closing))
    assert at == len(order) - 1 and ids[at - 1] == last_item
    part = next(s for s in docs[sample].sections if s.id == last_item.rsplit("-", 1)[0])
    assert closing not in part.text


def test_numbered_clauses_of_a_law_article_are_paragraphs():
    """ALQAC-style article text: clauses are sentences (lead-ins end in ":"), none a heading; nothing is lost."""
    text = ("Điều 26. Nội dung và hình thức của hợp đồng làm việc\n\n"
            "1. Hợp đồng làm việc có những nội dung chủ yếu sau:\n\n"
            "a) Tên, địa chỉ của đơn vị sự nghiệp công lập và người đứng đầu đơn vị sự nghiệp công lập;\n\n"
            "b) Công việc hoặc nhiệm vụ, vị trí việc làm và địa điểm làm việc;\n\n"
            "2. Hợp đồng làm việc được ký kết bằng văn bản giữa người đứng đầu đơn vị và viên chức.\n\n"
            "3. Mục tiêu cụ thể:\n\nBảo đảm quyền lợi của viên chức.")
    d = corpus.parse_text(text, source="dieu-26.txt")
    got = [(s.id, s.number, s.heading, s.text) for s in d.walk_sections()]
    assert got == [
        ("dieu-26", "26", "Nội dung và hình thức của hợp đồng làm việc", ""),
        ("dieu-26-1", "1", "", "Hợp đồng làm việc có những nội dung chủ yếu sau:"),
        ("dieu-26-1-a", "a", "", "Tên, địa chỉ của đơn vị sự nghiệp công lập và người đứng đầu đơn vị sự nghiệp công lập;"),
        ("dieu-26-1-b", "b", "", "Công việc hoặc nhiệm vụ, vị trí việc làm và địa điểm làm việc;"),
        ("dieu-26-2", "2", "", "Hợp đồng làm việc được ký kết bằng văn bản giữa người đứng đầu đơn vị và viên chức."),
        # A short lead-in over its own text is the document's heading.
        ("dieu-26-3", "3", "Mục tiêu cụ thể", "Bảo đảm quyền lợi của viên chức."),
    ]


def test_title_line_without_text_below_is_a_paragraph():
    d = corpus.parse_text("KẾ HOẠCH\nThi đua năm 2024\n\nI. NỘI DUNG\n\n1. Phát động phong trào thi đua\n\n"
                          "2. Khen thưởng kịp thời các tập thể", source="x.txt")
    items = [(s.number, s.heading, s.text) for s in d.walk_sections() if s.number in ("1", "2")]
    assert items == [("1", "", "Phát động phong trào thi đua"), ("2", "", "Khen thưởng kịp thời các tập thể")]


def test_document_without_roman_parts_gets_kinds(docs):
    d = docs["001"]
    assert section_ids(d) == ["can-cu", "muc-1", "muc-2", "muc-3", "to-chuc-thuc-hien"]
    assert [s.kind for s in d.sections] == ["can_cu", "nhiem_vu_giai_phap", "nhiem_vu_giai_phap",
                                            "nhiem_vu_giai_phap", "to_chuc_thuc_hien"]
    assert d.sections[-1].text.startswith("Trên đây là hướng dẫn của Đảng ủy Sở Giáo dục và Đào tạo")
    assert d.sections[-1].heading == ""  # the document gives the closing no heading


def test_broken_lines_are_joined(docs):
    text_001 = "\n\n".join(s.text for s in docs["001"].walk_sections())
    assert "phù hợp với những người làm nhiệm vụ y tế dự phòng" in text_001
    text_002 = "\n\n".join(s.text for s in docs["002"].walk_sections())
    assert "Chú trọng công tác động viên" in text_002
    text_003 = "\n\n".join(s.text for s in docs["003"].walk_sections())
    assert "thì chủ động chuẩn bị phương án" in text_003
    assert "Phối hợp với các Nhà xuất bản" in text_003
    # Markdown bold markers are gone.
    assert not any("**" in value for value in json.dumps(docs["001"].to_dict(), ensure_ascii=False).split('"'))


def test_warnings_say_what_is_missing(docs):
    assert "không tìm thấy số ký hiệu" in docs["000"].warnings
    assert "không tìm thấy ngày ban hành" in docs["003"].warnings
    assert "không tìm thấy người ký" in docs["004"].warnings
    assert docs["002"].warnings == []


def test_same_input_same_directive(sample_dir, docs):
    again = corpus.parse_file(sample_dir / SAMPLES["002"], sample_dir)
    assert again.to_dict() == docs["002"].to_dict()
    assert again.content_hash.startswith("sha256:") and len(again.content_hash) == 71


def test_doc_types_cover_nghi_dinh_30():
    for slug in ("nghi_quyet", "quyet_dinh", "chi_thi", "quy_che", "quy_dinh", "thong_cao", "thong_bao",
                 "huong_dan", "chuong_trinh", "ke_hoach", "phuong_an", "de_an", "du_an", "bao_cao", "bien_ban",
                 "to_trinh", "hop_dong", "cong_van", "cong_dien", "ban_ghi_nho", "ban_thoa_thuan",
                 "giay_uy_quyen", "giay_moi", "giay_gioi_thieu", "giay_nghi_phep", "phieu_gui", "phieu_chuyen",
                 "phieu_bao", "thu_cong", "luat", "nghi_dinh", "thong_tu", "ket_luan"):
        assert slug in corpus.DOC_TYPES
    assert corpus.DOC_TYPES["ke_hoach"] == "Kế hoạch"


def test_a_list_of_numbers_cites_each_document_once_under_its_own_name(docs):
    """"Thông tư số 17, 18, 19/TT-BGDĐT" is three documents, each listed once by its own number."""
    refs = [r for r in docs["003"].references if r.number.endswith("/TT-BGDĐT") and "/20" not in r.number]
    assert [(r.number, r.text) for r in refs] == [
        (f"{n}/TT-BGDĐT", f"Thông tư số {n}/TT-BGDĐT của Bộ Giáo dục và Đào tạo") for n in (17, 18, 19)]
    texts = [r.text for r in docs["003"].references]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize("sample, lines", [
    ("000", ["TRƯỞNG PHÒNG", "Trần Văn Toản"]),
    ("001", ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Nguyễn Huỳnh Long"]),
    ("003", ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Mạnh Thắng"]),
    ("004", []),
])
def test_signature_block_is_kept_as_written(docs, sample, lines):
    assert docs[sample].signature == lines
