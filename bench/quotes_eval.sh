#!/bin/sh
# quotes_eval.sh — score the quote finder (src/facts/quotes.c, speaker.c) on PolNeAR
# (924 real US news articles with every quote's speaker annotated by hand,
# ../shared/eval/quotes/README.md): in sample, per outlet (the folds), on the outlets the
# rules were tuned on and on those held out, and where it fails, by kind.
#
#   bench/quotes_eval.sh [BUILD_DIR]      (default build-plain)
#
# Needs BUILD_DIR/bench/facts_dump (cmake --build BUILD_DIR --target facts_dump) and
# /usr/bin/python3. Environment: DATA=DIR for another copy of the data; TUNE="a b" the
# outlets the rules were tuned on (default: docs/facts-quotes.md's five), the others are
# reported as held out; SHOW=KIND also prints the failures of that kind ("missing",
# "wrong", "missed", "spurious", "pronoun"), LIMIT=N of them (default 40).
# Each line: F1 P R SPEAKER_ACC JOINT_F1 (score_quotes.py's figures).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build-plain}" && pwd)
data=${DATA:-$here/../../shared/eval/quotes}
tune=${TUNE:-"breitbart huff-post politico usa-today wash-post"}
dump=$build/bench/facts_dump
py=/usr/bin/python3

if [ ! -x "$dump" ]; then
    echo "$0: $dump is missing (cmake --build $build --target facts_dump)" >&2
    exit 2
fi
if [ ! -f "$data/articles.jsonl" ] || [ ! -f "$data/gold.jsonl" ]; then
    echo "$0: no data at $data (set DATA=DIR)" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$dump" --quotes "$data/articles.jsonl" >"$work/pred.jsonl"

# one articles file per outlet (the id's prefix before the first "_"), and the two halves
"$py" - "$data/articles.jsonl" "$work" "$tune" <<'EOF'
import json, sys
src, work, tune = sys.argv[1], sys.argv[2], set(sys.argv[3].split())
files = {}
for line in open(src, encoding="utf-8"):
    if not line.strip():
        continue
    a = json.loads(line)
    fold = a["id"].split("_")[0]
    for name in (fold, "tuned" if fold in tune else "held-out"):
        files.setdefault(name, []).append(json.dumps({"id": a["id"]}))
for name, rows in files.items():
    with open(f"{work}/fold-{name}.jsonl", "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
EOF

score() {
    "$py" "$data/score_quotes.py" "$data/gold.jsonl" "$work/pred.jsonl" "$@"
}

echo "quotes on PolNeAR dev ($(wc -l <"$data/articles.jsonl") articles): F1 P R speaker-acc joint-F1"
printf '  %-22s %s\n' "in sample (all)" "$(score)"
printf '  %-22s %s\n' "tuned on" "$(score --articles "$work/fold-tuned.jsonl")"
if [ -f "$work/fold-held-out.jsonl" ]; then
    printf '  %-22s %s\n' "held out" "$(score --articles "$work/fold-held-out.jsonl")"
fi
echo "per outlet (fold):"
for f in "$work"/fold-*.jsonl; do
    name=$(basename "$f" .jsonl)
    name=${name#fold-}
    case $name in tuned|held-out) continue ;; esac
    mark=""
    case " $tune " in *" $name "*) ;; *) mark=" (held out)" ;; esac
    printf '  %-22s %s\n' "$name$mark" "$(score --articles "$f")"
done
echo "failures by kind (all articles):"
if [ -n "${SHOW:-}" ]; then
    "$py" "$here/quotes_failures.py" "$data/gold.jsonl" "$work/pred.jsonl" --show "$SHOW" \
        --limit "${LIMIT:-40}" --context "$data/articles.jsonl" 120
else
    "$py" "$here/quotes_failures.py" "$data/gold.jsonl" "$work/pred.jsonl"
fi
