# The search index on or off: `add --no-search` makes a store without it (smaller, and the
# rest of what the store says unchanged), the choice is kept by later adds and opens,
# `search-index on|off` builds and drops it, `run` makes none; refusals and messages.
. "$SRCDIR/tests/cli/lib.sh"
: "${GENCORPUS:?}"
"$GENCORPUS" --articles 300 --seed 5 a.jsonl
"$GENCORPUS" --articles 100 --seed 6 b.jsonl
sed 's/"id":"gen\//"id":"b\//' b.jsonl > b2.jsonl # new ids: added, not updates

sl --db with.db -q add a.jsonl
check "with the index: add" 0 "$rc"
sl --db without.db -q add --no-search a.jsonl
check "--no-search: add" 0 "$rc"
sl --db without.db search-index
check "--no-search: search-index says off" "0 off" "$rc $(cat out.txt)"
sl --db with.db search-index --json
check "with the index: search-index --json" "0 true" "$rc $(jq .search_index out.txt)"
sl --db without.db stats
check_contains "stats says the index is off" "index off" out.txt
sl --db without.db stats --json
check "stats --json: search_index false" "false" "$(jq .search_index out.txt)"
search_without=$(jq .bytes_by_group.search out.txt)
sl --db with.db stats --json
search_with=$(jq .bytes_by_group.search out.txt)
check "stats --json: search_index true" "true" "$(jq .search_index out.txt)"
check "without the index its group is under a tenth ($search_without of $search_with bytes)" 1 \
    "$([ "$search_without" -lt $((search_with / 10)) ] && echo 1 || echo 0)"

# The index changes nothing else the store says, also after a second batch.
sl --db with.db -q add b2.jsonl
sl --db without.db -q add b2.jsonl
check "without: a later add (no flag)" 0 "$rc"
for what in "events --json" "dups --json" "export" "quotes --json" "storylines --json" \
    "articles --json"; do
    # shellcheck disable=SC2086 # the words of $what are the command's arguments
    "$STORYLINE" --db with.db $what > with.out
    # shellcheck disable=SC2086
    "$STORYLINE" --db without.db $what > without.out
    check "same $what with and without the index" 1 "$(cmp -s with.out without.out && echo 1 || echo 0)"
done
check "the sample compared is not empty" 1 "$([ "$(jq length with.out)" -eq 400 ] && echo 1 || echo 0)"

# Kept: a later add (no flag) did not build it, nor does a writable open.
sl --db without.db search-index
check "kept off after a later add" "off" "$(cat out.txt)"
sl --db without.db search --json depeti
check "search without the index fails" 2 "$rc"
check_contains "... and says how to build it" "search-index on" err.txt
check "... with nothing on stdout" "" "$(cat out.txt)"

# --no-search on a store that has the index: refused, nothing added.
before=$("$STORYLINE" --db with.db stats --json | jq .articles)
"$GENCORPUS" --articles 10 --seed 8 c.jsonl
sed 's/"id":"gen\//"id":"c\//' c.jsonl > c2.jsonl
sl --db with.db add --no-search c2.jsonl
check "--no-search on an indexed store: refused" 2 "$rc"
check_contains "... says how to drop it" "search-index off" err.txt
check "... nothing added" "$before" "$("$STORYLINE" --db with.db stats --json | jq .articles)"
sl --db with.db search-index
check "... and the index kept" "on" "$(cat out.txt)"

# on: built from the stored articles; the same hits as the store that had it from the
# start (fewer than 1,000 texts: neither has stop words, so the two indexes are equal)
sl --db without.db search-index on
check "search-index on" "0 on" "$rc $(cat out.txt)"
for q in depeti "sunkain tritri" velma mirosun "olbel stalo"; do
    "$STORYLINE" --db with.db search --json --limit 50 $q > with.out
    "$STORYLINE" --db without.db search --json --limit 50 $q > without.out
    check "built later: the same hits for '$q'" 1 "$(cmp -s with.out without.out && echo 1 || echo 0)"
    check "'$q' finds something" 1 "$([ "$(jq length with.out)" -gt 0 ] && echo 1 || echo 0)"
done
# ... and kept up to date by later batches (the triggers are back)
sl --db without.db -q add c2.jsonl
word=$(jq -r '.title | split(" ")[0]' c2.jsonl | head -1)
sl --db without.db search --json --limit 1000 "$word"
check "a later batch is searchable" 1 "$(jq '[.[] | select(.id | startswith("c/"))] | length > 0' out.txt | sed 's/true/1/')"

# off: dropped, and kept off
sl --db with.db search-index off
check "search-index off" "0 off" "$rc $(cat out.txt)"
sl --db with.db -q add c2.jsonl
sl --db with.db search-index
check "off is kept by a later add" "off" "$(cat out.txt)"
sl --db with.db search depeti
check "search after off fails" 2 "$rc"
sl --db with.db search-index off
check "off again: nothing to do" "0 off" "$rc $(cat out.txt)"

# the HTTP API without the index: 501, saying how to build it; the rest answers
"$STORYLINE" --db with.db serve --port 0 2>serve.err &
pid=$!
port=
i=0
while [ -z "$port" ] && [ $i -lt 300 ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' serve.err)
    i=$((i + 1))
done
get() {
    /usr/bin/python3 -c '
import sys, urllib.request, urllib.error
try:
    r = urllib.request.urlopen(sys.argv[1], timeout=20)
    print(r.status)
    print(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code)
    print(e.read().decode())' "http://127.0.0.1:$port$1"
}
check "serve started" 1 "$([ -n "$port" ] && echo 1 || echo 0)"
get "/api/search?q=depeti" > api.txt
check "/api/search without the index: 501" 501 "$(head -1 api.txt)"
check_contains "... saying how to build it" "search-index on" api.txt
get "/api/stats" > api.txt
check "/api/stats answers" 200 "$(head -1 api.txt)"
check "... search_index false" "false" "$(tail -n +2 api.txt | jq .search_index)"
kill "$pid"
wait "$pid" || true

# usage
sl --db with.db search-index maybe
check "search-index: a bad word refused" 2 "$rc"
check_contains "... saying what it takes" "on or off" err.txt
sl --db absent.db search-index
check "search-index: no store" 2 "$rc"
check "... and none made" 0 "$([ -e absent.db ] && echo 1 || echo 0)"
sl --db absent.db search-index on
check "search-index on: no store" 2 "$rc"
check "... and none made" 0 "$([ -e absent.db ] && echo 1 || echo 0)"
sl --db with.db search-index on off
check "search-index: two words refused" 2 "$rc"

# run: a temporary store without the index (the report searches nothing)
sl run a.jsonl
check "run" 0 "$rc"
check_contains "run: its report" "storyline report: 300 articles" out.txt
finish
