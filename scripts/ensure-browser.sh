#!/usr/bin/env bash
# Installs Debian's chromium and chromedriver when missing: tests/test_browser.py
# drives them. `make test` runs this, so the README's test command works on a
# fresh machine; it does nothing when both are already there.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        sudo="sudo"
    else
        echo "warning: chromium/chromedriver missing and no root: install the Debian packages" \
             "chromium and chromium-driver, or the browser tests fail" >&2
        exit 0
    fi
fi
echo "Installing Debian's chromium and chromium-driver for the browser tests…" >&2
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
