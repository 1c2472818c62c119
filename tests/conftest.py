"""Shared fixtures: the sample corpus, an index built from it once per session, the app."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
def handle(index_dir):
    from searcher.handle import IndexHandle

    h = IndexHandle(index_dir)
    yield h
    h.close()


@pytest.fixture(scope="session")
def snapshot(handle):
    return handle.snapshot()


@pytest.fixture()
def app(index_dir):
    from search_app import create_app

    application = create_app({"TESTING": True, "INDEX_DIR": str(index_dir),
                               "CORS_ORIGINS": ["https://intranet.example.vn"]})
    yield application
    application.extensions["index_handle"].close()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Fixtures cannot see whether the test failed; browser tests read
    # item.rep_call in teardown to save a screenshot of the failing page.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
