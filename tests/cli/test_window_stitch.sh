# The tools of the window stitch measurement (docs/scale.md, "What windows do to events,
# measured"): gen_corpus's stories and their truth, cluster_tune --groups (a group starts
# as one cluster and is never split, where without it the same articles fall in two
# events; a broken or unmatched file is refused with its line), bench/window_edges.py on
# a hand-made pair of windows, bench/window_stitch.sh end to end on a small corpus, and
# bench/window_stitch_cost.sh on its folder.
. "$SRCDIR/tests/cli/lib.sh"
: "${GENCORPUS:?}" "${SCOREEVENTS:?}" "${BUILDDIR:?}"
TUNE=$BUILDDIR/bench/cluster_tune
[ -x "$TUNE" ] || skip "no cluster_tune in $BUILDDIR/bench"
PY=/usr/bin/python3
[ -x "$PY" ] || skip "no /usr/bin/python3 for the bench scripts"

# Stories: 4 articles each, consecutive; the truth names each article's story.
"$GENCORPUS" --articles 200 --stories 4 20 --truth truth.jsonl corpus.jsonl
check "one truth line an article" 200 "$(wc -l <truth.jsonl | tr -d ' ')"
check "stories of four consecutive articles" \
    '{"id":"gen/0","event":"S0"} {"id":"gen/3","event":"S0"} {"id":"gen/4","event":"S1"}' \
    "$(sed -n '1p;4p;5p' truth.jsonl | tr '\n' ' ' | sed 's/ $//')"
for bad in "--truth t.jsonl" "--stories 0 10" "--stories 4294967296 10" \
    "--stories 4 20 --truth t.jsonl --format text"; do
    rc=0
    # shellcheck disable=SC2086 # the options, split
    "$GENCORPUS" --articles 4 $bad x.out 2>/dev/null || rc=$?
    check "gen_corpus refuses $bad" 2 "$rc"
done

"$STORYLINE" --db s.db add --quiet corpus.jsonl >/dev/null
event_of() { grep "\"id\":\"$2\"" "$1" | sed 's/.*"event":"\([^"]*\)".*/\1/'; }
events_of() { for i in 0 1 2 3 20 21 22 23; do event_of "$1" "gen/$i"; done | sort -u | wc -l | tr -d ' '; }
"$TUNE" s.db >none.jsonl
check "without groups, stories 0 and 5 fall in two events" 2 "$(events_of none.jsonl)"
# The two stories forced into one group.
for i in 0 1 2 3 20 21 22 23; do echo "{\"id\":\"gen/$i\",\"event\":\"G\"}"; done >groups.jsonl
"$TUNE" s.db --groups groups.jsonl >out.jsonl
check "a group is never split" 1 "$(events_of out.jsonl)"
check "every article placed" 200 "$(wc -l <out.jsonl | tr -d ' ')"
for bad in 'not json' '{"id":null,"event":"G"}' '{"id":"gen/1","event":"G"} junk' \
    '{"id":"gen/1"}'; do
    printf '{"id":"gen/0","event":"G"}\n%s\n' "$bad" >bad.jsonl
    rc=0
    "$TUNE" s.db --groups bad.jsonl >/dev/null 2>err.txt || rc=$?
    check "cluster_tune refuses the line $bad" 1 "$rc"
    check_contains "and says where" "bad.jsonl:2" err.txt
done
# A file whose every article starts alone (window_edges.py writes one when every event
# touches an edge) is a groups file: the placing as without groups.
for i in $(seq 0 199); do echo "{\"id\":\"gen/$i\",\"event\":null}"; done >nulls.jsonl
"$TUNE" s.db --groups nulls.jsonl >nulls.out
check "a file of null events places as without groups" "$(cat none.jsonl)" "$(cat nulls.out)"
echo '{"id":"elsewhere/1","event":"G"}' >none_named.jsonl
rc=0
"$TUNE" s.db --groups none_named.jsonl >/dev/null 2>err.txt || rc=$?
check "a groups file that names no article fails" 1 "$rc"
check_contains "and says so" "names no article" err.txt
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

# End to end: the reference scores 1 against itself; every partition has a row of numbers;
# the stitch joins window events (fewer events than apart).
EDGES=1 TRUTH=truth.jsonl sh "$SRCDIR/bench/window_stitch.sh" "$BUILDDIR" corpus.jsonl 2 \
    >table.txt 2>stitch.err || { cat stitch.err >&2; exit 1; }
check "the reference against itself" "1.0000" \
    "$(grep 'one store' table.txt | cut -d'|' -f6 | tr -d ' ')"
check "a row for each partition" 5 "$(grep -c '^| [^p-]' table.txt)"
check "every cell a figure" 0 "$(grep -c '?' table.txt)"
apart=$(grep ', apart (' table.txt | cut -d'|' -f3 | tr -d ' ')
stitched=$(grep 'stitched (cluster_tune' table.txt | cut -d'|' -f3 | tr -d ' ')
check "the stitch joins window events ($apart apart, $stitched stitched)" 1 \
    "$(awk -v a="$apart" -v s="$stitched" 'BEGIN { print (s + 0 > 0 && s + 0 < a + 0) }')"
check "a BCubed F1 against the truth on every row" 5 \
    "$(grep -c '| 0\.[0-9]\{4\} |$\|| 1\.0000 |$' table.txt)"
# The stitch's cost, emulated on that run's folder: the articles of the second window's
# events on its first day, added into the first window's store as new articles.
sh "$SRCDIR/bench/window_stitch_cost.sh" "$BUILDDIR" "$SCRATCH" 2 1 >cost.txt 2>cost.err ||
    { cat cost.err >&2; exit 1; }
row1=$(grep '^| window-001 ' cost.txt)
m=$(echo "$row1" | cut -d'|' -f5 | tr -d ' ')
check "some of the second window's articles are placed again, not all ($m)" 1 \
    "$(awk -v m="$m" 'BEGIN { print (m + 0 > 0 && m + 0 < 100) }')"
check "the stitch's batch added them all as new" "$m 0" \
    "$("$PY" -c 'import json, sys; s = json.load(open(sys.argv[1])); print(s["added"], s["present"])' \
        cost-2-1/window-001.stitch.json)"
check "with two windows the sum is the second's row" \
    "$(echo "$row1" | cut -d'|' -f3-6 | tr -d ' ')" \
    "$(grep '^| windows after the first' cost.txt | cut -d'|' -f3-6 | tr -d ' ')"
check "the share is the stitch's seconds over the window's own" \
    "$(echo "$row1" | awk -F'|' '{ printf "%.2f", $6 / $4 }')" \
    "$(sed -n "s/^the stitch's events stage: \([0-9.]*\) .*/\1/p" cost.txt)"
finish
