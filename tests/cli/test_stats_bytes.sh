#!/bin/sh
# `stats` gives the store's bytes by group of tables (docs/store-size.md): they add up to
# the file's size (every page is some table's, SQLite's schema's or free), each table is
# in one group, and a group grows when its data does. The text form prints each group.
. "$SRCDIR/tests/cli/lib.sh"
ex="$SRCDIR/examples"

# groups FILE: the six groups' bytes of a `stats --json` output, on one line
groups() {
    jq -r '[.bytes_by_group | .texts, .facts, .events, .dedup, .search, .other]
           | map(tostring) | join(" ")' "$1"
}

sl --db s.db add -q "$ex/text"
sl --db s.db stats --json
check "stats --json exits 0" 0 "$rc"
cp out.txt one.json
size=$(stat -c %s s.db)
check "no WAL left to count" "false" "$([ -s s.db-wal ] && echo true || echo false)"
check "the groups add up to the file" "$size" \
    "$(jq '[.bytes_by_group[]] | add' one.json)"
check "so do the tables" "$size" "$(jq '[.bytes_by_table[]] | add' one.json)"
check "each table is in one group, the groups as sl_store_bytes" \
    "texts facts events dedup search other" "$(jq -r '.bytes_by_group | keys_unsorted | join(" ")' one.json)"
check "the texts are the articles, their hashes and date order, raws, pages and dictionaries" \
    "$(jq '.bytes_by_table | [.articles, .article_hashes, .article_hashes_recent, .article_order,
                              .article_order_recent, .raws, (.pages // 0), (.dicts // 0)] | add' one.json)" \
    "$(jq '.bytes_by_group.texts' one.json)"
check "the search index is articles_fts's tables and its stop words" \
    "$(jq '.bytes_by_table | to_entries | map(select((.key | startswith("articles_fts")) or .key == "search_stop")) | map(.value) | add' one.json)" \
    "$(jq '.bytes_by_group.search' one.json)"
check "per article: the group over the articles (to 6 digits)" true \
    "$(jq '(.bytes_per_article.facts - .bytes_by_group.facts / .articles | length)
           < .bytes_per_article.facts * 1e-5' one.json)"
check "the keys before are still there" "true" \
    "$(jq 'has("store_bytes") and has("articles") and has("last_batch")' one.json)"

# More articles: every group of an article's data grows. (With 16 KB pages a few articles
# may fit in the pages a group has: the sample articles again, from other outlets, and
# 300 generated ones, whose dedup keys, packed at about 4.5 bytes a key, fill pages.)
cp -r "$ex/text" again
for d in again/*; do mv "$d" "$d-again"; done
"${GENCORPUS:?}" --articles 300 gen.jsonl
sl --db s.db add -q "$ex/jsonl" again gen.jsonl
sl --db s.db stats --json
cp out.txt two.json
read -r t1 f1 e1 d1 s1 o1 <<EOF
$(groups one.json)
EOF
read -r t2 f2 e2 d2 s2 o2 <<EOF
$(groups two.json)
EOF
check "texts grow" true "$([ "$t2" -gt "$t1" ] && echo true || echo false)"
check "facts grow" true "$([ "$f2" -gt "$f1" ] && echo true || echo false)"
check "events grow" true "$([ "$e2" -gt "$e1" ] && echo true || echo false)"
check "dedup grows" true "$([ "$d2" -gt "$d1" ] && echo true || echo false)"
check "search grows" true "$([ "$s2" -gt "$s1" ] && echo true || echo false)"
check "the groups still add up" "$(stat -c %s s.db)" "$(jq '[.bytes_by_group[]] | add' two.json)"

# Free pages count as other, under "(free)".
sqlite3 s.db "DELETE FROM raws" && sl --db s.db stats --json
check "free pages counted" true "$(jq '.bytes_by_table["(free)"] > 0' out.txt)"
check "with them the groups add up" "$(stat -c %s s.db)" "$(jq '[.bytes_by_group[]] | add' out.txt)"

# The text form: one line a group, with its share of an article.
sl --db s.db stats
check "stats exits 0" 0 "$rc"
check_contains "a line for the texts" "space       texts" out.txt
for g in facts events dedup search other; do
    check "a line for $g" 1 "$(grep -cE "^ {12}$g +[0-9.]+ [kMG]?B \([0-9.]+ [kMG]?B an article\)$" out.txt)"
done
finish
