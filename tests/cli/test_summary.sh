# Headline and summary (docs/present.md) on a small corpus of our own: one event of five
# articles from three outlets, one of them a copy of another's wire story. The summary has
# 3-5 sentences drawn from more than one outlet, in date order, none opening with a
# dangling pronoun or connective, the copy counted once; the headline is the central title
# (not the first, not the longest); the main fact, said by three outlets in their own
# words, is stated once; on the sample corpus no two summary sentences paraphrase each
# other. The text page prints it under the headline. A store
# made before the digests table still gives a summary (the first article's lead), and
# `storyline clean` makes them again.
. "$SRCDIR/tests/cli/lib.sh"

cat > corpus.jsonl <<'JSONL'
{"id":"ht/bridge-closes","source":"harbourtimes.example","date":"2025-03-01","title":"Tarnford bridge closes after crack found in main span","text":"Engineers closed the Tarnford road bridge on Saturday after a crack was found in its main steel span during a routine inspection.\nThe bridge carries about 30,000 vehicles a day across the River Tarn between Tarnford and Ossby.\nHe said the crack had been found at dawn by a team checking the bearings.\nPolice turned back traffic at both ends of the bridge within an hour of the inspection."}
{"id":"vo/crack-shuts-bridge","source":"valleyobserver.example","date":"2025-03-01","title":"Crack in main span shuts Tarnford bridge","text":"Drivers faced long queues on Saturday after the Tarnford road bridge was closed when inspectors found a crack in its main steel span.\nIt was the first closure of the bridge since it opened to traffic in 1987.\nDiversions through the village of Kelby added up to forty minutes to journeys between Tarnford and Ossby, the county council said."}
{"id":"mw/bridge-shut-for-weeks","source":"metrowire.example","date":"2025-03-02","title":"Tarnford bridge to stay shut for weeks, council says","text":"The county council said on Sunday that the Tarnford road bridge would stay closed for at least six weeks while engineers design a repair for the cracked steel span.\nFerry operator Tarn Crossings said it would add extra sailings between Tarnford and Ossby from Monday morning.\nHowever, the council said no date had yet been set for the repair work to begin on the bridge."}
{"id":"ht/bridge-shut-for-weeks","source":"harbourtimes.example","date":"2025-03-02","title":"Tarnford bridge to stay shut for weeks, council says","text":"The county council said on Sunday that the Tarnford road bridge would stay closed for at least six weeks while engineers design a repair for the cracked steel span.\nFerry operator Tarn Crossings said it would add extra sailings between Tarnford and Ossby from Monday morning.\nHowever, the council said no date had yet been set for the repair work to begin on the bridge."}
{"id":"vo/ossby-shops","source":"valleyobserver.example","date":"2025-03-03","title":"Shops in Ossby report fewer customers since bridge closure","text":"Shopkeepers in Ossby said takings had fallen by a third since the Tarnford road bridge was closed on Saturday.\nThe town's chamber of commerce asked the county council for help with business rates while the bridge stays shut.\nThis would be the second such request from Ossby traders in two years."}
JSONL

sl --db s.db -q add corpus.jsonl
check "added" 0 "$rc"
sl --db s.db events --json
check "one event" 1 "$(jq length out.txt)"
check "of five articles" 5 "$(jq '.[0].articles | length' out.txt)"
e=$(jq -r '.[0].id' out.txt)

sl --db s.db event "$e" --json
check "event --json exit" 0 "$rc"
cp out.txt event.json
n=$(jq '.summary | length' event.json)
check "3-5 sentences" 1 "$(echo "$n" | awk '{ print ($1 >= 3 && $1 <= 5) }')"
check "headline: the central title, not the first nor the longest" \
    "Crack in main span shuts Tarnford bridge" "$(jq -r .headline event.json)"

# Where each sentence comes from: the article (and its date and outlet) whose text holds it.
jq -r '.summary[]' event.json > sentences.txt
: > from.txt
while IFS= read -r s; do
    jq -r --arg s "$s" 'select(.text | split("\n") | index($s)) | "\(.date) \(.source) \(.id)"' \
        corpus.jsonl | head -1 >> from.txt
done < sentences.txt
check "every sentence found in an article" "$n" "$(grep -c . from.txt)"
check "from more than one outlet" 1 "$(awk '{ print $2 }' from.txt | sort -u | awk 'END { print (NR >= 2) }')"
check "after the lead, in date order" "$(sed 1d from.txt | awk '{ print $1 }')" \
    "$(sed 1d from.txt | awk '{ print $1 }' | sort)"
# the first sentence is a lead: the first of its article's paragraphs
first_id=$(head -1 from.txt | awk '{ print $3 }')
check "a lead opens the summary" "$(head -1 sentences.txt)" \
    "$(jq -r --arg id "$first_id" 'select(.id == $id) | .text | split("\n") | .[0]' corpus.jsonl |
        cut -c1-"$(head -1 sentences.txt | wc -c | awk '{ print $1 - 1 }')")"
check "the copy counted once: no sentence twice" "$n" "$(sort -u sentences.txt | grep -c .)"
check "the wire's copy never quoted in its place" 0 "$(grep -c 'ht/bridge-shut-for-weeks' from.txt || true)"
check "no dangling opener" 0 \
    "$(grep -cE '^(He|She|It|They|This|That|However|Also|The statement)[ ,]' sentences.txt || true)"
# The crack (the event's main fact) is said by three outlets in three wordings: once here.
check "the main fact stated once" 1 "$(grep -ci 'crack' sentences.txt)"

# The text page: the summary under the headline.
sl --db s.db event "$e"
check "event exit" 0 "$rc"
check "summary line after the headline" "summary" "$(sed -n 3p out.txt | awk '{ print $1 }')"
check_contains "summary printed" "$(head -1 sentences.txt)" out.txt

# No two paraphrases: on the sample corpus (examples/, where four outlets state the
# dockers' walkout in their own words), every two sentences of every event's summary stay
# under the cut (0.4) by the scorer's own paraphrase-aware overlap (bench/summary_score.py:
# content words, numbers and clock times normalised, |A & B| / min(|A|, |B|)).
sl --db ex.db -q add "$SRCDIR/examples"
check "examples added" 0 "$rc"
sl --db ex.db events --json
cp out.txt ex.json
check "examples: every summary 3-5 sentences" 0 \
    "$(jq '[.[] | select((.summary | length) < 3 or (.summary | length) > 5)] | length' ex.json)"
jq -c '.[].summary' ex.json > ex.summaries
/usr/bin/python3 - "$SRCDIR/bench" ex.summaries > ex.overlap <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
from summary_score import overlap
worst = 0.0
for line in open(sys.argv[2], encoding="utf-8"):
    s = json.loads(line)
    for i in range(len(s)):
        for j in range(i + 1, len(s)):
            worst = max(worst, overlap(s[i], s[j]))
print("%.3f" % worst)
PY
check "examples: no two summary sentences paraphrase each other (max overlap < 0.4)" 1 \
    "$(awk '{ print ($1 < 0.4) }' ex.overlap)"

# A store made before the digests table: the first article's lead sentences.
cp s.db old.db
sqlite3 old.db "DROP TABLE event_digests"
sl --db old.db event "$e" --json
check "old store: exit" 0 "$rc"
check "old store: a summary still" 3 "$(jq '.summary | length' out.txt)"
check "old store: the first article's lead" \
    "Engineers closed the Tarnford road bridge on Saturday after a crack was found in its main steel span during a routine inspection." \
    "$(jq -r '.summary[0]' out.txt)"
check "old store: the first title" "Tarnford bridge closes after crack found in main span" \
    "$(jq -r .headline out.txt)"
sl --db old.db event "$e"
check "old store: text page" 0 "$rc"
check_contains "old store: summary printed" "summary" out.txt
# `storyline clean` makes them again.
sl --db old.db -q clean
check "clean exit" 0 "$rc"
sl --db old.db events --json
e2=$(jq -r '.[0].id' out.txt)
sl --db old.db event "$e2" --json
check "after clean: the chosen summary again" "$(jq -c .summary event.json)" "$(jq -c .summary out.txt)"
check "after clean: the central headline" "Crack in main span shuts Tarnford bridge" "$(jq -r .headline out.txt)"
check "after clean: one digest per event" "$(sqlite3 old.db 'SELECT count(*) FROM events')" \
    "$(sqlite3 old.db 'SELECT count(*) FROM event_digests')"

# A later batch that adds to the event makes its digest again; the list agrees.
cat > more.jsonl <<'JSONL'
{"id":"mw/bridge-repair-plan","source":"metrowire.example","date":"2025-03-04","title":"Council picks repair plan for cracked Tarnford bridge span","text":"The county council on Tuesday chose a plan to bolt steel plates over the cracked main span of the Tarnford road bridge, which has been closed since Saturday.\nEngineers expect the repair of the Tarnford bridge to cost about 2 million crowns."}
JSONL
sl --db s.db -q add more.jsonl
check "second batch" 0 "$rc"
sl --db s.db events --json
check "still one event" 1 "$(jq length out.txt)"
check "list and page agree on the summary" "$(jq -c '.[0].summary' out.txt)" \
    "$(sl --db s.db event "$(jq -r '.[0].id' out.txt)" --json; jq -c .summary out.txt)"
check "one digest row" 1 "$(sqlite3 s.db 'SELECT count(*) FROM event_digests')"

# An article of the event put again with another text (an update): the summary is made
# from the new text, as a store that only ever had the new text makes it, not kept from
# the old (docs/present.md, "A summary kept"); the update sets the article's batch anew.
# (the sentence changed is one the summary holds)
check_contains "the summary holds the sentence" "within an hour of the inspection." out.txt
sed 's/within an hour of the inspection/within an hour of the morning inspection/' \
    corpus.jsonl | head -1 > update.jsonl
check "the update differs" 1 "$(grep -c 'morning inspection' update.jsonl)"
sl --db s.db -q add update.jsonl
check "update batch" 0 "$rc"
check "the updated article's batch is the last" 1 \
    "$(sqlite3 s.db "SELECT count(*) FROM articles WHERE batch = (SELECT max(id) FROM batches)")"
sl --db s.db events --json
updated=$(jq -c '.[0].summary' out.txt)
check_contains "the summary has the new wording" "within an hour of the morning inspection." out.txt
# The summary of a fresh store DB that only ever had FIRST's text for the first article
# (put first, so that it keeps its rid), then the rest of the corpus and more.jsonl.
fresh_summary() {
    { sed 1d corpus.jsonl; cat "$2" more.jsonl; } > "$1.jsonl"
    sl --db "$1" -q add "$2"
    sl --db "$1" -q add "$1.jsonl"
    sl --db "$1" events --json
    jq -c '.[0].summary' out.txt
}
check "the same summary as a store that only had the new text" \
    "$(fresh_summary fresh.db update.jsonl)" "$updated"

# The same article put again twice within one add, in slices of one: a slice that updates
# makes its events' summaries at once (src/pipeline/batch.c), so the first slice's summary
# is made from the evening text; the second slice is a batch of its own (its own row in
# batches, the article's batch set anew), so that summary is not kept over the night text.
for w in evening night; do
    sed "s/within an hour of the inspection/within an hour of the $w inspection/" \
        corpus.jsonl | head -1
done > twice.jsonl
sl --db s.db -q add --slice 1 twice.jsonl
check "twice-updated batch" 0 "$rc"
sl --db s.db events --json
twice=$(jq -c '.[0].summary' out.txt)
check_contains "the summary has the last wording" "within an hour of the night inspection." out.txt
sed 1d twice.jsonl > night.jsonl
check "the same summary as a store that only had the last text" \
    "$(fresh_summary fresh2.db night.jsonl)" "$twice"
finish
