"""The section tree of a directive body: Roman parts, numbered and lettered items.

Rules (the public contract of ``Section``):

* Paragraphs before the first marker form the "can-cu" section (căn cứ,
  "… xây dựng Kế hoạch … như sau:").
* Levels nest as Roman part > "Điều" > numbered item ("1.") > sub-item ("1.1.")
  > lettered item ("a)"); a marker closes every open section of its level or deeper.
* Ids are anchors built from the numbers on the path: "muc-II-1-a", or
  "muc-1-a" without Roman parts, "dieu-3" for articles. Numbers are kept as
  written (a skipped item is not renumbered); a repeated id gets "-2", "-3".
* ``heading`` is what the document writes as a heading, nothing else: Roman
  parts (all caps in sentence case, "Mục đích, yêu cầu") and "Điều" titles, and
  a numbered or lettered item whose first paragraph is a title line (at most
  300 characters, no sentence break inside, no final punctuation; a lead-in
  ending in ":" only when it has at most 6 words, "Mục tiêu cụ thể:") followed
  by text or sub-items; its text is the paragraphs below. Any other item is a
  paragraph that keeps its number: heading "", text the whole paragraph. The
  paragraphs before the first marker and the closing paragraphs have no
  heading either.
* ``marker`` is the number as written ("II.", "Điều 5.", "2)", "a)").
* ``kind`` comes from the top-level heading's words (a top-level numbered
  paragraph's first words); children inherit it.
  Without Roman parts, top-level items are tasks (nhiem_vu_giai_phap) unless
  their heading says otherwise.
* Closing paragraphs after the last item ("Trên đây là …", "Nhận được văn bản
  này …", "<Cơ quan> yêu cầu … thực hiện") stay where they are, after
  everything else: in the last top-level section when it is to_chuc_thuc_hien
  and has no items (so they follow its own text), else in a section
  "to-chuc-thuc-hien" of their own, without heading.

    build_sections(paragraphs)   # [Section(id="can-cu", …), Section(id="muc-I", …), …]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.layout import ARTICLE_RE, LETTERED_RE, NUMBERED_RE, ROMAN_RE
from corpus.model import Section
from corpus.vntext import fold, sentence_case, slugify

_SHORT_TITLE = 300
# A lead-in ending in ":" longer than this is a sentence ("Các phòng, ban huyện có trách nhiệm …:").
_LEAD_IN_TITLE_WORDS = 6
_CLOSING_RE = re.compile(r"^(?:Trên đây là|Nhận được (?:văn bản|công văn|kế hoạch|hướng dẫn|chỉ thị)|"
                         r"Trong quá trình (?:tổ chức )?(?:triển khai|thực hiện))", re.I)
_DEMAND_RE = re.compile(r"\b(?:yêu cầu|đề nghị)\b.*\bthực hiện\b[^.]{0,60}\.?/?\.?\s*$")

# (kind, how many words may precede the phrase, phrases), tried in order.
_KIND_WORDS = (
    ("to_chuc_thuc_hien", 0, ("to chuc thuc hien", "trach nhiem", "phan cong", "che do bao cao",
                              "kinh phi thuc hien", "dieu khoan thi hanh", "hieu luc thi hanh")),
    ("muc_dich_yeu_cau", 0, ("muc dich", "yeu cau", "muc tieu", "quan diem")),
    ("nhiem_vu_giai_phap", 2, ("nhiem vu", "giai phap", "noi dung", "phuong huong", "phong trao",
                               "bien phap", "hoat dong", "chuong trinh", "cong tac", "cac buoc", "lo trinh")),
    ("can_cu", 0, ("can cu",)),
)


def kind_of(heading: str) -> str | None:
    """The section kind named by a heading's words ("III. TỔ CHỨC THỰC HIỆN" → to_chuc_thuc_hien)."""
    words = fold(heading).lower()
    for kind, before, phrases in _KIND_WORDS:
        if any(re.match(rf"(?:\W*\w+\W+){{0,{before}}}?{p}\b", words) for p in phrases):
            return kind
    return None


@dataclass
class _Open:
    section: Section
    level: int
    paragraphs: list[str] = field(default_factory=list)
    rest: str = ""  # the marker's paragraph as written, after the number


def _marker(para: str) -> tuple[int, str, str, str, str] | None:
    """(level, id part, number, rest, marker as written) when ``para`` starts a unit."""
    if match := ROMAN_RE.match(para):
        return 1, match["num"], match["num"], match["rest"], _written(para, match)
    if match := ARTICLE_RE.match(para):
        return 2, match["num"], match["num"], match["rest"], _written(para, match)
    if match := NUMBERED_RE.match(para):
        num = match["num"].rstrip(".) ").strip()
        return 3 + num.count("."), num.replace(".", "-"), num, match["rest"], _written(para, match)
    if match := LETTERED_RE.match(para):
        return 6, slugify(match["num"]), match["num"], match["rest"], _written(para, match)
    return None


def _written(para: str, match: re.Match) -> str:
    """The marker as the document writes it, spaces collapsed ("II.", "Điều 5.", "2)", "a)")."""
    return " ".join(para[:match.start("rest")].split()) if match["rest"] else " ".join(para.split())


def _title_line(rest: str) -> str | None:
    """The heading an item's first paragraph makes when it is a title line (see the module rules)."""
    if len(rest) > _SHORT_TITLE or re.search(r"[.!?]\s+\S", rest) or rest.endswith((".", ";", "!", "?", "…")):
        return None
    if rest.endswith(":"):
        return rest.rstrip(" :") if len(rest.split()) <= _LEAD_IN_TITLE_WORDS else None
    return rest


def build_sections(paras: list[str]) -> list[Section]:
    """The section tree of the body paragraphs (see the module rules)."""
    markers = [_marker(p) for p in paras]
    if not any(markers):
        return _unstructured(paras)
    has_roman = any(m and m[0] == 1 for m in markers)
    closing_from = len(paras)
    while closing_from > 0 and markers[closing_from - 1] is None and _is_closing(paras[closing_from - 1]):
        closing_from -= 1

    roots: list[_Open] = []
    stack: list[_Open] = []
    every: list[_Open] = []
    preamble = _Open(Section("can-cu", "can_cu", None, "", ""), 0)
    used: dict[str, int] = {}
    for para, marker in zip(paras[:closing_from], markers[:closing_from]):
        if marker is None:
            (stack[-1] if stack else preamble).paragraphs.append(para)
            continue
        level, id_part, number, rest, written = marker
        while stack and stack[-1].level >= level:
            stack.pop()
        if level == 1:
            heading, own = sentence_case(rest), ""
        elif level == 2:
            heading, own = rest or f"Điều {number}", ""
        else:
            title = _title_line(rest)
            heading, own = (title, "") if title is not None else ("", rest)
        parent = stack[-1].section if stack else None
        prefix = "dieu" if level == 2 else "muc"
        section_id = f"{parent.id}-{id_part}" if parent else f"{prefix}-{id_part}"
        kind = parent.kind if parent else (kind_of(heading or rest) or ("khac" if has_roman or level == 2 else "nhiem_vu_giai_phap"))
        opened = _Open(Section(_unique(section_id, used), kind, number, heading, "", marker=written), level,
                       [own] if own else [], rest)
        if parent:
            parent.children.append(opened.section)
        else:
            roots.append(opened)
        stack.append(opened)
        every.append(opened)

    for opened in every:
        section = opened.section
        if opened.level > 2 and section.heading and not opened.paragraphs and not section.children:
            # A title line with nothing under it is a paragraph that lacks its final stop.
            section.heading, opened.paragraphs = "", [opened.rest]

    closing = paras[closing_from:]
    if closing:
        last = roots[-1] if roots else None
        if last and last.section.kind == "to_chuc_thuc_hien" and not last.section.children:
            last.paragraphs.extend(closing)
        else:
            roots.append(_Open(Section(_unique("to-chuc-thuc-hien", used), "to_chuc_thuc_hien", None, "", ""),
                               0, closing))
    sections = ([preamble] if preamble.paragraphs else []) + roots
    for opened in [preamble, *roots, *every]:
        opened.section.text = "\n\n".join(opened.paragraphs)
    return [opened.section for opened in sections]


_GROUNDS_RE = re.compile(r"^(?:Căn cứ|Thực hiện|Theo|Xét|Kính gửi)\b")


def _unstructured(paras: list[str]) -> list[Section]:
    """A body without any marker (a công văn): leading căn cứ paragraphs, then "noi-dung"."""
    split = 0
    while split < len(paras) - 1 and _GROUNDS_RE.match(paras[split]):
        split += 1
    sections = []
    if split:
        sections.append(Section("can-cu", "can_cu", None, "", "\n\n".join(paras[:split])))
    if paras[split:]:
        sections.append(Section("noi-dung", "khac", None, "", "\n\n".join(paras[split:])))
    return sections


def _is_closing(para: str) -> bool:
    return bool(_CLOSING_RE.match(para) or (len(para) < 400 and _DEMAND_RE.search(para)))


def _unique(section_id: str, used: dict[str, int]) -> str:
    """``section_id``, or with "-2", "-3", … when taken (also by an earlier suffixed id)."""
    if section_id not in used:
        used[section_id] = 1
        return section_id
    count = used[section_id]
    while True:
        count += 1
        candidate = f"{section_id}-{count}"
        if candidate not in used:
            used[section_id] = count
            used[candidate] = 1
            return candidate
