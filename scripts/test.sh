#!/usr/bin/env bash
# The project's test entry point (CI runs it through .ci/run):
#   dependencies, release build, pytest over harness/ (spec suites x backends, C tests, CLI,
#   feature toggles), then the AddressSanitizer build (interp and jit) with the fuzz test, the
#   spec runs, the C tests and the host modules (set WASMLAB_ASAN=0 to skip that part).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python=/usr/bin/python3

# pytest-xdist spreads the tests over the cores (WASMLAB_JOBS, default: all of them);
# WASMLAB_JOBS=0 runs in one process. See harness/README.md for several machines (--tx).
jobs="${WASMLAB_JOBS:-$(nproc)}"
parallel=()
if [ "$jobs" != 0 ]; then
  parallel=(-n "$jobs")
fi

run_pytest() {
  # Exit code 5 means no tests were collected: a broken harness, never a success.
  local rc=0
  "$python" -m pytest "${parallel[@]}" "$@" || rc=$?
  if [ "$rc" -eq 5 ]; then
    echo "test.sh: pytest collected no tests ($*)" >&2
    return 1
  fi
  return "$rc"
}

scripts/install-deps.sh
scripts/build.sh release
if [ "${WASMLAB_ASAN:-1}" != 0 ]; then
  scripts/build.sh asan
  scripts/build.sh libfuzzer  # the fuzz/libfuzzer/ targets (harness/test_libfuzzer.py)
fi

status=0
WASMLAB_BUILD="$root/build" run_pytest -q -rfEXs harness/ || status=1

if [ "${WASMLAB_ASAN:-1}" != 0 ]; then
  # One file a line: each branch that adds sanitizer coverage adds its own line.
  asan_tests=(
    harness/test_spec.py
    harness/test_ctests.py
    harness/test_regressions.py
    harness/test_hostmods.py
    harness/test_capi.py
    harness/test_wasi_testsuite.py
  )
  echo "test.sh: ${asan_tests[*]} under AddressSanitizer (build-asan: interp, jit)"
  WASMLAB_BUILD="$root/build-asan" \
    WASMLAB_REPORTS_DIR="$root/reports/asan" \
    run_pytest -q -rfEXs "${asan_tests[@]}" || status=1
fi

if [ "$status" -eq 0 ]; then
  echo "test.sh: all tests passed"
else
  echo "test.sh: FAILED" >&2
fi
exit "$status"
