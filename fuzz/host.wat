;; The `fuzzing-support` imports of binaryen's -ttf modules. Every logged value is folded
;; into one 64-bit hash (FNV-1a over the value's bits, a type tag first); "hash" reads it.
;; A NaN is folded as one canonical pattern per type: its sign and payload are what the spec
;; leaves open (fuzz/README.md, "What may differ").
(module
  (global $h (mut i64) (i64.const 0xcbf29ce484222325))
  (func $fold (param $v i64)
    (global.set $h (i64.mul (i64.xor (global.get $h) (local.get $v))
                            (i64.const 0x100000001b3))))
  (func (export "log-i32") (param i32)
    (call $fold (i64.const 1)) (call $fold (i64.extend_i32_u (local.get 0))))
  (func (export "log-i64") (param i64)
    (call $fold (i64.const 2)) (call $fold (local.get 0)))
  (func (export "log-f32") (param f32)
    (call $fold (i64.const 3))
    (call $fold (select (i64.const 0x7fc00000)
                        (i64.extend_i32_u (i32.reinterpret_f32 (local.get 0)))
                        (f32.ne (local.get 0) (local.get 0)))))
  (func (export "log-f64") (param f64)
    (call $fold (i64.const 4))
    (call $fold (select (i64.const 0x7ff8000000000000)
                        (i64.reinterpret_f64 (local.get 0))
                        (f64.ne (local.get 0) (local.get 0)))))
  (func (export "hash") (result i64) (global.get $h)))
