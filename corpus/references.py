"""Documents cited in a directive's text.

A reference is a type name followed by a number, optionally "số", a date and
"của <cơ quan>": "Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ".
Matching runs on accent-folded text (same length as the original) so spelling
variants match, and slices the original for the output:

    [r.number for r in find_references("Căn cứ Chỉ thị 33/CT-TTg …")]   # ['33/CT-TTg']
"""

from __future__ import annotations

import re

from corpus.doctypes import LABELS_PATTERN, doc_type_from_name, doc_type_from_number
from corpus.front import clean_number
from corpus.model import Reference
from corpus.vntext import DATE_PATTERN, date_from_match, fold

# A number: digits (a list "17, 18, 19" shares the code), then parts joined by / or -,
# at least one of them lettered ("19/CT-TTg", "29 NQ/TW", "05-CTPH/BDVHU-PGDDT").
_PART = r"[A-Za-z0-9&]+"
_NUMBER = (rf"(?P<num>(?P<digits>\d{{1,5}}(?:\s*,\s*\d{{1,5}}){{0,9}})[a-z]?"
           rf"(?P<code>(?:\s*[/-](?:\s+(?=[A-Z0-9]))?{_PART}|\s+(?=[A-Z]{{2,}}[/-])[A-Z]+)+))")
# Where the issuer named after "của" stops: a verb or preposition that starts the subject.
_ISSUER_STOP = (r"(?=\s+(?:ve|v/v|thuc hien|ban hanh|phe duyet|quy dinh|huong dan|trien khai|tiep tuc|nham|da|"
                r"theo|tai|trong|tu|den|cho|voi|duoc|sau|khi|de|ngay|so|nam)\b|\s+va\s+(?=[a-z])"
                rf"|\s+(?:va|,)\s+(?i:{LABELS_PATTERN})\b|\s*[,;:.()\"“”]|\s*$)")
_ISSUER = r"(?P<issuer>[A-Z][\w&-]*(?:\s+[\w&-]+){0,14}?)"
_REFERENCE_RE = re.compile(
    rf"(?<![\w/])(?P<type>(?i:{LABELS_PATTERN}))"
    rf"(?:\s+(?i:cua)\s+(?P<issuer0>[A-Z][\w&-]*(?:\s+[\w&-]+){{0,6}}?))?"
    rf"\s+(?:(?i:so)\s*:?\s*)?{_NUMBER}(?![\w/])"
    rf"(?:\s*,?\s*(?:(?i:ban hanh)\s+)?(?i:{DATE_PATTERN}))?"
    rf"(?:\s*,?\s+(?i:cua)\s+{_ISSUER}{_ISSUER_STOP})?"
)


def find_references(text: str, own_number: str | None = None) -> list[Reference]:
    """Every numbered document cited in ``text``, once per number, in order of first citation.

    The first citation with a date and an issuer wins ("Chỉ thị số 19/CT-TTg"
    cited again later without them does not replace it); the document's own
    number is left out.
    """
    found: dict[str, Reference] = {}
    own = _key(own_number) if own_number else None
    folded = fold(text)
    for match in _REFERENCE_RE.finditer(folded):
        for ref in _references(text, match):
            key = _key(ref.number)
            if key == own:
                continue
            kept = found.get(key)
            if kept is None:
                found[key] = ref
            elif _score(ref) > _score(kept):
                found[key] = ref  # dict order is the first citation's place
    return list(found.values())


def _key(number: str) -> str:
    """Numbers that differ only by spacing, case or Đ/D ("BGDDT") are the same document."""
    return fold(re.sub(r"\s+", "", number)).upper()


def _score(ref: Reference) -> int:
    return (ref.date is not None) + (ref.issuer is not None)


def _references(text: str, match: re.Match) -> list[Reference]:
    if not re.search(r"[A-Za-z]", match["code"]):
        return []  # "2021-2025" is a period, not a number
    issuer_group = "issuer" if match["issuer"] else "issuer0" if match["issuer0"] else None
    issuer = " ".join(text[match.start(issuer_group):match.end(issuer_group)].split()) if issuer_group else None
    doc_type = doc_type_from_name(text[match.start("type"):match.end("type")])
    date = date_from_match(match) if match["y"] else None
    code = text[match.start("code"):match.end("code")]
    every = re.split(r"\s*,\s*", match["digits"])
    refs = []
    for digits in every:
        number = clean_number(digits + code)
        if len(every) == 1:
            cited = text[match.start():match.end()]
        else:
            # "Thông tư số 17, 18, 19/TT-BGDĐT của Bộ …" cites three documents: each is named on its own,
            # "Thông tư số 18/TT-BGDĐT của Bộ …".
            cited = f"{text[match.start():match.start('num')].rstrip()} {number}{text[match.end('num'):match.end()]}"
        refs.append(Reference(
            doc_type=doc_type or doc_type_from_number(number),
            number=number,
            date=date,
            issuer=issuer,
            text=" ".join(cited.split()),
        ))
    return refs
