"""Lines, rows and paragraphs: the physical layout of a directive's text.

A row is a non-blank line, flagged when a blank line precedes it. Paragraphs
are rebuilt from rows: hard line breaks inside a sentence are joined, also
across a blank line when the next part starts in lower case ("…phù hợp với những" / "người làm nhiệm vụ…"):

    paragraphs(to_rows(lines(text)))
"""

from __future__ import annotations

import re

from corpus.vntext import LOWER, UPPER, collapse_spaces, is_all_caps

ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
#: "I. MỤC ĐÍCH", "II- NHIỆM VỤ" (group num, rest).
ROMAN_RE = re.compile(rf"^(?P<num>(?=[IVX]){ROMAN})\s*[.):-]\s*(?P<rest>\S.*)$")
#: "1. Mục đích", "2) …" and "1.1. …" (group num, rest).
NUMBERED_RE = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,2}\.?|\d{1,2}\s*[.)])\s*(?P<rest>[^\d\s].*)$")
#: "a) Triển khai …", "đ) …" (group num, rest).
LETTERED_RE = re.compile(r"^(?P<num>[a-zđ])\s*\)\s*(?P<rest>\S.*)$")
#: "Điều 1. Phạm vi điều chỉnh" (group num, rest).
ARTICLE_RE = re.compile(r"^Điều\s+(?P<num>\d{1,3})\s*[.:]?\s*(?P<rest>.*)$")
BULLET_RE = re.compile(r"^[-–—+•*·]\s*\S")

_MARKDOWN = re.compile(r"\*\*|__|^#{1,6}\s+|^>\s+")
_RULE = re.compile(r"^[\s\-_=*~.·]{3,}$")  # "-----", "___": separators under header lines
_STARTS_LOWER = re.compile(rf"^[\"“(]?{LOWER}")
_STARTS_UPPER = re.compile(rf"^[\"“(]?{UPPER}")
_ENDS_SENTENCE = re.compile(r"[.!?:]\W*$")

# A paragraph this long that stops without punctuation was cut by a page break.
_LONG = 120


def lines(text: str) -> list[str]:
    """Stripped lines without markdown emphasis; separator rules become blank lines."""
    out = []
    for line in text.split("\n"):
        line = collapse_spaces(_MARKDOWN.sub("", line))
        out.append("" if _RULE.match(line) else line)
    return out


#: One non-blank line and whether a blank line (or the start) comes before it.
Row = tuple[str, bool]


def to_rows(all_lines: list[str]) -> list[Row]:
    """Non-blank lines, each flagged when it starts a block (follows a blank line)."""
    rows: list[Row] = []
    new_block = True
    for line in all_lines:
        if line:
            rows.append((line, new_block))
        new_block = not line
    return rows


def is_marker(line: str) -> bool:
    """A line that starts a structural unit: Roman part, numbered or lettered item, Điều, bullet."""
    return bool(ROMAN_RE.match(line) or NUMBERED_RE.match(line) or LETTERED_RE.match(line)
                or ARTICLE_RE.match(line) or BULLET_RE.match(line))


def _structural(line: str) -> bool:
    return is_marker(line) or is_all_caps(line)


def continues_in_block(previous: str, line: str) -> bool:
    """Whether ``line`` continues ``previous`` inside one block (a hard-wrapped sentence)."""
    if _structural(line) or is_all_caps(previous):
        return False
    return not (_ENDS_SENTENCE.search(previous) or previous.endswith(";") and _STARTS_UPPER.match(line))


def continues_across_blank(previous: str, paragraph: str, body: bool = True) -> bool:
    """Whether ``paragraph`` is the rest of ``previous`` cut by a blank line.

    Always when it starts in lower case and ``previous`` has no final
    punctuation; in the body also when ``previous`` is a long plain paragraph
    stopping on a letter and ``paragraph`` is plain ("Phối hợp với các" /
    "Nhà xuất bản …").
    """
    if _structural(paragraph) or is_all_caps(previous) or _ENDS_SENTENCE.search(previous):
        return False
    if _STARTS_LOWER.match(paragraph):
        return True
    return (body and len(previous) >= _LONG and previous[-1].isalpha() and not is_marker(previous)
            and bool(_STARTS_UPPER.match(paragraph)))


def paragraphs(rows: list[Row], body: bool = True) -> list[str]:
    """Paragraphs with broken sentences joined (see continues_in_block / continues_across_blank)."""
    paras: list[str] = []
    for line, new_block in rows:
        if paras and (continues_across_blank(paras[-1], line, body) if new_block
                      else continues_in_block(paras[-1], line)):
            paras[-1] += " " + line
        else:
            paras.append(line)
    return paras
