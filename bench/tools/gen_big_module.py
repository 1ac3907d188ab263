#!/usr/bin/env python3
"""Writes a large synthetic module (default 4000 functions, ~2.2 MB of wasm) for compile-speed
measurements: bench/tools/gen_big_module.py OUT.wat, then wat2wasm OUT.wat -o OUT.wasm.
Each function is a loop of integer and float arithmetic, a branch and stores; fixed seed."""
import random
import sys


def function(i, rng):
    body = []
    for j in range(12):
        body += [
            f"(local.set 1 (i32.add (local.get 1) (i32.mul (local.get 0) (i32.const {rng.randint(1, 1000)}))))",
            "(local.set 2 (f64.add (local.get 2) (f64.convert_i32_s (local.get 1))))",
            f"(if (i32.gt_s (local.get 1) (i32.const {rng.randint(1, 100000)}))"
            " (then (local.set 1 (i32.shr_u (local.get 1) (i32.const 3)))))",
            f"(i32.store offset={j * 4} (local.get 0) (local.get 1))",
        ]
    return (f'(func $f{i} (export "f{i}") (param i32) (result i32) (local i32 f64)'
            f" (block (loop {' '.join(body)} (br_if 1 (i32.eqz (local.get 0)))"
            " (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br 0)))"
            " (i32.add (local.get 1) (i32.trunc_f64_s (local.get 2))))")


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
    rng = random.Random(1)
    lines = ["(module (memory 1)"] + [function(i, rng) for i in range(count)] + [")"]
    with open(out, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
