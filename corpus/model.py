"""The directive model: what a parsed administrative document looks like.

Directive.to_dict() is the public JSON contract printed by
``python -m corpus parse`` and served at ``/api/v1/documents/<id>``; field names
are never renamed, only added.

    Directive(id="655-kh-pgddt-2021", doc_type="ke_hoach", ...).to_dict()
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterator

#: Section kinds, in the order a directive usually presents them.
SECTION_KINDS = ("can_cu", "muc_dich_yeu_cau", "nhiem_vu_giai_phap", "to_chuc_thuc_hien", "khac")

#: Vietnamese labels for the section kinds (UI, facets).
SECTION_KIND_LABELS = {
    "can_cu": "Căn cứ",
    "muc_dich_yeu_cau": "Mục đích, yêu cầu",
    "nhiem_vu_giai_phap": "Nhiệm vụ, giải pháp",
    "to_chuc_thuc_hien": "Tổ chức thực hiện",
    "khac": "Khác",
}


@dataclass
class Signer:
    name: str | None = None
    title: str | None = None


@dataclass
class Reference:
    """A document cited in the text ("Chỉ thị số 19/CT-TTg ngày 16/7/2021 ...")."""

    doc_type: str | None
    number: str | None
    date: str | None
    issuer: str | None
    text: str


@dataclass
class Section:
    """One node of the section tree; ``id`` is a stable anchor such as ``muc-II-1``.

    ``heading`` is empty when the document gives the section none (a numbered
    paragraph, the căn cứ paragraphs); ``marker`` is its number as the
    document writes it ("II.", "Điều 5.", "2)", "1.1.", "a)").
    """

    id: str
    kind: str
    number: str | None
    heading: str
    text: str
    children: list[Section] = field(default_factory=list)
    marker: str = ""

    def walk(self) -> Iterator[Section]:
        """This section and all its descendants, depth first, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Directive:
    id: str
    number: str | None
    doc_type: str | None
    doc_type_label: str | None
    title: str
    issuer: str | None
    place: str | None
    issued_date: str | None
    year: int | None
    year_inferred: bool
    signer: Signer
    recipients: list[str]
    references: list[Reference]
    sections: list[Section]
    source: str
    content_hash: str
    warnings: list[str] = field(default_factory=list)
    #: The body named by a "TM."/"T/M" line of the signature ("Ủy ban nhân dân"), if any.
    signer_on_behalf_of: str | None = None
    #: True when the text was recognised from page images (a scanned PDF); a warning gives the confidence.
    ocr: bool = False
    #: sha256 of number, title and body with case and every space ignored: the same directive
    #: however its file is named, wrapped or formatted; gives the id of one without a number.
    fingerprint: str = ""
    #: The signature block's lines as written ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", name).
    signature: list[str] = field(default_factory=list)

    def walk_sections(self) -> Iterator[Section]:
        """Every section of the tree, depth first, in document order."""
        for section in self.sections:
            yield from section.walk()

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Directive:
        data = dict(data)
        data["signer"] = Signer(**(data.get("signer") or {}))
        data["references"] = [Reference(**r) for r in data.get("references", [])]
        data["sections"] = [_section_from_dict(s) for s in data.get("sections", [])]
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


def _section_from_dict(data: dict) -> Section:
    children = [_section_from_dict(c) for c in data.get("children", [])]
    return Section(
        id=data["id"],
        kind=data["kind"],
        number=data.get("number"),
        heading=data.get("heading", ""),
        text=data.get("text", ""),
        children=children,
        marker=data.get("marker", ""),
    )
