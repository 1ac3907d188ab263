;; A tail call to a function of another instance that grows the memory this one imports
;; (return_call of the import, return_call_indirect through a table): the caller of the
;; function that made the tail call must see the grown memory.
(module $owner
  (memory (export "mem") 1)
  (func (export "grow") (result i32) (memory.grow (i32.const 1))))
(register "owner" $owner)
(module
  (import "owner" "mem" (memory 1))
  (import "owner" "grow" (func $grow (result i32)))
  (type $t (func (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $grow)
  (func $direct (result i32) (return_call $grow))
  (func $indirect (result i32) (return_call_indirect (type $t) (i32.const 0)))
  (func (export "direct_then_store") (param i32 i32) (result i32)
    (drop (call $direct))
    (i32.store (local.get 0) (local.get 1))
    (i32.load (local.get 0)))
  (func (export "indirect_then_store") (param i32 i32) (result i32)
    (drop (call $indirect))
    (i32.store (local.get 0) (local.get 1))
    (i32.load (local.get 0))))
(assert_return (invoke "direct_then_store" (i32.const 70000) (i32.const 5)) (i32.const 5))
(assert_return (invoke "indirect_then_store" (i32.const 140000) (i32.const 6)) (i32.const 6))
