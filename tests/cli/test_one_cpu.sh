# The same store whatever the processors: a batch run on one processor (taskset: every
# team of threads is then the caller alone, the facts of the touched events made one
# event at a time) and on all of them (the cleaning, the links' scores and the events'
# quotes and entities shared out between threads, the next round of events read while one
# is grouped) give the same events, storylines, quotes (ids included) and entities, in a
# first load and in a second batch that continues its stories (the memos of the groupings
# and merges resumed). Skipped on a machine of one processor, where both runs are alike.
. "$SRCDIR/tests/cli/lib.sh"
: "${GENCORPUS:?}"
command -v taskset >/dev/null || skip "taskset (util-linux) not found"
[ "$(taskset -c 0 nproc)" = 1 ] || skip "taskset -c 0 does not leave one processor"
[ "$(nproc)" -ge 2 ] || skip "one processor: both runs would run alike"

# 900 generated articles: the first 600 make over 200 events (more than one round of the
# facts stage, EVENT_ROUND in src/pipeline/facts_stage.c), the rest continue them.
"$GENCORPUS" --articles 900 --seed 7 --format jsonl all.jsonl
head -n 600 all.jsonl >first.jsonl
tail -n 300 all.jsonl >second.jsonl

show() { # DB: what a reader sees of it, ids and all
    "$STORYLINE" --db "$1" events --json
    "$STORYLINE" --db "$1" storylines --json
    "$STORYLINE" --db "$1" quotes --json
}

for batch in first second; do
    sl --db many.db add --quiet --slice 0 $batch.jsonl
    check "$batch batch on every processor: exit" "0" "$rc"
    rc=0
    taskset -c 0 "$STORYLINE" --db one.db add --quiet --slice 0 $batch.jsonl >out.txt 2>err.txt ||
        rc=$?
    check "$batch batch on one processor: exit" "0" "$rc"
    show many.db >many.$batch.json
    show one.db >one.$batch.json
    check "$batch batch: the same events, storylines, quotes and entities" "" \
        "$(cmp many.$batch.json one.$batch.json 2>&1 | head -3)"
done
check "more events than a round of the facts stage" "true" \
    "$("$STORYLINE" --db many.db events --json | jq 'length > 128')"
check "quotes to group" "true" "$("$STORYLINE" --db many.db quotes --json | jq 'length > 500')"
check "entities to merge" "true" \
    "$("$STORYLINE" --db many.db events --json | jq '[.[].entities | length] | add > 500')"

finish
