# oom_case.sh N — one run of test_oom.sh (tests/cli): `add` of the batch with allocation N
# failing, then the checks. Run from the test's scratch directory, which holds base.db
# (the store before the batch; absent for a first load), the batch's reference snapshot
# (ref.snap), base.snap (the store before it) and the variables in case.env.
# Prints one line: "ok N RC ARTICLES" or "FAIL N: reason".
set -u
. ./case.env
n=$1
d=case.$n
rm -rf "$d"
mkdir "$d"
[ -f base.db ] && cp base.db "$d/s.db"
# A hang is a failure too: the whole sample takes 0.05 s.
rc=0
SL_FAIL_AT=$n timeout -s KILL 30 "$FAILMALLOC" --db "$d/s.db" add -q "$BATCH" \
    >"$d/out" 2>"$d/err" || rc=$?
snap() {
    for c in "export --format jsonl" "dups --json" "events --json" "storylines --json"; do
        # shellcheck disable=SC2086
        "$STORYLINE" --db "$1" $c || echo "rc=$?"
    done
}
verdict() {
    echo "$1"
    [ "${1%% *}" = ok ] && rm -rf "$d"
    exit 0
}
if [ "$rc" -ge 124 ]; then
    verdict "FAIL $n: killed or crashed (exit $rc): $(head -c 300 "$d/err" | tr '\n' ' ')"
fi
if [ "$rc" -ne 0 ] && ! grep -q "out of memory" "$d/err"; then
    verdict "FAIL $n: exit $rc without 'out of memory' on stderr: $(head -c 300 "$d/err" | tr '\n' ' ')"
fi
if [ ! -f "$d/s.db" ]; then
    # Failed before the store was created: nothing written, which is "nothing".
    [ "$rc" -ne 0 ] || verdict "FAIL $n: exit 0 and no store"
    verdict "ok $n $rc none"
fi
got=$("$STORYLINE" --db "$d/s.db" stats --json 2>"$d/stats.err" | jq .articles 2>/dev/null)
if [ -z "$got" ]; then
    verdict "FAIL $n: the store does not open after exit $rc: $(head -c 300 "$d/stats.err" | tr '\n' ' ')"
fi
if [ "$got" = "$AFTER" ]; then
    snap "$d/s.db" >"$d/snap" 2>&1
    cmp -s "$d/snap" ref.snap ||
        verdict "FAIL $n: exit $rc, the store holds the batch but differs from a run without failure"
elif [ "$got" = "$BEFORE" ]; then
    [ "$rc" -ne 0 ] || verdict "FAIL $n: exit 0 but the batch is not in the store"
    if [ -f base.db ]; then
        snap "$d/s.db" >"$d/snap" 2>&1
        cmp -s "$d/snap" base.snap ||
            verdict "FAIL $n: exit $rc, the batch rolled back but the store differs from before it"
    fi
else
    verdict "FAIL $n: exit $rc, the store holds $got articles (expected $BEFORE or $AFTER)"
fi
verdict "ok $n $rc $got"
