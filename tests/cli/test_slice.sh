# A batch committed in slices (add --slice N): one batches row per slice with its own
# counts, the summary the sum of them, and the same articles, families, events and
# storylines as the same input in one transaction. Event, storyline, family and quote ids
# are numbered in the order they are made, which slicing changes (a later slice's events
# are made after an earlier slice's are placed), so they are compared by their members.
# Then a kill in the middle of a sliced add leaves the store at a slice boundary, and the
# same add again completes it. A slice places again the articles of the open events of the
# slice before, taking their features from the batch's cache (cluster/feature_cache.h),
# not from their texts: the comparison with one transaction can see a cached feature that
# is not the one extracted (weights changed in the cache's answers failed it);
# test_slice_features.sh compares more closely, with updated articles.
. "$SRCDIR/tests/cli/lib.sh"
: "${GENCORPUS:?}"
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is needed (scripts/deps.txt)" >&2; exit 1; }

# 25 articles: the 19 of examples/jsonl (syndicated copies and shared events among them,
# across slice boundaries) and 6 generated ones.
"$GENCORPUS" --articles 6 --seed 5 --format jsonl gen.jsonl
cat "$SRCDIR"/examples/jsonl/*.jsonl gen.jsonl >in.jsonl
check "25 input lines" "25" "$(wc -l <in.jsonl | tr -d ' ')"

sl --db one.db add --json --slice 0 in.jsonl
check "--slice 0 exit" "0" "$rc"
cp out.txt one.json
sl --db sliced.db add --json --slice 10 in.jsonl
check "--slice 10 exit" "0" "$rc"
cp out.txt sliced.json

# Rows: 10, 10, 5 articles; their counts sum to the summary's.
check "--slice 0: one batch" "1" "$(sqlite3 one.db 'SELECT count(*) FROM batches')"
check "--slice 10: three batches" "10 10 5" \
    "$(sqlite3 sliced.db 'SELECT added FROM batches ORDER BY id' | tr '\n' ' ' | sed 's/ $//')"
check "every slice committed" "0" \
    "$(sqlite3 sliced.db 'SELECT count(*) FROM batches WHERE committed_at IS NULL')"
check "rows' bytes sum to the summary's" "$(jq .bytes sliced.json)" \
    "$(sqlite3 sliced.db 'SELECT sum(bytes) FROM batches')"
check "rows' files sum to the summary's" "$(jq .files sliced.json)" \
    "$(sqlite3 sliced.db 'SELECT sum(files) FROM batches')"
check "summary counts: sliced as one" \
    "$(jq -c '{added, updated, present, skipped, empty, files, bytes}' one.json)" \
    "$(jq -c '{added, updated, present, skipped, empty, files, bytes}' sliced.json)"
check "summary seconds cover the slices" "true" \
    "$(jq --argjson rows "$(sqlite3 sliced.db 'SELECT sum(seconds) FROM batches')" \
        '.seconds >= $rows * 0.99' sliced.json)"

# The same results, ids aside.
norm() {
    "$STORYLINE" --db "$1" events --json | jq -S -c '[.[] | {articles: (.articles | sort),
        date_first, date_last, headline, families: (.families | length),
        sources: (.sources | sort)}] | sort_by(.articles)'
    # storylines: the events' article sets grouped by storyline
    "$STORYLINE" --db "$1" events --json | jq -S -c \
        'group_by(.storyline) | map(map(.articles | sort) | sort) | sort'
    "$STORYLINE" --db "$1" dups --json | jq -S -c '[.[] | {origin,
        members: ([.members[] | {article, relation, jaccard, containment}] | sort_by(.article))}]
        | sort_by(.origin)'
    "$STORYLINE" --db "$1" export --format jsonl | jq -S -c 'del(.event, .family)' | sort
    # each event's quotes (wordings and who printed them) and entities: a first load's
    # slices leave them to its last (events_pending), which makes each event's once
    "$STORYLINE" --db "$1" events --json | jq -S -c '[.[] | {articles: (.articles | sort),
        entities}] | sort_by(.articles)'
    "$STORYLINE" --db "$1" quotes --json | jq -S -c '[.[] | del(.id, .event)] | sort'
}
norm one.db >one.norm
norm sliced.db >sliced.norm
check "same events, storylines, families and articles" "" "$(diff one.norm sliced.norm | head -20)"
check "the input has families" "true" "$("$STORYLINE" --db one.db dups --json | jq 'length > 0')"
check "the input has quotes" "true" "$("$STORYLINE" --db one.db quotes --json | jq 'length > 0')"
check "no event left pending" "0" "$(sqlite3 sliced.db 'SELECT count(*) FROM events_pending')"
check "the input has events of several articles" "true" \
    "$("$STORYLINE" --db one.db events --json | jq 'map(.articles | length) | max > 1')"

# A batch in slices into a store that has events (their quote groupings and entity
# merges kept as memos, which later groupings resume from): the same results as the same
# batch in one transaction. Its slices leave their events' facts to the last (pipeline.c,
# "Deferred events"), unless a slice updated an article (its facts saved again, which a
# memo must not resume over): the second slice here (after one that left its events
# pending) updates one, with a quote and a name more, of an event of three articles
# (which, placed again, keeps its id, and would keep its memos).
head -n 13 in.jsonl >first.jsonl
{
    tail -n +14 in.jsonl | head -n 4
    q='"We will not move the ships until the terminal reopens," said Ansel Dorr, a pilot.'
    sed -n 4p in.jsonl | jq -c --arg q "$q" '.text += "\n\n" + $q'
    tail -n +18 in.jsonl
} >second.jsonl
for d in inc_one inc_sliced; do
    sl --db $d.db add --slice 0 first.jsonl
    check "$d: first batch" "0" "$rc"
done
sl --db inc_one.db add --json --slice 0 second.jsonl
check "second batch in one" '{"added":12,"updated":1}' "$(jq -c '{added, updated}' out.txt)"
sl --db inc_sliced.db add --json --slice 4 second.jsonl
check "second batch in slices" '{"added":12,"updated":1}' "$(jq -c '{added, updated}' out.txt)"
check "... four slices, the second with the update" "0 0 1 0 0" \
    "$(sqlite3 inc_sliced.db 'SELECT updated FROM batches ORDER BY id' | tr '\n' ' ' | sed 's/ $//')"
norm inc_one.db >inc_one.norm
norm inc_sliced.db >inc_sliced.norm
check "a batch in slices into a store with events: the same" "" \
    "$(diff inc_one.norm inc_sliced.norm | head -20)"
for d in inc_one inc_sliced; do
    check "$d: the updated article's quote" "1" \
        "$("$STORYLINE" --db $d.db quotes --json | jq '[.[] | select(.speaker == "Ansel Dorr")] | length')"
    check "$d: ... its speaker among its event's entities" "1" \
        "$("$STORYLINE" --db $d.db events --json | jq '[.[] | select(any(.entities[]; .name == "Ansel Dorr"))] | length')"
done
check "... no event left pending" "0" "$(sqlite3 inc_sliced.db 'SELECT count(*) FROM events_pending')"

# Again: all present, counted as such (no slice fills: present articles do not count).
sl --db sliced.db add --json --slice 10 in.jsonl
check "re-add: all present" '{"added":0,"present":25}' "$(jq -c '{added, present}' out.txt)"
check "re-add: one more batch" "4" "$(sqlite3 sliced.db 'SELECT count(*) FROM batches')"

# --slice takes a count: anything else is a usage error; run takes it too.
sl --db x.db add --slice -3 in.jsonl
check "--slice -3 refused" "2" "$rc"
check_contains "--slice -3 message" "--slice" err.txt
sl --db x.db add --slice 1O in.jsonl
check "--slice 1O refused" "2" "$rc"
sl run --slice 7 in.jsonl
check "run --slice 7" "0" "$rc"
check_contains "run --slice 7 report" "25 added" out.txt
"$STORYLINE" add --help >help.txt
check_contains "add --help names --slice" "--slice N" help.txt

# Killed mid-add: the store holds whole slices (a multiple of 500 articles) and is sound;
# the same add again completes it, finding the committed slices' articles present.
big=3000
"$GENCORPUS" --articles "$big" --seed 8 --avg-bytes 2000 --format text k
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
"$STORYLINE" --db k.db add -q --slice 500 k >/dev/null 2>&1 &
pid=$!
# Kill once the first slice is in (the store holds an article), at most 60 s on.
tries=0
while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 1200 ] &&
    [ "$(sqlite3 k.db 'SELECT count(*) FROM batches WHERE committed_at IS NOT NULL' 2>/dev/null || echo 0)" -lt 1 ]; do
    sleep 0.05
    tries=$((tries + 1))
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
n=$("$STORYLINE" --db k.db stats --json | jq .articles)
check "killed: whole slices only ($n articles)" "0" "$((n % 500))"
check "the kill landed mid-add ($n articles)" "true" \
    "$([ "$n" -gt 0 ] && [ "$n" -lt "$big" ] && echo true || echo false)"
check "killed: integrity" "ok" "$(sqlite3 k.db 'PRAGMA integrity_check')"
# The committed slices of a first load leave their events' facts and digests to its last
# slice, which the kill stopped: the events wait in events_pending.
check "killed: the events wait, pending" "true" \
    "$(sqlite3 k.db 'SELECT count(*) > 0 FROM events_pending' | sed 's/1/true/;s/0/false/')"
sl --db k.db add --json -q --slice 500 k
check "the same add after the kill" "0" "$rc"
check "... completes the store" "$big" "$("$STORYLINE" --db k.db stats --json | jq .articles)"
check "... finding the committed slices present" "$n" "$(jq .present out.txt)"
check "... and making the pending events' facts" "0" \
    "$(sqlite3 k.db 'SELECT count(*) FROM events_pending')"
# The same as the add not stopped: its slices are the same (present articles count for
# none), its events made once at its end.
sl --db k1.db add -q --slice 500 k
norm k.db >k.norm
norm k1.db >k1.norm
check "... the same as the add not killed (quotes and entities too)" "" \
    "$(diff k.norm k1.norm | head -20)"
check "... every event with its digest" "0" "$(sqlite3 k.db 'SELECT count(*) FROM events e
    WHERE NOT EXISTS (SELECT 1 FROM event_digests d WHERE d.event = e.id)')"

finish
