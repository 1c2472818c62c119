"""Small Vietnamese text helpers shared by the parser modules.

Normalisation (NFC, no BOM or zero-width characters), accent folding that keeps
string length (so a match in folded text slices the original), slugs, dates and
the proper-casing of all-caps lines:

    slugify("655/KH-PGDĐT")  # '655-kh-pgddt'
"""

from __future__ import annotations

import datetime
import re
import unicodedata

# Invisible characters that survive copy-paste from Word and web pages.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
# Every other control character except newline and tab is noise in a document.
_CONTROLS = {c: None for c in range(32) if c not in (9, 10)}
_CONTROLS.update({0x7F: None, 0x85: "\n", 0x2028: "\n", 0x2029: "\n", 0xA0: " ", 9: " "})
_CONTROLS.update(_INVISIBLE)


def normalize(text: str) -> str:
    """NFC text with Unix newlines, no BOM, zero-width or control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text.translate(_CONTROLS))


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isascii() else char


# Latin letters with diacritics: Latin-1, Extended-A/B and Vietnamese (U+1E00-U+1EFF).
_LETTER_RANGES = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
_FOLD_TABLE = {c: _fold_char(chr(c)) for c in _LETTER_RANGES if _fold_char(chr(c)) != chr(c)}


def fold(text: str) -> str:
    """Accents removed and đ→d, one character for one: ``len(fold(s)) == len(s)`` for NFC text."""
    return text.translate(_FOLD_TABLE)


def slugify(text: str) -> str:
    """ASCII, lowercase, runs of anything else as one '-'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(unicodedata.normalize("NFC", text)).lower()).strip("-")


_LETTERS = [chr(c) for c in [*range(0x41, 0x5B), *range(0x61, 0x7B), *_LETTER_RANGES]]
#: Regex character classes for Vietnamese upper- and lowercase letters (re has no \p{Lu}).
UPPER = "[" + "".join(c for c in _LETTERS if c.isupper() and c.isalpha()) + "]"
LOWER = "[" + "".join(c for c in _LETTERS if c.islower() and c.isalpha()) + "]"

_VOWELS = set("aeiouyăâêôơư")


_HAS_LOWER = re.compile(LOWER)
_TWO_UPPER = re.compile(f"{UPPER}.*?{UPPER}")


def is_all_caps(line: str) -> bool:
    """True for heading-style lines such as 'KẾ HOẠCH' (at least two letters, none lowercase)."""
    return not _HAS_LOWER.search(line) and bool(_TWO_UPPER.search(line))


def _keep_upper(word: str) -> bool:
    # Acronyms (UBND, THCS, GD&ĐT) have no vowel; codes such as COVID-19 have a digit.
    folded = fold(word).lower()
    return any(c.isdigit() for c in word) or not any(c in _VOWELS for c in folded)


def sentence_case(line: str) -> str:
    """'MỤC ĐÍCH, YÊU CẦU' → 'Mục đích, yêu cầu'; acronyms and codes stay upper case."""
    if not is_all_caps(line):
        return line
    words = [w if _keep_upper(w) else w.lower() for w in line.split()]
    return capitalize_first(" ".join(words))


def capitalize_first(text: str) -> str:
    """First letter upper-cased, the rest untouched."""
    for i, char in enumerate(text):
        if char.isalpha():
            return text[:i] + char.upper() + text[i + 1:]
    return text


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def iso_date(day: str | int, month: str | int, year: str | int) -> str | None:
    """'2021-07-16' for a real calendar date, None for nonsense such as 31/02."""
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


#: "ngày 09 tháng 12 năm 2021" or "ngày 16/7/2021" (on folded text), groups d, m, y.
DATE_PATTERN = (r"ngay\s+(?P<d>\d{1,2})\s*(?:thang\s+(?P<m>\d{1,2})\s*nam\s+|[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*)"
                r"(?P<y>\d{4})")


def date_from_match(match: re.Match) -> str | None:
    return iso_date(match["d"], match["m"] or match["m2"], match["y"])
