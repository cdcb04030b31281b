#!/bin/sh
# web_render.sh — how fast the web page draws the event list and an event page in headless
# Chromium (docs/web.md), on a large store: tests/browser/browser_test.mjs --timing-only,
# against `storyline serve` on a free loopback port. Beside it, the time the server takes
# to answer the API calls each view makes (the page's share is the rest).
#
#   bench/web_render.sh [BUILD_DIR] [STORE] [RUNS]
#
# BUILD_DIR: a plain build (default build-plain); STORE: the store (default /tmp/web100k.db),
# built first from $CORPUS (default /work/data100k/corpus.jsonl, 100,000 generated
# articles) when absent; RUNS: loads of each view (default 7). Needs node, chromium and
# tests/browser/node_modules (scripts/install-deps.sh).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build-plain}" && pwd)
store=${2:-/tmp/web100k.db}
runs=${3:-7}
corpus=${CORPUS:-/work/data100k/corpus.jsonl}
sl=$build/storyline
py=/usr/bin/python3
out=$(mktemp -d "${TMPDIR:-/tmp}/web_render.XXXXXX")

if [ ! -f "$store" ]; then
    [ -f "$corpus" ] || { echo "$0: no store $store and no corpus $corpus" >&2; exit 2; }
    echo "building $store from $corpus" >&2
    t0=$(date +%s)
    "$sl" --db "$store" --quiet add "$corpus" >&2
    echo "built in $(( $(date +%s) - t0 )) s" >&2
fi

port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$sl" --db "$store" serve --bind 127.0.0.1 --port "$port" >"$out/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$out"' EXIT INT TERM

"$py" - "$port" <<'PY'
import json, sys, time, urllib.request
base = "http://127.0.0.1:%s" % sys.argv[1]
for _ in range(600):
    try:
        urllib.request.urlopen(base + "/api/stats", timeout=2).read()
        break
    except Exception:
        time.sleep(0.1)
else:
    sys.exit("server did not start")
def get(p):
    t = time.perf_counter()
    with urllib.request.urlopen(base + p) as r:
        body = r.read()
    return (time.perf_counter() - t) * 1000, body
stats = json.loads(get("/api/stats")[1])
evs = json.loads(get("/api/events?limit=1000")[1])
big = max(evs, key=lambda e: len(e["articles"]))
print("store: %d articles; newest event %s, largest of the 1,000 newest %s (%d articles)"
      % (stats["articles"], evs[0]["id"], big["id"], len(big["articles"])))
# the API calls of each view: the first answer (the server's cache cold: this server
# process has not answered it yet) and the median of 7 more
def run(p):
    cold, body = get(p)
    ts = sorted(get(p)[0] for _ in range(7))
    print("api %-45s first %7.1f ms, then %6.1f ms  %8d bytes" % (p, cold, ts[3], len(body)))
run("/api/events?limit=50&offset=0")
for e in (evs[0], big):
    i = e["id"]
    run("/api/events/" + i)
    run("/api/quotes?event=" + i + "&limit=50")
    run("/api/storylines/" + (e["storyline"] or "S" + i[1:]))
PY

# a fresh server for the browser: its first loads meet a cold cache, as a user's would
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
"$sl" --db "$store" serve --bind 127.0.0.1 --port "$port" >"$out/serve.log" 2>&1 &
server=$!
"$py" -c '
import sys, time, urllib.request
for _ in range(600):
    try:
        urllib.request.urlopen("http://127.0.0.1:%s/api/stats" % sys.argv[1], timeout=2).read()
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit("server did not start")' "$port"
(cd "$src/tests/browser" && node browser_test.mjs "http://127.0.0.1:$port" "$out" --timing-only "$runs")
