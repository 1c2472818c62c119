"""Whoosh analyzers for Vietnamese text, the same at index time and query time.

Text is indexed several ways, because word segmentation alone is not reliable
(it depends on case and context, and splits document numbers unpredictably):
syllables with positions (exact diacritics; phrase queries work whatever the
segmenter did), the same syllables accent-folded (queries typed without
diacritics), compound words from underthesea (a ranking boost) and document
numbers in canonical form. All of them normalise through analyzers.normalize.

    [t.text for t in FoldedAnalyzer()("Kế hoạch phòng, chống dịch")] == ["ke", "hoach", "phong", "chong", "dich"]
"""

from analyzers.abbreviations import ABBREVIATIONS, abbreviations_for, expand_abbreviation
from analyzers.filters import FoldFilter
from analyzers.normalize import (fold, fold_text, fold_token, has_diacritics, lower_and_fold, normalize,
                                 normalize_with_offsets, typed_matches, typed_matches_all)
from analyzers.numbers import NumberMatch, canonical_number, find_numbers, number_variants, separator_variants
from analyzers.segmentation import flush_segment_cache, remember, segment, segment_new, set_segment_cache, warm_up
from analyzers.stopwords import VI_STOPWORDS, is_stopword
from analyzers.synonyms import RELATED, SYNONYMS, Variants, alternatives_for
from analyzers.tokenizers import (SYLLABLE, NumberTokenizer, SyllableTokenizer, WordTokenizer, segmentation_inputs,
                                  uses_segmentation)


def SyllableAnalyzer():
    """Lowercase syllables with exact diacritics (title, heading, body fields)."""
    return SyllableTokenizer()


def syllables(text: str) -> list[str]:
    """The lowercase syllables of ``text``, as SyllableAnalyzer indexes them.

    The same normalisation and pattern as SyllableTokenizer without its Token
    objects and offsets: search scores candidate sections with this at query
    time, where the tokenizer's per-token overhead was 30 % of a query.
    """
    return [syllable.lower() for syllable in SYLLABLE.findall(normalize_with_offsets(text)[0])]


def FoldedAnalyzer():
    """Lowercase syllables without diacritics ("kế hoạch" -> "ke", "hoach");
    the same tokens as SyllableTokenizer() | FoldFilter(), made faster."""
    return SyllableTokenizer(fold=True)


def WordAnalyzer():
    """Lowercase compound words joined with "_" ("ủy_ban_nhân_dân")."""
    return WordTokenizer()


def NumberAnalyzer():
    """Canonical document numbers ("19/ct-ttg") and nothing else."""
    return NumberTokenizer()


__all__ = [
    "ABBREVIATIONS", "RELATED", "SYNONYMS", "VI_STOPWORDS", "FoldFilter", "FoldedAnalyzer",
    "NumberAnalyzer", "NumberMatch", "NumberTokenizer", "SyllableAnalyzer", "SyllableTokenizer", "Variants",
    "WordAnalyzer", "WordTokenizer", "abbreviations_for", "alternatives_for", "canonical_number",
    "expand_abbreviation", "find_numbers", "flush_segment_cache", "fold", "fold_text", "fold_token",
    "has_diacritics", "is_stopword", "lower_and_fold", "normalize", "normalize_with_offsets",
    "number_variants", "remember", "segment", "segment_new", "segmentation_inputs", "separator_variants",
    "set_segment_cache", "syllables", "typed_matches", "typed_matches_all", "uses_segmentation", "warm_up",
]
