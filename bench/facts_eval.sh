#!/bin/sh
# facts_eval.sh — score the facts extractors (entities, dates, amounts) on MEANTIME
# (../shared/eval/facts/README.md): in sample, and per topic (the two folds: Airbus and
# Boeing; Apple), each over the whole text and over the part MEANTIME annotates.
#
#   bench/facts_eval.sh BUILD_DIR
#
# Runs BUILD_DIR/bench/facts_dump over the gold file (or over a copy of a part of it) and
# prints score_facts.py's line for each: ENTITY_F1 ENTITY_P ENTITY_R TYPE_ACC DATE_ACC
# AMOUNT_R. Rows:
#   all       every article, the whole text (in sample)
#   airbus    the Airbus/Boeing topic (30 articles)
#   apple     the Apple topic (30 articles; its title names Apple)
#   *-head    the same over the annotated part only: MEANTIME marks entities, dates and
#             amounts in the title and the first sentences (lines 0-5 of the text: title,
#             dateline, four sentences); names found further on and nowhere there count
#             as wrong against it, so the whole-text precision is a floor.
# Environment: DATA=FILE for another gold file; MISSES=N passes --misses N (to stderr).
# Exit status: 0 when every row was scored, 1 when a step failed, 2 on a usage error.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
gold=${DATA:-$here/../../shared/eval/facts/meantime-dev.jsonl}
score=$(dirname "$gold")/score_facts.py
dump=$build/bench/facts_dump
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if [ ! -x "$dump" ]; then
    echo "$0: $dump is missing (make -C $build facts_dump)" >&2
    exit 2
fi
if [ ! -f "$gold" ] || [ ! -f "$score" ]; then
    echo "$0: no gold file or scorer at $gold (set DATA=FILE)" >&2
    exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/facts_eval.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The folds and the annotated part, as copies of the gold file.
"$py" - "$gold" "$work" <<'EOF'
import json, sys
gold, work = sys.argv[1], sys.argv[2]
out = {}
for name in ("all", "airbus", "apple"):
    for part in ("", "-head"):
        out[name + part] = open(f"{work}/{name}{part}.jsonl", "w", encoding="utf-8")
for line in open(gold, encoding="utf-8"):
    if not line.strip():
        continue
    r = json.loads(line)
    topic = "apple" if "apple" in (r.get("title") or "").lower() else "airbus"
    head = dict(r, text="\n".join((r.get("text") or "").split("\n")[:6]))
    for name in ("all", topic):
        out[name].write(json.dumps(r) + "\n")
        out[name + "-head"].write(json.dumps(head) + "\n")
for f in out.values():
    f.close()
EOF

rc=0
printf '%-12s %s\n' "rows" "ENTITY_F1 ENTITY_P ENTITY_R TYPE_ACC DATE_ACC AMOUNT_R"
for row in all airbus apple all-head airbus-head apple-head; do
    if ! "$dump" "$work/$row.jsonl" >"$work/$row.pred"; then
        rc=1
    fi
    if [ -n "${MISSES:-}" ]; then
        line=$("$py" "$score" "$work/$row.jsonl" "$work/$row.pred" --misses "$MISSES") || rc=1
    else
        line=$("$py" "$score" "$work/$row.jsonl" "$work/$row.pred") || rc=1
    fi
    printf '%-12s %s\n' "$row" "$line"
done
exit $rc
