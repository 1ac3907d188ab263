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

echo "main.sh: quick benchmark comparison (every available runtime, quick inputs, 3 runs)"
WASMLAB_BUILD="$root/build" "$python" bench/run.py --quick || bench=$?

# The trade-off chart of arXiv 2305.13241 from that run; peers absent here are listed on it.
tradeoff=0
if [ "$bench" -eq 0 ]; then
  echo "main.sh: setup-speed vs execution-time trade-off chart (papers/2305.13241)"
  "$python" papers/2305.13241/tradeoff.py --from bench/results/latest || tradeoff=$?
fi

echo
echo "main.sh: reports"
echo "  conformance matrix: reports/conformance.md (and reports/conformance.json)"
echo "  benchmarks: bench/results/latest/ (results.json, summary.csv, runs.csv; charts"
echo "              relative, startup, rss, compile, artifact .png/.svg)"
echo "  trade-off chart: papers/2305.13241/results/latest-run/ (tradeoff.csv, tradeoff.png)"
if [ "$conformance" -ne 0 ]; then
  echo "main.sh: some conformance tests failed (pytest exit $conformance); see above" >&2
fi
if [ "$bench" -ne 0 ]; then
  echo "main.sh: the benchmark run failed (exit $bench); see above" >&2
fi
if [ "$tradeoff" -ne 0 ]; then
  echo "main.sh: the trade-off chart failed (exit $tradeoff); see above" >&2
fi
[ "$conformance" -eq 0 ] && [ "$bench" -eq 0 ] && [ "$tradeoff" -eq 0 ]
