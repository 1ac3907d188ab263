#!/usr/bin/env bash
# Installs the Debian packages wasmlab needs to build, test and benchmark.
# A fast no-op when everything is present: packages are checked with dpkg-query and
# apt-get runs (after a single `apt-get update`) only for the missing ones.
set -euo pipefail

packages=(
  wabt cmake gcc make pkg-config python3-pytest python3-pytest-xdist gnuplot-nox
  llvm-19-dev clang-19 lld-19 libclang-rt-19-dev-wasm32 wasi-libc binaryen
  libcjson-dev libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 libcapstone-dev
  librocksdb-dev
  liblld-19-dev g++ libzstd-dev zlib1g-dev  # lld as a library: AOT links in-process
  libjemalloc-dev  # the wasmlab command's allocator (engine/cli/allocator.c)
  libdw-dev  # elfutils: AOT trap backtraces read the artifacts' line tables (dlopen at a trap)
  libclang-rt-19-dev  # clang-19's libFuzzer runtime (fuzz/libfuzzer/)
)
# Node.js is only needed to cross-check benchmarks; any existing `node` will do.
command -v node >/dev/null 2>&1 || packages+=(nodejs)

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for p in "${packages[@]}"; do
  is_installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
