/* The wasm.h implementation's private layouts. Every wasm.h reference (func, global, table,
 * memory, extern, instance, module, foreign, trap, ref) is one `struct wasm_ref_t` handle, so
 * the as_ref/as_extern conversions return the same pointer and one delete frees any of them.
 * A handle names an object; objects live in the wasmlab store (or, for modules and traps, in
 * records of their own) and several handles may name one object. */
#ifndef WLC_CAPI_H
#define WLC_CAPI_H

#include "engine/include/wasm.h"
#include "engine/include/wasmlab.h"
#include "engine/include/wasmlab_wasm.h"

typedef enum {
  WLC_FUNC, WLC_GLOBAL, WLC_TABLE, WLC_MEMORY,  /* the extern kinds */
  WLC_FOREIGN, WLC_INSTANCE, WLC_MODULE, WLC_TRAP,
} wlc_kind;

typedef struct {
  void *info;
  void (*finalizer)(void *);
} wlc_host_info;

/* An instance: counted by its wasm_instance_t handles and the extern handles of its exports.
 * At zero the wasmlab instance is released early unless references may have escaped. */
typedef struct wlc_instance {
  wl_instance *inst;
  wasm_store_t *store;
  uint32_t handles;
  wlc_host_info host;
  struct wlc_instance *prev, *next;  /* the store's live instances */
} wlc_instance;

/* A module, shared by its handles (in any store of the engine). */
typedef struct {
  wl_module *m;
  wasm_engine_t *engine;
  uint32_t handles;
  wlc_host_info host;
  uint8_t *bytes;                    /* the binary, for serialization */
  size_t len;
} wlc_module;

/* A foreign object; its address is the externref payload wasm code carries around. */
typedef struct wlc_foreign {
  wlc_host_info host;
  struct wlc_foreign *next;          /* the store's foreign objects */
} wlc_foreign;

typedef struct {
  char *message;                     /* NUL-terminated */
  wl_error_kind kind;
  wl_trap_kind trap;
  int exit_code;
  wlc_host_info host;
  struct wasm_frame_t *frames;       /* the trap's backtrace, innermost first */
  size_t nframes;
} wlc_trap;

struct wasm_valtype_t {
  wasm_valkind_t kind;
};

/* Every type of extern is this one layout; the specific type structs wrap it. */
struct wasm_externtype_t {
  wasm_externkind_t kind;
  wasm_valtype_vec_t params, results;  /* func */
  wasm_valtype_t *content;             /* global value, table element */
  wasm_mutability_t mutability;        /* global */
  wasm_limits_t limits;                /* table, memory */
};
struct wasm_functype_t { wasm_externtype_t x; };
struct wasm_globaltype_t { wasm_externtype_t x; };
struct wasm_tabletype_t { wasm_externtype_t x; };
struct wasm_memorytype_t { wasm_externtype_t x; };

struct wasm_importtype_t {
  wasm_name_t module, name;
  wasm_externtype_t *type;
};

struct wasm_exporttype_t {
  wasm_name_t name;
  wasm_externtype_t *type;
};

/* wasmlab records no stack traces, so no frame is ever made; the type exists for the API. */
struct wasm_frame_t {
  wasm_instance_t *instance;
  uint32_t func_index;
  size_t func_offset, module_offset;
};

struct wasm_ref_t {
  wlc_kind kind;
  wasm_store_t *store;               /* NULL for modules and traps */
  wlc_instance *owner;               /* counted instance keeping the object alive, or NULL */
  union {
    wl_func *func;
    wl_global *global;
    wl_table *table;
    wl_memory *memory;
    wlc_foreign *foreign;
    wlc_instance *instance;
    wlc_module *module;
    wlc_trap *trap;
  } of;
};

/* Host info of store objects that have no record of their own (func, global, table, memory),
 * keyed by the wasmlab object's address. */
typedef struct wlc_info_entry {
  const void *key;
  wlc_host_info host;
  struct wlc_info_entry *next;
} wlc_info_entry;

#define WLC_INFO_BUCKETS 64

struct wasm_config_t {
  wl_config *c;
};

struct wasm_engine_t {
  wl_engine *e;
};

struct wasm_store_t {
  wl_store *s;
  wasm_engine_t *engine;
  /* Set once a funcref crossed the API (table/global access, call arguments or results):
   * from then on no instance of this store is released before the store, since the host
   * or a host-made table may still reach its functions. */
  bool funcrefs_escaped;
  wlc_instance *instances;
  wlc_foreign *foreigns;
  wlc_info_entry *info[WLC_INFO_BUCKETS];
  wl_linker *wasi_linker;            /* wasmlab_wasi_set */
  wl_wasi *wasi;
};

/* Handles (ref.c). */
wasm_ref_t *wlc_handle_new(wlc_kind kind, wasm_store_t *s);
wasm_ref_t *wlc_extern_handle(wasm_store_t *s, wl_extern x, wlc_instance *owner);
bool wlc_to_extern(const wasm_ref_t *r, wl_extern *out);
void wlc_instance_release(wlc_instance *i);
void wlc_host_info_finalize(wlc_host_info *h);
void wlc_store_release_objects(wasm_store_t *s);

/* Values (value.c): conversions to and from wasmlab values. A reference converted from wasm
 * is a new owned handle; a converted-to reference must be of the expected kind. */
wasm_valkind_t wlc_valkind_from_wl(uint8_t wl_kind);
uint8_t wlc_valkind_to_wl(wasm_valkind_t k);
void wlc_val_from_wl(wasm_store_t *s, const wl_val *in, wasm_val_t *out);
bool wlc_val_to_wl(wasm_store_t *s, const wasm_val_t *in, uint8_t wl_kind, wl_val *out);
bool wlc_ref_to_wl(wasm_store_t *s, const wasm_ref_t *r, uint8_t wl_kind, wl_val *out);

/* Types (types.c). */
wasm_externtype_t *wlc_externtype_from_wl(const wl_extern_type *t);
wasm_functype_t *wlc_functype_from_wl(const wl_extern_type *t);
/* The signature of `t`; *kinds is allocated (params then results) and freed by the caller. */
bool wlc_functype_to_wl(const wasm_functype_t *t, wl_valkind **kinds, wl_signature *sig);

/* The wasmlab module of a module handle (module.c). */
wl_module *wlc_module_of(const wasm_module_t *m);

/* Traps (trap.c): an owned trap from a wasmlab error (consumed) or a message. */
wasm_trap_t *wlc_trap_from_error(wl_error *e);
wasm_trap_t *wlc_trap_from_message(const char *message);

#endif
