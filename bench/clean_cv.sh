#!/bin/sh
# clean_cv.sh — the text cleaner's constants cross-validated by site, in TEXT mode
# (docs/clean.md, issue 21): the 181 pages of the article-extraction benchmark are flattened
# once (bench/flatten_html); then for each variant (one constant of src/clean/classify.c or
# lexicon.c changed by -D) those two files are compiled again, linked with the command's
# sources against BUILD_DIR/libstoryline.a, and the variant's `storyline add` of the
# flattened pages into a fresh store is exported and scored per page (score_extraction
# --per-page). The pages go in 5 folds by a hash of their site (bench/extraction_folds.py's
# site_of and fold_of); for each constant (its group of variants, the base in every group)
# and for all variants at once, the variant best on four folds is scored on the fifth.
# Printed: per variant, F1 on each fold and over all pages (in sample); per group, the
# held-out F1 (pages scored by the variant chosen without their fold), the mean and spread
# of the held-out folds' F1, the variant chosen per fold, beside the base's in-sample F1.
#
#   bench/clean_cv.sh BUILD_DIR [GROUP...]
#
# GROUP: only these groups' variants (and the base) are built and scored (default: all).
# Needs cc, pkg-config, /usr/bin/python3, BUILD_DIR/libstoryline.a,
# BUILD_DIR/libstoryline_serve.a, BUILD_DIR/bench/flatten_html and
# BUILD_DIR/bench/score_extraction (make storyline flatten_html score_extraction).
# Environment: DATA=DIR for another copy of the benchmark. About 5 s a variant.
# Exit status: 0; 1 when a variant failed to build or run; 2 on a usage or setup error.
set -eu
if [ $# -lt 1 ]; then
    echo "usage: $0 BUILD_DIR [GROUP...]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
shift
src=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$src/../shared/eval/article-extraction}
[ -f "$data/ground-truth.json" ] || { echo "$0: no benchmark at $data" >&2; exit 2; }
for f in libstoryline.a libstoryline_serve.a bench/flatten_html bench/score_extraction; do
    [ -e "$build/$f" ] || { echo "$0: $build/$f is missing" >&2; exit 2; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clean_cv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM HUP

pkgs="sqlite3 libutf8proc json-c libxml-2.0 uchardet libmicrohttpd zlib libxxhash"
# shellcheck disable=SC2086 # pkgs is a word list
cflags="-O2 -DNDEBUG -std=c17 -D_POSIX_C_SOURCE=200809L -I$src/include -I$src/src/serve \
$(pkg-config --cflags $pkgs 2>/dev/null || true)"
# shellcheck disable=SC2086
libs="$build/libstoryline_serve.a $build/libstoryline.a \
$(pkg-config --libs $pkgs 2>/dev/null || echo -lsqlite3 -lutf8proc -ljson-c -lxml2 -luchardet -lmicrohttpd -lz -lxxhash) \
-lstemmer -lm"

# name|defines|group: each group holds the values tried for one constant (the base in all).
variants="base||-
box0|-DBOX_ITEMS=0|box
box2|-DBOX_ITEMS=2|box
box8|-DBOX_ITEMS=8|box
box12|-DBOX_ITEMS=12|box
heads1|-DTEASER_HEADS=1|heads
heads3|-DTEASER_HEADS=3|heads
heads4|-DTEASER_HEADS=4|heads
pairs0|-DTEASER_MIN_PAIRS=0|pairs
pairs3|-DTEASER_MIN_PAIRS=3|pairs
topic2|-DTOPIC_MIN_LINES=2|topic
nocalls|-DKIND_CALLS=0|calls
norating|-DKIND_RATING=0|rating
noafter|-DKIND_AFTER_FURNITURE=0|after
noglued|-DGLUED_STORIES=0|glued
nodateline|-DGLUED_DATELINES=0|dateline
nostamps|-DCOMMENT_STAMPS=0|stamps
nobrackets|-DCOMMENT_COUNT_BRACKETS=0|brackets
nolangs|-DEND_LABELS_OTHER_LANGS=0|langs
nolists|-DANNOUNCED_LISTS=0|lists"

if [ $# -gt 0 ]; then
    want=" $* "
    variants=$(echo "$variants" | while IFS='|' read -r name defs group; do
        case "$want" in *" $group "*) echo "$name|$defs|$group" ;; esac
        [ "$group" = - ] && echo "$name|$defs|$group"
        true
    done)
fi

"$build/bench/flatten_html" -o "$tmp/pages" "$data"/html/*.html.gz >/dev/null 2>&1 || {
    echo "$0: flatten_html failed on some pages" >&2
    exit 1
}
mkdir "$tmp/cli"
for c in "$src"/src/cli/*.c; do
    # shellcheck disable=SC2086 # cflags is a word list
    cc $cflags -c "$c" -o "$tmp/cli/$(basename "$c" .c).o"
done

status=0
echo "$variants" | while IFS='|' read -r name defs group; do
    for c in classify lexicon; do
        # shellcheck disable=SC2086 # cflags and defs are word lists
        cc $cflags -DSL_BUILDING_LIBRARY $defs -I"$src/src" -c "$src/src/clean/$c.c" \
            -o "$tmp/$c.o"
    done
    # The variant's objects come first: the archive's classify.o and lexicon.o, whose
    # symbols are all defined by then, are not pulled in.
    # shellcheck disable=SC2086 # libs is a word list
    cc -O2 "$tmp"/cli/*.o "$tmp/classify.o" "$tmp/lexicon.o" -o "$tmp/storyline" $libs
    rm -f "$tmp/v.db"
    if ! "$tmp/storyline" --db "$tmp/v.db" add "$tmp/pages" >/dev/null 2>"$tmp/add.err" ||
        ! "$tmp/storyline" --db "$tmp/v.db" export --format jsonl >"$tmp/$name.jsonl"; then
        echo "$0: variant $name failed:" >&2
        head -n 5 "$tmp/add.err" >&2
        exit 1
    fi
    "$build/bench/score_extraction" "$data/ground-truth.json" "$tmp/$name.jsonl" --per-page \
        >"$tmp/$name.score"
    echo "$name|$defs|$group"
done >"$tmp/variants.txt" || status=1
[ "$status" -eq 0 ] || exit 1

/usr/bin/python3 - "$tmp" "$src/bench" "$data/ground-truth.json" <<'PY'
import collections, sys
tmp, bench, gt_path = sys.argv[1:4]
sys.path.insert(0, bench)
from extraction_folds import fold_of, load_gt, parse_per_page, site_of  # noqa: E402
K = 5
rows = [l.rstrip("\n").split("|") for l in open(tmp + "/variants.txt") if l.strip()]
S = {r[0]: parse_per_page(open("%s/%s.score" % (tmp, r[0])).read()) for r in rows}
gt = load_gt(gt_path)
ids = sorted(gt)
for n, d in S.items():
    if any(i not in d for i in ids):
        sys.exit("clean_cv: variant %s lacks pages of the ground truth" % n)
F = {i: fold_of(site_of(gt[i].get("url", "")), K) for i in ids}
folds = [[i for i in ids if F[i] == k] for k in range(K)]

def f1(n, sel):
    p = sum(S[n][i][1] for i in sel) / len(sel)
    r = sum(S[n][i][2] for i in sel) / len(sel)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r

def cv(names):
    picked, chosen, fold_f1 = [], [], []
    for k in range(K):
        train = [i for i in ids if F[i] != k]
        # ties go to the earlier name: the base comes first
        best = max(names, key=lambda n: round(f1(n, train)[0], 9))
        chosen.append(best)
        picked += [(best, i) for i in folds[k]]
        fold_f1.append(f1(best, folds[k])[0])
    p = sum(S[n][i][1] for n, i in picked) / len(ids)
    r = sum(S[n][i][2] for n, i in picked) / len(ids)
    mean = sum(fold_f1) / K
    sd = (sum((x - mean) ** 2 for x in fold_f1) / (K - 1)) ** 0.5
    return 2 * p * r / (p + r), p, r, mean, sd, chosen

print("text mode, %d pages, folds by site: %s pages" % (len(ids), ", ".join(str(len(f)) for f in folds)))
print()
print("in sample, F1 per fold and over all pages (P, R):")
print("%-10s %-26s %s" % ("variant", "defines", " ".join("fold%d " % k for k in range(K)) + " all"))
for name, defs, _ in rows:
    f, p, r = f1(name, ids)
    print("%-10s %-26s %s  %.4f (%.4f, %.4f)" % (name, defs or "(the code as it is)",
          " ".join("%.4f" % f1(name, fo)[0] for fo in folds), f, p, r))
print()
groups = collections.OrderedDict()
for name, _, group in rows:
    if group != "-":
        groups.setdefault(group, ["base"]).append(name)
print("cross-validated by site (chosen on four folds, scored on the fifth):")
print("%-8s %-22s %-20s %s" % ("group", "held-out F1 (P, R)", "folds' F1 mean (sd)", "chosen per fold"))
def show(g, names):
    f, p, r, mean, sd, chosen = cv(names)
    print("%-8s %.4f (%.4f, %.4f) %.4f (%.4f)      %s" % (g, f, p, r, mean, sd, " ".join(chosen)))
for g, names in groups.items():
    show(g, names)
if len(rows) > 2:
    show("all", [r[0] for r in rows])
f, p, r = f1("base", ids)
print("in sample, base: F1 %.4f (P %.4f, R %.4f); folds' F1 mean %.4f" %
      (f, p, r, sum(f1("base", fo)[0] for fo in folds) / K))
PY
