#!/usr/bin/env bash
# Make sure the Debian packages the portal and its tests need are installed (apt; only what is missing):
#   WeasyPrint's runtime: Pango (libpango-1.0-0, libpangoft2-1.0-0) and the DejaVu fonts
#   /usr/bin/chromium        (chromium)        - the Playwright browser tests; never a downloaded
#                                                 browser, never `playwright install`
#   /usr/bin/docker-compose  (docker-compose)  - validates docker-compose.yml (`config -q`); no
#                                                 Docker engine is needed for that
# `ensure-tools.sh --runtime` checks only what the portal itself needs (used by `make run`).
set -euo pipefail

runtime_only=0
[ "${1:-}" = "--runtime" ] && runtime_only=1

missing=()
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -q 'DejaVu Serif' || missing+=(fonts-dejavu-core)
if [ $runtime_only -eq 0 ]; then
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    [ -x /usr/bin/docker-compose ] || missing+=(docker-compose)
fi
if [ ${#missing[@]} -eq 0 ]; then
    echo "ensure-tools: everything present"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-tools: ERROR: missing ${missing[*]} and apt-get is not available; install them with your package manager." >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "ensure-tools: ERROR: run as root to apt-get install ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
fi
echo "ensure-tools: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
if [ $runtime_only -eq 0 ]; then
    for bin in /usr/bin/chromium /usr/bin/docker-compose; do
        [ -x "$bin" ] || { echo "ensure-tools: ERROR: $bin still missing after apt-get" >&2; exit 1; }
    done
fi
echo "ensure-tools: done"
