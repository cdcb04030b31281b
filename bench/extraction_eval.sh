#!/bin/sh
# extraction_eval.sh — score storyline's cleaned text on the article-extraction benchmark
# (181 real pages, ../shared/eval/article-extraction/README.md), next to the "keep every
# line" baseline, in two modes: text (the pages flattened to plain text first) and HTML.
#
#   bench/extraction_eval.sh BUILD_DIR
#
# 1. flatten_html turns every page into plain text, one block per line;
# 2. those files, as they are, are scored as the baseline ("keep every line");
# 3. text mode: storyline adds them to a fresh store and exports them; its cleaned text is
#    scored;
# 4. HTML mode, two ways: storyline adds the .html.gz folder itself to another store and
#    exports it (the full path); and bench/html_extract reads the pages in process (the
#    HTML front end with its DOM hints, then the cleaner, no store). The HTML-mode figure
#    is the full path's, what a user gets (the store carries the hints to the cleaner,
#    and adds its repetition statistics and sources by host); the in-process row is
#    printed beside it for the extraction work: the "HTML mode from" line says so.
#    The worst pages of the HTML mode and the time per page of each way are printed.
# Needs BUILD_DIR/storyline, BUILD_DIR/bench/flatten_html, BUILD_DIR/bench/score_extraction,
# BUILD_DIR/bench/html_extract (make flatten_html score_extraction html_extract storyline)
# and jq.
# Environment: DATA=DIR for another copy of the benchmark; KEEP=1 keeps the work folder
# (pages/, baseline.jsonl, storyline.jsonl, html_full.jsonl, html_extract.jsonl, eval.db,
# html.db); PER_PAGE=1 also prints the text mode's per-page table, worst first; WORST=N
# the N worst pages of the HTML mode (default 10).
# Exit status: 0 when both were scored, 1 when a step failed (flatten_html, storyline add
# or export: the figures are then printed but not to be trusted), 2 on a usage or setup error.
# tests/cli/test_extraction_eval.sh runs it and holds its figures to floors.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
data=${DATA:-$here/../../shared/eval/article-extraction}
flatten=$build/bench/flatten_html
score=$build/bench/score_extraction
extract=$build/bench/html_extract
storyline=$build/storyline

for exe in "$flatten" "$score" "$extract" "$storyline"; do
    if [ ! -x "$exe" ]; then
        echo "$0: $exe is missing (make -C $build flatten_html score_extraction html_extract storyline)" >&2
        exit 2
    fi
done
if [ ! -f "$data/ground-truth.json" ] || [ ! -d "$data/html" ]; then
    echo "$0: no benchmark at $data (set DATA=DIR)" >&2
    exit 2
fi
command -v jq >/dev/null || { echo "$0: jq is needed" >&2; exit 2; }
data=$(cd "$data" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/extraction_eval.XXXXXX")
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

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# 1. Flatten.
t0=$(now)
status=0
"$flatten" -o "$tmp/pages" "$data"/html/*.html.gz || {
    echo "$0: flatten_html failed on some pages" >&2
    status=1
}
t1=$(now)
npages=$(find "$tmp/pages" -name '*.txt' | wc -l | tr -d ' ')

# 2. The baseline: each flattened file as it is. (An empty file yields no line; the
# scorer counts a page without a prediction as empty, which is the same thing.)
jq -nR -c 'reduce inputs as $l ({}; .[input_filename] += $l + "\n")
           | to_entries[] | {id: (.key | sub(".*/"; "")), text: .value}' \
    "$tmp"/pages/*.txt >"$tmp/baseline.jsonl"
base=$("$score" "$data/ground-truth.json" "$tmp/baseline.jsonl" | grep '^pages ')

# 3. storyline: add (timed), then export the cleaned text.
t2=$(now)
set +e
added=$("$storyline" --db "$tmp/eval.db" add "$tmp/pages" 2>"$tmp/add.err")
add_rc=$?
set -e
t3=$(now)
if [ "$add_rc" -ne 0 ]; then
    echo "$0: storyline add exited with $add_rc:" >&2
    head -n 20 "$tmp/add.err" >&2
    status=1
fi
"$storyline" --db "$tmp/eval.db" export --format jsonl >"$tmp/storyline.jsonl" || {
    echo "$0: storyline export failed" >&2
    status=1
}
if [ "${PER_PAGE:-0}" = 1 ]; then
    "$score" "$data/ground-truth.json" "$tmp/storyline.jsonl" --per-page >"$tmp/storyline.score"
else
    "$score" "$data/ground-truth.json" "$tmp/storyline.jsonl" >"$tmp/storyline.score"
fi
sl=$(grep '^pages ' "$tmp/storyline.score")

# 4. HTML mode: the full path (add the .html.gz folder, export), then in process.
t4=$(now)
set +e
added_html=$("$storyline" --db "$tmp/html.db" add "$data/html" 2>"$tmp/add_html.err")
html_rc=$?
set -e
t5=$(now)
if [ "$html_rc" -ne 0 ]; then
    echo "$0: storyline add (HTML) exited with $html_rc:" >&2
    head -n 20 "$tmp/add_html.err" >&2
    status=1
fi
"$storyline" --db "$tmp/html.db" export --format jsonl >"$tmp/html_full.jsonl" || {
    echo "$0: storyline export (HTML) failed" >&2
    status=1
}
"$score" "$data/ground-truth.json" "$tmp/html_full.jsonl" --per-page >"$tmp/html_full.score"
full=$(grep '^pages ' "$tmp/html_full.score")
"$extract" --time "$data"/html/*.html.gz >"$tmp/html_extract.jsonl" 2>"$tmp/html_extract.err" || {
    echo "$0: html_extract failed:" >&2
    head -n 20 "$tmp/html_extract.err" >&2
    status=1
}
"$score" "$data/ground-truth.json" "$tmp/html_extract.jsonl" --per-page >"$tmp/html_extract.score"
inproc=$(grep '^pages ' "$tmp/html_extract.score")
html_from="storyline add (full path)"
html=$full
html_score=$tmp/html_full.score

# "pages N  precision P  recall R  F1 F" -> a table row.
row() {
    echo "$2" | awk -v name="$1" '{ printf "%-34s %5s  %9s  %6s  %5s\n", name, $2, $4, $6, $8 }'
}
echo "article extraction: $npages pages flattened from $data"
printf '%-34s %5s  %9s  %6s  %5s\n' "" pages precision recall F1
row "keep every line (flatten_html)" "$base"
row "storyline cleaned text" "$sl"
row "storyline HTML add (full path)" "$full"
row "html_extract (in process, hints)" "$inproc"
row "storyline HTML mode" "$html"
printf '%-34s %5s  %9s  %6s  %5s\n' "published: rs-trafilatura" 181 0.951 0.990 0.970
printf '%-34s %5s  %9s  %6s  %5s\n' "published: trafilatura 2.0.0" 181 0.938 0.978 0.958
printf '%-34s %5s  %9s  %6s  %5s\n' "published: Readability.js 0.6.0" 181 0.914 0.982 0.947
printf '%-34s %5s  %9s  %6s  %5s\n' "published: all visible text" 181 0.500 0.994 0.665
echo "HTML mode from: $html_from"
echo
echo "flatten_html: $(elapsed "$t0" "$t1") s for $npages pages"
echo "storyline add: $(elapsed "$t2" "$t3") s (exit $add_rc): $added"
echo "storyline add (HTML): $(elapsed "$t4" "$t5") s (exit $html_rc): $added_html" \
    "($(awk -v a="$t4" -v b="$t5" -v n="$npages" 'BEGIN { printf "%.2f", 1000 * (b - a) / n }') ms/page)"
echo "html_extract, one thread:"
sed 's/^/  /' "$tmp/html_extract.err"
if grep -q '^  ' "$tmp/storyline.score"; then
    echo "storyline notes:"
    grep '^  ' "$tmp/storyline.score"
fi
echo
echo "HTML mode, the ${WORST:-10} worst pages:"
sed -n '/^page /,$p' "$html_score" | head -n $((${WORST:-10} + 1))
if [ "${PER_PAGE:-0}" = 1 ]; then
    echo
    sed -n '/^page /,$p' "$tmp/storyline.score"
fi
exit "$status"
