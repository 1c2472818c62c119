#!/usr/bin/env bash
# Installs Debian's chromium and chromedriver when missing: tests/test_browser.py
# drives them. `make test` runs this, so the README's test command works on a
# fresh machine; it does nothing when both are already there.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    exit 0
fi
bash "$(dirname "$0")/apt-install.sh" "the browser tests" chromium chromium-driver
