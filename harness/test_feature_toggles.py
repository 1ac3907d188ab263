"""Feature toggles: with a proposal off, a module using it is rejected exactly like a Wasm 1.0
engine rejects it, while modules using only other proposals still validate."""
import subprocess

import pytest

import wasmlab_env

# One small module per post-MVP feature, using that feature and nothing else.
FEATURE_MODULES = {
    "saturating-float-to-int":
        "(module (func (param f32) (result i32) local.get 0 i32.trunc_sat_f32_s))",
    "sign-extension": "(module (func (param i32) (result i32) local.get 0 i32.extend8_s))",
    "multi-value": "(module (func (result i32 i32) i32.const 1 i32.const 2))",
    "bulk-memory":
        "(module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))",
    "reference-types": "(module (func (result externref) ref.null extern))",
    "simd": "(module (func (result i32) v128.const i32x4 1 2 3 4 i32x4.extract_lane 2))",
    # Part of W3C Wasm 1.0, so --mvp keeps it; only --disable-mutable-globals rejects it.
    "mutable-globals": '(module (global (export "g") (mut i32) (i32.const 0)))',
}
IN_WASM_1_0 = {"mutable-globals"}


def _wat2wasm(folder, modules, flag):
    """{feature: .wasm path} for {feature: text}; flag(feature) is wat2wasm's feature flag."""
    paths = {}
    for feature, wat in modules.items():
        wat_path, wasm_path = folder / f"{feature}.wat", folder / f"{feature}.wasm"
        wat_path.write_text(wat)
        subprocess.run(["wat2wasm", flag(feature), str(wat_path), "-o", str(wasm_path)],
                       check=True)
        paths[feature] = wasm_path
    return paths


@pytest.fixture(scope="module")
def feature_wasm(tmp_path_factory):
    return _wat2wasm(tmp_path_factory.mktemp("features"), FEATURE_MODULES,
                     lambda feature: "--enable-all")


def validate(wasmlab, *args):
    return subprocess.run([str(wasmlab), "validate", *map(str, args)], capture_output=True,
                          text=True, timeout=30)


@pytest.mark.parametrize("feature", FEATURE_MODULES)
def test_default_accepts(wasmlab, feature_wasm, feature):
    done = validate(wasmlab, feature_wasm[feature])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize("feature", FEATURE_MODULES)
def test_mvp(wasmlab, feature_wasm, feature):
    done = validate(wasmlab, "--mvp", feature_wasm[feature])
    if feature in IN_WASM_1_0:
        assert done.returncode == 0, done.stderr
    else:
        assert done.returncode == 1, f"--mvp accepted a {feature} module"
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("feature", FEATURE_MODULES)
def test_disable_rejects_own_feature(wasmlab, feature_wasm, feature):
    done = validate(wasmlab, f"--disable-{feature}", feature_wasm[feature])
    assert done.returncode == 1, f"--disable-{feature} accepted a {feature} module"


@pytest.mark.parametrize("feature", FEATURE_MODULES)
def test_disable_keeps_other_features(wasmlab, feature_wasm, feature):
    for other, path in feature_wasm.items():
        if other == feature:
            continue
        done = validate(wasmlab, f"--disable-{feature}", path)
        assert done.returncode == 0, f"--disable-{feature} rejected the {other} module: {done.stderr}"


def test_enable_after_mvp(wasmlab, feature_wasm):
    """Flags apply in order: --mvp then --enable-<f> turns one proposal back on."""
    done = validate(wasmlab, "--mvp", "--enable-sign-extension", feature_wasm["sign-extension"])
    assert done.returncode == 0, done.stderr


def test_unknown_feature_is_named(wasmlab, feature_wasm):
    done = validate(wasmlab, "--enable-no-such-feature", feature_wasm["sign-extension"])
    assert done.returncode == 2
    assert "--enable-no-such-feature" in done.stderr


# Modules of the wasm-2.0 suite itself that use each feature (file stem, module number as
# wast2json numbers them). Each must validate with every feature on, and be rejected with its
# feature off, as wabt's wasm-validate (the reference here for "an engine without that
# proposal") rejects it too.
SUITE_MODULES = {
    "saturating-float-to-int": ("conversions", 0),
    "sign-extension": ("i32", 0),
    "multi-value": ("block", 0),
    "bulk-memory": ("memory_fill", 0),
    "reference-types": ("ref_null", 0),
    "simd": ("simd_const", 0),
    "mutable-globals": ("linking", 6),  # imports a mutable global
}


# Each SIMD encoding on its own: a v128 value type in a signature, a local and a global (no
# SIMD instruction), and an 0xFD-prefixed instruction. With SIMD off (--disable-simd or
# --mvp) each is rejected as wabt's `wasm-validate --disable-simd` rejects it, and as malformed
# (a 1.0 decoder knows neither the type byte nor the prefix).
SIMD_PIECES = {
    "param": "(module (func (param v128)))",
    "local": "(module (func (local v128)))",
    "global": "(module (global v128 (v128.const i64x2 0 0)))",
    "instruction": "(module (memory 1) (func (drop (i32x4.splat (i32.const 1)))))",
}


@pytest.mark.parametrize("piece", SIMD_PIECES)
def test_simd_pieces_rejected_without_simd(wasmlab, tmp_path, piece):
    wat, wasm = tmp_path / f"{piece}.wat", tmp_path / f"{piece}.wasm"
    wat.write_text(SIMD_PIECES[piece])
    subprocess.run(["wat2wasm", str(wat), "-o", str(wasm)], check=True)
    assert validate(wasmlab, wasm).returncode == 0
    wabt = subprocess.run(["wasm-validate", "--disable-simd", str(wasm)], capture_output=True)
    assert wabt.returncode != 0, f"wabt accepts the {piece} module without simd"
    for flags in (["--disable-simd"], ["--mvp"]):
        done = validate(wasmlab, *flags, wasm)
        assert done.returncode == 1, f"{flags} accepted the {piece} module"
        assert "malformed" in done.stderr or "illegal opcode" in done.stderr, done.stderr


@pytest.mark.parametrize("feature", SUITE_MODULES)
def test_suite_module_rejected_without_its_feature(wasmlab, converted_suites, feature):
    stem, number = SUITE_MODULES[feature]
    module = converted_suites.folder("wasm-2.0") / stem / f"{stem}.{number}.wasm"
    assert validate(wasmlab, module).returncode == 0, f"{module.name} must validate by default"
    disabled = validate(wasmlab, f"--disable-{feature}", module)
    assert disabled.returncode == 1, f"--disable-{feature} accepted {module.name}"
    assert len(disabled.stderr.strip().splitlines()) == 1, disabled.stderr
    mvp = validate(wasmlab, "--mvp", module)
    assert mvp.returncode == (0 if feature in IN_WASM_1_0 else 1), mvp.stderr
    wabt = subprocess.run(["wasm-validate", f"--disable-{feature}", str(module)],
                          capture_output=True, text=True)
    assert wabt.returncode != 0, f"wabt accepts {module.name} without {feature}: pick another"


# ---------------------------------------------------------------- Wasm 3.0 proposals
# Off by default: a module using one is rejected unless --enable-<name> turns it on, and
# wabt's wasm-validate (without its --enable flag) rejects the same module.
WASM3_MODULES = {
    "extended-const":
        "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))",
    "tail-call": "(module (func $f (return_call $f)))",
    "multi-memory": "(module (memory 1) (memory $b 1) (func (drop (memory.size $b))))",
    "memory64": "(module (memory i64 1) (func (drop (i32.load (i64.const 0)))))",
}


@pytest.fixture(scope="module")
def wasm3_wasm(tmp_path_factory):
    return _wat2wasm(tmp_path_factory.mktemp("wasm3"), WASM3_MODULES,
                     lambda feature: f"--enable-{feature}")


@pytest.mark.parametrize("feature", WASM3_MODULES)
def test_wasm3_off_by_default(wasmlab, wasm3_wasm, feature):
    done = validate(wasmlab, wasm3_wasm[feature])
    assert done.returncode == 1, f"the default feature set accepted a {feature} module"
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert validate(wasmlab, "--mvp", wasm3_wasm[feature]).returncode == 1
    wabt = subprocess.run(["wasm-validate", str(wasm3_wasm[feature])], capture_output=True,
                          text=True)
    assert wabt.returncode != 0, f"wabt accepts the {feature} module without --enable-{feature}"


@pytest.mark.parametrize("feature", WASM3_MODULES)
def test_wasm3_enable_accepts(wasmlab, wasm3_wasm, feature):
    done = validate(wasmlab, f"--enable-{feature}", wasm3_wasm[feature])
    assert done.returncode == 0, done.stderr
    wabt = subprocess.run(["wasm-validate", f"--enable-{feature}", str(wasm3_wasm[feature])],
                          capture_output=True, text=True)
    assert wabt.returncode == 0, wabt.stderr


@pytest.mark.parametrize("feature", WASM3_MODULES)
def test_wasm3_enable_then_disable(wasmlab, wasm3_wasm, feature):
    """Flags apply in order, and enabling one proposal does not enable another."""
    done = validate(wasmlab, f"--enable-{feature}", f"--disable-{feature}", wasm3_wasm[feature])
    assert done.returncode == 1
    for other, path in wasm3_wasm.items():
        if other != feature:
            assert validate(wasmlab, f"--enable-{feature}", path).returncode == 1, other


@pytest.mark.parametrize("feature", WASM3_MODULES)
def test_wasm3_default_modules_unchanged(wasmlab, feature_wasm, feature):
    """Turning a 3.0 proposal on keeps every 2.0 feature module valid."""
    for other, path in feature_wasm.items():
        done = validate(wasmlab, f"--enable-{feature}", path)
        assert done.returncode == 0, f"--enable-{feature} rejected the {other} module"


# Modules of each proposal's own suite (file stem, module number as wast2json numbers them):
# valid with the proposal on, rejected without it, by wasmlab and by wabt alike.
WASM3_SUITE_MODULES = {
    "extended-const": ("global", 0),
    "tail-call": ("return_call", 0),
    "multi-memory": ("load", 0),
    "memory64": ("address64", 0),
}


@pytest.mark.parametrize("feature", WASM3_SUITE_MODULES)
def test_wasm3_suite_module_needs_its_feature(wasmlab, converted_suites, feature):
    stem, number = WASM3_SUITE_MODULES[feature]
    module = converted_suites.folder(f"proposals/{feature}") / stem / f"{stem}.{number}.wasm"
    assert validate(wasmlab, f"--enable-{feature}", module).returncode == 0
    off = validate(wasmlab, module)
    assert off.returncode == 1, f"{module.name} validated without {feature}"
    assert len(off.stderr.strip().splitlines()) == 1, off.stderr
    wabt = subprocess.run(["wasm-validate", str(module)], capture_output=True, text=True)
    assert wabt.returncode != 0, f"wabt accepts {module.name} without {feature}: pick another"


def test_relaxed_simd_is_opt_in(wasmlab, tmp_path):
    """relaxed-simd is off by default (as in wabt), on with --enable-relaxed-simd, and needs
    simd (its instructions share the 0xFD prefix and the v128 type)."""
    wat, wasm = tmp_path / "relaxed.wat", tmp_path / "relaxed.wasm"
    wat.write_text("(module (func (param v128 v128) (result v128)"
                   " (i8x16.relaxed_swizzle (local.get 0) (local.get 1))))")
    subprocess.run(["wat2wasm", "--enable-relaxed-simd", str(wat), "-o", str(wasm)], check=True)
    wabt = subprocess.run(["wasm-validate", str(wasm)], capture_output=True)
    assert wabt.returncode != 0, "wabt accepts relaxed SIMD by default"
    default = validate(wasmlab, wasm)
    assert default.returncode == 1 and "illegal opcode 0xfd 0x100" in default.stderr
    assert validate(wasmlab, "--enable-relaxed-simd", wasm).returncode == 0
    assert validate(wasmlab, "--enable-relaxed-simd", "--disable-simd", wasm).returncode == 1
