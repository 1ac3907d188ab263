;; Guest side of the externref tutorial, part 2: host containers (a string stream, a
;; string-to-string map, an integer set, a u32 vector and iterators into it), each reached
;; only through its externref. Every export forwards to the import of the same name.
(module
  (import "extern_module" "stl_ostream_str" (func $ostream_str (param externref externref)))
  (import "extern_module" "stl_ostream_u32" (func $ostream_u32 (param externref i32)))
  (import "extern_module" "stl_map_insert" (func $map_insert (param externref externref externref)))
  (import "extern_module" "stl_map_erase" (func $map_erase (param externref externref)))
  (import "extern_module" "stl_set_insert" (func $set_insert (param externref i32)))
  (import "extern_module" "stl_set_erase" (func $set_erase (param externref i32)))
  (import "extern_module" "stl_vector_push" (func $vector_push (param externref i32)))
  (import "extern_module" "stl_vector_sum" (func $vector_sum (param externref externref) (result i32)))

  (func (export "call_ostream_str") (param externref externref)
    (call $ostream_str (local.get 0) (local.get 1)))
  (func (export "call_ostream_u32") (param externref i32)
    (call $ostream_u32 (local.get 0) (local.get 1)))
  (func (export "call_map_insert") (param externref externref externref)
    (call $map_insert (local.get 0) (local.get 1) (local.get 2)))
  (func (export "call_map_erase") (param externref externref)
    (call $map_erase (local.get 0) (local.get 1)))
  (func (export "call_set_insert") (param externref i32)
    (call $set_insert (local.get 0) (local.get 1)))
  (func (export "call_set_erase") (param externref i32)
    (call $set_erase (local.get 0) (local.get 1)))
  (func (export "call_vector_push") (param externref i32)
    (call $vector_push (local.get 0) (local.get 1)))
  (func (export "call_vector_sum") (param externref externref) (result i32)
    (call $vector_sum (local.get 0) (local.get 1))))
