"""A build killed with SIGKILL half-way leaves the previous index serving, and the next build
completes without manual clean-up (real processes, real signals)."""

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import indexer
from indexer import layout

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def test_sigkill_mid_build_keeps_old_index_and_next_build_recovers(sample_dir, tmp_path, search_index,
                                                                   bench_module):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_dir, corpus)
    index = tmp_path / "index"
    indexer.build_index(corpus, index)
    served = indexer.current_generation(index)
    assert search_index(index, q="phong chong dich").total > 0

    # Enough work for the build to be killed inside it.
    bench_module("gen_corpus").generate(corpus / "generated", 150, seed=7)
    proc = subprocess.Popen([sys.executable, "-m", "indexer", "build", str(corpus), "--index", str(index),
                             "--full"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(index.glob("gen-*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)  # well into analysing and writing
    assert proc.poll() is None, "the build finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    # The old generation is still the one served, and it answers.
    assert indexer.current_generation(index) == served
    with layout.writer_lock(index):  # the kernel released the dead writer's lock
        pass
    assert search_index(index, q="phong chong dich").total > 0

    report = indexer.build_index(corpus, index)
    assert report.total == 155 and not report.failures
    assert indexer.current_generation(index) != served
    assert not list(index.glob("gen-*.tmp"))
    assert search_index(index, q='"Dầu Tiếng"').total >= 1


def _commit_started(index: Path, part: str) -> bool:
    # Before its commit a Whoosh writer has written nothing but its lock and the
    # empty table of contents; segment files appear only once it commits.
    for tmp in index.glob("gen-*.tmp"):
        written = [p.name for p in (tmp / part).glob("*") if p.name not in ("MAIN_WRITELOCK", "_MAIN_0.toc")]
        if written:
            return True
    return False


# The build, killed by its own SIGKILL half-way through writing the postings of
# its commit: polling for the commit from outside raced with a commit that now
# takes a fraction of a second, and lost on a busy machine.
_KILLED_MID_COMMIT = """
import os, signal, sys
from whoosh.codec import base
add_postings = base.FieldWriter.add_postings
def dying(self, schema, lengths, items):
    def until_half_written():
        for n, item in enumerate(items):
            if n == 2000:
                os.kill(os.getpid(), signal.SIGKILL)
            yield item
    return add_postings(self, schema, lengths, until_half_written())
base.FieldWriter.add_postings = dying
from indexer.__main__ import cli
sys.argv = ["indexer", "build", sys.argv[1], "--index", sys.argv[2], "--full"]
cli()
"""


def test_sigkill_mid_commit_keeps_old_index_and_next_build_recovers(sample_dir, tmp_path, search_index,
                                                                    bench_module):
    part = layout.WHOOSH
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_dir, corpus)
    index = tmp_path / "index"
    indexer.build_index(corpus, index)
    served = indexer.current_generation(index)
    bench_module("gen_corpus").generate(corpus / "generated", 150, seed=7)

    killed = subprocess.run([sys.executable, "-c", _KILLED_MID_COMMIT, str(corpus), str(index)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    assert killed.returncode == -signal.SIGKILL
    assert _commit_started(index, part)  # killed with the commit under way, not before it

    assert indexer.current_generation(index) == served
    assert search_index(index, q="phong chong dich").total > 0
    report = indexer.build_index(corpus, index)
    assert report.total == 155 and not report.failures
    assert not list(index.glob("gen-*.tmp"))
    assert search_index(index, q='"Dầu Tiếng"').total >= 1
