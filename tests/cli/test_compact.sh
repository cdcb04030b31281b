#!/bin/sh
# `compact` rewrites the store's file without its free pages (sl_store_compact, SQLite's
# VACUUM): after the search index is dropped the file shrinks to about what `stats`
# counts without the free pages, and the store says the same as before (events, families,
# articles, quotes); it stays usable (a later add), keeps its choice of no search index,
# and a store that is not there is an error that says so.
. "$SRCDIR/tests/cli/lib.sh"
: "${GENCORPUS:?}"

"$GENCORPUS" --articles 400 corpus.jsonl
"$GENCORPUS" --articles 50 --seed 9 more.jsonl
sl --db s.db add -q corpus.jsonl
check "add exits 0" 0 "$rc"
for what in "events --json" "dups --json" "export" "quotes --json"; do
    sl --db s.db $what
    cp out.txt "before-$(echo "$what" | tr ' -' '__').txt"
done
sl --db s.db search-index off
check "the search index dropped" "off" "$(cat out.txt)"
sl --db s.db stats --json
free=$(jq '.bytes_by_table["(free)"] // 0' out.txt)
check "its pages left free" true "$([ "$free" -gt 0 ] && echo true || echo false)"
was=$(stat -c %s s.db)

sl --db s.db compact --json
check "compact exits 0" 0 "$rc"
before=$(jq '.bytes_before' out.txt)
after=$(jq '.bytes_after' out.txt)
check "the size before is the file's" "$was" "$before"
check "the size after is the file's" "$(stat -c %s s.db)" "$after"
check "at least the free pages gone" true \
    "$([ "$after" -le $((before - free)) ] && echo true || echo false)"
check "no log left behind" false "$([ -s s.db-wal ] && echo true || echo false)"
sl --db s.db stats --json
check "no free pages after" 0 "$(jq '.bytes_by_table["(free)"] // 0' out.txt)"
for what in "events --json" "dups --json" "export" "quotes --json"; do
    sl --db s.db $what
    check "$what the same" "$(md5sum < "before-$(echo "$what" | tr ' -' '__').txt")" \
        "$(md5sum < out.txt)"
done
sl --db s.db search-index
check "the choice of no index kept" "off" "$(cat out.txt)"
sl --db s.db add -q more.jsonl
check "a later add" 0 "$rc"
sl --db s.db compact
check "the text form" 1 "$(grep -cE '^[0-9.]+ [kMG]?B -> [0-9.]+ [kMG]?B \([0-9.]+% smaller\)$' out.txt)"

sl --db absent.db compact
check "no store: exit 2" 2 "$rc"
check_contains "no store: said" "no store at absent.db" err.txt
check "no store: none made" false "$([ -e absent.db ] && echo true || echo false)"
finish
