"""Directive ids that never change: given once from what identifies a directive, then kept.

A parsed directive comes with the id its identity suggests
(corpus.parse_text.directive_id: "655-kh-pgddt-2021", "ke-hoach-3f9a1c2b7d").
The index remembers, in the store's ``identities`` table, which id each
identity was given, under three keys:

* ``fp:<fingerprint>``: the text, whatever the file is called or how it is wrapped;
* ``num:<number>|<issuer>|<date>``: the number, issuer and date (the file edited);
* ``src:<path>``: the file, for a directive without a number (edited where
  nothing else identifies it).

A directive being written gets the id of the first of its keys the index
knows (in that order) unless a directive still in the index holds it; else its
suggested id; when that is taken, or suggested to several directives at once
(two "655/KH-PGDĐT" of 2021 from different issuers), a suffix from its
identity ("655-kh-pgddt-2021-4be1c0"). Directives are considered in an order
of their own content, never the order their files were read, so the ids of a
build do not depend on file names or order. Keys are kept after a directive
is removed, so one added back gets its id back.

An index built before ids were kept (schema 1) gave ids from file names; its
ids become aliases of the new ones (``legacy:<path>`` keys), and pages under
an old id redirect permanently.

    assigned = assign(pending, store.identity_ids, taken)   # one id per pending directive
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterable

import analyzers
from corpus.vntext import fold

#: Keys tried in this order when a directive is written.
KEY_ORDER = ("fp", "num", "src")


@dataclass
class Pending:
    """A directive waiting for its id: what it suggests, what identifies it."""
    suggested: str
    source: str
    keys: dict[str, str]  # kind -> key ("fp" -> "fp:sha256:…")
    fixed: bool = False  # a JSONL record's id is its owner's: no other key moves it
    assigned: str | None = field(default=None, init=False)

    @property
    def order(self) -> tuple[str, str, str]:
        """Its place among directives suggesting the same id: by identity and content, not by file."""
        return self.keys.get("num", ""), self.keys.get("fp", ""), self.source


def keys_of(directive: dict) -> dict[str, str]:
    """The identity keys of a directive (see the module docstring)."""
    keys = {}
    if directive.get("fingerprint"):
        keys["fp"] = f"fp:{directive['fingerprint']}"
    number = directive.get("number") and analyzers.canonical_number(directive["number"])
    if number:
        issuer = " ".join(fold(directive.get("issuer") or "").lower().split())
        keys["num"] = f"num:{number}|{issuer}|{directive.get('issued_date') or ''}"
    else:
        # Only where nothing else identifies it: a file that now holds another
        # numbered directive (an upload replaced under the same name) is that
        # directive, not the one the file held before.
        keys["src"] = f"src:{directive['source']}"
    return keys


def pending_of(directive: dict) -> Pending:
    return Pending(directive["id"], directive["source"], keys_of(directive), fixed="#" in directive["source"])


def _suffixed(base: str, seed: str, taken: set[str]) -> str:
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    for length in range(6, len(digest) + 1, 2):
        candidate = f"{base}-{digest[:length]}"
        if candidate not in taken:
            return candidate
    raise RuntimeError(f"no free id for {base}")  # 2^256 directives


def assign(pending: list[Pending], known: Callable[[Iterable[str]], dict[str, str]],
           taken: set[str]) -> list[str]:
    """The id of each pending directive, in order; ``known`` maps keys to the ids the index gave
    them, ``taken`` holds the ids of directives that stay in the index (and aliases)."""
    taken = set(taken)
    remembered = known([key for p in pending if not p.fixed for key in p.keys.values()])
    # 1. The id the index already gave this directive: best key first, then by content.
    claims = []
    for p in pending:
        if p.fixed:
            continue
        for rank, kind in enumerate(KEY_ORDER):
            doc_id = remembered.get(p.keys.get(kind, ""))
            if doc_id:
                claims.append((rank, p.order, doc_id, p))
    for rank, _, doc_id, p in sorted(claims, key=lambda claim: claim[:2]):
        if p.assigned is None and doc_id not in taken:
            p.assigned = doc_id
            taken.add(doc_id)
    # 2. The suggested id, when one directive alone wants it and it is free.
    groups: dict[str, list[Pending]] = {}
    for p in pending:
        if p.assigned is None:
            groups.setdefault(p.suggested, []).append(p)
    for suggested, members in sorted(groups.items()):
        members.sort(key=lambda p: p.order)
        for i, p in enumerate(members):
            if i == 0 and suggested not in taken:
                p.assigned = suggested
            else:
                # Another directive has it: a suffix from what tells this one apart.
                seed = p.keys.get("num") or p.keys.get("fp") or p.source
                if any(q is not p and (q.keys.get("num") or q.keys.get("fp") or q.source) == seed for q in members):
                    seed += "\n" + p.keys.get("fp", "") + "\n" + p.source  # the same directive in two files
                p.assigned = _suffixed(suggested, seed, taken)
            taken.add(p.assigned)
    return [p.assigned for p in pending]
