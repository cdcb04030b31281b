# Events on the labelled sets of ../shared/eval/event-clustering (read there, never
# copied): one batch scores at least the issue's floors against the gold events, and the
# set added in five batches (consecutive fifths, and every fifth article in turn) agrees
# with the one batch. Skipped where the shared data is absent.
. "$SRCDIR/tests/cli/lib.sh"
: "${SCOREEVENTS:?}"
EVAL="$SRCDIR/../shared/eval/event-clustering"
[ -f "$EVAL/ecbplus.dev.jsonl" ] && [ -f "$EVAL/giveme5w1h-news-cluster.dev.jsonl" ] || {
    echo "no $EVAL: skipped"
    exit 77
}
f1() { "$SCOREEVENTS" "$1" "$2" | awk '/BCubed/ { print $7 }'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) }'; }

# set, gold floor, agreement floors of consecutive fifths and of every fifth in turn
for row in "giveme5w1h-news-cluster 0.95 0.99 0.99" "ecbplus 0.92 0.99 0.98"; do
    set -- $row
    name=$1
    sl --db "$name.one.db" -q add "$EVAL/$name.dev.jsonl"
    check "$name: one batch" 0 "$rc"
    "$STORYLINE" --db "$name.one.db" export --format jsonl > "$name.one.jsonl"
    got=$(f1 "$EVAL/$name.dev.jsonl" "$name.one.jsonl")
    check "$name: BCubed F1 $got against the gold, at least $2" 1 "$(at_least "$got" "$2")"
    for mode in l r; do
        rm -f part.*
        split -n "$mode/5" "$EVAL/$name.dev.jsonl" part.
        for p in part.aa part.ab part.ac part.ad part.ae; do
            mv "$p" "$p.jsonl"
            sl --db "$name.$mode.db" -q add "$p.jsonl"
        done
        "$STORYLINE" --db "$name.$mode.db" export --format jsonl > "$name.$mode.jsonl"
        got=$(f1 "$name.one.jsonl" "$name.$mode.jsonl")
        floor=$([ "$mode" = l ] && echo "$3" || echo "$4")
        check "$name: five batches ($mode/5) agree with one: $got, at least $floor" 1 \
            "$(at_least "$got" "$floor")"
    done
done
finish
