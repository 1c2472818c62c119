"""Shared fixtures: the sample corpus and its ids, an index built from it once per
session, searching an index, the app and its client, a runner for the CLIs, the
benchmark scripts as modules."""

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: The ids the five samples in corpus/samples/ get (stable: README "Ids that never change").
SAMPLE_IDS = SimpleNamespace(
    cu_chi="ke-hoach-2662f66ee2",  # Kế hoạch of UBND huyện Củ Chi, Nghị quyết 118/NQ-HĐND, COVID-19
    dang_uy="34-hd-du",  # Hướng dẫn 34-HD/ĐU, dân vận & COVID-19
    minh_long="655-kh-pgddt-2021",  # Kế hoạch 655/KH-PGDĐT, thi đua, Chỉ thị 19/CT-TTg
    hai_phong="chi-thi-dc177e01b7",  # Chỉ thị, nhiệm vụ năm học 2021-2022
    dau_tieng="ke-hoach-1760b0085c",  # Kế hoạch công tác Dân vận năm 2024 (Dầu Tiếng)
)


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The five real directives shipped in corpus/samples/."""
    return ROOT / "corpus" / "samples"


@pytest.fixture(scope="session")
def index_dir(sample_dir, tmp_path_factory) -> Path:
    """An index of the samples, built once; tests must not change it."""
    from indexer import build_index

    path = tmp_path_factory.mktemp("index") / "index"
    report = build_index(sample_dir, path)
    assert not report.failures, report.failures
    return path


@pytest.fixture()
def writable_index(index_dir, tmp_path) -> Path:
    """A copy of the samples' index that a test may change, at tmp_path/var/index
    (so uploads land in tmp_path/var/uploads and the audit log in tmp_path/var)."""
    import shutil

    copy = tmp_path / "var" / "index"
    shutil.copytree(index_dir, copy)
    return copy


@pytest.fixture(scope="session")
def sample_ids() -> SimpleNamespace:
    """The samples' directive ids by a name staff would use (sample_ids.minh_long)."""
    return SAMPLE_IDS


@pytest.fixture(scope="session")
def search_index():
    """search_index(index_dir, q=…, doc_type=…, …) -> SearchResult: one search of the index
    at index_dir, opened and closed around it through the engine's own surface."""
    from searcher import SearchRequest, open_index

    def search(index_dir, **params):
        with open_index(index_dir) as index:
            return index.search(SearchRequest.from_params(params))
    return search


@pytest.fixture(scope="session")
def handle(index_dir):
    from searcher.handle import IndexHandle

    h = IndexHandle(index_dir)
    yield h
    h.close()


@pytest.fixture(scope="session")
def snapshot(handle):
    return handle.snapshot()


@pytest.fixture()
def app_for():
    """app_for(index_dir, **config) -> a test app serving that index (its files
    closed when the test ends): for tests with an index of their own."""
    from search_app import create_app

    made = []

    def make(index_dir, **config):
        made.append(create_app({"TESTING": True, "INDEX_DIR": str(index_dir), **config}))
        return made[-1]
    yield make
    for application in made:
        application.extensions["index_handle"].close()


@pytest.fixture()
def app(index_dir, app_for):
    """The app serving the samples' index."""
    return app_for(index_dir, CORS_ORIGINS=["https://intranet.example.vn"])


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def bench_module():
    """bench_module("gen_corpus") -> bench/gen_corpus.py as a module. bench/ is a
    folder of scripts, not a package, so each is loaded from its file (once)."""
    loaded = {}

    def load(name: str):
        if name not in loaded:
            spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
            spec.loader.exec_module(module)
            loaded[name] = module
        return loaded[name]
    return load


@pytest.fixture()
def runner():
    """runner("indexer", "build", corpus, "--index", index) runs ``python -m indexer …`` as
    a user would (the package's own entry point, a process of its own) and returns the
    finished process, its output as text."""
    def run(module: str, *args, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout, **kwargs)
    return run


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Fixtures cannot see whether the test failed; browser tests read
    # item.rep_call in teardown to save a screenshot of the failing page.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
