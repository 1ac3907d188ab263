// Eager V8 Liftoff compile time of each module given: process CPU time of
// `new WebAssembly.Module(bytes)`, best of 5. Run it as
//   node --liftoff-only --no-wasm-lazy-compilation --single-threaded \
//        --no-wasm-native-module-cache-enabled bench/tools/liftoff_compile.mjs A.wasm ...
// (without the last flag the 2nd..5th compiles hit V8's module cache and take ~0 ms).
import { readFileSync } from 'node:fs';
for (const f of process.argv.slice(2)) {
  const bytes = readFileSync(f);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = process.cpuUsage();
    new WebAssembly.Module(bytes);
    const d = process.cpuUsage(t0);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  console.log(`${f} ${bytes.length} ${best.toFixed(3)} ms ${(bytes.length / 1e6 / (best / 1e3)).toFixed(1)} MB/s`);
}
