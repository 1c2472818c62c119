"""The top of a directive: header block, số ký hiệu, place and date, type line, trích yếu.

Reads rows until the body starts ("Căn cứ …", "Thực hiện …", a numbered item)
and says where that is:

    front = read_front(rows)   # front.number, front.doc_type, front.title, front.body_start
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.doctypes import doc_type_from_line
from corpus.layout import Row, continues_across_blank, continues_in_block, is_marker
from corpus.orgs import ADMIN, PLACE, org_case
from corpus.vntext import DATE_PATTERN, collapse_spaces, date_from_match, fold, is_all_caps

# The header never runs longer than this; a document without a type line is read no further.
_MAX_FRONT_ROWS = 40

_NUMBER_RE = re.compile(r"(?:^|\s)Số\s*[:.]?\s*(?P<num>\d[^\s,;]*(?:\s*[-/–]\s*[^\s,;]+)*)", re.I)
# On folded text, so "Minh Long, ngày 02 tháng 12 năm 2021" and "TP. Hồ Chí Minh, ngày 2/12/2021" match.
_DATE_LINE_RE = re.compile(
    rf"(?:(?:^|(?<=\s))(?P<place>[A-Z][\w.]*(?: [A-Z][\w.]*){{0,5}}),\s*)?(?i:{DATE_PATTERN})")
_BODY_START_RE = re.compile(r"^(?:Căn cứ|Thực hiện|Kính gửi|Nhằm|Để|Theo đề nghị|Xét đề nghị|Qua|Ngày)\b")
_GROUNDS_RE = re.compile(r"^(?:Căn cứ|Kính gửi|Xét đề nghị)\b")
_MOTTOS = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc", "doc lap tu do hanh phuc",
           "dang cong san viet nam")
_VV_RE = re.compile(r"^(?:V/v|V/V|Về việc)\b")
_ADMIN_LINE_RE = re.compile(rf"^{ADMIN}\b", re.I)
_TRAILING_PLACE_RE = re.compile(rf" {ADMIN} {PLACE}$")


@dataclass
class Front:
    number: str | None = None
    doc_type: str | None = None
    title: str = ""
    place: str | None = None
    issued_date: str | None = None
    header_issuer: str | None = None
    body_start: int = 0
    header_lines: list[str] = field(default_factory=list)


def clean_number(raw: str) -> str:
    """'34 -HD/ĐU' → '34-HD/ĐU', '29 NQ/TW' → '29-NQ/TW', '14/CT- UBND' → '14/CT-UBND'."""
    number = re.sub(r"\s*([-/–])\s*", r"\1", raw.strip()).replace("–", "-")
    number = re.sub(r"^(\d+[a-z]?)\s+(?=\w)", r"\1-", number)
    return number.strip(".,;: ")


def find_date(line: str) -> tuple[str | None, str | None] | None:
    """(place, ISO date) of a "Minh Long, ngày 02 tháng 12 năm 2021" line, else None."""
    match = _DATE_LINE_RE.search(fold(line))
    if not match:
        return None
    date = date_from_match(match)
    place = line[match.start("place"):match.end("place")] if match["place"] else None
    return (place, date) if date else None


def _motto_free(line: str) -> str:
    folded = fold(line).lower()
    for motto in _MOTTOS:
        at = folded.find(motto)
        if at >= 0:
            line, folded = (line[:at] + line[at + len(motto):]).strip(), (folded[:at] + folded[at + len(motto):]).strip()
    return collapse_spaces(line.strip(" -–"))


def _header_issuer(lines: list[str]) -> str | None:
    """The lowest agency of the header block, with the place of the one above it when it has none."""
    orgs: list[str] = []
    for line in lines:
        line = _motto_free(line)
        if not line or not is_all_caps(line):
            continue
        if orgs and _ADMIN_LINE_RE.match(line):
            orgs[-1] += " " + line  # "ỦY BAN NHÂN DÂN" / "HUYỆN MINH LONG" on two lines
        else:
            orgs.append(line)
    if not orgs:
        return None
    names = [org_case(org) for org in orgs]
    issuer = names[-1]
    parent = _TRAILING_PLACE_RE.search(names[-2]) if len(names) > 1 else None
    if parent and issuer.split()[-1][:1].islower() and not _TRAILING_PLACE_RE.search(issuer):
        issuer += parent.group(0)  # "Phòng Giáo dục và Đào tạo" under "… huyện Minh Long"
    return issuer


def read_front(rows: list[Row]) -> Front:
    front = Front()
    type_at = None
    i = 0
    while i < min(len(rows), _MAX_FRONT_ROWS):
        line = rows[i][0]
        if _BODY_START_RE.match(line) or is_marker(line) or len(line) > 300:
            break
        slug = doc_type_from_line(line)
        if slug:
            front.doc_type, type_at = slug, i
            break
        if _VV_RE.match(line):
            # "V/v …" is the trích yếu of a công văn, possibly over several lines.
            front.title, i = _title(rows, i)
            continue
        number = _NUMBER_RE.search(line)
        if number and front.number is None:
            front.number = clean_number(number["num"])
        dated = find_date(line)
        if dated and front.issued_date is None:
            front.place, front.issued_date = dated
        if not (number or dated or is_all_caps(line) or _is_motto(line)):
            break  # not a header line: the document has no header block, or it ended
        if not number and not dated:
            front.header_lines.append(line)
        i += 1
    front.header_issuer = _header_issuer(front.header_lines)
    if type_at is not None:
        front.title, front.body_start = _title(rows, type_at + 1)
    else:
        front.body_start = i
    return front


def _is_motto(line: str) -> bool:
    folded = fold(line).lower()
    return any(motto in folded for motto in _MOTTOS)


def _title(rows: list[Row], start: int) -> tuple[str, int]:
    """The trích yếu starting at ``start`` and the index of the first body row after it.

    The title is the rest of the type line's block or else the next block, plus
    blocks that continue its sentence (starting in lower case).
    """
    parts: list[str] = []
    i = start
    while i < len(rows):
        line, new_block = rows[i]
        # The first row is the title even when it reads "Thực hiện công tác …", unless it is
        # plainly the body ("Căn cứ …", "Kính gửi: …", an item).
        body_start = _GROUNDS_RE.match(line) if i == start else _BODY_START_RE.match(line)
        if body_start or is_marker(line) or doc_type_from_line(line):
            break
        if parts:
            previous = parts[-1]
            joins = (continues_across_blank(previous, line, body=False) if new_block
                     else continues_in_block(previous, line))
            if not joins:
                break
        parts.append(line)
        i += 1
    return collapse_spaces(" ".join(parts)), i
