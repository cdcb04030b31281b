#!/bin/sh
# window_stitch.sh — what cutting a corpus into time windows does to its events, and what
# a stitch of the windows' events gives back (issue 23, docs/scale.md "What windows do to
# events, measured").
#
#   bench/window_stitch.sh BUILD CORPUS K...
#
# CORPUS (JSON Lines, dated) is added whole into one store: the reference, as one machine
# makes it. Then, for each K, its articles are sorted by date and cut into K windows of
# equal size (the last may be shorter, and there may be fewer than K when K does not
# divide the corpus well: the table says how many), each added into its own store
# (`storyline add`, a fresh process each, as one writer a window would); the windows'
# events side by side are the partition "apart". The stitch: `cluster_tune --groups`
# places every article of the corpus (the reference store's features and document
# frequencies: what the windows' counts summed give) with each window event's articles
# starting as one cluster, so that window events whose average link reaches the bar
# become one event. Each partition is scored against the reference's events (BCubed and
# pairwise F1, score_events), as is the same placing with no groups (the tool's own
# distance from the store's sliced, incremental placing).
#
# Prints a table: partition, events, BCubed P/R/F1 and pairwise F1 against the reference,
# seconds. EDGES="D ...": the stitch again for each D, with the articles of the window
# events that have an article on one of their window's first or last D days starting
# apart (placed again one by one, as a batch places the open events it takes back:
# bench/window_edges.py), the rest grouped. TRUTH=FILE (JSON Lines {"id", "event"}:
# gen_corpus --truth): each partition's BCubed F1 against it too. SCRATCH=DIR: work there
# and keep it (default a temporary folder, removed). CHUNK=N: cluster_tune's chunk
# (default the whole corpus in one chunk, which lets any two window events meet).
# Needs GNU coreutils (split --additional-suffix, date +%N) and /usr/bin/python3.
set -eu
export LC_ALL=C
if [ $# -lt 3 ]; then
    echo "usage: $0 BUILD CORPUS K..." >&2
    exit 2
fi
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
corpus=$2
shift 2
sl=$build/storyline
tune=$build/bench/cluster_tune
score=$build/bench/score_events
py=/usr/bin/python3
for tool in "$sl" "$tune" "$score"; do
    [ -x "$tool" ] || { echo "$0: $tool is missing (build the bench targets)" >&2; exit 2; }
done
[ -f "$corpus" ] || { echo "$0: no corpus at $corpus" >&2; exit 2; }
for k in "$@"; do
    case $k in
    '' | *[!0-9]* | 0*) echo "$0: K must be a count of windows, not '$k'" >&2; exit 2 ;;
    esac
done
if [ -n "${SCRATCH:-}" ]; then
    dir=$SCRATCH
    mkdir -p "$dir"
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/window_stitch.XXXXXX")
    trap 'rm -rf "$dir"' EXIT
fi
n=$(awk 'END { print NR }' "$corpus") # a last line without its newline counts too
chunk=${CHUNK:-$n}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
fail() { echo "$0: $*" >&2; exit 1; }

# add STORE INPUT: one `storyline add` in a fresh process; its messages shown if it fails.
add() {
    "$sl" --db "$1" add --quiet "$2" >"$dir/add.log" 2>&1 ||
        { cat "$dir/add.log" >&2; fail "storyline add of $2 failed"; }
}

# export_events STORE OUT [PREFIX]: {"id", "event"} of every article, events prefixed.
export_events() {
    "$sl" --db "$1" export >"$dir/export.jsonl" || fail "export of $1 failed"
    $py -c '
import json, sys
prefix = sys.argv[1]
for line in sys.stdin:
    a = json.loads(line)
    ev = a.get("event")
    print(json.dumps({"id": a["id"], "event": prefix + ev if ev else None}))
' "${3:-}" <"$dir/export.jsonl" >"$2" || fail "export of $1 unreadable"
}

# scores GOLD PARTITION: score_events' lines, or a failure.
scores() {
    "$score" "$1" "$2" >"$dir/scores.txt" || fail "score_events $1 $2 failed"
    grep -q '^BCubed' "$dir/scores.txt" || fail "score_events $1 $2 gave no BCubed line"
}

# row NAME PARTITION SECONDS: its scores against the reference (and TRUTH's stories).
row() {
    truth_f1=""
    if [ -n "${TRUTH:-}" ]; then
        scores "$TRUTH" "$2"
        truth_f1=" $(awk '$1 == "BCubed" { print $7 }' "$dir/scores.txt") |"
    fi
    events=$($py -c 'import json, sys
print(len({r["event"] or r["id"] for r in map(json.loads, open(sys.argv[1]))}))' "$2")
    scores "$dir/reference.jsonl" "$2"
    $py -c '
import sys
got = {}
for line in open(sys.argv[5]):
    f = line.split()
    if f and f[0] in ("BCubed", "pairwise"):
        got[f[0]] = dict(zip(f[1::2], f[2::2]))
b, p = got["BCubed"], got["pairwise"]
name, events, secs = sys.argv[1:4]
cells = [name, events, b["P"], b["R"], b["F1"], p["F1"], "%.1f" % float(secs)]
print("| " + " | ".join(cells) + " |" + sys.argv[4])
' "$1" "$events" "$3" "$truth_f1" "$dir/scores.txt"
}

echo "reference: $n articles of $corpus in one store" >&2
rm -f "$dir/reference.db" "$dir/reference.db-wal" "$dir/reference.db-shm"
t=$(now)
add "$dir/reference.db" "$corpus"
ref_s=$(since "$t")
export_events "$dir/reference.db" "$dir/reference.jsonl"

if [ -n "${TRUTH:-}" ]; then
    echo "| partition | events | BCubed P | BCubed R | BCubed F1 | pairwise F1 | seconds | BCubed F1 against the truth |"
    echo "|---|---|---|---|---|---|---|---|"
else
    echo "| partition | events | BCubed P | BCubed R | BCubed F1 | pairwise F1 | seconds |"
    echo "|---|---|---|---|---|---|---|"
fi
row "one store (the reference)" "$dir/reference.jsonl" "$ref_s"
t=$(now)
"$tune" "$dir/reference.db" --chunk "$chunk" >"$dir/replaced.jsonl" || fail "cluster_tune failed"
row "cluster_tune, no groups, chunk $chunk" "$dir/replaced.jsonl" "$(since "$t")"

# the corpus by date (undated last), once; every line ends with its newline
$py -c '
import json, sys
rows = []
for i, line in enumerate(open(sys.argv[1])):
    d = json.loads(line).get("date") or "9999"
    rows.append((d[:10], i, line if line.endswith("\n") else line + "\n"))
rows.sort()
with open(sys.argv[2], "w") as out:
    for _, _, line in rows:
        out.write(line)
' "$corpus" "$dir/by_date.jsonl" || fail "the corpus cannot be sorted by date"

for k in "$@"; do
    per=$(( (n + k - 1) / k ))
    rm -rf "$dir/w$k"
    mkdir -p "$dir/w$k"
    split -l "$per" -d -a 3 --additional-suffix=.jsonl "$dir/by_date.jsonl" "$dir/w$k/window-"
    made=$(ls "$dir/w$k"/window-*.jsonl | wc -l | tr -d ' ')
    : >"$dir/windowed-$k.jsonl"
    t=$(now)
    slowest=0
    for w in "$dir/w$k"/window-*.jsonl; do
        name=$(basename "$w" .jsonl)
        tw=$(now)
        add "$dir/w$k/$name.db" "$w"
        sw=$(since "$tw")
        slowest=$(awk -v a="$sw" -v b="$slowest" 'BEGIN { print (a > b ? a : b) }')
        export_events "$dir/w$k/$name.db" "$dir/w$k/$name.events" "$name:"
        cat "$dir/w$k/$name.events" >>"$dir/windowed-$k.jsonl"
    done
    row "$made windows of $per, apart (seconds: all, one after the other; the slowest window $slowest)" \
        "$dir/windowed-$k.jsonl" "$(since "$t")"
    t=$(now)
    "$tune" "$dir/reference.db" --chunk "$chunk" --groups "$dir/windowed-$k.jsonl" \
        >"$dir/stitched-$k.jsonl" || fail "cluster_tune --groups failed"
    row "$made windows, stitched (cluster_tune --groups)" "$dir/stitched-$k.jsonl" "$(since "$t")"
    for edge in ${EDGES:-}; do
        $py "$src/bench/window_edges.py" "$dir/by_date.jsonl" "$dir/windowed-$k.jsonl" "$edge" \
            >"$dir/edges-$k-$edge.jsonl" 2>"$dir/edges-$k-$edge.txt" ||
            { cat "$dir/edges-$k-$edge.txt" >&2; fail "window_edges.py failed"; }
        t=$(now)
        "$tune" "$dir/reference.db" --chunk "$chunk" --groups "$dir/edges-$k-$edge.jsonl" \
            >"$dir/stitched-$k-$edge.jsonl" || fail "cluster_tune --groups failed"
        row "$made windows, stitched, the events on their window's first or last $edge days placed again ($(cat "$dir/edges-$k-$edge.txt"))" \
            "$dir/stitched-$k-$edge.jsonl" "$(since "$t")"
    done
done
