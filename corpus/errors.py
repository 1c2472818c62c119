"""The one exception the parser raises for input it cannot turn into a directive.

Its reason is in Vietnamese (staff read it in build reports and upload
answers); its code is a stable English word for scripts, reports and tests:

    try: corpus.parse_file(path)
    except corpus.ParseError as exc: print(exc.path, exc.code, exc.reason)
"""

from __future__ import annotations

#: Every code a ParseError may carry, with what it means.
CODES = {
    "cannot-read": "the file could not be read from disk",
    "too-large": "over the size limit",
    "empty-file": "nothing but whitespace",
    "binary-file": "not text, and not a format with a reader (an image, a spreadsheet, …)",
    "bad-encoding": "text in no encoding we recognise",
    "truncated-utf8": "UTF-8 cut off inside a character (an interrupted copy)",
    "no-text": "a readable file with no text in it (an empty page, a blank scan)",
    "too-deep": "structure nested too deeply to read",
    "damaged-file": "a Word or PDF file that its reader cannot open (truncated, corrupt)",
    "encrypted": "a password-protected file",
    "unsupported-format": "a file name suffix no reader handles",
    "converter-missing": "the program that reads this format is not installed (the reason says how to install it)",
    "converter-failed": "the program that reads this format failed on the file",
    "bad-record": "a line of a JSON Lines file of records that is not a usable directive",
    "segmentation-failed": "word segmentation failed on the text, or its worker process died (a build with --workers)",
}


class ReadError(ValueError):
    """Bytes a format's reader cannot turn into text; the message is the reason (Vietnamese), ``code`` its kind."""

    def __init__(self, reason: str, code: str):
        super().__init__(reason)
        self.code = code


class ParseError(Exception):
    """A file that cannot be parsed; ``str()`` is 'path: reason'."""

    def __init__(self, path: str, reason: str, code: str = "damaged-file"):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.code = code
