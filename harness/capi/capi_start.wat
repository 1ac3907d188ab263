;; A start function that traps: instantiation fails with the trap.
(module
  (func $start (unreachable))
  (start $start))
