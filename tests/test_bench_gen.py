"""The scale-corpus generator (bench/gen_corpus.py): same seed, same bytes; the samples' structure."""

import re

import pytest

TYPE_LINES = ("KẾ HOẠCH", "HƯỚNG DẪN", "CHỈ THỊ", "CÔNG VĂN", "THÔNG BÁO", "QUYẾT ĐỊNH", "BÁO CÁO", "CHƯƠNG TRÌNH")


@pytest.fixture(scope="module")
def gen(bench_module):
    return bench_module("gen_corpus")


def corpus_bytes(gen, out_dir, seed, alqac=False):
    paths = gen.generate(out_dir, 30, seed, alqac=alqac)
    return {p.relative_to(out_dir).as_posix(): p.read_bytes() for p in paths}


def test_same_seed_same_bytes_other_seed_differs(gen, tmp_path):
    first = corpus_bytes(gen, tmp_path / "a", 7)
    assert first == corpus_bytes(gen, tmp_path / "b", 7)
    other = corpus_bytes(gen, tmp_path / "c", 8)
    assert sorted(other) == sorted(first)
    assert other != first


def test_file_layout(gen, tmp_path):
    files = corpus_bytes(gen, tmp_path, 1)
    assert sorted(files) == [f"000/gen_{i:06d}.txt" for i in range(30)]


def test_structure_of_each_directive(gen, tmp_path):
    numbers = []
    for name, data in corpus_bytes(gen, tmp_path, 3).items():
        text = data.decode("utf-8")
        lines = text.split("\n")
        type_line = next(line for line in lines if line in TYPE_LINES)
        assert "Nơi nhận:" in lines, name
        assert re.search(r"^(?:Căn cứ|Thực hiện) ", text, re.M), name
        if type_line == "QUYẾT ĐỊNH":
            assert "Điều 1. " in text and "Điều 3. " in text, name
        elif type_line not in ("CÔNG VĂN", "THÔNG BÁO"):
            romans = re.findall(r"^([IV]+)\. [A-ZĐÀ-Ỹ]", text, re.M)
            assert romans[:3] == ["I", "II", "III"], name
        numbers += re.findall(r"^Số:? (\S+)$", text, re.M)
        assert lines[-2].strip(), "the signer's name closes the document"
    assert numbers and len(numbers) == len(set(numbers)), "document numbers are unique"


def test_some_directives_cite_earlier_generated_ones(gen):
    g = gen.Generator(5, gen.sample_pools(), [], 60)
    texts = [g.directive(i) for i in range(60)]
    numbers = [number for _, number, _, _, _ in g.issued]
    assert len(set(numbers)) == 60
    citing = [i for i, text in enumerate(texts)
              if any(f"số {n} ngày" in text for n in numbers[:i])]
    assert len(citing) >= 5
