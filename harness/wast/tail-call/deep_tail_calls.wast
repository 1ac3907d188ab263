;; Tail calls run in constant native and value stack, and do not count towards the call
;; depth limit (10000 by default): each chain below is 10,000,000 calls deep.
(module
  (func $count (export "count") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (return_call $count (i64.sub (local.get 0) (i64.const 1))))))

  ;; mutual recursion between functions of different signatures and frame sizes
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1)) (i32.const 7)))))
  (func $odd (param i64 i32) (result i32) (local f64 f64 f64 f64 i64 i64)
    (local.set 2 (f64.const 1.5))
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))

  ;; through a table
  (type $t (func (param i64) (result i64)))
  (table funcref (elem $ind))
  (func $ind (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 42))
      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1))
                                            (i32.const 0)))))
  (func (export "ind") (param i64) (result i64) (return_call $ind (local.get 0)))

  ;; the arguments of a tail call are the caller's own params, swapped
  (func $swap (param i64 i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.sub (local.get 1) (local.get 2)))
      (else (return_call $swap (i64.sub (local.get 0) (i64.const 1))
                               (local.get 2) (local.get 1)))))
  (func (export "swap") (param i64) (result i64)
    (return_call $swap (local.get 0) (i64.const 10) (i64.const 3)))

  ;; multiple results
  (func $pair (export "pair") (param i64) (result i64 i32)
    (if (result i64 i32) (i64.eqz (local.get 0))
      (then (i64.const 5) (i32.const 6))
      (else (return_call $pair (i64.sub (local.get 0) (i64.const 1))))))
)
(assert_return (invoke "count" (i64.const 10000000)) (i64.const 0))
(assert_return (invoke "even" (i64.const 10000000)) (i32.const 1))
(assert_return (invoke "even" (i64.const 10000001)) (i32.const 0))
(assert_return (invoke "ind" (i64.const 10000000)) (i64.const 42))
(assert_return (invoke "swap" (i64.const 10000000)) (i64.const 7))
(assert_return (invoke "swap" (i64.const 10000001)) (i64.const -7))
(assert_return (invoke "pair" (i64.const 10000000)) (i64.const 5) (i32.const 6))

;; A tail call to a host function or another instance is an ordinary call whose results are
;; returned.
(module $other
  (func (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
)
(register "other" $other)
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (import "other" "twice" (func $twice (param i32) (result i32)))
  (type $t (func (param i32) (result i32)))
  (table funcref (elem $twice))
  (func (export "print") (return_call $print (i32.const 1)))
  (func (export "twice") (param i32) (result i32) (return_call $twice (local.get 0)))
  (func (export "twice-indirect") (param i32) (result i32)
    (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
  (func (export "wrong-type") (param i32) (result i32)
    (return_call_indirect (result i32) (i32.const 0)))
)
(assert_return (invoke "print"))
(assert_return (invoke "twice" (i32.const 21)) (i32.const 42))
(assert_return (invoke "twice-indirect" (i32.const 4)) (i32.const 8))
(assert_trap (invoke "wrong-type" (i32.const 0)) "indirect call type mismatch")
