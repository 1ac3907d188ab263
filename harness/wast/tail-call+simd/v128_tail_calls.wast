;; Tail calls carry v128 arguments: the JIT moves whole 16-byte cells to the frame's start
;; (return_call, return_call_indirect to this module's code); a deep chain runs in constant
;; stack. The counters are the last arguments, so a backend that moves the others wrongly
;; fails instead of looping.
(module $m
  (func (export "twice") (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0))))
(register "m" $m)
(module
  (import "m" "twice" (func $twice (param v128) (result v128)))
  (type $t (func (param v128 f64 i32) (result v128)))
  (table funcref (elem $count))
  (func $count (type $t)
    (if (result v128) (i32.le_s (local.get 2) (i32.const 0))
      (then (f64x2.replace_lane 1 (local.get 0) (local.get 1)))
      (else
        (return_call_indirect (type $t)
          (i32x4.add (local.get 0) (v128.const i32x4 1 2 3 4))
          (f64.add (local.get 1) (f64.const 0.5))
          (i32.sub (local.get 2) (i32.const 1))
          (i32.const 0)))))
  (func (export "count") (param i32) (result i32 f64)
    (call $count (v128.const i32x4 0 0 0 0) (f64.const 0) (local.get 0))
    (i32x4.extract_lane 1)
    (call $count (v128.const i32x4 0 0 0 0) (f64.const 0) (local.get 0))
    (f64x2.extract_lane 1)))
(assert_return (invoke "count" (i32.const 3)) (i32.const 6) (f64.const 1.5))
(assert_return (invoke "count" (i32.const 100000)) (i32.const 200000) (f64.const 50000))

;; the smallest case: the v128 after an i32 must arrive whole
(module
  (func $c (param i32 v128) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32x4.extract_lane 0 (local.get 1)))
      (else (return_call $c (i32.sub (local.get 0) (i32.const 1)) (local.get 1)))))
  (func (export "c") (param i32) (result i32) (call $c (local.get 0) (v128.const i32x4 5 0 0 0))))
(assert_return (invoke "c" (i32.const 0)) (i32.const 5))
(assert_return (invoke "c" (i32.const 1)) (i32.const 5))
;; a long direct chain with the v128 between scalars (the interpreter once moved one slot per
;; argument here, which broke the v128 and made the counter never reach zero)
(assert_return (invoke "c" (i32.const 100000)) (i32.const 5))
(module
  (func $d (param f64 v128 i32) (result v128 f64)
    (if (result v128 f64) (i32.eqz (local.get 2))
      (then (local.get 1) (local.get 0))
      (else (return_call $d (f64.add (local.get 0) (f64.const 1))
                            (i64x2.add (local.get 1) (v128.const i64x2 1 -1))
                            (i32.sub (local.get 2) (i32.const 1))))))
  (func (export "d") (param i32) (result i64 f64)
    (local f64)
    (call $d (f64.const 0) (v128.const i64x2 0 0) (local.get 0))
    (local.set 1)
    (i64x2.extract_lane 1)
    (local.get 1)))
(assert_return (invoke "d" (i32.const 0)) (i64.const 0) (f64.const 0))
(assert_return (invoke "d" (i32.const 3)) (i64.const -3) (f64.const 3))
(assert_return (invoke "d" (i32.const 100000)) (i64.const -100000) (f64.const 100000))
