# Search: `storyline search` over the sample corpus: hits hold every word, best first,
# with marked snippets (text: [..]); pages; hostile queries answered with hits or a
# usage error, never an SQL or FTS error; a store made before the index.
. "$SRCDIR/tests/cli/lib.sh"
EX="$SRCDIR/examples"

sl --db s.db -q add "$EX"
check "sample ingested" 0 "$rc"

sl --db s.db search --json --limit 100 gannet bank
check "search exit" 0 "$rc"
n=$(jq length out.txt)
check "hits found" 1 "$([ "$n" -ge 3 ] && echo 1 || echo 0)"
check "hit fields" "date,event,id,rank,snippet,source,title" "$(jq -r '.[0] | keys | join(",")' out.txt)"
check "ranked best first" 1 "$(jq '(map(.rank)) == (map(.rank) | sort)' out.txt | sed 's/true/1/')"
check "snippets mark the words" "$n" "$(jq '[.[] | select(.snippet | test("\u0002(?i:gannet|bank)\u0003"))] | length' out.txt)"
check "hits in events" "$n" "$(jq '[.[] | select(.event | test("^E[0-9]+$"))] | length' out.txt)"
# every hit holds both words in its title or text
for id in $(jq -r '.[].id' out.txt); do
    "$STORYLINE" --db s.db article --json "$id" > a.json
    check "hit $id holds both words" 1 \
        "$(jq '((.title // "") + " " + .text) | ascii_downcase | (contains("gannet") and contains("bank"))' a.json | sed 's/true/1/')"
done
# pages: the second page is the rest of the first
sl --db s.db search --json --limit 2 --offset 1 gannet bank
"$STORYLINE" --db s.db search --json --limit 100 gannet bank > all.json
check "page = slice" "$(jq -c '.[1:3] | map(.id)' all.json)" "$(jq -c 'map(.id)' out.txt)"

# English word endings aside (the index stems): "strikes" finds the dock strike's "strike"
sl --db s.db search --json "dock strikes"
check "a plural finds the singular" 1 "$(jq '[.[] | select(.snippet | test("\u0002(?i:strike)\u0003"))] | length >= 1' out.txt | sed 's/true/1/')"

# punctuation is no word: a pasted dash or guillemet does not empty the hits; a word
# of non-ASCII letters is one
sl --db s.db search --json "gannet"
n1=$(jq length out.txt)
sl --db s.db search --json "gannet — « ·"
check "punctuation adds no term" "$n1" "$(jq length out.txt)"
sl --db s.db search --json "Åkerlund"
check "a name with a non-ASCII letter is found" 1 "$(jq 'length >= 1' out.txt | sed 's/true/1/')"

# text form: id, source, date, event, title; the snippet with [ ] marks
sl --db s.db search --limit 3 gannet
check "text exit" 0 "$rc"
check_contains "marks as brackets" "[Gannet]" out.txt
check "no marks or escapes reach the terminal" 0 "$(tr -cd '\002\003\033' < out.txt | wc -c)"
check_contains "count line" "hits, 1 to 3 shown" out.txt

# hostile queries
for q in '"' '*' 'NEAR(' 'AND OR NOT' 'col:' '^' '(((' 'title:x' "'; DROP TABLE articles; --" \
         'a"b' '{title}: x' '-x' 'NOT' ')'; do
    sl --db s.db search --json "$q"
    case $rc in
    0) check "[$q] gives an array" 1 "$(jq 'type == "array"' out.txt | sed 's/true/1/')" ;;
    2) check_contains "[$q] usage error" "search: " err.txt ;;
    *) fail "[$q]: exit $rc" ;;
    esac
    if grep -qiE 'sql|fts5|syntax' err.txt; then fail "[$q] leaks: $(cat err.txt)"; fi
done
long=$(head -c 10240 /dev/zero | tr '\0' 'a')
sl --db s.db search "$long"
check "10 KB query refused" 2 "$rc"
sl --db s.db search "..."
check "only punctuation refused" 2 "$rc"
check_contains "says why" "needs a word" err.txt
sl --db s.db search --limit 0 x
check "--limit 0 refused" 2 "$rc"
sl --db s.db search --json zzzznotaword
check "no hits: empty array" "0 0" "$rc $(jq length out.txt)"

# A store made before the index: read-only search says what to do; the next add builds it.
cp s.db old.db
# (the index's row taken out of the schema by hand: the sqlite3 shell has no tokenizer
# sl_stop to drop it with)
sqlite3 old.db "DROP TRIGGER articles_fts_gone; DROP TRIGGER articles_fts_change; DROP TABLE articles_fts_data;
                DROP TABLE articles_fts_idx; DROP TABLE articles_fts_docsize;
                DROP TABLE articles_fts_config; PRAGMA writable_schema=ON;
                DELETE FROM sqlite_master WHERE name = 'articles_fts';"
sl --db old.db search gannet
check "old store: search fails" 2 "$rc"
check_contains "old store: says what to do" "storyline add" err.txt
sl --db old.db events --json
check "old store: the rest reads" 0 "$rc"
printf '{"id":"new1","source":"n.example","date":"2024-12-01","title":"Gannet Bank patrol boats","text":"Patrol boats returned to the Gannet Bank on Sunday."}\n' > new.jsonl
sl --db old.db -q add new.jsonl
check "old store: add" 0 "$rc"
sl --db old.db search --json gannet bank
check "old store: index built, the new article found" "0 1" \
    "$rc $(jq '[.[] | select(.id == "new1")] | length' out.txt)"
check "old store: old articles found" "$(jq length all.json)" "$(jq '[.[] | select(.id != "new1")] | length' out.txt)"
finish
