# One batch in slices against the same slices added as batches of their own, one process
# each: the same events (their articles, dates, headlines, sources) and storylines. The
# one process places the articles of the open and doubtful events of each slice before
# again with the features its earlier slices noted (cluster/feature_cache.h); the
# processes read them back from the store and extract them again. Each slice after the
# first updates ten articles of the slice before (same id, another story's text), which
# must replace their features in the cache: keeping the old ones for them made the events
# differ here, and so did changed weights in the cache's answers. (The cache's emptying
# when another connection writes between two slices is not tested: that writer would have
# to commit in the moment between one slice's commit and the next one's BEGIN.)
. "$SRCDIR/tests/cli/lib.sh"
: "${GENCORPUS:?}"
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is needed (scripts/deps.txt)" >&2; exit 1; }

"$GENCORPUS" --articles 610 --seed 11 --format jsonl gen.jsonl
check "610 generated" "610" "$(wc -l <gen.jsonl | tr -d ' ')"
# part 0: the first 110 articles; part k (1..5): the next 100, then ten articles of part
# k-1 updated with the text of an article from the other end of the corpus
sed -n '1,110p' gen.jsonl >part0.jsonl
for k in 1 2 3 4 5; do
    from=$((110 + (k - 1) * 100 + 1))
    sed -n "${from},$((from + 99))p" gen.jsonl >"part$k.jsonl"
    prev=$((from - 100))
    [ "$k" = 1 ] && prev=1
    jq -s -c --argjson p "$prev" --argjson k "$k" '
        [range(0; 10) as $i | .[$p - 1 + 9 * $i] as $a
         | $a + {text: (.[609 - 10 * $k - $i].text + "\n\nUpdated: the story was revised.")}]
        | .[]' gen.jsonl >>"part$k.jsonl"
done
cat part0.jsonl part1.jsonl part2.jsonl part3.jsonl part4.jsonl part5.jsonl >all.jsonl
check "660 lines" "660" "$(wc -l <all.jsonl | tr -d ' ')"

sl --db one.db add --json --slice 110 all.jsonl
check "one batch exit" "0" "$rc"
check "one batch: 610 added, 50 updated" '{"added":610,"updated":50}' \
    "$(jq -c '{added, updated}' out.txt)"
check "one batch: six slices of 110" "110 110 110 110 110 110" \
    "$(sqlite3 one.db 'SELECT added + updated FROM batches ORDER BY id' | tr '\n' ' ' | sed 's/ $//')"
for k in 0 1 2 3 4 5; do
    sl --db apart.db add --json --slice 0 "part$k.jsonl"
    check "batch $k exit" "0" "$rc"
done

norm() {
    "$STORYLINE" --db "$1" events --json | jq -S -c '[.[] | {articles: (.articles | sort),
        date_first, date_last, headline, sources: (.sources | sort)}] | sort_by(.articles)'
    "$STORYLINE" --db "$1" storylines --json
}
norm one.db >one.norm
norm apart.db >apart.norm
check "same events and storylines" "" "$(diff one.norm apart.norm | head -20)"
check "events of several articles" "true" \
    "$("$STORYLINE" --db one.db events --json | jq 'map(.articles | length) | max > 2')"

finish
