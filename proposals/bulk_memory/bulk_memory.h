/* bulk-memory runtime helpers, shared by every backend (the interpreter calls them, JIT and AOT
 * code calls them through their addresses). Each returns false after recording the trap in ex
 * (out of bounds memory/table access), true on success. Arguments are the raw i32 operands. */
#ifndef WL_PROPOSAL_BULK_MEMORY_H
#define WL_PROPOSAL_BULK_MEMORY_H
#include "engine/runtime/runtime.h"

bool wl_bulk_memory_copy(wl_exec *ex, wl_memory *m, uint32_t dst, uint32_t src, uint32_t n);
bool wl_bulk_memory_fill(wl_exec *ex, wl_memory *m, uint32_t dst, uint32_t value, uint32_t n);
bool wl_bulk_memory_init(wl_exec *ex, wl_instance *inst, uint32_t data_index, uint32_t dst,
                         uint32_t src, uint32_t n);
void wl_bulk_data_drop(wl_instance *inst, uint32_t data_index);
bool wl_bulk_table_init(wl_exec *ex, wl_instance *inst, uint32_t table_index,
                        uint32_t elem_index, uint32_t dst, uint32_t src, uint32_t n);
void wl_bulk_elem_drop(wl_instance *inst, uint32_t elem_index);
bool wl_bulk_table_copy(wl_exec *ex, wl_table *dst_table, wl_table *src_table, uint32_t dst,
                        uint32_t src, uint32_t n);
#endif
