# Nothing from article data or a file name reaches the terminal raw: ESC (and so OSC 8
# hyperlinks, window titles, screen clears), BEL, C1 controls (U+009B is a CSI), DEL and
# the bidi overrides and isolates are written as visible escapes (src/cli/output.c), in
# text, listings and error messages alike; JSON output has them as \u escapes.
. "$SRCDIR/tests/cli/lib.sh"

ESC=$(printf '\033')
BEL=$(printf '\007')
DEL=$(printf '\177')
CSI=$(printf '\302\233')   # U+009B
RLO=$(printf '\342\200\256') # U+202E
LRI=$(printf '\342\201\246') # U+2066

# no_raw DESCRIPTION FILE: none of the dangerous sequences is in FILE.
no_raw() {
    for pair in "ESC:$ESC" "BEL:$BEL" "DEL:$DEL" "U+009B:$CSI" "U+202E:$RLO" "U+2066:$LRI"; do
        checks=$((checks + 1))
        if LC_ALL=C grep -qF -- "${pair#*:}" "$2"; then
            fail "$1: raw ${pair%%:*} in the output"
            LC_ALL=C cat -A "$2" | head -5 >&2
        fi
    done
}

mkdir -p in/site.example
# A title with a screen clear, a CSI, DEL, an RLO and an OSC 8 hyperlink; a text with
# colour codes, an isolate and a window title; a source with a BEL-terminated OSC.
printf '{"id":"evil-1","extra":"meta \\u009b\\u202e\\u007f\\u001b[2J end","source":"evil\\u001b]0;pwned\\u0007.example","title":"Breaking \\u001b[2J news \\u009b31m now \\u007f \\u202e txet desrever \\u001b]8;;http://evil.example/\\u001b\\\\click\\u001b]8;;\\u001b\\\\","text":"The council met on Monday \\u001b[31mred\\u001b[0m to vote.\\n\\nA second \\u2066isolated\\u2069 paragraph\\twith a tab and \\u009b2J a CSI.\\n\\n\\u001b]0;window title\\u0007The end of the story."}\n' > in/feed.jsonl
# A file whose name holds ESC, an OSC 8 link and an RLO, and one whose name holds a
# newline that would fake a line of output.
evil_name="in/site.example/$(printf 'story\033]8;;https:x\033\\\\link\342\200\256.txt')"
printf 'A story headline\n\nThe mayor opened the new bridge on Tuesday morning.\n' > "$evil_name"
fake_name="in/site.example/$(printf 'bad\nstoryline: 9 added, all good\033[32m.txt')"
printf 'Caf\351 is Latin-1.\n' > "$fake_name"

sl --db s.db add in
check "the two good inputs went in, the bad one skipped" 1 "$rc"
no_raw "add: messages" err.txt
no_raw "add: summary" out.txt
check_contains "a newline in a file name is escaped" 'bad\nstoryline: 9 added, all good\x1B[32m.txt: byte 3: invalid UTF-8' err.txt
checks=$((checks + 1))
if grep -q '^storyline: 9 added' err.txt; then fail "a file name faked a line of output"; fi

sl --db s.db article evil-1
check "article" 0 "$rc"
no_raw "article" out.txt
check_contains "title escaped" 'Breaking \x1B[2J news \u{009B}31m now \x7F \u{202E} txet desrever \x1B]8;;http://evil.example/\x1B\click' out.txt
check_contains "source escaped" 'evil\x1B]0;pwned\x07.example' out.txt
check_contains "text keeps its lines and tabs, escapes the rest" "$(printf 'A second \\u{2066}isolated\\u{2069} paragraph\twith a tab and \\u{009B}2J a CSI.')" out.txt
check_contains "colour codes escaped" 'Monday \x1B[31mred\x1B[0m to vote.' out.txt

sl --db s.db article evil-1 --explain
no_raw "article --explain" out.txt
sl --db s.db articles
no_raw "articles" out.txt
check_contains "the file name as an id, escaped in a listing" 'site.example/story\x1B]8;;https:x\x1B\' out.txt
sl --db s.db events
no_raw "events" out.txt
for e in $(sed -n 's/^\(E[0-9]*\) .*/\1/p' out.txt); do
    sl --db s.db event "$e"
    no_raw "event $e" out.txt
done
sl --db s.db dups
no_raw "dups" out.txt
sl --db s.db stats
no_raw "stats" out.txt

evil_id="$(printf 'site.example/story\033]8;;https:x\033\\\\link\342\200\256.txt')"
sl --db s.db article "$evil_id"
check "an article whose id holds escapes" 0 "$rc"
no_raw "article by an escaped id" out.txt
sl --db s.db article "$(printf 'no\033[2Jsuch')"
check "absent article" 1 "$rc"
no_raw "an absent id in the error" err.txt
check_contains "the absent id escaped" "no article with id 'no\\x1B[2Jsuch'" err.txt

# JSON output escapes them as \u sequences (valid JSON, read back the same).
for cmd in "articles --json" "article evil-1 --json" "events --json" "export"; do
    sl --db s.db $cmd
    check "$cmd" 0 "$rc"
    no_raw "$cmd" out.txt
done
sl --db s.db article evil-1 --json
check "JSON reads back the raw title" "$(printf 'Breaking \033[2J news \302\23331m now \177 \342\200\256 txet desrever \033]8;;http://evil.example/\033\\click\033]8;;\033\\')" "$(jq -r .title out.txt)"

# CSV is for spreadsheets: the library writes terminal and display controls as U+FFFD
# (JSON keeps them, as \u escapes); on a terminal (a pseudo-terminal made by script(1))
# the CLI's filter runs over it too, like every other output.
sl --db s.db export --format csv
check "export csv into a file" 0 "$rc"
no_raw "export csv into a file" out.txt
check_contains "export csv into a file: controls as U+FFFD" "$(printf 'Breaking \357\277\275[2J news \357\277\27531m')" out.txt
if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
    rc=0
    script -qec "\"$STORYLINE\" --db s.db export --format csv" /dev/null >tty.txt 2>&1 || rc=$?
    check "export csv onto a terminal" 0 "$rc"
    no_raw "export csv onto a terminal" tty.txt
    check_contains "export csv onto a terminal: controls as U+FFFD" "$(printf 'Breaking \357\277\275[2J news \357\277\27531m')" tty.txt
else
    echo "note: no script(1) with a pseudo-terminal: CSV onto a terminal not tested"
fi

# A store name with escapes, in stats and in errors.
evil_db="$(printf 's\033]0;x\007.db')"
sl --db "$evil_db" add in/feed.jsonl
no_raw "add into a store with escapes in its name" out.txt
sl --db "$evil_db" stats
no_raw "stats of it" out.txt
sl --db "$(printf 'absent\033[2J.db')" articles
no_raw "no store: message" err.txt

# run: the one-shot report.
sl run in
no_raw "run: report" out.txt
no_raw "run: messages" err.txt
finish
