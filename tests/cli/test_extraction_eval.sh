# The 181-page article-extraction figures, text mode and HTML mode: bench/extraction_eval.sh on
# ../shared/eval/article-extraction (read there, never copied), storyline's cleaned text
# scored by bench/score_extraction. Precision, recall and F1 must each reach its floor in
# tests/floors.sh (floors may only rise), and every step must succeed.
# Without ../shared: fails under CI=true, else skipped, saying so (lib.sh's need_shared).
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/floors.sh"
: "${BUILDDIR:?}"
data="$SHARED/eval/article-extraction"
need_shared "$data/ground-truth.json"
need_shared "$data/html"
command -v jq >/dev/null || { echo "FAIL: jq is needed (scripts/deps.txt)" >&2; exit 1; }

rc=0
DATA="$data" TMPDIR="$SCRATCH" sh "$SRCDIR/bench/extraction_eval.sh" "$BUILDDIR" >eval.txt 2>eval.err || rc=$?
cat eval.txt
check "extraction_eval.sh exits 0" 0 "$rc"
check "extraction_eval.sh says nothing on stderr" "" "$(head -5 eval.err)"
# "storyline cleaned text  181  P  R  F1"
set -- $(grep '^storyline cleaned text' eval.txt | sed 's/^storyline cleaned text//')
check "pages scored" 181 "${1:-}"
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "" && a + 0 >= b + 0) }'; }
check "precision ${2:-none}, at least $EXTRACTION_P" 1 "$(at_least "${2:-}" "$EXTRACTION_P")"
check "recall ${3:-none}, at least $EXTRACTION_R" 1 "$(at_least "${3:-}" "$EXTRACTION_R")"
check "F1 ${4:-none}, at least $EXTRACTION_F1" 1 "$(at_least "${4:-}" "$EXTRACTION_F1")"
check "storyline added all 181 pages" 1 "$(grep -c 'storyline add: .*(exit 0): 181 added' eval.txt)"
# HTML mode: "storyline HTML mode  181  P  R  F1": the full path (`add` of the .html.gz
# folder, then `export`).
grep '^HTML mode from:' eval.txt
set -- $(grep '^storyline HTML mode' eval.txt | sed 's/^storyline HTML mode//')
check "HTML mode: pages scored" 181 "${1:-}"
check "HTML mode: precision ${2:-none}, at least $HTML_EXTRACTION_P" 1 "$(at_least "${2:-}" "$HTML_EXTRACTION_P")"
check "HTML mode: recall ${3:-none}, at least $HTML_EXTRACTION_R" 1 "$(at_least "${3:-}" "$HTML_EXTRACTION_R")"
check "HTML mode: F1 ${4:-none}, at least $HTML_EXTRACTION_F1" 1 "$(at_least "${4:-}" "$HTML_EXTRACTION_F1")"
check "storyline added all 181 HTML pages" 1 "$(grep -c 'storyline add (HTML): .*(exit 0): 181 added' eval.txt)"
finish
