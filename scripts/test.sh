#!/bin/sh
# Install what is missing, build, and run every test (README, second command; CI runs it).
#  1. the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer;
#  2. a plain build, whose sample run is checked for leaks and errors by valgrind, and
#     whose allocator is made to fail at the Nth call (test_oom: ASan replaces malloc too).
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
jobs=$(nproc)

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSL_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs" >/dev/null
(cd build-asan && ctest -j "$jobs" --output-on-failure)

cmake -S . -B build-plain -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-plain -j "$jobs" >/dev/null
(cd build-plain && ctest -L 'valgrind|oom' --output-on-failure)
