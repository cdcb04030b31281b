#!/bin/sh
# Set up, build, and run storyline on the bundled sample corpus (README, first command).
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSL_TESTS=OFF >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
exec ./build/storyline run examples/
