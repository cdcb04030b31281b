# The sample run under valgrind: no leaks, no memory errors (plain builds only).
. "$SRCDIR/tests/cli/lib.sh"
if [ "${SL_SANITIZE:-OFF}" = "ON" ]; then
    echo "skipped: needs a build without sanitizers (scripts/test.sh runs it in its plain build)"
    exit 77
fi
# In the plain build its absence is said in scripts/test.sh's summary (lib.sh's skip).
command -v valgrind >/dev/null || skip "valgrind is not installed (scripts/deps.txt)"
vg() {
    rc=0
    valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
        "$STORYLINE" "$@" >out.txt 2>err.txt || rc=$?
}
vg run "$SRCDIR/examples"
check "valgrind: run on the sample corpus is clean" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/    /' err.txt | head -40 >&2
vg --db s.db add "$SRCDIR/examples"
check "valgrind: add is clean" 0 "$rc"
vg --db s.db articles --json
check "valgrind: articles --json is clean" 0 "$rc"
vg --db s.db export --format csv
check "valgrind: export is clean" 0 "$rc"
vg --db s.db quotes
check "valgrind: quotes is clean" 0 "$rc"
vg --db s.db export --what quotes
check "valgrind: export --what quotes is clean" 0 "$rc"
vg --db s.db event E1
check "valgrind: event is clean" 0 "$rc"
vg --db s.db clean
check "valgrind: clean is clean" 0 "$rc"
finish
