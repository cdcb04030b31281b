# Timelines: an event's articles by day with each family's origin before its copies (JSON
# "timeline" and the text form's marks), quote variants' "printed", a storyline's
# timeline in date order (`storyline ID`, also of a single event), and their errors.
. "$SRCDIR/tests/cli/lib.sh"
EX="$SRCDIR/examples"

sl --db s.db -q add "$EX"
check "sample ingested" 0 "$rc"

# Every event: the timeline holds its articles, in date order (undated last), and no copy
# of a family comes before that family's origin.
"$STORYLINE" --db s.db events --json > events.json
check "timeline: one entry per article" "" \
    "$(jq -r '.[] | select((.timeline | map(.article)) != .articles) | .id' events.json)"
check "timeline in date order, undated last" "" \
    "$(jq -r '.[] | select((.timeline | map(.date // "9999")) != (.timeline | map(.date // "9999") | sort)) | .id' events.json)"
check "origins before their copies" "" \
    "$(jq -r '.[] | .id as $e | .timeline | to_entries | map(select(.value.family != null)) |
        group_by(.value.family)[] | select(.[0].value.relation != "origin") | $e' events.json)"
check "relations named" "" \
    "$(jq -r '.[].timeline[] | select(.relation != null and (.relation | test("^(origin|copy|contained|rewrite)$") | not)) | .article' events.json)"
check "some families in the timelines" 1 \
    "$(jq '[.[].timeline[] | select(.relation == "origin")] | length >= 3' events.json | sed 's/true/1/')"
# ... and relations agree with `dups`
"$STORYLINE" --db s.db dups --json > dups.json
check "relations as in dups" "" \
    "$(jq -r --slurpfile d dups.json '($d[0] | map(.members[] | {(.article): .relation}) | add) as $r |
        .[].timeline[] | select(.relation != $r[.article]) | .article' events.json)"

# The text form of an event marks origins and copies.
e=$(jq -r '[.[] | select(any(.timeline[]; .relation == "copy"))][0].id' events.json)
sl --db s.db event "$e"
check "event exit" 0 "$rc"
check "origin marked" 1 "$(grep -c '^  [0-9-]* \* origin ' out.txt | awk '{ print ($1 >= 1) }')"
check "copy marked" 1 "$(grep -c '^  [0-9-]* + copy ' out.txt | awk '{ print ($1 >= 1) }')"

# Quotes: each variant says who printed it and when, earliest first.
"$STORYLINE" --db s.db quotes --json > quotes.json
check "printed: one per article of the variant" "" \
    "$(jq -r '.[].variants[] | select((.printed | map(.article)) != .articles) | .text' quotes.json)"
check "printed: earliest first" "" \
    "$(jq -r '.[].variants[] | select((.printed | map(.date // "9999")) != (.printed | map(.date // "9999") | sort)) | .text' quotes.json)"

# Storylines: the one of two events, and a single event's.
sl --db s.db storylines --json
s=$(jq -r '.[0].id' out.txt)
check "storylines have timelines" "$(jq -r '.[0].events | join(" ")' out.txt)" \
    "$(jq -r '.[0].timeline | map(.event) | join(" ")' out.txt)"
sl --db s.db storyline --json "$s"
check "storyline exit" 0 "$rc"
check "storyline: two events" 2 "$(jq '.timeline | length' out.txt)"
check "storyline timeline in date order" 1 \
    "$(jq '(.timeline | map(.date_first)) == (.timeline | map(.date_first) | sort)' out.txt | sed 's/true/1/')"
check "storyline timeline counts articles" 1 "$(jq '[.timeline[].articles] | min > 0' out.txt | sed 's/true/1/')"
sl --db s.db storyline "$s"
check "storyline text exit" 0 "$rc"
check "storyline text: two timeline lines" 2 "$(grep -c '^  [0-9-]* \.\. .* articles  ' out.txt)"
single=$(jq -r '[.[] | select(.storyline as $s | [.storyline] | inside(["'"$s"'"]) | not)][0].storyline' events.json)
sl --db s.db storyline --json "$single"
check "a single event's storyline" "0 1" "$rc $(jq '.timeline | length' out.txt)"
sl --db s.db storyline S999999
check "unknown storyline: exit 1" 1 "$rc"
check_contains "unknown storyline named" "no storyline with id 'S999999'" err.txt

# Hostile text in a headline reaches the terminal escaped.
printf '{"id":"x1","source":"evil.example","date":"2024-01-02","title":"Bad \\u001b]0;pwn\\u0007 title","text":"Zorblatt quarry workers walked out on Monday over unpaid wages, union leaders said, and the quarry stood silent all week."}\n' > evil.jsonl
sl --db s.db -q add evil.jsonl
ev=$("$STORYLINE" --db s.db article x1 --json | jq -r .event)
sl_of=$("$STORYLINE" --db s.db event "$ev" --json | jq -r .storyline)
sl --db s.db storyline "$sl_of"
check "escape kept off the terminal" 0 "$(grep -c "$(printf '\033')" out.txt || true)"
finish
