#!/usr/bin/env bash
# Installs the Debian converters the format tests drive when any is missing:
# pdftoppm (poppler-utils) renders scanned PDF pages, tesseract with its
# Vietnamese model reads them (tests/test_formats.py), antiword reads Word 97
# .doc files. `make test` runs this beside ensure-browser.sh; `make run` needs
# none of them (the build reports the formats they would read as disabled).
set -euo pipefail
packages=()
command -v pdftoppm >/dev/null || packages+=(poppler-utils)
command -v tesseract >/dev/null || packages+=(tesseract-ocr)
if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
    packages+=(tesseract-ocr-vie)
fi
command -v antiword >/dev/null || packages+=(antiword)
if [ ${#packages[@]} -eq 0 ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        sudo="sudo"
    else
        echo "warning: ${packages[*]} missing and no root: install these Debian packages," \
             "or the OCR and .doc tests fail" >&2
        exit 0
    fi
fi
echo "Installing Debian's ${packages[*]} for the format tests…" >&2
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
