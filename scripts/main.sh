#!/usr/bin/env bash
# The project's showcase: build, run the conformance matrix over every built backend,
# then the quick benchmark comparison, and say where the results are.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python=/usr/bin/python3

scripts/install-deps.sh
scripts/build.sh release

echo "main.sh: conformance matrix (spec suites x backends)"
conformance=0
bench=0
WASMLAB_BUILD="$root/build" "$python" -m pytest -q harness/test_spec.py || conformance=$?

if [ -f bench/run.py ]; then
  echo "main.sh: quick benchmark comparison"
  "$python" bench/run.py --quick || bench=$?
else
  echo "main.sh: bench/run.py not present yet; skipping the benchmark comparison"
fi

echo
echo "main.sh: reports"
echo "  conformance matrix: reports/conformance.md (and reports/conformance.json)"
if [ -f bench/run.py ]; then
  echo "  benchmarks: bench/results/latest/ (results.json, summary.csv, runs.csv, gnuplot charts)"
fi
if [ "$conformance" -ne 0 ]; then
  echo "main.sh: some conformance tests failed (pytest exit $conformance); see above" >&2
fi
if [ "$bench" -ne 0 ]; then
  echo "main.sh: the benchmark run failed (exit $bench); see above" >&2
fi
[ "$conformance" -eq 0 ] && [ "$bench" -eq 0 ]
