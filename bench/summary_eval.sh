#!/bin/sh
# summary_eval.sh — score the present stage's summaries and headlines on the two labelled
# event sets (../shared/eval/event-clustering/README.md: Giveme5W1H and ECB+, dev halves).
#
#   bench/summary_eval.sh BUILD_DIR
#
# Per set: the set is added to a scratch store (so the articles are cleaned and their
# families found as `storyline add` does), exported, and BUILD_DIR/bench/summary_digest
# makes the headline and summary of every GOLD event (its articles by date) under the
# fitted parameters and over a grid of them; bench/summary_score.py scores them against
# the lead sentences of the event's articles (ROUGE-1/2), their redundancy, dangling
# openers and length, beside lead-3 of the first article and of a random one, and fits
# the parameters by 5-fold cross-validation by event (docs/present.md has the figures);
# bench/summary_cut.py places the redundancy cut from pairs of sentences of the sets.
# Then both sets pooled ("== both"): the fit that sets the defaults (docs/present.md).
# Environment: DATA=DIR for another folder of sets; OUT=DIR keeps the stores and digests.
# Exit status: 0 when every set was scored, 1 when a step failed, 2 on a usage error.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
data=${DATA:-$here/../../shared/eval/event-clustering}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
for tool in storyline bench/summary_digest; do
    if [ ! -x "$build/$tool" ]; then
        echo "$0: $build/$tool is missing (cmake --build $build)" >&2
        exit 2
    fi
done
if [ -n "${OUT:-}" ]; then # keep the stores and digests there
    mkdir -p "$OUT"
    tmp=$(cd "$OUT" && pwd)
    rm -f "$tmp"/*.db "$tmp"/*.db-wal "$tmp"/*.db-shm
else
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT INT TERM
fi
for set in giveme5w1h-news-cluster ecbplus; do
    gold=$data/$set.dev.jsonl
    if [ ! -f "$gold" ]; then
        echo "$0: no $gold (set DATA=DIR)" >&2
        exit 2
    fi
    "$build/storyline" --db "$tmp/$set.db" -q add "$gold" >/dev/null || exit 1
    "$build/storyline" --db "$tmp/$set.db" export --format jsonl > "$tmp/$set.export.jsonl" || exit 1
    "$build/bench/summary_digest" "$tmp/$set.export.jsonl" "$gold" > "$tmp/$set.digest.jsonl" || exit 1
    "$build/bench/summary_digest" --pairs "$tmp/$set.export.jsonl" "$gold" > "$tmp/$set.pairs.jsonl" || exit 1
    echo "== $set"
    "$py" "$here/summary_score.py" "$tmp/$set.digest.jsonl" || exit 1
done
echo "== the redundancy cut (sentence pairs of the two sets)"
"$py" "$here/summary_cut.py" "$tmp/giveme5w1h-news-cluster.pairs.jsonl" "$tmp/ecbplus.pairs.jsonl" || exit 1
echo "== both"
"$py" "$here/summary_score.py" "$tmp/giveme5w1h-news-cluster.digest.jsonl" \
    "$tmp/ecbplus.digest.jsonl" || exit 1
