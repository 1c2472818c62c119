"""HTML to plain text with the block structure the text parser relies on.

Visible text only (no script, style, head, template, hidden elements); block
elements become blank-line separated paragraphs and ``<br>`` a line break, so an
HTML page and its .txt twin parse to the same sections. The tree is walked
without recursion, so 10,000 nested tags are fine:

    text = html_to_text("<p>KẾ HOẠCH</p><p>Thực hiện …</p>")
"""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

# Never visible, whatever CSS says.
_DROP = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object",
                   "embed", "svg", "canvas", "select", "button", "input", "textarea", "map"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "html", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_INVISIBLE_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

_LINE, _PARAGRAPH = object(), object()


def html_to_text(markup: str) -> str:
    """The visible text of ``markup``, paragraphs separated by blank lines."""
    if "<" not in markup:
        # Not markup at all (and BeautifulSoup would warn that it looks like a file name).
        return "\n".join(" ".join(line.split()) for line in html.unescape(markup).splitlines())
    # An XML declaration makes BeautifulSoup warn about XML parsed as HTML; it carries nothing visible.
    markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)
    soup = BeautifulSoup(markup, "html.parser")
    return _assemble(_pieces(soup))


def _hidden(tag: Tag) -> bool:
    if tag.name in _DROP or tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    style = tag.get("style")
    return isinstance(style, str) and bool(_HIDDEN_STYLE.search(style))


def _pieces(soup: BeautifulSoup) -> list:
    """Strings and break markers in document order, by an explicit stack (no recursion)."""
    pieces: list = []
    stack: list = [(soup, False)]
    pre_depth = 0
    while stack:
        node, leaving = stack.pop()
        if leaving:
            if node.name == "pre":
                pre_depth -= 1
            pieces.append(_PARAGRAPH)
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, _INVISIBLE_STRINGS):
                pieces.append(str(node) if pre_depth else re.sub(r"\s+", " ", str(node)))
            continue
        if not isinstance(node, Tag) or (node is not soup and _hidden(node)):
            continue
        if node.name == "br":
            pieces.append(_LINE)
            continue
        if node.name in ("td", "th"):
            pieces.append(" ")
        if node.name in _BLOCKS:
            pieces.append(_PARAGRAPH)
            if node.name == "pre":
                pre_depth += 1
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    return pieces


def _assemble(pieces: list) -> str:
    lines: list[str] = []
    current: list[str] = []
    for piece in [*pieces, _PARAGRAPH]:
        if isinstance(piece, str):
            current.append(piece)
            continue
        for line in "".join(current).split("\n"):
            line = " ".join(line.split())
            if line:
                lines.append(line)
        current = []
        if piece is _PARAGRAPH and lines and lines[-1]:
            lines.append("")
    return "\n".join(lines).strip()
