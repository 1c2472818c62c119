"""The production server (``python -m search_app``, waitress) on a free loopback port, for real-HTTP tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(index_dir, log_path, *, threads: int = 8, env: dict | None = None):
    """Yield (base URL, process) of a server on ``index_dir``; stop it afterwards.

    Its output goes to ``log_path``; the error raised when it does not come up
    within a minute carries the end of that log.
    """
    port = free_port()
    environ = {**os.environ, **(env or {})}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "search_app", "--index", str(index_dir), "--port", str(port),
             "--threads", str(threads)],
            env=environ, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, proc, log_path)
            yield base, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_up(base: str, proc: subprocess.Popen, log_path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(base + "/api/v1/search?q=x", timeout=10):
                return
        except OSError:
            time.sleep(0.2)
    proc.kill()
    tail = Path(log_path).read_text(errors="replace")[-2000:]
    raise RuntimeError(f"server on {base} did not start:\n{tail}")
