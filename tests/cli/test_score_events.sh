# bench/score_events: BCubed and pairwise scores of hand-made partitions, worked out by
# hand (gold: a b c in one event, d e in another).
. "$SRCDIR/tests/cli/lib.sh"
: "${SCOREEVENTS:?}"

cat > gold.jsonl <<'G'
{"id":"a","event":"E1"}
{"id":"b","event":"E1"}
{"id":"c","event":"E1"}
{"id":"d","event":2}
{"id":"e","event":2}
G
score() { "$SCOREEVENTS" gold.jsonl "$@" | tr -s ' ' | tr '\n' ';'; }

printf '%s\n' '{"id":"a","event":"x"}' '{"id":"b","event":"x"}' '{"id":"c","event":"x"}' \
    '{"id":"d","event":"y"}' '{"id":"e","event":"y"}' > perfect.jsonl
check "perfect partition" \
    "articles 5, gold events 2, predicted clusters 2;BCubed P 1.0000 R 1.0000 F1 1.0000;pairwise P 1.0000 R 1.0000 F1 1.0000;" \
    "$(score perfect.jsonl)"
# All in one: BCubed P = (3*3/5 + 2*2/5)/5 = 0.52; pairs 4 of 10 predicted.
check "one cluster" \
    "articles 5, gold events 2, predicted clusters 1;BCubed P 0.5200 R 1.0000 F1 0.6842;pairwise P 0.4000 R 1.0000 F1 0.5714;" \
    "$(score --baseline one)"
# Singletons: BCubed R = (3*1/3 + 2*1/2)/5 = 0.4; no predicted pair.
check "singletons" \
    "articles 5, gold events 2, predicted clusters 5;BCubed P 1.0000 R 0.4000 F1 0.5714;pairwise P 1.0000 R 0.0000 F1 0.0000;" \
    "$(score --baseline singletons)"
# c split off with d; e without an event (null), an id the gold lacks.
printf '%s\n' '{"id":"a","event":1}' '{"id":"b","event":1}' '{"id":"c","event":2}' \
    '{"id":"d","event":2}' '{"id":"e","event":null}' '{"id":"zz","event":1}' > mixed.jsonl
# BCubed P: a,b 2/2; c,d 1/2; e 1 -> (1+1+.5+.5+1)/5 = 0.8. R: a,b 2/3; c 1/3; d,e 1/2
# -> (2/3+2/3+1/3+1/2+1/2)/5 = 0.5333. Pairs: tp 1 (a-b); predicted 2; gold 4.
check "a mixed partition, a null event, an unknown id" \
    "articles 5, gold events 2, predicted clusters 3 (1 articles without a predicted event, each its own) (1 predicted ids not in the gold, ignored);BCubed P 0.8000 R 0.5333 F1 0.6400;pairwise P 0.5000 R 0.2500 F1 0.3333;" \
    "$(score mixed.jsonl)"
# Standard input, and usage errors.
check "stdin" "$(score perfect.jsonl)" "$("$SCOREEVENTS" gold.jsonl - < perfect.jsonl | tr -s ' ' | tr '\n' ';')"
rc=0; "$SCOREEVENTS" gold.jsonl 2>/dev/null || rc=$?
check "usage without a prediction" 2 "$rc"
printf 'not json\n' > bad.jsonl
rc=0; "$SCOREEVENTS" gold.jsonl bad.jsonl >/dev/null 2>err.txt || rc=$?
check "a broken prediction fails" 1 "$rc"
check_contains "and says where" "bad.jsonl:1" err.txt
finish
