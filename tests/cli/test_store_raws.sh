# Schema version 2 (docs/store.md): the raw text lives in its own table, one zstd frame
# (written once; cleaning rewrites only the article's row), and the cleaned text is spans
# of it. A version-1 store (tests/data/store_v1.sql, made by the last build that wrote
# version 1), in either of its layouts (raw text in raws, or in articles.raw before raws),
# is refused by the read-only commands with a message saying what migrates it, and is
# migrated in place by `clean` or `add`: the same articles and texts as a new store.
. "$SRCDIR/tests/cli/lib.sh"
SCHEMA=$(schema_version)
command -v sqlite3 >/dev/null || skip "no sqlite3"
ex="$SRCDIR/examples"

sl --db new.db add -q "$ex"
check "raw text in its own table, packed; no raw or norm column" "50|50|0|1" \
    "$(sqlite3 new.db "SELECT (SELECT count(*) FROM raws), (SELECT count(*) FROM raws WHERE typeof(raw) = 'blob'),
        (SELECT count(*) FROM pragma_table_info('articles') WHERE name IN ('raw', 'norm')),
        (SELECT sum(length(raw)) < sum(chars_raw) * 6 / 10 FROM raws JOIN articles USING(rid))")"
check "every cleaned text stored as spans of its raw text (a few bytes)" "50|1" \
    "$(sqlite3 new.db "SELECT count(*), max(length(text)) < 200 FROM articles WHERE typeof(text) = 'blob' AND hex(substr(text, 1, 1)) = '01'")"
id=$("$STORYLINE" --db new.db articles --json | jq -r '.[0].id')
sl --db new.db article --explain "$id"
check "explain reads the raw text" 0 "$rc"
check "explain shows lines" "true" "$([ -s out.txt ] && echo true || echo false)"

# The five sample articles of the version-1 fixture, added anew: what a migration must give.
mkdir -p five
for f in harbourtimes.example/ferry-runs-aground-off-kessa-island.txt \
    indrapurexpress.example/estmark-ferry-aground-kessa.txt \
    metrowire24.example/ferry-aground-kessa-island.txt \
    navapurledger.example/estmark-ferry-runs-aground.txt \
    harbourtimes.example/dockers-walk-out-over-automation.txt; do
    mkdir -p "five/${f%/*}"
    cp "$ex/text/$f" "five/$f"
done
(cd five && "$STORYLINE" --db ../fresh.db add -q .)
"$STORYLINE" --db fresh.db export --format jsonl | jq -c '{id, source, date, title, text}' | sort > fresh.jsonl

sqlite3 v1.db < "$SRCDIR/tests/data/store_v1.sql"
cp v1.db older.db
# the layout of version 1 before raws: raw text in articles.raw
sqlite3 older.db "UPDATE articles SET raw = (SELECT raw FROM raws r WHERE r.rid = articles.rid); DROP TABLE raws;"
for db in v1.db older.db; do
    sl --db "$db" articles
    check "$db: read-only command refused" 1 "$([ "$rc" -ne 0 ] && echo 1 || echo 0)"
    check_contains "$db: message names the version" "store schema version 1 is older than this storyline's ($SCHEMA)" err.txt
    check_contains "$db: message says what migrates it" '`storyline add` or `storyline clean`' err.txt
    check "$db: left as it was" 1 "$(sqlite3 "$db" "PRAGMA user_version")"
    sl --db "$db" clean
    check "$db: clean migrates it" 0 "$rc"
    check "$db: version $SCHEMA" "$SCHEMA" "$(sqlite3 "$db" "PRAGMA user_version")"
    "$STORYLINE" --db "$db" export --format jsonl | jq -c '{id, source, date, title, text}' | sort > "$db.jsonl"
    check "$db: the same texts as added anew" "$(cat fresh.jsonl)" "$(cat "$db.jsonl")"
    sl --db "$db" search ferry
    check_contains "$db: search finds the four" "4 hits" out.txt
done

# Two writers opening the same version-1 store at once: one migrates it, the other finds
# it migrated once it has the lock (it asks the version again under it), and both add.
sqlite3 race.db < "$SRCDIR/tests/data/store_v1.sql"
printf '{"id":"race-a","source":"a.example","text":"The harbour board met on Monday about the ferry timetable."}\n' > a.jsonl
printf '{"id":"race-b","source":"b.example","text":"The river council voted on Tuesday to widen the old bridge."}\n' > b.jsonl
"$STORYLINE" --db race.db add -q a.jsonl 2> race-a.err & pa=$!
"$STORYLINE" --db race.db add -q b.jsonl 2> race-b.err & pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
check "two writers on a version-1 store: both succeed" "0 0" "$ra $rb"
check "the second said nothing" "" "$(cat race-a.err race-b.err)"
check "version $SCHEMA, with both articles" "$SCHEMA|2" \
    "$(sqlite3 race.db "SELECT (SELECT user_version FROM pragma_user_version), count(*) FROM articles WHERE id LIKE 'race-%'")"
# Version 2 (tests/data/store_v2.sql, the same five by the last build that wrote version 2):
# refused by a reader, naming it; `add` migrates it (band and paragraph keys narrowed to 32
# bits), and a copy of a ferry article from a new outlet joins the ferry's family, found
# through the migrated keys alone.
sqlite3 v2.db < "$SRCDIR/tests/data/store_v2.sql"
sl --db v2.db dups
check "v2: read-only command refused" 1 "$([ "$rc" -ne 0 ] && echo 1 || echo 0)"
check_contains "v2: message names the version" "store schema version 2 is older than this storyline's ($SCHEMA)" err.txt
check "v2: left as it was" 2 "$(sqlite3 v2.db "PRAGMA user_version")"
{ printf 'date 2024-03-02\n'; cat "$ex/text/harbourtimes.example/ferry-runs-aground-off-kessa-island.txt"; } > copy.txt
mkdir -p copy/copy.example && mv copy.txt copy/copy.example/ferry.txt
(cd copy && "$STORYLINE" --db ../v2.db add -q .)
check "v2: add migrates it (the keys' rows packed into blocks)" "$SCHEMA|0|1" \
    "$(sqlite3 v2.db "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema WHERE name IN ('lsh', 'paras')), (SELECT count(*) > 0 FROM lsh_blocks)")"
sl --db v2.db dups --json
check "v2: the copy joins the ferry's family" "5" \
    "$(jq '[.[] | select(any(.members[]; .article == "copy.example/ferry.txt"))][0].members | length' out.txt)"

# Version 3 (tests/data/store_v3.sql, the same five by 3e332e6): refused read-only; `add`
# migrates it (the search index made again with tokenizer sl_stop) and searches find the
# same articles.
sqlite3 v3.db < "$SRCDIR/tests/data/store_v3.sql"
before=$(sqlite3 v3.db "SELECT group_concat(id, ' ') FROM (SELECT a.id FROM articles_fts f
    JOIN articles a ON a.rid = f.rowid WHERE articles_fts MATCH 'ferry aground' ORDER BY a.id)")
sl --db v3.db search ferry
check_contains "v3: message names the version" "store schema version 3 is older than this storyline's ($SCHEMA)" err.txt
(cd copy && "$STORYLINE" --db ../v3.db add -q .)
check "v3: add migrates it" "$SCHEMA|1" \
    "$(sqlite3 v3.db "SELECT (SELECT user_version FROM pragma_user_version), count(*) FROM sqlite_master WHERE name = 'articles_fts' AND sql LIKE '%sl_stop%'")"
sl --db v3.db search --json --limit 50 ferry aground
check "v3: the same articles found, and the copy" \
    "$(printf '%s\n' $before copy.example/ferry.txt | sort | paste -sd ' ')" \
    "$(jq -r '[.[].id] | sort | join(" ")' out.txt)"

# Version 4 (tests/data/store_v4.sql, the same five by 347258f): refused read-only; an `add`
# of one of its articles again (nothing added) migrates it (each quote refers to the
# printing of its text), and quotes, events and export print what 347258f printed of it
# (tests/data/store_v4.*.out), byte for byte.
sqlite3 v4.db < "$SRCDIR/tests/data/store_v4.sql"
sl --db v4.db quotes --json
check_contains "v4: message names the version" "store schema version 4 is older than this storyline's ($SCHEMA)" err.txt
mkdir -p again/harbourtimes.example
cp five/harbourtimes.example/dockers-walk-out-over-automation.txt again/harbourtimes.example/
(cd again && "$STORYLINE" --db ../v4.db add -q .)
check "v4: add migrates it, the quotes refer to their printings" "$SCHEMA|7|7" \
    "$(sqlite3 v4.db "SELECT (SELECT user_version FROM pragma_user_version), count(*), count(rid) FROM quotes WHERE text IS NULL")"
for out in "quotes quotes --json" "events events --json" "export export" \
    "export-quotes export --what quotes"; do
    set -- $out
    name=$1
    shift
    "$STORYLINE" --db v4.db "$@" > "v4.$name.out"
    check "v4: $* as before the migration" "" \
        "$(cmp "$SRCDIR/tests/data/store_v4.$name.out" "v4.$name.out" 2>&1)"
done
finish
