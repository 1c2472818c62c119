"""Agency names: proper case for all-caps lines, and the issuer inferred from the body.

When a document has no header block, the issuer names itself in the text
("Phòng Giáo dục và Đào tạo huyện Minh Long xây dựng kế hoạch …", "Trên đây là
Kế hoạch … của Phòng …"); the most specific consistent mention wins:

    org_case("ỦY BAN NHÂN DÂN HUYỆN MINH LONG")   # 'Ủy ban nhân dân huyện Minh Long'
    issuer_from_body(preamble, closing, full_text)
"""

from __future__ import annotations

import re

from corpus.vntext import LOWER, UPPER, capitalize_first, fold

_U, _L = UPPER, LOWER
ADMIN = r"(?:huyện|tỉnh|thành phố|quận|thị xã|thị trấn|xã|phường)"
PLACE = rf"{_U}{_L}*(?: {_U}{_L}*){{0,3}}"
_NAME = rf"{_U}{_L}*(?: {_L}+){{0,2}}"  # "Giáo dục", "Phát triển nông thôn"
_FIELD = rf"{_NAME}(?:(?: và | - |, | ){_NAME})*"
_WHERE = rf"(?: {ADMIN}(?: {PLACE})?)?"
_COUNCIL = rf"(?:Ủy ban nhân dân|Uỷ ban nhân dân|Hội đồng nhân dân|UBND|HĐND){_WHERE}"
_AGENCY = rf"(?:Phòng|Sở|Bộ|Ban|Cục|Chi cục|Tổng cục|Trung tâm|Trường|Viện|Văn phòng) {_FIELD}{_WHERE}"
_COMMITTEE = rf"(?:Huyện|Tỉnh|Thành|Quận|Thị) ủy(?: {PLACE})?"
_PARTY = rf"(?:Đảng ủy|Đảng bộ|Chi bộ|Công đoàn|Chi đoàn|Đoàn trường)(?: (?:{_COUNCIL}|{_AGENCY}))?"
#: An agency as named in running text.
ORG = rf"(?:{_PARTY}|{_COUNCIL}|{_AGENCY}|{_COMMITTEE})"

# "<Cơ quan> xây dựng Kế hoạch …", "<Cơ quan> hướng dẫn …", "<Cơ quan> yêu cầu …".
_SELF_VERBS = r"(?:xây dựng|ban hành|hướng dẫn|yêu cầu|đề nghị|thông báo|báo cáo|lập|chỉ thị)"
_SELF_RE = re.compile(rf"(?<!\w)(?P<org>{ORG}) {_SELF_VERBS}(?!\w)")
# "Trên đây là Kế hoạch … của <Cơ quan>./."
_CLOSING_RE = re.compile(rf"^Trên đây là [^\n]{{0,300}}? của (?P<org>{ORG})\s*(?:[./;,]|$)")
_WITH_PLACE = re.compile(rf" (?P<admin>{ADMIN}) (?P<place>{PLACE})$")
_ADMIN_END = re.compile(rf" {ADMIN}$")

_ABBREVIATIONS = {"UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "Uỷ ban": "Ủy ban"}


def lacks_place(org: str) -> bool:
    """True for a name ending in a bare "huyện", "xã", … whose place the text never gave."""
    return bool(_ADMIN_END.search(org)) and not _WITH_PLACE.search(org)


def expand(org: str) -> str:
    for short, full in _ABBREVIATIONS.items():
        org = re.sub(rf"(?<!\w){short}(?!\w)", full, org)
    return org


def issuer_from_body(preamble: list[str], closing: list[str], text: str) -> str | None:
    """The issuer named by the document itself, made as specific as the text allows.

    Self-references in the preamble come first, then "Trên đây là … của X" and
    "X yêu cầu …" in the closing paragraphs.
    """
    candidates = [m["org"] for para in preamble for m in _SELF_RE.finditer(para)]
    for para in closing:
        candidates += [m["org"] for m in _CLOSING_RE.finditer(para)]
        candidates += [m["org"] for m in _SELF_RE.finditer(para)]
    if not candidates:
        return None
    return most_specific(expand(candidates[0]), [expand(c) for c in candidates], text)


def most_specific(org: str, mentions: list[str], text: str) -> str:
    """``org`` extended with the place the text most often gives it.

    "Phòng Giáo dục và Đào tạo" named elsewhere as "… huyện Dầu Tiếng" (3
    mentions of "huyện Dầu Tiếng" in the text) and "… huyện Đầu Tiêng" (1)
    becomes "… huyện Dầu Tiếng". A name ending in a bare "huyện" with no
    mention of its own place takes the district the text names most ("Ủy ban
    nhân dân huyện Củ Chi"). A name that already has its place is kept; a place
    is never invented.
    """
    if _WITH_PLACE.search(org):
        return org
    admin = _ADMIN_END.search(org)
    base = org[:admin.start()] if admin else org
    extended = re.compile(rf"(?<!\w){re.escape(base)} (?P<admin>{ADMIN}) (?P<place>{PLACE})(?!\w)")
    places: dict[str, None] = {}
    for mention in [*mentions, *(m.group(0) for m in extended.finditer(text))]:
        found = extended.fullmatch(mention)
        if found and (admin is None or found["admin"] == admin.group(0).strip()):
            places[f"{found['admin']} {found['place']}"] = None
    if not places and admin is not None:
        # "Phòng Giáo dục và Đào tạo huyện" with no place of its own: a district
        # office names its district when it cites the district's other bodies
        # ("… của Ủy ban nhân dân huyện Củ Chi"); the district the text names most.
        level = admin.group(0).strip()
        for found in re.finditer(rf"(?<!\w){level} (?P<place>{PLACE})(?!\w)", text):
            places[f"{level} {found['place']}"] = None
    if not places:
        return org
    # max() keeps the first of equals: the document's own mentions come first.
    return f"{base} {max(places, key=text.count)}"


# Words that are capitalised inside agency names (Phụ lục II, Nghị định 30/2020/NĐ-CP).
_FIXED = {
    "ủy ban nhân dân": "Ủy ban nhân dân", "uỷ ban nhân dân": "Ủy ban nhân dân",
    "hội đồng nhân dân": "Hội đồng nhân dân", "ban thường vụ": "Ban Thường vụ",
    "ban chấp hành": "Ban Chấp hành", "ban bí thư": "Ban Bí thư", "bộ chính trị": "Bộ Chính trị",
    "mặt trận tổ quốc việt nam": "Mặt trận Tổ quốc Việt Nam", "chính phủ": "Chính phủ",
    "thủ tướng": "Thủ tướng", "trung ương": "Trung ương", "việt nam": "Việt Nam",
    "đảng ủy": "Đảng ủy", "đảng bộ": "Đảng bộ", "chi bộ": "Chi bộ", "huyện ủy": "Huyện ủy",
    "tỉnh ủy": "Tỉnh ủy", "thành ủy": "Thành ủy", "quận ủy": "Quận ủy", "thị ủy": "Thị ủy",
}
_FIXED_LONGEST_FIRST = sorted(_FIXED, key=len, reverse=True)
_HEADS = ("chi cục", "tổng cục", "trung tâm", "văn phòng", "phòng", "sở", "bộ", "ban", "cục",
          "trường", "viện", "công đoàn")
_ADMINS = ("thành phố", "thị xã", "thị trấn", "huyện", "tỉnh", "quận", "xã", "phường")


def org_case(line: str) -> str:
    """An all-caps agency line in proper case; mixed-case input is returned as is.

    "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" → "Phòng Giáo dục và Đào tạo": fixed names from
    a table, the first syllable of each field after a head word (Phòng, Sở, Ban)
    and after "và"/"-", and every syllable of a place after huyện/tỉnh/….
    """
    if any(c.islower() for c in line):
        return line
    words = expand(line).lower().split()
    out: list[str] = []
    i, in_field, in_place, after_head = 0, False, False, False
    while i < len(words):
        rest = " ".join(words[i:])
        fixed = next((k for k in _FIXED_LONGEST_FIRST if rest == k or rest.startswith(k + " ")), None)
        if fixed:
            out.append(_FIXED[fixed])
            i += len(fixed.split())
            in_field, in_place, after_head = fixed.startswith("ban "), False, False
            continue
        admin = next((a for a in _ADMINS if rest == a or rest.startswith(a + " ")), None)
        if admin == "xã" and rest.startswith("xã hội"):
            admin = None  # "Lao động - Thương binh và Xã hội" is a field, not a commune
        if admin and not in_place:
            out.append(admin)
            i += len(admin.split())
            in_field, in_place, after_head = False, True, False
            continue
        head = next((h for h in _HEADS if rest == h or rest.startswith(h + " ")), None)
        if head and not in_place and not in_field:
            out.append(capitalize_first(head))
            i += len(head.split())
            in_field, after_head = True, True
            continue
        word = words[i]
        if any(c.isalpha() for c in word) and not any(v in fold(word) for v in "aeiouy"):
            word = word.upper()  # acronyms have no vowel: THCS, GD&ĐT
            in_place = in_field  # a name follows: "Trường THCS Nguyễn Du"
        elif in_place or (in_field and (after_head or words[i - 1] in ("và", "-"))):
            word = capitalize_first(word)
        out.append(word)
        after_head = False
        i += 1
    return capitalize_first(" ".join(out))
