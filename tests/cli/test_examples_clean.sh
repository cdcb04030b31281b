# Cleaning the sample corpus against its line-level truth (examples/truth-lines.json):
# body lines kept, planted boilerplate removed, headlines, dates and bylines found.
# The limits below are where the cleaner stands; lower them as it improves, never raise.
. "$SRCDIR/tests/cli/lib.sh"
ex="$SRCDIR/examples"
MAX_BODY_LOST=0
MAX_BOILERPLATE_KEPT=4
MAX_TITLES_WRONG=0

sl --db s.db add -q "$ex"
"$STORYLINE" --db s.db export --format jsonl > got.jsonl
jq -s . "$ex/truth-lines.json" > truth.json
jq -n --slurpfile truth truth.json --slurpfile got got.jsonl '
  ($got | map({(.id): {lines: (.text | split("\n") | map(gsub("^\\s+|\\s+$"; ""))),
                        title, byline, credit, date}}) | add) as $g
  | [$truth[0][] | . as $t | $g[$t.id] as $a
     | {id,
        lost: [$t.body[] | gsub("^\\s+|\\s+$"; "") | select(. as $b | $a.lines | any(. == $b) | not)],
        kept: [($t.boilerplate - $t.body)[] | gsub("^\\s+|\\s+$"; "")
               | select(. as $b | $a.lines | any(. == $b))],
        title_ok: ($a.title == $t.headline),
        date: (if ($a.date // "")[0:10] == ($t.date // "") then null else [$a.date, $t.date] end),
        byline: (if $a.byline == $t.byline then null else [$a.byline, $t.byline] end),
        credit: (if $a.credit == $t.credit then null else [$a.credit, $t.credit] end)}]' > compare.json

lost=$(jq '[.[].lost | length] | add' compare.json)
kept=$(jq '[.[].kept | length] | add' compare.json)
titles=$(jq '[.[] | select(.title_ok | not)] | length' compare.json)
body=$(jq '[.[].body | length] | add' truth.json)
bp=$(jq '[.[].boilerplate | length] | add' truth.json)
echo "body lines lost $lost of $body; boilerplate lines kept $kept of $bp; titles wrong $titles of $(jq length truth.json)"
checks=$((checks + 3))
[ "$lost" -le "$MAX_BODY_LOST" ] || { fail "body lines lost: $lost"; jq -r '.[] | select(.lost != []) | "  \(.id): \(.lost)"' compare.json >&2; }
[ "$kept" -le "$MAX_BOILERPLATE_KEPT" ] || { fail "boilerplate kept: $kept"; jq -r '.[] | select(.kept != []) | "  \(.id): \(.kept)"' compare.json >&2; }
[ "$titles" -le "$MAX_TITLES_WRONG" ] || fail "titles wrong: $titles"

# Every printed date, byline and wire credit is found, and none is made up.
for field in date byline credit; do
    check "$field of every sample article" "[]" \
        "$(jq -c --arg f "$field" '[.[] | select(.[$f] != null) | {id, got: .[$f][0], want: .[$f][1]}]' compare.json)"
done

finish
