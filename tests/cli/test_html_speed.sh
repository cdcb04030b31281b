# bench/html_speed (the HTML front end and the cleaner timed, docs/bench.md) on three small
# pages written here (plain .html, gzip-compressed .html.gz, .htm): one round prints MB/s for
# each step, --predict writes one {"id","text"} line per page with the article's text, --phases
# prints where the time goes, and a bad option is a usage error. So the tool cannot rot.
. "$SRCDIR/tests/cli/lib.sh"
: "${BUILDDIR:?}"
speed="$BUILDDIR/bench/html_speed"
[ -x "$speed" ] || { echo "FAIL: $speed is not built" >&2; exit 1; }

mkdir pages
page() { # FILE TITLE SENTENCE
    cat >"$1" <<EOF
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>$2 | The Daily Example</title>
<style>body { font-family: serif; }</style><script>var tracking = 1;</script></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>$2</h1>
<p>$3 The council met on Tuesday evening and voted to keep the old bridge open for walkers.</p>
<p>Residents who spoke at the meeting said the crossing was part of their daily routine.</p>
</article><footer>Copyright 2026 The Daily Example</footer></body></html>
EOF
}
page pages/one.html "Bridge stays open" "The first page says so."
page pages/two.html "Library hours extended" "The second page is compressed."
gzip -9 pages/two.html
page pages/three.htm "Market moves indoors" "The third page ends in htm."

rc=0
"$speed" --rounds 1 --predict pred.jsonl pages/one.html pages/two.html.gz pages/three.htm \
    >speed.txt 2>speed.err || rc=$?
cat speed.txt
check "html_speed exits 0" 0 "$rc"
check "nothing on stderr" "" "$(cat speed.err)"
check_contains "three pages loaded" "pages 3 " speed.txt
for step in "(a) decode" "(b) page read" "(c) page read + clean"; do
    check "$step prints MB/s" 1 "$(grep -F "$step" speed.txt | grep -c ' MB/s ')"
done
check_contains "peak RSS" "peak RSS " speed.txt
check "one prediction per page" 3 "$(wc -l <pred.jsonl | tr -d ' ')"
for id in one two three; do
    check "prediction for $id" 1 "$(grep -c "^{\"id\":\"$id\",\"text\":" pred.jsonl)"
done
check_contains "the compressed page's text is read" "The second page is compressed." pred.jsonl
check_contains "the article's paragraph is kept" "voted to keep the old bridge open" pred.jsonl
check "no script text" 0 "$(grep -c 'tracking' pred.jsonl || true)"

# A directory stands for its pages; --phases times each phase.
rc=0
"$speed" --rounds 1 --phases pages >phases.txt 2>phases.err || rc=$?
check "--phases exits 0" 0 "$rc"
check_contains "--phases on a directory" "pages 3 " phases.txt
check_contains "--phases: the libxml2 parse" "libxml2 parse to a tree" phases.txt
check_contains "--phases: the blocks" "blocks (sli_html_blocks)" phases.txt

rc=0
"$speed" --rounds 0 pages >/dev/null 2>usage.err || rc=$?
check "--rounds 0 is a usage error" 2 "$rc"
check_contains "usage printed" "usage: html_speed" usage.err
rc=0
"$speed" --rounds 1 pages/none.html >/dev/null 2>missing.err || rc=$?
check "a missing page fails" 1 "$rc"
check_contains "the missing page is named" "pages/none.html" missing.err
finish
