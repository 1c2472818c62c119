"""A judged set: realistic staff queries over corpus/samples with the directive and
section they should lead to. Regression tests for ranking and section choice, not a
benchmark: each query must put its directive first and show the expected section."""

import pytest

from search_app.search import SearchRequest, run_search

CU_CHI = "000-0c190002a228be20"
DANG_UY = "34-hd-du-2022"
MINH_LONG = "655-kh-pgddt-2021"
HAI_PHONG = "003-1cdd3520dbf33d3e"
DAU_TIENG = "004-a92abdaa7ce0d418"

# (query as staff type it, expected directive, expected section id, extra filters)
JUDGED = [
    ("báo cáo hàng tháng vắc xin", CU_CHI, "muc-III", {}),
    ("bao cao ket qua thuc hien hang thang quy", CU_CHI, "muc-III", {}),
    ("vắc xin bao phủ đến từng người dân", CU_CHI, "muc-II-1", {}),
    ("chien luoc vac xin", CU_CHI, "muc-II-1", {}),
    ("kịch bản phòng chống dịch tại cơ quan đơn vị", CU_CHI, "muc-II-1", {}),
    ("chất vấn kỳ họp thứ tư HĐND thành phố", CU_CHI, "can-cu", {}),
    ("Nghị quyết 118/NQ-HĐND", CU_CHI, "can-cu", {}),
    ("tự chủ tài chính đơn vị sự nghiệp công lập", CU_CHI, "muc-II-1", {}),
    ("tiêm chủng vắc xin ngừa COVID-19 miễn phí", DANG_UY, "muc-1", {}),
    ("đội hình tình nguyện tập huấn kỹ năng", DANG_UY, "muc-2", {}),
    ("89-KH/TU", DANG_UY, "can-cu", {}),
    ("chính sách đãi ngộ y tế dự phòng", DANG_UY, "muc-1", {}),
    ("thi đua khen thưởng Chỉ thị 19/CT-TTg", MINH_LONG, "muc-I-1", {}),
    ("cai cach thu tuc hanh chinh thi dua khen thuong", MINH_LONG, "muc-III-3", {}),
    ("Quảng Ngãi chung tay vì người nghèo", MINH_LONG, "muc-II-4", {}),
    ("đề cao trách nhiệm người đứng đầu trong khen thưởng", MINH_LONG, "muc-III-2", {}),
    ("Kết luận 51-KL/TW đổi mới căn bản toàn diện giáo dục", MINH_LONG, "muc-I-2", {}),
    ("tong hop de xuat khen thuong", MINH_LONG, "muc-IV-1", {}),
    ("dạy học trực tuyến khi dịch diễn biến phức tạp", HAI_PHONG, "muc-I-1", {}),
    ("không tăng học phí lạm thu đầu năm học", HAI_PHONG, "muc-I-1", {}),
    ("sach giao khoa lop 2 lop 6", HAI_PHONG, "muc-I-2-b", {}),
    ("kiểm định chất lượng giáo dục tự đánh giá", HAI_PHONG, "muc-II-8", {}),
    ("chuyển đổi số trong giáo dục", HAI_PHONG, "muc-II-7", {}),
    ("Công an huyện an toàn giao thông trường học", HAI_PHONG, "muc-III-2", {}),
    ("học phí mầm non Hải Phòng Nghị quyết 54/2014/NQ-HĐND", HAI_PHONG, "muc-II-6", {}),
    ("Diễn đàn ngành giáo dục lắng nghe ý kiến nhân dân", DAU_TIENG, "muc-II-9", {}),
    ("phong chong duoi nuoc bao luc hoc duong", DAU_TIENG, "muc-II-7", {}),
    ("suy dinh dưỡng trẻ em", DAU_TIENG, "muc-II-8", {}),
    ("văn hóa công sở đạo đức công vụ", DAU_TIENG, "muc-II-4", {}),
    ("dân vận khéo", DAU_TIENG, "muc-I", {"year": "2024"}),
    ("Công văn 769/UBND-NC", DAU_TIENG, "can-cu", {}),
    ("trách nhiệm người đứng đầu", DAU_TIENG, "muc-III", {"section": "to_chuc_thuc_hien"}),
    ("phối hợp thực hiện", HAI_PHONG, "muc-III-4", {"doc_type": "chi_thi"}),
    ("Chi thi 33/CT-TTg dan van chinh quyen", DANG_UY, "muc-3", {}),
]


# Known weakness, kept visible: a question of seven or more syllables is read as
# a pasted passage (any words, BM25 over whole directives), and a directive that
# repeats the words across many sections still beats the one whose single
# section answers. Tuned for ALQAC passages; see the closing note of issue 5.
_MISS = pytest.mark.xfail(strict=True, reason="question-length query ranked as a passage")
KNOWN_MISSES = [
    pytest.param("kế hoạch nào yêu cầu báo cáo kết quả hàng tháng", CU_CHI, "muc-III", {}, marks=_MISS),
    pytest.param("yêu cầu báo cáo kết quả hàng tháng", CU_CHI, "muc-III", {}, marks=_MISS),
    pytest.param("quy chế dân chủ ở cơ sở phòng chống dịch", DANG_UY, "muc-2", {}, marks=_MISS),
]


@pytest.mark.parametrize("q, directive, section, filters", JUDGED + KNOWN_MISSES,
                         ids=[j[0] for j in JUDGED] + [f"known miss: {p.values[0]}" for p in KNOWN_MISSES])
def test_judged_query(snapshot, q, directive, section, filters):
    result = run_search(snapshot, SearchRequest.from_params({"q": q, **filters}))
    ranked = [r["id"] for r in result["results"]]
    assert ranked and ranked[0] == directive, ranked
    shown = [s["id"] for s in result["results"][0]["sections"]]
    assert section in shown, shown
