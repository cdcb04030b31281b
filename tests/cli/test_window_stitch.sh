# The tools of the window stitch measurement (docs/scale.md, "The stitch"):
# gen_corpus's stories and their truth, cluster_tune --groups (a group starts as one
# cluster and is never split; an article it does not name starts alone; a broken file is
# refused with its line), bench/window_edges.py on a hand-made pair of windows, and
# bench/window_stitch.sh end to end on a small corpus.
. "$SRCDIR/tests/cli/lib.sh"
: "${GENCORPUS:?}" "${SCOREEVENTS:?}" "${BUILDDIR:?}"
TUNE=$BUILDDIR/bench/cluster_tune
[ -x "$TUNE" ] || skip "no cluster_tune in $BUILDDIR/bench"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no /usr/bin/python3 for the bench scripts"

# Stories: 4 articles each, consecutive; the truth names each article's story.
"$GENCORPUS" --articles 40 --stories 4 10 --truth truth.jsonl corpus.jsonl
check "one truth line an article" 40 "$(wc -l <truth.jsonl | tr -d ' ')"
check "stories of four consecutive articles" \
    '{"id":"gen/0","event":"S0"} {"id":"gen/3","event":"S0"} {"id":"gen/4","event":"S1"}' \
    "$(sed -n '1p;4p;5p' truth.jsonl | tr '\n' ' ' | sed 's/ $//')"
rc=0
"$GENCORPUS" --articles 4 --truth t.jsonl x.jsonl 2>/dev/null || rc=$?
check "a truth without stories is refused" 2 "$rc"

"$STORYLINE" --db s.db add --quiet corpus.jsonl >/dev/null
# Two stories that share nothing, forced into one group; gen/8 left out of the file.
{
    for i in 0 1 2 3 20 21 22 23; do echo "{\"id\":\"gen/$i\",\"event\":\"G\"}"; done
    for i in $(seq 9 19) $(seq 24 39); do echo "{\"id\":\"gen/$i\",\"event\":\"own$i\"}"; done
} >groups.jsonl
"$TUNE" s.db --groups groups.jsonl >out.jsonl
event_of() { grep "\"id\":\"$1\"" out.jsonl | sed 's/.*"event":"\([^"]*\)".*/\1/'; }
check "a group is never split" "1" \
    "$(for i in 0 1 2 3 20 21 22 23; do event_of "gen/$i"; done | sort -u | wc -l | tr -d ' ')"
check "every article placed" 40 "$(wc -l <out.jsonl | tr -d ' ')"
printf '{"id":"gen/0","event":"G"}\nnot json\n' >bad.jsonl
rc=0
"$TUNE" s.db --groups bad.jsonl >/dev/null 2>err.txt || rc=$?
check "a broken groups file fails" 1 "$rc"
check_contains "and says where" "bad.jsonl:2" err.txt
rc=0
"$TUNE" s.db --groups missing.jsonl >/dev/null 2>err.txt || rc=$?
check "a missing groups file fails" 1 "$rc"

# window_edges.py: window w0 runs from day 1 to day 5, w1 from day 6 to day 9. With one day
# of edge, w0:A (days 1-2), w0:X (day 5), w1:E (day 6) and w1:D (day 9) touch an edge,
# w0:B (days 3-4) and w1:C (days 7-8) do not; an article without an event stays without.
cat >dated.jsonl <<'J'
{"id":"a1","date":"2024-03-01"}
{"id":"a2","date":"2024-03-02"}
{"id":"b1","date":"2024-03-03"}
{"id":"b2","date":"2024-03-04"}
{"id":"x","date":"2024-03-05"}
{"id":"c1","date":"2024-03-07"}
{"id":"c2","date":"2024-03-08"}
{"id":"d1","date":"2024-03-09"}
{"id":"e1","date":"2024-03-06"}
{"id":"f1","date":"2024-03-07"}
J
cat >windowed.jsonl <<'J'
{"id":"a1","event":"w0:A"}
{"id":"a2","event":"w0:A"}
{"id":"b1","event":"w0:B"}
{"id":"b2","event":"w0:B"}
{"id":"x","event":"w0:X"}
{"id":"c1","event":"w1:C"}
{"id":"c2","event":"w1:C"}
{"id":"d1","event":"w1:D"}
{"id":"e1","event":"w1:E"}
{"id":"f1","event":null}
J
"$PY" "$SRCDIR/bench/window_edges.py" dated.jsonl windowed.jsonl 1 >edges.jsonl 2>edges.txt
check "the edge events start apart, the inner ones grouped" \
    "a1:None a2:None b1:w0:B b2:w0:B x:None c1:w1:C c2:w1:C d1:None e1:None f1:None" \
    "$("$PY" -c 'import json, sys
print(" ".join("%s:%s" % (r["id"], r["event"]) for r in map(json.loads, open(sys.argv[1]))))' edges.jsonl)"
check_contains "and says how many" "5 of 10 articles start apart" edges.txt

# End to end: the reference scores 1 against itself; every partition has a row.
EDGES=1 TRUTH=truth.jsonl sh "$SRCDIR/bench/window_stitch.sh" "$BUILDDIR" corpus.jsonl 2 \
    >table.txt 2>stitch.err
check_contains "the reference against itself" \
    "| one store (the reference) | " table.txt
check "its BCubed F1 is 1" "1.0000" \
    "$(grep 'one store' table.txt | cut -d'|' -f6 | tr -d ' ')"
check "a row for each partition" 5 "$(grep -c '^| [^p-]' table.txt)"
finish
