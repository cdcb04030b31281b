#!/bin/sh
# Install the Debian packages listed in scripts/deps.txt that are not installed yet.
# Safe to run again: it does nothing when everything is present.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
missing=""
for pkg in $(grep -v '^#' "$here/deps.txt" | grep -v '^[[:space:]]*$'); do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $pkg"
    fi
done
if [ -n "$missing" ]; then
    echo "installing:$missing" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# The browser test's playwright-core (tests/browser/package-lock.json pins it), once; it
# needs npm (Node.js 20 or later, not from deps.txt: Debian 12's is 18). Without npm the
# browser test says what is missing (it skips, or fails under CI=true).
browser="$here/../tests/browser"
if [ ! -f "$browser/node_modules/playwright-core/package.json" ]; then
    if command -v npm >/dev/null 2>&1; then
        echo "installing: playwright-core (npm ci in tests/browser)" >&2
        (cd "$browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    else
        echo "npm not found: the browser test (tests/browser) will not run" >&2
    fi
fi
