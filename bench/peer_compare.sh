#!/bin/sh
# Side-by-side near-duplicate run: storyline's dedup_bench vs datasketch (MinHash + MinHashLSH)
# on the same generated corpus, same machine, same run. datasketch is not vendored: see
# bench/peer_datasketch.py for how to get it into a scratch folder.
#
# usage: bench/peer_compare.sh BUILD_DIR DATASKETCH_PARENT_DIR [ARTICLES]
#   DATASKETCH_PARENT_DIR is the folder that contains the `datasketch` package.
set -eu

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 BUILD_DIR DATASKETCH_PARENT_DIR [ARTICLES]" >&2
    exit 2
fi
build=$1
peer_path=$2
articles=${3:-20000}
here=$(dirname "$0")

log=$(mktemp)
KEEP=1 "$build/bench/dedup_bench" --articles "$articles" >"$log"
echo "== storyline: $build/bench/dedup_bench --articles $articles"
cat "$log"
dir=$(sed -n 's/^kept //p' "$log")
[ -d "$dir" ] || { echo "$0: no kept folder in dedup_bench output" >&2; exit 1; }
trap 'rm -rf "$dir" "$log" "$log.peer"' EXIT

echo
echo "== datasketch: $here/peer_datasketch.py $dir"
PYTHONPATH=$peer_path /usr/bin/python3 "$here/peer_datasketch.py" "$dir" >"$log.peer"
cat "$log.peer"

# storyline: "add (ingest, clean, sketch, match, events): 12.3 s, 1626 articles/s, 5.6 MB/s; ..."
sl_secs=$(sed -n 's/^add ([^)]*): \([0-9.]*\) s,.*/\1/p' "$log")
sl_mbs=$(sed -n 's/^add (.* \([0-9.]*\) MB\/s;.*/\1/p' "$log")
ds_secs=$(sed -n 's/^total (minhash + lsh): \([0-9.]*\) s;.*/\1/p' "$log.peer")
ds_mbs=$(sed -n 's/^minhash: [0-9.]* s, \([0-9.]*\) MB\/s.*/\1/p' "$log.peer")
recall() { awk -v k="$1" '$1 == k && NF == 4 { print $4; exit }' "$2"; }

echo
echo "== comparison, $articles articles (same corpus)"
printf '%-28s %12s %12s\n' "" storyline datasketch
printf '%-28s %12s %12s\n' "seconds (end to end)" "$sl_secs" "$ds_secs"
printf '%-28s %12s %12s\n' "MB/s (sketching)" "$sl_mbs" "$ds_mbs"
for k in all sidebar trimmed; do
    printf '%-28s %12s %12s\n' "recall $k" "$(recall $k "$log")" "$(recall $k "$log.peer")"
done
awk -v a="$sl_secs" -v b="$ds_secs" \
    'BEGIN { printf "datasketch / storyline time: %.2fx\n", b / a }'
echo "storyline's seconds include ingest into SQLite, cleaning and event clustering, which datasketch does not do;"
echo "its MB/s is for the whole add; datasketch's MB/s is MinHash building only."
