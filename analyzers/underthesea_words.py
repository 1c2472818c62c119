"""underthesea's word segmenter, loaded without the rest of underthesea.

``import underthesea`` runs the package's ``__init__``, which also imports its
part-of-speech tagger, chunker and named-entity recogniser, and each of them
reads the Viet74K dictionary into sets as it is imported. This project only
segments words, and every server and build worker paid for the rest: RSS
after the first segmentation was 128 MB with the whole package and is 66 MB
with the segmenter alone (numpy and Whoosh loaded in both).

The segmenter's modules are imported under a bare ``underthesea`` package
whose ``__init__`` is not run, in the order that ``__init__`` imports them
(``text_normalize`` before ``word_tokenize``: each imports the other). The
bare package offers ``word_tokenize``, so ``from underthesea import
word_tokenize`` elsewhere in the process still works. Where underthesea is
already imported whole, or its layout is not the one this was written for
(setup.cfg pins 9.5), its own ``word_tokenize`` is used.
tests/test_analyzers.py checks that both give the same words.

    word_tokenize = load(); word_tokenize("Ủy ban nhân dân huyện")
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types

_lock = threading.Lock()


def load():
    """underthesea's ``word_tokenize``, importing no more of underthesea than it needs."""
    with _lock:
        package = sys.modules.get("underthesea")
        if package is None:
            package = _bare_package()
        if getattr(package, "word_tokenize", None) is None:  # a bare package from elsewhere
            package = _whole_package()
        return package.word_tokenize


def _bare_package():
    spec = importlib.util.find_spec("underthesea")
    package = types.ModuleType("underthesea")
    package.__spec__, package.__file__ = spec, spec.origin
    package.__path__ = list(spec.submodule_search_locations or ())
    sys.modules["underthesea"] = package
    try:
        importlib.import_module("underthesea.pipeline.text_normalize")
        package.word_tokenize = importlib.import_module("underthesea.pipeline.word_tokenize").word_tokenize
    except (ImportError, AttributeError):
        return _whole_package()
    return package


def _whole_package():
    for name in [name for name in sys.modules if name == "underthesea" or name.startswith("underthesea.")]:
        del sys.modules[name]
    return importlib.import_module("underthesea")
