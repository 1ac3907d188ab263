;; The JIT keeps v128 values in xmm registers (six cache registers) or their 16-byte cells:
;; more live vectors than registers spill and reload whole cells; results and constants in
;; registers survive branches, calls and helpers (which see every operand in its cell);
;; any_true/all_true leave EFLAGS for br_if, select and i32.eqz; scalar lanes meet pinned
;; locals. Expected values are the interpreter's and the spec's.
(module
  (memory 1)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (func $pressure (param $x i32) (result i32)
    ;; ten live vectors, then folded: lane 0 = sum of (x + k) for k = 0..9
    (i32x4.extract_lane 0
      (i32x4.add
        (i32x4.add
          (i32x4.add (i32x4.splat (local.get $x))
                     (i32x4.splat (i32.add (local.get $x) (i32.const 1))))
          (i32x4.add (i32x4.splat (i32.add (local.get $x) (i32.const 2)))
                     (i32x4.splat (i32.add (local.get $x) (i32.const 3)))))
        (i32x4.add
          (i32x4.add
            (i32x4.add (i32x4.splat (i32.add (local.get $x) (i32.const 4)))
                       (i32x4.splat (i32.add (local.get $x) (i32.const 5))))
            (i32x4.add (i32x4.splat (i32.add (local.get $x) (i32.const 6)))
                       (i32x4.splat (i32.add (local.get $x) (i32.const 7)))))
          (i32x4.add (i32x4.splat (i32.add (local.get $x) (i32.const 8)))
                     (i32x4.splat (i32.add (local.get $x) (i32.const 9))))))))
  (func (export "pressure") (param i32) (result i32) (call $pressure (local.get 0)))

  ;; a vector in a register below a helper call (f32x4.min) and a direct call
  (func $id (param v128) (result v128) (local.get 0))
  (func (export "around_calls") (param $a f32) (result f32)
    (f32x4.extract_lane 3
      (f32x4.add
        (f32x4.splat (local.get $a))
        (call $id
          (f32x4.min (f32x4.splat (f32.const -1)) (v128.const f32x4 5 6 7 -0.5))))))

  ;; tests leaving EFLAGS
  (func (export "any_br_if") (param $v i64) (result i32)
    (block $b
      (br_if $b (v128.any_true (i64x2.splat (local.get $v))))
      (return (i32.const 7)))
    (i32.const 9))
  (func (export "all_select") (param $v i32) (result i32)
    (select (i32.const 1) (i32.const 2) (i8x16.all_true (i32x4.splat (local.get $v)))))
  (func (export "any_eqz") (param $v i32) (result i32)
    (i32.eqz (v128.any_true (i32x4.splat (local.get $v)))))

  ;; a vector carried by br and a loop's param, a global round trip, and memory
  (func (export "loop_param") (param $n i32) (result i32)
    (global.get $g)
    (loop $l (param v128) (result v128)
      (i32x4.add (v128.const i32x4 1 1 1 1))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.ne (local.get $n) (i32.const 0))))
    (global.set $g)
    (i32x4.extract_lane 1 (global.get $g)))
  (func (export "store_lanes") (param $a i32) (result i64)
    (v128.store offset=16 (local.get $a) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
    (v128.store8_lane 3 (local.get $a) (v128.load offset=16 (local.get $a)))
    (v128.store16_lane offset=2 7 (local.get $a) (v128.load offset=16 (local.get $a)))
    (i64.load (local.get $a)))
  (func (export "shifts") (param $n i32) (result i32)
    (i32.add
      (i16x8.extract_lane_s 0 (i16x8.shr_s (v128.const i16x8 -32768 0 0 0 0 0 0 0) (local.get $n)))
      (i32x4.extract_lane 0 (i32x4.shl (v128.const i32x4 1 0 0 0) (i32.const 33)))))
  (func (export "shuffle_both") (result i64)
    (i64x2.extract_lane 0
      (i8x16.shuffle 16 0 17 1 18 2 19 3 31 15 30 14 29 13 28 12
        (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
        (v128.const i8x16 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31))))
  (func (export "swizzle_high") (result i64)
    (i64x2.extract_lane 0
      (i8x16.swizzle (v128.const i8x16 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25)
                     (v128.const i8x16 0 15 16 127 128 255 1 2 0 0 0 0 0 0 0 0))))
  (func (export "unsigned_cmp") (result i32)
    (i8x16.bitmask
      (i8x16.gt_u (v128.const i8x16 255 0 128 127 1 2 3 4 5 6 7 8 9 10 11 12)
                  (v128.const i8x16 0 255 127 128 1 1 4 4 5 6 7 8 9 10 11 12))))
)
(assert_return (invoke "pressure" (i32.const 10)) (i32.const 145))
(assert_return (invoke "pressure" (i32.const -5)) (i32.const -5))
(assert_return (invoke "around_calls" (f32.const 2)) (f32.const 1))
(assert_return (invoke "any_br_if" (i64.const 0)) (i32.const 7))
(assert_return (invoke "any_br_if" (i64.const 0x100000000)) (i32.const 9))
(assert_return (invoke "all_select" (i32.const 0x01010101)) (i32.const 1))
(assert_return (invoke "all_select" (i32.const 0x01000101)) (i32.const 2))
(assert_return (invoke "any_eqz" (i32.const 0)) (i32.const 1))
(assert_return (invoke "any_eqz" (i32.const 0x80000000)) (i32.const 0))
(assert_return (invoke "loop_param" (i32.const 3)) (i32.const 5))
(assert_return (invoke "loop_param" (i32.const 1)) (i32.const 6))
(assert_return (invoke "store_lanes" (i32.const 0)) (i64.const 0x0F0E0003))
(assert_trap (invoke "store_lanes" (i32.const 65520)) "out of bounds memory access")
(assert_return (invoke "shifts" (i32.const 17)) (i32.const -16382))
(assert_return (invoke "shuffle_both") (i64.const 0x0313021201110010))
(assert_return (invoke "swizzle_high") (i64.const 0x0C0B00000000190A))
(assert_return (invoke "unsigned_cmp") (i32.const 0x0025))
