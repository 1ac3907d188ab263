#!/usr/bin/python3
"""Writes a deterministic C program of many varied functions: the large module for AOT compile
time and memory (issue 16). Same arguments, same bytes (a fixed-seed PRNG, no dict-order or
hash dependence).

Every function has the signature `uint32_t fN(uint32_t *buf, uint32_t n, uint32_t seed)`, is
`noinline` and sits in a table main() walks, so clang keeps them all and the program's output
(a checksum) checks the compiled code. Shapes vary so the optimizer and instruction selector
see loops, switches, float math, struct arrays, byte strings and calls, as a real program
would give them.

Usage: bench/large/gen.py [--functions N] [--seed S] -o large.c
Build: clang-19 --target=wasm32-wasi -O2 large.c -o large.wasm   (bench/large/build.sh)
"""
import argparse
import random

VARS = ["a", "b", "c", "d"]
INT_OPS = ["+", "-", "*", "^", "|", "&"]


def int_expr(r, depth):
    if depth == 0 or r.random() < 0.25:
        k = r.random()
        if k < 0.45:
            return r.choice(VARS)
        if k < 0.7:
            return f"buf[({r.choice(VARS)} + {r.randrange(256)}u) & 255u]"
        return f"{r.randrange(1, 1 << 16)}u"
    k = r.random()
    if k < 0.55:
        return f"({int_expr(r, depth - 1)} {r.choice(INT_OPS)} {int_expr(r, depth - 1)})"
    if k < 0.7:
        return f"({int_expr(r, depth - 1)} >> {r.randrange(1, 31)})"
    if k < 0.8:
        return f"rotl({int_expr(r, depth - 1)}, {r.randrange(1, 31)})"
    if k < 0.9:
        return (f"({int_expr(r, depth - 1)} < {int_expr(r, depth - 1)} ? "
                f"{int_expr(r, depth - 1)} : {int_expr(r, depth - 1)})")
    return f"({int_expr(r, depth - 1)} / ({int_expr(r, depth - 1)} | 1u))"


def float_expr(r, depth):
    if depth == 0 or r.random() < 0.25:
        k = r.random()
        if k < 0.5:
            return r.choice(["x", "y", "z"])
        if k < 0.75:
            return f"(double)buf[({r.choice(VARS)} + {r.randrange(256)}u) & 255u]"
        return f"{r.uniform(-4, 4):.6f}"
    k = r.random()
    if k < 0.6:
        return f"({float_expr(r, depth - 1)} {r.choice(['+', '-', '*'])} {float_expr(r, depth - 1)})"
    if k < 0.75:
        return f"({float_expr(r, depth - 1)} / (fabs({float_expr(r, depth - 1)}) + 1.0))"
    if k < 0.9:
        return f"{r.choice(['sqrt', 'fabs', 'floor', 'ceil'])}(fabs({float_expr(r, depth - 1)}))"
    return f"fmin({float_expr(r, depth - 1)}, {float_expr(r, depth - 1)})"


def statements(r, count, depth, indent="  "):
    out = []
    for _ in range(count):
        v = r.choice(VARS)
        k = r.random()
        if k < 0.6:
            out.append(f"{indent}{v} = {int_expr(r, depth)};")
        elif k < 0.8:
            out.append(f"{indent}buf[({int_expr(r, 1)}) & 255u] = {int_expr(r, depth)};")
        else:
            out.append(f"{indent}if ({int_expr(r, 2)} & {1 << r.randrange(8)}u) "
                       f"{{ {v} += {int_expr(r, depth - 1)}; }} else {{ {v} ^= {int_expr(r, 1)}; }}")
    return out


def prologue(r):
    return [f"  uint32_t a = seed ^ {r.randrange(1 << 32)}u, b = n + {r.randrange(1 << 16)}u, "
            f"c = buf[{r.randrange(256)}], d = seed * {r.randrange(1, 1 << 16) | 1}u;"]


def shape_loop(r, i):
    body = statements(r, r.randrange(4, 8), r.choice([3, 4]), "    ")
    return [*prologue(r), f"  for (uint32_t i = 0; i < (n & {r.choice([15, 31, 63])}u) + 1u; i++) {{",
            "    a += i;", *body, "  }", "  return a ^ b ^ c ^ d;"]


def shape_switch(r, i):
    lines = [*prologue(r), f"  switch ((a ^ b) % {r.randrange(5, 17)}u) {{"]
    for case in range(r.randrange(6, 13)):
        lines.append(f"  case {case}:")
        lines += statements(r, r.randrange(1, 4), 2, "    ")
        lines.append("    break;")
    lines += ["  default:", "    d ^= 0x5bd1e995u;", "  }", "  return a + b + c + d;"]
    return lines


def shape_float(r, i):
    lines = [*prologue(r), f"  double x = (double)(a & 1023u) * {r.uniform(0.1, 2):.5f}, "
             f"y = (double)(b & 255u), z = {r.uniform(-1, 1):.5f};",
             f"  for (uint32_t i = 0; i < (n & 15u) + 1u; i++) {{"]
    for _ in range(r.randrange(2, 5)):
        lines.append(f"    {r.choice(['x', 'y', 'z'])} = {float_expr(r, 3)};")
    lines += ["    if (x > 1e9 || x < -1e9) x = 1.0;", "    if (y > 1e9 || y < -1e9) y = 2.0;",
              "    if (z > 1e9 || z < -1e9) z = 3.0;", "  }",
              "  if (x != x) x = 0; if (y != y) y = 0; if (z != z) z = 0;",
              "  return a ^ (uint32_t)(int32_t)(x * 7.0) ^ (uint32_t)(int32_t)(y * 3.0)"
              " ^ (uint32_t)(int32_t)z;"]
    return lines


def shape_struct(r, i):
    fields = r.randrange(2, 5)
    lines = [*prologue(r), f"  struct rec{i % 4} *p = (struct rec{i % 4} *)(buf + 16);",
             f"  for (uint32_t i = 0; i < {r.randrange(4, 12)}u; i++) {{",
             f"    p[i].k = (uint16_t)({int_expr(r, 2)});",
             f"    p[i].v = (int32_t)({int_expr(r, 2)});",
             f"    p[i].w = (float)(p[i].v) * {r.uniform(0.5, 2):.4f}f;"]
    for _ in range(fields):
        lines.append(f"    a += p[i].k * {r.randrange(1, 99)}u + (uint32_t)p[i].v;")
    lines += ["  }", f"  for (uint32_t i = 1; i < {r.randrange(4, 12)}u; i++)",
              "    if (p[i - 1].k > p[i].k) { struct rec0 t = *(struct rec0 *)&p[i];"
              " *(struct rec0 *)&p[i] = *(struct rec0 *)&p[i - 1];"
              " *(struct rec0 *)&p[i - 1] = t; b += i; }",
              "  return a ^ b ^ (uint32_t)p[2].v ^ (uint32_t)(int32_t)p[1].w;"]
    return lines


def shape_bytes(r, i):
    lines = [*prologue(r), "  uint8_t *s = (uint8_t *)buf;",
             f"  for (uint32_t i = 0; i < {r.randrange(32, 200)}u; i++) {{",
             "    uint8_t ch = s[(i + a) & 1023u];",
             f"    if (ch >= '{chr(r.randrange(65, 80))}' && ch <= '{chr(r.randrange(80, 91))}')"
             f" b = b * {r.randrange(3, 131)}u + ch;",
             f"    else if (ch & {1 << r.randrange(7)}u) c ^= rotl(c, {r.randrange(1, 31)}) + ch;",
             f"    else {{ d += ch; s[(i * {r.randrange(1, 17)}u) & 1023u] = (uint8_t)(d >> 3); }}",
             "  }", *statements(r, r.randrange(1, 4), 2), "  return a + b + c + d;"]
    return lines


def shape_calls(r, i):
    lines = prologue(r)
    for _ in range(r.randrange(2, 6)):
        callee = r.randrange(max(1, i))
        lines.append(f"  {r.choice(VARS)} += f{callee}(buf, ({int_expr(r, 1)}) & 7u, "
                     f"{int_expr(r, 2)});")
    lines += statements(r, r.randrange(1, 4), 2)
    lines.append("  return a ^ b ^ c ^ d;")
    return lines


SHAPES = [shape_loop, shape_loop, shape_switch, shape_float, shape_struct, shape_bytes,
          shape_calls]


def program(functions, seed):
    r = random.Random(seed)
    out = ["/* Generated by bench/large/gen.py; do not edit. */",
           "#include <math.h>", "#include <stdint.h>", "#include <stdio.h>", "#include <stdlib.h>",
           "static inline uint32_t rotl(uint32_t x, int k) "
           "{ return (x << k) | (x >> ((32 - k) & 31)); }"]
    for k in range(4):
        out.append(f"struct rec{k} {{ uint16_t k; int32_t v; float w; }};")
    for i in range(functions):
        out.append(f"__attribute__((noinline)) uint32_t f{i}(uint32_t *buf, uint32_t n, "
                   "uint32_t seed) {")
        body = r.choice(SHAPES)(r, i)
        # Straight-line work before the return: most of a real function's size.
        out += body[:-1] + statements(r, r.randrange(4, 9), 3) + body[-1:]
        out.append("}")
    out.append("typedef uint32_t (*fn)(uint32_t *, uint32_t, uint32_t);")
    out.append("static const fn table[] = {")
    out += [f"  f{i}," for i in range(functions)]
    out.append("};")
    out += ["static uint32_t buf[1024];",
            "int main(int argc, char **argv) {",
            "  unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 1;",
            "  for (int i = 0; i < 1024; i++) buf[i] = (uint32_t)i * 2654435761u;",
            "  uint32_t sum = 0;",
            "  for (unsigned r = 0; r < rounds; r++)",
            "    for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++)",
            "      sum = sum * 31u + table[i](buf, sum + i, r ^ i);",
            '  printf("%u\\n", sum);',
            "  return 0;", "}"]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--functions", type=int, default=6000)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    with open(args.output, "w") as f:
        f.write(program(args.functions, args.seed))


if __name__ == "__main__":
    main()
