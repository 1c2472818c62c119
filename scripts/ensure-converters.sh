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
APT_NO_RECOMMENDS=1 bash "$(dirname "$0")/apt-install.sh" "the OCR and .doc tests" "${packages[@]}"
