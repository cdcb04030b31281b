# export --format csv neutralises cells a spreadsheet would run as formulas (OWASP: a '
# in front, inside quotes): =, +, -, @, tab or CR first.
. "$SRCDIR/tests/cli/lib.sh"

printf '%s\n' \
  '{"id":"=HYPERLINK(\"http://evil.example\",\"x\")","source":"+src.example","title":"=1+2","text":"First article text, plain."}' \
  '{"id":"f2","source":"@src.example","title":"-2+3","text":"=cmd|'"'"' /C calc'"'"'!A0 and more text."}' \
  '{"id":"f3","source":"ok.example","title":"\tTabbed =1","text":"\r=1 carriage return first."}' \
  '{"id":"f4","source":"ok.example","title":"a=1+2 is fine","text":"Nothing to see: 1-2=3 @ noon."}' > in.jsonl
sl --db s.db add in.jsonl
check "added" 0 "$rc"
sl --db s.db export --format csv
check "export" 0 "$rc"
# No cell starts with a formula character, quoted or not (no text here holds a comma
# before one of them, so a cell start is the start of a line or a comma).
checks=$((checks + 1))
if LC_ALL=C grep -nE "(^|,)\"?[-=+@$(printf '\t\r')]" out.txt >bad.txt; then
    fail "a cell starts with a formula character:"
    cat bad.txt >&2
fi
check_contains "tab first neutralised" "\"'$(printf '\t')Tabbed =1\"" out.txt
check_contains "=HYPERLINK neutralised" "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"" out.txt
check_contains "= title" "\"'=1+2\"" out.txt
check_contains "+ source" "\"'+src.example\"" out.txt
check_contains "@ source" "\"'@src.example\"" out.txt
check_contains "- title" "\"'-2+3\"" out.txt
check_contains "a formula later in a cell is left" ",a=1+2 is fine," out.txt
finish
