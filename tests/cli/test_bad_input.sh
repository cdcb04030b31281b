# Bad input gets a clear error naming the file and position, and loses nothing else.
. "$SRCDIR/tests/cli/lib.sh"

mkdir -p in/site.example
printf 'Good article one\n\nA sentence of text.\n' > in/site.example/good1.txt
printf 'Good article two\n\nAnother sentence.\n' > in/site.example/good2.txt
printf 'Caf\351 au lait is Latin-1, not UTF-8.\n' > in/site.example/latin1.txt
printf 'ELF\000\001\002binary\000junk' > in/site.example/program
head -c 3000 /dev/urandom > in/site.example/noise.txt
: > in/site.example/empty.txt
printf '   \n\t\n  \r\n' > in/site.example/blank.txt
ln -s does-not-exist in/site.example/dangling.txt
printf '{"id":"j1","source":"feed.example","text":"First record."}\n{"id":"j2", "text": broken}\n{"id":"j3","source":"feed.example","text":"Third record."}\n{"id":"j4"}\n"just a string"\n{"id":"j5","text":"trailing"} junk\n' > in/feed.jsonl
echo "ignored: not an input form" > in/README.md
echo "hidden files are passed over" > in/.hidden.txt

sl --db s.db add in
check "some skipped exits 1" 1 "$rc"
check "summary" "4 added, 0 already present, 10 skipped" "$(sed 's/ (.*//' out.txt)"
check_contains "invalid UTF-8 named with its byte" "in/site.example/latin1.txt: byte 3: invalid UTF-8" err.txt
check_contains "binary file named" "in/site.example/program: byte 3: binary data" err.txt
check_contains "random bytes are binary or invalid" "in/site.example/noise.txt:" err.txt
check_contains "empty file named" "in/site.example/empty.txt: empty file" err.txt
check_contains "blank file named" "in/site.example/blank.txt: no article text" err.txt
check_contains "unreadable entry named" "in/site.example/dangling.txt: cannot stat" err.txt
check_contains "malformed JSON as file:line" "in/feed.jsonl:2: malformed JSON" err.txt
check_contains "record without text" "in/feed.jsonl:4: record has no text" err.txt
check_contains "a line that is not an object" "in/feed.jsonl:5: line is JSON but not an object" err.txt
check_contains "trailing junk" "in/feed.jsonl:6: malformed JSON at column 31: text after the JSON value" err.txt
grep -q README err.txt && fail "README.md is not an input and is not reported"
sl --db s.db articles --json
check "good inputs went in" "good1.txt good2.txt j1 j3" "$(jq -r '[.[].id | sub(".*/"; "")] | sort | join(" ")' out.txt)"

# Invalid UTF-8 in an unknown field is refused too (it would make the JSON output invalid).
printf '{"id":"m1","text":"Fine text here.","extra":"\377\376"}\n' > badmeta.jsonl
sl --db s.db add badmeta.jsonl
check "invalid UTF-8 in meta is skipped" "0 added, 0 already present, 1 skipped" "$(sed 's/ (.*//' out.txt)"
check_contains "invalid UTF-8 in meta is named" "badmeta.jsonl:1: invalid UTF-8" err.txt

# A headline with no text is an article of one line.
printf '{"id":"h1","title":"Harbour cranes stand idle as dockers walk out in Portvale"}\n' > headline.jsonl
sl --db s.db add headline.jsonl
check "a headline-only record is kept" "1 added, 0 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"
sl --db s.db article h1 --json
check "it keeps its title and gets an event" "Harbour cranes stand idle as dockers walk out in Portvale E" "$(jq -r '.title + " " + (.event | .[0:1])' out.txt)"

# Only bad input: nothing usable, exit 2, store unchanged.
mkdir -p bad
cp in/site.example/latin1.txt in/site.example/empty.txt bad/
sl --db s.db add bad
check "nothing usable exits 2" 2 "$rc"
check "nothing added" "0 added, 0 already present, 2 skipped" "$(sed 's/ (.*//' out.txt)"
sl --db s.db add missing-path
check "missing path exits 2" 2 "$rc"
check_contains "missing path named" "missing-path: cannot open: No such file or directory" err.txt
sl --db s.db add page.html
check "unsupported form exits 2" 2 "$rc"

# A 10 MB single line, as a text file and as a JSON line: taken whole.
awk 'BEGIN { s = "word "; while (length(s) < 10485760) s = s s; printf "%s\n", substr(s, 1, 10485760) }' > line.txt
awk 'BEGIN { s = "jsonword "; while (length(s) < 10485760) s = s s; printf "{\"id\":\"big\",\"text\":\"%s\"}\n{\"id\":\"after-big\",\"text\":\"small\"}\n", substr(s, 1, 10485760) }' > big.jsonl
sl --db s.db add line.txt big.jsonl
check "10 MB lines are ingested" "3 added, 0 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"
check "10 MB article length" "10485759" "$("$STORYLINE" --db s.db article --json line.txt | jq .chars_clean)"

# Over the configured limit: reported with its position, the rest goes on.
sl --db s2.db add --max-article-bytes 1M big.jsonl line.txt in/site.example/good1.txt
check "over the limit exits 1" 1 "$rc"
check "over the limit skipped" "2 added, 0 already present, 2 skipped" "$(sed 's/ (.*//' out.txt)"
check_contains "long JSON line reported as file:line" "big.jsonl:1: line over the article limit" err.txt
check_contains "long file reported" "line.txt: file is over the article limit" err.txt
sl --db s2.db add --max-article-bytes 12x line.txt
check "bad size exits 2" 2 "$rc"

# Many bad lines: the first 100 are shown, all are counted.
awk 'BEGIN { for (i = 0; i < 250; i++) print "{oops" }' > many.jsonl
sl --db s3.db add many.jsonl
check "250 bad lines exit 2" 2 "$rc"
check "250 counted" "0 added, 0 already present, 250 skipped" "$(sed 's/ (.*//' out.txt)"
check "100 shown" "100" "$(grep -c 'many.jsonl:[0-9]*: malformed' err.txt)"
check_contains "the rest counted" "250 problems in all" err.txt

finish
