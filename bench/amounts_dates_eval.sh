#!/bin/sh
# amounts_dates_eval.sh — amounts recall and dates accuracy on MEANTIME dev, in sample and
# on its two topic folds (Airbus/Boeing, Apple), with build-plain/bench/facts_dump.
#   bench/amounts_dates_eval.sh [GOLD.jsonl]     (default ../shared/eval/facts/meantime-dev.jsonl)
# Prints: FOLD ARTICLES DATE_ACC AMOUNT_R
set -eu
gold=${1:-../shared/eval/facts/meantime-dev.jsonl}
py=/usr/bin/python3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
build-plain/bench/facts_dump "$gold" > "$dir/pred.jsonl"
"$py" - "$gold" "$dir" <<'PY'
import json, sys
gold, d = sys.argv[1], sys.argv[2]
air, apple = [], []
for l in open(gold, encoding="utf-8"):
    r = json.loads(l)
    k = (r["url"] + " " + r["title"]).lower()
    is_apple = any(w in k for w in ("apple", "ipod", "iphone", "itunes", "mac")) and \
        not ("airbus" in k or "boeing" in k)
    (apple if is_apple else air).append(l)
open(d + "/air.jsonl", "w").writelines(air)
open(d + "/apple.jsonl", "w").writelines(apple)
PY
for f in all air apple; do
    g=$gold
    [ "$f" = all ] || g=$dir/$f.jsonl
    n=$(wc -l < "$g")
    set -- $("$py" ../shared/eval/facts/score_facts.py "$g" "$dir/pred.jsonl")
    echo "$f $n $5 $6"
done
