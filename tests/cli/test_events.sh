# Events and storylines: the sample corpus's nine events recovered (examples/README.md),
# its one storyline linked and nothing else; incremental batches agree with one batch;
# articles that share no content never join one event; the event commands' contract.
. "$SRCDIR/tests/cli/lib.sh"
: "${SCOREEVENTS:?}"
EX="$SRCDIR/examples"

# The truth as JSON Lines for score_events, and each truth event's predicted event (the
# one holding most of its articles).
awk -F'\t' 'NR > 1 { printf "{\"id\":\"%s\",\"event\":\"%s\"}\n", $1, $5 }' "$EX/truth.tsv" > gold.jsonl
majority() { # majority PRED.jsonl TRUTH-EVENT
    jq -r --slurpfile g gold.jsonl --arg t "$2" \
        '($g | map({(.id): .event}) | add) as $gold | select($gold[.id] == $t) | .event' "$1" |
        sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }'
}
f1() { "$SCOREEVENTS" "$1" "$2" | awk '/BCubed/ { print $7 }'; }

sl --db one.db -q add "$EX"
check "sample ingested" 0 "$rc"
"$STORYLINE" --db one.db export --format jsonl > one.jsonl
events=""
for t in E-portstrike E-rate E-fishquota E-floodbrenna E-ferry E-recall E-cupfinal \
         E-floodossary E-fishsummit; do
    events="$events $(majority one.jsonl $t)"
done
check "nine truth events, nine distinct events" 9 "$(echo $events | tr ' ' '\n' | sort -u | grep -c .)"
check "sample BCubed F1 at least 0.95" 1 "$(f1 gold.jsonl one.jsonl | awk '{ print ($1 >= 0.95) }')"

# The one-shot report lists the same nine events.
sl run "$EX"
check "run exit" 0 "$rc"
check "run reports nine events" 9 "$(grep -c '^E[0-9]' out.txt)"

# Storylines: the Gannet Bank quota row and its accord, and only that.
sl --db one.db storylines --json
check "storylines exit" 0 "$rc"
check "one storyline" 1 "$(jq length out.txt)"
quota=$(majority one.jsonl E-fishquota)
summit=$(majority one.jsonl E-fishsummit)
check "the storyline's events" "$quota $summit" "$(jq -r '.[0].events | join(" ")' out.txt)"
sl --db one.db event "$quota" --json
check "event --json exit" 0 "$rc"
check "event id" "$quota" "$(jq -r .id out.txt)"
storyline=$(jq -r .storyline out.txt)
sl --db one.db event "$summit" --json
check "both in one storyline" "$storyline" "$(jq -r .storyline out.txt)"
check "summary sentences" 1 "$(jq '.summary | length > 0' out.txt | grep -c true)"
brenna=$(majority one.jsonl E-floodbrenna)
ossary=$(majority one.jsonl E-floodossary)
sl --db one.db event "$brenna" --json
b=$(jq -r .storyline out.txt)
sl --db one.db event "$ossary" --json
check "two floods, two storylines" 1 "$([ "$b" != "$(jq -r .storyline out.txt)" ] && echo 1)"
sl --db one.db event E999
check "absent event: exit 1" 1 "$rc"
check_contains "absent event: message" "no event with id 'E999'" err.txt
# The text form finds the same events as --json, by "E12" or "12".
sl --db one.db event "$summit"
check "event text exit" 0 "$rc"
check "event text: its id" "event      $summit" "$(head -1 out.txt)"
check "event text: one timeline line per article" "$("$STORYLINE" --db one.db event "$summit" --json | jq -r '.articles | length')" "$(sed -n '/^timeline/,/^$/p' out.txt | grep -c '^  ')"
sl --db one.db event "${summit#E}"
check "event text by number" "event      $summit" "$(head -1 out.txt)"
sl --db one.db events --json
check "events --json: every article once" 50 "$(jq '[.[].articles[]] | unique | length' out.txt)"

# Incremental: the corpus (as exported, cleaned, in JSON Lines) in five batches out of
# date order gives the partition of one batch, and ids of events made do not change.
jq -c '{id, source, date, title, text}' one.jsonl > all.jsonl
sl --db batch.db -q add all.jsonl
"$STORYLINE" --db batch.db export --format jsonl > batch.jsonl
split -n l/5 all.jsonl part.
for p in part.aa part.ab part.ac part.ad part.ae; do
    mv "$p" "$p.jsonl"
    sl --db five.db -q add "$p.jsonl"
    [ "$p" = part.aa ] && "$STORYLINE" --db five.db export --format jsonl > first.jsonl
done
"$STORYLINE" --db five.db export --format jsonl > five.jsonl
check "five batches agree with one (BCubed F1 >= 0.99)" 1 \
    "$(f1 batch.jsonl five.jsonl | awk "{ print (\$1 >= 0.99) }")"
jq -r '.id + " " + .event' first.jsonl | sort > first.txt
jq -r '.id + " " + .event' five.jsonl | sort | grep -F -x -f first.txt > kept.txt || true
check "event ids kept across batches" "$(wc -l < first.txt)" "$(wc -l < kept.txt)"

# An article updated with a text on another matter leaves its family and its event: the
# family goes on under its next member, the event keeps its id and its other articles, and
# the article is counted once. The ferry story's first copy (its family's founder) becomes
# an orchard's news; another copy, one word changed, stays where it was.
ferry=text/harbourtimes.example/ferry-runs-aground-off-kessa-island.txt
edited=text/metrowire24.example/ferry-aground-kessa-island.txt
fevent=$(jq -r --arg id "$ferry" 'select(.id == $id) | .event' batch.jsonl)
ffamily=$(jq -r --arg id "$ferry" 'select(.id == $id) | .family' batch.jsonl)
fsize=$("$STORYLINE" --db batch.db event "$fevent" --json | jq '.articles | length')
famsize=$(jq -s --arg f "$ffamily" '[.[] | select(.family == $f)] | length' batch.jsonl)
docs=$(sqlite3 batch.db "SELECT value FROM counters WHERE name = 'docs'")
check "the ferry story's first copy founds a family of several" 1 "$([ "$famsize" -ge 3 ] && echo 1)"
jq -c --arg id "$ferry" --arg ed "$edited" 'select(.id == $id or .id == $ed)
    | if .id == $id then .title = "Grelwick orchard pickers tally a record quince harvest"
        | .text = "Grelwick orchard pickers tallied a record harvest of quinces this autumn. The cooperative said volunteers picked from dawn and that jam makers in Tollbury had ordered twice the usual crates. Prices at the Saturday market fell for the first time in six years."
      else .text |= sub("fog"; "mist") end' all.jsonl > updated.jsonl
sl --db batch.db add updated.jsonl
check "update exit" 0 "$rc"
check_contains "two updated" "0 added, 2 updated" out.txt
"$STORYLINE" --db batch.db export --format jsonl > updated-all.jsonl
check "updated: articles counted once" "$docs" \
    "$(sqlite3 batch.db "SELECT value FROM counters WHERE name = 'docs'")"
check "updated: the ferry event keeps its id and loses the orchard" "$((fsize - 1))" \
    "$("$STORYLINE" --db batch.db event "$fevent" --json | jq '.articles | length')"
check "updated: stored count agrees" "$((fsize - 1))" \
    "$(sqlite3 batch.db "SELECT articles FROM events WHERE id = ${fevent#E}")"
check "updated: the orchard in an event of its own" 1 \
    "$(jq -r --arg id "$ferry" 'select(.id == $id) | .event' updated-all.jsonl |
       xargs -I{} jq -r --arg e {} 'select(.event == $e) | .id' updated-all.jsonl | wc -l)"
check "updated: the edited copy stays in the event" "$fevent" \
    "$(jq -r --arg id "$edited" 'select(.id == $id) | .event' updated-all.jsonl)"
check "updated: the orchard in no family" "null" \
    "$(jq -r --arg id "$ferry" 'select(.id == $id) | .family' updated-all.jsonl)"
nfamily=$(jq -r --arg id "$edited" 'select(.id == $id) | .family' updated-all.jsonl)
check "updated: the family goes on without its founder" "$((famsize - 1))" \
    "$(jq -s --arg f "$nfamily" '[.[] | select(.family == $f)] | length' updated-all.jsonl)"
sl --db batch.db dups --json
check "updated: dups shows the family without the orchard" "$((famsize - 1)) 0" \
    "$(jq -r --arg f "$nfamily" --arg id "$ferry" '.[] | select(.id == $f) | .members |
       "\(length) \([.[] | select(.article == $id)] | length)"' out.txt)"
jq -r '.id + " " + .event' batch.jsonl | sort | grep -v -F "$ferry " > unchanged.txt
check "updated: every other article keeps its event" "$(wc -l < unchanged.txt)" \
    "$(jq -r '.id + " " + .event' updated-all.jsonl | sort | grep -F -x -f unchanged.txt | wc -l)"

# No shared content, no shared event: 40 articles of random words on one day, each with
# the same name in it, one of them a single line with no title or date.
awk 'BEGIN { srand(7)
    for (i = 0; i < 40; i++) {
        line = "Estmark"
        for (w = 0; w < 60; w++) {
            word = ""
            for (c = 0; c < 7; c++) word = word sprintf("%c", 97 + int(rand() * 26))
            line = line " " word
        }
        if (i == 0) printf "{\"id\":\"r%d\",\"source\":\"s.example\",\"text\":\"%s\"}\n", i, line
        else printf "{\"id\":\"r%d\",\"source\":\"s.example\",\"date\":\"2024-05-01\",\"title\":\"%s\",\"text\":\"%s.\\nEstmark %s\"}\n", i, substr(line, 1, 40), line, line
    } }' > noise.jsonl
sl --db noise.db -q add noise.jsonl
check "noise ingested" 0 "$rc"
sl --db noise.db events --json
check "40 unrelated articles, 40 events" 40 "$(jq length out.txt)"

# Briefs too short for a body view, each naming Estmark and nothing else in common:
# joined by their titles only, and these share no word.
awk 'BEGIN { srand(11)
    for (i = 0; i < 30; i++) {
        t = ""; b = ""
        for (w = 0; w < 4; w++) {
            t1 = ""; b1 = ""
            for (c = 0; c < 7; c++) { t1 = t1 sprintf("%c", 97 + int(rand() * 26)); b1 = b1 sprintf("%c", 97 + int(rand() * 26)) }
            t = t " " t1; b = b (w == 2 ? " Estmark " : " ") b1
        }
        printf "{\"id\":\"b%d\",\"source\":\"s.example\",\"date\":\"2024-05-02\",\"title\":\"%s\",\"text\":\"%s.\"}\n", i, t, b
    } }' > briefs.jsonl
sl --db briefs.db -q add briefs.jsonl
sl --db briefs.db events --json
check "30 unrelated briefs naming one place, 30 events" 30 "$(jq length out.txt)"

# A batch of unrelated articles changes no stored article's event, though the small
# events of the batch before are placed again with it (reopened).
jq -r '.id + " " + .event' one.jsonl | sort > before.txt
sl --db one.db -q add noise.jsonl
check "noise added to the sample" 0 "$rc"
"$STORYLINE" --db one.db export --format jsonl | jq -r '.id + " " + .event' | sort |
    grep -F -x -f before.txt > after.txt || true
check "unrelated batch: every event id kept" "$(wc -l < before.txt)" "$(wc -l < after.txt)"
check "unrelated batch: no new event holds a sample article" 9 \
    "$("$STORYLINE" --db one.db export --format jsonl | jq -r 'select(.id | startswith("r") | not) | .event' | sort -u | wc -l)"

# Adding the same batch again adds nothing and changes nothing: the events the noise batch
# left open stay open for the next (before, they were all closed).
open_before=$(sqlite3 one.db "SELECT group_concat(id) FROM (SELECT id FROM open_events ORDER BY id)")
check "the noise batch left events open" 1 "$([ -n "$open_before" ] && echo 1 || echo 0)"
sl --db one.db -q add noise.jsonl
check "noise added again" 0 "$rc"
check "nothing new: the open events are the same" "$open_before" \
    "$(sqlite3 one.db "SELECT group_concat(id) FROM (SELECT id FROM open_events ORDER BY id)")"

# A copy of an article from a new outlet joins its original's event. (Keys of an event
# that is gone, forgotten when a search meets them: tests/unit/test_cluster.c,
# test_stale_keys_forgotten, since the keys are packed in blocks that SQL cannot plant.)
mkdir -p again/copies.example
cp "$EX/text/kestrelreview.example/gannet-bank-quarrel.txt" again/copies.example/quarrel-copy.txt
sl --db one.db -q add again
check "copy added" 0 "$rc"
"$STORYLINE" --db one.db export --format jsonl > again.jsonl
check "the copy joins its original's event" \
    "$(jq -r 'select(.id | endswith("kestrelreview.example/gannet-bank-quarrel.txt")) | .event' again.jsonl)" \
    "$(jq -r 'select(.id | endswith("quarrel-copy.txt")) | .event' again.jsonl)"

# Many articles on one day about one event: 300 rewrites of one story (its sentences
# shuffled, a few words changed) are one event.
awk 'BEGIN { srand(3)
    split("Lindhaven council votes to close Mill Road bridge after inspectors find cracks in its piers|Mayor Hanne Sollis said the Mill Road bridge would stay shut until engineers from Portvale finish repairs|Drivers face a detour through Brenna and Ostby while the Tarn crossing is closed|The inspection found corrosion in three of the five piers of the 1958 bridge", s, "|")
    for (i = 0; i < 300; i++) {
        text = ""
        for (k = 0; k < 4; k++) text = text s[(i + k) % 4 + 1] " report " int(rand() * 1000) ". "
        printf "{\"id\":\"m%d\",\"source\":\"site%d.example\",\"date\":\"2024-06-0%d\",\"title\":\"Mill Road bridge closed %d\",\"text\":\"%s\"}\n", i, i % 50, 1 + i % 2, i, text
    } }' > many.jsonl
sl --db many.db -q add many.jsonl
sl --db many.db events --json
check "300 rewrites of one story, one event" 1 "$(jq length out.txt)"
finish
