#!/bin/sh
# window_stitch_cost.sh — what placing a window's edge events again would cost inside the
# store, emulated (issue 23, docs/scale.md "What windows do to events, measured").
#
#   bench/window_stitch_cost.sh BUILD SCRATCH K D
#
# SCRATCH is the kept folder of a `bench/window_stitch.sh` run (SCRATCH=DIR) with K among
# its window counts and D among its EDGES. For each window but the first, the articles
# its edge events hold (those that start apart in the stitch with edges of D days) are
# added as one batch into a copy of the window before's store, in a fresh process, as a
# stitch inside the store would place them: against the neighbour's events, as a batch
# places the open events it takes back. Prints, per window, its own `storyline add`'s
# events-stage seconds (its articles placed the first time) and those of the emulated
# stitch, and the sums: the stitch's events stage as a share of the windows' own. (The
# emulating add also reads, cleans and matches the edge articles; only its events stage is
# counted.)
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
edges=$dir/edges-$k-$edge.jsonl
[ -x "$sl" ] || { echo "$0: no $sl" >&2; exit 2; }
[ -f "$edges" ] || { echo "$0: no $edges (run window_stitch.sh with K=$k, EDGES=$edge, SCRATCH=$dir)" >&2; exit 2; }
work=$dir/cost-$k-$edge
rm -rf "$work"
mkdir -p "$work"

# cluster_seconds JSON: the events stage of an `add --json` summary.
cluster_seconds() {
    $py -c 'import json, sys; print(json.load(open(sys.argv[1]))["stage_seconds"]["cluster"])' "$1"
}

echo "| window | articles | its own add: events stage s | edge articles | the stitch's add: events stage s |"
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
    # the articles of this window whose events start apart
    $py -c '
import json, sys
loose = {r["id"] for r in map(json.loads, open(sys.argv[1])) if r["event"] is None}
for line in open(sys.argv[2]):
    if json.loads(line)["id"] in loose:
        sys.stdout.write(line)
' "$edges" "$w" >"$work/$name.edge.jsonl"
    m=$(awk 'END { print NR }' "$work/$name.edge.jsonl")
    cp "$work/$prev.db" "$work/$name.stitch.db"
    stitch=0
    if [ "$m" -gt 0 ]; then
        "$sl" --db "$work/$name.stitch.db" add --json --quiet "$work/$name.edge.jsonl" \
            >"$work/$name.stitch.json" || { echo "$0: the stitch's add failed" >&2; exit 1; }
        stitch=$(cluster_seconds "$work/$name.stitch.json")
    fi
    rm -f "$work/$name.stitch.db"
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
