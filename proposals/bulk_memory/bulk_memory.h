/* bulk-memory runtime helpers, shared by every backend (the interpreter calls them, JIT and AOT
 * code calls them through their addresses). Each returns false after recording the trap in ex
 * (out of bounds memory/table access), true on success. Arguments are the raw i32 operands. */
#ifndef WL_PROPOSAL_BULK_MEMORY_H
#define WL_PROPOSAL_BULK_MEMORY_H
#include "engine/runtime/runtime.h"

/* Memory operands are 64-bit so that one helper serves i32 memories (zero-extended operands)
 * and i64 ones (memory64); with multi-memory, copy names both memories and init its target. */
bool wl_bulk_memory_copy(wl_exec *ex, wl_memory *dst_mem, wl_memory *src_mem, uint64_t dst,
                         uint64_t src, uint64_t n);
bool wl_bulk_memory_fill(wl_exec *ex, wl_memory *m, uint64_t dst, uint32_t value, uint64_t n);
bool wl_bulk_memory_init(wl_exec *ex, wl_instance *inst, uint32_t memory_index,
                         uint32_t data_index, uint64_t dst, uint32_t src, uint32_t n);
void wl_bulk_data_drop(wl_instance *inst, uint32_t data_index);
bool wl_bulk_table_init(wl_exec *ex, wl_instance *inst, uint32_t table_index,
                        uint32_t elem_index, uint32_t dst, uint32_t src, uint32_t n);
void wl_bulk_elem_drop(wl_instance *inst, uint32_t elem_index);
bool wl_bulk_table_copy(wl_exec *ex, wl_table *dst_table, wl_table *src_table, uint32_t dst,
                        uint32_t src, uint32_t n);
#endif
