#!/usr/bin/env bash
# Installs Debian packages the tests need: apt-install.sh "what they are for" PACKAGE...
# (APT_NO_RECOMMENDS=1 leaves out the packages' recommendations.)
# The ensure-*.sh scripts decide which are missing and call this; without root
# and without sudo it warns and leaves the tests that need them to fail.
set -euo pipefail
purpose="$1"
shift
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        sudo="sudo"
    else
        echo "warning: $* missing and no root: install these Debian packages, or $purpose fail" >&2
        exit 0
    fi
fi
echo "Installing Debian's $* for $purpose…" >&2
$sudo apt-get update -qq
options=()
[ "${APT_NO_RECOMMENDS:-}" = 1 ] && options+=(--no-install-recommends)
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${options[@]}" "$@" >/dev/null
