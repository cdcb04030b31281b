# Facts on the labelled sets of ../shared/eval (read there, never copied), end to end:
# `storyline add` then `export`, scored by the sets' own scorers.
# - quotes/ (PolNeAR): quote F1, speaker accuracy and joint F1 of `export --what quotes`;
# - facts/ (MEANTIME): entity F1 and type accuracy, date accuracy and amount recall of
#   `export --what articles` (its `facts`).
# Each figure is at least its floor in tests/floors.sh (floors may only rise).
# Without ../shared: fails under CI=true, else skipped (lib.sh's need_shared).
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/floors.sh"
QUOTES="$SHARED/eval/quotes"
FACTS="$SHARED/eval/facts"
need_shared "$QUOTES/articles.jsonl"
need_shared "$FACTS/meantime-dev.jsonl"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
command -v "$PY" >/dev/null 2>&1 || skip "no python3 to run the sets' scorers"
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "" && a + 0 >= b + 0) }'; }
floor_of() { eval "echo \"\${$1:?no floor $1 in tests/floors.sh}\""; }
# at_floor NAME VALUE: VALUE is at least the floor FACTS_NAME.
at_floor() {
    floor=$(floor_of "FACTS_$1")
    echo "$1: $2 (floor $floor)"
    check "$1 $2, at least $floor" 1 "$(at_least "$2" "$floor")"
}

sl --db quotes.db -q add "$QUOTES/articles.jsonl"
check "quotes: add" 0 "$rc"
sl --db quotes.db export --format jsonl --what quotes
check "quotes: export" 0 "$rc"
mv out.txt quotes.jsonl
# F1 P R speaker-accuracy joint-F1
set -- $("$PY" "$QUOTES/score_quotes.py" "$QUOTES/gold.jsonl" quotes.jsonl)
check "quotes: scored" 5 "$#"
at_floor QUOTE_F1 "${1:-}"
at_floor SPEAKER_ACC "${4:-}"
at_floor JOINT_F1 "${5:-}"

sl --db facts.db -q add "$FACTS/meantime-dev.jsonl"
check "facts: add" 0 "$rc"
sl --db facts.db export --format jsonl --what articles
check "facts: export" 0 "$rc"
mv out.txt facts.jsonl
# entity F1, P, R, type accuracy, date accuracy, amount recall
set -- $("$PY" "$FACTS/score_facts.py" "$FACTS/meantime-dev.jsonl" facts.jsonl)
check "facts: scored" 6 "$#"
at_floor ENTITY_F1 "${1:-}"
at_floor ENTITY_R "${3:-}"
at_floor ENTITY_TYPE "${4:-}"
at_floor DATES "${5:-}"
at_floor AMOUNTS "${6:-}"
finish
