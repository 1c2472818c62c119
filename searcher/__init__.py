"""The search engine: everything that reads a built index, with no web framework.

handle.py opens a generation (and its snapshots), query.py reads the query
language, postings.py evaluates it over posting arrays, search.py ranks and
assembles results with facets and snippets (sections.py, highlight.py),
suggest.py and similar.py answer the suggestion box and related documents.
search_app/ turns HTTP requests into SearchRequests and results into pages.
"""
