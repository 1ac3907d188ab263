;; Guest side of the externref tutorial, part 1: host objects that compute.
;; The guest never looks inside an externref; it only hands it back to the host function
;; that knows what the object is (an adder, a squarer, a multiply function).
(module
  (import "extern_module" "functor_square" (func $functor_square (param externref i32) (result i32)))
  (import "extern_module" "class_add" (func $class_add (param externref i32 i32) (result i32)))
  (import "extern_module" "func_mul" (func $func_mul (param externref i32 i32) (result i32)))
  (memory (export "memory") 1)

  (func (export "call_add") (param externref i32 i32) (result i32)
    (call $class_add (local.get 0) (local.get 1) (local.get 2)))

  (func (export "call_mul") (param externref i32 i32) (result i32)
    (call $func_mul (local.get 0) (local.get 1) (local.get 2)))

  (func (export "call_square") (param externref i32) (result i32)
    (call $functor_square (local.get 0) (local.get 1)))

  ;; square(p1, add(p0, p2, p3)): two different host objects in one computation.
  (func (export "call_add_square") (param externref externref i32 i32) (result i32)
    (call $functor_square (local.get 1)
      (call $class_add (local.get 0) (local.get 2) (local.get 3)))))
