# lib.sh — shared helpers of the CLI tests (sourced). Each test gets:
#   $STORYLINE  the binary under test      $SRCDIR   the source tree
#   $SCRATCH    an empty scratch directory (made fresh here)
set -eu
: "${STORYLINE:?run through ctest}" "${SRCDIR:?}" "${SCRATCH:?}"
rm -rf "$SCRATCH" "$SCRATCH.skipped"
mkdir -p "$SCRATCH"
cd "$SCRATCH"
failures=0
checks=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# check DESCRIPTION EXPECTED ACTUAL
check() {
    checks=$((checks + 1))
    if [ "$2" != "$3" ]; then
        fail "$1: expected [$2], got [$3]"
    fi
}

# check_contains DESCRIPTION NEEDLE HAYSTACK-FILE
check_contains() {
    checks=$((checks + 1))
    if ! grep -qF -- "$2" "$3"; then
        fail "$1: [$2] not found in $3:"
        sed 's/^/    /' "$3" | head -20 >&2
    fi
}

# sl ARGS...: run storyline, keeping stdout in out.txt, stderr in err.txt, status in $rc.
sl() {
    rc=0
    "$STORYLINE" "$@" >out.txt 2>err.txt || rc=$?
}

# skip REASON: end the test as skipped (ctest's exit 77), leaving REASON beside the scratch
# directory, where scripts/test.sh finds it and prints it in its summary.
skip() {
    echo "skipped: $1"
    echo "$1" >"$SCRATCH.skipped"
    exit 77
}

# need_strace: end the test as skipped where strace is missing or may not trace.
need_strace() {
    command -v strace >/dev/null || skip "strace is not installed (scripts/deps.txt)"
    strace -f -qq -o /dev/null true 2>/dev/null || skip "strace cannot trace here (ptrace refused)"
}

# traced "STRACE OPTIONS" ARGS...: storyline ARGS under strace with those options (split
# into words), following every process; the trace in trace.txt, the rest as sl keeps it.
traced() {
    opts=$1
    shift
    rc=0
    # LeakSanitizer refuses to run under ptrace (the sanitizer build): leaks are
    # test_valgrind's and the other tests' to find
    # shellcheck disable=SC2086
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -qq $opts -o trace.txt "$STORYLINE" "$@" >out.txt 2>err.txt || rc=$?
}

# SHARED: the data shared beside the checkout (../shared). Found as $SL_SHARED when set,
# else ../shared beside this checkout, else, in a clone of a local checkout (`git clone .
# /tmp/x`, as a clean-clone check makes), ../shared beside the checkout it was cloned from.
find_shared() {
    if [ -n "${SL_SHARED:-}" ]; then
        echo "$SL_SHARED"
        return
    fi
    if [ -d "$SRCDIR/../shared" ]; then
        echo "$SRCDIR/../shared"
        return
    fi
    origin=$(git -C "$SRCDIR" remote get-url origin 2>/dev/null || true)
    case "$origin" in
    /*) if [ -d "$origin/../shared" ]; then
            echo "$origin/../shared"
            return
        fi ;;
    esac
    echo "$SRCDIR/../shared"
}
SHARED=$(find_shared)

# need_shared PATH: the test reads PATH in ../shared, the data shared beside the checkout
# (never copied into the repository). CI always has it: there (CI=true) its absence fails the
# test; on a clone without it, the test is skipped and says so.
need_shared() {
    [ -e "$1" ] && return 0
    if [ "${CI:-}" = true ]; then
        echo "FAIL: $1 not found beside the checkout, and CI=true: CI always has ../shared" >&2
        exit 1
    fi
    skip "${1#"$SHARED"/} not found in ../shared beside the checkout"
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures of $checks checks failed" >&2
        exit 1
    fi
    echo "$checks checks passed"
}

# The store schema version this storyline writes (STORE_SCHEMA_VERSION in src/store/store.h).
schema_version() {
    sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9][0-9]*\).*/\1/p' "$SRCDIR/src/store/store.h"
}
