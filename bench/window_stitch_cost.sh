#!/bin/sh
# window_stitch_cost.sh — what placing again the events at the cuts between windows would
# cost inside the store, emulated for one side of each cut (issue 23, docs/scale.md "What
# windows do to events, measured").
#
#   bench/window_stitch_cost.sh BUILD SCRATCH K D
#
# SCRATCH is the kept folder of a `bench/window_stitch.sh` run (SCRATCH=DIR) with K among
# its window counts. For each window but the first, the articles of its events that have
# an article on its first D days (the events its cut with the window before touches) are
# added as one batch into a copy of the window before's store, in a fresh process: placed
# against the neighbour's events, as a stitch inside the store would place them (the
# window before's own events at that cut, on its last D days, are not placed again here:
# a stitch would place those too, so this is one side of each cut). Prints, per window,
# its own `storyline add`'s events-stage seconds (each window added again, `--json`) and
# those of the emulated stitch, the sums over the windows after the first, and the
# stitch's share. Only the events stage is counted; the stitch's add also reads, cleans
# and matches the articles (which a stitch inside the store would not) and makes the
# touched events' facts and summaries (which it would).
set -eu
export LC_ALL=C
if [ $# -ne 4 ]; then
    echo "usage: $0 BUILD SCRATCH K D" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
dir=$(cd "$2" && pwd)
k=$3 edge=$4
sl=$build/storyline
py=/usr/bin/python3
windowed=$dir/windowed-$k.jsonl
[ -x "$sl" ] || { echo "$0: no $sl" >&2; exit 2; }
[ -x "$py" ] || { echo "$0: no $py" >&2; exit 2; }
[ -f "$windowed" ] && [ -f "$dir/by_date.jsonl" ] ||
    { echo "$0: no $windowed (run window_stitch.sh with K=$k and SCRATCH=$dir)" >&2; exit 2; }
work=$dir/cost-$k-$edge
rm -rf "$work"
mkdir -p "$work"

# cluster_seconds JSON: the events stage of an `add --json` summary.
cluster_seconds() {
    $py -c 'import json, sys; print(json.load(open(sys.argv[1]))["stage_seconds"]["cluster"])' "$1"
}

# every window's events on its first D days, once (they start apart: event null)
$py "$(cd "$(dirname "$0")" && pwd)/window_edges.py" --first "$dir/by_date.jsonl" "$windowed" \
    "$edge" >"$work/first.jsonl" 2>"$work/first.txt" ||
    { cat "$work/first.txt" >&2; echo "$0: window_edges.py failed" >&2; exit 1; }
# ... and each window's articles of them, as WORK/window-NNN.edge.jsonl
$py -c '
import json, os, sys
first, windowed, work = sys.argv[1:4]
had = {r["id"] for r in map(json.loads, open(windowed)) if r["event"] is not None}
loose = {r["id"] for r in map(json.loads, open(first)) if r["event"] is None} & had
for w in sys.argv[4:]:
    name = os.path.basename(w)[: -len(".jsonl")]
    with open(os.path.join(work, name + ".edge.jsonl"), "w") as out:
        for line in open(w):
            if json.loads(line)["id"] in loose:
                out.write(line)
' "$work/first.jsonl" "$windowed" "$work" "$dir/w$k"/window-*.jsonl ||
    { echo "$0: the edge articles cannot be picked" >&2; exit 1; }

echo "| window | articles | its own add: events stage s | articles of its events on its first $edge days | the stitch's add into the window before: events stage s |"
echo "|---|---|---|---|---|"
prev=""
own_sum=0 stitch_sum=0 own_n=0 edge_n=0
for w in "$dir/w$k"/window-*.jsonl; do
    name=$(basename "$w" .jsonl)
    # its own add again, timed (window_stitch.sh's add did not keep its summary)
    rm -f "$work/$name.db"
    "$sl" --db "$work/$name.db" add --json --quiet "$w" >"$work/$name.own.json" ||
        { echo "$0: add of $w failed" >&2; exit 1; }
    own=$(cluster_seconds "$work/$name.own.json")
    n=$(awk 'END { print NR }' "$w")
    if [ -z "$prev" ]; then
        echo "| $name | $n | $own | (the first: no window before) | |"
        prev=$name
        continue
    fi
    m=$(awk 'END { print NR }' "$work/$name.edge.jsonl")
    for ext in "" -wal; do # the store as its add left it
        [ ! -f "$work/$prev.db$ext" ] || cp "$work/$prev.db$ext" "$work/$name.stitch.db$ext"
    done
    stitch=0
    if [ "$m" -gt 0 ]; then
        "$sl" --db "$work/$name.stitch.db" add --json --quiet "$work/$name.edge.jsonl" \
            >"$work/$name.stitch.json" || { echo "$0: the stitch's add failed" >&2; exit 1; }
        stitch=$(cluster_seconds "$work/$name.stitch.json")
    fi
    rm -f "$work/$name.stitch.db" "$work/$name.stitch.db-wal" "$work/$name.stitch.db-shm" \
        "$work/$prev.db" "$work/$prev.db-wal" "$work/$prev.db-shm"
    echo "| $name | $n | $own | $m | $stitch |"
    own_sum=$(awk -v a="$own_sum" -v b="$own" 'BEGIN { print a + b }')
    stitch_sum=$(awk -v a="$stitch_sum" -v b="$stitch" 'BEGIN { print a + b }')
    own_n=$((own_n + n))
    edge_n=$((edge_n + m))
    prev=$name
done
echo "| windows after the first, summed | $own_n | $own_sum | $edge_n | $stitch_sum |"
awk -v a="$own_sum" -v b="$stitch_sum" -v n="$own_n" -v m="$edge_n" 'BEGIN {
    printf "the stitch'"'"'s events stage: %.2f of the windows'"'"' own (%.2f of their articles placed again)\n", b / a, m / n }'
