#!/bin/sh
# run.sh — ctest's browser/test_browser: the web page end to end in Debian's headless
# Chromium (browser_test.mjs, playwright-core from npm, installed by
# scripts/install-deps.sh: `npm ci` here; nothing is downloaded while the test runs).
# Builds a store from examples/ plus planted articles (a title that is markup, a
# 300-character title holding a 200-character word, 13 copies of the first), starts `storyline serve` on a free
# loopback port, and runs the checks; screenshots go to the scratch directory
# (build-*/tests/scratch/test_browser/*.png).
# Without node, chromium or playwright-core it skips (exit 77), but with CI=true it fails:
# CI has them all.
. "$SRCDIR/tests/cli/lib.sh"
here="$SRCDIR/tests/browser"
chromium="${CHROMIUM:-/usr/bin/chromium}"

# The page's script never parses data as HTML: no innerHTML and kin anywhere in it (this
# holds without a browser too, so it comes before the skips).
if grep -nE 'innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function' \
    "$SRCDIR/src/serve/web/app.js" >html_sinks.txt; then
    fail "src/serve/web/app.js uses an HTML sink:"
    sed 's/^/    /' html_sinks.txt >&2
    exit 1
fi
# index.html loads its script and style from /static/ (the CSP forbids inline ones)
for f in /static/app.js /static/style.css; do
    check_contains "index.html references $f" "\"$f\"" "$SRCDIR/src/serve/web/index.html"
done
check "index.html has no inline script or style" "" \
    "$(grep -nE '<script>|<script [^>]*>[^<]|<style|[[:space:]]style=|[[:space:]]on[a-z]+=' "$SRCDIR/src/serve/web/index.html" || true)"

missing() {
    if [ "${CI:-}" = "true" ]; then
        echo "FAIL: $1 (CI has it: scripts/install-deps.sh installs it)" >&2
        exit 1
    fi
    skip "$1"
}
command -v node >/dev/null 2>&1 || missing "node is not installed (Node.js 20 or later)"
[ -x "$chromium" ] || missing "chromium is not installed ($chromium; Debian package chromium)"
[ -f "$here/node_modules/playwright-core/package.json" ] ||
    missing "playwright-core is not installed in tests/browser (scripts/install-deps.sh runs npm ci there)"

# the corpus: examples/ and the planted articles (this test's own, not in examples/)
mkdir corpus
cp -R "$SRCDIR/examples/text" "$SRCDIR/examples/jsonl" corpus/
/usr/bin/python3 - <<'PY'
import json
body = ("The town council of Wexmoor voted on Tuesday to close the old Saltmarsh swing bridge to all "
        "traffic after engineers found deep cracks in two of its iron piers. Council leader Ivo Brandt "
        "said the bridge would stay shut for at least six months while repairs are planned. \"We cannot "
        "take any risk with people's lives,\" Brandt said. Drivers face a detour of eleven kilometres "
        "through Hollin, and the ferry across the Saltmarsh estuary will run every twenty minutes instead "
        "of every hour. Shopkeepers on Quayside Street said they feared losing trade during the closure.")
evil = ("<img src=x onerror=window.slPwned=1> Wexmoor shuts Saltmarsh bridge "
        "<script>window.slPwned=2</script>")
word = "W" + "x" * 199
long_title = ("Saltmarsh " + word + " " + "very long headline about the bridge closure " * 7)[:300]
recs = [
    {"id": "https://evil.example/wexmoor-bridge", "source": "evil.example", "date": "2024-12-02",
     "title": evil, "text": body},
    {"id": "https://other.example/news/wexmoor-bridge-closed", "source": "other.example",
     "date": "2024-12-03", "title": long_title, "text": body.replace("Tuesday", "Tuesday evening")},
]
# thirteen more outlets print the same wire copy: a quote printed by 15 articles, more
# than the page draws before its "Show all" button
for i in range(1, 14):
    recs.append({"id": "https://copy%d.example/wexmoor-bridge" % i, "source": "copy%d.example" % i,
                 "date": "2024-12-03", "title": "Wexmoor closes Saltmarsh bridge for six months",
                 "text": body})
with open("corpus/planted.jsonl", "w") as f:
    for r in recs:
        f.write(json.dumps(r) + "\n")
PY
sl --db store.db --quiet add corpus
check "the store is built" 0 "$rc"

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$STORYLINE" --db store.db serve --bind 127.0.0.1 --port "$port" >serve.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT INT TERM
# ready when /api/stats answers (at most 30 s: a sanitizer build starts slowly)
if ! /usr/bin/python3 - "$port" "$server" <<'PY'
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
for _ in range(300):
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    try:
        with urllib.request.urlopen("http://127.0.0.1:%s/api/stats" % port, timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.1)
sys.exit(1)
PY
then
    if grep -q "not yet built\|not built yet" serve.log; then
        missing "storyline serve is not built yet"
    fi
    fail "storyline serve did not answer on port $port"
    sed 's/^/    /' serve.log >&2
    exit 1
fi

brc=0
(cd "$here" && node browser_test.mjs "http://127.0.0.1:$port" "$SCRATCH") || brc=$?
check "the browser checks (browser_test.mjs)" 0 "$brc"
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
trap - EXIT INT TERM
echo "screenshots: $SCRATCH/web-*.png"
finish
