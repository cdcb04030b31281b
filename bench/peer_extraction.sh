#!/bin/sh
# peer_extraction.sh — storyline's article extraction beside its peers (trafilatura 2.0,
# Readability.js, readability-lxml) on the article-extraction benchmark's 181 pages, in one
# run on one machine: F1, precision, recall (bench/score_extraction), and speed.
#
#   bench/peer_extraction.sh BUILD_DIR
#
# Each extractor runs as its own process over all the pages, RUNS times (default 3),
# interleaved (run 1 of every extractor, then run 2, ...) so that a busy moment of the shared
# machine falls on all of them alike. Each process reads and gunzips every page into memory
# first and times only its extraction loop ("loop s": wall, "cpu s": the process's CPU time);
# the whole process's wall time (interpreter start, imports, reading the pages, writing the
# predictions) is "process s".
# Both are medians over the runs. MB/s is HTML bytes (decompressed, 10^6) per loop second;
# "x loop" and "x process" are the peer's time over storyline's (how many times faster
# storyline is).
#   storyline          BUILD_DIR/bench/html_speed --rounds 1 --only c --predict: the HTML
#                      front end + the cleaner, page by page, no store (as a peer works);
#   storyline add      (not timed against the peers; whole pipeline, for reference) the CLI:
#                      `storyline add` of the page files into a fresh store (ingest, clean
#                      with repetition statistics, near-duplicates, events), then export.
# The peers are never part of storyline; set them up in a scratch folder (docs/bench.md):
#   PEERS_DIR (default /work/peers-scratch)
#     PEERS_DIR/py   on PYTHONPATH: trafilatura 2.0 + justext, htmldate, courlan (sources)
#     PEERS_DIR/js   npm install @mozilla/readability linkedom
#   Debian: python3-lxml python3-charset-normalizer python3-dateparser python3-tld
#           python3-babel python3-urllib3 python3-certifi python3-readability, nodejs
# A peer that is not installed is skipped with a message saying how to install it.
# Environment: DATA=DIR (default ../shared/eval/article-extraction beside the repo),
# RUNS=N, KEEP=1 keeps the work folder (predictions *.jsonl, scores *.score).
# Exit status: 0; 1 when an extractor failed; 2 on a usage or setup error.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
data=${DATA:-$here/../../shared/eval/article-extraction}
peers=${PEERS_DIR:-/work/peers-scratch}
runs=${RUNS:-3}
score=$build/bench/score_extraction
speed=$build/bench/html_speed
storyline=$build/storyline
py=/usr/bin/python3

for exe in "$score" "$speed" "$storyline"; do
    if [ ! -x "$exe" ]; then
        echo "$0: $exe is missing (cmake --build $build --target score_extraction html_speed storyline)" >&2
        exit 2
    fi
done
if [ ! -f "$data/ground-truth.json" ] || [ ! -d "$data/html" ]; then
    echo "$0: no benchmark at $data (set DATA=DIR)" >&2
    exit 2
fi
data=$(cd "$data" && pwd)
gt=$data/ground-truth.json

tmp=$(mktemp -d "${TMPDIR:-/tmp}/peer_extraction.XXXXXX")
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then
        echo "kept: $tmp"
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

# ---- which peers are here -------------------------------------------------------------
extractors="storyline"
if [ -x "$py" ] && PYTHONPATH=$peers/py "$py" -c 'import trafilatura' 2>/dev/null; then
    extractors="$extractors trafilatura"
else
    echo "skipped trafilatura: not importable from PYTHONPATH=$peers/py with $py." >&2
    echo "  install: fetch adbar/trafilatura (tag v2.0.0), miso-belica/jusText, adbar/htmldate," >&2
    echo "  adbar/courlan into $peers/src and link their packages into $peers/py, with a stub" >&2
    echo "  $peers/py/trafilatura-2.0.0.dist-info/METADATA; apt-get install python3-lxml" >&2
    echo "  python3-charset-normalizer python3-dateparser python3-tld python3-babel" >&2
    echo "  python3-urllib3 python3-certifi (docs/bench.md)" >&2
fi
if command -v node >/dev/null && [ -d "$peers/js/node_modules/@mozilla/readability" ] &&
    [ -d "$peers/js/node_modules/linkedom" ]; then
    extractors="$extractors readability.js"
else
    echo "skipped Readability.js: needs node and $peers/js/node_modules/{@mozilla/readability,linkedom}." >&2
    echo "  install: mkdir -p $peers/js && cd $peers/js && npm install @mozilla/readability linkedom" >&2
fi
if [ -x "$py" ] && PYTHONPATH=$peers/py "$py" -c 'import readability, lxml.html' 2>/dev/null; then
    extractors="$extractors readability-lxml"
else
    echo "skipped readability-lxml: not importable with $py." >&2
    echo "  install: apt-get install python3-readability" >&2
fi

# ---- the runs -----------------------------------------------------------------------------
now() { date +%s.%N; }

# run NAME I: one process of extractor NAME, run I; appends "loop process" to NAME.times.
run() {
    name=$1
    out=$tmp/$name.jsonl
    t0=$(now)
    set +e
    case $name in
    storyline)
        "$speed" --rounds 1 --only c --predict "$out" "$data"/html/*.html.gz >"$tmp/$name.log" 2>"$tmp/$name.err"
        ;;
    trafilatura)
        PYTHONPATH=$peers/py "$py" "$here/peer_extract.py" trafilatura "$out" "$data"/html/*.html.gz >"$tmp/$name.log" 2>"$tmp/$name.err"
        ;;
    readability-lxml)
        PYTHONPATH=$peers/py "$py" "$here/peer_extract.py" readability-lxml "$out" "$data"/html/*.html.gz >"$tmp/$name.log" 2>"$tmp/$name.err"
        ;;
    readability.js)
        PEERS_JS=$peers/js node "$here/peer_readability.mjs" "$out" "$data"/html/*.html.gz >"$tmp/$name.log" 2>"$tmp/$name.err"
        ;;
    esac
    rc=$?
    set -e
    t1=$(now)
    if [ "$rc" -ne 0 ]; then
        echo "$0: $name exited with $rc:" >&2
        tail -n 5 "$tmp/$name.err" >&2
        echo "$name" >>"$tmp/failed"
        return 0
    fi
    if [ "$name" = storyline ]; then
        loop=$(sed -n 's/^(c) page read + clean *\([0-9.]*\) s .*/\1/p' "$tmp/$name.log")
        cpu=$(sed -n 's/^(c) page read + clean .* cpu *\([0-9.]*\) s .*/\1/p' "$tmp/$name.log")
    else
        loop=$(sed -n 's/^extract .* wall \([0-9.]*\) cpu .*/\1/p' "$tmp/$name.log")
        cpu=$(sed -n 's/^extract .* cpu \([0-9.]*\)$/\1/p' "$tmp/$name.log")
    fi
    awk -v a="$t0" -v b="$t1" -v l="$loop" -v c="$cpu" 'BEGIN { printf "%s %.4f %s\n", l, b - a, c }' >>"$tmp/$name.times"
}

# storyline add + export, the whole CLI pipeline; appends its wall time to cli.times.
run_cli() {
    rm -f "$tmp/cli.db" "$tmp/cli.db-wal" "$tmp/cli.db-shm"
    t0=$(now)
    if ! "$storyline" --db "$tmp/cli.db" add "$data/html" >"$tmp/cli.log" 2>"$tmp/cli.err"; then
        echo "$0: storyline add failed:" >&2
        tail -n 5 "$tmp/cli.err" >&2
        echo cli >>"$tmp/failed"
        return 0
    fi
    t1=$(now)
    "$storyline" --db "$tmp/cli.db" export --format jsonl >"$tmp/cli.jsonl" || echo cli >>"$tmp/failed"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "- %.4f -\n", b - a }' >>"$tmp/cli.times"
}

npages=$(find "$data/html" -name '*.html.gz' | wc -l | tr -d ' ')
echo "article extraction, $npages pages from $data; $runs runs each, interleaved; $(date -u '+%Y-%m-%d %H:%M UTC')"
bytes=$(for f in "$data"/html/*.html.gz; do gzip -dc "$f"; done | wc -c | tr -d ' ')
i=1
while [ "$i" -le "$runs" ]; do
    for name in $extractors; do
        run "$name"
    done
    run_cli
    i=$((i + 1))
done

# ---- scores and the table -----------------------------------------------------------------
# median of column C of a file of numbers
median() {
    awk -v c="$2" '$c != "-" { print $c }' "$1" | sort -g |
        awk '{ v[NR] = $1 } END { if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
sl_loop=$(median "$tmp/storyline.times" 1 2>/dev/null || echo -)
sl_proc=$(median "$tmp/storyline.times" 2 2>/dev/null || echo -)
sl_cpu=$(median "$tmp/storyline.times" 3 2>/dev/null || echo -)
printf '\n%-32s %6s %6s %6s %8s %7s %7s %8s %6s %9s %9s\n' extractor F1 P R "loop s" "MB/s" "x loop" "cpu s" "x cpu" "process s" "x process"
row() { # NAME LABEL
    name=$1
    label=$2
    if [ ! -s "$tmp/$name.times" ] || [ ! -f "$tmp/$name.jsonl" ]; then
        printf '%-32s %s\n' "$label" "(failed)"
        return
    fi
    "$score" "$gt" "$tmp/$name.jsonl" >"$tmp/$name.score" 2>"$tmp/$name.score.err" || true
    loop=$(median "$tmp/$name.times" 1)
    proc=$(median "$tmp/$name.times" 2)
    cpu=$(median "$tmp/$name.times" 3)
    grep '^pages ' "$tmp/$name.score" | awk -v label="$label" -v loop="$loop" -v proc="$proc" \
        -v cpu="$cpu" -v bytes="$bytes" -v sl_loop="$sl_loop" -v sl_proc="$sl_proc" -v sl_cpu="$sl_cpu" '
        function ratio(x, y) { return (x == "-" || y == "-" || y == 0) ? "-" : sprintf("%.1fx", x / y) }
        {
            mbs = (loop == "-" || loop == 0) ? "-" : sprintf("%.1f", bytes / 1e6 / loop)
            printf "%-32s %6s %6s %6s %8s %7s %7s %8s %6s %9s %9s\n", label, $8, $4, $6, loop, mbs,
                ratio(loop, sl_loop), cpu, ratio(cpu, sl_cpu), proc, ratio(proc, sl_proc)
        }'
}
for name in $extractors; do
    case $name in
    storyline) row storyline "storyline (html_speed c)" ;;
    trafilatura) row trafilatura "trafilatura $(PYTHONPATH=$peers/py "$py" -c 'import trafilatura; print(trafilatura.__version__)' 2>/dev/null)" ;;
    readability.js) row readability.js "Readability.js $(sed -n 's/^ *"version": "\(.*\)",/\1/p' "$peers/js/node_modules/@mozilla/readability/package.json")" ;;
    readability-lxml) row readability-lxml "readability-lxml" ;;
    esac
done
row cli "storyline add (CLI, all stages)"
echo
echo "loop s: median wall seconds of the extraction loop (pages already in memory); cpu s: the"
echo "process's CPU seconds over that loop (Node's include its GC threads); process s: median wall"
echo "seconds of the whole process; x: the extractor's time over storyline's (html_speed c)."
echo "storyline add: wall seconds of 'storyline add' into a fresh store (ingest, clean with the"
echo "store's repetition statistics, near-duplicates, events), not a loop over pages in memory."
echo "published on these pages: trafilatura 2.0.0 0.958, Readability.js 0.947, readability-lxml 0.922,"
echo "rs-trafilatura 0.970 (../shared/eval/article-extraction/README.md)"
for name in $extractors cli; do
    if [ -s "$tmp/$name.score" ] && grep -q '^  ' "$tmp/$name.score"; then
        echo "$name: $(grep '^  ' "$tmp/$name.score" | tr -s ' ')"
    fi
done
[ -f "$tmp/failed" ] && exit 1
exit 0
