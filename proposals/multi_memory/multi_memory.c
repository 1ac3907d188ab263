#include "proposals/multi_memory/multi_memory.h"

#include <string.h>

#include "engine/opcodes/opcodes.h"

/* The host address of `width` bytes at addr + offset, or NULL when out of bounds. */
static uint8_t *access_at(const wl_memory *m, uint64_t addr, uint64_t offset, unsigned width) {
  addr = wl_memory_operand(m, addr);
  if (offset > m->size || addr > m->size - offset || m->size - offset - addr < width)
    return NULL;
  return m->base + addr + offset;
}

/* Sign-extends the low `bytes` bytes of v. */
static uint64_t sext(uint64_t v, unsigned bytes) {
  unsigned shift = 64 - 8 * bytes;
  return (uint64_t)((int64_t)(v << shift) >> shift);
}

static bool is_signed_load(uint16_t op) {
  switch (op) {
    case WL_OP_I32_LOAD8_S: case WL_OP_I32_LOAD16_S: case WL_OP_I64_LOAD8_S:
    case WL_OP_I64_LOAD16_S: case WL_OP_I64_LOAD32_S: return true;
    default: return false;
  }
}

bool wl_memory_load(wl_exec *ex, const wl_memory *m, uint64_t addr, uint64_t offset,
                    uint16_t op, wl_slot *out) {
  unsigned width = wl_opinfo_table[op].mem_bytes;
  const uint8_t *p = access_at(m, addr, offset, width);
  if (!p) return wl_trap(ex, WL_TRAP_MEMORY_OOB);
  uint64_t v = 0;
  memcpy(&v, p, width);  /* little-endian host: the low bytes */
  if (is_signed_load(op)) v = sext(v, width);
  if (wl_opinfo_table[op].sig[2] == 'i') v = (uint32_t)v;  /* i32 results zero-extend */
  *out = v;
  return true;
}

bool wl_memory_store(wl_exec *ex, wl_memory *m, uint64_t addr, uint64_t offset, uint16_t op,
                     wl_slot value) {
  unsigned width = wl_opinfo_table[op].mem_bytes;
  uint8_t *p = access_at(m, addr, offset, width);
  if (!p) return wl_trap(ex, WL_TRAP_MEMORY_OOB);
  memcpy(p, &value, width);
  return true;
}

uint8_t *wl_memory_span(wl_exec *ex, const wl_memory *m, uint64_t addr, uint64_t offset,
                        unsigned width) {
  uint8_t *p = access_at(m, addr, offset, width);
  if (!p) wl_trap(ex, WL_TRAP_MEMORY_OOB);
  return p;
}

wl_slot wl_memory_grow_any(wl_memory *m, wl_slot delta) {
  int64_t old = wl_memory_grow_pages64(m, wl_memory_operand(m, delta));
  return wl_memory_operand(m, (uint64_t)old);
}
