;; Relaxed SIMD: wasmlab's one deterministic choice per instruction (documented in
;; proposals/relaxed_simd/opcodes.def), the same on every backend, plus the dot products of
;; the suite's relaxed_dot_product.wast, which wast2json 1.0.32 cannot convert (wabt 1.0.32
;; spells the dot products i16x8.dot_i8x16_i7x16_s and i32x4.dot_i8x16_i7x16_add_s).
(module
  (func (export "dot") (param v128 v128) (result v128)
    (i16x8.dot_i8x16_i7x16_s (local.get 0) (local.get 1)))
  (func (export "dot_add") (param v128 v128 v128) (result v128)
    (i32x4.dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2)))
  (func (export "madd") (param v128 v128 v128) (result v128)
    (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "laneselect") (param v128 v128 v128) (result v128)
    (i32x4.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "swizzle") (param v128 v128) (result v128)
    (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
  (func (export "trunc") (param v128) (result v128)
    (i32x4.relaxed_trunc_f32x4_s (local.get 0))))

(assert_return (invoke "dot"
                       (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
                       (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
               (v128.const i16x8 1 13 41 85 145 221 313 421))
(assert_return (invoke "dot"
                       (v128.const i8x16 -128 -128 127 127 0 0 0 0 0 0 0 0 0 0 0 0)
                       (v128.const i8x16 127 127 127 127 0 0 0 0 0 0 0 0 0 0 0 0))
               (v128.const i16x8 -32512 32258 0 0 0 0 0 0))
;; choice: the second operand is signed and the i16 sum wraps
(assert_return (invoke "dot"
                       (v128.const i8x16 -128 -128 1 0 0 0 0 0 0 0 0 0 0 0 0 0)
                       (v128.const i8x16 -128 -128 -1 0 0 0 0 0 0 0 0 0 0 0 0 0))
               (v128.const i16x8 -32768 -1 0 0 0 0 0 0))
(assert_return (invoke "dot_add"
                       (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
                       (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
                       (v128.const i32x4 0 1 2 3))
               (v128.const i32x4 14 127 368 737))
(assert_return (invoke "dot_add"
                       (v128.const i8x16 -128 -128 -128 -128 127 127 127 127 0 0 0 0 0 0 0 0)
                       (v128.const i8x16 127 127 127 127 127 127 127 127 0 0 0 0 0 0 0 0)
                       (v128.const i32x4 1 2 3 4))
               (v128.const i32x4 -65023 64518 3 4))
;; choice: unfused multiply-add (two roundings): 0, not fma's 0x1p-37
(assert_return (invoke "madd"
                       (v128.const f32x4 0x1.000004p+0 0x1.000004p+0 0x1.000004p+0 0x1.000004p+0)
                       (v128.const f32x4 0x1.0002p+0 0x1.0002p+0 0x1.0002p+0 0x1.0002p+0)
                       (v128.const f32x4 -0x1.000204p+0 -0x1.000204p+0 -0x1.000204p+0 -0x1.000204p+0))
               (v128.const f32x4 0 0 0 0))
;; choice: every mask bit selects (bitselect), not only the top bit of each lane
(assert_return (invoke "laneselect"
                       (v128.const i32x4 0xffffffff 0xffffffff 0 0)
                       (v128.const i32x4 0 0 0xffffffff 0xffffffff)
                       (v128.const i32x4 0x0000ffff 0x80000000 0x0000ffff 0))
               (v128.const i32x4 0x0000ffff 0x80000000 0xffff0000 0xffffffff))
;; choice: an index >= 16 gives 0, as i8x16.swizzle
(assert_return (invoke "swizzle"
                       (v128.const i8x16 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25)
                       (v128.const i8x16 0 15 16 128 255 1 2 3 4 5 6 7 8 9 10 17))
               (v128.const i8x16 10 25 0 0 0 11 12 13 14 15 16 17 18 19 20 0))
;; choice: saturating, NaN -> 0, as i32x4.trunc_sat_f32x4_s
(assert_return (invoke "trunc" (v128.const f32x4 nan -inf 3e9 -1.5))
               (v128.const i32x4 0 -2147483648 2147483647 -1))
