"""Vietnamese function words too frequent in directives to help a search.

The index keeps them (positions stay consecutive, so quoted phrases with them
still match); the query parser drops them from plain-word queries.

    is_stopword("của") -> True
"""

from __future__ import annotations

VI_STOPWORDS = frozenset("""
của và các được là có cho với trong những này theo để về từ đã thì một
đó đến như tại khi bị do nên nhưng hoặc mà vì nếu cũng rằng vẫn sẽ đang
ra lên vào lại nữa rất đều cùng việc sau trên dưới giữa qua bởi
nào gì đâu
""".split())

def is_stopword(token: str) -> bool:
    """A stop word as written; a word typed without diacritics only when every
    reading of it is one ("cua" may be "của", but "thi" may be "thi đua")."""
    if token in VI_STOPWORDS:
        return True
    return token.isascii() and token in _ASCII_ONLY_STOPWORDS


# Folded forms that are not also a frequent content word: typed without
# diacritics, these are still function words.
_ASCII_ONLY_STOPWORDS = frozenset({"cua", "cac", "duoc", "nhung", "theo", "cho", "voi", "nay", "hoac"})
