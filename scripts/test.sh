#!/bin/sh
# Install what is missing, build, and run every test (README, second command; CI runs it).
#  1. the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (but the two
#     tests of step 2, which need the plain build);
#  2. a plain build, whose sample run is checked for leaks and errors by valgrind, and
#     whose allocator is made to fail at the Nth call (test_oom: ASan replaces malloc too);
#  3. the Release build scripts/demo.sh makes (README, first command): -O3 finds warnings,
#     errors under -Werror, that the other two builds do not.
# Tests that need what this machine lacks (../shared beside the checkout, nm) are skipped,
# and the summary at the end names each and says why. With CI=true (.ci/run sets it) the
# tests on ../shared fail instead: CI always has it.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
jobs=$(nproc)

# skipped BUILD: one line for each test of BUILD that skipped itself, with its reason
# (tests/cli/lib.sh's skip leaves it in tests/scratch/NAME.skipped).
skipped() {
    for f in "$1"/tests/scratch/*.skipped; do
        [ -f "$f" ] || continue
        echo "skipped: cli/$(basename "$f" .skipped) ($(cat "$f"))"
    done
}

status=0
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSL_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs" >/dev/null
rm -f build-asan/tests/scratch/*.skipped
(cd build-asan && ctest -j "$jobs" -LE 'valgrind|oom' --output-on-failure) || status=1

cmake -S . -B build-plain -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-plain -j "$jobs" >/dev/null
rm -f build-plain/tests/scratch/*.skipped
(cd build-plain && ctest -L 'valgrind|oom' --output-on-failure) || status=1

echo "Release build (scripts/demo.sh's)"
if cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSL_TESTS=OFF >/dev/null &&
    cmake --build build -j "$jobs" >/dev/null; then
    echo "Release build: no warnings"
else
    echo "FAILED: the Release build" >&2
    status=1
fi

summary=$(skipped build-asan; skipped build-plain)
if [ -n "$summary" ]; then
    echo
    echo "$summary"
    echo "(not run: their figures are unchecked on this machine)"
fi
if [ "$status" -ne 0 ]; then
    echo "FAILED: see the ctest output above" >&2
fi
exit "$status"
