;; v128 takes two slots in slot-based backends (interp frames, io arrays): locals after a
;; v128 shift, block params/results and branches move two slots, untyped drop/select of a
;; v128 pop two, calls (direct, indirect, across a host-style boundary) pass both halves.
(module
  (type $vv (func (param v128 i32) (result i32 v128)))
  (table 1 funcref)
  (elem (i32.const 0) $swap)
  (func $swap (type $vv) (local.get 1) (local.get 0))
  (func (export "locals") (param i32 v128 i64) (result i64)
    (local f32 v128 i32)
    (local.set 5 (i32.const 7))
    (local.set 4 (local.get 1))
    (i64.add (local.get 2)
      (i64.add (i64.extend_i32_u (local.get 5))
               (i64x2.extract_lane 1 (local.get 4)))))
  (func (export "block") (param v128) (result i32)
    local.get 0
    block (param v128) (result v128)
      v128.const i32x4 1 1 1 1
      i32x4.add
      br 0
    end
    i32x4.extract_lane 3)
  (func (export "loop") (param i32) (result i32)
    (local v128)
    (local.set 1 (v128.const i32x4 0 0 0 0))
    (loop $l
      (local.set 1 (i32x4.add (local.get 1) (v128.const i32x4 1 2 3 4)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (i32x4.extract_lane 3 (local.get 1)))
  (func (export "drop_select") (param i32) (result i32)
    v128.const i64x2 1 2
    drop
    v128.const i32x4 10 0 0 0
    v128.const i32x4 20 0 0 0
    local.get 0
    select
    i32x4.extract_lane 0)
  (func (export "select_t") (param i32) (result i64)
    v128.const i64x2 0 5
    v128.const i64x2 0 6
    local.get 0
    select (result v128)
    i64x2.extract_lane 1)
  (func (export "call") (result i32)
    v128.const i32x4 8 9 10 11
    i32.const 3
    call $swap
    i32x4.extract_lane 1
    i32.add
    v128.const i32x4 0 0 0 0
    i32.const 1
    i32.const 0
    call_indirect (type $vv)
    drop
    drop)
  (func (export "br_table") (param i32) (result i32)
    (i32x4.extract_lane 2
      (block (result v128)
        (block (result v128)
          (br_table 0 1 (v128.const i32x4 0 0 42 0) (local.get 0)))
        (drop)
        (v128.const i32x4 0 0 43 0))))
  (func (export "dead") (result v128)
    (block (result v128) (unreachable))))

(assert_return (invoke "locals" (i32.const 1) (v128.const i64x2 5 100) (i64.const 1000))
               (i64.const 1107))
(assert_return (invoke "block" (v128.const i32x4 0 0 0 41)) (i32.const 42))
(assert_return (invoke "loop" (i32.const 10)) (i32.const 40))
(assert_return (invoke "drop_select" (i32.const 1)) (i32.const 10))
(assert_return (invoke "drop_select" (i32.const 0)) (i32.const 20))
(assert_return (invoke "select_t" (i32.const 0)) (i64.const 6))
(assert_return (invoke "call") (i32.const 12))
(assert_return (invoke "br_table" (i32.const 0)) (i32.const 43))
(assert_return (invoke "br_table" (i32.const 1)) (i32.const 42))
(assert_trap (invoke "dead") "unreachable")
