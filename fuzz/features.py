"""Feature sets under test: what wasm-opt may generate, and how wasmlab and wabt are told.

binaryen 108 (Debian) with reference types on mostly emits typed function references
(`(ref $t)`), which are outside Wasm 2.0: wabt rejects 17 of 20 such modules. So a set may
name `wasm_opt_fallback`, flags the generator retries with when the full set gave no valid
module; the summary counts how many modules needed it.

A set is a parameter of the fuzzer (--features NAME), so SIMD and later proposals are one
more entry here: binaryen flags for the generator, engine flags for wasmlab, and flags for
wabt's tools (wast2json, spectest-interp, wasm-validate), which enable the 2.0 features by
default. `listed_gaps` names backends that may refuse a module of the set ("unsupported: ...";
no set has one now that the JIT has SIMD): such a refusal is counted as a listed gap, the other engines are
still compared; a refusal by any other backend is a disagreement."""

WASM_2_0 = ["--enable-sign-ext", "--enable-nontrapping-float-to-int", "--enable-bulk-memory",
            "--enable-mutable-globals", "--enable-multivalue", "--enable-reference-types"]

FEATURE_SETS = {
    # Wasm 2.0 without SIMD: the default, and the set issue 9's counts are for
    "2.0-nosimd": {
        "wasm_opt": ["--mvp-features", *WASM_2_0],
        "wasm_opt_fallback": ["--mvp-features", *WASM_2_0[:-1]],
        "wasmlab": [],
        "wabt": ["--disable-simd"],
    },
    "1.0": {
        "wasm_opt": ["--mvp-features", "--enable-mutable-globals"],
        "wasmlab": ["--mvp"],
        "wabt": ["--disable-saturating-float-to-int", "--disable-sign-extension",
                 "--disable-multi-value", "--disable-bulk-memory", "--disable-reference-types",
                 "--disable-simd"],
    },
    # All of Wasm 2.0, SIMD included (issue 10 item 6): `--features 2.0`
    "2.0": {
        "wasm_opt": ["--mvp-features", *WASM_2_0, "--enable-simd"],
        "wasm_opt_fallback": ["--mvp-features", *WASM_2_0[:-1], "--enable-simd"],
        "wasmlab": ["--enable-simd"],
        "wabt": [],
    },
}


def feature_set(name: str) -> dict:
    if name not in FEATURE_SETS:
        raise SystemExit(f"unknown feature set {name!r}; known: {', '.join(FEATURE_SETS)}")
    return FEATURE_SETS[name]
