"""Parse Vietnamese administrative directives (.txt, .html, .docx, .pdf, .doc) into Directive records.

parse_file / parse_bytes / parse_text return a corpus.model.Directive whose
to_dict() is the public JSON contract; bad input raises ParseError;
iter_corpus walks a folder and never stops on a bad file:

    directive = corpus.parse_file("corpus/samples/002_43a1c1c90911598f.txt")
"""

from corpus.doctypes import DOC_TYPES
from corpus.errors import CODES, ParseError
from corpus.files import (MAX_FILE_BYTES, SUPPORTED_SUFFIXES, corpus_files, is_readable, iter_corpus, parse_bytes,
                          parse_file, unsupported)
from corpus.formats import FORMATS, MAX_UPLOAD_BYTES, disabled as disabled_formats
from corpus.model import Directive, Reference, Section, Signer
from corpus.parse_text import parse_text
from corpus.records import RECORD_SUFFIXES, RecordError, directives_from_records

__all__ = [
    "CODES", "DOC_TYPES", "FORMATS", "MAX_FILE_BYTES", "MAX_UPLOAD_BYTES", "RECORD_SUFFIXES", "SUPPORTED_SUFFIXES",
    "Directive", "ParseError", "RecordError", "Reference", "Section", "Signer", "corpus_files",
    "directives_from_records", "disabled_formats", "is_readable", "iter_corpus", "parse_bytes", "parse_file",
    "parse_text", "unsupported",
]
