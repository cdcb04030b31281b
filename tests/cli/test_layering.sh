#!/bin/sh
# Who may include whom in src/ (docs/architecture.md). The folders are layers, lowest
# first; a file may include its own folder's headers, and of a lower folder only that
# folder's one header (<folder>/<folder>.h; every header of core/ and text/ is public):
#
#   core < text < store < ingest < clean < sketch < dedup < cluster < facts < present < export < pipeline < serve < cli
#
# So no stage includes a later stage or the pipeline, and no file reaches into another
# folder's internals. A folder not in the list fails until it is given its place. And
# `sqlite3` (its header, its types, its calls) appears only in src/store/.
#
# The checker is run first on a small planted tree, where it must find each kind of
# fault, so that this test cannot pass by finding nothing.
. "$(dirname "$0")/lib.sh"

LAYERS="core text store ingest clean sketch dedup cluster facts present export pipeline serve cli"
OPEN="core text" # folders whose every header is public

# layering ROOT SQLITE: print one line per fault found under ROOT/src.
layering() {
    (
        cd "$1/src"
        find . -name '*.[ch]' | sed 's|^\./||' | sort | while read -r f; do
            dir=${f%%/*}
            echo "$f $dir 0 -" # every file, for its folder's place
            grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
                sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' |
                while read -r line inc; do echo "$f $dir $line $inc"; done
        done |
            awk -v layers="$LAYERS" -v open="$OPEN" '
            BEGIN {
                n = split(layers, l, " ")
                for (i = 1; i <= n; i++) rank[l[i]] = i
                split(open, o, " ")
                for (i in o) public_all[o[i]] = 1
            }
            {
                f = $1; dir = $2; at = f ":" $3; inc = $4
                if (!(dir in rank)) {
                    if (!(dir in told)) print f ": folder " dir " has no place in the layers"
                    told[dir] = 1
                    next
                }
                if (inc == "-" || inc == "storyline.h")
                    next # storyline.h: the public API, anyone may include it
                if (inc ~ /^\.\.\//) {
                    split(substr(inc, 4), p, "/"); to = p[1]; hdr = substr(inc, 4)
                } else if (inc ~ /\//) {
                    print at ": include \"" inc "\" is neither in the folder nor ../<folder>/"
                    next
                } else {
                    to = dir; hdr = dir "/" inc
                }
                if (!(to in rank)) {
                    print at ": includes \"" inc "\", in no known layer"
                    next
                }
                if (to == dir)
                    next
                if (rank[to] > rank[dir])
                    print at ": " dir " includes " hdr ", of the later " to
                else if (!(to in public_all) && hdr != to "/" to ".h")
                    print at ": includes " hdr ", internal to " to "/ (its one header: " to "/" to ".h)"
            }'
        if [ "$2" = 1 ]; then
            grep -rn 'sqlite3' --include='*.[ch]' . | sed 's|^\./||' | grep -v '^store/' |
                sed 's/^\([^:]*:[0-9]*\):.*/\1: sqlite3 outside src\/store/' || true
        fi
    )
}

# The checker finds each kind of fault in a planted tree.
mkdir -p plant/src/clean plant/src/cluster plant/src/dedup plant/src/core plant/src/widgets
printf '#include "../cluster/cluster.h"\n' >plant/src/clean/later.c
printf '#include "../pipeline/pipeline.h"\n' >plant/src/clean/pipe.c
printf '#include "../dedup/run.h"\n#include "../dedup/dedup.h"\n#include "../core/grow.h"\n' \
    >plant/src/cluster/inner.c
printf '#include "run.h"\n#include "storyline.h"\n#include <stdio.h>\n' >plant/src/dedup/own.c
printf 'static sqlite3_stmt *s;\n' >plant/src/cluster/sql.c
printf 'int x;\n' >plant/src/widgets/new.c
layering plant 1 >plant.txt
for fault in "clean/later.c:1: clean includes cluster/cluster.h, of the later cluster" \
    "clean/pipe.c:1: clean includes pipeline/pipeline.h, of the later pipeline" \
    "cluster/inner.c:1: includes dedup/run.h, internal to dedup/" \
    "cluster/sql.c:1: sqlite3 outside src/store" \
    "widgets/new.c: folder widgets has no place in the layers"; do
    check_contains "the checker finds a planted fault" "$fault" plant.txt
done
check "planted faults found (no more)" 5 "$(wc -l <plant.txt | tr -d ' ')"

# The tree itself.
layering "$SRCDIR" 1 >faults.txt
check "src/ is layered ($(wc -l <faults.txt | tr -d ' ') faults)" "" "$(cat faults.txt)"
finish
