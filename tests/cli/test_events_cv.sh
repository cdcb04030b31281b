#!/bin/sh
# test_events_cv.sh — bench/events_cv.py's BCubed (the cross-validation's scorer) on a
# hand-made pair: gold {a b c} {d}, predicted {a b} {c d}. By hand: P = (1+1+1/2+1/2)/4
# = 0.75, R = (2/3+2/3+1/3+1)/4 = 2/3, F1 = 2PR/(P+R) = 0.7059; score_events agrees.
# And its logistic fit (the link model's weights) recovers a known model from 20,000
# pairs drawn from it: bias -4, weights 3, 2, 6, 1, 0, each within 0.35.
. "$SRCDIR/tests/cli/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
command -v "$PY" >/dev/null 2>&1 || skip "no python3 to run bench/events_cv.py"
cat >gold.jsonl <<'J'
{"id":"a","event":"G1"}
{"id":"b","event":"G1"}
{"id":"c","event":"G1"}
{"id":"d","event":"G2"}
J
cat >pred.jsonl <<'J'
{"id":"a","event":"X"}
{"id":"b","event":"X"}
{"id":"c","event":"Y"}
{"id":"d","event":"Y"}
{"id":"e","event":"Z"}
J
check "python BCubed on the hand-made pair" \
    "articles 4  BCubed P 0.7500 R 0.6667 F1 0.7059" \
    "$("$PY" "$SRCDIR/bench/events_cv.py" bcubed gold.jsonl pred.jsonl)"
if [ -n "${SCOREEVENTS:-}" ] && [ -x "$SCOREEVENTS" ]; then
    head -4 pred.jsonl >pred4.jsonl
    check "score_events agrees" "BCubed    P 0.7500  R 0.6667  F1 0.7059" \
        "$("$SCOREEVENTS" gold.jsonl pred4.jsonl | grep '^BCubed')"
fi
out=$("$PY" "$SRCDIR/bench/events_cv.py" fitcheck)
echo "$out"
near() { # near NAME WANT: 1 when the fitted NAME is within 0.35 of WANT
    echo "$out" | tr ' ' '\n' | awk -F= -v name="$1" -v want="$2" \
        '$1 == name { d = $2 - want; print (d < 0 ? -d : d) <= 0.35 }'
}
check "fit recovers bias -4" 1 "$(near bias -4)"
check "fit recovers w_title 3" 1 "$(near w_title 3)"
check "fit recovers w_body 2" 1 "$(near w_body 2)"
check "fit recovers w_names 6" 1 "$(near w_names 6)"
check "fit recovers w_details 1" 1 "$(near w_details 1)"
check "fit recovers w_quotes 0" 1 "$(near w_quotes 0)"
finish
