"""Document numbers (số ký hiệu) found in text and written one canonical way.

"19/CT-TTg", "19/ct-ttg" and "19 / CT-TTg" are all "19/ct-ttg"; "BGDĐT" and
"BGDDT" fold alike; "Số 34 -HD/ĐU" is "34-hd/du"; "29 NQ/TW" is "29-nq/tw";
a number with a year ("51/2020/TT-BGDĐT") also answers to its year-less
form ("51/tt-bgddt"), and separator_variants() gives the forms a query may
have confused ("34/HD-ĐU" for "34-HD/ĐU"). Dates ("16/7/2021"), ranges ("2021-2025") and names
like "COVID-19" are not numbers.

    [m.canonical for m in find_numbers("theo Chỉ thị số 19/CT-TTg ngày 16/7/2021")] == ["19/ct-ttg"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzers.normalize import fold_token, normalize

_LETTERS = r"[^\W\d_]"
_SYMBOL = rf"{_LETTERS}+(?:&{_LETTERS}+)?"
# Symbols joined by "-" or "/", with at most one stray space ("CT- UBND").
_SYMBOLS = rf"{_SYMBOL}(?:[ ]?[-/][ ]?{_SYMBOL})*"
_NUMBER = re.compile(
    rf"(?<![\w/.-])(?P<n>\d{{1,6}})"
    rf"(?:[ ]?/[ ]?(?P<year>(?:19|20)\d\d))?"
    rf"(?:(?P<sep>[ ]?/[ ]?|[ ]?-)|(?P<space>[ ]))"
    rf"(?P<sym>{_SYMBOLS})(?![\w])"
)
_REVERSED = re.compile(rf"^\s*(?P<sym>{_SYMBOLS})\s+(?:số\s+)?(?P<n>\d{{1,6}})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberMatch:
    start: int
    end: int
    raw: str
    canonical: str


def _canonical(match: re.Match) -> str | None:
    symbols = match.group("sym")
    parts = re.split(r"[ ]?([-/])[ ]?", symbols)
    letters = parts[0::2]
    if match.group("space") is not None:
        # "29 NQ/TW": only an upper-case symbol with a slash, else "lớp 2 A/B" would count.
        if "/" not in symbols or not all(p.isupper() for p in letters):
            return None
        sep = "-"
    else:
        sep = match.group("sep").strip()
        # One lower-case word after a hyphen is prose ("Điều 5-quy định"), not a number.
        if len(letters) == 1 and not (letters[0].isupper() and len(letters[0]) >= 2):
            return None
    body = "".join(parts).replace(" ", "")
    year = match.group("year")
    head = f"{match.group('n')}/{year}" if year else match.group("n")
    return fold_token(f"{head}{sep}{body}".lower())


def find_numbers(text: str) -> list[NumberMatch]:
    """Every document number in ``text`` (offsets into ``text`` as given)."""
    found = []
    for match in _NUMBER.finditer(text):
        canonical = _canonical(match)
        if canonical:
            found.append(NumberMatch(match.start(), match.end(), match.group(), canonical))
    return found


def number_variants(canonical: str) -> list[str]:
    """The canonical form and, for numbers with a year, the year-less form."""
    match = re.match(r"^(\d+)/(?:19|20)\d\d([-/].*)$", canonical)
    if match:
        return [canonical, f"{match.group(1)}{match.group(2)}"]
    return [canonical]


_HEAD = re.compile(r"^(\d+(?:/(?:19|20)\d\d)?)([-/].*)$")
#: Separators of a number beyond which their variants are not all offered (2**n forms).
MAX_SEPARATORS = 4


def separator_variants(canonical: str) -> list[str]:
    """The canonical form first, then the same number with its "-" and "/"
    exchanged in every way ("34/hd-du" -> also "34-hd/du", "34/hd/du",
    "34-hd-du"): which separator goes where is often misremembered."""
    match = _HEAD.match(canonical)
    if not match:
        return [canonical]
    head, rest = match.groups()
    parts = re.split(r"([-/])", rest)  # "", sep, symbol, sep, symbol ...
    separators = parts[1::2]
    if len(separators) > MAX_SEPARATORS:
        return [canonical]
    variants = [canonical]
    for bits in range(2 ** len(separators)):
        chosen = ["/" if bits >> i & 1 else "-" for i in range(len(separators))]
        parts[1::2] = chosen
        variant = head + "".join(parts)
        if variant not in variants:
            variants.append(variant)
    return variants


def canonical_number(text: str) -> str | None:
    """The canonical number when ``text`` is exactly one document number,
    also written symbol-first ("CT-TTg 19"); else None."""
    text = normalize(text)
    if not text:
        return None
    reversed_ = _REVERSED.match(text)
    if reversed_ and not reversed_.group("sym").isdigit():
        text = f"{reversed_.group('n')}/{reversed_.group('sym')}"
    stripped = re.sub(r"^(?:số|so)\s*:?\s*", "", text, flags=re.IGNORECASE)
    found = find_numbers(stripped)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(stripped):
        return found[0].canonical
    return None
