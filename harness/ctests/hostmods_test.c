/* C-level tests of the host modules (engine/include/wasmlab_hostmods.h) on every backend the
 * build has: grants are per instance (per linker), an ungranted host module fails to link with
 * an error naming the grant, and the RocksDB store's open errors (locked, missing) and views
 * (namespace, read-only) behave as documented. Exit status 0 when every check passes. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/include/wasmlab_hostmods.h"
#include "harness/ctests/check.h"

/* (import "wasmedge_process" "wasmedge_process_{set_prog_name,add_arg,run,get_stdout_len,
 * get_stdout}") (memory (export "memory") 1) (data (i32.const 0) "echo") (data (i32.const 16)
 * "hi"); (func (export "run_echo") (result i32)): runs `echo hi`, stores the stdout length at
 * 60 and the stdout at 64, returns the exit code. */
static const uint8_t proc_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0e, 0x03, 0x60, 0x02, 0x7f,
    0x7f, 0x00, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x02, 0xe9, 0x01, 0x05,
    0x10, 0x77, 0x61, 0x73, 0x6d, 0x65, 0x64, 0x67, 0x65, 0x5f, 0x70, 0x72, 0x6f, 0x63,
    0x65, 0x73, 0x73, 0x1e, 0x77, 0x61, 0x73, 0x6d, 0x65, 0x64, 0x67, 0x65, 0x5f, 0x70,
    0x72, 0x6f, 0x63, 0x65, 0x73, 0x73, 0x5f, 0x73, 0x65, 0x74, 0x5f, 0x70, 0x72, 0x6f,
    0x67, 0x5f, 0x6e, 0x61, 0x6d, 0x65, 0x00, 0x00, 0x10, 0x77, 0x61, 0x73, 0x6d, 0x65,
    0x64, 0x67, 0x65, 0x5f, 0x70, 0x72, 0x6f, 0x63, 0x65, 0x73, 0x73, 0x18, 0x77, 0x61,
    0x73, 0x6d, 0x65, 0x64, 0x67, 0x65, 0x5f, 0x70, 0x72, 0x6f, 0x63, 0x65, 0x73, 0x73,
    0x5f, 0x61, 0x64, 0x64, 0x5f, 0x61, 0x72, 0x67, 0x00, 0x00, 0x10, 0x77, 0x61, 0x73,
    0x6d, 0x65, 0x64, 0x67, 0x65, 0x5f, 0x70, 0x72, 0x6f, 0x63, 0x65, 0x73, 0x73, 0x14,
    0x77, 0x61, 0x73, 0x6d, 0x65, 0x64, 0x67, 0x65, 0x5f, 0x70, 0x72, 0x6f, 0x63, 0x65,
    0x73, 0x73, 0x5f, 0x72, 0x75, 0x6e, 0x00, 0x01, 0x10, 0x77, 0x61, 0x73, 0x6d, 0x65,
    0x64, 0x67, 0x65, 0x5f, 0x70, 0x72, 0x6f, 0x63, 0x65, 0x73, 0x73, 0x1f, 0x77, 0x61,
    0x73, 0x6d, 0x65, 0x64, 0x67, 0x65, 0x5f, 0x70, 0x72, 0x6f, 0x63, 0x65, 0x73, 0x73,
    0x5f, 0x67, 0x65, 0x74, 0x5f, 0x73, 0x74, 0x64, 0x6f, 0x75, 0x74, 0x5f, 0x6c, 0x65,
    0x6e, 0x00, 0x01, 0x10, 0x77, 0x61, 0x73, 0x6d, 0x65, 0x64, 0x67, 0x65, 0x5f, 0x70,
    0x72, 0x6f, 0x63, 0x65, 0x73, 0x73, 0x1b, 0x77, 0x61, 0x73, 0x6d, 0x65, 0x64, 0x67,
    0x65, 0x5f, 0x70, 0x72, 0x6f, 0x63, 0x65, 0x73, 0x73, 0x5f, 0x67, 0x65, 0x74, 0x5f,
    0x73, 0x74, 0x64, 0x6f, 0x75, 0x74, 0x00, 0x02, 0x03, 0x02, 0x01, 0x01, 0x05, 0x03,
    0x01, 0x00, 0x01, 0x07, 0x15, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02,
    0x00, 0x08, 0x72, 0x75, 0x6e, 0x5f, 0x65, 0x63, 0x68, 0x6f, 0x00, 0x05, 0x0a, 0x24,
    0x01, 0x22, 0x01, 0x01, 0x7f, 0x41, 0x00, 0x41, 0x04, 0x10, 0x00, 0x41, 0x10, 0x41,
    0x02, 0x10, 0x01, 0x10, 0x02, 0x21, 0x00, 0x41, 0x3c, 0x10, 0x03, 0x36, 0x02, 0x00,
    0x41, 0xc0, 0x00, 0x10, 0x04, 0x20, 0x00, 0x0b, 0x0b, 0x11, 0x02, 0x00, 0x41, 0x00,
    0x0b, 0x04, 0x65, 0x63, 0x68, 0x6f, 0x00, 0x41, 0x10, 0x0b, 0x02, 0x68, 0x69};

/* (import "wasmlab_kv" "put"/"get") (memory (export "memory") 1) (data (i32.const 0) "key")
 * (data (i32.const 16) "value"); "put" -> put(key, "value"); "get" -> get(key) into 64
 * (capacity 32), the length at 60; both return the status. */
static const uint8_t kv_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x16, 0x03, 0x60, 0x04, 0x7f,
    0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f,
    0x60, 0x00, 0x01, 0x7f, 0x02, 0x23, 0x02, 0x0a, 0x77, 0x61, 0x73, 0x6d, 0x6c, 0x61,
    0x62, 0x5f, 0x6b, 0x76, 0x03, 0x70, 0x75, 0x74, 0x00, 0x00, 0x0a, 0x77, 0x61, 0x73,
    0x6d, 0x6c, 0x61, 0x62, 0x5f, 0x6b, 0x76, 0x03, 0x67, 0x65, 0x74, 0x00, 0x01, 0x03,
    0x03, 0x02, 0x02, 0x02, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x16, 0x03, 0x06, 0x6d,
    0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x03, 0x70, 0x75, 0x74, 0x00, 0x02, 0x03,
    0x67, 0x65, 0x74, 0x00, 0x03, 0x0a, 0x1e, 0x02, 0x0c, 0x00, 0x41, 0x00, 0x41, 0x03,
    0x41, 0x10, 0x41, 0x05, 0x10, 0x00, 0x0b, 0x0f, 0x00, 0x41, 0x00, 0x41, 0x03, 0x41,
    0xc0, 0x00, 0x41, 0x20, 0x41, 0x3c, 0x10, 0x01, 0x0b, 0x0b, 0x13, 0x02, 0x00, 0x41,
    0x00, 0x0b, 0x03, 0x6b, 0x65, 0x79, 0x00, 0x41, 0x10, 0x0b, 0x05, 0x76, 0x61, 0x6c,
    0x75, 0x65};

enum { KV_OK = 0, KV_NOT_FOUND = 1, KV_READ_ONLY = 3 };

static bool contains(const wl_error *e, const char *text) {
  return e && strstr(wl_error_message(e), text) != NULL;
}

static wl_module *load(wl_engine *engine, const uint8_t *bytes, size_t len) {
  wl_module *m = NULL;
  wl_error *e = wl_module_new(engine, bytes, len, &m);
  CHECK(e == NULL);
  wl_error_delete(e);
  return m;
}

/* Calls the export `name` () -> i32 of `inst`; -1000 when the call fails. */
static int32_t call(wl_store *s, wl_instance *inst, const char *name) {
  wl_extern f;
  wl_val result = wl_val_i32(0);
  if (!wl_instance_export(inst, name, &f)) return -1000;
  wl_error *e = wl_func_call(s, f.of.func, NULL, 0, &result, 1);
  CHECK(e == NULL);
  wl_error_delete(e);
  return e ? -1000 : result.of.i32;
}

static uint8_t *memory_of(wl_instance *inst) {
  wl_extern m;
  return wl_instance_export(inst, "memory", &m) ? wl_memory_data(m.of.memory) : NULL;
}

/* Instantiates `m` through a fresh linker that `grant` prepares; NULL (error checked by the
 * caller through *err) when linking fails. */
static wl_instance *link_with(wl_store *s, wl_module *m, wl_error **err,
                              wl_error *(*grant)(wl_linker *, void *), void *arg) {
  wl_linker *l = wl_linker_new(s);
  wl_instance *inst = NULL;
  *err = grant ? grant(l, arg) : NULL;
  if (!*err) *err = wl_linker_instantiate(l, m, &inst);
  wl_linker_delete(l);
  return inst;
}

static wl_error *grant_process(wl_linker *l, void *p) { return wl_linker_define_process(l, p); }

static void test_process_grants(wl_engine *engine) {
  wl_store *s = wl_store_new(engine);
  wl_module *m = load(engine, proc_wasm, sizeof proc_wasm);
  wl_error *e;
  CHECK(link_with(s, m, &e, NULL, NULL) == NULL);
  CHECK(e && wl_error_kind_of(e) == WL_ERR_UNLINKABLE);
  CHECK(contains(e, "host module \"wasmedge_process\" was not granted"));
  CHECK(contains(e, "wl_linker_define_process"));
  wl_error_delete(e);

  /* Two instances of one module in one store, each with its own allow list. */
  const char *echo[] = {"echo"}, *ls[] = {"ls"};
  wl_process *may_echo = NULL, *may_ls = NULL;
  CHECK(wl_process_new(&(wl_process_options){echo, 1, false}, &may_echo) == NULL);
  CHECK(wl_process_new(&(wl_process_options){ls, 1, false}, &may_ls) == NULL);
  wl_instance *a = link_with(s, m, &e, grant_process, may_echo);
  CHECK(a && !e);
  wl_instance *b = link_with(s, m, &e, grant_process, may_ls);
  CHECK(b && !e);
  if (a && b) {
    CHECK(call(s, a, "run_echo") == 0);
    uint8_t *mem = memory_of(a);
    CHECK(mem && mem[60] == 3 && memcmp(mem + 64, "hi\n", 3) == 0);
    CHECK(call(s, b, "run_echo") == -1);  /* echo is not on b's list */
    CHECK(memory_of(b)[60] == 0);
  }
  wl_store_delete(s);
  wl_process_delete(may_echo);
  wl_process_delete(may_ls);
  wl_module_delete(m);
}

typedef struct {
  wl_kv_store *store;
  const char *ns;
  bool write;
} kv_grant;

static wl_error *grant_kv(wl_linker *l, void *arg) {
  kv_grant *g = arg;
  return wl_linker_define_kv(l, g->store, g->ns, g->write);
}

/* One instance per view: the status of put, then of get (and the value it found). */
static void check_view(wl_store *s, wl_module *m, kv_grant g, int32_t put, int32_t get) {
  wl_error *e;
  wl_instance *inst = link_with(s, m, &e, grant_kv, &g);
  CHECK(inst && !e);
  wl_error_delete(e);
  if (!inst) return;
  CHECK(call(s, inst, "put") == put);
  CHECK(call(s, inst, "get") == get);
  if (get == KV_OK) CHECK(memory_of(inst)[60] == 5 && memcmp(memory_of(inst) + 64, "value", 5) == 0);
}

static void test_kv(wl_engine *engine, const char *dir) {
  wl_store *s = wl_store_new(engine);
  wl_module *m = load(engine, kv_wasm, sizeof kv_wasm);
  wl_kv_store *missing = NULL, *writer = NULL, *second = NULL, *reader = NULL;
  wl_error *e = wl_kv_store_open(dir, false, &missing);
  CHECK(contains(e, "no store at") && wl_error_kind_of(e) == WL_ERR_IO);
  wl_error_delete(e);
  CHECK(wl_kv_store_open(dir, true, &writer) == NULL);
  e = wl_kv_store_open(dir, true, &second);
  CHECK(contains(e, "is locked") && wl_error_kind_of(e) == WL_ERR_IO);
  wl_error_delete(e);

  CHECK(link_with(s, m, &e, NULL, NULL) == NULL);
  CHECK(contains(e, "host module \"wasmlab_kv\" was not granted"));
  CHECK(contains(e, "wl_linker_define_kv"));
  wl_error_delete(e);
  wl_linker *l = wl_linker_new(s);
  e = wl_linker_define_kv(l, writer, "no spaces", false);
  CHECK(e && wl_error_kind_of(e) == WL_ERR_ARGUMENT);
  wl_error_delete(e);
  wl_linker_delete(l);

  /* The linker's allow rules narrow a grant further: only "get" may be imported here. */
  l = wl_linker_new(s);
  wl_instance *narrowed = NULL;
  CHECK(wl_linker_define_kv(l, writer, "a", true) == NULL);
  wl_linker_allow(l, "wasmlab_kv", "get");
  e = wl_linker_instantiate(l, m, &narrowed);
  CHECK(narrowed == NULL && contains(e, "import \"wasmlab_kv\" \"put\" not permitted"));
  wl_error_delete(e);
  wl_linker_delete(l);

  check_view(s, m, (kv_grant){writer, "a", true}, KV_OK, KV_OK);
  check_view(s, m, (kv_grant){writer, "a", false}, KV_READ_ONLY, KV_OK);
  check_view(s, m, (kv_grant){writer, "b", false}, KV_READ_ONLY, KV_NOT_FOUND);
  check_view(s, m, (kv_grant){writer, NULL, false}, KV_READ_ONLY, KV_NOT_FOUND);
  wl_store_delete(s);
  wl_kv_store_close(writer);

  /* Reopened read-only: the data persisted; write access cannot be granted. */
  s = wl_store_new(engine);
  CHECK(wl_kv_store_open(dir, false, &reader) == NULL);
  l = wl_linker_new(s);
  e = wl_linker_define_kv(l, reader, "a", true);
  CHECK(contains(e, "needs a store opened for writing"));
  wl_error_delete(e);
  wl_linker_delete(l);
  check_view(s, m, (kv_grant){reader, "a", false}, KV_READ_ONLY, KV_OK);
  wl_store_delete(s);
  wl_kv_store_close(reader);
  wl_module_delete(m);
}

static void remove_tree(const char *dir) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
}

int main(void) {
  const wl_backend_kind backends[] = {WL_BACKEND_INTERP, WL_BACKEND_JIT, WL_BACKEND_AOT};
  for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++) {
    if (!wl_backend_available(backends[i])) continue;
    printf("backend %s\n", wl_backend_name(backends[i]));
    wl_config *c = wl_config_new();
    wl_engine *engine = NULL;
    CHECK(wl_config_set_backend(c, backends[i]) == NULL);
    CHECK(wl_engine_new(c, &engine) == NULL);
    wl_config_delete(c);
    if (!engine) continue;
    char dir[] = "/tmp/wasmlab-kv-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char store[600];
    snprintf(store, sizeof store, "%s/db", dir);
    test_process_grants(engine);
    test_kv(engine, store);
    remove_tree(dir);
    wl_engine_delete(engine);
  }
  return check_summary();
}
