#!/bin/sh
# run.sh — ctest's python/test_package: the Python package (BUILD/python/storyline) under
# Debian's python3 and pytest (python3-cffi, python3-pytest). In a sanitizer build the
# library carries AddressSanitizer, which must be loaded before Python: it is preloaded
# (SL_PRELOAD), and leak checking is off (Python keeps its objects to the end, by
# design); every other ASan and UBSan check holds. Without cffi or pytest it skips (exit
# 77), but with CI=true it fails: CI has them.
. "$SRCDIR/tests/cli/lib.sh"
py=/usr/bin/python3
if ! "$py" -c "import cffi, pytest" 2>/dev/null; then
    if [ "${CI:-}" = "true" ]; then
        echo "FAIL: python3-cffi or python3-pytest is not installed (CI has them: scripts/install-deps.sh)" >&2
        exit 1
    fi
    skip "python3-cffi or python3-pytest is not installed (scripts/deps.txt)"
fi
export PYTHONPATH="$BUILDDIR/python" PYTHONDONTWRITEBYTECODE=1
if [ -n "${SL_PRELOAD:-}" ]; then
    export LD_PRELOAD="$SL_PRELOAD" ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
fi
exec "$py" -m pytest -q -p no:cacheprovider --basetemp="$SCRATCH/tmp" "$SRCDIR/tests/python"
