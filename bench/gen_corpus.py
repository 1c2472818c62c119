"""Deterministic generator of a scale corpus: N directive .txt files like the samples.

Recombines real paragraphs and section structures from corpus/samples (and,
when the ALQAC data is present, article paragraphs from it) into directives
with varied types, issuers, places, dates, numbers, references (some citing
earlier generated directives) and signers. The same seed gives the same bytes
on every machine.

    python bench/gen_corpus.py var/scale-10k -n 10000 --seed 42
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALQAC = ROOT.parent / "shared" / "eval" / "alqac-2023-dev" / "legal_passages.json"

TYPES = [("KẾ HOẠCH", "KH"), ("HƯỚNG DẪN", "HD"), ("CHỈ THỊ", "CT"), ("THÔNG BÁO", "TB"),
         ("BÁO CÁO", "BC"), ("QUYẾT ĐỊNH", "QĐ"), ("CHƯƠNG TRÌNH", "CTr")]
PLACES = ["Minh Long", "Củ Chi", "Dầu Tiếng", "Ba Tơ", "Sơn Hà", "Bình Sơn", "Tư Nghĩa", "Đức Phổ",
          "Hóc Môn", "Cần Giờ", "Thủy Nguyên", "An Lão", "Kiến Thụy", "Tiên Lãng", "Bến Cát", "Phú Giáo"]
ISSUERS = [("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "PGDĐT"), ("ỦY BAN NHÂN DÂN", "UBND"), ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SGDĐT"),
           ("ĐẢNG ỦY", "ĐU"), ("BAN DÂN VẬN HUYỆN ỦY", "BDVHU")]
SIGNERS = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thị Hạnh",
           "Võ Văn Khánh", "Đặng Thu Lan", "Bùi Đức Minh", "Đỗ Thị Ngọc", "Ngô Thanh Phong"]
TITLES = ["PHÓ CHỦ TỊCH", "CHỦ TỊCH", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "GIÁM ĐỐC", "PHÓ BÍ THƯ"]
CITED = ["Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ",
         "Nghị quyết số 128/NQ-CP ngày 11/10/2021 của Chính phủ",
         "Thông tư số 51/2020/TT-BGDĐT ngày 31/12/2020 của Bộ Giáo dục và Đào tạo",
         "Nghị định số 105/2020/NĐ-CP ngày 08/9/2020 của Chính phủ",
         "Kết luận số 51-KL/TW ngày 30/5/2019 của Ban Bí thư",
         "Chỉ thị số 16/CT-TTg ngày 18/6/2018 của Thủ tướng Chính phủ"]
PART_HEADINGS = {
    "muc_dich": ["MỤC ĐÍCH, YÊU CẦU"],
    "nhiem_vu": ["NHIỆM VỤ VÀ GIẢI PHÁP", "NỘI DUNG THỰC HIỆN", "NHIỆM VỤ TRỌNG TÂM", "GIẢI PHÁP THỰC HIỆN"],
    "to_chuc": ["TỔ CHỨC THỰC HIỆN"],
}


_NUMBERING = re.compile(r"^(?:(?:\d+|[a-zđ])[.)]\s*)+")


def _sample_paragraphs() -> list[str]:
    """Body paragraphs of the samples (no headings, signatures or recipient lists)."""
    paragraphs = []
    for path in sorted((ROOT / "corpus" / "samples").glob("*.txt")):
        for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            p = " ".join(p.split())
            p = _NUMBERING.sub("", p)
            if len(p) > 120 and not p.isupper() and not p.startswith(("-", "Nơi nhận", "Noi nhận")):
                paragraphs.append(p)
    return paragraphs


def _alqac_paragraphs(limit: int = 3000) -> list[str]:
    if not ALQAC.exists():
        return []
    laws = json.loads(ALQAC.read_text(encoding="utf-8"))
    out = []
    for law in laws:
        for article in law["articles"]:
            for p in article["text"].split("\n"):
                p = _NUMBERING.sub("", " ".join(p.split()))
                if len(p) > 120:
                    out.append(p)
    return out[:limit]


def _date(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28)


def directive_text(i: int, rng: random.Random, pool: list[str], subjects: list[str],
                   numbers: list[str]) -> tuple[str, str]:
    type_name, type_sym = rng.choice(TYPES)
    issuer_name, issuer_sym = rng.choice(ISSUERS)
    place = rng.choice(PLACES)
    year, month, day = _date(rng)
    number = f"{i + 1}/{type_sym}-{issuer_sym}"
    refs = rng.sample(CITED, rng.randint(1, 2))
    if numbers and rng.random() < 0.4:
        refs.append(f"Kế hoạch số {rng.choice(numbers)} ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/{year - 1} "
                    f"của {issuer_name.capitalize()}")
    subject = rng.choice(subjects)[:160].rsplit(" ", 1)[0]
    lines = [f"{issuer_name} HUYỆN {place.upper()}", "", f"Số: {number}", "",
             f"{place}, ngày {day:02d} tháng {month:02d} năm {year}", "", type_name,
             f"{subject} năm {year}", ""]
    lines += [f"Căn cứ {ref};" for ref in refs] + [""]
    lines += [f"{issuer_name.capitalize()} huyện {place} xây dựng {type_name.lower()} thực hiện như sau:", ""]
    for roman, kind in zip(("I", "II", "III"), ("muc_dich", "nhiem_vu", "to_chuc")):
        lines += [f"{roman}. {rng.choice(PART_HEADINGS[kind])}", ""]
        for item in range(1, rng.randint(2, 5) + 1):
            lines += [f"{item}. {rng.choice(pool)}", ""]
            if kind == "nhiem_vu" and rng.random() < 0.3:
                for letter in "ab":
                    lines += [f"{letter}) {rng.choice(pool)}", ""]
    lines += ["Nơi nhận:", "", "- UBND huyện;", "- Các trường học trực thuộc;", "- Lưu: VT.", "",
              f"TM. {issuer_name}", f"{rng.choice(TITLES)}", "", "", rng.choice(SIGNERS), ""]
    return number, "\n".join(lines)


def generate(out_dir: Path, n: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    subjects = _sample_paragraphs()
    pool = subjects + _alqac_paragraphs()
    numbers: list[str] = []
    paths = []
    for i in range(n):
        number, text = directive_text(i, rng, pool, subjects, numbers)
        numbers.append(number)
        path = out_dir / f"{i // 1000:03d}" / f"gen_{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    paths = generate(args.out_dir, args.n, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"Wrote {len(paths)} directives ({size / 1e6:.1f} MB) to {args.out_dir}"
          f"{'' if ALQAC.exists() else ' (samples only: ALQAC data not found)'}")


if __name__ == "__main__":
    main()
