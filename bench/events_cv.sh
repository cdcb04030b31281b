#!/bin/sh
# events_cv.sh — the event engine's bar and view weights cross-validated inside the dev
# halves (docs/cluster.md, "Held-out figures: the protocol"): builds a store of each dev
# set, clusters all of its articles once per grid point with BUILD_DIR/bench/cluster_tune,
# and lets bench/events_cv.py pick per fold (5 folds by gold event, by topic for ECB+)
# the grid point best on the other folds and score it on the fold; prints per fold,
# mean +- sd, the in-sample figures and the cross-set checks.
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
"$build/storyline" --db "$tmp/g5.db" -q add "$g5" >/dev/null
"$build/storyline" --db "$tmp/ecb.db" -q add "$ecb" >/dev/null
/usr/bin/python3 "$src/bench/events_cv.py" run "$build/bench/cluster_tune" \
    giveme5w1h "$g5" "$tmp/g5.db" ecbplus "$ecb" "$tmp/ecb.db"
