"""Vietnamese analysis: normalisation, folding, syllables, words, numbers, abbreviations."""

import pickle
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analyzers
from analyzers import segmentation as segment_module
from analyzers import tokenizers as tokenizers_module

ALL = [analyzers.SyllableAnalyzer, analyzers.FoldedAnalyzer, analyzers.WordAnalyzer, analyzers.NumberAnalyzer]


def texts(analyzer, value):
    return [t.text for t in analyzer(value)]


def nfd(text):
    return unicodedata.normalize("NFD", text)


# Normaliser

@pytest.mark.parametrize("old, new", [
    ("hoà nhập", "hòa nhập"), ("thuỷ lợi", "thủy lợi"), ("Uỷ ban", "Ủy ban"), ("HOÀ BÌNH", "HÒA BÌNH"),
    ("khoẻ mạnh", "khỏe mạnh"), ("xã hội hoá", "xã hội hóa"), ("tuỳ", "tùy"),
])
def test_old_tone_placement_becomes_new(old, new):
    assert analyzers.normalize(old) == new
    assert analyzers.normalize(new) == new


@pytest.mark.parametrize("word", ["hoàn thành", "toán học", "thuyền", "khuya", "quý", "quỹ", "hoạch", "uyển"])
def test_tone_rule_leaves_correct_spellings_alone(word):
    assert analyzers.normalize(word) == word


def test_normalize_nfc_invisible_characters_and_whitespace():
    messy = "\ufeffKế\u200b  hoạch\u00ad\tsố\u2060 655\n\n" + nfd("Đào tạo")
    assert analyzers.normalize(messy) == "Kế hoạch số 655 Đào tạo"
    assert analyzers.normalize("Dòng một\n  dòng hai\n\n\n đoạn hai", keep_newlines=True) == \
        "Dòng một\ndòng hai\n\nđoạn hai"


def test_fold_and_has_diacritics():
    assert analyzers.fold("Kế hoạch") == "ke hoach"
    assert analyzers.fold("Đào tạo") == "dao tao"
    assert analyzers.fold(nfd("Dân vận")) == "dan van"
    assert analyzers.has_diacritics("đào") and not analyzers.has_diacritics("Dao")


# Identical tokens for every spelling of the same words

@pytest.mark.parametrize("analyzer", ALL)
@pytest.mark.parametrize("a, b", [
    ("hoà nhập, thuỷ lợi, Uỷ ban 19/CT-TTg", "hòa nhập, thủy lợi, Ủy ban 19/CT-TTg"),
    ("Phòng Giáo dục và Đào tạo 655/KH-PGDĐT", nfd("Phòng Giáo dục và Đào tạo 655/KH-PGDĐT")),
    ("KẾ HOẠCH PHÒNG, CHỐNG DỊCH", "kế hoạch phòng, chống dịch"),
])
def test_same_words_same_tokens(analyzer, a, b):
    ana = analyzer()
    assert texts(ana, a) == texts(ana, b)


def test_all_caps_heading_segments_like_running_text():
    ana = analyzers.WordAnalyzer()
    assert texts(ana, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO") == texts(ana, "Phòng Giáo dục và Đào tạo")
    assert "giáo_dục" in texts(ana, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")


def test_words_do_not_glue_across_paragraphs():
    words = texts(analyzers.WordAnalyzer(), "phòng chống dịch COVID-19\n\nhòa nhập cộng đồng")
    assert not any("19_hòa" in w or "covid_19_hòa" in w for w in words)
    assert "cộng_đồng" in words


# Folding and exactness

@pytest.mark.parametrize("plain, accented", [("ke hoach", "Kế hoạch"), ("dan van", "Dân vận"), ("dao tao", "Đào tạo")])
def test_folded_analyzer_matches_text_without_diacritics(plain, accented):
    ana = analyzers.FoldedAnalyzer()
    assert texts(ana, plain) == texts(ana, accented)


def test_exact_analyzer_keeps_ma_and_its_accented_cousins_apart():
    exact, folded = analyzers.SyllableAnalyzer(), analyzers.FoldedAnalyzer()
    assert len(set(texts(exact, "ma mã má mà"))) == 4
    assert set(texts(folded, "ma mã má mà")) == {"ma"}


# Positions and offsets

def test_positions_keep_word_order_and_stop_words():
    ana = analyzers.SyllableAnalyzer()
    first = [(t.text, t.pos) for t in ana("học sinh", positions=True)]
    second = [(t.text, t.pos) for t in ana("sinh học", positions=True)]
    assert first == [("học", 0), ("sinh", 1)] and second == [("sinh", 0), ("học", 1)]
    assert [t.pos for t in ana("kế hoạch của ủy ban", positions=True)] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("original", [
    nfd("Kế hoạch phòng, chống dịch của Ủy ban nhân dân"),
    "Kế\u200b hoạch  hoà nhập của Uỷ ban nhân dân",
    "\ufeffThuỷ lợi và hoà nhập cộng đồng theo 19/CT-TTg",
])
@pytest.mark.parametrize("analyzer", ALL)
def test_offsets_point_into_the_original_text(original, analyzer):
    for token in analyzer()(original, chars=True):
        seen = original[token.startchar:token.endchar]
        assert analyzers.normalize(seen).replace(" ", "").lower() != ""
        if analyzer in (analyzers.SyllableAnalyzer,):
            assert analyzers.normalize(seen).lower() == token.text


def test_highlight_offsets_for_nfd_words():
    original = nfd("Tổ chức hoà nhập")
    spans = {t.text: original[t.startchar:t.endchar] for t in analyzers.SyllableAnalyzer()(original, chars=True)}
    assert spans["hòa"] == nfd("hoà")
    assert spans["tổ"] == nfd("Tổ")


# Document numbers

@pytest.mark.parametrize("text, canonical", [
    ("19/CT-TTg", "19/ct-ttg"), ("19/ct-ttg", "19/ct-ttg"), ("19 / CT-TTg", "19/ct-ttg"), ("CT-TTg 19", "19/ct-ttg"),
    ("655/KH-PGDĐT", "655/kh-pgddt"), ("34-HD/ĐU", "34-hd/du"), ("Số 34 -HD/ĐU", "34-hd/du"),
    ("51/2020/TT-BGDĐT", "51/2020/tt-bgddt"), ("51/2020/TT-BGDDT", "51/2020/tt-bgddt"),
    ("29 NQ/TW", "29-nq/tw"), ("14/CT- UBND", "14/ct-ubnd"),
])
def test_canonical_numbers(text, canonical):
    assert analyzers.canonical_number(text) == canonical


def test_numbers_in_text_with_year_variant():
    text = "theo Thông tư số 51/2020/TT-BGDĐT ngày 31/12/2020 và Chỉ thị số 19/CT-TTg"
    assert texts(analyzers.NumberAnalyzer(), text) == ["51/2020/tt-bgddt", "51/tt-bgddt", "19/ct-ttg"]


@pytest.mark.parametrize("text", ["ngày 16/7/2021", "giai đoạn 2021-2025", "dịch COVID-19", "học 2 buổi/ngày",
                                  "Điều 5 - QUY ĐỊNH CHUNG", "Kế hoạch 5 năm"])
def test_not_numbers(text):
    assert analyzers.find_numbers(text) == []


# Abbreviations and stop words

@pytest.mark.parametrize("short, long", [
    ("UBND", "ủy ban nhân dân"), ("HĐND", "hội đồng nhân dân"), ("GD&ĐT", "giáo dục và đào tạo"),
    ("gd&dt", "giáo dục và đào tạo"), ("GDĐT", "giáo dục và đào tạo"), ("THCS", "trung học cơ sở"),
    ("THPT", "trung học phổ thông"), ("MN", "mầm non"), ("MTTQ", "mặt trận tổ quốc"),
])
def test_abbreviations_both_directions(short, long):
    token = texts(analyzers.SyllableAnalyzer(), short)
    assert len(token) == 1
    assert long in analyzers.expand_abbreviation(token[0])
    syllables = texts(analyzers.SyllableAnalyzer(), f"các trường {long} huyện")
    found = analyzers.abbreviations_for(syllables)
    assert any(syllables[s:e] == long.split() for s, e, _ in found)


def test_two_letters_without_diacritics_are_not_expanded():
    assert analyzers.expand_abbreviation("du") == ()
    assert analyzers.expand_abbreviation("ĐU") == ("đảng ủy",)


def test_stop_words():
    for word in ("của", "và", "các", "được", "là"):
        assert analyzers.is_stopword(word)
    for word in ("thi", "không", "số", "năm", "trọng"):
        assert not analyzers.is_stopword(word)
    assert analyzers.is_stopword("cua")


# Pickling (the schema is pickled into the index) and caching

@pytest.mark.parametrize("analyzer", ALL)
def test_analyzers_pickle(analyzer):
    ana = analyzer()
    text = "Kế hoạch số 655/KH-PGDĐT về hoà nhập"
    assert texts(pickle.loads(pickle.dumps(ana)), text) == texts(ana, text)


def test_segment_cache_in_memory_and_on_disk(tmp_path, monkeypatch):
    calls = []
    real = segment_module._underthesea

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(segment_module, "_underthesea", counting)
    segment_module.clear_memory_cache()
    paragraph = "ủy ban nhân dân tỉnh ban hành kế hoạch kiểm tra"
    analyzers.set_segment_cache(tmp_path / "segments.sqlite")
    try:
        first = analyzers.segment(paragraph)
        assert analyzers.segment(paragraph) == first
        assert len(calls) == 1
        analyzers.flush_segment_cache()
        segment_module.clear_memory_cache()
        analyzers.set_segment_cache(None)
        analyzers.set_segment_cache(tmp_path / "segments.sqlite")
        assert analyzers.segment(paragraph) == first
        assert len(calls) == 1
    finally:
        analyzers.set_segment_cache(None)
        segment_module.clear_memory_cache()


def test_long_paragraph_is_segmented_in_chunks():
    sentence = "Phòng Giáo dục và Đào tạo xây dựng kế hoạch thực hiện. "
    words = analyzers.segment((sentence * 800).strip())
    assert words.count("Phòng") + words.count("phòng") == 800


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_analyzers_never_fail_and_offsets_stay_inside(text):
    for analyzer in (analyzers.SyllableAnalyzer(), analyzers.FoldedAnalyzer(), analyzers.NumberAnalyzer()):
        for token in analyzer(text, positions=True, chars=True):
            assert 0 <= token.startchar < token.endchar <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.sampled_from([
    "Kế hoạch số 19/CT-TTg", "KẾ HOẠCH PHÒNG, CHỐNG DỊCH", "thuỷ lợi, hoà bình", "İstanbul ǅemal",
    unicodedata.normalize("NFD", "Phòng Giáo dục và Đào tạo huyện Minh Long"), "GD&ĐT\u200bUBND"]))
def test_syllables_are_what_the_syllable_analyzer_indexes(text):
    # syllables() is the tokenizer without Token objects; section scoring relies on them agreeing.
    assert analyzers.syllables(text) == [t.text for t in analyzers.SyllableTokenizer()(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.sampled_from([
    "Kế hoạch số 19/CT-TTg", "KẾ HOẠCH PHÒNG, CHỐNG DỊCH", "thuỷ lợi, hoà bình", "İstanbul ǅemal",
    unicodedata.normalize("NFD", "Phòng Giáo dục và Đào tạo huyện Minh Long"), "GD&ĐT\u200bUBND",
    "x\u0303 한국어 Ωμέγα", "Hệ số ΑΣ.Β", "\u0bca hoa x\u0303", "ΣΟΦΙΑΣ'Σ"]))
def test_folding_a_whole_text_folds_each_syllable(text):
    # Highlighting and section scoring lowercase and fold a text at once and
    # take its syllables by offset; they must be the analyzer's syllables,
    # lowercased and folded one by one, at the same offsets.
    normal = analyzers.normalize_with_offsets(text)[0]
    both = analyzers.lower_and_fold(normal)
    if both is not None:
        lower, folded = both
        assert len(lower) == len(folded) == len(normal)
        syllables = analyzers.syllables(text)
        assert analyzers.SYLLABLE.findall(lower) == syllables
        assert analyzers.SYLLABLE.findall(folded) == [analyzers.fold_token(s) for s in syllables]
        spans = [m.span() for m in analyzers.SYLLABLE.finditer(normal)]
        assert [folded[a:b] for a, b in spans] == [analyzers.fold_token(s) for s in syllables]


def test_whole_texts_fold_like_their_words():
    assert analyzers.fold_text(analyzers.normalize("Thuỷ lợi, hoà bình; ĐẢNG ỦY").lower()) == "thuy loi, hoa binh; dang uy"
    assert analyzers.fold_text("kế hoạch") == "ke hoach"
    assert analyzers.fold_text("x\u0303") is None  # a mark with no precomposed letter folds to nothing
    # One character folding to two and one to none keep the length, not the offsets.
    assert analyzers.fold_text("\u0bca hoa x\u0303") is None
    assert analyzers.lower_and_fold("Hệ số ΑΣ.Β") is None  # Σ's lowercase depends on its neighbours


@pytest.mark.parametrize("typed, written, matches", [
    ("dịch", "dịch", True), ("dich", "dịch", True), ("dich", "đích", True), ("dích", "dịch", False),
    ("đich", "dịch", False), ("dịch", "dich", False), ("covid", "covid", True),
])
def test_a_typed_syllable_matches_as_its_marks_say(typed, written, matches):
    assert analyzers.typed_matches(typed, written) is matches


@pytest.mark.parametrize("group", analyzers.SYNONYMS + analyzers.RELATED)
def test_every_way_of_writing_offers_the_others(group):
    forms = [tuple(form.split()) for form in group]
    for form in forms:
        found = analyzers.alternatives_for(list(form))
        assert [(v.start, v.end) for v in found] == [(0, len(form))], form
        assert {f for f, _ in found[0].forms} == set(forms) - {form}
        # Typed without its marks, the others are offered without theirs.
        plain = [analyzers.fold_token(s) for s in form]
        if tuple(plain) == form:
            continue
        offered = analyzers.alternatives_for(plain)[0]
        assert {f for f, _ in offered.forms} == {tuple(map(analyzers.fold_token, f)) for f in forms} - {tuple(plain)}


@pytest.mark.parametrize("typed", ["Covid-19", "COVID 19", "covid19", "TP.HCM", "TP HCM", "TPHCM", "vắc xin",
                                   "vắcxin", "vaccine", "online", "trực tuyến", "Thành phố Hồ Chí Minh"])
def test_variants_are_found_as_users_write_them(typed):
    syllables = analyzers.syllables(typed)
    assert [(v.start, v.end) for v in analyzers.alternatives_for(syllables)] == [(0, len(syllables))]


def test_a_wrong_mark_is_not_a_variant():
    assert analyzers.alternatives_for(["vặc", "xin"]) == []


@pytest.mark.parametrize("canonical, variant", [
    ("34/hd-du", "34-hd/du"), ("89-kh/tu", "89/kh-tu"), ("655/kh", "655-kh"), ("19/ct-ttg", "19-ct-ttg"),
])
def test_a_number_with_its_separators_exchanged_is_offered(canonical, variant):
    variants = analyzers.separator_variants(canonical)
    assert variants[0] == canonical and variant in variants


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.sampled_from([
    "Kế hoạch số 19/CT-TTg", "KẾ HOẠCH PHÒNG, CHỐNG DỊCH", "thuỷ lợi, hoà bình", "İstanbul ǅemal",
    unicodedata.normalize("NFD", "Phòng Giáo dục và Đào tạo huyện Minh Long"), "GD&ĐT\u200bUBND",
    "x\u0303 한국어 Ωμέγα", "ΣΟΦΙΑΣ'Σ", "ﬁle Đắk Lắk"]))
def test_folded_tokens_are_the_syllables_folded_one_by_one(text):
    # The folded fields fold a whole text at once (SyllableTokenizer(fold=True));
    # they must index what folding each syllable token would, where it is.
    def tokens(analyzer, **kwargs):
        return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True, **kwargs)]
    one_by_one = analyzers.SyllableTokenizer() | analyzers.FoldFilter()
    assert tokens(analyzers.FoldedAnalyzer()) == tokens(one_by_one)
    assert tokens(analyzers.FoldedAnalyzer(), start_pos=7, start_char=3) == tokens(one_by_one, start_pos=7, start_char=3)
    assert [t.text for t in analyzers.FoldedAnalyzer()(text, tokenize=False)] == \
        [t.text for t in one_by_one(text, tokenize=False)]


def test_segmentation_inputs_are_what_the_word_analyzer_segments(monkeypatch):
    # A build's workers segment these ahead; the writer must then find every one cached.
    asked = []
    monkeypatch.setattr(tokenizers_module, "segment", lambda paragraph: asked.append(paragraph) or paragraph.split())
    text = ("KẾ HOẠCH\nPhòng, chống dịch Covid-19 tại Uỷ ban nhân dân xã\n\n  "
            + unicodedata.normalize("NFD", "Hoà Bình, ngày 02 tháng 12 năm 2021") + "\n\n\n...\n\nGD&ĐT")
    list(analyzers.WordAnalyzer()(text))
    assert analyzers.segmentation_inputs(text) == asked
    assert asked == ["kế hoạch phòng, chống dịch covid-19 tại ủy ban nhân dân xã",
                     "hòa bình, ngày 02 tháng 12 năm 2021", "gd&đt"]


# --- underthesea, the segmenter alone ----------------------------------------------------------------

_SEGMENT_SAMPLES = r'''
import json, sys
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "whole":
    from underthesea import word_tokenize
else:
    from analyzers import underthesea_words
    word_tokenize = underthesea_words.load()
from pathlib import Path
texts = ["Ủy ban nhân dân huyện Krông Pắc tăng cường phòng, chống dịch COVID-19 trong trường học",
         "Uỷ ban nhân dân các xã bảo đảm hoà bình và thuỷ lợi nội đồng",
         "phong chong dich benh trong truong hoc"]
texts += [p for p in Path(sys.argv[1], "corpus", "samples").glob("*.txt").__next__().read_text("utf-8").split("\n\n")
          if p.strip()][:40]
print(json.dumps({"words": [word_tokenize(t) for t in texts],
                  "tagger_loaded": "underthesea.pipeline.pos_tag" in sys.modules}))
'''


def test_the_segmenter_alone_segments_as_the_whole_package_does():
    # analyzers.underthesea_words loads underthesea's word_tokenize without the
    # package's POS tagger, chunker and NER (~60 MB of dictionaries per process);
    # the words must be the ones the whole package gives.
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    runs = {way: json.loads(subprocess.run([sys.executable, "-c", _SEGMENT_SAMPLES, root, way], check=True,
                                           capture_output=True, text=True, timeout=300).stdout)
            for way in ("whole", "alone")}
    assert runs["alone"]["words"] == runs["whole"]["words"]
    assert any(len(word.split()) > 1 for words in runs["alone"]["words"] for word in words)  # compound words
    assert runs["whole"]["tagger_loaded"] and not runs["alone"]["tagger_loaded"]
