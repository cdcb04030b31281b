#!/bin/sh
# serve_bench.sh — `storyline serve` under wrk (docs/serve.md, "Speed"), beside the store's
# ceiling (the same library calls in a loop, bench/serve_ceiling.c, no HTTP, no cache) and
# the server's own ceiling (a static file from memory).
#
#   bench/serve_bench.sh [STORE] [BUILD]      (STORE: /tmp/serve100k.db, BUILD: build-plain)
#
# The store: `storyline --db /tmp/serve100k.db add corpus.jsonl` of 100,000 generated
# articles. wrk (Debian): WRK_THREADS (2) threads, WRK_CONNS (64) connections, DUR (10) s
# per route; the server: SERVE_THREADS (the cores) workers. Routes: one event by id, a
# random event id of 10,000 per request (with the cache: the first 10 s from cold, the next
# warm; then with a 1 MB cache: the uncached server), the first page of events, a search
# for a random common title word.
set -eu
cd "$(dirname "$0")/.."
STORE=${1:-/tmp/serve100k.db}
BUILD=${2:-build-plain}
BIN=$BUILD/storyline
CEIL=$BUILD/bench/serve_ceiling
DUR=${DUR:-10}
WT=${WRK_THREADS:-2}
WC=${WRK_CONNS:-64}
ST=${SERVE_THREADS:-$(nproc)}
for t in wrk sqlite3 "$BIN" "$CEIL"; do
    command -v "$t" >/dev/null || { echo "serve_bench: $t not found" >&2; exit 2; }
done
[ -f "$STORE" ] || { echo "serve_bench: no store at $STORE" >&2; exit 2; }
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# 10,000 random event ids; the 100 most common title words of 4 letters or more
sqlite3 "$STORE" "SELECT 'E' || id FROM events ORDER BY random() LIMIT 10000" >"$tmp/ids"
sqlite3 "$STORE" "SELECT title FROM articles WHERE title IS NOT NULL ORDER BY random() LIMIT 20000" |
    tr 'A-Z' 'a-z' | tr -cs 'a-z' '\n' | awk 'length($0) >= 4' | sort | uniq -c |
    sort -rn | head -100 | awk '{print $2}' >"$tmp/words"
one=$(head -1 "$tmp/ids")
echo "store: $STORE ($(sqlite3 "$STORE" 'SELECT count(*) FROM articles') articles," \
    "$(sqlite3 "$STORE" 'SELECT count(*) FROM events') events); wrk -t$WT -c$WC -d${DUR}s;" \
    "server: $ST threads; $(nproc) cores"

# start [ARGS]: the server on a free port (U is its URL)
start() {
    "$BIN" --db "$STORE" serve --port 0 --threads "$ST" "$@" 2>"$tmp/err" &
    pid=$!
    i=0
    port=
    while [ -z "$port" ] && [ $i -lt 300 ]; do
        sleep 0.1
        port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/err")
        i=$((i + 1))
    done
    [ -n "$port" ] || { cat "$tmp/err" >&2; exit 1; }
    U=http://127.0.0.1:$port
}
stop() {
    kill "$pid"
    wait "$pid" || true
    pid=
}

# run NAME URL [FILE PREFIX]: one wrk run, one row
run() {
    name=$1
    url=$2
    shift 2
    curl -s -o /dev/null "$url" # the first answer (a cache miss) is not what is measured
    wrk -t"$WT" -c"$WC" -d"${DUR}s" --timeout 5s -s bench/serve_bench.lua "$url" -- "${1:--}" "${2:-}" \
        >"$tmp/wrk" 2>&1 || true
    set -- $(grep '^RESULT' "$tmp/wrk")
    if [ $# -lt 7 ]; then
        cat "$tmp/wrk" >&2
        printf '| %-30s | failed |\n' "$name"
        return
    fi
    printf '| %-30s | %8s | %7s | %7s | %8s | %6s |\n' "$name" "$2" "$3" "$4" "$5" "$6"
}

echo
echo "| route (HTTP, wrk) | requests/s | p50 ms | p99 ms | max ms | errors |"
echo "|---|---:|---:|---:|---:|---:|"
start
run "/api/events/$one" "$U/api/events/$one"
run "/api/events/{random id}, cold" "$U" "$tmp/ids" /api/events/
run "/api/events/{random id}, warm" "$U" "$tmp/ids" /api/events/
run "/api/events?limit=50" "$U/api/events?limit=50"
run "/api/search?q={random word}" "$U" "$tmp/words" "/api/search?q="
run "/static/index.html (ceiling)" "$U/static/index.html"
stop
start --cache-mb 1
run "/api/events/{random id}, 1 MB cache" "$U" "$tmp/ids" /api/events/
run "/api/search?q={random word}, 1 MB cache" "$U" "$tmp/words" "/api/search?q="
stop

echo
echo "| library calls in a loop ($ST threads, no HTTP, no cache) | calls/s | p50 ms | p99 ms |"
echo "|---|---:|---:|---:|"
for m in event search list; do
    set -- $("$CEIL" "$STORE" "$m" "$tmp/$([ $m = search ] && echo words || echo ids)" "$DUR" "$ST")
    printf '| %-30s | %8s | %7s | %7s |\n' "$m" "$2" "$3" "$4"
done
