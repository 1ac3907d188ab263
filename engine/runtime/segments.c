/* Element and data segment initialisation at instantiation, in the semantics of the engine's
 * feature set:
 *  - Wasm 2.0 (bulk-memory on): segments apply in order as table.init/memory.init followed by
 *    a drop; the first out-of-bounds one traps and the writes before it stay (they may be in
 *    imported tables or memories).
 *  - Wasm 1.0: every active segment is bounds-checked first; if one does not fit the module is
 *    unlinkable and nothing is written. */
#include <string.h>

#include "engine/features.h"
#include "engine/runtime/internal.h"
#include "proposals/bulk_memory/bulk_memory.h"

/* A table's or an i32 memory's offset (an i32 value, zero-extended in its slot). */
static uint32_t offset_of(const wl_instance *inst, const wl_constexpr *e) {
  return (uint32_t)wl_eval_const(inst, e);
}

/* A data segment's offset: i32, or i64 for an i64 memory (memory64). */
static uint64_t data_offset(const wl_instance *inst, const wl_dataseg *seg) {
  uint64_t v = wl_eval_const(inst, &seg->offset);
  return inst->memories[seg->memory_index]->is64 ? v : (uint32_t)v;
}

/* Segment traps become an instantiation failure that keeps the trap kind and wording, and
 * names the segment after it. */
static wl_error *uninstantiable(wl_exec *ex, const char *kind, uint32_t index) {
  wl_error *e = ex->error;
  ex->error = NULL;
  if (e && e->kind == WL_ERR_TRAP) e->kind = WL_ERR_UNINSTANTIABLE;
  return wl_error_append(e, " (%s segment %u)", kind, index);
}

static wl_error *init_elems_v2(wl_exec *ex, wl_instance *inst) {
  const wl_moddesc *d = inst->module->desc;
  for (uint32_t i = 0; i < d->nelems; i++) {
    const wl_elemseg *seg = &d->elems[i];
    if (seg->mode == WL_SEG_ACTIVE &&
        !wl_bulk_table_init(ex, inst, seg->table_index, i, offset_of(inst, &seg->offset), 0,
                            inst->elem_count[i]))
      return uninstantiable(ex, "elem", i);
    if (seg->mode != WL_SEG_PASSIVE) wl_bulk_elem_drop(inst, i);
  }
  return NULL;
}

static wl_error *init_datas_v2(wl_exec *ex, wl_instance *inst) {
  const wl_moddesc *d = inst->module->desc;
  for (uint32_t i = 0; i < d->ndatas; i++) {
    const wl_dataseg *seg = &d->datas[i];
    if (seg->mode != WL_SEG_ACTIVE) continue;
    if (!wl_bulk_memory_init(ex, inst, seg->memory_index, i, data_offset(inst, seg), 0,
                             inst->data_len[i]))
      return uninstantiable(ex, "data", i);
    wl_bulk_data_drop(inst, i);
  }
  return NULL;
}

static bool fits(uint64_t offset, uint64_t n, uint64_t size) {
  return offset <= size && n <= size - offset;
}

static wl_error *check_fit_v1(const wl_instance *inst) {
  const wl_moddesc *d = inst->module->desc;
  for (uint32_t i = 0; i < d->nelems; i++) {
    const wl_elemseg *seg = &d->elems[i];
    if (seg->mode == WL_SEG_ACTIVE &&
        !fits(offset_of(inst, &seg->offset), seg->count, inst->tables[seg->table_index]->size))
      return wl_err(WL_ERR_UNLINKABLE, "elements segment does not fit (elem segment %u)", i);
  }
  for (uint32_t i = 0; i < d->ndatas; i++) {
    const wl_dataseg *seg = &d->datas[i];
    if (seg->mode == WL_SEG_ACTIVE &&
        !fits(data_offset(inst, seg), seg->len, inst->memories[seg->memory_index]->size))
      return wl_err(WL_ERR_UNLINKABLE, "data segment does not fit (data segment %u)", i);
  }
  return NULL;
}

static void write_all_v1(wl_instance *inst) {
  const wl_moddesc *d = inst->module->desc;
  for (uint32_t i = 0; i < d->nelems; i++) {
    const wl_elemseg *seg = &d->elems[i];
    if (seg->mode != WL_SEG_ACTIVE || !seg->count) continue;
    wl_table *t = inst->tables[seg->table_index];
    memcpy(t->elems + offset_of(inst, &seg->offset), inst->elem_refs[i],
           seg->count * sizeof(wl_slot));
  }
  for (uint32_t i = 0; i < d->ndatas; i++) {
    const wl_dataseg *seg = &d->datas[i];
    if (seg->mode != WL_SEG_ACTIVE || !seg->len) continue;
    memcpy(inst->memories[seg->memory_index]->base + data_offset(inst, seg), seg->bytes,
           seg->len);
  }
}

wl_error *wl_init_segments(wl_instance *inst) {
  uint32_t features = inst->module->engine->config.features;
  if (!wl_has_feature(features, BULK_MEMORY_INDEX)) {
    wl_error *e = check_fit_v1(inst);
    if (!e) write_all_v1(inst);
    return e;
  }
  wl_exec ex = {.store = inst->store};  /* only collects a trap; runs no code */
  wl_error *e = init_elems_v2(&ex, inst);
  return e ? e : init_datas_v2(&ex, inst);
}
