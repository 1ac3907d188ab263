;; i64.eqz fused into the br_if or if that tests it (the interpreter's BR_IF_I64_EQZ/_NEZ): the
;; whole 64 bits decide, so a value with only upper bits set is nonzero; an i32.eqz of the
;; i64.eqz flips the test.
(module
  (func (export "br_if_eqz") (param i64) (result i32)
    (block $zero (br_if $zero (i64.eqz (local.get 0))) (return (i32.const 1)))
    (i32.const 0))
  (func (export "br_if_not_eqz") (param i64) (result i32)
    (block $nonzero (br_if $nonzero (i32.eqz (i64.eqz (local.get 0)))) (return (i32.const 0)))
    (i32.const 1))
  (func (export "if_eqz") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0)) (else (i32.const 1))))
  (func (export "if_not_eqz") (param i64) (result i32)
    (if (result i32) (i32.eqz (i64.eqz (local.get 0))) (then (i32.const 1)) (else (i32.const 0))))
  ;; the i64.eqz result is also kept: the branch must not consume it
  (func (export "tee_eqz") (param i64) (result i32) (local i32)
    (block $b (br_if $b (local.tee 1 (i64.eqz (local.get 0)))))
    (local.get 1)))

(assert_return (invoke "br_if_eqz" (i64.const 0)) (i32.const 0))
(assert_return (invoke "br_if_eqz" (i64.const 0x100000000)) (i32.const 1))
(assert_return (invoke "br_if_eqz" (i64.const -1)) (i32.const 1))
(assert_return (invoke "br_if_not_eqz" (i64.const 0)) (i32.const 0))
(assert_return (invoke "br_if_not_eqz" (i64.const 0x8000000000000000)) (i32.const 1))
(assert_return (invoke "if_eqz" (i64.const 0)) (i32.const 0))
(assert_return (invoke "if_eqz" (i64.const 0x100000000)) (i32.const 1))
(assert_return (invoke "if_not_eqz" (i64.const 0)) (i32.const 0))
(assert_return (invoke "if_not_eqz" (i64.const 0x200000000)) (i32.const 1))
(assert_return (invoke "tee_eqz" (i64.const 0)) (i32.const 1))
(assert_return (invoke "tee_eqz" (i64.const 0x100000000)) (i32.const 0))
