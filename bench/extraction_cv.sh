#!/bin/sh
# extraction_cv.sh — the HTML extraction's constants cross-validated by site
# (docs/extraction.md): each variant (one constant changed, by -D) of html_blocks.c and
# classify.c is built against BUILD_DIR/libstoryline.a with bench/html_extract, run on the
# 181 pages and scored per page; then the pages are split into 5 folds by an MD5 of the
# ground-truth URL's host (less "www."), and for each group of variants of one constant,
# and for all variants at once, the variant best on four folds is scored on the fifth.
#
#   bench/extraction_cv.sh BUILD_DIR
#
# Needs cc, python3, BUILD_DIR/libstoryline.a and BUILD_DIR/bench/score_extraction.
# Environment: DATA=DIR for another copy of the benchmark. Takes a few minutes.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$src/../shared/eval/article-extraction}
[ -f "$data/ground-truth.json" ] || { echo "$0: no benchmark at $data" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/extraction_cv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

flags="-O2 -DNDEBUG -std=c17 -D_POSIX_C_SOURCE=200809L -I$src/src -I$src/include \
$(pkg-config --cflags libxml-2.0 json-c uchardet)"
libs="$build/libstoryline.a $(pkg-config --libs zlib sqlite3 libutf8proc libxxhash json-c libxml-2.0 uchardet 2>/dev/null || echo -lz -lsqlite3 -lutf8proc -lxxhash -ljson-c -lxml2 -luchardet) -lstemmer -lm"

# name defines group: each group holds the values tried for one constant (base in all).
variants="base||-
lv3|-DSCORE_LEVELS=3|levels
lv8|-DSCORE_LEVELS=8|levels
cw10|-DCLASS_WEIGHT=10|weight
cw40|-DCLASS_WEIGHT=40|weight
ld0.4|-DLINK_DENSE=0.4|linkdense
ld0.6|-DLINK_DENSE=0.6|linkdense
ws0.3|-DWRAPPER_SHARE=0.3|wrapper
ws0.7|-DWRAPPER_SHARE=0.7|wrapper
ss0.1|-DSIBLING_SHARE=0.1|sibling
ss0.3|-DSIBLING_SHARE=0.3|sibling
ms10|-DMAIN_MIN_SCORE=10|mainmin
ms30|-DMAIN_MIN_SCORE=30|mainmin
smc15|-DSCORE_MIN_CHARS=15|minchars
smc40|-DSCORE_MIN_CHARS=40|minchars
alt2|-DALT_MIN=2|alt
altoff|-DALT_MIN=99|alt
as0.6|-DALT_SHARE=0.6|alt
nokeep|-DDOM_KEEP_MAIN=0|keep
nodup|-DDOM_KEEP_DUPLICATES=0|dup
nolinksent|-DDOM_LINK_SENTENCES=0|linksent
nodivtext|-DDIV_TEXT_IN=0|divtext
linkscore|-DSCORE_SKIP_LINKS=0|skiplinks
nojsonld|-DJSONLD_EVIDENCE=0|jsonld
jc0.8|-DJSONLD_COMPLETE=0.8|jsonld
jc0.9|-DJSONLD_COMPLETE=0.9|jsonld
ja2|-DJSONLD_ABSENT=2|jsonld
ja8|-DJSONLD_ABSENT=8|jsonld"

# shellcheck disable=SC2086 # flags is a word list
cc $flags -c "$src/bench/html_extract.c" -o "$tmp/he.o"
echo "$variants" | while IFS='|' read -r name defs group; do
    # shellcheck disable=SC2086 # defs and flags are word lists
    cc $flags $defs -c "$src/src/ingest/html_blocks.c" -o "$tmp/hb.o"
    # shellcheck disable=SC2086
    cc $flags $defs -c "$src/src/clean/classify.c" -o "$tmp/cl.o"
    # shellcheck disable=SC2086
    cc -O2 "$tmp/he.o" "$tmp/hb.o" "$tmp/cl.o" -o "$tmp/html_extract" $libs
    "$tmp/html_extract" "$data"/html/*.html.gz >"$tmp/out.jsonl"
    "$build/bench/score_extraction" "$data/ground-truth.json" "$tmp/out.jsonl" --per-page \
        >"$tmp/$name.score"
    echo "$name|$group|$(head -n 1 "$tmp/$name.score")"
done >"$tmp/variants.txt"

python3 - "$tmp" <<'PY'
import hashlib, sys, urllib.parse, collections
tmp = sys.argv[1]
rows = [l.rstrip("\n").split("|") for l in open(tmp + "/variants.txt")]
def load(name):
    d, on = {}, False
    for line in open("%s/%s.score" % (tmp, name)):
        if line.startswith("page "):
            on = True
            continue
        if on and line.strip():
            f = line.split()
            d[f[0]] = (float(f[2]), float(f[3]), f[6])
    return d
S = {r[0]: load(r[0]) for r in rows}
ids = sorted(S["base"])
def fold(url):
    h = urllib.parse.urlparse(url).hostname or ""
    h = h[4:] if h.startswith("www.") else h
    return int(hashlib.md5(h.encode()).hexdigest(), 16) % 5
F = {i: fold(S["base"][i][2]) for i in ids}
def f1(n, sel):
    p = sum(S[n][i][0] for i in sel) / len(sel)
    r = sum(S[n][i][1] for i in sel) / len(sel)
    return (2 * p * r / (p + r) if p + r else 0), p, r
def cv(names):
    picked, chosen = [], []
    for k in range(5):
        train = [i for i in ids if F[i] != k]
        best = max(names, key=lambda n: f1(n, train)[0])
        chosen.append(best)
        picked += [(best, i) for i in ids if F[i] == k]
    p = sum(S[n][i][0] for n, i in picked) / len(ids)
    r = sum(S[n][i][1] for n, i in picked) / len(ids)
    return 2 * p * r / (p + r), p, r, chosen
print("folds by site: %s pages" % ", ".join(str(sum(F[i] == k for i in ids)) for k in range(5)))
groups = collections.OrderedDict()
for name, group, _ in rows:
    if group != "-":
        groups.setdefault(group, ["base"]).append(name)
print("%-10s %-28s %-24s %s" % ("constant", "held-out F1 (P, R)", "in-sample F1 each", "chosen per fold"))
for g, names in groups.items():
    f, p, r, chosen = cv(names)
    print("%-10s %.3f (%.3f, %.3f)          %-24s %s" % (g, f, p, r,
          " ".join("%s %.3f" % (n, f1(n, ids)[0]) for n in names), " ".join(chosen)))
f, p, r, chosen = cv([r[0] for r in rows])
print("all %d variants at once: held-out F1 %.3f (P %.3f, R %.3f); chosen %s" % (len(rows), f, p, r, " ".join(chosen)))
print("in sample, base: F1 %.3f (P %.3f, R %.3f)" % f1("base", ids))
PY
