"""Plain text to a Directive: the parser every input format ends in.

Normalises the text (NFC, no BOM, no markdown emphasis), reads the front
matter, the closing (recipients, signature), the section tree and the cited
documents, then fills the fields the model promises, with a warning in
Vietnamese for each one it could not find:

    directive = parse_text(path.read_text("utf-8"), source="002_….txt")
"""

from __future__ import annotations

import hashlib
import re

from corpus.closing import read_closing
from corpus.doctypes import doc_type_from_number, label
from corpus.front import find_date, read_front
from corpus.layout import lines, paragraphs, to_rows
from corpus.model import Directive, Section
from corpus.orgs import issuer_from_body
from corpus.references import find_references
from corpus.sections import build_sections
from corpus.vntext import normalize, slugify

# "Kế hoạch … năm 2024" in the title (not "năm học 2021-2022", a school year).
_TITLE_YEAR_RE = re.compile(r"\bnăm (\d{4})\b(?!\s*-)")


def parse_text(text: str, source: str, content_hash: str | None = None) -> Directive:
    """The directive in ``text``; ``source`` names the file it came from."""
    text = normalize(text)
    if content_hash is None:
        content_hash = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    warnings: list[str] = []
    rows = to_rows(lines(text))
    front = read_front(rows)
    closing = read_closing(rows, front.body_start)
    body = paragraphs(rows[front.body_start:closing.body_end])
    sections = build_sections(body)
    references = find_references("\n".join([front.title, *body]), own_number=front.number)

    doc_type = front.doc_type
    if doc_type is None and front.number:
        doc_type = doc_type_from_number(front.number) or "cong_van"
    place, issued_date = front.place, front.issued_date
    if issued_date is None:
        # Some exports move "Minh Long, ngày …" down to the signature.
        for line in [*closing.rows, *(line for line, _ in rows[max(0, closing.body_end - 2):closing.body_end])]:
            found = find_date(line) if len(line) < 80 else None
            if found:
                place, issued_date = found
                break

    year, year_inferred = _year(issued_date, front.title, references)
    issuer = front.header_issuer or _issuer(body, sections, closing.on_behalf_of, text)

    if not front.number:
        warnings.append("không tìm thấy số ký hiệu")
    if doc_type is None:
        warnings.append("không xác định được loại văn bản")
    elif not front.doc_type:
        warnings.append("loại văn bản suy ra từ số ký hiệu (không có dòng tên loại)")
    if not front.title:
        warnings.append("không tìm thấy trích yếu")
    if issuer is None:
        warnings.append("không xác định được cơ quan ban hành")
    if issued_date is None:
        warnings.append("không tìm thấy ngày ban hành")
        if year is not None:
            warnings.append(f"năm {year} suy ra từ nội dung văn bản")
    if closing.signer.name is None:
        warnings.append("không tìm thấy người ký")
    if not closing.recipients:
        warnings.append("không tìm thấy nơi nhận")
    if not body:
        warnings.append("không có nội dung sau phần đầu văn bản")

    fingerprint = content_fingerprint(front.number, front.title, sections)
    return Directive(
        id=directive_id(front.number, issued_date, doc_type, fingerprint),
        number=front.number,
        doc_type=doc_type,
        doc_type_label=label(doc_type),
        title=front.title,
        issuer=issuer,
        place=place,
        issued_date=issued_date,
        year=year,
        year_inferred=year_inferred,
        signer=closing.signer,
        recipients=closing.recipients,
        references=references,
        sections=sections,
        source=source,
        content_hash=content_hash,
        warnings=warnings,
        signer_on_behalf_of=closing.on_behalf_of,
        signature=closing.rows,
        fingerprint=fingerprint,
    )


def _year(issued_date, title, references) -> tuple[int | None, bool]:
    """The year of issue, or the latest year the text implies (cited dates, "năm 2024" in the title)."""
    if issued_date:
        return int(issued_date[:4]), False
    years = [int(ref.date[:4]) for ref in references if ref.date]
    years += [int(y) for y in _TITLE_YEAR_RE.findall(title)]
    # A document is issued after everything it cites.
    return (max(years), True) if years else (None, False)


def _issuer(body: list[str], sections, on_behalf_of: str | None, text: str) -> str | None:
    preamble = sections[0].text.split("\n\n") if sections and sections[0].kind == "can_cu" else []
    found = issuer_from_body(preamble, body[-3:], text)
    # "TM. ỦY BAN NHÂN DÂN" names the body but not which one; it is not specialised
    # from other mentions, which are mostly superiors ("Ủy ban nhân dân thành phố").
    return found or on_behalf_of


def content_fingerprint(number: str | None, title: str, sections: list[Section]) -> str:
    """sha256 of the number, title and body, lowercased and without any whitespace: the same
    whatever the file is called, how its lines are wrapped, or whether it is the .txt, the .docx
    or the PDF of the directive (the header and signature, laid out differently in each, are left out)."""
    parts = [number or "", title]
    for section in sections:
        for node in section.walk():
            parts += [node.marker, node.heading, node.text]
    squeezed = re.sub(r"\s+", "", "\n".join(parts).casefold())
    return "sha256:" + hashlib.sha256(squeezed.encode("utf-8")).hexdigest()


def directive_id(number: str | None, issued_date: str | None, doc_type: str | None, fingerprint: str) -> str:
    """The id a directive is known by, from what identifies it, never from its file's name.

    A numbered directive: its number and the year of its date ("655-kh-pgddt-2021"), the number
    alone when the date is unknown (an inferred year would change the id when the parser
    improves). Without a number: its type and fingerprint ("ke-hoach-3f9a1c2b7d"). The index
    keeps an id once given (indexer/ids.py) and tells apart directives that share one.
    """
    slug = slugify(number) if number else ""
    if slug:
        return f"{slug}-{issued_date[:4]}" if issued_date else slug
    return f"{slugify(label(doc_type) or '') or 'van-ban'}-{fingerprint.split(':')[-1][:10]}"
