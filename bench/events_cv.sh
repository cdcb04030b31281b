#!/bin/sh
# events_cv.sh — the event engine's link model fitted and cross-validated inside the dev
# halves (docs/cluster.md, "The link model" and "Held-out figures: the protocol"): per fold
# (5 by gold event, by topic for ECB+) a logistic model is fitted on the pairs of the other
# folds' articles, its bar chosen on them, and the fold's articles -- clustered alone,
# never seen in the fit -- scored; then the in-sample fit (the engine's defaults are it,
# rounded) and the cross-set checks. bench/events_cv.py does the work.
#
#   bench/events_cv.sh BUILD_DIR
#
# Needs /usr/bin/python3, BUILD_DIR/storyline and BUILD_DIR/bench/cluster_tune.
# Environment: DATA=DIR for another copy of the eval sets. Takes about half a minute.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$src/../shared/eval/event-clustering}
g5=$data/giveme5w1h-news-cluster.dev.jsonl
ecb=$data/ecbplus.dev.jsonl
[ -f "$g5" ] && [ -f "$ecb" ] || { echo "$0: no eval sets at $data" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/events_cv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$src/bench/events_cv.py" run "$build/bench/cluster_tune" "$build/storyline" \
    "$tmp" giveme5w1h "$g5" ecbplus "$ecb"
