"""Search behaviour on the five sample directives, in real Vietnamese."""

import json
import unicodedata

import numpy as np
import pytest

import analyzers
import indexer
from indexer.documents import sections_with_path
from searcher.handle import IndexHandle
from searcher.query import match_query, parse_query
from searcher.search import InvalidParameter, SearchRequest, run_search

PLAN_CU_CHI = "ke-hoach-2662f66ee2"  # Kế hoạch, Nghị quyết 118/NQ-HĐND, COVID-19
GUIDE_DANG_UY = "34-hd-du"  # Hướng dẫn 34-HD/ĐU, dân vận & COVID-19
PLAN_MINH_LONG = "655-kh-pgddt-2021"  # Kế hoạch 655/KH-PGDĐT, thi đua, Chỉ thị 19/CT-TTg
DIRECTIVE_HAI_PHONG = "chi-thi-dc177e01b7"  # Chỉ thị, nhiệm vụ năm học 2021-2022
PLAN_DAU_TIENG = "ke-hoach-1760b0085c"  # Kế hoạch công tác Dân vận năm 2024


def run(snapshot, **params):
    return run_search(snapshot, SearchRequest.from_params(params))


def ids(result):
    return [hit.id for hit in result.hits]


@pytest.mark.parametrize("q", [
    "phòng chống dịch",
    "phong chong dich",
    "PHONG CHONG DICH",
    unicodedata.normalize("NFD", "phòng chống dịch"),
])
def test_covid_plans_found_with_or_without_diacritics(snapshot, q):
    result = run(snapshot, q=q)
    assert {PLAN_CU_CHI, GUIDE_DANG_UY} <= set(ids(result))
    assert set(ids(result)[:2]) & {PLAN_CU_CHI, GUIDE_DANG_UY}


def test_snippets_mark_the_words_matched_through_folding(snapshot):
    result = run(snapshot, q="phong chong dich")
    snippets = " ".join(s.snippet for hit in result.hits for s in hit.sections)
    assert "<mark>phòng</mark>" in snippets or "<mark>Phòng</mark>" in snippets
    assert "<mark>dịch</mark>" in snippets


@pytest.mark.parametrize("old, new", [
    ("Uỷ ban nhân dân huyện", "Ủy ban nhân dân huyện"),
    ("xã hội hoá", "xã hội hóa"),
    ("khoá X", "khóa X"),
])
def test_old_and_new_tone_marks_search_alike(snapshot, old, new):
    assert ids(run(snapshot, q=old)) == ids(run(snapshot, q=new))
    assert run(snapshot, q=new).total > 0


def test_query_words_must_all_match(snapshot):
    assert ids(run(snapshot, q="khuyết tật khéo")) == []
    assert PLAN_CU_CHI in ids(run(snapshot, q="khuyết tật"))
    assert PLAN_DAU_TIENG in ids(run(snapshot, q="khéo"))


def test_phrase_does_not_match_reversed_words(snapshot):
    assert run(snapshot, q='"học sinh"').total >= 3
    assert run(snapshot, q='"sinh học"').total == 0


def _writers(snapshot, phrase: str) -> set[str]:
    """The directives whose title, a heading, the facts or a section's text write the phrase's
    syllables side by side, each as typed (a syllable typed without marks stands for any
    spelling of its letters); a phrase does not run from one section into the next."""
    from indexer.documents import head_document, section_document, sections_with_path

    wanted = analyzers.syllables(phrase)

    def writes_it(directive: dict) -> bool:
        documents = [head_document(directive), *(section_document(directive, s) for s, _ in sections_with_path(directive))]
        for document in documents:
            for field in ("title", "heading", "body"):
                words = analyzers.syllables(document.get(field, ""))
                if any(analyzers.typed_matches_all(wanted, words[i:i + len(wanted)]) for i in range(len(words))):
                    return True
        return False

    return {doc_id for doc_id in snapshot.store.ids() if writes_it(snapshot.store.get(doc_id))}


@pytest.mark.parametrize("phrase", ["học sinh", "phòng chống dịch", "dân vận khéo", "Củ Chi", "chuyển đổi số",
                                    "thi đua", "Ủy ban nhân dân", "mục đích", "đô thị", "phó phòng",
                                    "ủy số", "kiến thức", "thống nhất", "gia công", "trọng công"])
def test_a_phrase_typed_with_marks_finds_exactly_the_directives_that_write_it(snapshot, phrase):
    # "mục đích" is not "phòng chống dịch", "Chỉ" is not "Chi", "phố phòng"
    # is not "phó phòng", "gia công" is "giá công" too ("gia" has no marks);
    # and where the samples write the same letters side
    # by side with other marks ("ủy sở", "điều kiện thực hiện", "thông
    # nhất") and the typed syllables elsewhere, the directive is not found:
    # the exact fields keep their positions for this (issue 13, item 1).
    expected = _writers(snapshot, phrase)
    result = run(snapshot, q=f'"{phrase}"', per_page="100")
    assert expected and set(ids(result)) == expected and result.total == len(expected)


def test_exclusion(snapshot):
    with_covid = set(ids(run(snapshot, q="dân vận")))
    without = set(ids(run(snapshot, q="dân vận -covid")))
    assert GUIDE_DANG_UY in with_covid and GUIDE_DANG_UY not in without
    assert PLAN_DAU_TIENG in without


def test_or_offers_alternatives(snapshot):
    result = set(ids(run(snapshot, q="khuyết tật OR ngoại ngữ")))
    assert {PLAN_CU_CHI, DIRECTIVE_HAI_PHONG} <= result


@pytest.mark.parametrize("q", ["19/CT-TTg", "19/ct-ttg", "19 / CT-TTg", "CT-TTg 19", "Chỉ thị 19/CT-TTg"])
def test_document_number_finds_citing_directive(snapshot, q):
    assert ids(run(snapshot, q=q))[:1] == [PLAN_MINH_LONG]


@pytest.mark.parametrize("q", ["655/KH-PGDĐT", "655/kh-pgddt", "34-HD/ĐU", "34 -HD/ĐU"])
def test_own_number_ranks_its_directive_first(snapshot, q):
    expected = PLAN_MINH_LONG if q.startswith("655") else GUIDE_DANG_UY
    assert ids(run(snapshot, q=q))[0] == expected


@pytest.mark.parametrize("q", ["51/2020/TT-BGDĐT", "51/2020/TT-BGDDT", "51/TT-BGDĐT"])
def test_number_with_year_and_unaccented_issuer(snapshot, q):
    assert DIRECTIVE_HAI_PHONG in ids(run(snapshot, q=q))


@pytest.mark.parametrize("q", ["UBND huyện Củ Chi", "ubnd cu chi", "ủy ban nhân dân huyện Củ Chi"])
def test_abbreviation_and_expansion_match_each_other(snapshot, q):
    assert PLAN_CU_CHI in ids(run(snapshot, q=q))


def test_expansion_finds_the_abbreviation(snapshot):
    # 004 writes "HĐND" only in its last part; 000 spells out "Hội đồng nhân dân".
    found = set(ids(run(snapshot, q="hội đồng nhân dân")))
    assert {PLAN_DAU_TIENG, PLAN_CU_CHI} <= found
    assert {PLAN_DAU_TIENG, PLAN_CU_CHI} <= set(ids(run(snapshot, q="HĐND")))


def test_section_filter_restricts_to_that_part(snapshot):
    q = "báo cáo kết quả thực hiện hàng tháng"
    result = run(snapshot, q=q, section="to_chuc_thuc_hien")
    assert ids(result)[0] == PLAN_CU_CHI
    assert all(s.kind == "to_chuc_thuc_hien" for hit in result.hits for s in hit.sections)
    assert run(snapshot, q="vắc xin", section="muc_dich_yeu_cau").total == 0
    assert PLAN_CU_CHI in ids(run(snapshot, q="vắc xin", section="nhiem_vu_giai_phap"))


def test_results_show_best_matching_sections_with_stable_links(snapshot):
    result = run(snapshot, q="vắc xin")
    hit = next(h for h in result.hits if h.id == PLAN_CU_CHI)
    section = hit.sections[0]
    assert section.kind == "nhiem_vu_giai_phap"
    assert section.id in {s["id"] for s, _ in sections_with_path(snapshot.store.get(PLAN_CU_CHI))}  # an anchor
    assert result.params() == [("q", "vắc xin")]  # what the hit's link carries back to this search
    assert "<mark>vắc</mark>" in section.snippet



def test_facets_count_directives_not_sections(snapshot):
    result = run(snapshot, q="học sinh")
    doc_types = {f.value: f.count for f in result.facets["doc_type"]}
    assert sum(doc_types.values()) == result.total
    for entry in result.facets["section"]:
        assert entry.count <= result.total
    years = {f.value: f for f in result.facets["year"]}
    assert years and all(("year", str(year)) in f.toggle for year, f in years.items())


def test_facet_filter_and_toggle_url(snapshot):
    result = run(snapshot, q="", doc_type="ke_hoach")
    assert set(ids(result)) == {PLAN_CU_CHI, PLAN_MINH_LONG, PLAN_DAU_TIENG}
    entry = next(f for f in result.facets["doc_type"] if f.value == "ke_hoach")
    assert entry.selected and entry.label == "Kế hoạch"
    assert entry.toggle == []  # toggling a selected value removes it
    # Other values of the same facet keep their counts (choose several types at once).
    other = next(f for f in result.facets["doc_type"] if f.value == "chi_thi")
    assert other.count == 1 and other.toggle == [("doc_type", "ke_hoach"), ("doc_type", "chi_thi")]


def test_browse_is_newest_first(snapshot):
    result = run(snapshot, doc_type="ke_hoach")
    assert result.sort == "date_desc"
    assert ids(result) == [PLAN_DAU_TIENG, PLAN_CU_CHI, PLAN_MINH_LONG]
    assert ids(run(snapshot, doc_type="ke_hoach", sort="date_asc"))[0] == PLAN_MINH_LONG


def test_year_and_year_range_filters(snapshot):
    assert ids(run(snapshot, year="2024")) == [PLAN_DAU_TIENG]
    ranged = set(ids(run(snapshot, year_from="2022", year_to="2024")))
    assert ranged == {PLAN_DAU_TIENG, PLAN_CU_CHI, GUIDE_DANG_UY}


def test_issuer_filter_uses_facet_value(snapshot):
    result = run(snapshot, q="dân vận")
    issuers = {f.value for f in result.facets["issuer"]}
    assert "Đảng ủy Sở Giáo dục và Đào tạo" in issuers
    filtered = run(snapshot, q="dân vận", issuer="Đảng ủy Sở Giáo dục và Đào tạo")
    assert ids(filtered) == [GUIDE_DANG_UY]


def test_zero_results_suggest_dropping_a_filter_and_a_spelling(snapshot):
    result = run(snapshot, q="vắc xin", doc_type="chi_thi")
    assert result.total == 0
    kinds = {s.type for s in result.suggestions}
    assert "drop_filter" in kinds
    drop = next(s for s in result.suggestions if s.type == "drop_filter")
    assert drop.params == [("q", "vắc xin")]

    typo = run(snapshot, q="vắc xim")
    assert typo.total == 0
    spelling = [s for s in typo.suggestions if s.type == "spelling"]
    assert spelling and spelling[0].query == "vắc xin" and spelling[0].params == [("q", "vắc xin")]


def test_pagination(snapshot):
    first = run(snapshot, q="giáo dục", per_page="2")
    second = run(snapshot, q="giáo dục", per_page="2", page="2")
    assert first.total >= 4 and first.pages >= 2
    assert not set(ids(first)) & set(ids(second))
    assert first.params(2) == second.params() == [("q", "giáo dục"), ("per_page", "2"), ("page", "2")]


def test_long_pasted_sentence_finds_its_source(snapshot):
    pasted = ("Tăng cường công tác truyền thông nâng cao nhận thức, thay đổi hành vi của người dân "
              "và cộng đồng trong công tác phòng, chống dịch COVID-19.")
    assert ids(run(snapshot, q=pasted))[0] == PLAN_CU_CHI


@pytest.mark.parametrize("q", ['"unbalanced', "OR", "AND OR NOT", "-", "field:*", "[a TO", "*", '""', "((", "\u202e\u0301"])
def test_odd_syntax_is_read_as_words(snapshot, q):
    result = run(snapshot, q=q)
    assert result.total == len(result.hits)  # every sample fits one page: no error, an answer


@pytest.mark.parametrize("params", [
    {"page": "0"}, {"per_page": "10000"}, {"sort": "random"}, {"year": "abc"},
    {"section": "phu_luc"}, {"q": "a" * 1001},
])
def test_bad_parameters_are_refused_with_a_message(params):
    with pytest.raises(InvalidParameter):
        SearchRequest.from_params(params)


def test_a_syllable_typed_with_marks_matches_only_itself(tmp_path):
    records = tmp_path / "codes.jsonl"
    docs = [
        {"id": "ma", "title": "Quy định về ma", "text": "Nói về ma quỷ trong truyện."},
        {"id": "ma-so", "title": "Quy định về mã số", "text": "Cấp mã số định danh cho học sinh."},
        {"id": "ma-ma", "title": "Quy định về má", "text": "Má và mà."},
    ]
    records.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), encoding="utf-8")
    indexer.build_index(records, tmp_path / "index")
    h = IndexHandle(tmp_path / "index")
    try:
        exact = ids(run(h.snapshot(), q="mã"))
        nfd = ids(run(h.snapshot(), q=unicodedata.normalize("NFD", "Má")))
        folded = ids(run(h.snapshot(), q="ma"))
        partly = ids(run(h.snapshot(), q="mã so"))
    finally:
        h.close()
    assert exact == ["ma-so"]
    assert nfd == ["ma-ma"]
    assert set(folded) == {"ma", "ma-so", "ma-ma"}
    assert partly == ["ma-so"]


@pytest.mark.parametrize("q", [
    "phong chong dich benh", "kế hoạch công tác dân vận", "UBND huyện thực hiện",
    "Các trường học xây dựng kế hoạch phòng chống dịch bệnh, báo cáo kết quả thực hiện về Phòng Giáo dục "
    "định kỳ hằng tháng",
])
def test_proximity_added_to_the_leading_candidates_scores_like_one_pass(snapshot, q):
    # run_search scores proximity over its first PROXIMITY_DEPTH candidates only (all five samples
    # here), decoding positions for their documents alone; the sum must be what one pass over
    # every directive with rank + proximity clauses gives.
    from whoosh import query as wq

    from searcher import query, search

    parsed = parse_query(q)
    evaluator = snapshot.evaluator()
    mask, scores = evaluator.run(wq.Or([query.rank_query(parsed), query.proximity_query(parsed)]))
    one_pass = dict(zip(np.flatnonzero(mask).tolist(), scores[mask].tolist()))
    mask, scores = evaluator.run(query.rank_query(parsed))
    base = sorted(zip(np.flatnonzero(mask).tolist(), scores[mask].tolist()), key=lambda pair: -pair[1])
    assert len(base) >= 3
    for docnum, score in search._add_proximity(snapshot.evaluator(), parsed, base):
        assert score == pytest.approx(one_pass[docnum], abs=1e-3)


def _reference_section_score(parsed, heading: str, text: str) -> float:
    """A section's score by its definition (searcher/sections.py), from its
    heading line and text as the analyzers read them, a window moved one
    syllable at a time: what the index-based scorer must give."""
    from collections import Counter

    from searcher.sections import WINDOW, WINDOW_WEIGHT

    terms = parsed.highlight_terms()
    folded_words = {analyzers.fold_token(w) for w in terms.exact} | terms.folded
    parts = [analyzers.syllables(heading), analyzers.syllables(text)]
    folded_parts = [[analyzers.fold_token(t) for t in part] for part in parts]
    found = Counter(t for part in folded_parts for t in part)
    typed = {t for part in parts for t in part if t in terms.exact}
    score, credited = 0.0, set()
    for word in sorted(folded_words):
        if not found[word]:
            continue
        if word in terms.folded or any(analyzers.fold_token(e) == word for e in typed):
            score += 1.0
        elif not parsed.is_long:
            continue
        else:
            score += 0.5
        credited.add(word)
        score += 0.1 * float(np.log1p(found[word]))
    if len(credited) > 1:
        most = 0
        for part in folded_parts:
            for end in range(len(part)):
                most = max(most, len({t for t in part[max(0, end - WINDOW + 1):end + 1] if t in credited}))
        score += WINDOW_WEIGHT * most
    pairs = set()
    for item in parsed.items():
        folded = [analyzers.fold_token(s) for s in item.content()]
        pairs.update(zip(folded, folded[1:]))
    score += 0.5 * len({p for part in folded_parts for p in zip(part, part[1:]) if p in pairs})
    numbers = {m.canonical for m in analyzers.find_numbers(heading + "\n" + text)}
    score += 2.0 * len(numbers & terms.numbers)
    return score


@pytest.mark.parametrize("q", [
    "phòng chống dịch", "phong chong dich", "UBND huyện", "dân vận khéo", "19/CT-TTg", "báo cáo hằng tháng",
    "kế hoạch", "và của các", "thuỷ lợi hoà bình", unicodedata.normalize("NFD", "Tổ chức thực hiện"),
    "Phòng Giáo dục và Đào tạo xây dựng kế hoạch kiểm tra nội bộ trường học năm học",
])
def test_section_scores_read_from_the_index_are_those_of_the_sections_text(snapshot, q):
    # Best sections are scored from the index (frequencies, positions) for all
    # candidates at once; every section of every sample must score what its
    # heading line and text score by the definition.
    from indexer.documents import heading_line
    from searcher import search
    from searcher.sections import SectionScorer

    parsed = parse_query(q)
    scorer = SectionScorer(parsed)
    directives = snapshot.store.get_many(list(snapshot.docs.names))
    search._section_hits(snapshot, scorer, list(directives), None)
    checked = 0
    for doc_id, directive in directives.items():
        sections = [section for section, _ in sections_with_path(directive)]
        scores = scorer.known[doc_id]
        assert len(scores) == len(sections)
        for section, score in zip(sections, scores.tolist()):
            expected = _reference_section_score(parsed, heading_line(section), section.get("text") or "")
            assert score == pytest.approx(expected, abs=1e-6), (doc_id, section["id"])
            checked += score > 0
    assert checked >= 3  # the query finds sections to score


def test_a_result_shows_its_best_scoring_sections(snapshot):
    from searcher import search
    from searcher.sections import SectionScorer

    result = run(snapshot, q="báo cáo kết quả hằng tháng")
    scorer = SectionScorer(parse_query("báo cáo kết quả hằng tháng"))
    for hit in result.hits[:5]:
        directive = snapshot.store.get(hit.id)
        flat = [section["id"] for section, _ in sections_with_path(directive)]
        search._section_hits(snapshot, scorer, [hit.id], None)
        scores = scorer.known[hit.id].tolist()
        best = sorted(range(len(flat)), key=lambda i: (-scores[i], i))[:2]
        assert [s.id for s in hit.sections] == [flat[i] for i in best if scores[i] > 0] or not max(scores)


_WORDS = ["Kế", "hoạch", "phòng", "chống", "dịch", "thuỷ", "thủy", "lợi", "hoà", "hòa", "bình", "ĐẢNG", "ỦY",
          "UBND", "GD&ĐT", "gd", "&", "đt&", "19/CT-TTg", "x\u0303", "İ", "한국", "dich", "phong", "\u200b", "\n\n", ", ",
          "ΑΣ.Β", "Σ", "\u0bca"]


@pytest.mark.parametrize("q", ["phòng chống dịch", "phong chong dich", "thuỷ lợi hoà bình", "GD&ĐT 19/CT-TTg",
                               "ĐẢNG ỦY", "kế hoạch -dịch", "ΑΣ hoa", "gd dt"])
def test_whole_text_folding_marks_what_token_by_token_does(q):
    # Snippets fold a text at once (analyzers.lower_and_fold); texts that
    # cannot be go token by token. Both must give the same answer.
    from unittest import mock

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from searcher import highlight

    terms = parse_query(q).highlight_terms()

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=3), max_size=40).map(" ".join),
           st.sampled_from(["NFC", "NFD"]))
    def check(text, form):
        text = unicodedata.normalize(form, text)
        spans = highlight.match_spans(text, terms)
        with mock.patch("analyzers.lower_and_fold", return_value=None):
            assert highlight.match_spans(text, terms) == spans

    check()


def test_most_query_words_within_a_window_is_what_sliding_over_every_syllable_finds():
    # _most_within counts the query words in the window ending at each of
    # their places, with binary searches; its best must be what a window moved
    # one syllable at a time over the whole section finds.
    import random
    from collections import Counter

    from searcher.sections import _most_within

    def every_syllable(tokens, wanted, width):
        best = 0
        for end in range(len(tokens)):
            best = max(best, len(Counter(t for t in tokens[max(0, end - width + 1):end + 1] if t in wanted)))
        return best

    words = analyzers.syllables("báo cáo kết quả thực hiện hàng tháng về phòng chống dịch bệnh")
    rng = random.Random(7)
    for _ in range(3000):
        tokens = [rng.choice(words) for _ in range(rng.randint(0, 40))]
        wanted = set(rng.sample(words, rng.randint(0, 5)))
        width = rng.randint(1, 10)
        row = rng.randint(0, 3)  # a section's place among those scored
        places = [np.array([(row << 32) | i for i, token in enumerate(tokens) if token == word], dtype=np.int64)
                  for word in sorted(wanted)]
        keys, counts = _most_within(places, width)
        assert int(counts.max(initial=0)) == every_syllable(tokens, wanted, width)
        assert not len(keys) or set((keys >> 32).tolist()) == {row}


def test_section_scores_do_not_depend_on_the_process():
    # Section scores add one term per query word, in an order that follows
    # Python's string hashing; unrounded, two server processes (or restarts)
    # broke the same ties differently and showed different sections.
    import os
    import subprocess
    import sys

    script = ("import numpy as np\n"
              "from searcher.query import parse_query\n"
              "from searcher.sections import SectionScorer\n"
              "scorer = SectionScorer(parse_query('phòng chống dịch'))\n"
              "counts = {'dich': 2, 'phong': 4, 'chong': 6}\n"
              "freq = lambda field, term: np.array([float(counts.get(term, 0)) if field == 'body_f' else 0.0])\n"
              "none = lambda field, term: np.zeros(0, dtype=np.int64)\n"
              "print(repr(scorer.scores(1, freq, none).tolist()))\n")
    found = set()
    for seed in range(6):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        found.add(subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                                 check=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))).stdout)
    assert len(found) == 1, found


def test_did_you_mean_restores_marks_from_the_index_word_sequences(snapshot):
    # "chng" is one letter from "công" and from "chống"; the index writes
    # "phòng chống" and "chống dịch" side by side, never "công dịch".
    result = run(snapshot, q="phong chng dich")
    assert result.total == 0
    spelling = [s.query for s in result.suggestions if s.type == "spelling"]
    assert spelling == ["phòng chống dịch"]


def test_did_you_mean_offers_nothing_rather_than_nonsense(snapshot):
    # No sample mentions scholarships or Japan: changing "bổng" to "tổng" and
    # "Nhật" to "nhất" would be nonsense; marks typed are kept.
    result = run(snapshot, q="học bổng du học Nhật Bản")
    assert result.total == 0
    assert not [s for s in result.suggestions if s.type == "spelling"]


def test_question_words_typed_without_marks_are_not_required(snapshot):
    # "la gi", "nao", "khong" end a question typed without marks; required as
    # words they would change what is found ("khong" alone is in every sample).
    for question, plain in (("hoc phi mam non khong", "hoc phi mam non"),
                            ("cai cach hanh chinh nao", "cai cach hanh chinh"),
                            ("day hoc truc tuyen la gi", "day hoc truc tuyen")):
        assert ids(run(snapshot, q=question)) == ids(run(snapshot, q=plain)), question


def test_a_question_with_marks_finds_what_its_words_find(snapshot):
    # underthesea reads "số là" in "chuyển đổi số là gì" as one word; a
    # "compound" with a function word in it must not be required side by side.
    assert ids(run(snapshot, q="chuyển đổi số là gì?")) == [DIRECTIVE_HAI_PHONG]


def test_an_expansion_is_read_only_at_word_boundaries(snapshot):
    # "cơ sở giáo dục" is "cơ sở" + "giáo dục", not "cơ" + "sở giáo dục" (SGD):
    # the Dầu Tiếng plan has both words apart and no "Sở Giáo dục" and is found.
    assert PLAN_DAU_TIENG in ids(run(snapshot, q="cơ sở giáo dục"))
