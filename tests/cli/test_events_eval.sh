# Events on the labelled sets of ../shared/eval/event-clustering (read there, never
# copied): one batch scores at least its floor against the gold events, and the set added
# in five batches (consecutive fifths, and every fifth article in turn) agrees with the one
# batch at least as well as its floor. The floors are in tests/floors.sh and may only rise.
# Without ../shared: fails under CI=true, else skipped, saying so (lib.sh's need_shared).
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/floors.sh"
: "${SCOREEVENTS:?}"
EVAL="$SHARED/eval/event-clustering"
need_shared "$EVAL/ecbplus.dev.jsonl"
need_shared "$EVAL/giveme5w1h-news-cluster.dev.jsonl"
f1() { "$SCOREEVENTS" "$1" "$2" | awk '/BCubed/ { print $7 }'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "" && a + 0 >= b + 0) }'; }
floor_of() { eval "echo \"\${$1:?no floor $1 in tests/floors.sh}\""; }

for name in giveme5w1h-news-cluster ecbplus; do
    var=$(echo "$name" | tr -- '-' '_')
    sl --db "$name.one.db" -q add "$EVAL/$name.dev.jsonl"
    check "$name: one batch" 0 "$rc"
    "$STORYLINE" --db "$name.one.db" export --format jsonl > "$name.one.jsonl"
    got=$(f1 "$EVAL/$name.dev.jsonl" "$name.one.jsonl")
    floor=$(floor_of "EVENTS_F1_$var")
    echo "$name: BCubed F1 against the gold $got (floor $floor)"
    check "$name: BCubed F1 $got against the gold, at least $floor" 1 "$(at_least "$got" "$floor")"
    for mode in l r; do
        rm -f part.*
        split -n "$mode/5" "$EVAL/$name.dev.jsonl" part.
        for p in part.aa part.ab part.ac part.ad part.ae; do
            mv "$p" "$p.jsonl"
            sl --db "$name.$mode.db" -q add "$p.jsonl"
            check "$name: batch $p ($mode/5)" 0 "$rc"
        done
        "$STORYLINE" --db "$name.$mode.db" export --format jsonl > "$name.$mode.jsonl"
        got=$(f1 "$name.one.jsonl" "$name.$mode.jsonl")
        floor=$(floor_of "EVENTS_AGREE_${mode}_$var")
        echo "$name: five batches ($mode/5) against one: BCubed F1 $got (floor $floor)"
        check "$name: five batches ($mode/5) agree with one: $got, at least $floor" 1 \
            "$(at_least "$got" "$floor")"
    done
done
finish
