"""The one normaliser every text path goes through: documents, queries, facets, highlights.

normalize() gives NFC text with one tone-mark placement (the new style that
underthesea also emits: "hoà" → "hòa", "thuỷ" → "thủy"), invisible characters
removed and whitespace collapsed. normalize_with_offsets() does the same
without touching whitespace and says where each character came from, so
tokens can point into the original text. fold() drops diacritics (đ → d).
typed_matches() is the rule a syllable typed in a query follows: with marks
it means that syllable, without marks any syllable that folds to it.

    normalize("Uỷ ban  nhân\u200b dân") == "Ủy ban nhân dân"; fold("Đào tạo") == "dao tao"
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Zero-width space/joiners, word joiner, soft hyphen, BOM: invisible, never meaningful.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\u00ad\ufeff"), None)
_SPACES = re.compile(r"[^\S\n]+")
_ALL_SPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng


def _tone_table() -> dict[str, str]:
    """Old placement -> new placement for word-final oa, oe, uy (both cases)."""
    table = {}
    for first, second in ("oa", "oe", "uy", "Oa", "Oe", "Uy", "OA", "OE", "UY"):
        for tone in _TONES:
            old = first + unicodedata.normalize("NFC", second + tone)
            new = unicodedata.normalize("NFC", first + tone) + second
            table[old] = new
    return table


_TONE_TABLE = _tone_table()
# Only at the end of a syllable ("hoàn", "toán" are right in both styles) and
# not after q ("quý" is u + ý in both styles). A character class rather than
# an alternation of the table's keys: this runs on every text indexed.
_OLD_TONES = re.compile(r"(?<![qQ])[oOuU][%s](?![^\W\d_])" % "".join(sorted({k[1] for k in _TONE_TABLE})))
_INVISIBLE_RE = re.compile("[%s]" % "".join(map(chr, _INVISIBLE)))


def _fix_tones(text: str) -> str:
    return _OLD_TONES.sub(lambda m: _TONE_TABLE.get(m.group(), m.group()), text)


def _needs_slow_path(text: str) -> bool:
    return not unicodedata.is_normalized("NFC", text) or _INVISIBLE_RE.search(text) is not None


# (text, result) of the last call: the index-time analyzers see each text four
# times in a row. One tuple, replaced whole, so threads never see half of one.
_last: tuple = (None, None)


def normalize_with_offsets(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """(normalised text, starts, ends): character i of the result came from
    ``text[starts[i]:ends[i]]``. Whitespace is kept as it is. starts/ends are
    None when the text was already normal (offsets are then the identity)."""
    global _last
    last_text, last_result = _last
    if last_text is text:
        return last_result
    result = _normalize_with_offsets(text)
    _last = (text, result)
    return result


def _normalize_with_offsets(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    if not _needs_slow_path(text):
        return _fix_tones(text), None, None
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        # A base character with its combining marks is composed as one cluster.
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j].translate(_INVISIBLE)
        for ch in unicodedata.normalize("NFC", cluster):
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    # Tone fixes swap marks within two characters, so offsets stay valid.
    return _fix_tones("".join(out)), starts, ends


def normalize(text: str, keep_newlines: bool = False) -> str:
    """NFC, one tone placement, no invisible characters, whitespace collapsed.

    With keep_newlines, paragraph breaks survive as one blank line and line
    breaks as one newline; otherwise every run of whitespace is one space.
    """
    text = _fix_tones(unicodedata.normalize("NFC", text.translate(_INVISIBLE)))
    if not keep_newlines:
        return _ALL_SPACE.sub(" ", text).strip()
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


@functools.lru_cache(maxsize=200_000)
def _fold_word(word: str) -> str:
    word = word.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lowercase without diacritics: "Đào tạo" -> "dao tao". Normalises first."""
    text = normalize(text).lower()
    if text.isascii():
        return text
    if len(text) < 40:
        return _fold_word(text)
    return " ".join(_fold_word(w) for w in text.split(" "))


def fold_token(token: str) -> str:
    """fold() for a token already normalised and lowercased (the analyzers' hot path)."""
    return token if token.isascii() else _fold_word(token)


# fold_token() of each character up to U+2FFF (Latin, Greek, Cyrillic, ...)
# that folds to exactly one other character, for folding a whole text in one
# str.translate: NFD then dropping the marks works character by character, so
# a word folds as its characters do. A character that folds to nothing (a
# lone combining mark) or to several, or one beyond U+2FFF, would shift the
# offsets: texts holding one are folded token by token instead.
_FOLDS = {c: _fold_word(chr(c)) for c in range(0x80, 0x3000)}
_FOLD_TABLE = {c: folded for c, folded in _FOLDS.items() if len(folded) == 1 and folded != chr(c)}
_NOT_ONE_TO_ONE = re.compile("[%s\u3000-\U0010ffff]" % "".join(
    re.escape(chr(c)) for c, folded in _FOLDS.items() if len(folded) != 1))
del _FOLDS


def fold_text(text: str) -> str | None:
    """fold_token() of every syllable of a normalised, lowercased text at once,
    character for character: the same length, so offsets into ``text`` hold
    for the result. None when that cannot be (a character that folds to
    nothing or to several, or one beyond the table): fold token by token then.
    """
    if text.isascii():
        return text
    if _NOT_ONE_TO_ONE.search(text):
        return None
    return text.translate(_FOLD_TABLE)


def lower_and_fold(normal: str) -> tuple[str, str] | None:
    """(lowercase, folded) of a normalised text, both character for character
    with it, lowercased as each of its syllables would be; None when either
    cannot be (then work token by token).

    str.lower() of a whole text is the lowercase of each syllable except for
    İ (two characters) and Σ, whose final form depends on the letters around
    it, which differ between a text and a syllable cut out of it.
    """
    if "Σ" in normal:
        return None
    lower = normal.lower()
    if len(lower) != len(normal):
        return None
    folded = fold_text(lower)
    return None if folded is None else (lower, folded)


def has_diacritics(text: str) -> bool:
    """True when folding changes more than case ("đào" yes, "Dao" no)."""
    lower = normalize(text).lower()
    return fold_token(lower) != lower


def typed_matches(typed: str, written: str) -> bool:
    """Whether a syllable as typed matches a syllable as written (both
    normalised and lowercased): one typed with any mark (tone, breve,
    circumflex, horn, đ) matches only itself; one typed without marks matches
    every syllable that folds to it. "dịch" matches "dịch"; "dich" matches
    "dịch", "dích" and "dich"; "dích" matches neither of the others.
    """
    if typed == written:
        return True
    return fold_token(typed) == typed and fold_token(written) == typed


def typed_matches_all(typed, written) -> bool:
    """typed_matches() syllable by syllable over two sequences of the same length."""
    return len(typed) == len(written) and all(map(typed_matches, typed, written))
