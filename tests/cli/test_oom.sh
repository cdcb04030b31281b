# Out of memory: `add` of the sample corpus with the Nth allocation failing (the allocator
# of tests/oom/failmalloc.c, in storyline_failmalloc; every allocation of the process
# counts, SQLite's and the C library's too) ends with exit 0 and the same store as a run
# without failure, or with "out of memory" on stderr and a store that opens and holds
# either the whole batch (the same as without failure) or the store as it was before it.
# No crash, no hang, no signal. Two passes: a first load into a new store (examples/), and
# a second batch (examples/jsonl) into a store holding examples/text; before them, the
# second pass's allocations counted five times must agree.
#   OOM_ALL=1       every N (about 60,000 runs per pass: an hour on two cores)
#   OOM_BUDGET=K    about K values of N per pass (default 1000): the first and last
#                   K*4/15, and an even stride over the rest
#   OOM_SHIFT=S     start the stride S later (other values of N than the default's)
#   OOM_JOBS=J      parallel runs (default 2)
. "$SRCDIR/tests/cli/lib.sh"
if [ -z "${FAILMALLOC:-}" ]; then
    if [ "${SL_SANITIZE:-OFF}" != "ON" ]; then
        # A plain build without it (not Linux): said in scripts/test.sh's summary.
        skip "storyline_failmalloc is built only on Linux"
    fi
    echo "skipped: storyline_failmalloc is built only without sanitizers (it replaces malloc," \
         "as AddressSanitizer does); scripts/test.sh runs this test in its plain build"
    exit 77
fi
export STORYLINE FAILMALLOC
ex="$SRCDIR/examples"
budget=${OOM_BUDGET:-1000}
jobs=${OOM_JOBS:-2}

snap() {
    for c in "export --format jsonl" "dups --json" "events --json" "storylines --json"; do
        # shellcheck disable=SC2086
        "$STORYLINE" --db "$1" $c || echo "rc=$?"
    done
}

# one_pass NAME BATCH [BASE-BATCH]
one_pass() {
    mkdir "$1"
    (
        cd "$1" || exit 1
        before=0
        if [ -n "${3:-}" ]; then
            "$STORYLINE" --db base.db add -q "$3" >/dev/null || exit 1
            snap base.db >base.snap 2>&1
            before=$("$STORYLINE" --db base.db stats --json | jq .articles)
            cp base.db ref.db
        fi
        SL_FAIL_COUNT="$PWD/count" "$FAILMALLOC" --db ref.db add -q "$2" >/dev/null || exit 1
        snap ref.db >ref.snap 2>&1
        after=$("$STORYLINE" --db ref.db stats --json | jq .articles)
        calls=$(cat count)
        printf 'BATCH=%s\nBEFORE=%s\nAFTER=%s\n' "$2" "$before" "$after" >case.env
        if [ "${OOM_ALL:-0}" = 1 ] || [ "$calls" -le "$budget" ]; then
            seq 1 "$calls"
        else
            edge=$((budget * 4 / 15))
            stride=$(( (calls - 2 * edge) / (budget - 2 * edge) + 1 ))
            { seq 1 "$edge"; seq $((edge + 1 + ${OOM_SHIFT:-0})) "$stride" $((calls - edge));
              seq $((calls - edge + 1)) "$calls"; } | sort -nu
        fi >ns
        # One more than the count: an allocation that never comes, the run must succeed.
        echo $((calls + 1)) >>ns
        echo "$1: $calls allocations, $before -> $after articles; trying $(wc -l <ns) values of N" >&2
        xargs -P "$jobs" -n 1 sh "$SRCDIR/tests/oom/oom_case.sh" <ns >results
    ) || fail "$1: the reference runs failed"
    check "$1: a verdict for every N" "$(wc -l <"$1/ns")" "$(wc -l <"$1/results")"
    grep '^FAIL' "$1/results" | head -20 | while read -r line; do echo "$1: $line" >&2; done
    nfail=$(grep -c '^FAIL' "$1/results" || true)
    check "$1: every N ends cleanly" 0 "$nfail"
    # The tally, for the log: how many runs failed, how many absorbed the failure.
    awk '$1 == "ok" { if ($3 == 0) ok0++; else err++ }
         END { printf "  %d runs ended with an out-of-memory error, %d absorbed it (exit 0, same store)\n", err, ok0 }' \
        "$1/results" >&2
    check "$1: the run past the last allocation succeeds" "ok" \
        "$(awk -v n="$(tail -n 1 "$1/ns")" '$2 == n || $2 == n ":" { print $1 ($3 == 0 ? "" : " exit " $3) }' "$1/results")"
}

# N names the same allocation in every run only if a run's allocations are the same in
# number whichever thread takes which part of shared work (scratch grown by the thread
# that took the work once made the count differ by a few from run to run): the second
# pass's batch, counted five times.
for _ in 1 2 3 4 5; do
    rm -f same.db same.db-wal same.db-shm same.count
    "$STORYLINE" --db same.db add -q "$ex/text" >/dev/null || fail "the base of the count"
    SL_FAIL_COUNT="$PWD/same.count" "$FAILMALLOC" --db same.db add -q "$ex/jsonl" >/dev/null ||
        fail "the count"
    cat same.count >>counts
done
check "the same number of allocations in five runs ($(sort -u counts | tr '\n' ' '))" 1 \
    "$(sort -u counts | wc -l)"

one_pass first "$ex"
one_pass second "$ex/jsonl" "$ex/text"
finish
