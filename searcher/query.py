"""The query language staff type, read into a Whoosh query through the analyzers.

Plain words must all match, ``"quoted phrases"`` match as phrases, ``-word``
excludes, ``a OR b`` offers alternatives, and document numbers (``19/CT-TTg``,
``CT-TTg 19``, ``KH 655``) match the number field. Nothing is a syntax error:
an unbalanced quote or a stray operator is read as plain words.

Marks mean something, syllable by syllable (analyzers.typed_matches): a
syllable typed with marks matches that syllable (the exact fields), one typed
without marks every syllable that folds to it (the folded ``*_f`` fields), so
``chuyển doi so`` mixes both. Each query word scores per field as the best of
its forms (itself, an abbreviation's expansion, a variant from
analyzers.synonyms), never their sum. ``ParsedQuery.relaxed`` reads every
syllable without its marks (run_search's answer when the marked query finds
nothing).

Field prefixes (``nam:2021``, ``nguoiky:"Nguyễn Mạnh Thắng"``, see
FIELD_PREFIXES) restrict the search like the facet filter of the same name;
an unknown prefix is read as words.

A long query (a pasted sentence) ranks by BM25 over any of its words instead,
with a minimum number of words that must match; there a word found only
without its marks still counts, for less.

    parsed = parse_query('ke hoach "phòng chống dịch" -2021'); q = match_query(parsed)
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.scoring import BM25F

import analyzers
import corpus
from analyzers.abbreviations import ABBREVIATIONS
from corpus.model import SECTION_KIND_LABELS

#: Longest query accepted (characters); longer ones are refused with a 400.
MAX_QUERY_CHARS = 1000
#: Content syllables above which a query is a pasted passage, read as "any of
#: these words" and ranked (a Vietnamese word has one to three syllables; staff
#: questions stay within about six words).
LONG_QUERY_WORDS = 6
#: Share of a long query's words a result must contain.
LONG_QUERY_MIN_SHARE = 0.3
#: What a word of a long query found only without its marks counts toward
#: that minimum (one mark typo in a pasted passage should not lose the
#: directive). Measured on ALQAC dev as written (MRR@10): 0.5 and 0.75 both
#: 0.835, 1.0 0.849; its score still counts FOLDED_WEIGHT.
LONG_FOLDED_SHARE = 1.0

#: BM25's term-frequency saturation and length normalisation for directives
#: (Whoosh's defaults are 1.2 and 0.75). Cross-validated on ALQAC dev, 5
#: folds, every fold chose these two (bench/README.md, bench/tune.py).
BM25_K1 = 0.9
BM25_B = 0.9


def ranking() -> BM25F:
    """The weighting directive searchers score with."""
    return BM25F(B=BM25_B, K1=BM25_K1)


# Field weights: a word in the title counts more than in a heading, more than in the body.
FIELD_WEIGHTS = {"title": 3.0, "heading": 2.0, "body": 1.0}
# A pasted passage or a long question weighs every field the same. Headings
# count: a directive often says its point in a numbered heading line ("2. Về
# ... thực hiện quy chế dân chủ ở cơ sở, ... phòng, chống dịch"). ALQAC's
# articles have no headings, so the cross-validation cannot move this
# (bench/tune.py --knob long_heading: 0, 0.5 and 1 all score 0.869 / 0.867).
LONG_FIELD_WEIGHTS = {"title": 1.0, "heading": 1.0, "body": 1.0}
#: Weight of an accent-folded match of a word typed with marks, where one
#: counts at all (long queries), so "mã" ranks exact "mã" above "ma"/"má"/"mà".
FOLDED_WEIGHT = 0.35
#: Optional boosts: the query's compound words and its words close together.
WORDS_WEIGHT = 1.5
PROXIMITY_WEIGHT = 2.0
#: Where a long query's runs of three words earn PROXIMITY_WEIGHT: "body" (the
#: folded body only) or "all" (the best of the LONG_FIELD_WEIGHTS fields, each
#: at its weight: a law's article names its subject in its heading line).
#: Cross-validated on ALQAC dev: "all" +1.2 / +2.6 points MRR@10 (bench/README.md).
LONG_PROXIMITY_FIELDS = "all"
#: How many of a long query's words in a row earn that boost.
LONG_PROXIMITY_RUN = 3
#: An abbreviation's expansion is recognised only where the words of the
#: query begin and end ("cơ sở giáo dục" is not "cơ" + "sở giáo dục" = SGD),
#: and in a long query each syllable stays a clause of its own, the
#: abbreviation one clause more ("Bộ Giáo dục và Đào tạo" is five words, not one).
ABBREVIATIONS_AT_WORD_BOUNDARIES = True
#: A query shaped as a question ("… là gì?", "… nào?", "… đúng hay sai?")
#: of at least QUESTION_MIN_WORDS content words is read as a passage: any of
#: its words, ranked, rather than all of them.
QUESTIONS_AS_PASSAGES = True
QUESTION_MIN_WORDS = 5
OWN_NUMBER_WEIGHT = 8.0
#: A cited number is rarer and more telling than any word.
NUMBER_WEIGHT = 3.0
#: A number found with its "-" and "/" exchanged, or given only in part
#: ("655/KH" for 655/KH-PGDĐT), counts for this share of the number's weight.
NUMBER_VARIANT_SHARE = 0.5

#: Field prefixes (folded, as typed before ":") -> what they restrict.
FIELD_PREFIXES = {
    "so": "number",  # the directive's own number, or its beginning
    "loai": "doc_type",
    "coquan": "issuer",
    "nguoiky": "signer",
    "nam": "year",
    "muc": "section",
    "trichyeu": "title",  # words of the title (trích yếu)
}

_QUOTES = "\"“”„«»"
_TOKEN = re.compile(
    r"""(?P<prefix>[^\W\d_]+):(?:[{q}](?P<quoted>[^{q}]*)[{q}]|(?P<value>[^\s{q}]+))"""
    r"""|(?P<neg>-)?[{q}](?P<phrase>[^{q}]*)[{q}]|(?P<word>\S+)""".format(q=_QUOTES))


class QueryTooLong(ValueError):
    pass


@dataclass
class Item:
    """One unit of the query: a run of plain words, a phrase, or a document number."""

    kind: str  # "words" | "phrase" | "number"
    syllables: list[str] = field(default_factory=list)
    number: str | None = None
    #: Only these text fields (trichyeu: -> the title); None: every field.
    fields: tuple[str, ...] | None = None
    #: A number that must be the directive's own (so:), not one it cites.
    own: bool = False

    def content(self) -> list[str]:
        """The syllables that carry meaning (stop words dropped from plain words)."""
        if self.kind != "words":
            return self.syllables
        kept = [s for s in self.syllables if not analyzers.is_stopword(s)]
        return kept or self.syllables


@dataclass
class ParsedQuery:
    """What the user asked: alternatives (separated by OR), each a list of units
    that must all match, units that must not, units every alternative needs
    (field prefixes on text and numbers) and facet filters typed as prefixes."""

    text: str
    branches: list[list[Item]] = field(default_factory=list)
    excluded: list[Item] = field(default_factory=list)
    fielded: list[Item] = field(default_factory=list)
    filters: dict[str, list] = field(default_factory=dict)  # facet parameter -> values
    #: Every syllable read without its marks (see module docstring).
    relaxed: bool = False
    #: Shaped as a question (see QUESTIONS_AS_PASSAGES).
    question: bool = False

    @property
    def is_empty(self) -> bool:
        return not any(self.branches) and not self.fielded

    @property
    def is_long(self) -> bool:
        count = self.word_count()
        return count > LONG_QUERY_WORDS or QUESTIONS_AS_PASSAGES and self.question and count >= QUESTION_MIN_WORDS

    def items(self) -> list[Item]:
        return [item for branch in self.branches for item in branch] + self.fielded

    def word_count(self) -> int:
        return sum(len(item.content()) if item.kind == "words" else 1 for item in self.items())

    def min_should_match(self) -> int:
        return max(2, math.ceil(self.word_count() * LONG_QUERY_MIN_SHARE))

    def can_relax(self) -> bool:
        """Whether relax() is worth trying: a run of two or more syllables typed
        with marks (a name, a compound: "Đầu Tiêng"). One syllable without its
        marks is another word more often than a typo ("tiền" is not "tiến")."""
        return not self.is_long and any(
            item.kind in ("words", "phrase") and len(item.syllables) > 1
            and any(analyzers.fold_token(s) != s for s in item.syllables) for item in self.items())

    def relax(self) -> ParsedQuery:
        """The query with every syllable to be found read without its marks,
        and each run of plain words kept side by side (a phrase), so that only
        what the marks got wrong is forgiven."""
        def side_by_side(item: Item) -> Item:
            return dataclasses.replace(item, kind="phrase") if item.kind == "words" and len(item.syllables) > 1 else item
        return dataclasses.replace(self, relaxed=True,
                                   branches=[[side_by_side(i) for i in b] for b in self.branches],
                                   fielded=[side_by_side(i) for i in self.fielded])

    def highlight_terms(self) -> HighlightTerms:
        terms = HighlightTerms(relaxed=self.relaxed)
        for item in self.items():
            if item.kind == "number":
                terms.numbers.add(item.number)
                continue
            for syllable in item.syllables:
                terms.add(syllable)
            for variants in analyzers.alternatives_for(item.syllables):
                for form, _ in variants.forms:
                    for syllable in form:
                        terms.add(syllable)
        return terms


@dataclass
class HighlightTerms:
    """What a snippet marks: exact syllables, folded syllables, document numbers."""

    exact: set[str] = field(default_factory=set)
    folded: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    relaxed: bool = False

    def add(self, syllable: str) -> None:
        if analyzers.is_stopword(syllable):
            return
        if analyzers.has_diacritics(syllable) and not self.relaxed:
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
    if whole and not _is_variant(text):
        parsed.branches.append([Item("number", number=whole)])
        return parsed

    branch: list[Item] = []
    parsed.branches.append(branch)
    saw_or = False
    for match in _TOKEN.finditer(text):
        if match.group("prefix") is not None:
            value = match.group("quoted") if match.group("quoted") is not None else match.group("value")
            if _read_prefix(parsed, match.group("prefix"), value):
                continue
            # Not a prefix we know (or a value it cannot take): the words as typed.
            branch.extend(_word_items(match.group("prefix")))
            if match.group("quoted") is not None:
                syllables = analyzers.syllables(value)
                if syllables:
                    branch.append(Item("phrase", syllables))
            else:
                branch.extend(_word_items(value))
            continue
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
    parsed.question = _is_question(text)
    _drop_question_ending(parsed)
    if parsed.is_empty and not parsed.excluded and not parsed.filters and saw_or:
        parsed.branches = [[Item("words", ["or"])]]  # a query of just "OR" is the word
    return parsed


#: How questions end, folded ("là gì", "nào", "đúng hay sai", "hay không").
_QUESTION_ENDINGS = (("la", "gi"), ("nao",), ("dung", "hay", "sai"), ("hay", "khong"), ("khong",), ("bao", "nhieu"),
                     ("the", "nao"), ("o", "dau"))


def _is_question(text: str) -> bool:
    return text.rstrip().endswith("?") or _question_ending(analyzers.syllables(text)) > 0


def _question_ending(syllables: list[str]) -> int:
    """How many of the last syllables ask the question ("la gi", "nao", "khong"), 0 when none."""
    folded = tuple(analyzers.fold_token(s) for s in syllables)
    return max((len(end) for end in _QUESTION_ENDINGS if len(folded) > len(end) and folded[-len(end):] == end),
               default=0)


def _drop_question_ending(parsed: ParsedQuery) -> None:
    """The words that end a question are not words to find: typed without
    marks ("Hiep hoi trong tai la gi", "co duoc khong") they are no stop words,
    and an all-words query requiring them finds little or nothing. Elsewhere
    in a passage "khong" is a negation and stays."""
    last = parsed.branches[-1][-1] if parsed.branches and parsed.branches[-1] else None
    if last is None or last.kind != "words":
        return
    size = _question_ending(last.syllables)
    if size:
        last.syllables = last.syllables[:-size]


def _is_variant(text: str) -> bool:
    """Whether the whole text is a form of the synonyms table ("COVID 19" is
    not the number 19/COVID)."""
    syllables = analyzers.syllables(text)
    return any(v.start == 0 and v.end == len(syllables) for v in analyzers.alternatives_for(syllables))


def _read_prefix(parsed: ParsedQuery, prefix: str, value: str) -> bool:
    """Record a field prefix with its value; False when it is not one we know
    or the value cannot be what it names (then it is read as words)."""
    name = FIELD_PREFIXES.get(analyzers.fold(prefix))
    value = analyzers.normalize(value)
    if name is None or not value:
        return False
    if name == "number":
        number = analyzers.canonical_number(value) or _partial_number(value)
        if not number:
            return False
        parsed.fielded.append(Item("number", number=number, own=True))
        return True
    if name == "title":
        syllables = analyzers.syllables(value)
        if not syllables:
            return False
        parsed.fielded.append(Item("phrase", syllables, fields=("title",)))
        return True
    if name == "year":
        if not value.isdigit() or not 1 <= int(value) <= 9999:
            return False
        resolved = int(value)
    elif name == "doc_type":
        resolved = _slug_in(value, corpus.DOC_TYPES)
    elif name == "section":
        resolved = _slug_in(value, SECTION_KIND_LABELS)
    else:  # issuer, signer: matched against the index's values by run_search
        resolved = value
    if resolved is None:
        return False
    parsed.filters.setdefault(name, []).append(resolved)
    return True


def _partial_number(value: str) -> str | None:
    """A number given as its digits alone or with part of its symbol ("655", "655/KH")."""
    folded = analyzers.fold(value).replace(" ", "")
    return folded if re.fullmatch(r"\d{1,6}(?:[-/][a-z&]+)*", folded) else None


def _slug_in(value: str, labels: dict[str, str]) -> str | None:
    """The key of ``labels`` that ``value`` names, as a slug ("ke-hoach") or as its label ("Kế hoạch")."""
    slug = re.sub(r"[\s-]+", "_", analyzers.fold(value))
    if slug in labels:
        return slug
    for key, label in labels.items():
        if analyzers.typed_matches_all(analyzers.syllables(value), analyzers.syllables(label)):
            return key
    return None


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
    """Consecutive plain words become one run (variants and boosts look across it)."""
    merged: list[Item] = []
    for item in items:
        if item.kind == "words" and merged and merged[-1].kind == "words":
            merged[-1] = Item("words", merged[-1].syllables + item.syllables)
        else:
            merged.append(item)
    return merged


# Building the Whoosh query.

#: How a ClauseBuilder reads a syllable typed with marks: "strict" the exact
#: syllable only; "loose" the better of the exact syllable and its folded form
#: (at FOLDED_WEIGHT); "folded" its folded form (as if typed without marks).
MODES = ("strict", "loose", "folded")


class ClauseBuilder:
    """Turns query units into Whoosh clauses with one set of field weights."""

    def __init__(self, field_weights: dict[str, float], mode: str = "strict", compounds: bool = False,
                 passage: bool = False):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.field_weights = field_weights
        self.mode = mode
        #: Reads a pasted passage (any of its words): see ABBREVIATIONS_AT_WORD_BOUNDARIES.
        self.passage = passage
        # Compound words typed with marks must keep their syllables together
        # (short queries: what staff type names a thing; a passage only needs
        # some of its words).
        self.compounds = compounds and mode == "strict"

    def _fields(self, only: tuple[str, ...] | None) -> list[tuple[str, float]]:
        if only is None:
            return list(self.field_weights.items())
        return [(name, self.field_weights.get(name, 1.0)) for name in only]

    def _marked(self, syllable: str, folded: str) -> bool:
        return self.mode != "folded" and folded != syllable

    def _word_in(self, name: str, weight: float, syllable: str, as_written: bool = False) -> list[wq.Query]:
        """The ways one syllable matches in one text field (alternatives, best one counts);
        ``as_written`` (a form from a table, not typed): exactly, marks or none."""
        folded = analyzers.fold_token(syllable)
        if not (self._marked(syllable, folded) or as_written and self.mode != "folded"):
            return [wq.Term(f"{name}_f", folded, boost=weight)]
        exact = wq.Term(name, syllable, boost=weight)
        if self.mode == "strict":
            return [exact]
        return [exact, wq.Term(f"{name}_f", folded, boost=weight * FOLDED_WEIGHT)]

    def _phrase_in(self, name: str, weight: float, syllables, slop: int = 1,
                   as_written: bool = False) -> list[wq.Query]:
        """The ways a run of syllables matches as a phrase in one text field."""
        if len(syllables) == 1:
            return self._word_in(name, weight, syllables[0], as_written)
        folded = [analyzers.fold_token(s) for s in syllables]
        marked = [s for s, f in zip(syllables, folded)
                  if self._marked(s, f) or as_written and self.mode != "folded"]
        loose = wq.Phrase(f"{name}_f", folded, slop=slop, boost=weight)
        if not marked:
            return [loose]
        if len(marked) == len(syllables):
            exact = wq.Phrase(name, list(syllables), slop=slop, boost=weight)
        else:
            # Partly marked: the positions of the folded field with the
            # marked syllables present as typed (the two fields' positions are
            # the same, but a Whoosh phrase reads one field).
            exact = wq.And([wq.Phrase(f"{name}_f", folded, slop=slop),
                            *(wq.Term(name, s) for s in dict.fromkeys(marked))], boost=weight)
        if self.mode == "strict":
            return [exact]
        loose.boost = weight * FOLDED_WEIGHT
        return [exact, loose]

    def unit(self, forms, only: tuple[str, ...] | None = None, slop: int = 1) -> wq.Query:
        """One query word (or phrase) written any of ``forms`` ((syllables,
        weight, as_written): as typed, or from a table): per field, the
        best-scoring form; summed over the fields."""
        per_field = []
        for name, weight in self._fields(only):
            options = [q for syllables, share, as_written in forms
                       for q in self._phrase_in(name, weight * share, syllables, slop, as_written)]
            per_field.append(options[0] if len(options) == 1 else wq.DisjunctionMax(options))
        return per_field[0] if len(per_field) == 1 else wq.Or(per_field)

    def phrase(self, syllables: list[str], slop: int = 1, only: tuple[str, ...] | None = None) -> wq.Query:
        if len(syllables) == 1:
            return self.run(syllables, only)[0]
        return self.unit([(tuple(syllables), 1.0, False)], only, slop)

    @staticmethod
    def number(number: str, own: bool = False) -> wq.Query:
        """The number (the directive's own or cited), with its separators
        exchanged, and the numbers it is the beginning of ("655/kh" -> "655/kh-pgddt")."""
        fields = [("number", OWN_NUMBER_WEIGHT)] + ([] if own else [("numbers", NUMBER_WEIGHT)])
        clauses: list[wq.Query] = []
        for i, variant in enumerate(analyzers.separator_variants(number)):
            for name, weight in fields:
                clauses.append(wq.Term(name, variant, boost=weight if i == 0 else weight * NUMBER_VARIANT_SHARE))
                clauses.extend(wq.ConstantScoreQuery(wq.Prefix(name, variant + separator),
                                                     weight * NUMBER_VARIANT_SHARE) for separator in "-/")
        return wq.Or(clauses)

    def run(self, syllables: list[str], only: tuple[str, ...] | None = None) -> list[wq.Query]:
        """One clause per content word of a run; a span with other ways of
        writing it (an abbreviation, its expansion, a variant) is one clause
        that accepts each of them, and a compound word typed with marks
        ("chuyển đổi") one clause for its syllables side by side."""
        spans = {v.start: (v.end, [(form, weight, v.as_written) for form, weight in v.forms])
                 for v in _at_word_boundaries(syllables, analyzers.alternatives_for(syllables))}
        if self.compounds:
            for start, end in _compounds(syllables):
                if not any(s < end and start < e for s, (e, _) in spans.items()):
                    spans[start] = (end, [])
        clauses, i = [], 0
        only_stopwords = all(analyzers.is_stopword(s) for s in syllables)
        while i < len(syllables):
            found = spans.get(i)
            if found is not None and self.passage and ABBREVIATIONS_AT_WORD_BOUNDARIES and found[1]:
                # Each syllable counts as a word of the passage; the other
                # ways of writing the span are one clause more.
                clauses.append(self.unit(found[1], only))
                found = None
            if found is not None:
                end, forms = found
                clauses.append(self.unit([(tuple(syllables[i:end]), 1.0, False), *forms], only))
                i = end
                continue
            if only_stopwords or not analyzers.is_stopword(syllables[i]):
                clauses.append(self.unit([((syllables[i],), 1.0, False)], only))
            i += 1
        return clauses

    def item(self, item: Item) -> list[wq.Query]:
        if item.kind == "number":
            return [self.number(item.number, item.own)]
        if item.kind == "phrase":
            return [self.phrase(item.syllables, only=item.fields)]
        return self.run(item.syllables, item.fields)

    def branch(self, branch: list[Item]) -> list[wq.Query]:
        """The clauses of one alternative: one per plain word, phrase or number."""
        return [clause for item in branch for clause in self.item(item)]

    def word_boosts(self, parsed: ParsedQuery) -> list[wq.Query]:
        """Optional clauses that raise the score of documents with the query's compound words."""
        boosts: list[wq.Query] = []
        if self.mode == "folded":
            return boosts
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
            if parsed.is_long:
                # Reward each run of LONG_PROXIMITY_RUN of a passage's words
                # found together, folded (it helps most when typed without
                # diacritics), in the body or the title: one phrase per run
                # and field keeps this cheap.
                size = min(LONG_PROXIMITY_RUN, len(folded))
                for run in dict.fromkeys(tuple(folded[i:i + size]) for i in range(len(folded) - size + 1)):
                    if LONG_PROXIMITY_FIELDS == "body":
                        boosts.append(wq.Phrase("body_f", list(run), boost=PROXIMITY_WEIGHT / 2))
                        continue
                    boosts.append(wq.DisjunctionMax([
                        wq.Phrase(f"{name}_f", list(run), boost=weight * PROXIMITY_WEIGHT / 2)
                        for name, weight in self.field_weights.items() if weight]))
                continue
            # The words near each other in any field, and each pair side by
            # side in the body, spelt as the query's words match.
            for name, weight in self.field_weights.items():
                boosts.extend(self._phrase_in(name, weight * PROXIMITY_WEIGHT, item.syllables, slop=3)[:1])
            pairs = dict.fromkeys(tuple(item.syllables[i:i + 2]) for i in range(len(item.syllables) - 1))
            for pair in pairs:
                boosts.extend(self._phrase_in("body", PROXIMITY_WEIGHT / 2, pair)[:1])
        return boosts


#: Short queries name what a directive is about: titles and headings weigh most.
SHORT = ClauseBuilder(FIELD_WEIGHTS, compounds=True)
#: The same, every syllable read without its marks (ParsedQuery.relaxed).
SHORT_RELAXED = ClauseBuilder(FIELD_WEIGHTS, "folded")
#: A pasted passage comes from a body: all fields weigh the same, and a word
#: found only without its marks still counts.
LONG = ClauseBuilder(LONG_FIELD_WEIGHTS, "loose", passage=True)
#: A passage's words as typed, and without their marks: which of them a document has.
LONG_EXACT = ClauseBuilder(LONG_FIELD_WEIGHTS, "strict", passage=True)
LONG_FOLDED = ClauseBuilder(LONG_FIELD_WEIGHTS, "folded", passage=True)


def builder_for(parsed: ParsedQuery) -> ClauseBuilder:
    if parsed.is_long:
        return LONG
    return SHORT_RELAXED if parsed.relaxed else SHORT


def required_clauses(parsed: ParsedQuery) -> list[wq.Query]:
    """Every unit of every alternative (a long query needs only some of them;
    it offers each distinct unit once, as a passage repeats its words)."""
    builder = builder_for(parsed)
    clauses = [clause for branch in parsed.branches for clause in builder.branch(branch)]
    return list(dict.fromkeys(clauses)) if parsed.is_long else clauses


def long_query_clauses(parsed: ParsedQuery) -> tuple[list[wq.Query], list[wq.Query]]:
    """A long query's units as typed and without marks, pairwise (the two
    builders cut a run into the same units): a document counts toward
    min_should_match() fully for the first, LONG_FOLDED_SHARE for the second alone."""
    exact, folded = [], []
    seen = set()
    for branch in parsed.branches:
        for e, f in zip(LONG_EXACT.branch(branch), LONG_FOLDED.branch(branch)):
            if e not in seen:
                seen.add(e)
                exact.append(e)
                folded.append(f)
    return exact, folded


def _at_word_boundaries(syllables: list[str], variants) -> list:
    """The variants whose span begins and ends where underthesea puts word
    boundaries in the run ("cơ sở giáo dục": not "sở giáo dục"). A run the
    segmenter splits differently from its syllables keeps them all."""
    def collapses(v) -> bool:  # several typed syllables read as one abbreviation
        return v.end - v.start > 1 and any(len(form) == 1 and form[0] in ABBREVIATIONS for form, _ in v.forms)

    if not ABBREVIATIONS_AT_WORD_BOUNDARIES or not any(collapses(v) for v in variants):
        return variants
    bounds = _word_bounds(tuple(syllables))
    if bounds is None:
        return variants
    return [v for v in variants if not collapses(v) or v.start in bounds and v.end in bounds]


@functools.lru_cache(maxsize=4096)
def _word_bounds(syllables: tuple[str, ...]) -> frozenset[int] | None:
    bounds, at = {0}, 0
    for word in analyzers.segment(" ".join(syllables)):
        size = len(analyzers.syllables(word))
        at += size
        bounds.add(at)
    return frozenset(bounds) if at == len(syllables) else None


def _compounds(syllables: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each word of two or more syllables underthesea finds in
    a run typed with marks ("chuyển đổi số" -> [(0, 2)]): its syllables belong
    together. Typed without marks, segmentation is guesswork: none."""
    if len(syllables) < 2 or all(analyzers.fold_token(s) == s for s in syllables):
        return []
    found, at = [], 0
    for word in analyzers.segment(" ".join(syllables)):
        size = len(analyzers.syllables(word))
        if syllables[at:at + size] != [s.lower() for s in analyzers.syllables(word)]:
            return []  # the segmenter split or joined differently: no compounds
        # A "word" with a function word in it ("số là" in "chuyển đổi số là
        # gì") is the segmenter reading across the query's words, not a compound.
        if size > 1 and not any(analyzers.is_stopword(s) for s in syllables[at:at + size]):
            found.append((at, at + size))
        at += size
    return found if at == len(syllables) else []


def _and(clauses: list[wq.Query]) -> wq.Query:
    return wq.And(clauses) if len(clauses) > 1 else clauses[0]


def fielded_query(parsed: ParsedQuery) -> wq.Query | None:
    """What every result needs whatever the alternative (so:, trichyeu:), or None."""
    builder = SHORT_RELAXED if parsed.relaxed else SHORT
    clauses = [clause for item in parsed.fielded for clause in builder.item(item)]
    return _and(clauses) if clauses else None


def match_query(parsed: ParsedQuery) -> wq.Query:
    """What a document must satisfy to be a result. (Long queries match any word;
    run_search then keeps documents with at least ``min_should_match()`` of them.)
    """
    builder = builder_for(parsed)
    parts = []
    if parsed.is_long:
        parts.append(wq.Or(required_clauses(parsed)))
    elif any(parsed.branches):
        alternatives = [_and(builder.branch(b)) for b in parsed.branches]
        parts.append(alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives))
    fielded = fielded_query(parsed)
    if fielded is not None:
        parts.append(fielded)
    main = _and(parts) if parts else wq.Every()
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
    """What a result must not contain: ``-word`` follows the same rule of marks as the words sought."""
    if not parsed.excluded:
        return None
    return wq.Or([c for item in parsed.excluded for c in SHORT.item(item)])
