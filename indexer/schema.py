"""The Whoosh schema shared by the directive index and the section index.

A generation of the index holds two Whoosh indexes with this one schema: one
document per directive (all its text, for ranking whole directives) and one
document per section (for section filters and best-matching sections). Text is
indexed three ways through the analyzers package: syllables with positions
(exact diacritics, phrase queries), accent-folded syllables (queries typed
without diacritics) and compound words (ranking boost), plus the document
numbers found in the text.

    schema = directive_schema()
"""

from whoosh import fields

import analyzers

#: Bumped whenever the schema, the analyzers or the parser change what is indexed; an index
#: built with another version is refused with instructions to rebuild.
SCHEMA_VERSION = 3  # 2: numbered paragraphs are no longer headings; ids from identity. 3: store rows compressed

#: The text fields a query searches, with their folded twins.
TEXT_FIELDS = ("title", "heading", "body")
FOLDED = {name: f"{name}_f" for name in TEXT_FIELDS}

#: The fields queries search; their long posting lists are also copied into
#: arrays after each commit (indexer.posting_arrays).
SEARCHED_FIELDS = (*TEXT_FIELDS, *FOLDED.values(), "words", "numbers")

#: Fields every section document copies from its directive's document (the
#: server derives their section postings from the directive index's for
#: lists too short to have been copied into arrays).
SECTION_COPIES = ("title", "title_f")

#: Facet columns read into per-document arrays when a searcher opens.
FACET_FIELDS = ("doc_type", "issuer", "year", "kind", "signer")

#: Columns every document of every segment must have (the server reads them
#: into arrays by docnum; indexer.build checks each new generation for them).
COLUMN_FIELDS = ("doc_id", *FACET_FIELDS, "sort_date")


def directive_schema() -> fields.Schema:
    """Schema of both the directive-level and the section-level index."""
    syllables = analyzers.SyllableAnalyzer()
    folded = analyzers.FoldedAnalyzer()
    text = dict(phrase=True, stored=False)
    return fields.Schema(
        # Identity. Only these are stored; everything shown comes from the store.
        doc_id=fields.ID(stored=True, unique=False, sortable=True),
        section_id=fields.ID(stored=True),
        key=fields.ID(unique=True),  # doc_id or doc_id#section_id, for updates
        # Text, three ways.
        title=fields.TEXT(analyzer=syllables, field_boost=1.0, **text),
        title_f=fields.TEXT(analyzer=folded, **text),
        heading=fields.TEXT(analyzer=syllables, **text),
        heading_f=fields.TEXT(analyzer=folded, **text),
        body=fields.TEXT(analyzer=syllables, **text),
        body_f=fields.TEXT(analyzer=folded, **text),
        words=fields.TEXT(analyzer=analyzers.WordAnalyzer(), phrase=False),
        numbers=fields.TEXT(analyzer=analyzers.NumberAnalyzer(), phrase=False),
        number=fields.ID(),  # the directive's own number, canonical, for a ranking boost
        # Facets and sorting, as columns.
        doc_type=fields.ID(sortable=True),
        issuer=fields.ID(sortable=True),
        signer=fields.ID(sortable=True),
        kind=fields.ID(sortable=True),
        year=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        sort_date=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
    )
