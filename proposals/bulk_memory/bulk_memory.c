/* bulk-memory runtime helpers. Bounds are checked in 64-bit arithmetic (offset + n cannot
 * wrap); n == 0 exactly at the end is in bounds. A dropped segment has length 0, so only
 * zero-length accesses at offset 0 succeed on it, as the spec requires. An access in bounds
 * is then charged its length (metering, wl_charge_items) before anything moves. */
#include <stdlib.h>
#include <string.h>

#include "proposals/bulk_memory/bulk_memory.h"

/* [offset, offset + n) within size, without overflow for 64-bit operands. */
static bool in_bounds(uint64_t offset, uint64_t n, uint64_t size) {
  return offset <= size && n <= size - offset;
}

bool wl_bulk_memory_copy(wl_exec *ex, wl_memory *dst_mem, wl_memory *src_mem, uint64_t dst,
                         uint64_t src, uint64_t n) {
  if (!in_bounds(src, n, src_mem->size) || !in_bounds(dst, n, dst_mem->size))
    return wl_trap(ex, WL_TRAP_MEMORY_OOB);
  if (!wl_charge_items(ex, WL_OP_MEMORY_COPY, n)) return false;
  /* overlapping ranges (in one memory) copy as if via a buffer */
  memmove(dst_mem->base + dst, src_mem->base + src, n);
  return true;
}

bool wl_bulk_memory_fill(wl_exec *ex, wl_memory *m, uint64_t dst, uint32_t value, uint64_t n) {
  if (!in_bounds(dst, n, m->size)) return wl_trap(ex, WL_TRAP_MEMORY_OOB);
  if (!wl_charge_items(ex, WL_OP_MEMORY_FILL, n)) return false;
  memset(m->base + dst, (int)(value & 0xFF), n);
  return true;
}

bool wl_bulk_memory_init(wl_exec *ex, wl_instance *inst, uint32_t memory_index,
                         uint32_t data_index, uint64_t dst, uint32_t src, uint32_t n) {
  wl_memory *m = inst->memories[memory_index];
  uint32_t len = inst->data_len[data_index];
  if (!m || !in_bounds(src, n, len) || !in_bounds(dst, n, m->size))
    return wl_trap(ex, WL_TRAP_MEMORY_OOB);
  if (!wl_charge_items(ex, WL_OP_MEMORY_INIT, n)) return false;
  if (n) memcpy(m->base + dst, inst->module->desc->datas[data_index].bytes + src, n);
  return true;
}

void wl_bulk_data_drop(wl_instance *inst, uint32_t data_index) {
  inst->data_len[data_index] = 0;
}

bool wl_bulk_table_init(wl_exec *ex, wl_instance *inst, uint32_t table_index,
                        uint32_t elem_index, uint32_t dst, uint32_t src, uint32_t n) {
  wl_table *t = inst->tables[table_index];
  if (!in_bounds(src, n, inst->elem_count[elem_index]) || !in_bounds(dst, n, t->size))
    return wl_trap(ex, WL_TRAP_TABLE_OOB);
  if (!wl_charge_items(ex, WL_OP_TABLE_INIT, n)) return false;
  if (n) memcpy(t->elems + dst, inst->elem_refs[elem_index] + src, n * sizeof(wl_slot));
  return true;
}

/* The refs are freed now: a dropped segment is never read again. */
void wl_bulk_elem_drop(wl_instance *inst, uint32_t elem_index) {
  free(inst->elem_refs[elem_index]);
  inst->elem_refs[elem_index] = NULL;
  inst->elem_count[elem_index] = 0;
}

bool wl_bulk_table_copy(wl_exec *ex, wl_table *dst_table, wl_table *src_table, uint32_t dst,
                        uint32_t src, uint32_t n) {
  if (!in_bounds(src, n, src_table->size) || !in_bounds(dst, n, dst_table->size))
    return wl_trap(ex, WL_TRAP_TABLE_OOB);
  if (!wl_charge_items(ex, WL_OP_TABLE_COPY, n)) return false;
  if (n) memmove(dst_table->elems + dst, src_table->elems + src, n * sizeof(wl_slot));
  return true;
}
