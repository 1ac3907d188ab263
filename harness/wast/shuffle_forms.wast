;; i8x16.shuffle has three interpreter forms (translate_simd.c): whole 32-bit lanes, two
;; pshufb with precomputed masks (SSSE3), and the byte loop (WASMLAB_INTERP_SLOW=1). Each
;; must give the spec's bytes, including lanes taken from the second operand.
(module
  (func (export "lanes32") (param v128 v128) (result v128)
    (i8x16.shuffle 4 5 6 7 28 29 30 31 0 1 2 3 16 17 18 19 (local.get 0) (local.get 1)))
  (func (export "bytes") (param v128 v128) (result v128)
    (i8x16.shuffle 0 4 8 12 16 20 24 28 31 30 1 17 3 3 15 16 (local.get 0) (local.get 1)))
  (func (export "unaligned32") (param v128 v128) (result v128)
    (i8x16.shuffle 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 (local.get 0) (local.get 1))))

(assert_return
  (invoke "lanes32" (v128.const i32x4 10 11 12 13) (v128.const i32x4 20 21 22 23))
  (v128.const i32x4 11 23 10 20))
(assert_return
  (invoke "bytes" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
                  (v128.const i8x16 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31))
  (v128.const i8x16 0 4 8 12 16 20 24 28 31 30 1 17 3 3 15 16))
(assert_return
  (invoke "unaligned32" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
                        (v128.const i8x16 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31))
  (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))
