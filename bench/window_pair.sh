#!/bin/sh
# What one machine does with a store per window (docs/scale.md, "The 100 M projection"):
# SIZE articles added by one `storyline add` into a store alone, then two windows of SIZE
# articles each (the next 2 x SIZE lines of the corpus) added at once, each by its own
# `storyline add` into its own store; the wall time, articles a second and peak memory of
# each. The two at once share the machine's cores: their articles a second against one
# alone is what a second writer on the machine buys.
#
# usage: bench/window_pair.sh BUILD CORPUS SIZE
# environment: SCRATCH=DIR, kept (default a new folder in /tmp, removed unless KEEP=1)
set -eu

if [ $# -ne 3 ]; then
    sed -n '2,10p' "$0" >&2
    exit 2
fi
build=$1 corpus=$2 size=$3
sl=$build/storyline
[ -x "$sl" ] || { echo "$0: $sl not built" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "$0: needs /usr/bin/time (GNU time, for the peak RSS)" >&2; exit 2; }
if [ -n "${SCRATCH:-}" ]; then
    dir=$SCRATCH
    mkdir -p "$dir"
else
    dir=$(mktemp -d /tmp/storyline-windows-XXXXXX)
    [ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$dir"' EXIT
fi

have=$(head -n $((3 * size)) "$corpus" | wc -l)
[ "$have" -ge $((3 * size)) ] || { echo "$0: $corpus has $have lines, fewer than $((3 * size))" >&2; exit 2; }
head -n "$size" "$corpus" >"$dir/alone.jsonl"
head -n $((2 * size)) "$corpus" | tail -n "$size" >"$dir/a.jsonl"
head -n $((3 * size)) "$corpus" | tail -n "$size" >"$dir/b.jsonl"
rm -f "$dir"/alone.db* "$dir"/a.db* "$dir"/b.db*
sync

add() {  # add NAME: the window NAME.jsonl into NAME.db; wall s and peak KB into NAME.time
    /usr/bin/time -f "%e %M %U %S" -o "$dir/$1.time" \
        "$sl" --db "$dir/$1.db" add -q "$dir/$1.jsonl" >/dev/null
}
echo "one window of $size articles alone" >&2
add alone
echo "two windows of $size articles at once" >&2
t0=$(date +%s.%N)
add a &
pa=$!
add b &
pb=$!
wait "$pa"
wait "$pb"
t1=$(date +%s.%N)

/usr/bin/python3 - "$dir" "$size" "$t0" "$t1" <<'EOF'
import os, sys
d, size, t0, t1 = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
def fig(name):
    wall, kb, user, sys_ = open(os.path.join(d, name + ".time")).read().split()[-4:]
    return float(wall), int(kb) / 1024.0, float(user) + float(sys_)
w, mb, cpu = fig("alone")
print("one window alone:      %7.1f s  %5.0f articles/s  peak %5.0f MB  CPU %.0f s (%.2f cores)"
      % (w, size / w, mb, cpu, cpu / w))
both = t1 - t0
for n in ("a", "b"):
    wn, mbn, cpun = fig(n)
    print("window %s of the pair:  %7.1f s  %5.0f articles/s  peak %5.0f MB  CPU %.0f s"
          % (n, wn, size / wn, mbn, cpun))
print("the pair:              %7.1f s  %5.0f articles/s for the machine (%.2fx one alone)"
      % (both, 2 * size / both, (2 * size / both) / (size / w)))
EOF
