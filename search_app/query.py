"""The query language staff type, read into a Whoosh query through the analyzers.

Plain words must all match (diacritics optional), ``"quoted phrases"`` match
as phrases, ``-word`` excludes, ``a OR b`` offers alternatives, and document
numbers (``19/CT-TTg``, ``CT-TTg 19``) match the number field. Nothing is a
syntax error: an unbalanced quote or a stray operator is read as plain words.
A long query (a pasted sentence) ranks by BM25 over any of its words instead,
with a minimum number of words that must match.

    parsed = parse_query('ke hoach "phòng chống dịch" -2021'); q = match_query(parsed)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from whoosh import query as wq

import analyzers

#: Longest query accepted (characters); longer ones are refused with a 400.
MAX_QUERY_CHARS = 1000
#: Content syllables above which a query is a pasted passage, read as "any of
#: these words" and ranked (a Vietnamese word has one to three syllables; staff
#: questions stay within about six words).
LONG_QUERY_WORDS = 6
#: Share of a long query's words a result must contain.
LONG_QUERY_MIN_SHARE = 0.3

# Field weights: a word in the title counts more than in a heading, more than in the body.
FIELD_WEIGHTS = {"title": 3.0, "heading": 2.0, "body": 1.0}
# A pasted passage comes from a body; headings add cost, not signal.
LONG_FIELD_WEIGHTS = {"title": 1.0, "body": 1.0}
#: Weight of an accent-folded match when the query word had diacritics, so
#: "mã" ranks exact "mã" above "ma"/"má"/"mà".
FOLDED_WEIGHT = 0.35
#: Optional boosts: the query's compound words and its words close together.
WORDS_WEIGHT = 1.5
PROXIMITY_WEIGHT = 2.0
OWN_NUMBER_WEIGHT = 8.0
#: A cited number is rarer and more telling than any word.
NUMBER_WEIGHT = 3.0

_QUOTES = "\"“”„«»"
_TOKEN = re.compile(r"""(?P<neg>-)?[%s](?P<phrase>[^%s]*)[%s]|(?P<word>\S+)""" % (_QUOTES, _QUOTES, _QUOTES))


class QueryTooLong(ValueError):
    pass


@dataclass
class Item:
    """One unit of the query: a run of plain words, a phrase, or a document number."""

    kind: str  # "words" | "phrase" | "number"
    syllables: list[str] = field(default_factory=list)
    number: str | None = None

    def content(self) -> list[str]:
        """The syllables that carry meaning (stop words dropped from plain words)."""
        if self.kind != "words":
            return self.syllables
        kept = [s for s in self.syllables if not analyzers.is_stopword(s)]
        return kept or self.syllables


@dataclass
class ParsedQuery:
    """What the user asked: alternatives (separated by OR), each a list of units
    that must all match, and units that must not."""

    text: str
    branches: list[list[Item]] = field(default_factory=list)
    excluded: list[Item] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(self.branches)

    @property
    def is_long(self) -> bool:
        return self.word_count() > LONG_QUERY_WORDS

    def items(self) -> list[Item]:
        return [item for branch in self.branches for item in branch]

    def word_count(self) -> int:
        return sum(len(item.content()) if item.kind == "words" else 1 for item in self.items())

    def min_should_match(self) -> int:
        return max(2, math.ceil(self.word_count() * LONG_QUERY_MIN_SHARE))

    def highlight_terms(self) -> HighlightTerms:
        terms = HighlightTerms()
        for item in self.items():
            if item.kind == "number":
                terms.numbers.add(item.number)
                continue
            for syllable in item.syllables:
                terms.add(syllable)
                for expansion in analyzers.expand_abbreviation(syllable):
                    for part in analyzers.syllables(expansion):
                        terms.add(part)
            for _, _, abbreviation in analyzers.abbreviations_for(item.syllables):
                terms.add(abbreviation)
        return terms


@dataclass
class HighlightTerms:
    """What a snippet marks: exact syllables, folded syllables, document numbers."""

    exact: set[str] = field(default_factory=set)
    folded: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)

    def add(self, syllable: str) -> None:
        if analyzers.is_stopword(syllable):
            return
        if analyzers.has_diacritics(syllable):
            self.exact.add(syllable)
        else:
            self.folded.add(analyzers.fold(syllable))


def parse_query(text: str) -> ParsedQuery:
    """Read what a user typed; raises QueryTooLong, never a syntax error."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLong(f"query is too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    text = analyzers.normalize(text)
    parsed = ParsedQuery(text=text)
    whole = analyzers.canonical_number(text) if text else None
    if whole:
        parsed.branches.append([Item("number", number=whole)])
        return parsed

    branch: list[Item] = []
    parsed.branches.append(branch)
    saw_or = False
    for match in _TOKEN.finditer(text):
        if match.group("phrase") is not None:
            syllables = analyzers.syllables(match.group("phrase"))
            if syllables:
                target = parsed.excluded if match.group("neg") else branch
                target.append(Item("phrase", syllables))
            continue
        word = match.group("word")
        if word == "OR":
            # "a b OR c d" offers (a b) or (c d); an OR with nothing before it is ignored.
            saw_or = True
            if branch:
                branch = []
                parsed.branches.append(branch)
            continue
        negated = word.startswith("-") and len(word) > 1
        target = parsed.excluded if negated else branch
        target.extend(_word_items(word[1:] if negated else word))
    parsed.branches = [_merge_runs(b) for b in parsed.branches if b]
    if parsed.is_empty and not parsed.excluded and saw_or:
        parsed.branches = [[Item("words", ["or"])]]  # a query of just "OR" is the word
    return parsed


def _word_items(word: str) -> list[Item]:
    """A whitespace-separated token: document numbers inside it, syllables around them."""
    items, last = [], 0
    for match in analyzers.find_numbers(word):
        before = analyzers.syllables(word[last:match.start])
        if before:
            items.append(Item("words", before))
        items.append(Item("number", number=match.canonical))
        last = match.end
    rest = analyzers.syllables(word[last:])
    if rest:
        items.append(Item("words", rest))
    return items


def _merge_runs(items: list[Item]) -> list[Item]:
    """Consecutive plain words become one run (abbreviations and boosts look across it)."""
    merged: list[Item] = []
    for item in items:
        if item.kind == "words" and merged and merged[-1].kind == "words":
            merged[-1] = Item("words", merged[-1].syllables + item.syllables)
        else:
            merged.append(item)
    return merged


# Building the Whoosh query.

class ClauseBuilder:
    """Turns query units into Whoosh clauses with one set of field weights."""

    def __init__(self, field_weights: dict[str, float], folded_only: bool = False):
        self.field_weights = field_weights
        # A document with "huyện" in a field has "huyen" in its folded twin, so
        # the folded clauses alone find the same documents; the exact ones only
        # add score. Deciding membership without them halves Whoosh's work.
        self.folded_only = folded_only

    def term(self, syllable: str) -> wq.Query:
        folded = analyzers.fold(syllable)
        exact = analyzers.has_diacritics(syllable)
        fold_weight = FOLDED_WEIGHT if exact else 1.0
        clauses: list[wq.Query] = []
        for name, weight in self.field_weights.items():
            if exact and not self.folded_only:
                clauses.append(wq.Term(name, syllable, boost=weight))
            clauses.append(wq.Term(f"{name}_f", folded, boost=weight * fold_weight))
        for expansion in analyzers.expand_abbreviation(syllable):
            clauses.append(self.phrase(analyzers.syllables(expansion)))
        return wq.Or(clauses)

    def phrase(self, syllables: list[str], slop: int = 1, weight: float = 1.0) -> wq.Query:
        if len(syllables) == 1:
            return self.term(syllables[0])
        exact = any(analyzers.has_diacritics(s) for s in syllables)
        folded = [analyzers.fold(s) for s in syllables]
        fold_weight = FOLDED_WEIGHT if exact else 1.0
        clauses: list[wq.Query] = []
        for name, field_weight in self.field_weights.items():
            if exact and not self.folded_only:
                clauses.append(wq.Phrase(name, syllables, slop=slop, boost=field_weight * weight))
            clauses.append(wq.Phrase(f"{name}_f", folded, slop=slop, boost=field_weight * weight * fold_weight))
        return wq.Or(clauses)

    @staticmethod
    def number(number: str) -> wq.Query:
        return wq.Or([wq.Term("number", number, boost=OWN_NUMBER_WEIGHT),
                      wq.Term("numbers", number, boost=NUMBER_WEIGHT)])

    def run(self, syllables: list[str]) -> list[wq.Query]:
        """One clause per content word of a run; an abbreviation's expansion
        ("ủy ban nhân dân") is one clause that also accepts the abbreviation (UBND)."""
        spans = {start: (end, abbr) for start, end, abbr in analyzers.abbreviations_for(syllables)}
        clauses, i = [], 0
        only_stopwords = all(analyzers.is_stopword(s) for s in syllables)
        while i < len(syllables):
            if i in spans:
                end, abbreviation = spans[i]
                clauses.append(wq.Or([self.phrase(syllables[i:end]), self.term(abbreviation)]))
                i = end
                continue
            if only_stopwords or not analyzers.is_stopword(syllables[i]):
                clauses.append(self.term(syllables[i]))
            i += 1
        return clauses

    def item(self, item: Item) -> list[wq.Query]:
        if item.kind == "number":
            return [self.number(item.number)]
        if item.kind == "phrase":
            return [self.phrase(item.syllables)]
        return self.run(item.syllables)

    def branch(self, branch: list[Item]) -> list[wq.Query]:
        """The clauses of one alternative: one per plain word, phrase or number."""
        return [clause for item in branch for clause in self.item(item)]

    def word_boosts(self, parsed: ParsedQuery) -> list[wq.Query]:
        """Optional clauses that raise the score of documents with the query's compound words."""
        boosts: list[wq.Query] = []
        for item in parsed.items():
            if item.kind != "words" or len(item.syllables) < 2:
                continue
            if any(analyzers.has_diacritics(s) for s in item.syllables):
                for word in analyzers.segment(" ".join(item.syllables)):
                    word = word.lower().replace(" ", "_")
                    if "_" in word:
                        boosts.append(wq.Term("words", word, boost=WORDS_WEIGHT))
        return boosts

    def proximity_boosts(self, parsed: ParsedQuery) -> list[wq.Query]:
        """Optional clauses that raise the score of documents keeping the query's words together."""
        boosts: list[wq.Query] = []
        for item in parsed.items():
            if item.kind != "words" or len(item.syllables) < 2:
                continue
            folded = [analyzers.fold_token(s) for s in item.syllables]
            if not parsed.is_long:
                # Folded fields only: the words' spelling is scored by the rank
                # query already, and reading positions is most of this cost.
                boosts.extend(wq.Phrase(f"{name}_f", folded, slop=3, boost=weight * PROXIMITY_WEIGHT)
                              for name, weight in self.field_weights.items())
            # Reward each run of two (a query) or three (a pasted passage)
            # of its words found together. Folded body only: one phrase per run
            # keeps this cheap, and it helps most when typed without diacritics.
            size = 3 if parsed.is_long else 2
            for run in dict.fromkeys(tuple(folded[i:i + size]) for i in range(len(folded) - size + 1)):
                boosts.append(wq.Phrase("body_f", list(run), boost=PROXIMITY_WEIGHT / 2))
        return boosts


#: Short queries name what a directive is about: titles and headings weigh most.
SHORT = ClauseBuilder(FIELD_WEIGHTS)
#: A pasted passage comes from a body: all fields weigh the same.
LONG = ClauseBuilder(LONG_FIELD_WEIGHTS)


#: The same clauses without the exact-spelling fields: which documents match, not how well.
SHORT_MEMBERSHIP = ClauseBuilder(FIELD_WEIGHTS, folded_only=True)
LONG_MEMBERSHIP = ClauseBuilder(LONG_FIELD_WEIGHTS, folded_only=True)


def builder_for(parsed: ParsedQuery, membership: bool = False) -> ClauseBuilder:
    if membership:
        return LONG_MEMBERSHIP if parsed.is_long else SHORT_MEMBERSHIP
    return LONG if parsed.is_long else SHORT


def required_clauses(parsed: ParsedQuery, membership: bool = False) -> list[wq.Query]:
    """Every unit of every alternative (a long query needs only some of them;
    it offers each distinct unit once, as a passage repeats its words)."""
    builder = builder_for(parsed, membership)
    clauses = [clause for branch in parsed.branches for clause in builder.branch(branch)]
    return list(dict.fromkeys(clauses)) if parsed.is_long else clauses


def _and(clauses: list[wq.Query]) -> wq.Query:
    return wq.And(clauses) if len(clauses) > 1 else clauses[0]


def match_query(parsed: ParsedQuery, membership: bool = False) -> wq.Query:
    """What a document must satisfy to be a result. (Long queries match any word;
    run_search then keeps documents with at least ``min_should_match()`` of them.)

    ``membership=True`` finds the same documents with a cheaper query that
    cannot score them (folded fields only).
    """
    builder = builder_for(parsed, membership)
    if parsed.is_long:
        main: wq.Query = wq.Or(required_clauses(parsed, membership))
    else:
        alternatives = [_and(builder.branch(b)) for b in parsed.branches]
        main = alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)
    exclusion = exclusion_query(parsed)
    return wq.AndNot(main, exclusion) if exclusion is not None else main


def rank_query(parsed: ParsedQuery) -> wq.Query:
    """What orders the results (run only over documents match_query() found):
    the match query plus optional boosts for compound words. Run_search adds
    proximity_query()'s score to the first PROXIMITY_DEPTH of them.

    The boosts are OR-ed in rather than combined with AndMaybe: Whoosh's
    AndMaybe matcher returned wrong documents for long queries (measured on
    ALQAC: the right article first with Or, absent from the top 5 with AndMaybe).
    """
    main = match_query(parsed)
    boosts = builder_for(parsed).word_boosts(parsed)
    return wq.Or([main, *boosts]) if boosts else main


def proximity_query(parsed: ParsedQuery) -> wq.Query | None:
    """Phrase boosts for words kept together, or None. Whoosh checks positions
    of every document a phrase's words share, half of a query's time when it
    ran over all matches; run_search runs it over the leading candidates only."""
    boosts = builder_for(parsed).proximity_boosts(parsed)
    if not boosts:
        return None
    return wq.Or(boosts) if len(boosts) > 1 else boosts[0]


def exclusion_query(parsed: ParsedQuery) -> wq.Query | None:
    if not parsed.excluded:
        return None
    return wq.Or([c for item in parsed.excluded for c in SHORT_MEMBERSHIP.item(item)])
