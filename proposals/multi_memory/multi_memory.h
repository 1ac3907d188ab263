/* Runtime helpers for memories off a backend's fast path: any memory but memory 0
 * (multi-memory) and any i64 memory (memory64). The fast path caches memory 0's base and size
 * and takes 32-bit addresses; these take the memory and a 64-bit address (an i32 memory's is
 * truncated to 32 bits) and check addr + offset + width in full 64-bit arithmetic. Each
 * returns false after recording "out of bounds memory access" in ex. */
#ifndef WL_PROPOSAL_MULTI_MEMORY_H
#define WL_PROPOSAL_MULTI_MEMORY_H
#include "engine/runtime/runtime.h"

/* Load/store instruction `op` (a wl_opcode) at addr + offset; *out gets the loaded value
 * (an i32 zero-extended in its slot). */
bool wl_memory_load(wl_exec *ex, const wl_memory *m, uint64_t addr, uint64_t offset,
                    uint16_t op, wl_slot *out);
bool wl_memory_store(wl_exec *ex, wl_memory *m, uint64_t addr, uint64_t offset, uint16_t op,
                     wl_slot value);
/* The host address of `width` bytes at addr + offset in m, or NULL after recording "out of
 * bounds memory access" in ex: for accesses the helpers above do not cover (v128). */
uint8_t *wl_memory_span(wl_exec *ex, const wl_memory *m, uint64_t addr, uint64_t offset,
                        unsigned width);
/* An address or size operand of memory `m` as the memory's index type sees it. */
static inline uint64_t wl_memory_operand(const wl_memory *m, wl_slot v) {
  return m->is64 ? v : (uint32_t)v;
}
/* memory.grow of any memory: the old size in pages, or -1 in the memory's index type. */
wl_slot wl_memory_grow_any(wl_memory *m, wl_slot delta);
#endif
