/* Loading RocksDB on first use (rocksdb_lib.h says why). The library's soname comes from the
 * build (CMake reads it off the library it found), so the loaded RocksDB is the one the
 * headers describe. */
#define KV_ROCKSDB_TABLE 1
#include "engine/hostmods/rocksdb_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#ifndef WL_ROCKSDB_SONAME
#error "the build defines WL_ROCKSDB_SONAME (CMakeLists.txt)"
#endif

kv_rocksdb_api kv_rocksdb;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_failure[512];  /* empty: loaded */

static void load(void) {
  void *dl = dlopen(WL_ROCKSDB_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!dl) {
    snprintf(load_failure, sizeof load_failure, "%s", dlerror());
    return;
  }
#define KV_ROCKSDB_BIND(name)                                                          \
  *(void **)&kv_rocksdb.name = dlsym(dl, #name);                                       \
  if (!kv_rocksdb.name) {                                                              \
    snprintf(load_failure, sizeof load_failure, "%s has no %s", WL_ROCKSDB_SONAME, #name); \
    return;                                                                            \
  }
  KV_ROCKSDB_FUNCTIONS(KV_ROCKSDB_BIND)
#undef KV_ROCKSDB_BIND
}

wl_error *kv_rocksdb_load(void) {
  pthread_once(&load_once, load);
  if (!load_failure[0]) return NULL;
  return wl_error_new(WL_ERR_IO, "kv: cannot load RocksDB (%s): %s", WL_ROCKSDB_SONAME,
                      load_failure);
}
