;; Guest side of the externref tutorial, part 3: one module using objects from both worlds.
;; print_mul(stream, mul, a, b) writes mul(a, b) into the stream: a computing object and a
;; container object meet in the same guest function.
(module
  (import "extern_module" "func_mul" (func $func_mul (param externref i32 i32) (result i32)))
  (import "extern_module" "stl_ostream_u32" (func $ostream_u32 (param externref i32)))

  (func (export "print_mul") (param externref externref i32 i32)
    (call $ostream_u32 (local.get 0)
      (call $func_mul (local.get 1) (local.get 2) (local.get 3)))))
