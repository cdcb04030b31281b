# The same store whatever the processors: a batch run on one processor (taskset: the teams
# sized by the processors are then the caller alone, and the facts of the touched events
# are made one event at a time, read, made and written, as they were before rounds) and
# on all of them (the cleaning, the links' scores and the events' quotes and entities
# shared out between threads, the next round of events read while one is grouped) give
# the same events, storylines, quotes (ids included) and entities, in a first load and in
# a second batch that continues its stories (the memos of the groupings and merges
# resumed). Skipped on a machine of one processor, where both runs are alike.
. "$SRCDIR/tests/cli/lib.sh"
: "${GENCORPUS:?}"
command -v taskset >/dev/null || skip "taskset (util-linux) not found"
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is needed (scripts/deps.txt)" >&2; exit 1; }
# the first processor this process may run on, and how many it may
cpu=$(taskset -pc $$ | sed -n 's/.*: *\([0-9][0-9]*\).*/\1/p')
cpus=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)
[ -n "$cpu" ] && [ "$(taskset -c "$cpu" nproc)" = 1 ] || skip "taskset cannot leave one processor"
[ "$cpus" -ge 2 ] || skip "one processor: both runs would run alike"

"$GENCORPUS" --articles 900 --seed 7 --format jsonl all.jsonl
head -n 600 all.jsonl >first.jsonl
tail -n 300 all.jsonl >second.jsonl
# A third batch updates 40 articles of the first (their texts, and so their quotes,
# changed): the stored quotes that referred to their printings are written out before
# the printings change, and the touched events' old quotes are read through a snapshot
# of the store on a thread of their own where there are two processors (facts_stage.c,
# old_reading), on the store's thread on one.
head -n 40 first.jsonl | jq -c '.text = .text + " A later edition added this closing line."' \
    >third.jsonl

show() { # DB: what a reader sees of it, ids and all
    "$STORYLINE" --db "$1" events --json
    "$STORYLINE" --db "$1" storylines --json
    "$STORYLINE" --db "$1" quotes --json
}

for batch in first second third; do
    sl --db many.db add --quiet --slice 0 $batch.jsonl
    check "$batch batch on every processor: exit" "0" "$rc"
    rc=0
    taskset -c "$cpu" "$STORYLINE" --db one.db add --quiet --slice 0 $batch.jsonl >out.txt 2>err.txt ||
        rc=$?
    check "$batch batch on one processor: exit" "0" "$rc"
    show many.db >many.$batch.json
    show one.db >one.$batch.json
    check "$batch batch: the same events, storylines, quotes and entities" "" \
        "$(cmp many.$batch.json one.$batch.json 2>&1 | head -3)"
    if [ $batch = second ]; then # the stored quotes that refer to the printings updated next
        refs=$(sqlite3 many.db "SELECT count(*) FROM quotes q JOIN articles a ON a.rid = q.rid
            WHERE a.id IN ($(jq -r .id third.jsonl | sed "s/.*/'&'/" | paste -sd,))")
    fi
done
# each batch touches more events than a round of the facts stage holds (EVENT_ROUND)
check "the first batch touches more than two rounds of events" "true" \
    "$("$STORYLINE" --db many.db events --json | jq 'length > 128')"
check "the second batch touches more than a round" "1" "$(sqlite3 many.db \
    'SELECT count(DISTINCT ae.event) > 64 FROM article_events ae JOIN articles a
     ON a.rid = ae.rid WHERE a.batch = (SELECT id FROM batches ORDER BY id LIMIT 1 OFFSET 1)')"
check "the third batch updates 40 articles" "40" \
    "$(sqlite3 many.db 'SELECT updated FROM batches ORDER BY id DESC LIMIT 1')"
check "stored quotes referred to the updated articles' printings" "true" \
    "$([ "$refs" -gt 10 ] && echo true || echo "false ($refs)")"
check "quotes to group" "true" "$("$STORYLINE" --db many.db quotes --json | jq 'length > 500')"
check "entities to merge" "true" \
    "$("$STORYLINE" --db many.db events --json | jq '[.[].entities | length] | add > 500')"

finish
