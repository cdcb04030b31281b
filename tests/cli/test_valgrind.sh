# The sample run under valgrind: no leaks, no memory errors (plain builds only).
. "$SRCDIR/tests/cli/lib.sh"
if [ "${SL_SANITIZE:-OFF}" = "ON" ] || ! command -v valgrind >/dev/null; then
    echo "skipped: needs valgrind and a build without sanitizers"
    exit 77
fi
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
finish
