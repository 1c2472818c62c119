"""The table of document types: slug, Vietnamese label, number codes.

Covers every type of Nghị định 30/2020/NĐ-CP Điều 7 plus the legal and Party
types that directives cite. The same table types a directive (from its all-caps
type line or its number) and the documents it cites:

    doc_type_from_line("KẾ HOẠCH")      # 'ke_hoach'
    doc_type_from_number("19/CT-TTg")   # 'chi_thi'
"""

from __future__ import annotations

import re

from corpus.vntext import fold

#: (slug, label, codes used in số ký hiệu). Longer labels that start with a
#: shorter one ("Chương trình hành động") are matched first, see _BY_LENGTH.
_TABLE = (
    # Nghị định 30/2020/NĐ-CP, Điều 7 and Phụ lục III.
    ("nghi_quyet", "Nghị quyết", ("NQ",)),
    ("quyet_dinh", "Quyết định", ("QĐ",)),
    ("chi_thi", "Chỉ thị", ("CT",)),
    ("quy_che", "Quy chế", ("QC",)),
    ("quy_dinh", "Quy định", ("QYĐ",)),
    ("thong_cao", "Thông cáo", ("TC",)),
    ("thong_bao", "Thông báo", ("TB",)),
    ("huong_dan", "Hướng dẫn", ("HD",)),
    ("chuong_trinh", "Chương trình", ("CTR", "CTPH")),
    ("ke_hoach", "Kế hoạch", ("KH",)),
    ("phuong_an", "Phương án", ("PA",)),
    ("de_an", "Đề án", ("ĐA",)),
    ("du_an", "Dự án", ("DA",)),
    ("bao_cao", "Báo cáo", ("BC",)),
    ("bien_ban", "Biên bản", ("BB",)),
    ("to_trinh", "Tờ trình", ("TTR",)),
    ("hop_dong", "Hợp đồng", ("HĐ",)),
    ("cong_van", "Công văn", ()),
    ("cong_dien", "Công điện", ("CĐ",)),
    ("ban_ghi_nho", "Bản ghi nhớ", ("GNN",)),
    ("ban_thoa_thuan", "Bản thỏa thuận", ("TTH",)),
    ("giay_uy_quyen", "Giấy ủy quyền", ("GUQ",)),
    ("giay_moi", "Giấy mời", ("GM",)),
    ("giay_gioi_thieu", "Giấy giới thiệu", ("GGT",)),
    ("giay_nghi_phep", "Giấy nghỉ phép", ("NP",)),
    ("phieu_gui", "Phiếu gửi", ("PG",)),
    ("phieu_chuyen", "Phiếu chuyển", ("PC",)),
    ("phieu_bao", "Phiếu báo", ("PB",)),
    ("thu_cong", "Thư công", ()),
    # Legal documents and Party documents that appear in citations.
    ("hien_phap", "Hiến pháp", ()),
    ("bo_luat", "Bộ luật", ()),
    ("luat", "Luật", ("QH",)),
    ("phap_lenh", "Pháp lệnh", ("UBTVQH",)),
    ("nghi_dinh", "Nghị định", ("NĐ",)),
    ("thong_tu", "Thông tư", ("TT",)),
    ("thong_tu_lien_tich", "Thông tư liên tịch", ("TTLT",)),
    ("nghi_quyet_lien_tich", "Nghị quyết liên tịch", ("NQLT",)),
    ("ket_luan", "Kết luận", ("KL",)),
    ("chuong_trinh_hanh_dong", "Chương trình hành động", ()),
    ("chuong_trinh_phoi_hop", "Chương trình phối hợp", ()),
    ("ke_hoach_lien_tich", "Kế hoạch liên tịch", ("KHLT",)),
)

#: slug → Vietnamese label, in the order of the table above (facets, UI).
DOC_TYPES: dict[str, str] = {slug: label for slug, label, _ in _TABLE}

_BY_FOLDED_LABEL = {fold(label).lower(): slug for slug, label, _ in _TABLE}
_BY_LENGTH = sorted(_BY_FOLDED_LABEL, key=len, reverse=True)
_BY_CODE = {fold(code).upper(): slug for slug, _, codes in _TABLE for code in codes}

#: Regex alternation of all labels, accent-folded and longest first, for folded text.
LABELS_PATTERN = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in _BY_LENGTH)


def label(slug: str | None) -> str | None:
    return DOC_TYPES.get(slug) if slug else None


def doc_type_from_name(name: str) -> str | None:
    """The slug for a type name as written in running text ("Chỉ thị", "thông tư")."""
    return _BY_FOLDED_LABEL.get(" ".join(fold(name).lower().split()))


def doc_type_from_line(line: str) -> str | None:
    """The slug when ``line`` is an all-caps type line ("KẾ HOẠCH", "CHỈ THỊ"), else None.

    A type line is the label alone, or followed by at most three more all-caps
    words ("KẾ HOẠCH LIÊN TỊCH", "BÁO CÁO TÓM TẮT"); the longest label wins.
    """
    words = re.sub(r"[^\w\s]", " ", line).split()
    if not words or len(words) > 8 or any(not w.isupper() for w in words if not w.isdigit()):
        return None
    folded = fold(" ".join(words)).lower()
    for name in _BY_LENGTH:
        if folded == name or (folded.startswith(name + " ") and len(folded.split()) - len(name.split()) <= 3):
            return _BY_FOLDED_LABEL[name]
    return None


def doc_type_from_number(number: str | None) -> str | None:
    """The slug from the type code of a số ký hiệu ("655/KH-PGDĐT" → ke_hoach), else None."""
    if not number:
        return None
    # The type code is the first lettered part: "769/UBND-NC" has none (a công văn),
    # and "PC" in "12/CAT-PC" is a police unit, not a phiếu chuyển.
    for part in re.split(r"[/\-\s]+", number):
        if any(c.isalpha() for c in part):
            return _BY_CODE.get(fold(part).upper())
    return None
