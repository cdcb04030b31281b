#!/bin/sh
# One corpus added as N batches of SIZE articles, each `storyline add` a fresh process into
# the same store, as a newsroom feeding it every hour would: per batch the wall time, the
# stages' seconds, the peak memory and the store's bytes; then the whole. Issue 22's
# target is 10 batches of 100,000 in 12 minutes in all (docs/bench.md, "Batches").
#
# usage: bench/batches.sh BUILD CORPUS [N [SIZE]]      (default 10 batches of 100000)
#   CORPUS: JSON Lines with at least N x SIZE lines (bench/gen_corpus makes one)
# environment:
#   SCRATCH=DIR  where the batches and the store go (default a new folder in /tmp);
#                KEEP=1 keeps it
#   ADD_ARGS=... more options for every `add`
set -eu

if [ $# -lt 2 ]; then
    sed -n '2,12p' "$0" >&2
    exit 2
fi
build=$1
corpus=$2
n=${3:-10}
size=${4:-100000}
sl=$build/storyline
[ -x "$sl" ] || { echo "$0: $sl not built" >&2; exit 2; }
[ -r "$corpus" ] || { echo "$0: cannot read $corpus" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "$0: needs /usr/bin/time (GNU time, for the peak RSS)" >&2; exit 2; }
py=/usr/bin/python3
if [ -n "${SCRATCH:-}" ]; then
    dir=$SCRATCH
    mkdir -p "$dir"
else
    dir=$(mktemp -d /tmp/storyline-batches-XXXXXX)
fi
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$dir"' EXIT
db=$dir/store.db
rm -f "$db" "$db-journal" "$dir"/batch-*

# One line of the table from an add's --json, its time (wall, peak KB) and the totals.
row='
import json, sys
j = json.load(open(sys.argv[1]))
wall, rss = open(sys.argv[2]).read().split()[-2:]
wall, rss = float(wall), int(rss) / 1024
i, lines, store, total_in, articles = (int(x) for x in sys.argv[3:8])
open(sys.argv[8], "a").write(f"{wall}\n")
s = j["stage_seconds"]
ing, cl, ma, ev, fa, pr, co = (s.get(k, 0) for k in ("ingest", "clean", "match", "cluster",
                                                     "facts", "present", "commit"))
other = wall - (ing + cl + ma + ev + fa + pr + co)
print(f"{i + 1:<6} {lines:9d} {wall:9.1f} {ing:8.1f} {cl:8.1f} {ma:8.1f} {ev:8.1f} {fa:8.1f}"
      f" {pr:8.1f} {co:8.1f} {other:8.1f} {rss:10.0f} {store / articles:10.0f}"
      f"  ({store / total_in:.2f}x the input)",
      flush=True)
'


# split first: the adds' time is theirs alone
head -n $((n * size)) "$corpus" | split -l "$size" -d -a 4 --additional-suffix=.jsonl - "$dir/batch-"
printf '%-6s %9s %9s %8s %8s %8s %8s %8s %8s %8s %8s %10s %10s\n' batch articles wall ingest \
    clean match events facts present commit other "peak MB" "store B/a"
i=0
total_in=0
articles=0
: >"$dir/walls"
for part in "$dir"/batch-*; do
    lines=$(wc -l <"$part")
    bytes=$(wc -c <"$part")
    total_in=$((total_in + bytes))
    articles=$((articles + lines))
    # shellcheck disable=SC2086
    /usr/bin/time -f '%e %M' -o "$dir/time" "$sl" --db "$db" add --json -q ${ADD_ARGS:-} \
        "$part" >"$dir/add.json"
    store=$(stat -c %s "$db")
    "$py" -c "$row" "$dir/add.json" "$dir/time" "$i" "$lines" "$store" "$total_in" \
        "$articles" "$dir/walls"
    rm -f "$part"
    i=$((i + 1))
done
"$py" -c 'import sys
t = sum(float(x) for x in open(sys.argv[1]))
print(f"all {sys.argv[2]} batches ({sys.argv[3]} articles): {t:.1f} s ({t / 60:.1f} min),"
      f" {int(sys.argv[3]) / t:.0f} articles/s")' "$dir/walls" "$i" "$articles"
