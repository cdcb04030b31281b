#!/bin/sh
# warc_bench.sh — `storyline add` of a generated .warc.gz: throughput and peak memory.
#
#   bench/warc_bench.sh BUILD_DIR [SIZE_BYTES] [GZIP]
#
# gen_warc writes a WARC of SIZE_BYTES (default 1 GB, compressed) from the 181 pages of
# ../shared/eval/article-extraction (when present) and generated articles, with the other
# records of a crawl mixed in (request, metadata, warcinfo, revisit, non-HTML, 404; chunked,
# gzip and deflate bodies); GZIP is record (one member per record, the default) or file.
# Then, each under /usr/bin/time -v:
#  1. bench/warc_scan, the WARC reader alone (records parsed, HTML bodies decoded, nothing
#     stored): its MB/s and peak RSS;
#  2. `storyline add` into a fresh store: MB/s (of the compressed file), records/s,
#     articles/s and the peak RSS, against the target of 300 MB (docs/ingest.md);
#  3. with gdb installed (PHASES=0 to leave it out), `add` again into a fresh store, stopped
#     at sl_batch_commit: the peak RSS of reading the archive and storing its articles,
#     before the commit's stages (cleaning, dedup, clustering, facts) run.
# Needs BUILD_DIR/storyline, BUILD_DIR/bench/gen_warc and warc_scan (a RelWithDebInfo or
# Release build: build-plain), GNU time and jq. Not part of the test suite: 1 GB takes a
# quarter of an hour and more. Exit status 0 when add's peak RSS is under 300 MB.
# Environment: WORK=DIR for the scratch folder (default: a new one under /tmp, removed at
# the end unless KEEP=1); SEED=S for gen_warc.
set -eu

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
    echo "usage: $0 BUILD_DIR [SIZE_BYTES] [record|file]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
size=${2:-1000000000}
gzip=${3:-record}
here=$(cd "$(dirname "$0")" && pwd)
pages=$here/../../shared/eval/article-extraction/html
[ -x /usr/bin/time ] || { echo "$0: needs GNU time (/usr/bin/time)" >&2; exit 2; }
work=${WORK:-$(mktemp -d /tmp/warc-bench-XXXXXX)}
mkdir -p "$work"
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT

set --
[ -d "$pages" ] && set -- "$pages"/*.html.gz
echo "generating $size bytes ($gzip gzip) in $work ..."
"$build/bench/gen_warc" --gzip "$gzip" --level 1 --size "$size" --seed "${SEED:-1}" \
    -o "$work/bench.warc.gz" "$@" 2>"$work/gen.txt"
cat "$work/gen.txt"
bytes=$(stat -c %s "$work/bench.warc.gz")

/usr/bin/time -v "$build/bench/warc_scan" "$work/bench.warc.gz" >"$work/scan.txt" \
    2>"$work/scan-time.txt"
echo "reader alone: $(cat "$work/scan.txt")"
echo "reader alone: peak RSS $(($(sed -n 's/.*Maximum resident set size (kbytes): //p' \
    "$work/scan-time.txt") / 1024)) MB"

/usr/bin/time -v "$build/storyline" --db "$work/bench.db" add --json "$work/bench.warc.gz" \
    >"$work/sum.json" 2>"$work/time.txt" || true
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
cat "$work/sum.json"
records=$(sed -n 's/.*: \([0-9]*\) records, .*/\1/p' "$work/gen.txt")
jq -r --argjson bytes "$bytes" --argjson rss "$rss" --argjson records "$records" --arg wall "$wall" '
  "file: \($bytes / 1e6 | floor) MB compressed, \($records) records, \(.added) articles added, \(.skipped) skipped",
  "time: \(.seconds | floor) s (wall \($wall)): \($bytes / 1e6 / .seconds * 10 | floor / 10) MB/s compressed, \($records / .seconds | floor) records/s, \(.added / .seconds | floor) articles/s",
  "peak RSS: \($rss / 1024 | floor) MB (target: under 300 MB)"' "$work/sum.json"
if [ "${PHASES:-1}" = 1 ] && command -v gdb >/dev/null; then
    gdb -batch -ex "set pagination off" -ex "break sl_batch_commit" -ex run \
        -ex "info proc status" -ex kill \
        --args "$build/storyline" --db "$work/phases.db" add "$work/bench.warc.gz" \
        >"$work/phases.txt" 2>&1 || true
    hwm=$(sed -n 's/^VmHWM:[^0-9]*\([0-9]*\) kB/\1/p' "$work/phases.txt")
    [ -n "$hwm" ] && echo "peak RSS before the commit (reading and storing): $((hwm / 1024)) MB"
fi
[ "$rss" -lt $((300 * 1024)) ]
