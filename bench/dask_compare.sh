#!/bin/sh
# One process against Dask: the first SIZE articles of a JSON Lines corpus, cut into SHARDS
# files, added by one `storyline add` into a new store, then by `python3 -m storyline.dask
# --workers WORKERS` (a LocalCluster here) into another; the wall time and peak memory of
# each (the pipeline's writer and every worker apart), their ratio, and whether the two
# stores say the same (md5 of `events --json` and `dups --json`). docs/scale.md ("One
# process against the pipeline, at 1M") quotes it.
#
# usage: bench/dask_compare.sh BUILD CORPUS SIZE [SHARDS [WORKERS]]
#        (default 50 shards, 2 workers)
# environment:
#   ONLY=dask|single  run one side only (the other's figures from an earlier run)
#   SCRATCH=DIR       where the shards and stores go, kept (default a new folder in
#                     /tmp, removed at the end unless KEEP=1)
set -eu

if [ $# -lt 3 ]; then
    sed -n '2,13p' "$0" >&2
    exit 2
fi
build=$(cd "$1" && pwd) corpus=$2 size=$3 shards=${4:-50} workers=${5:-2}
sl=$build/storyline
py=/usr/bin/python3
[ -x "$sl" ] || { echo "$0: $sl not built" >&2; exit 2; }
[ -d "$build/python/storyline" ] || { echo "$0: $build/python/storyline not built" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "$0: needs /usr/bin/time (GNU time, for the peak RSS)" >&2; exit 2; }
"$py" -c "import dask.distributed" 2>/dev/null ||
    { echo "$0: needs python3-distributed" >&2; exit 2; }

if [ -n "${SCRATCH:-}" ]; then
    mkdir -p "$SCRATCH"
    dir=$(cd "$SCRATCH" && pwd)
else
    dir=$(mktemp -d /tmp/storyline-dask-XXXXXX)
    [ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$dir"' EXIT
fi

have=$(head -n "$size" "$corpus" | wc -l)
[ "$have" -ge "$size" ] || { echo "$0: $corpus has $have lines, fewer than $size" >&2; exit 2; }
mkdir -p "$dir/shards"
rm -f "$dir"/shards/part-*.jsonl
head -n "$size" "$corpus" >"$dir/input.jsonl"  # split -n needs a file's size
split -n "l/$shards" -d -a 4 --additional-suffix=.jsonl "$dir/input.jsonl" "$dir/shards/part-"
input_bytes=$(stat -c %s "$dir/input.jsonl")
rm "$dir/input.jsonl"
echo "$size articles ($input_bytes bytes) in $shards shards under $dir/shards" >&2

# run NAME COMMAND...: wall seconds and peak RSS (GNU time: the largest process) into
# $dir/NAME.time, the command's JSON into $dir/NAME.json
run() {
    name=$1
    shift
    rm -f "$dir/$name.db" "$dir/$name.db-journal" "$dir/$name.db-wal" "$dir/$name.db-shm"
    sync
    echo "$name: $*" >&2
    # exit status 1: some inputs skipped (reported in the JSON), the rest stored
    /usr/bin/time -f "%e %M" -o "$dir/$name.time" "$@" >"$dir/$name.json" || [ $? -eq 1 ]
}
cd "$dir/shards"
if [ "${ONLY:-}" != dask ]; then
    run single "$sl" --db "$dir/single.db" add --json -q part-*.jsonl
fi
if [ "${ONLY:-}" != single ]; then
    run dask env PYTHONPATH="$build/python" "$py" -m storyline.dask --workers "$workers" \
        --db "$dir/dask.db" --json -q part-*.jsonl
fi

"$py" - "$dir" "$size" "$input_bytes" "$workers" <<'EOF'
import json, os, sys
d, size, input_bytes, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def side(name):
    try:
        wall, rss = open(os.path.join(d, name + ".time")).read().split()[-2:]
        out = json.load(open(os.path.join(d, name + ".json")))
    except (OSError, ValueError):
        return None
    return float(wall), int(rss) / 1024.0, out
one, many = side("single"), side("dask")
print("articles %d, input %.1f MB, %s workers" % (size, input_bytes / 1e6, workers))
if one:
    w, rss, out = one
    stages = " ".join("%s %.1f" % (k, v) for k, v in out.get("stage_seconds", {}).items())
    print("storyline add:       %8.1f s  %7.0f articles/s  peak %6.0f MB  (%s)"
          % (w, size / w, rss, stages))
if many:
    w, rss, out = many
    peaks = out.get("peak_rss_mb", {})
    print("storyline.dask:      %8.1f s  %7.0f articles/s  peak %6.0f MB (largest process);"
          " writer %.0f MB, workers %s MB"
          % (w, size / w, rss, peaks.get("writer", 0),
             ", ".join("%.0f" % mb for mb in peaks.get("workers", {}).values())))
if one and many:
    print("ratio (dask / add):  %8.2fx" % (many[0] / one[0]))
EOF
if [ -f "$dir/single.db" ] && [ -f "$dir/dask.db" ]; then
    for what in events dups; do
        a=$("$sl" --db "$dir/single.db" "$what" --json | md5sum | cut -c1-32)
        b=$("$sl" --db "$dir/dask.db" "$what" --json | md5sum | cut -c1-32)
        if [ "$a" = d41d8cd98f00b204e9800998ecf8427e ]; then  # nothing printed: it failed
            echo "$what --json: could not be read"
        elif [ "$a" = "$b" ]; then
            echo "$what --json: the same ($a)"
        else
            echo "$what --json: DIFFERENT ($a against $b)"
        fi
    done
fi
