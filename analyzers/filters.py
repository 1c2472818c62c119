"""Whoosh filters for Vietnamese tokens.

    chain = SyllableTokenizer() | FoldFilter()   # "Đào tạo" -> "dao", "tao"
"""

from __future__ import annotations

from whoosh.analysis import Filter

from analyzers.normalize import fold_token


class FoldFilter(Filter):
    """Drops diacritics (đ -> d) from each token, keeping positions and offsets.

    FoldedAnalyzer folds in its tokenizer now; indexes built before keep this
    filter in the schema Whoosh pickled into them, so it stays.
    """

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold_token(token.text)
            yield token
