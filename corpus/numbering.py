"""The numbers Word draws in front of numbered paragraphs, which are not in the paragraph's text.

A directive typed with Word's automatic numbering has "MỤC ĐÍCH, YÊU CẦU" in
its XML and "I." only in numbering.xml. Numbering follows each paragraph's
numbering (its own or its style's), counts per list and level, restarts deeper
levels, and formats the level text ("%1.", "%1.%2.", "%3)") in decimal, Roman
or letters; bullets become "-":

    numbering = Numbering.of(document); label = numbering.label(p_element)   # "II." or None
"""

from __future__ import annotations

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    # Word: a … z, then aa, bb, …
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerLetter": _letters,
}


def _val(element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(f"{_W}val")


class Numbering:
    """Counters of a document's numbered lists, advanced as paragraphs are read in order."""

    def __init__(self, levels: dict[str, dict[int, tuple[int, str, str]]], styles: dict[str, tuple]):
        self._levels = levels      # numId -> ilvl -> (start, numFmt, lvlText)
        self._styles = styles      # styleId -> (numId, ilvl) or (None, basedOn)
        self._counters: dict[str, list[int | None]] = {}

    @classmethod
    def of(cls, document) -> Numbering:
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering = None
        levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        if numbering is not None:
            abstract = {a.get(f"{_W}abstractNumId"): a for a in numbering.iterchildren(f"{_W}abstractNum")}
            for num in numbering.iterchildren(f"{_W}num"):
                definition = abstract.get(_val(num, f"{_W}abstractNumId"))
                if definition is None:
                    continue
                by_level = {}
                for lvl in definition.iterchildren(f"{_W}lvl"):
                    start = int(_val(lvl, f"{_W}start") or 1)
                    by_level[int(lvl.get(f"{_W}ilvl", 0))] = (
                        start, _val(lvl, f"{_W}numFmt") or "decimal", _val(lvl, f"{_W}lvlText") or "")
                for override in num.iterchildren(f"{_W}lvlOverride"):
                    ilvl = int(override.get(f"{_W}ilvl", 0))
                    start = _val(override, f"{_W}startOverride")
                    if start is not None and ilvl in by_level:
                        by_level[ilvl] = (int(start), *by_level[ilvl][1:])
                levels[num.get(f"{_W}numId")] = by_level
        styles = {}
        for style in document.styles.element.iterchildren(f"{_W}style"):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                styles[style.get(f"{_W}styleId")] = (_val(num_pr, f"{_W}numId"), int(_val(num_pr, f"{_W}ilvl") or 0))
            else:
                styles[style.get(f"{_W}styleId")] = (None, _val(style, f"{_W}basedOn"))
        return cls(levels, styles)

    def _num_pr(self, p) -> tuple[str | None, int]:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None:
            return _val(num_pr, f"{_W}numId"), int(_val(num_pr, f"{_W}ilvl") or 0)
        style = _val(p, f"{_W}pPr/{_W}pStyle")
        seen = set()
        while style is not None and style not in seen:
            seen.add(style)
            num_id, other = self._styles.get(style, (None, None))
            if num_id is not None:
                return num_id, other
            style = other
        return None, 0

    def label(self, p) -> str | None:
        """The number Word shows before paragraph ``p`` ("II.", "1.2.", "a)", "-"), advancing its list.

        None when the paragraph is not numbered.
        """
        num_id, ilvl = self._num_pr(p)
        levels = self._levels.get(num_id) if num_id not in (None, "0") else None
        if not levels or ilvl not in levels:
            return None
        counters = self._counters.setdefault(num_id, [None] * 10)
        start, fmt, text = levels[ilvl]
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = None
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return None
        for level in range(ilvl, -1, -1):
            placeholder = f"%{level + 1}"
            if placeholder in text:
                level_start, level_fmt, _ = levels.get(level, (1, "decimal", ""))
                value = counters[level] if counters[level] is not None else level_start
                text = text.replace(placeholder, _FORMATS.get(level_fmt, str)(value))
        return text.strip() or None
