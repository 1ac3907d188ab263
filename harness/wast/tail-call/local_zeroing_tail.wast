;; Tail-call side of ../local_zeroing.wast: a return_call reuses the caller's frame, so the
;; callee's locals that are read first must be zeroed over the caller's values.
(module
  (func $dirty (param i32) (result i32) (local i64 i64 i64 i64 i64 i64)
    ;; fills its frame with nonzero values, then recurses to leave garbage in deeper frames
    (local.set 1 (i64.const -1)) (local.set 2 (i64.const -1)) (local.set 3 (i64.const -1))
    (local.set 4 (i64.const -1)) (local.set 5 (i64.const -1)) (local.set 6 (i64.const -1))
    (if (local.get 0) (then (drop (call $dirty (i32.sub (local.get 0) (i32.const 1))))))
    (i32.wrap_i64 (i64.add (local.get 1) (local.get 6))))
  (func $tail_target (result i64) (local i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 7 (i64.const 1))
    (i64.add (i64.add (local.get 0) (local.get 6)) (local.get 7)))
  (func $tail_caller (result i64) (local i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 0 (i64.const -1)) (local.set 6 (i64.const -1))
    (return_call $tail_target))
  (func (export "tail") (result i64) (drop (call $dirty (i32.const 3))) (call $tail_caller))
)
(assert_return (invoke "tail") (i64.const 1))
