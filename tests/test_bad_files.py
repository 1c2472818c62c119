"""A corpus folder full of bad files, indexed by the real command line.

Every bad file is reported with its path and reason, the build goes on, the
exit status says files failed, and nothing that was indexed before is lost —
not even the directive of a file that was fine yesterday and is truncated today.
"""

import shutil

import pytest

import indexer
from test_corpus_edge import to_cp1258

DAU_TIENG = "004_a92abdaa7ce0d418.txt"

UTF16_PLAN = """ỦY BAN NHÂN DÂN HUYỆN SƠN TỊNH
Số: 31/KH-UBND
Sơn Tịnh, ngày 02 tháng 3 năm 2023
KẾ HOẠCH
Kiểm tra thư viện trường học năm 2023
I. MỤC ĐÍCH, YÊU CẦU
Đánh giá việc sử dụng thư viện xanh ở các trường tiểu học.
"""

CP1258_GUIDE = """SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH QUẢNG NGÃI
Số: 77/HD-SGDĐT
HƯỚNG DẪN
Phòng chống thiên tai và công tác thủy lợi trong trường học
I. NHIỆM VỤ
Các trường rà soát phương án sơ tán khi lũ về.
"""


@pytest.fixture()
def messy(sample_dir, tmp_path):
    """The samples, indexed once, then joined by every kind of bad (and odd but good) file."""
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(sample_dir, corpus_dir)
    index = tmp_path / "index"
    assert not indexer.build_index(corpus_dir, index).failures

    bad = corpus_dir / "uploads"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64)
    text = (sample_dir / "002_43a1c1c90911598f.txt").read_bytes()
    cut = text.index("Nơi nhận".encode()) + 2  # inside the two-byte "ơ"
    (bad / "truncated.txt").write_bytes(text[:cut])
    with open(bad / "export.txt", "wb") as f:  # 50 MB without holding it in memory
        line = "Tổ chức thực hiện kế hoạch phòng chống dịch bệnh.\n".encode()
        for _ in range(50 * 2**20 // len(line) + 1):
            f.write(line)
    (bad / "deep.html").write_text(
        "<div>" * 10_000 + "<p>CHỈ THỊ</p><p>Về việc bảo vệ rừng đầu nguồn</p>" + "</div>" * 10_000)
    links = "".join(f'<li><a href="/vb/{i}">Văn bản số {i}/KH-UBND</a></li>' for i in range(10_000))
    (bad / "links.html").write_text(f"<p>KẾ HOẠCH</p><p>Về việc tổng hợp danh mục văn bản</p><ul>{links}</ul>")
    (bad / "utf16.txt").write_bytes(UTF16_PLAN.encode("utf-16"))
    (bad / "cp1258.txt").write_bytes(to_cp1258(CP1258_GUIDE))

    # A file indexed yesterday, overwritten today by half of itself, cut inside a character.
    old = corpus_dir / DAU_TIENG
    data = old.read_bytes()
    half = len(data) // 2
    while data[half] & 0xC0 == 0x80 or data[half] < 0x80:  # move to the lead byte of a multi-byte character
        half += 1
    old.write_bytes(data[:half + 1])
    return corpus_dir, index


def test_cli_reports_each_bad_file_builds_the_rest_and_loses_nothing(messy, search_index, runner):
    corpus_dir, index = messy
    assert search_index(index, q='"Dầu Tiếng"').total == 1
    result = runner("indexer", "build", corpus_dir, "--index", index)
    assert result.returncode == 1, result.stderr
    errors = {line.split(": ", 2)[1]: line.split(": ", 2)[2]
              for line in result.stderr.splitlines() if line.startswith("error: ")}
    assert set(errors) == {"uploads/empty.txt", "uploads/scan.txt", "uploads/truncated.txt",
                           "uploads/export.txt", DAU_TIENG}
    assert errors["uploads/empty.txt"] == "tệp rỗng [empty-file]"
    assert errors["uploads/scan.txt"] == "tệp nhị phân (PNG), không phải văn bản [binary-file]"
    assert errors["uploads/truncated.txt"].startswith("tệp UTF-8 bị cắt cụt: tệp kết thúc giữa một ký tự")
    assert errors["uploads/truncated.txt"].endswith("[truncated-utf8]")
    assert errors["uploads/export.txt"].startswith("tệp quá lớn (52428")
    assert errors[DAU_TIENG].startswith("tệp UTF-8 bị cắt cụt")
    assert errors[DAU_TIENG].endswith("giữ bản đã lập chỉ mục trước đó [truncated-utf8]")
    assert "skipped 5: 2 truncated-utf8, 1 binary-file, 1 empty-file, 1 too-large" in result.stdout

    # What was there is still there, the truncated update included, and the good odd files came in.
    assert search_index(index, q='"Dầu Tiếng"').total == 1
    assert search_index(index, q="Minh Long").total >= 1
    assert search_index(index, q="thu vien xanh").total == 1          # UTF-16
    assert search_index(index, q="thuỷ lợi sơ tán").total == 1        # Windows-1258, old-style tone mark in the query
    assert search_index(index, q="rừng đầu nguồn").total == 1         # 10,000 nested divs
    assert search_index(index, q="\"tong hop danh muc\"").total == 1      # 10,000 links
    assert indexer.index_stats(index)["directives"] == 5 + 4


def test_the_kept_file_is_tried_again_once_it_is_repaired(messy, sample_dir, search_index):
    corpus_dir, index = messy
    report = indexer.build_index(corpus_dir, index)
    assert DAU_TIENG in {s.path for s in report.failures}
    repaired = (sample_dir / DAU_TIENG).read_text("utf-8").replace("năm 2024", "năm 2025")
    (corpus_dir / DAU_TIENG).write_text(repaired, "utf-8")
    shutil.rmtree(corpus_dir / "uploads")
    report = indexer.build_index(corpus_dir, index)
    assert report.failures == []
    assert (report.directives, report.unchanged, report.removed, report.total) == (1, 4, 4, 5)
    assert search_index(index, q='"Dầu Tiếng"').total == 1
