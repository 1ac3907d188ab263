/* RocksDB's C API through a table of function pointers that kv_rocksdb_load fills with dlopen
 * when the first store is opened. A wasmlab process that opens no store never maps RocksDB and
 * its C++ dependencies: linking them cost 3.4 ms of a 6.2 ms `nop` start-up (perf stat, 357 of
 * 442 page faults). engine/hostmods includes this instead of <rocksdb/c.h>; each rocksdb_*
 * name used here is redirected to the table, so call sites read as plain RocksDB calls. */
#ifndef WL_HOSTMODS_ROCKSDB_LIB_H
#define WL_HOSTMODS_ROCKSDB_LIB_H
#include <rocksdb/c.h>

#include "engine/include/wasmlab.h"

/* Every RocksDB function engine/hostmods calls. */
#define KV_ROCKSDB_FUNCTIONS(X) \
  X(rocksdb_close) \
  X(rocksdb_create_iterator) \
  X(rocksdb_delete) \
  X(rocksdb_free) \
  X(rocksdb_get) \
  X(rocksdb_iter_destroy) \
  X(rocksdb_iter_get_error) \
  X(rocksdb_iter_key) \
  X(rocksdb_iter_next) \
  X(rocksdb_iter_seek) \
  X(rocksdb_iter_valid) \
  X(rocksdb_iter_value) \
  X(rocksdb_open) \
  X(rocksdb_open_for_read_only) \
  X(rocksdb_options_create) \
  X(rocksdb_options_destroy) \
  X(rocksdb_options_set_create_if_missing) \
  X(rocksdb_options_set_keep_log_file_num) \
  X(rocksdb_put) \
  X(rocksdb_readoptions_create) \
  X(rocksdb_readoptions_destroy) \
  X(rocksdb_writeoptions_create) \
  X(rocksdb_writeoptions_destroy)

typedef struct {
#define KV_ROCKSDB_FIELD(name) __typeof__(name) *name;
  KV_ROCKSDB_FUNCTIONS(KV_ROCKSDB_FIELD)
#undef KV_ROCKSDB_FIELD
} kv_rocksdb_api;

extern kv_rocksdb_api kv_rocksdb;

/* Loads RocksDB once per process (thread-safe); NULL, or an error naming the library and why
 * it could not be loaded. Call before any rocksdb_* below. */
wl_error *kv_rocksdb_load(void);

#ifndef KV_ROCKSDB_TABLE
#define rocksdb_close (kv_rocksdb.rocksdb_close)
#define rocksdb_create_iterator (kv_rocksdb.rocksdb_create_iterator)
#define rocksdb_delete (kv_rocksdb.rocksdb_delete)
#define rocksdb_free (kv_rocksdb.rocksdb_free)
#define rocksdb_get (kv_rocksdb.rocksdb_get)
#define rocksdb_iter_destroy (kv_rocksdb.rocksdb_iter_destroy)
#define rocksdb_iter_get_error (kv_rocksdb.rocksdb_iter_get_error)
#define rocksdb_iter_key (kv_rocksdb.rocksdb_iter_key)
#define rocksdb_iter_next (kv_rocksdb.rocksdb_iter_next)
#define rocksdb_iter_seek (kv_rocksdb.rocksdb_iter_seek)
#define rocksdb_iter_valid (kv_rocksdb.rocksdb_iter_valid)
#define rocksdb_iter_value (kv_rocksdb.rocksdb_iter_value)
#define rocksdb_open (kv_rocksdb.rocksdb_open)
#define rocksdb_open_for_read_only (kv_rocksdb.rocksdb_open_for_read_only)
#define rocksdb_options_create (kv_rocksdb.rocksdb_options_create)
#define rocksdb_options_destroy (kv_rocksdb.rocksdb_options_destroy)
#define rocksdb_options_set_create_if_missing (kv_rocksdb.rocksdb_options_set_create_if_missing)
#define rocksdb_options_set_keep_log_file_num (kv_rocksdb.rocksdb_options_set_keep_log_file_num)
#define rocksdb_put (kv_rocksdb.rocksdb_put)
#define rocksdb_readoptions_create (kv_rocksdb.rocksdb_readoptions_create)
#define rocksdb_readoptions_destroy (kv_rocksdb.rocksdb_readoptions_destroy)
#define rocksdb_writeoptions_create (kv_rocksdb.rocksdb_writeoptions_create)
#define rocksdb_writeoptions_destroy (kv_rocksdb.rocksdb_writeoptions_destroy)
#endif

#endif
