"""The end of a directive: "Nơi nhận" list and signature block.

Finds where the body stops, the recipients, and the signer with the title in
proper case ("PHÓ CHỦ TỊCH" → "Phó Chủ tịch") and on whose behalf they sign
("TM. ỦY BAN NHÂN DÂN"):

    closing = read_closing(rows, body_start)   # closing.recipients, closing.signer, closing.body_end
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.layout import BULLET_RE, Row, is_marker
from corpus.model import Signer
from corpus.orgs import org_case
from corpus.vntext import LOWER, UPPER, capitalize_first, fold, is_all_caps

_RECIPIENTS_RE = re.compile(r"^[-–]?\s*no[i]?\s*nhan\s*:?\s*(?P<rest>.*)$", re.I)
#: "TM. ỦY BAN NHÂN DÂN", "T/M BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "TL.", "TUQ." (groups kind, rest).
_PREFIX_RE = re.compile(r"^(?P<kind>T\.?\s?M|T/M|K\.?\s?T|K/T|T\.?\s?L|T/L|T\.?U\.?Q|TUQ)\s*[./:]*\s*(?P<rest>[^\W\d_a-z].*)$")
_NAME_RE = re.compile(rf"^{UPPER}{LOWER}*(?: {UPPER}{LOWER}*){{1,5}}$")
_UNSIGNED_RE = re.compile(r"^\(?\s*(?:đã ký|ký tên|ký,|ký và|chữ ký|đóng dấu|\(?ký)", re.I)
_SURNAMES = {"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
             "ho", "ngo", "duong", "ly", "dinh", "doan", "truong", "luong", "mai", "cao", "ha", "lam", "ta"}
# More rows than this above "Nơi nhận" are not a signature block.
_MAX_SIGNATURE_ROWS = 8


@dataclass
class Closing:
    body_end: int
    recipients: list[str] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)
    on_behalf_of: str | None = None
    rows: list[str] = field(default_factory=list)


def _is_name(line: str) -> bool:
    if _NAME_RE.match(line):
        return True
    words = line.split()
    # All-caps names ("TRẦN VĂN TOẢN") only when they start with a common surname.
    return is_all_caps(line) and 2 <= len(words) <= 5 and fold(words[0]).lower() in _SURNAMES


def _is_signature_row(line: str) -> bool:
    if is_marker(line) or len(line) > 80:
        return False
    return bool(_PREFIX_RE.match(line) or _UNSIGNED_RE.match(line) or _is_name(line)
                or (is_all_caps(line) and len(line.split()) <= 8))


def _recipient(line: str) -> str:
    return re.sub(r"^[-–+•*·]\s*", "", line).rstrip(" ;,.")


def read_closing(rows: list[Row], body_start: int) -> Closing:
    lines = [line for line, _ in rows]
    # Only a short prefix is folded: this scans every line of the document.
    at = next((i for i in range(len(lines) - 1, body_start - 1, -1)
               if _RECIPIENTS_RE.match(fold(lines[i][:12]))), None)
    closing = Closing(body_end=len(lines))
    after: list[str] = []
    if at is not None:
        closing.body_end = at
        rest = _RECIPIENTS_RE.match(fold(lines[at]))
        first = lines[at][rest.start("rest"):].strip()
        if first:
            closing.recipients.append(_recipient(first))
        i = at + 1
        while i < len(lines):
            line = lines[i]
            listed = BULLET_RE.match(line) or (line.endswith((";", ",", ".")) and not _is_signature_row(line))
            if not listed:
                break
            closing.recipients.append(_recipient(line))
            i += 1
        after = lines[i:]
    # A signature block may also sit just above "Nơi nhận" (or end a document without one).
    start = closing.body_end
    while start > body_start and closing.body_end - start < _MAX_SIGNATURE_ROWS and _is_signature_row(lines[start - 1]):
        start -= 1
    before = lines[start:closing.body_end]
    if before and any(_PREFIX_RE.match(line) or _is_name(line) for line in before) and (
            at is not None or _is_name(before[-1])):
        closing.body_end = start
    else:
        before = []
    closing.rows = before + after
    closing.signer, closing.on_behalf_of = _signer(closing.rows)
    return closing


def _signer(lines: list[str]) -> tuple[Signer, str | None]:
    titles: list[str] = []
    name = on_behalf_of = None
    for line in lines:
        prefix = _PREFIX_RE.match(line)
        if _UNSIGNED_RE.match(line):
            continue
        if prefix:
            if fold(prefix["kind"]).upper().replace(".", "").replace("/", "").replace(" ", "") == "TM":
                on_behalf_of = org_case(prefix["rest"])
            # KT./TL./TUQ. name the superior's title; the signer's own title is on the next line.
        elif _is_name(line) and (titles or name is None) and not _looks_like_title(line):
            name = line if not is_all_caps(line) else " ".join(w.capitalize() for w in line.lower().split())
        elif is_all_caps(line):
            titles.append(line)
    return Signer(name=name, title=title_case(titles[-1]) if titles else None), on_behalf_of


_TITLE_WORDS = ("chủ tịch", "giám đốc", "trưởng", "bí thư", "hiệu", "phó", "ủy viên", "chánh", "thủ tướng",
                "cục", "viện", "tổng", "chủ nhiệm", "thư ký", "kế toán")


def _looks_like_title(line: str) -> bool:
    lowered = line.lower()
    return any(word in lowered for word in _TITLE_WORDS)


# Second parts of titles that keep their capital ("Phó Bí thư Thường trực", "Chánh Văn phòng").
_TITLE_FIXED = {"thường trực": "Thường trực", "văn phòng": "Văn phòng", "thanh tra": "Thanh tra"}


def title_case(line: str) -> str:
    """'PHÓ BÍ THƯ THƯỜNG TRỰC' → 'Phó Bí thư Thường trực', 'TRƯỞNG PHÒNG' → 'Trưởng phòng'."""
    if not is_all_caps(line):
        return line
    text = line.lower()
    for lower, proper in _TITLE_FIXED.items():
        text = re.sub(rf"(?<=\w) {lower}\b", " " + proper, text)
    words = text.split()
    if words[0] in ("phó", "quyền") and len(words) > 1:
        words[1] = capitalize_first(words[1])  # "Phó Chủ tịch", "Quyền Giám đốc"
    return capitalize_first(" ".join(words))
