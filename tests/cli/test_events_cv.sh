#!/bin/sh
# test_events_cv.sh — bench/events_cv.py's BCubed (the cross-validation's scorer) on a
# hand-made pair: gold {a b c} {d}, predicted {a b} {c d}. By hand: P = (1+1+1/2+1/2)/4
# = 0.75, R = (2/3+2/3+1/3+1)/4 = 2/3, F1 = 2PR/(P+R) = 0.7059; score_events agrees.
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
finish
