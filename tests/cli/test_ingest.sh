# Ingest of plain text and JSON Lines: fields, ids, sources, dates, incremental re-adds.
. "$SRCDIR/tests/cli/lib.sh"

mkdir -p corpus/harbour.example corpus/feeds
printf ' date 2024-03-15\nDock workers walk out at Portvale harbour\n\nThe strike began at dawn, union leaders said.\n' \
    > corpus/harbour.example/strike.txt
printf 'Ferry service resumes after storm damage\r\n\r\nThe first ferry left at noon.\r\n' \
    > corpus/harbour.example/ferry
printf ' date 2024-04-02 Rates held steady by the central bank on Tuesday, officials said.\n' \
    > corpus/harbour.example/rates.txt
cat > corpus/feeds/wire.jsonl <<'JSON'
{"id": "https://coast.example/a1", "url": "https://www.coast.example/a1", "title": "Flood waters rise in Lowmere", "text": "Flood waters rose overnight.", "published": "2024-05-01T08:30:00Z", "section": "World"}
{"url": "https://www.river.example/b2", "title": "Second article", "maintext": "Body from maintext.", "date_publish": "2024-05-02 00:00:00"}

{"source": "Valley Post", "title": "No id nor url", "content": "Body from content.", "date": "2024-05-03"}
{"id": 77, "source": "Valley Post", "body": "Body from body.", "date": "sometime in May"}
JSON
cp corpus/harbour.example/strike.txt notes   # a file with no extension, named directly

sl --db s.db add corpus notes
check "clean batch exits 0" 0 "$rc"
check "summary line" "8 added, 0 already present, 0 skipped" "$(cut -d' ' -f1-7 out.txt | sed 's/ (.*//')"

sl --db s.db articles --json
check "articles --json exits 0" 0 "$rc"
jq -e 'type == "array" and length == 8' out.txt >/dev/null || fail "articles --json is an array of 8"
q() { jq -r "$1" out.txt; }
check "text file id is relative" "harbour.example/strike.txt" \
    "$(q '.[] | select(.title == "Dock workers walk out at Portvale harbour" and .source == "harbour.example") | .id')"
check "text source is the parent folder" "harbour.example" "$(q '.[] | select(.id == "harbour.example/ferry") | .source')"
check "header date" "2024-03-15" "$(q '.[] | select(.id == "harbour.example/strike.txt") | .date')"
check "no header, no date" "null" "$(q '.[] | select(.id == "harbour.example/ferry") | .date')"
check "CRLF title" "Ferry service resumes after storm damage" "$(q '.[] | select(.id == "harbour.example/ferry") | .title')"
check "file named directly: id is its name" "notes" "$(q '.[] | select(.id == "notes") | .id')"
check "json id" "coast.example" "$(q '.[] | select(.id == "https://coast.example/a1") | .source')"
check "published alias, time kept" "2024-05-01T08:30:00Z" "$(q '.[] | select(.id == "https://coast.example/a1") | .date')"
check "unknown field kept in meta" "World" "$(q '.[] | select(.id == "https://coast.example/a1") | .meta.section')"
check "url as id, host as source" "river.example" "$(q '.[] | select(.id == "https://www.river.example/b2") | .source')"
check "date_publish alias, midnight is a date" "2024-05-02" "$(q '.[] | select(.id == "https://www.river.example/b2") | .date')"
check "no id nor url: file and line" "Valley Post" "$(q '.[] | select(.id == "feeds/wire.jsonl:4") | .source')"
check "numeric id" "77" "$(q '.[] | select(.source == "Valley Post" and .date == null) | .id')"
check "unparsed date kept in meta" "sometime in May" "$(q '.[] | select(.id == "77") | .meta.date')"
check "fields of DESIGN.md present" "true" \
    "$(q 'all(.[]; has("id") and has("source") and has("url") and has("date") and has("title") and has("byline") and has("credit") and has("chars_raw") and has("chars_clean") and has("family") and has("event"))')"
check "dated first, in date order" "2024-03-15 2024-03-15 2024-04-02 2024-05-01T08:30:00Z" \
    "$(q '[.[].date | select(. != null)][0:4] | join(" ")')"

sl --db s.db article harbour.example/ferry --json
check "article --json exits 0" 0 "$rc"
check "cleaned text: the headline goes to the title, not the text" "The first ferry left at noon." "$(jq -r .text out.txt)"
check "chars counted" "true" "$(jq '.chars_raw > .chars_clean' out.txt)"

sl --db s.db article harbour.example/rates.txt
check "article exits 0" 0 "$rc"
check_contains "rest of the header line is text" "Rates held steady by the central bank" out.txt
sl --db s.db article no/such/article
check "absent article exits 1" 1 "$rc"
check_contains "absent article is named" "no article with id 'no/such/article'" err.txt

# The same batch again: nothing changes.
sl --db s.db add corpus notes
check "re-add exits 0" 0 "$rc"
check "re-add adds nothing" "0 added, 8 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"
# The same text from the same source under another id is the same article.
mkdir -p again && cp -r corpus/harbour.example again/
sl --db s.db add again/harbour.example
check "same source, same text, other id: present" "0 added, 3 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"
# A changed article under the same id is updated.
printf ' date 2024-03-16\nDock workers end strike\n\nThe strike ended.\n' > corpus/harbour.example/strike.txt
sl --db s.db add corpus
check "changed text is updated" "0 added, 1 updated, 6 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"
sl --db s.db article --json harbour.example/strike.txt
check "the update replaced the date" "2024-03-16" "$(jq -r .date out.txt)"
check "the update replaced the text" "The strike ended." "$(jq -r .text out.txt)"
check "the update replaced the title" "Dock workers end strike" "$(jq -r .title out.txt)"

# Standard input.
printf '{"id":"stdin-1","source":"pipe.example","text":"From a pipe."}\n' | "$STORYLINE" --db s.db add - >out.txt 2>err.txt
check "stdin adds one" "1 added, 0 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"

# Records without id or url on standard input are named by their text, so a second run
# adds rather than replaces.
printf '{"source":"pipe.example","text":"First piped article, with no id."}\n' | "$STORYLINE" --db s.db add - >out.txt 2>err.txt
printf '{"source":"pipe.example","text":"Second piped article, with no id."}\n' | "$STORYLINE" --db s.db add - >out.txt 2>err.txt
check "a second stdin run adds" "1 added, 0 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"
printf '{"source":"pipe.example","text":"First piped article, with no id."}\n' | "$STORYLINE" --db s.db add - >out.txt 2>err.txt
check "the same stdin record again is present" "0 added, 1 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"

# Exports.
sl --db s.db export --format jsonl
check "export exits 0" 0 "$rc"
check "export has one line per article" "$("$STORYLINE" --db s.db articles --json | jq length)" "$(wc -l < out.txt | tr -d ' ')"
jq -e -s 'all(.[]; has("text") and (.text | length) > 0)' out.txt >/dev/null || fail "every exported article has its text"
sl --db s.db export --format csv
check "csv header" "id,source,url,date,title,byline,credit,chars_raw,chars_clean,family,event,text" "$(head -1 out.txt | tr -d '\r')"
check_contains "csv quotes text with commas" '"The strike began at dawn, union leaders said."' out.txt
sl --db s.db export --format xml
check "unknown export format exits 2" 2 "$rc"
sl --db s.db export --what events
check "events export not built exits 2" 2 "$rc"

sl --db s.db stats --json
check "stats --json exits 0" 0 "$rc"
check "stats counts articles" "11" "$(jq .articles out.txt)"
check "stats counts batches" "8" "$(jq .batches out.txt)"
check "stats last batch" "0" "$(jq .last_batch.added out.txt)"

sl --db s.db add --json corpus
check "add --json is an object" "0 7" "$(jq -r '"\(.added) \(.present)"' out.txt)"
check "add --json: where the time went (bench/curve.sh reads it)" "true" \
    "$(jq '.stage_seconds | keys == ["clean", "cluster", "commit", "facts", "ingest", "match", "present"] and
        all(.[]; . >= 0)' out.txt)"

finish
