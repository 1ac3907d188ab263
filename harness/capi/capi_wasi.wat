;; A WASI command: writes its argument count and "hi" to stdout, exits with status 3, and
;; needs one host import besides WASI.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "host" "status" (func $status (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "0 hi\n")
  (func (export "_start")
    (drop (call $args_sizes (i32.const 32) (i32.const 36)))
    ;; the digit: '0' + argc
    (i32.store8 (i32.const 8) (i32.add (i32.const 48) (i32.load (i32.const 32))))
    (i32.store (i32.const 0) (i32.const 8))
    (i32.store (i32.const 4) (i32.const 5))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 40)))
    (call $exit (call $status))))
