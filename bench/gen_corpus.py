"""Deterministic generator of a scale corpus: N directive .txt files in the samples' plain-text format.

Recombines real paragraphs, section headings and citations from corpus/samples
(and, when the ALQAC data is present, article paragraphs from it) into
directives with varied types, issuers, places, dates (2015-2026), numbers
unique per file, references (some citing earlier generated directives, so
"documents citing this one" has data) and signers. The same seed gives the
same bytes on every machine: one random.Random(seed), inputs read in sorted
order, no set or hash ordering, no clock. Without the ALQAC data the
paragraphs come from the samples only (the summary line says so).

    python bench/gen_corpus.py var/scale-10k -n 10000 --seed 42
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"
PER_DIR = 1000

# (type line, number symbol, label used when another document cites it)
TYPES = [("KẾ HOẠCH", "KH", "Kế hoạch"), ("HƯỚNG DẪN", "HD", "Hướng dẫn"), ("CHỈ THỊ", "CT", "Chỉ thị"),
         ("CÔNG VĂN", "", "Công văn"), ("THÔNG BÁO", "TB", "Thông báo"), ("QUYẾT ĐỊNH", "QĐ", "Quyết định"),
         ("BÁO CÁO", "BC", "Báo cáo"), ("CHƯƠNG TRÌNH", "CTr", "Chương trình")]
TYPE_WEIGHTS = [30, 12, 6, 14, 10, 10, 12, 6]

# (huyện, tỉnh or thành phố)
PLACES = [("Minh Long", "tỉnh Quảng Ngãi"), ("Ba Tơ", "tỉnh Quảng Ngãi"), ("Sơn Hà", "tỉnh Quảng Ngãi"),
          ("Bình Sơn", "tỉnh Quảng Ngãi"), ("Tư Nghĩa", "tỉnh Quảng Ngãi"), ("Củ Chi", "Thành phố Hồ Chí Minh"),
          ("Hóc Môn", "Thành phố Hồ Chí Minh"), ("Cần Giờ", "Thành phố Hồ Chí Minh"),
          ("Dầu Tiếng", "tỉnh Bình Dương"), ("Phú Giáo", "tỉnh Bình Dương"), ("Bàu Bàng", "tỉnh Bình Dương"),
          ("Thủy Nguyên", "thành phố Hải Phòng"), ("An Lão", "thành phố Hải Phòng"),
          ("Tiên Lãng", "thành phố Hải Phòng"), ("Kiến Thụy", "thành phố Hải Phòng"),
          ("Đông Anh", "thành phố Hà Nội"), ("Sóc Sơn", "thành phố Hà Nội"), ("Ba Vì", "thành phố Hà Nội"),
          ("Hòa Vang", "thành phố Đà Nẵng"), ("Diên Khánh", "tỉnh Khánh Hòa"), ("Cam Lâm", "tỉnh Khánh Hòa"),
          ("Krông Pắc", "tỉnh Đắk Lắk"), ("Cư M'gar", "tỉnh Đắk Lắk"), ("Mường Nhé", "tỉnh Điện Biên"),
          ("Bắc Hà", "tỉnh Lào Cai"), ("Sa Pa", "tỉnh Lào Cai"), ("Châu Thành", "tỉnh Tiền Giang"),
          ("Cái Bè", "tỉnh Tiền Giang"), ("Phong Điền", "thành phố Cần Thơ"), ("Hương Trà", "tỉnh Thừa Thiên Huế")]

# (issuer kind, full name template, number symbol, party-style number "34-HD/ĐU", signature blocks)
ISSUERS = [
    ("pgd", "Phòng Giáo dục và Đào tạo huyện {h}", "PGDĐT", False,
     [["TRƯỞNG PHÒNG"], ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"]]),
    ("sgd", "Sở Giáo dục và Đào tạo {t}", "SGDĐT", False,
     [["GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]]),
    ("ubnd_h", "Ủy ban nhân dân huyện {h}", "UBND", False,
     [["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]]),
    ("ubnd_t", "Ủy ban nhân dân {t}", "UBND", False,
     [["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]]),
    ("du", "Đảng ủy Sở Giáo dục và Đào tạo {t}", "ĐU", True,
     [["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC"], ["T/M ĐẢNG ỦY", "BÍ THƯ"]]),
    ("bdv", "Ban Dân vận Huyện ủy {h}", "BDVHU", True, [["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"], ["TRƯỞNG BAN"]]),
]
ISSUER_WEIGHTS = [34, 14, 24, 10, 9, 9]
# Công văn numbers name the issuer and the handling office instead of a type ("769/UBND-NC").
OFFICES = ["VX", "NC", "KT", "VP", "TH", "GDTH", "GDMN", "TCCB", "KHTC"]

SIGNERS = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thị Hạnh",
           "Võ Văn Khánh", "Đặng Thu Lan", "Bùi Đức Minh", "Đỗ Thị Ngọc", "Ngô Thanh Phong",
           "Huỳnh Văn Quang", "Dương Thị Thanh Tâm", "Lý Hoàng Sơn", "Phan Thị Kim Oanh", "Trương Công Tuấn",
           "Đinh Văn Thắng", "Mai Thị Xuân", "Lương Văn Hùng", "Tạ Quang Vinh", "Vũ Thị Thu Hiền",
           "Nguyễn Mạnh Hà", "Trần Văn Toản", "Lê Thị Mỹ Dung", "Phạm Ngọc Sang", "Hồ Văn Lợi",
           "Cao Thị Phương", "Nguyễn Huỳnh Long", "Đoàn Minh Trí", "Châu Thị Kiều", "Kiều Văn Bình"]

# Documents from above that directives cite; the same ones recur, as in real corpora.
CITED = ["Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ",
         "Nghị quyết số 128/NQ-CP ngày 11/10/2021 của Chính phủ",
         "Thông tư số 51/2020/TT-BGDĐT ngày 31/12/2020 của Bộ Giáo dục và Đào tạo",
         "Nghị định số 105/2020/NĐ-CP ngày 08/9/2020 của Chính phủ",
         "Kết luận số 51-KL/TW ngày 30/5/2019 của Ban Bí thư",
         "Chỉ thị số 16/CT-TTg ngày 18/6/2018 của Thủ tướng Chính phủ",
         "Nghị định số 60/2021/NĐ-CP ngày 21/6/2021 của Chính phủ",
         "Quyết định số 131/QĐ-TTg ngày 25/01/2022 của Thủ tướng Chính phủ",
         "Thông tư số 32/2018/TT-BGDĐT ngày 26/12/2018 của Bộ Giáo dục và Đào tạo",
         "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ",
         "Chỉ thị số 08/CT-TTg ngày 11/3/2020 của Thủ tướng Chính phủ",
         "Quyết định số 1665/QĐ-TTg ngày 30/10/2017 của Thủ tướng Chính phủ",
         "Nghị quyết số 29-NQ/TW ngày 04/11/2013 của Hội nghị Trung ương 8 khóa XI",
         "Luật Giáo dục số 43/2019/QH14 ngày 14/6/2019",
         "Luật Phòng, chống ma túy số 73/2021/QH14 ngày 30/3/2021",
         "Luật Phòng, chống bạo lực gia đình số 13/2022/QH15 ngày 14/11/2022"]

TOPICS = ["phòng, chống dịch COVID-19 trong trường học", "thi đua, khen thưởng", "công tác dân vận",
          "chuyển đổi số trong giáo dục", "bảo đảm trật tự an toàn giao thông", "phòng, chống ma túy học đường",
          "phòng, chống bạo lực học đường", "phổ cập giáo dục, xóa mù chữ", "kiểm định chất lượng giáo dục",
          "cải cách hành chính", "thực hành tiết kiệm, chống lãng phí", "phòng cháy, chữa cháy",
          "bồi dưỡng thường xuyên giáo viên", "tuyển sinh vào lớp 1, lớp 6", "xây dựng trường chuẩn quốc gia",
          "giáo dục kỹ năng sống cho học sinh", "công tác y tế trường học", "phòng, chống tham nhũng",
          "thực hiện quy chế dân chủ ở cơ sở", "phòng, chống đuối nước cho học sinh", "an ninh mạng",
          "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "bình đẳng giới",
          "phòng, chống bạo lực gia đình", "tiếp cận thông tin", "công tác thanh niên", "du lịch học đường",
          "ứng dụng công nghệ thông tin", "đánh giá, xếp loại viên chức", "sơ kết học kỳ I",
          "tổng kết năm học", "bảo vệ môi trường", "xây dựng xã hội học tập", "sách giáo khoa lớp 10"]
SUBJECT_FORMS = ["Thực hiện công tác {topic} năm {y}", "Triển khai {topic} năm học {y}-{y1}",
                 "Về việc tăng cường {topic}", "Tổ chức thực hiện {cited} về {topic}",
                 "Kết quả thực hiện {topic} năm {y}", "Về {topic} giai đoạn {y}-{y5}",
                 "Hướng dẫn thực hiện nhiệm vụ {topic} năm học {y}-{y1}", "Về việc {topic} trên địa bàn {where}"]

PART_I = ["MỤC ĐÍCH, YÊU CẦU", "MỤC ĐÍCH, YÊU CẦU", "MỤC ĐÍCH", "MỤC TIÊU"]
PART_II = ["NHIỆM VỤ VÀ GIẢI PHÁP", "NỘI DUNG THỰC HIỆN", "NHIỆM VỤ TRỌNG TÂM", "GIẢI PHÁP THỰC HIỆN",
           "NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", "NỘI DUNG, NHIỆM VỤ CỤ THỂ"]
PART_III = ["TỔ CHỨC THỰC HIỆN"]
REPORT_PARTS = ["KẾT QUẢ THỰC HIỆN", "TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"]
UNITS = ["Phòng Giáo dục và Đào tạo", "Các trường học trực thuộc", "Phòng Tài chính - Kế hoạch",
         "Phòng Nội vụ", "Trung tâm Y tế huyện", "Công an huyện", "Ủy ban nhân dân các xã, thị trấn",
         "Hiệu trưởng các trường mầm non, tiểu học, trung học cơ sở", "Phòng Văn hóa và Thông tin",
         "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam huyện và các đoàn thể"]
RECIPIENTS = {
    "huyen": ["Sở GD&ĐT", "TT Huyện ủy, TT HĐND huyện", "CT, các PCT UBND huyện", "Ban Dân vận Huyện ủy",
              "Các phòng, ban, ngành, đoàn thể huyện", "UBND các xã, thị trấn", "Các trường học trực thuộc",
              "Cổng Thông tin điện tử huyện", "Lãnh đạo Phòng GD&ĐT"],
    "tinh": ["Bộ Giáo dục và Đào tạo (để báo cáo)", "TT Tỉnh ủy, TT HĐND tỉnh", "CT, các PCT UBND tỉnh",
             "Các sở, ban, ngành tỉnh", "UBND các huyện, thị xã, thành phố", "Phòng GD&ĐT các huyện",
             "Các trường THPT trực thuộc", "Cổng Thông tin điện tử tỉnh"],
    "dang": ["Ban Dân vận Thành ủy (để báo cáo)", "Đảng bộ, chi bộ cơ sở (để thực hiện)", "Các đồng chí Ủy viên BTV",
             "Lưu Văn phòng Đảng ủy"],
}

TYPE_LINES = [t for t, _, _ in TYPES]
# How the issuer introduces its own document, by type (the parser reads the issuer from these).
LEAD_INS = {"KẾ HOẠCH": "xây dựng Kế hoạch thực hiện như sau:", "HƯỚNG DẪN": "hướng dẫn một số nội dung thực hiện như sau:",
            "CHỈ THỊ": "yêu cầu các cơ quan, đơn vị tập trung thực hiện các nhiệm vụ sau:",
            "CÔNG VĂN": "đề nghị các đơn vị triển khai thực hiện một số nội dung sau:",
            "THÔNG BÁO": "thông báo như sau:", "BÁO CÁO": "báo cáo kết quả thực hiện như sau:",
            "CHƯƠNG TRÌNH": "xây dựng Chương trình thực hiện như sau:", "QUYẾT ĐỊNH": "ban hành Quyết định như sau:"}

_ROMAN = re.compile(r"^[IVX]+\.\s+(\S.*)$")
_NUMBERED = re.compile(r"^\d+\.\s*(\S.*)$")
_LETTERED = re.compile(r"^[a-zđ]\)\s*(\S.*)$")
_GROUNDS = re.compile(r"^(?:Căn cứ|Thực hiện) (?:Nghị quyết|Kế hoạch|Chỉ thị|Quyết định|Công văn|Chương trình"
                      r"|Hướng dẫn|Thông tư|Nghị định|Luật) số")
_NUMBERING = re.compile(r"^(?:(?:\d+|[a-zđ])[.)]\s*)+")


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def sample_pools(samples_dir: Path = SAMPLES) -> dict[str, list[str]]:
    """Real pieces of the samples, by role, in file order: headings, items, bullets, body, grounds."""
    pools = {"roman": [], "item": [], "lettered": [], "bullet": [], "body": [], "grounds": []}
    for path in sorted(samples_dir.glob("*.txt")):
        after_type = False
        for p in _paragraphs(path.read_text(encoding="utf-8")):
            if p.startswith(("Nơi nhận", "Noi nhận")):
                break  # recipients and signature: generated, not copied
            subject, after_type = after_type, p in TYPE_LINES
            if subject or after_type or p.endswith(":"):
                continue  # trích yếu, type line, "… như sau:" lead-ins: they name their own document
            if m := _ROMAN.match(p):
                if m.group(1).isupper() and len(m.group(1)) < 90:
                    pools["roman"].append(m.group(1))
            elif (m := _NUMBERED.match(p)) and len(p) < 160 and not p.endswith((".", ";")):
                if m.group(1) not in ("Mục đích", "Yêu cầu"):  # part I's own items, generated there
                    pools["item"].append(m.group(1))
            elif m := _LETTERED.match(p):
                pools["lettered"].append(m.group(1))
            elif p.startswith("- ") and len(p) > 60:
                pools["bullet"].append(p[2:])
            elif _GROUNDS.match(p) and len(p) < 600 and "như sau" not in p:
                pools["grounds"].append(p.rstrip(";.:"))
            elif len(p) > 100 and not p.isupper() and not p.startswith(("Trên đây", "Nhận được")):
                pools["body"].append(_NUMBERING.sub("", p))
    return pools


def alqac_paragraphs(passages: Path | None) -> list[str]:
    """Sentences of the ALQAC articles long enough to read as directive paragraphs ([] without the data)."""
    if passages is None or not passages.is_file():
        return []
    out = []
    for law in json.loads(passages.read_text(encoding="utf-8")):
        for article in law["articles"]:
            for line in article["text"].split("\n")[1:]:  # the first line is the article's heading
                line = _NUMBERING.sub("", " ".join(line.split()))
                if 100 < len(line) < 900:
                    out.append(line)
    return out


def default_alqac() -> Path:
    base = Path(os.environ["ALQAC_DIR"]) if os.environ.get("ALQAC_DIR") else ROOT / ".." / "shared" / "eval" / "alqac-2023-dev"
    return base / "legal_passages.json"


class Generator:
    """One seeded stream of directives; generate() numbers and writes them."""

    def __init__(self, seed: int, pools: dict[str, list[str]], law_paragraphs: list[str], n: int):
        self.rng = random.Random(seed)
        self.pools = pools
        self.body = pools["body"]
        self.law = law_paragraphs
        self.part_ii = PART_II + [h for h in pools["roman"] if not h.startswith(("MỤC", "TỔ CHỨC"))]
        # Distinct document numbers, so every generated number names exactly one file.
        self.seqs = self.rng.sample(range(1, max(3000, 3 * n)), n)
        self.issued: list[tuple[str, str, tuple[int, int, int], str, str]] = []  # (label, number, date, issuer, topic)

    def paragraph(self) -> str:
        if self.law and self.rng.random() < 0.4:
            return self.rng.choice(self.law)
        return self.rng.choice(self.body)

    def cite_generated(self, date: tuple[int, int, int]) -> str | None:
        """A directive generated earlier and dated before this one, cited the way directives cite."""
        for _ in range(4):
            label, number, (y, m, d), issuer, topic = self.rng.choice(self.issued)
            if (y, m, d) < date:
                return f"{label} số {number} ngày {d:02d}/{m:02d}/{y} của {issuer} về {topic}"
        return None

    def directive(self, i: int) -> str:
        rng = self.rng
        type_line, type_sym, type_label = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        kind, issuer_tpl, issuer_sym, party, signatures = rng.choices(ISSUERS, ISSUER_WEIGHTS)[0]
        huyen, tinh = rng.choice(PLACES)
        issuer = issuer_tpl.format(h=huyen, t=tinh)
        level = "dang" if party else ("tinh" if kind in ("sgd", "ubnd_t") else "huyen")
        place = re.sub(r"^(?:tỉnh|thành phố|Thành phố) ", "", tinh) if level == "tinh" else huyen
        date = (rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28))
        y, m, d = date
        seq = self.seqs[i]
        if type_sym == "":
            number = f"{seq}/{issuer_sym}-{rng.choice(OFFICES)}"
        elif party:
            number = f"{seq}-{type_sym}/{issuer_sym}"
        elif type_sym == "QĐ" and rng.random() < 0.3:
            number = f"{seq}/{y}/QĐ-{issuer_sym}"
        else:
            number = f"{seq}/{type_sym}-{issuer_sym}"
        topic = rng.choice(TOPICS)
        subject = rng.choice(SUBJECT_FORMS).format(topic=topic, y=y, y1=y + 1, y5=y + 4,
                                                   cited=rng.choice(CITED), where=f"huyện {huyen}")

        lines = ["", ""]
        if rng.random() < 0.3:  # some conversions keep the header block
            lines = [issuer.upper(), ""]
        if rng.random() < 0.85:
            lines += [f"Số: {number}" if not party or rng.random() < 0.5 else f"Số {number}", ""]
        if rng.random() < 0.75:
            lines += [f"{place}, ngày {d:02d} tháng {m:02d} năm {y}", ""]
        lines.append(type_line)
        if type_line == "CÔNG VĂN":
            lines += ["", f"V/v {subject[0].lower()}{subject[1:]}", "", f"Kính gửi: {rng.choice(UNITS)}", ""]
        else:
            lines += ([""] if rng.random() < 0.7 else []) + [subject, ""]

        grounds = [f"Căn cứ {c}" for c in rng.sample(CITED, rng.randint(1, 3))]
        if self.pools["grounds"] and rng.random() < 0.3:
            grounds.append(rng.choice(self.pools["grounds"]))
        if self.issued and rng.random() < 0.45:
            cited = self.cite_generated(date)
            if cited:
                grounds.append(f"{rng.choice(['Căn cứ', 'Thực hiện'])} {cited}")
        lines += [x for g in grounds[:-1] for x in (g + ";", "")] + [grounds[-1] + ".", ""]
        lines += [f"{issuer} {LEAD_INS[type_line]}", ""]

        if type_line == "QUYẾT ĐỊNH":
            lines += self.articles(subject)
        elif type_line in ("CÔNG VĂN", "THÔNG BÁO"):
            lines += self.items(rng.randint(2, 5), lettered=False)
        else:
            parts = REPORT_PARTS if type_line == "BÁO CÁO" else [rng.choice(PART_I), None, PART_III[0]]
            for roman, heading in zip(("I", "II", "III", "IV"), parts):
                if heading is None:
                    heading = rng.choice(self.part_ii)
                lines += [f"{roman}. {heading}", ""]
                lines += self.part(roman, heading)
        lines += [f"Trên đây là {type_label} {topic} của {issuer}./." if rng.random() < 0.5
                  else "Đề nghị các đơn vị nghiêm túc triển khai thực hiện./.", ""]

        recipients = rng.sample(RECIPIENTS[level], rng.randint(2, min(5, len(RECIPIENTS[level]))))
        lines += ["Nơi nhận:", ""] + [f"- {r};" for r in recipients] + ["- Lưu: VT.", ""]
        block = list(rng.choice(signatures))
        if kind in ("ubnd_h", "ubnd_t") and rng.random() < 0.5:
            lines += [block[0], ""] + [line for b in block[1:] for line in (b, "")]
        else:
            lines += block + [""]
        lines += ["", "", rng.choice(SIGNERS), ""]
        self.issued.append((type_label, number, date, issuer, topic))
        return "\n".join(lines)

    def part(self, roman: str, heading: str) -> list[str]:
        rng = self.rng
        if roman == "I" and heading.startswith("MỤC ĐÍCH, YÊU CẦU") and rng.random() < 0.6:
            out = []
            for n, label in ((1, "Mục đích"), (2, "Yêu cầu")):
                out += [f"{n}. {label}", ""]
                out += [x for _ in range(rng.randint(1, 3)) for x in (self.paragraph(), "")]
            return out
        if roman == "III":
            out = []
            for n, unit in enumerate(rng.sample(UNITS, rng.randint(2, 4)), 1):
                out += [f"{n}. {unit}", ""] + [x for _ in range(rng.randint(1, 2)) for x in (self.paragraph(), "")]
            return out
        if rng.random() < 0.2:
            return [x for _ in range(rng.randint(1, 3)) for x in (self.paragraph(), "")]
        return self.items(rng.randint(2, 5), lettered=True)

    def items(self, count: int, lettered: bool) -> list[str]:
        rng = self.rng
        out = []
        for n in range(1, count + 1):
            if self.pools["item"] and rng.random() < 0.5:
                out += [f"{n}. {rng.choice(self.pools['item'])}", "", self.paragraph(), ""]
            else:
                out += [f"{n}. {self.paragraph()}", ""]
            if lettered and rng.random() < 0.35:
                for letter in "abcd"[:rng.randint(2, 4)]:
                    text = rng.choice(self.pools["lettered"]) if self.pools["lettered"] and rng.random() < 0.3 \
                        else self.paragraph()
                    out += [f"{letter}) {text}", ""]
            elif self.pools["bullet"] and rng.random() < 0.25:
                out += [x for _ in range(rng.randint(2, 3)) for x in (f"- {rng.choice(self.pools['bullet'])}", "")]
        return out

    def articles(self, subject: str) -> list[str]:
        rng = self.rng
        out = ["QUYẾT ĐỊNH:", "", f"Điều 1. Ban hành kèm theo Quyết định này {subject[0].lower()}{subject[1:]}.", ""]
        out += [f"Điều 2. {self.paragraph()}", ""]
        out += [f"Điều 3. Quyết định này có hiệu lực kể từ ngày ký. {rng.choice(UNITS)} chịu trách nhiệm "
                "thi hành Quyết định này.", ""]
        return out


def generate(out_dir: str | os.PathLike, n: int, seed: int = 42, alqac: Path | None | bool = True) -> list[Path]:
    """Write n directives under out_dir/000/gen_000000.txt …; alqac=False uses the samples only."""
    out_dir = Path(out_dir)
    law = alqac_paragraphs(default_alqac() if alqac is True else (alqac or None))
    gen = Generator(seed, sample_pools(), law, n)
    paths = []
    for i in range(n):
        sub = out_dir / f"{i // PER_DIR:03d}"
        if i % PER_DIR == 0:
            sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"gen_{i:06d}.txt"
        # Bytes, not write_text: no platform newline translation.
        path.write_bytes(gen.directive(i).encode("utf-8"))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-n", type=int, default=1000, help="number of directives (default 1000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-alqac", action="store_true", help="paragraphs from the samples only")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("-n must be >= 0")
    passages = default_alqac()
    use_alqac = not args.no_alqac and passages.is_file()
    t0 = time.perf_counter()
    paths = generate(args.out_dir, args.n, args.seed, alqac=passages if use_alqac else False)
    size = sum(p.stat().st_size for p in paths)
    source = "samples + ALQAC paragraphs" if use_alqac else (
        "samples only" + ("" if args.no_alqac else f": ALQAC data not found at {passages.resolve()}"))
    print(f"Wrote {len(paths)} directives ({size / 1e6:.1f} MB, {source}) to {args.out_dir} "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
