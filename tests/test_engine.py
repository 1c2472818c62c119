"""The engine as a program uses it: searcher.open_index() -> Index, without Flask.

The README's "Use the engine from Python" snippet is run as written, in a
process where Flask, Werkzeug and Jinja cannot be imported.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

import indexer
import searcher

ROOT = Path(__file__).resolve().parent.parent

#: Put first on sys.meta_path by the child process: importing a web package fails there.
NO_WEB = """
import sys
class NoWeb:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("flask", "werkzeug", "jinja2"):
            raise ImportError(f"{name} must not be imported by the engine")
sys.meta_path.insert(0, NoWeb())
"""


def _readme_snippet() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use the engine from Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def _run_without_web(code: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", NO_WEB + code], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_the_blocker_really_blocks_flask(tmp_path):
    found = _run_without_web("import flask", tmp_path)
    assert found.returncode != 0 and "must not be imported by the engine" in found.stderr


def test_the_readme_snippet_searches_the_samples_without_flask(index_dir, tmp_path, sample_ids):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "index").symlink_to(index_dir, target_is_directory=True)
    found = _run_without_web(_readme_snippet() + "\nimport sys\nprint(sorted(m for m in sys.modules if m == 'flask'))\n",
                             tmp_path)
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    # The snippet searches "chi thi 19/CT-TTg" without marks: the plan citing it comes first.
    assert lines[0].split()[0] == sample_ids.minh_long
    assert "655/KH-PGDĐT" in found.stdout and lines[-1] == "[]"


def test_index_search_document_stats(index_dir, sample_ids):
    with searcher.open_index(index_dir) as index:
        result = index.search(searcher.SearchRequest.from_params({"q": "Dầu Tiềng"}))  # a mark typed wrong
        assert result.relaxed == "diacritics" and result.hits[0].id == sample_ids.dau_tieng
        plain = index.search("phòng chống dịch")  # a str is what the search box sends
        assert {sample_ids.cu_chi, sample_ids.dang_uy} <= {hit.id for hit in plain.hits}
        assert plain.hits[0].sections and "<mark>" in plain.hits[0].sections[0].snippet
        assert sum(v.count for v in plain.facets["doc_type"]) == plain.total
        directive = index.document(sample_ids.minh_long)
        assert directive.number == "655/KH-PGDĐT" and directive.signer.name
        assert plain.hits[0].sections[0].id in {s.id for s in index.document(plain.hits[0].id).walk_sections()}
        assert index.document("khong-co-van-ban-nay") is None
        stats = index.stats()
        assert stats.directives == 5 and stats.sections > 30 and stats.generation.startswith("gen-")
        with pytest.raises(searcher.InvalidParameter):
            index.search(searcher.SearchRequest.from_params({"doc_type": "cong_van_mat"}))
        with pytest.raises(searcher.PageOutOfRange):
            index.search(searcher.SearchRequest.from_params({"q": "dân vận", "page": "9"}))


def test_opening_a_missing_index_names_the_fix(tmp_path):
    with pytest.raises(indexer.IndexProblem, match="python -m indexer build"):
        searcher.open_index(tmp_path / "chua-co")
