"""The external programs the format readers call (pdftoppm, tesseract, antiword,
soffice): one way to run them, and one way to report that one is missing, too
slow or failed, as a ReadError with the install command.

    done = run_tool(["antiword", "-x", "db", path], "antiword", purpose="để đọc tệp .doc",
                    install=INSTALL, timeout=60)
"""

from __future__ import annotations

import subprocess

from corpus.errors import ReadError


def run_tool(args: list[str], name: str, *, purpose: str, install: str, timeout: float,
             timeout_note: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``args``; ReadError("converter-missing") when ``name`` is not installed,
    ReadError("converter-failed") when it runs over ``timeout`` seconds or fails."""
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, env=env)
    except FileNotFoundError:
        raise ReadError(f"chưa cài {name} {purpose}; cài bằng: {install}", "converter-missing") from None
    except subprocess.TimeoutExpired:
        raise ReadError(f"{name} chạy quá {timeout} giây{timeout_note}", "converter-failed") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise ReadError(f"{name} không đọc được tệp (mã {done.returncode}: {message[0]})", "converter-failed")
    return done
