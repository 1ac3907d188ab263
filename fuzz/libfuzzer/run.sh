#!/usr/bin/env bash
# Runs the libFuzzer targets, each for a given time, niced (the machine is shared).
#   fuzz/libfuzzer/run.sh [-t SECONDS] [TARGET ...]
# TARGET: decode_validate, instantiate_run, aot_compile (default: all three), SECONDS per
# target (default 60). Builds build-libfuzzer/ when a target is missing. The seed corpus is
# every module of the spec suites, converted here with wast2json (never committed):
# build-libfuzzer/seed-corpus/. Each target's corpus grows in build-libfuzzer/corpus/TARGET;
# a crash is saved in build-libfuzzer/crashes/TARGET/ and makes the script fail.
# A single input may take WASMLAB_LIBFUZZER_TIMEOUT seconds of wall time (default 120: on the
# shared machine an O2 compile that needs 5 s of CPU can take 25 s).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${WASMLAB_LIBFUZZER_BUILD:-$root/build-libfuzzer}"
suites="${WASMLAB_TESTSUITE:-$root/../shared/spec-testsuite}"
seconds=60
if [ "${1:-}" = "-t" ]; then
  seconds="$2"
  shift 2
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode_validate instantiate_run aot_compile)

for t in "${targets[@]}"; do
  [ -x "$build/fuzz/libfuzzer/fuzz_$t" ] || { "$root/scripts/build.sh" libfuzzer; break; }
done

seed_corpus() {
  local out="$build/seed-corpus" tmp
  [ -d "$out" ] && return
  tmp="$(mktemp -d)"
  for wast in "$suites"/wasm-2.0/*.wast "$suites"/wasm-1.0/*.wast; do
    wast2json "$wast" -o "$tmp/$(basename "$wast" .wast).json" >/dev/null 2>&1 || true
  done
  mkdir -p "$out.partial"
  for wasm in "$tmp"/*.wasm; do
    cp "$wasm" "$out.partial/$(sha1sum "$wasm" | cut -c1-16).wasm"
  done
  rm -rf "$tmp"
  mv "$out.partial" "$out"
}
seed_corpus
echo "run.sh: seed corpus $(ls "$build/seed-corpus" | wc -l) modules; ${seconds} s per target"

status=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t" crashes="$build/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  log="$build/fuzz_$t.log"
  rc=0
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    nice -n 10 "$build/fuzz/libfuzzer/fuzz_$t" -max_total_time="$seconds" \
      -timeout="${WASMLAB_LIBFUZZER_TIMEOUT:-120}" \
      -rss_limit_mb=3072 -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" \
      "$corpus" "$build/seed-corpus" >"$log" 2>&1 || rc=$?
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
  echo "run.sh: $t: exit $rc, $runs inputs in ${seconds} s, corpus $(ls "$corpus" | wc -l) (log $log)"
  if [ "$rc" -ne 0 ]; then
    grep -m3 -E "ERROR|runtime error|SUMMARY" "$log" || tail -5 "$log"
    status=1
  fi
done
exit "$status"
