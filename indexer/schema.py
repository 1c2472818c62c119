"""The Whoosh schema of a generation's one Whoosh index.

The index holds, per directive, a head document (its title and the facts a
user may type: number, issuer, place, signer, recipients; ``kind`` "") and
one document per section (its own heading line and its text). Directives are
ranked by summing their documents' statistics (searcher.postings); sections
are searched as they are. Text is indexed three ways through the analyzers package: syllables with positions
(exact diacritics, phrase queries), accent-folded syllables (queries typed
without diacritics) and compound words (ranking boost), plus the document
numbers found in the text.

The folded fields are declared but never written: a folded syllable occurs
wherever an exact syllable that folds to it does (both are the same syllables
of the same text, one token each), so its postings, positions and field
lengths are read from the exact field (searcher.postings), every spelling
that folds to it gathered. Writing them (schema 4, with positions) was a third
of Whoosh's postings; without positions (schema 5) still 2.8 of 18.1 MB of
Whoosh's postings and 1.7 of 7.1 MB of their copies at 1,000 directives.

Nothing is stored per document: what a result shows comes from the store
(indexer.store), the directive is its document's ``doc_id`` column, and a
section its place among the directive's documents (indexer.documents). The
ID columns store each distinct value once (indexer.whoosh_private.RefColumn): a directive's
documents repeat its id, issuer and signer.

    schema = directive_schema()
"""

from whoosh import fields

import analyzers
from indexer.whoosh_private import PositionArrays, RefColumn

#: Bumped whenever the schema, the analyzers or the parser change what is indexed; an index
#: built with another version is refused with instructions to rebuild.
#: 2: numbered paragraphs are no longer headings, ids from identity; 3: store rows compressed;
#: 4: one Whoosh index of head and section documents; 5: folded fields without positions;
#: 6: folded fields read from the exact ones; 7: positions as one array per block (whoosh_private.BlockPositionsCodec);
#: 8: no stored fields and no key field, ID columns store each distinct value once (indexer.whoosh_private.RefColumn).
SCHEMA_VERSION = 8

#: The text fields a query searches, with their folded twins.
TEXT_FIELDS = ("title", "heading", "body")
FOLDED = {name: f"{name}_f" for name in TEXT_FIELDS}

#: Folded fields -> the exact field they are read from, each of its syllables
#: folded (analyzers.fold_token); nothing is written to them.
FOLDED_FROM = {folded: name for name, folded in FOLDED.items()}

#: The fields queries search that hold postings of their own (the folded ones
#: are read from these); their long posting lists are also copied into arrays
#: after each commit (indexer.posting_arrays).
SEARCHED_FIELDS = (*TEXT_FIELDS, "words", "numbers")

#: Fields only a directive's head document holds; a section counts them as its
#: head's (searcher.handle fans the head's postings out to the sections).
HEAD_FIELDS = ("title", "title_f", "number")

#: Facet columns read into per-document arrays when a searcher opens.
FACET_FIELDS = ("doc_type", "issuer", "year", "kind", "signer")

#: Columns every document of every segment must have (the server reads them
#: into arrays by docnum; indexer.build checks each new generation for them).
COLUMN_FIELDS = ("doc_id", *FACET_FIELDS, "sort_date")


def directive_schema() -> fields.Schema:
    """Schema of the one index: head documents and section documents."""
    syllables = analyzers.SyllableAnalyzer()
    folded = analyzers.FoldedAnalyzer()
    folded_text = dict(phrase=False, stored=False)  # declared for queries; read from FOLDED_FROM
    return fields.Schema(
        # Identity: a column (docnum -> directive) and a term (deletions go by it).
        doc_id=fields.ID(sortable=RefColumn()),
        # Text, three ways.
        title=positional_text(syllables),
        title_f=fields.TEXT(analyzer=folded, **folded_text),
        heading=positional_text(syllables),
        heading_f=fields.TEXT(analyzer=folded, **folded_text),
        body=positional_text(syllables),
        body_f=fields.TEXT(analyzer=folded, **folded_text),
        words=fields.TEXT(analyzer=analyzers.WordAnalyzer(), phrase=False),
        numbers=fields.TEXT(analyzer=analyzers.NumberAnalyzer(), phrase=False),
        number=fields.ID(),  # the directive's own number, canonical, for a ranking boost
        # Facets and sorting, as columns.
        doc_type=fields.ID(sortable=RefColumn()),
        issuer=fields.ID(sortable=RefColumn()),
        signer=fields.ID(sortable=RefColumn()),
        kind=fields.ID(sortable=RefColumn()),
        year=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        sort_date=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
    )


def positional_text(analyzer) -> fields.TEXT:
    """A text field whose postings keep positions, written as PositionArrays."""
    field = fields.TEXT(analyzer=analyzer, phrase=True, stored=False)
    field.format = PositionArrays()
    return field
