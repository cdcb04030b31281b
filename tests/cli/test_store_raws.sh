# The raw text lives in its own table (written once; cleaning rewrites only the article's
# row). A store made before that table keeps the raw text in articles.raw: it still reads,
# cleans and deduplicates the same.
. "$SRCDIR/tests/cli/lib.sh"
ex="$SRCDIR/examples"

sl --db new.db add -q "$ex"
check "raw text in its own table, none left in the articles" "50|0" \
    "$(sqlite3 new.db "SELECT (SELECT count(*) FROM raws), (SELECT count(*) FROM articles WHERE raw != '')")"
id=$("$STORYLINE" --db new.db articles --json | jq -r '.[0].id')
"$STORYLINE" --db new.db export --format jsonl > before.jsonl
"$STORYLINE" --db new.db dups --json > dups-before.json

# The older layout: raw text back in articles.raw, the raws table empty.
cp new.db old.db
sqlite3 old.db "UPDATE articles SET raw = (SELECT raw FROM raws r WHERE r.rid = articles.rid); DROP TABLE raws;"
check "old layout made" "0" "$(sqlite3 old.db "SELECT count(*) FROM sqlite_master WHERE name='raws'")"
# Read-only commands do not add the table: they read the old column.
sl --db old.db articles --json
check "articles on the old layout" "50" "$(jq length out.txt)"
sl --db old.db export --format jsonl
check "export on the old layout" "$(jq -c 'del(.batch)' before.jsonl | sort)" "$(jq -c 'del(.batch)' out.txt | sort)"
sl --db old.db article --explain "$id"
check "explain reads the raw text of the old layout" 0 "$rc"
check "explain shows lines" "true" "$([ -s out.txt ] && echo true || echo false)"
sl --db old.db clean
check "clean on the old layout exits 0" 0 "$rc"
"$STORYLINE" --db old.db export --format jsonl > after.jsonl
check "the same articles after cleaning the old layout" "$(jq -c 'del(.batch)' before.jsonl | sort)" \
    "$(jq -c 'del(.batch)' after.jsonl | sort)"
check "the same families" "$(jq -c . dups-before.json)" "$("$STORYLINE" --db old.db dups --json | jq -c .)"
finish
