#!/bin/sh
# window_stitch.sh — what cutting a corpus into time windows does to its events, and what
# a stitch of the windows' events gives back (issue 23, docs/scale.md "The stitch").
#
#   bench/window_stitch.sh BUILD CORPUS WINDOWS...
#
# CORPUS (JSON Lines, dated) is added whole into one store: the reference, as one machine
# makes it. Then, for each count K of WINDOWS, its articles are sorted by date and cut
# into K windows of equal size, each added into its own store (`storyline add`, a fresh
# process each, as one writer a window would); the windows' events, side by side, are
# the partition "windowed". The stitch: `cluster_tune --groups` places every article of the
# corpus (the reference store's features and document frequencies: the windows' summed)
# with each window event's articles starting as one cluster, so that window events whose
# average link reaches the bar become one event. Each partition is scored against the
# reference's events (BCubed and pairwise F1, score_events), as is the same placing with
# no groups (the tool's own distance from the store's sliced, incremental placing: the
# floor the stitch can reach by this method).
#
# Prints a table: partition, events, BCubed P/R/F1 and pairwise F1 against the
# reference, seconds; with EDGES="D ...", the stitch again for each D with the articles of
# the window events within D days of their window's first or last day starting apart
# (placed again one by one, as a batch places the open events it takes back: bench/
# window_edges.py), the rest grouped; with TRUTH=FILE (JSON Lines {"id", "event"}: gen_corpus --truth),
# each partition's BCubed F1 against it too. Environment: SCRATCH=DIR (kept; default a temporary folder,
# removed), CHUNK=N (cluster_tune's chunk for the stitch; default the whole corpus in one
# chunk, which lets any two window events meet).
set -eu
if [ $# -lt 3 ]; then
    echo "usage: $0 BUILD CORPUS WINDOWS..." >&2
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
if [ -n "${SCRATCH:-}" ]; then
    dir=$SCRATCH
    mkdir -p "$dir"
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/window_stitch.XXXXXX")
    trap 'rm -rf "$dir"' EXIT
fi
n=$(wc -l <"$corpus")
chunk=${CHUNK:-$n}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# export_events STORE OUT: {"id", "event"} of every article, events prefixed with PREFIX.
export_events() {
    "$sl" --db "$1" export | $py -c '
import json, sys
prefix = sys.argv[1]
for line in sys.stdin:
    a = json.loads(line)
    ev = a.get("event")
    print(json.dumps({"id": a["id"], "event": prefix + ev if ev else None}))
' "${3:-}" >"$2"
}

# f1 GOLD PARTITION: BCubed F1 of PARTITION against GOLD.
f1() {
    "$score" "$1" "$2" | $py -c '
import sys
for line in sys.stdin:
    f = line.split()
    if f and f[0] == "BCubed":
        print(dict(zip(f[1::2], f[2::2])).get("F1", "?"))
'
}

# row NAME PARTITION SECONDS: its scores against the reference (and TRUTH's stories).
row() {
    truth_f1=""
    [ -z "${TRUTH:-}" ] || truth_f1=" $(f1 "$TRUTH" "$2") |"
    events=$($py -c 'import json, sys; print(len({json.loads(l)["event"] or json.loads(l)["id"] for l in open(sys.argv[1])}))' "$2")
    "$score" "$dir/reference.jsonl" "$2" | $py -c '
import sys
got = {}
for line in sys.stdin:
    f = line.split()
    if f and f[0] in ("BCubed", "pairwise"):
        got[f[0]] = dict(zip(f[1::2], f[2::2]))
b, p = got.get("BCubed", {}), got.get("pairwise", {})
name, events, secs = sys.argv[1:4]
cells = [name, events, b.get("P", "?"), b.get("R", "?"), b.get("F1", "?"), p.get("F1", "?"),
         "%.1f" % float(secs)]
print("| " + " | ".join(cells) + " |" + sys.argv[4])
' "$1" "$events" "$3" "$truth_f1"
}

echo "reference: $n articles of $corpus in one store" >&2
rm -f "$dir/reference.db" "$dir/reference.db-wal" "$dir/reference.db-shm"
t=$(now)
"$sl" --db "$dir/reference.db" add --quiet "$corpus" >/dev/null
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
"$tune" "$dir/reference.db" --chunk "$chunk" >"$dir/replaced.jsonl"
row "cluster_tune, no groups, chunk $chunk" "$dir/replaced.jsonl" "$(since "$t")"

# the corpus by date (undated last), once
$py -c '
import json, sys
rows = []
for i, line in enumerate(open(sys.argv[1])):
    d = json.loads(line).get("date") or "9999"
    rows.append((d[:10], i, line))
rows.sort()
with open(sys.argv[2], "w") as out:
    for _, _, line in rows:
        out.write(line)
' "$corpus" "$dir/by_date.jsonl"

for k in "$@"; do
    per=$(( (n + k - 1) / k ))
    rm -rf "$dir/w$k"
    mkdir -p "$dir/w$k"
    split -l "$per" -d -a 3 --additional-suffix=.jsonl "$dir/by_date.jsonl" "$dir/w$k/window-"
    : >"$dir/windowed-$k.jsonl"
    t=$(now)
    slowest=0
    for w in "$dir/w$k"/window-*.jsonl; do
        name=$(basename "$w" .jsonl)
        tw=$(now)
        "$sl" --db "$w.db" add --quiet "$w" >/dev/null
        sw=$(since "$tw")
        slowest=$(awk -v a="$sw" -v b="$slowest" 'BEGIN { print (a > b ? a : b) }')
        export_events "$w.db" "$w.events" "$name:"
        cat "$w.events" >>"$dir/windowed-$k.jsonl"
    done
    row "$k windows of $per, apart (seconds: all, one after the other; the slowest window $slowest)" \
        "$dir/windowed-$k.jsonl" "$(since "$t")"
    t=$(now)
    "$tune" "$dir/reference.db" --chunk "$chunk" --groups "$dir/windowed-$k.jsonl" \
        >"$dir/stitched-$k.jsonl"
    row "$k windows, stitched (cluster_tune --groups)" "$dir/stitched-$k.jsonl" "$(since "$t")"
    for edge in ${EDGES:-}; do
        $py "$src/bench/window_edges.py" "$dir/by_date.jsonl" "$dir/windowed-$k.jsonl" "$edge" \
            >"$dir/edges-$k-$edge.jsonl" 2>"$dir/edges-$k-$edge.txt"
        t=$(now)
        "$tune" "$dir/reference.db" --chunk "$chunk" --groups "$dir/edges-$k-$edge.jsonl" \
            >"$dir/stitched-$k-$edge.jsonl"
        row "$k windows, stitched, the events within $edge days of an edge placed again ($(cat "$dir/edges-$k-$edge.txt"))" \
            "$dir/stitched-$k-$edge.jsonl" "$(since "$t")"
    done
done
