#!/usr/bin/env bash
# Make sure the Debian packages the tests drive are installed:
#   /usr/bin/chromium        (chromium)        - the Playwright browser tests; never a downloaded
#                                                 browser, never `playwright install`
#   /usr/bin/docker-compose  (docker-compose)  - validates docker-compose.yml (`config -q`); no
#                                                 Docker engine is needed for that
# Installs only what is missing, with apt. Fast when everything is there.
set -euo pipefail

declare -A WANTED=([/usr/bin/chromium]=chromium [/usr/bin/docker-compose]=docker-compose)
missing=()
for bin in "${!WANTED[@]}"; do
    if [ -x "$bin" ]; then
        echo "ensure-tools: $bin present"
    else
        missing+=("${WANTED[$bin]}")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
for bin in "${!WANTED[@]}"; do
    [ -x "$bin" ] || { echo "ensure-tools: ERROR: $bin still missing after apt-get" >&2; exit 1; }
done
echo "ensure-tools: done"
