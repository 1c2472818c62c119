"""The one exception the parser raises for input it cannot turn into a directive.

    try: corpus.parse_file(path)
    except corpus.ParseError as exc: print(exc.path, exc.reason)
"""

from __future__ import annotations


class ParseError(Exception):
    """A file that cannot be parsed; ``str()`` is 'path: reason'."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
