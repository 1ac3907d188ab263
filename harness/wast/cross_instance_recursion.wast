;; Issue 9, bug 5: recursion that crosses instances (A.f calls B.g through a table, B.g calls
;; A.f through an import) enters each instance afresh, which recurses in C. It must trap
;; "call stack exhausted" cleanly at any --max-call-depth (test_regressions.py also runs this
;; file with a depth limit the native stack cannot reach), never overflow the native stack.
(module $A
  (type $t (func (param i32) (result i32)))
  (table (export "tab") 1 funcref)
  (func (export "f") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))))))
(register "A" $A)
(module $B
  (import "A" "f" (func $f (param i32) (result i32)))
  (import "A" "tab" (table 1 funcref))
  (elem (i32.const 0) $g)
  (func $g (export "g") (param i32) (result i32)
    (i32.add (call $f (local.get 0)) (i32.const 1))))
(assert_return (invoke $B "g" (i32.const 0)) (i32.const 1))
;; 100 crossings: well inside the native stack even under ASan (whose frames are larger)
(assert_return (invoke $B "g" (i32.const 100)) (i32.const 101))
(assert_exhaustion (invoke $B "g" (i32.const 100000000)) "call stack exhausted")
;; the store is still usable after the trap
(assert_return (invoke $B "g" (i32.const 10)) (i32.const 11))
