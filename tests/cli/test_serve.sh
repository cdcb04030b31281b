#!/bin/sh
# `storyline serve` (docs/serve.md) on the sample corpus, over 127.0.0.1 only: every route,
# the status codes, ETag/304, gzip, HEAD, pages and paging headers, bad paths and
# parameters, SQL/FTS syntax in q, 1 MB query strings, huge headers, 10,000 idle
# connections, slow clients, an `add` in another process while serving, CORS, a port
# already taken, a missing store, and a clean stop on SIGINT/SIGTERM. After each kind of
# bad input the server must still answer a normal request (serve_client.py checks it).
# Every step is bounded in time (socket timeouts, `timeout`).
. "$SRCDIR/tests/cli/lib.sh"
PY=/usr/bin/python3
CLIENT="$SRCDIR/tests/cli/serve_client.py"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1"

sl --db s.db add "$SRCDIR/examples/"
check "the sample store" 0 "$rc"

# start NAME ARGS...: start `serve` in the background (port 0: the server picks a free one
# and says it), wait for it to listen; PORT and PID are set.
start() {
    name=$1
    shift
    : >"$name.err"
    "$STORYLINE" --db s.db serve --port 0 "$@" 2>"$name.err" &
    PID=$!
    PORT=
    i=0
    while [ $i -lt 300 ]; do
        PORT=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$name.err" || true)
        [ -n "$PORT" ] && return 0
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    fail "$name: the server did not start:"
    cat "$name.err" >&2
    exit 1
}

# stop NAME SIGNAL: stop the server, which must exit 0 within 20 s, with a clean stderr
# (no sanitizer report, no leak).
stop() {
    kill -"$2" "$PID"
    i=0
    while kill -0 "$PID" 2>/dev/null && [ $i -lt 200 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if kill -0 "$PID" 2>/dev/null; then
        fail "$1: still running 20 s after SIG$2"
        kill -9 "$PID"
    fi
    src=0
    wait "$PID" || src=$?
    check "$1: exit status after SIG$2" 0 "$src"
    check "$1: says it stopped" 1 "$(grep -c 'serve: stopped' "$1.err")"
    check "$1: no sanitizer report" 0 "$(grep -c 'Sanitizer\|runtime error' "$1.err")"
}

client() {
    crc=0
    timeout 600 "$PY" "$CLIENT" "$@" >client.out 2>&1 || crc=$?
    cat client.out
    check "serve_client.py $*" 0 "$crc"
}

sl serve --help
check "serve --help" 0 "$rc"
check_contains "serve --help" "--timeout" out.txt

# --- the routes and the bad input, on a server with a short idle timeout
start main --timeout 2 --threads 2
sha_before=$(cat s.db s.db-wal 2>/dev/null | sha256sum)
client routes "$PORT"
client slow "$PORT" 2
# the server only reads: the store's files are as they were
check "the store is not written by serving" "$sha_before" "$(cat s.db s.db-wal 2>/dev/null | sha256sum)"

# --- an `add` in another process while serving: the next request sees it
timeout 60 "$PY" "$CLIENT" get "$PORT" /api/stats >stats1.txt
n1=$(sed 1d stats1.txt | jq .articles)
tag1=$(sed -n '1s/^200 //p' stats1.txt)
mkdir -p more
{
    echo " date 2024-11-02"
    echo "Lighthouse keepers return to Portvale after forty years"
    echo
    echo "The last keepers left the Portvale light in 1984. On Saturday two of them came back,"
    echo "this time as guides, to open the restored tower to visitors for the first time."
} >more/lighthouse.txt
timeout 120 "$STORYLINE" --db s.db add more >add.out 2>&1 || fail "add while serving: $(cat add.out)"
timeout 60 "$PY" "$CLIENT" get "$PORT" /api/stats >stats2.txt
n2=$(sed 1d stats2.txt | jq .articles)
tag2=$(sed -n '1s/^200 //p' stats2.txt)
check "the article added while serving is seen by the next request" "$((n1 + 1))" "$n2"
check "its ETag changed" "1" "$([ "$tag1" != "$tag2" ] && echo 1 || echo 0)"
timeout 60 "$PY" "$CLIENT" get "$PORT" "/api/search?q=lighthouse" >search.txt
if ! grep -q '^501' search.txt; then
    check_contains "the added article is found" "lighthouse.txt" search.txt
fi

# --- the port is taken
sl --db s.db serve --port "$PORT"
check "port taken: exit status" 2 "$rc"
check_contains "port taken: says so" "Address already in use" err.txt
stop main INT

# --- no store
sl --db nothing.db serve --port 0
check "no store: exit status" 2 "$rc"
check_contains "no store: says so" "no store at" err.txt
check "no store: not created" 0 "$([ -e nothing.db ] && echo 1 || echo 0)"

# --- CORS only when asked, and 10,000 idle connections on a server with a long timeout
start cors --cors https://example.org --timeout 120
client cors "$PORT" https://example.org
client idle "$PORT" 10000
stop cors TERM

if [ "$failures" -ne 0 ]; then
    echo "$failures of $checks checks failed" >&2
    exit 1
fi
echo "all $checks checks passed"
