#!/usr/bin/env bash
# Configures and builds wasmlab.
#   scripts/build.sh [release]  -> build/       Release, LLVM AOT backend on (WASMLAB_AOT=OFF to skip)
#   scripts/build.sh asan       -> build-asan/  RelWithDebInfo + AddressSanitizer/UBSan, no AOT
#   scripts/build.sh libfuzzer  -> build-libfuzzer/  clang-19, the fuzz/libfuzzer/ targets
# The machine is shared, so at most two compile jobs run at once.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
flavour="${1:-release}"
jobs="${WASMLAB_JOBS:-2}"

case "$flavour" in
  release)
    build_dir="$root/build"
    cmake_args=(-DCMAKE_BUILD_TYPE=Release "-DWASMLAB_AOT=${WASMLAB_AOT:-ON}")
    ;;
  asan)
    build_dir="$root/build-asan"
    # The AOT backend links all of LLVM; the sanitizer build checks the engine, interpreter and JIT.
    cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DWASMLAB_SANITIZE=ON -DWASMLAB_AOT=OFF)
    ;;
  libfuzzer)
    build_dir="$root/build-libfuzzer"
    # The AOT runtime is left out (its dlopen'd compiler library cannot be sanitized); the
    # AOT fuzz target links the code generator itself.
    cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-19
                -DWASMLAB_LIBFUZZER=ON -DWASMLAB_AOT=OFF)
    ;;
  *)
    echo "usage: scripts/build.sh [release|asan|libfuzzer]" >&2
    exit 2
    ;;
esac

cmake -S "$root" -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j "$jobs"
echo "build.sh: $flavour build in $build_dir"
