;; difffuzz seed 301474 (2.0 set; fuzz/RESULTS.md), reduced by hand: a float `select` whose
;; unselected operand is an out-of-bounds load must still trap (the load comes first). On an
;; AVX-512 host, LLVM 19's x86 backend folds `select c, %g, (load volatile float)` into a
;; masked move, `vmovss (mem), %xmm0 {%k1}`; with the mask bit clear the CPU suppresses the
;; fault, so aot returns %g. The IR after O2 still has the volatile load
;; (backends/aot/README.md, "Traps are effects"): the load is emitted, the hardware skips it.
;; Integer selects (cmov after a plain load) are not affected.
(module
  (memory 1 1)
  (global $g (mut f32) (f32.const 1))
  (global $h (mut f64) (f64.const 1))
  (func (export "select_f32_global") (param i32) (result f32)
    (select (global.get $g) (f32.load align=1 (local.get 0)) (local.get 0)))
  (func (export "select_f64_global") (param i32) (result f64)
    (select (global.get $h) (f64.load (local.get 0)) (local.get 0)))
  (func (export "select_f32_const") (param i32) (result f32)
    (select (f32.const 7) (f32.load (local.get 0)) (local.get 0)))
  (func (export "select_i32") (param i32) (result i32)
    (select (i32.const 7) (i32.load (local.get 0)) (local.get 0))))

(assert_trap (invoke "select_f32_global" (i32.const 100000)) "out of bounds memory access")
(assert_trap (invoke "select_f32_global" (i32.const 2164900330)) "out of bounds memory access")
(assert_trap (invoke "select_f64_global" (i32.const 100000)) "out of bounds memory access")
(assert_trap (invoke "select_f32_const" (i32.const 100000)) "out of bounds memory access")
(assert_trap (invoke "select_i32" (i32.const 100000)) "out of bounds memory access")
(assert_return (invoke "select_f32_global" (i32.const 4)) (f32.const 1))
(assert_return (invoke "select_f32_global" (i32.const 0)) (f32.const 0))
