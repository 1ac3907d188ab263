;; The JIT's register cache: values kept in registers, locals pinned to registers for a whole
;; function, results written straight into a local's register, comparisons kept in the flags.
;; Each case is a shape where a register could be clobbered or read stale; every backend runs it.

(module
  ;; A local read (lazily) before it changes must keep the old value.
  (func (export "old-value-kept") (param $x i32) (result i32)
    local.get $x
    local.get $x
    i32.const 1
    i32.add
    local.set $x
    local.get $x
    i32.const 100
    i32.mul
    i32.add)
  ;; The second operand is the local being set: x = y - x, y << x, y / x.
  (func (export "sub-into-second") (param $x i32) (param $y i32) (result i32)
    local.get $y
    local.get $x
    i32.sub
    local.set $x
    local.get $x)
  (func (export "shl-into-count") (param $x i32) (param $y i32) (result i32)
    local.get $y
    local.get $x
    i32.shl
    local.set $x
    local.get $x)
  (func (export "tee-chain") (param $x i64) (result i64)
    (local $y i64)
    local.get $x
    local.get $x
    i64.const 3
    i64.mul
    local.tee $x
    local.tee $y
    i64.add
    local.get $y
    i64.sub
    local.get $x
    i64.add)
  (memory 1)
  (data (i32.const 16) "\20\00\00\00\30\00\00\00\00\00\00\00\00\00\00\00\ff\ff\ff\ff")
  ;; p = load(p): the address register is the destination.
  (func (export "chase") (param $p i32) (result i32)
    local.get $p
    i32.load
    local.set $p
    local.get $p
    i32.load
    local.set $p
    local.get $p)
  ;; An i32 from a wrapped i64 used as an address (its upper half must be zero).
  (func (export "wrapped-address") (param $x i64) (result i32)
    local.get $x
    i32.wrap_i64
    i32.load)
  (func (export "extend-u") (param $x i32) (result i64)
    local.get $x
    i32.const -1
    i32.xor
    i64.extend_i32_u)
  ;; f64: the second operand is the local being set; sqrt into a local.
  (func (export "fsub-into-second") (param $a f64) (param $b f64) (result f64)
    local.get $b
    local.get $a
    f64.sub
    local.set $a
    local.get $a
    f64.sqrt
    local.set $b
    local.get $b
    local.get $a
    f64.div)
  ;; f32 values through registers, slots and a reinterpretation.
  (func (export "f32-bits") (param $a f32) (result i64)
    local.get $a
    f32.const 1.5
    f32.add
    i32.reinterpret_f32
    i64.extend_i32_u)
  ;; Comparisons: fused with br_if, if, select and eqz, and kept as values.
  (func (export "cmp-select") (param $a i32) (param $b i32) (result i32)
    i32.const 10
    i32.const 20
    local.get $a
    local.get $b
    i32.lt_s
    select)
  (func (export "cmp-eqz-if") (param $a i64) (param $b i64) (result i32)
    local.get $a
    local.get $b
    i64.ge_u
    i32.eqz
    if (result i32)
      i32.const 1
    else
      i32.const 2
    end)
  (func (export "cmp-value") (param $a f64) (param $b f64) (result i32)
    local.get $a
    local.get $b
    f64.lt
    local.get $a
    local.get $b
    f64.ge
    i32.const 2
    i32.mul
    i32.add
    local.get $a
    local.get $b
    f64.eq
    i32.const 4
    i32.mul
    i32.add)
  ;; A loop whose compare sits before the counter update (clang's rotated loops).
  (func (export "count") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    loop $l
      local.get $s
      local.get $i
      i32.add
      local.set $s
      local.get $i
      local.get $n
      i32.lt_s
      local.get $i
      i32.const 1
      i32.add
      local.set $i
      br_if $l
    end
    local.get $s)
  ;; More locals than registers, live across calls (a callee pins its own locals).
  (func $clobber (param $a i32) (param $b f64) (result i32)
    (local $c i32) (local $d i32) (local $e i32) (local $f i32) (local $g i32) (local $h f64)
    i32.const 7 local.set $c
    i32.const 8 local.set $d
    i32.const 9 local.set $e
    i32.const 10 local.set $f
    i32.const 11 local.set $g
    f64.const 2.5 local.set $h
    local.get $a local.get $c i32.add local.get $d i32.add local.get $e i32.add
    local.get $f i32.add local.get $g i32.add
    local.get $b local.get $h f64.mul i32.trunc_f64_s i32.add)
  (func (export "many-locals") (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32) (local $f i32)
    (local $g i32) (local $h i32) (local $x f64) (local $y f64)
    i32.const 1 local.set $a
    i32.const 2 local.set $b
    i32.const 3 local.set $c
    i32.const 4 local.set $d
    i32.const 5 local.set $e
    i32.const 6 local.set $f
    i32.const 7 local.set $g
    f64.const 0.5 local.set $x
    loop $l
      local.get $a local.get $b i32.add local.set $a
      local.get $b local.get $c i32.xor local.set $b
      local.get $c local.get $d i32.add local.set $c
      local.get $d local.get $e i32.sub local.set $d
      local.get $e local.get $f i32.mul local.set $e
      local.get $f local.get $g i32.add local.set $f
      local.get $g local.get $a i32.rotl local.set $g
      local.get $x f64.const 1.25 f64.mul local.set $x
      local.get $h local.get $a local.get $x call $clobber i32.add local.set $h
      local.get $y local.get $x f64.add local.set $y
      local.get $n i32.const 1 i32.sub local.tee $n
      br_if $l
    end
    local.get $a local.get $b i32.add local.get $c i32.add local.get $d i32.add
    local.get $e i32.add local.get $f i32.add local.get $g i32.add local.get $h i32.add
    local.get $y i32.trunc_f64_s i32.add
    memory.size i32.add)
  ;; A comparison used as an operand of an add of a constant (the flags must become a value).
  (func (export "cmp-plus-const") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.lt_u
    i32.const 5
    i32.add)
  ;; A comparison waiting under an add whose operand is a constant-folded local.
  (func (export "cmp-under-add") (param $a i32) (param $b i32) (result i32)
    (local $t i32)
    block $out
      local.get $a
      local.get $b
      i32.gt_s
      local.get $a
      i32.const -7
      i32.add
      local.tee $t
      drop
      br_if $out
      i32.const 100
      local.set $t
    end
    local.get $t)
  ;; Division by constants: the checks a constant can still fail.
  (func (export "div-s-minus1") (param $a i32) (result i32) local.get $a i32.const -1 i32.div_s)
  (func (export "rem-s-minus1") (param $a i64) (result i64) local.get $a i64.const -1 i64.rem_s)
  (func (export "div-u-zero") (param $a i32) (result i32) local.get $a i32.const 0 i32.div_u)
  (func (export "rem-u-const") (param $a i32) (result i32) local.get $a i32.const 7 i32.rem_u)
  ;; Merges no edge reaches that claim more results than the operand stack ever holds.
  (func (export "dead-results") (result i32 i64 f64 f32) unreachable)
  (func (export "dead-block") (result i32)
    (block (result i32 i32 i32 i32) (br 1 (i32.const 7)))
    drop drop drop))

(assert_return (invoke "old-value-kept" (i32.const 5)) (i32.const 605))
(assert_return (invoke "sub-into-second" (i32.const 3) (i32.const 10)) (i32.const 7))
(assert_return (invoke "shl-into-count" (i32.const 3) (i32.const 5)) (i32.const 40))
(assert_return (invoke "tee-chain" (i64.const 2)) (i64.const 8))
(assert_return (invoke "chase" (i32.const 16)) (i32.const -1))
(assert_return (invoke "wrapped-address" (i64.const 0x100000010)) (i32.const 32))
(assert_return (invoke "extend-u" (i32.const 0)) (i64.const 0xffffffff))
(assert_return (invoke "fsub-into-second" (f64.const 1) (f64.const 10)) (f64.const 0.3333333333333333))
(assert_return (invoke "f32-bits" (f32.const 1)) (i64.const 0x40200000))
(assert_return (invoke "cmp-select" (i32.const 1) (i32.const 2)) (i32.const 10))
(assert_return (invoke "cmp-select" (i32.const 2) (i32.const 1)) (i32.const 20))
(assert_return (invoke "cmp-eqz-if" (i64.const 1) (i64.const 2)) (i32.const 1))
(assert_return (invoke "cmp-eqz-if" (i64.const -1) (i64.const 2)) (i32.const 2))
(assert_return (invoke "cmp-value" (f64.const 1) (f64.const 2)) (i32.const 1))
(assert_return (invoke "cmp-value" (f64.const 2) (f64.const 2)) (i32.const 6))
(assert_return (invoke "cmp-value" (f64.const nan) (f64.const 2)) (i32.const 0))
(assert_return (invoke "count" (i32.const 10)) (i32.const 55))
(assert_return (invoke "count" (i32.const 0)) (i32.const 0))
(assert_return (invoke "many-locals" (i32.const 1)) (i32.const 159))
(assert_return (invoke "many-locals" (i32.const 5)) (i32.const 1901816300))
(assert_return (invoke "cmp-plus-const" (i32.const 1) (i32.const 2)) (i32.const 6))
(assert_return (invoke "cmp-plus-const" (i32.const -1) (i32.const 2)) (i32.const 5))
(assert_return (invoke "cmp-under-add" (i32.const 10) (i32.const 2)) (i32.const 3))
(assert_return (invoke "cmp-under-add" (i32.const 1) (i32.const 2)) (i32.const 100))
(assert_trap (invoke "div-s-minus1" (i32.const 0x80000000)) "integer overflow")
(assert_return (invoke "div-s-minus1" (i32.const 5)) (i32.const -5))
(assert_return (invoke "rem-s-minus1" (i64.const 0x8000000000000000)) (i64.const 0))
(assert_trap (invoke "div-u-zero" (i32.const 5)) "integer divide by zero")
(assert_return (invoke "rem-u-const" (i32.const -1)) (i32.const 3))
(assert_trap (invoke "dead-results") "unreachable")
(assert_return (invoke "dead-block") (i32.const 7))
