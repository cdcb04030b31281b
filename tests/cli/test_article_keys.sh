# The articles' hashes and date order (schema version 13, docs/store.md "The articles'
# keys"): kept in tables of their own, new rows in small recent tables merged into the
# large ones once the store grows by a sixteenth. Whichever table holds an article's row,
# the same text from the same source under another id is found, and `articles` lists in
# the date order (date IS NULL, date, source, id), also after an update moves a row.
. "$SRCDIR/tests/cli/lib.sh"
command -v sqlite3 >/dev/null || skip "no sqlite3"

# article ID SOURCE DATE|- N: one JSON line, its text made from N (distinct for each N)
article() {
    words="harbour ferry council budget river school bridge storm market court"
    text=""
    for k in 1 2 3 4 5 6; do
        w1=$(echo "$words" | cut -d' ' -f$((($4 + k) % 10 + 1)))
        w2=$(echo "$words" | cut -d' ' -f$((($4 * 7 + k * 3) % 10 + 1)))
        text="$text The $w1 report number $4 line $k said the $w2 plan would change by $(($4 * 13 + k)) percent this year."
    done
    if [ "$3" = - ]; then
        jq -cn --arg id "$1" --arg s "$2" --arg t "$text" --arg h "Story $4 of the $w1" \
            '{id: $id, source: $s, title: $h, text: $t}'
    else
        jq -cn --arg id "$1" --arg s "$2" --arg d "$3" --arg t "$text" --arg h "Story $4 of the $w1" \
            '{id: $id, source: $s, date: $d, title: $h, text: $t}'
    fi
}

# 60 articles: three sources, dates shared by several, some undated
: > base.jsonl
for n in $(seq 1 60); do
    if [ $((n % 9)) = 0 ]; then d=-; else d="2024-0$((n % 3 + 1))-1$((n % 4))"; fi
    article "a$n" "s$((n % 3)).example" "$d" "$n" >> base.jsonl
done
sl --db s.db add -q base.jsonl
check "base added" 0 "$rc"
rows() { sqlite3 s.db "SELECT (SELECT count(*) FROM article_hashes), (SELECT count(*) FROM article_hashes_recent), (SELECT count(*) FROM article_order), (SELECT count(*) FROM article_order_recent)"; }
check "a first load: every article settled" "60|0|60|0" "$(rows)"
check "no index on the articles' hashes or dates" "0" \
    "$(sqlite3 s.db "SELECT count(*) FROM sqlite_schema WHERE name IN ('articles_hash', 'articles_order')")"

# Every article's hash and key in exactly one of the two tables of each.
consistent() {
    sqlite3 s.db "SELECT (SELECT count(*) FROM articles a WHERE 1 != (SELECT count(*) FROM article_hashes h WHERE h.rid = a.rid AND h.hash = a.hash) + (SELECT count(*) FROM article_hashes_recent h WHERE h.rid = a.rid AND h.hash = a.hash)),
        (SELECT count(*) FROM articles a WHERE 1 != (SELECT count(*) FROM article_order o WHERE o.rid = a.rid AND o.id = a.id AND o.source = a.source AND o.date = coalesce(a.date, '') AND o.undated = (a.date IS NULL)) + (SELECT count(*) FROM article_order_recent o WHERE o.rid = a.rid AND o.id = a.id AND o.source = a.source AND o.date = coalesce(a.date, '') AND o.undated = (a.date IS NULL))),
        (SELECT count(*) FROM article_hashes) + (SELECT count(*) FROM article_hashes_recent) - (SELECT count(*) FROM articles),
        (SELECT count(*) FROM article_order) + (SELECT count(*) FROM article_order_recent) - (SELECT count(*) FROM articles)"
}
# `articles` in the order SQL gives the articles themselves.
in_order() {
    "$STORYLINE" --db s.db articles --json | jq -r '.[].id' > listed.txt
    sqlite3 s.db "SELECT id FROM articles ORDER BY date IS NULL, date, source, id" > sorted.txt
    cmp -s listed.txt sorted.txt && echo same || echo different
}
check "base: consistent" "0|0|0|0" "$(consistent)"
check "base: listed by date" same "$(in_order)"

# Two more, one undated: under a sixteenth of 60, so their rows stay recent.
article x1 s1.example 2024-02-12 100 > one.jsonl
article x2 s2.example - 101 > two.jsonl
sl --db s.db add -q one.jsonl two.jsonl
check "two more: recent" "60|2|60|2" "$(rows)"
check "the undated one's key" "1|" "$(sqlite3 s.db "SELECT o.undated, o.date FROM article_order_recent o JOIN articles a USING(rid) WHERE a.id = 'x2'")"
check "two more: listed by date, the recent rows among the settled" same "$(in_order)"
check "the undated recent one listed last, among the 6 undated settled ones" "1" \
    "$(tail -7 listed.txt | grep -c '^x2$')"

# The same text from the same source under another id: present, found in either table.
jq -c '.id = "x1-again"' one.jsonl > again.jsonl
sed -n 5p base.jsonl | jq -c '.id = "a5-again"' >> again.jsonl
jq -c '.id = "x1-elsewhere" | .source = "s9.example"' one.jsonl >> again.jsonl
sl --db s.db add --json again.jsonl
check "a text from its source under another id: present (recent and settled); from another source: added" \
    "1 2" "$(jq -r '"\(.added) \(.present)"' out.txt)"
check "still recent" "60|3|60|3" "$(rows)"

# An update with a new date and text moves a settled article's rows to the recent tables.
sed -n 7p base.jsonl | jq -c '.date = "2023-12-31" | .text = .text + " An update adds this line to the report."' > update.jsonl
sl --db s.db add --json update.jsonl
check "updated" 1 "$(jq .updated out.txt)"
check "the update's rows moved" "59|4|59|4" "$(rows)"
check "after the update: consistent" "0|0|0|0" "$(consistent)"
check "after the update: listed by date" same "$(in_order)"
check "the updated article first" "a7" "$(head -1 listed.txt)"

# An update that leaves a settled article without a date: its key moves to the undated.
sed -n 8p base.jsonl | jq -c 'del(.date) | .text = .text + " A correction without a date."' > undate.jsonl
sl --db s.db add --json undate.jsonl
check "updated to undated" 1 "$(jq .updated out.txt)"
check "its key: undated, in the recent table" "1|" \
    "$(sqlite3 s.db "SELECT o.undated, o.date FROM article_order_recent o JOIN articles a USING(rid) WHERE a.id = 'a8'")"
check "after it: consistent" "0|0|0|0" "$(consistent)"
check "after it: listed by date, a8 among the undated" same "$(in_order)"

# Enough more to pass a sixteenth: the recent rows merged.
: > more.jsonl
for n in $(seq 61 70); do article "a$n" "s$((n % 3)).example" "2024-01-1$((n % 4))" "$n" >> more.jsonl; done
sl --db s.db add -q more.jsonl
check "merged" "73|0|73|0" "$(rows)"
check "merged: consistent" "0|0|0|0" "$(consistent)"
check "merged: listed by date" same "$(in_order)"
jq -c '.id = "x1-third"' one.jsonl > third.jsonl
sl --db s.db add --json third.jsonl
check "a settled text from its source under another id: present" "0 1" \
    "$(jq -r '"\(.added) \(.present)"' out.txt)"

finish
