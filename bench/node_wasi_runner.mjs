// Runs a wasm32-wasi command module under node's built-in WASI (node:wasi, preview1).
// Usage: node [V8 flags] bench/node_wasi_runner.mjs FILE.wasm [ARGS...]
// stdin, stdout and stderr are the process's own; the exit code is the module's.
// V8 flags choose the tier: --liftoff-only (baseline only), --no-liftoff (TurboFan only), or
// none (Liftoff first, TurboFan tier-up of hot functions).
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node node_wasi_runner.mjs FILE.wasm [ARGS...]');
  process.exit(2);
}

const wasi = new WASI({
  version: 'preview1',
  args: [file, ...args],
  env: {},
  preopens: {},
  returnOnExit: true, // proc_exit returns its code here instead of killing node mid-write
});

const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
