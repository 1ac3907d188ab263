/* The runtime side of generated code: the entry trampoline (every AOT function's
 * wl_func.entry, an invoke boundary of the shared native runtime) and the runtime table that
 * artifacts reach the engine through. */
#include "backends/aot/aot.h"
#include "proposals/bulk_memory/bulk_memory.h"
#include "proposals/multi_memory/multi_memory.h"
#include "proposals/reference_types/reference_types.h"

static void run_entry(wl_exec *ex, wl_func *f, wl_slot *io) {
  const aot_func_ptrs *fp = f->code;
  fp->entry(ex, f->instance, io);
}

bool aot_entry_trampoline(wl_exec *ex, wl_func *f, wl_slot *io) {
  return wl_native_boundary(ex, f, io, run_entry);
}

void aot_fill_rt_table(void **rt) {
  rt[AOT_RT_TRAP] = (void *)aot_trap_at;
  rt[AOT_RT_RAISE] = (void *)aot_raise;
  rt[AOT_RT_CALL] = (void *)wl_call;
  rt[AOT_RT_INDIRECT_TARGET] = (void *)wl_indirect_target;
  rt[AOT_RT_MEMORY_GROW] = (void *)wl_memory_grow_pages;
  rt[AOT_RT_ENTRY] = (void *)aot_entry_trampoline;
  rt[AOT_RT_MEMORY_COPY] = (void *)wl_bulk_memory_copy;
  rt[AOT_RT_MEMORY_FILL] = (void *)wl_bulk_memory_fill;
  rt[AOT_RT_MEMORY_INIT] = (void *)wl_bulk_memory_init;
  rt[AOT_RT_DATA_DROP] = (void *)wl_bulk_data_drop;
  rt[AOT_RT_TABLE_INIT] = (void *)wl_bulk_table_init;
  rt[AOT_RT_ELEM_DROP] = (void *)wl_bulk_elem_drop;
  rt[AOT_RT_TABLE_COPY] = (void *)wl_bulk_table_copy;
  rt[AOT_RT_TABLE_GET] = (void *)wl_ref_table_get;
  rt[AOT_RT_TABLE_SET] = (void *)wl_ref_table_set;
  rt[AOT_RT_TABLE_GROW] = (void *)wl_ref_table_grow;
  rt[AOT_RT_TABLE_FILL] = (void *)wl_ref_table_fill;
  rt[AOT_RT_MEMORY_GROW_ANY] = (void *)wl_memory_grow_any;
}
