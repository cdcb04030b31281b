#!/bin/sh
# The facts stage end to end: facts stored per article and shown (`article`, `export`),
# each event's quotes and entities (`event`, `quotes`, `export --what quotes`) in the
# JSON shapes of docs/output.md, made again incrementally as batches touch events, by
# `clean`, and for a store made before the facts tables. The first part checks the
# plumbing and holds whatever the extractors find; the second needs the quotes extractor
# to find a plain "...," said Name quote (and the variant grouping to merge a one-word
# insertion), and is skipped while they are stubs.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip "jq is not installed"
db=facts.db
esc=$(printf '\033')
bel=$(printf '\007')

cat >b1.jsonl <<'JSON'
{"id": "a1", "source": "wire.example", "date": "2024-03-15", "title": "Harbour bridge in Port Elling closed after storm damage", "text": "The harbour bridge in Port Elling was closed on Friday after a storm damaged two of its cables, officials said.\n\n\"The bridge will stay closed until engineers have checked every cable,\" said Marta Keller, the city's transport director.\n\nTraffic was diverted through the old tunnel, and ferries ran extra services across the harbour. The storm brought winds of more than 120 kilometres an hour to the coast overnight.\n\nEngineers from the national roads agency arrived in the afternoon to inspect the damaged cables and the towers of the bridge."}
{"id": "a2", "source": "daily.example", "date": "2024-03-15", "title": "Storm shuts Port Elling harbour bridge", "text": "Port Elling's harbour bridge was closed on Friday after a storm damaged two of its cables.\n\n\"The bridge will stay closed until engineers have checked every cable,\" said Marta Keller, the city's transport director.\n\nTraffic was diverted through the old tunnel and ferries ran extra services across the harbour, after the storm brought winds of more than 120 kilometres an hour to the coast.\n\nEngineers from the national roads agency inspected the damaged cables and towers."}
JSON
cat >b2.jsonl <<'JSON'
{"id": "a3", "source": "herald.example", "date": "2024-03-16", "title": "Port Elling harbour bridge stays shut after storm", "text": "The harbour bridge in Port Elling remained closed on Saturday after a storm damaged two of its cables.\n\n\"The bridge will stay closed until engineers have checked every single cable,\" said Marta Keller, the city's transport director.\n\n\"Stay calm \u001b]0;pwned\u0007 and \u001b[31mwait\u001b[0m <b>for news</b>,\" said Marta Keller.\n\nTraffic was diverted through the old tunnel, and ferries ran extra services across the harbour after winds of more than 120 kilometres an hour hit the coast.\n\nEngineers from the national roads agency inspected the damaged cables and the towers of the bridge."}
{"id": "a4", "source": "coast.example", "date": "2024-03-16", "title": "Harbour bridge in Port Elling closed after storm", "text": "The harbour bridge in Port Elling was closed after a storm damaged two of its cables on Friday.\n\n\"The bridge will stay closed until engineers have checked every cable,\" said Marta Keller, the city's transport director.\n\nTraffic was diverted through the old tunnel, and ferries ran extra services across the harbour. Winds of more than 120 kilometres an hour hit the coast.\n\nEngineers from the national roads agency inspected the damaged cables and the towers of the bridge."}
JSON

# raw_free FILE: neither ESC nor BEL reaches the terminal from FILE's text
raw_free() {
    checks=$((checks + 1))
    if grep -q "[$esc$bel]" "$1"; then
        fail "$2: a raw control character in the text output"
    fi
}

# --- part 1: the plumbing ---
sl quotes --help
check "quotes --help exits 0" 0 "$rc"
check_contains "quotes --help says what it shows" "usage: storyline [--db PATH] quotes [--json]" out.txt
sl --db "$db" add b1.jsonl
check "first batch added" 0 "$rc"
sl --db "$db" events --json
e1=$(jq -r '.[] | select(.articles | index("a1")) | .id' out.txt)
check "a1 and a2 form one event" "[\"a1\",\"a2\"]" "$(jq -c --arg e "$e1" '.[] | select(.id == $e) | .articles' out.txt)"

sl --db "$db" article a1 --json
check "article --json exits 0" 0 "$rc"
check "article --json has the facts object" '["amounts","dates","entities","quotes"]' \
    "$(jq -c '.facts | keys' out.txt)"
check "each of its lists is an array" "true" \
    "$(jq '[.facts[] | type == "array"] | all' out.txt)"
sl --db "$db" export
check "export --what articles: facts on each article" "true true" \
    "$(jq -r '.facts | type == "object"' out.txt | tr '\n' ' ' | sed 's/ $//')"
sl --db "$db" event "$e1" --json
check "event --json: quotes and entities arrays" "array array" \
    "$(jq -r '[(.quotes | type), (.entities | type)] | join(" ")' out.txt)"
sl --db "$db" quotes --json
check "quotes --json is one JSON array" "array" "$(jq -r type out.txt)"
check "each quote in the quote shape, with kind" "true" \
    "$(jq '[.[] | (.id | test("^Q[0-9]+$")) and (.kind == "speech" or .kind == "phrase")
           and (.event | test("^E[0-9]+$")) and (.variants | length > 0)
           and ([.variants[] | (.text | type == "string") and (.articles | length > 0)] | all)]
           | all' out.txt)"
nq=$(jq length out.txt)
sl --db "$db" export --what quotes
check "export --what quotes exits 0" 0 "$rc"
check "export --what quotes: one quote object a line, as many as quotes --json" \
    "$nq $nq" "$(grep -c . out.txt || true) $(jq -s '[.[] | select(.id and .variants)] | length' out.txt)"
sl --db "$db" export --what quotes --format csv
check "export --what quotes --format csv: its header" \
    "quote,event,speaker,kind,text,variant,variant_text,article,source,date" \
    "$(head -1 out.txt | tr -d '\r')"
sl --db "$db" export --what nonsense
check "export --what of no such thing exits 2" 2 "$rc"
sl --db "$db" stats
check_contains "stats counts facts" "facts " out.txt
sl --db "$db" event E999
check "event of no such id exits 1" 1 "$rc"

sl --db "$db" add b2.jsonl
check "second batch added" 0 "$rc"
for cmd in "quotes" "article a3" "event $e1"; do
    # shellcheck disable=SC2086
    sl --db "$db" $cmd
    check "$cmd exits 0" 0 "$rc"
    raw_free out.txt "$cmd"
done
sl --db "$db" export --what quotes --format csv
check "CSV of quotes exits 0" 0 "$rc"

# A store made before the facts tables (dropped here): read-only it shows no facts; the
# next batch adds the tables, and the articles of the events it touches get their facts.
sl --db "$db" article a1 --json
a1_facts=$(jq -c .facts out.txt)
cp "$db" old.db
if command -v sqlite3 >/dev/null; then
    # Every article has its facts: the store says so (counter facts_complete: the last
    # article then), and the facts stage no longer looks for articles without them.
    check "the store knows every article has facts" "1" \
        "$(sqlite3 "$db" "SELECT count(*) FROM counters WHERE name = 'facts_complete'
            AND value BETWEEN 1 AND (SELECT max(rid) FROM articles)")"
    sqlite3 old.db "DROP TABLE article_facts; DROP TABLE article_quotes;
        DROP TABLE IF EXISTS entity_memos; DROP TABLE quotes; DROP TABLE quote_variants;
        DROP TABLE variant_articles; DROP TABLE event_entities;"
    chmod a-w old.db
    sl --db old.db quotes --json
    check "an older store: quotes read-only" "0 []" "$rc $(jq -c . out.txt)"
    sl --db old.db article a1 --json
    check "an older store: facts null" "null" "$(jq -c .facts out.txt)"
    chmod u+w old.db
    sed 's/"id": "a4"/"id": "a5"/; s/coast.example/bay.example/' b2.jsonl | grep '"a5"' >b3.jsonl
    sl --db old.db add b3.jsonl
    check "an older store takes a batch" 0 "$rc"
    sl --db old.db article a1 --json
    check "... and its touched event's articles get facts" "object" "$(jq -r '.facts | type' out.txt)"
    check "... the same facts as when it was cleaned (its headline read too)" "$a1_facts" \
        "$(jq -c .facts out.txt)"
    check "... and knows its articles are not all with facts" "0" \
        "$(sqlite3 old.db "SELECT count(*) FROM counters WHERE name = 'facts_complete'")"

    # Empty memos of the quote grouping (SQLite reads a 0-byte blob as NULL) are no memo:
    # the next batch groups afresh, to the same quotes as on an untouched copy.
    cp "$db" memo.db
    cp "$db" memo_ref.db
    check "the store keeps memos of its groupings" yes \
        "$(sqlite3 memo.db "SELECT CASE WHEN count(*) > 0 THEN 'yes' ELSE 'no' END FROM quote_memos")"
    sqlite3 memo.db "UPDATE quote_memos SET memo = X''"
    sl --db memo_ref.db add b3.jsonl
    sl --db memo_ref.db quotes --json
    mv out.txt memo_ref.json
    sl --db memo.db add b3.jsonl
    check "empty memos: the batch is added" 0 "$rc"
    sl --db memo.db quotes --json
    check "empty memos: the same quotes as with the memos" "$(jq -c . memo_ref.json)" \
        "$(jq -c . out.txt)"

    # The entities' merge resumes from a memo per event (docs/facts-entities.md,
    # "Resuming"): the same entities as merging afresh (memos gone, or damaged).
    # (read through events --json: since version 5 an event's entities are read from its
    # memo; the rows are only for an event whose memo could not be kept)
    ents() { "$STORYLINE" --db "$1" events --json | jq -c '.[] | [.id, .entities]'; }
    check "the store keeps memos of its entity merges" yes \
        "$(sqlite3 memo.db "SELECT CASE WHEN count(*) > 0 THEN 'yes' ELSE 'no' END FROM entity_memos")"
    cp "$db" ememo.db
    cp "$db" ememo_bad.db
    sqlite3 ememo.db "DELETE FROM entity_memos"
    sqlite3 ememo_bad.db "UPDATE entity_memos SET memo = X'454531010000000000000000'"
    sl --db ememo.db add b3.jsonl
    sl --db ememo_bad.db add b3.jsonl
    check "entity memos: a batch resumed from them, one merged afresh, the same" \
        "$(ents ememo.db)" "$(ents memo_ref.db)"
    # a damaged memo: its event shows no entities until a batch merges it afresh
    ev=$("$STORYLINE" --db memo_ref.db article a5 --json | jq -r .event)
    one() { "$STORYLINE" --db "$1" event "$ev" --json | jq -c .entities; }
    check "entity memos: a damaged one is none, the batch's event merged afresh" \
        "$(one memo_ref.db)" "$(one ememo_bad.db)"
    check "entity memos: the batch's event has entities" "yes" \
        "$(one memo_ref.db | jq -r 'if length > 0 then "yes" else "no" end')"
    check "entity memos: one an event after the batch" \
        "$(sqlite3 memo_ref.db "SELECT count(DISTINCT event) FROM article_events")" \
        "$(sqlite3 memo_ref.db "SELECT count(*) FROM entity_memos")"

    # A version 3 store kept each article's entities as rows too (article_entities): the
    # next writer drops them (version 4, then 5), and its batches make the same entities.
    cp "$db" v3.db
    sqlite3 v3.db "DROP TABLE entity_memos;
        CREATE TABLE article_entities(rid INTEGER NOT NULL, n INTEGER NOT NULL,
          name TEXT NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL,
          PRIMARY KEY(rid, n)) WITHOUT ROWID;
        INSERT INTO article_entities VALUES(1, 0, 'Nobody Here', 'person', 9);
        PRAGMA user_version=3;"
    sl --db v3.db add b3.jsonl
    check "a version 3 store takes a batch" 0 "$rc"
    check "... made the current version" "$(schema_version)" "$(sqlite3 v3.db "PRAGMA user_version")"
    check "... its article_entities gone" 0 \
        "$(sqlite3 v3.db "SELECT count(*) FROM sqlite_schema WHERE name = 'article_entities'")"
    # (the events it does not touch lost theirs with the memos dropped here: a store of
    # version 3 had them as rows)
    check "... the same entities" "$(one v3.db)" "$(one memo_ref.db)"
fi

cp "$db" before_clean.db
sl --db "$db" quotes --json
cp out.txt quotes_before_clean.json
sl --db "$db" clean
check "clean exits 0" 0 "$rc"
sl --db "$db" quotes --json
check "clean makes the same quotes again, ids kept" \
    "$(jq -c '[.[] | [.id, .text, [.variants[].articles]]]' quotes_before_clean.json)" \
    "$(jq -c '[.[] | [.id, .text, [.variants[].articles]]]' out.txt)"
sl --db "$db" article a1 --json
check "clean keeps the article's facts" "object" "$(jq -r '.facts | type' out.txt)"

# --- part 2: what a basic extractor finds ---
n=$(jq length quotes_before_clean.json)
if [ "$n" -eq 0 ]; then
    finish >/dev/null
    skip "no quote found: the quotes extractor is a stub (the plumbing's $checks checks passed)"
fi
sl --db before_clean.db quotes --json
cp out.txt after2.json
# after batch 1 only: a fresh store
sl --db b1only.db add b1.jsonl
sl --db b1only.db quotes --json
q=$(jq -r '.[] | select(.text | test("stay closed until engineers")) | .id' out.txt)
check "one quote for the wording a1 and a2 print" 1 "$(echo "$q" | grep -c .)"
check "its speaker" "Marta Keller" \
    "$(jq -r --arg q "$q" '.[] | select(.id == $q) | .speaker' out.txt)"
check "its kind" "speech" "$(jq -r --arg q "$q" '.[] | select(.id == $q) | .kind' out.txt)"
check "one variant, both articles, earliest first" '[["a1","a2"]]' \
    "$(jq -c --arg q "$q" '.[] | select(.id == $q) | [.variants[].articles]' out.txt)"
sl --db b1only.db add b2.jsonl
sl --db b1only.db quotes --json
check "the next batch's copy and variant join the quote, which keeps its id" \
    '["a1","a2","a3","a4"]' \
    "$(jq -c --arg q "$q" '[.[] | select(.id == $q) | .variants[].articles[]] | sort' out.txt)"
check "variants earliest first: the wire's wording leads" "a1" \
    "$(jq -r --arg q "$q" '.[] | select(.id == $q) | .variants[0].articles[0]' out.txt)"
check "no other quote holds that utterance" 0 \
    "$(jq --arg q "$q" '[.[] | select(.id != $q and (.text | test("stay closed until")))] | length' out.txt)"
sl --db b1only.db quotes
check_contains "quotes text: the hostile quote escaped" '\x1B]0;pwned\x07' out.txt
raw_free out.txt "quotes with control characters"
check_contains "quotes text: outlets listed" "herald.example" out.txt
sl --db b1only.db article a3
check_contains "article text: its quotes" "Marta Keller" out.txt
raw_free out.txt "article a3 with control characters"
finish
