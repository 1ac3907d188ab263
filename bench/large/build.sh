#!/usr/bin/env bash
# Builds the large module for AOT compile-time measurements (issue 16):
#   bench/large/build.sh [FUNCTIONS]  -> bench/build/large/large.wasm (~3.9 MB for 6000)
# The C program is deterministic (gen.py, fixed seed), so the module is the same on every run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../build/large"
mkdir -p "$out"
"$here/gen.py" --functions "${1:-6000}" -o "$out/large.c"
# -w: the random expressions compare a variable with itself now and then.
clang-19 -w --target=wasm32-wasi -O2 "$out/large.c" -o "$out/large.wasm" -Wl,--strip-debug
ls -l "$out/large.wasm"
