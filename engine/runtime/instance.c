/* Instantiation and instance lifetime.
 *
 * wl_instance_new: check imports -> build the index spaces (imports, then own functions, tables,
 * memories, globals) -> backend per-instance setup -> evaluate element segments -> register in
 * the store -> segment initialisation -> start function.
 *
 * Once segment initialisation has begun, a failing instance may already have written its own
 * function references into imported tables (the spec keeps those writes), or handed them to the
 * host through imports. Such an instance is kept, dead, until the store goes; one that imported
 * nothing cannot be referenced from outside and is freed at once. */
#include <stdlib.h>

#include "engine/runtime/internal.h"

static void *calloc_n(size_t n, size_t size) { return calloc(n ? n : 1, size); }

static wl_error *out_of_memory(void) { return wl_err(WL_ERR_RESOURCE, "out of memory"); }

static wl_instance *alloc_instance(wl_store *s, wl_module *m) {
  const wl_moddesc *d = m->desc;
  wl_instance_box *box = calloc(1, sizeof *box);
  if (!box) return NULL;
  wl_instance *inst = &box->inst;
  inst->store = s;
  inst->module = m;
  wl_module_retain(m);
  inst->funcs = calloc_n(d->nfuncs, sizeof *inst->funcs);
  inst->tables = calloc_n(d->ntables, sizeof *inst->tables);
  inst->memories = calloc_n(d->nmemories, sizeof *inst->memories);
  inst->globals = calloc_n(d->nglobals, sizeof *inst->globals);
  inst->elem_refs = calloc_n(d->nelems, sizeof *inst->elem_refs);
  inst->elem_count = calloc_n(d->nelems, sizeof *inst->elem_count);
  inst->data_len = calloc_n(d->ndatas, sizeof *inst->data_len);
  if (!inst->funcs || !inst->tables || !inst->memories || !inst->globals || !inst->elem_refs ||
      !inst->elem_count || !inst->data_len) {
    wl_instance_release(inst);
    return NULL;
  }
  return inst;
}

/* Imports come first in every index space, in import order. */
static void bind_imports(wl_instance *inst, const wl_extern *imports) {
  const wl_moddesc *d = inst->module->desc;
  uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
  for (uint32_t i = 0; i < d->nimports; i++) {
    const wl_extern *x = &imports[i];
    switch (x->kind) {
    case WL_EXTERN_FUNC: inst->funcs[nf++] = x->of.func; break;
    case WL_EXTERN_TABLE: inst->tables[nt++] = x->of.table; break;
    case WL_EXTERN_MEMORY: inst->memories[nm++] = x->of.memory; break;
    default: inst->globals[ng++] = x->of.global; break;
    }
  }
}

static wl_error *create_funcs(wl_instance *inst) {
  wl_module *m = inst->module;
  const wl_moddesc *d = m->desc;
  uint32_t ndefined = d->nfuncs - d->nfunc_imports;
  wl_func *own = calloc_n(ndefined, sizeof *own);
  if (!own) return out_of_memory();
  wl_instance_box_of(inst)->own_funcs = own;
  for (uint32_t k = 0; k < ndefined; k++) {
    wl_func *f = &own[k];
    uint32_t index = d->nfunc_imports + k;
    f->type = wl_moddesc_func_type(d, index);
    f->type_id = m->type_ids[d->func_type[index]];
    f->instance = inst;
    f->index = index;
    f->store = inst->store;
    m->backend->bind_func(m->code, f);
    inst->funcs[index] = f;
  }
  return NULL;
}

static wl_error *create_tables(wl_instance *inst) {
  const wl_moddesc *d = inst->module->desc;
  for (uint32_t i = d->ntable_imports; i < d->ntables; i++) {
    wl_error *e = wl_table_create(inst->store, &d->tables[i], 0, inst, &inst->tables[i]);
    if (e) return e;
  }
  return NULL;
}

static wl_error *create_memories(wl_instance *inst) {
  const wl_moddesc *d = inst->module->desc;
  for (uint32_t i = d->nmemory_imports; i < d->nmemories; i++) {
    wl_error *e = wl_memory_create(inst->store, &d->memories[i], inst, &inst->memories[i]);
    if (e) return e;
  }
  inst->mem0 = d->nmemories ? inst->memories[0] : NULL;
  return NULL;
}

/* In order: an initialiser may read imported (and, in 2.0, earlier) globals. */
static wl_error *create_globals(wl_instance *inst) {
  const wl_moddesc *d = inst->module->desc;
  for (uint32_t i = d->nglobal_imports; i < d->nglobals; i++) {
    const wl_globaldef *def = &d->globals[i - d->nglobal_imports];
    wl_slot v[2];
    wl_eval_const_slots(inst, &def->init, v);
    wl_error *e = wl_global_create(inst->store, def->type, v, inst, &inst->globals[i]);
    if (e) return e;
  }
  return NULL;
}

static wl_error *init_backend(wl_instance *inst) {
  wl_module *m = inst->module;
  if (!m->backend->instance_init) return NULL;
  wl_error *e = m->backend->instance_init(m->code, inst);
  if (!e) wl_instance_box_of(inst)->backend_ready = true;
  return e;
}

/* Declarative segments are dropped at once, so they need no refs. */
static wl_error *eval_elem_segments(wl_instance *inst) {
  const wl_moddesc *d = inst->module->desc;
  for (uint32_t i = 0; i < d->nelems; i++) {
    const wl_elemseg *seg = &d->elems[i];
    if (seg->mode == WL_SEG_DECLARATIVE || seg->count == 0) continue;
    wl_slot *refs = malloc(seg->count * sizeof *refs);
    if (!refs) return out_of_memory();
    for (uint32_t j = 0; j < seg->count; j++)
      refs[j] = seg->func_indices ? (uintptr_t)inst->funcs[seg->func_indices[j]]
                                  : wl_eval_const(inst, &seg->exprs[j]);
    inst->elem_refs[i] = refs;
    inst->elem_count[i] = seg->count;
  }
  for (uint32_t i = 0; i < d->ndatas; i++) inst->data_len[i] = d->datas[i].len;
  return NULL;
}

static wl_error *build(wl_instance *inst, const wl_extern *imports) {
  bind_imports(inst, imports);
  wl_error *e = create_funcs(inst);
  if (!e) e = create_tables(inst);
  if (!e) e = create_memories(inst);
  if (!e) e = create_globals(inst);
  if (!e) e = init_backend(inst);
  if (!e) e = eval_elem_segments(inst);
  return e;
}

/* ---------------------------------------------------------------- importer tracking */

/* The instance the k-th imported object came from (counting function imports first, then
 * tables, memories, globals), or NULL for host and API objects. */
static wl_instance *import_owner(const wl_instance *inst, uint32_t k) {
  const wl_moddesc *d = inst->module->desc;
  if (k < d->nfunc_imports) return inst->funcs[k]->instance;
  k -= d->nfunc_imports;
  if (k < d->ntable_imports) return wl_table_owner(inst->tables[k]);
  k -= d->ntable_imports;
  if (k < d->nmemory_imports) return wl_memory_owner(inst->memories[k]);
  return wl_global_owner(inst->globals[k - d->nmemory_imports]);
}

/* Never allocates, so the +1 and -1 always pair up. */
static void adjust_importers(wl_instance *inst, int delta) {
  for (uint32_t k = 0; k < inst->module->desc->nimports; k++) {
    wl_instance *o = import_owner(inst, k);
    if (o) o->importers += (uint32_t)delta;
  }
}

static bool register_instance(wl_instance *inst) {
  wl_instance_box *box = wl_instance_box_of(inst);
  wl_ptr_list *list = &inst->store->instances;
  box->store_slot = list->count;
  if (!wl_ptr_list_push(list, box)) return false;
  box->listed = true;
  adjust_importers(inst, +1);
  return true;
}

static void unregister_instance(wl_instance *inst) {
  wl_instance_box *box = wl_instance_box_of(inst);
  wl_ptr_list *list = &inst->store->instances;
  size_t slot = box->store_slot;
  wl_ptr_list_swap_remove(list, slot);
  if (slot < list->count) ((wl_instance_box *)list->items[slot])->store_slot = slot;
  box->listed = false;
  adjust_importers(inst, -1);
}

/* ---------------------------------------------------------------- release */

void wl_instance_release(wl_instance *inst) {
  wl_instance_box *box = wl_instance_box_of(inst);
  wl_module *m = inst->module;
  const wl_moddesc *d = m->desc;
  if (box->backend_ready && m->backend->instance_free) m->backend->instance_free(m->code, inst);
  free(box->own_funcs);
  for (uint32_t i = d->ntable_imports; inst->tables && i < d->ntables; i++)
    wl_table_destroy(inst->tables[i]);
  for (uint32_t i = d->nmemory_imports; inst->memories && i < d->nmemories; i++)
    wl_memory_destroy(inst->memories[i]);
  for (uint32_t i = d->nglobal_imports; inst->globals && i < d->nglobals; i++)
    if (inst->globals[i]) wl_global_destroy(inst->globals[i]);
  for (uint32_t i = 0; inst->elem_refs && i < d->nelems; i++) free(inst->elem_refs[i]);
  free(inst->funcs);
  free(inst->tables);
  free(inst->memories);
  free(inst->globals);
  free(inst->elem_refs);
  free(inst->elem_count);
  free(inst->data_len);
  wl_module_delete(m);
  free(box);
}

/* Whether none of the instance's own functions can sit in an object of another instance:
 * only imported tables and mutable reference globals let wasm store them elsewhere. */
static bool holds_no_foreign_refs(const wl_instance *inst) {
  const wl_moddesc *d = inst->module->desc;
  if (d->ntable_imports) return false;
  for (uint32_t i = 0; i < d->nglobal_imports; i++)
    if (d->global_types[i].mutable_ && wl_is_reftype(d->global_types[i].type)) return false;
  return true;
}

static bool can_release_now(const wl_instance *inst) {
  return inst->dead && !wl_instance_box_of((wl_instance *)inst)->zombie &&
         inst->importers == 0 && holds_no_foreign_refs(inst);
}

/* Releases a dead instance when safe, then retries the instances it imported from: this one
 * may have been the last thing keeping a dead exporter alive. */
static void try_release(wl_instance *inst) {
  if (!can_release_now(inst)) return;
  uint32_t n = inst->module->desc->nimports;
  wl_instance **owners = n ? malloc(n * sizeof *owners) : NULL;
  for (uint32_t k = 0; owners && k < n; k++) owners[k] = import_owner(inst, k);
  unregister_instance(inst);
  wl_instance_release(inst);
  for (uint32_t i = 0; owners && i < n; i++) {  /* no list (out of memory): no cascade */
    wl_instance *o = owners[i];
    if (!o) continue;
    for (uint32_t j = i + 1; j < n; j++)  /* each owner once: the first try may free it */
      if (owners[j] == o) owners[j] = NULL;
    try_release(o);
  }
  free(owners);
}

void wl_instance_delete(wl_instance *i) {
  if (!i || i->dead) return;
  i->dead = true;
  try_release(i);
}

/* ---------------------------------------------------------------- wl_instance_new */

static wl_error *run_start(wl_instance *inst) {
  const wl_moddesc *d = inst->module->desc;
  if (!d->has_start) return NULL;
  wl_slot io[1] = {0};
  wl_error *e = wl_invoke(inst->store, inst, inst->funcs[d->start], io);
  if (e && e->kind == WL_ERR_TRAP) {
    e->kind = WL_ERR_UNINSTANTIABLE;
    wl_error_append(e, " (in the start function, func %u)", d->start);
  }
  return e;
}

/* After segment initialisation began: see the comment at the top of the file. */
static void fail_late(wl_instance *inst, const wl_error *e) {
  bool nothing_written = e->kind == WL_ERR_UNLINKABLE;  /* Wasm 1.0 checks before writing */
  if (nothing_written || inst->module->desc->nimports == 0) {
    unregister_instance(inst);
    wl_instance_release(inst);
    return;
  }
  inst->dead = true;
  wl_instance_box_of(inst)->zombie = true;
}

wl_error *wl_instance_new(wl_store *s, wl_module *m, const wl_extern *imports, size_t nimports,
                          wl_instance **out) {
  if (!out) return wl_err(WL_ERR_ARGUMENT, "no place for the instance");
  *out = NULL;
  if (!s || !m) return wl_err(WL_ERR_ARGUMENT, "no store or module");
  if (m->engine != s->engine)
    return wl_err(WL_ERR_ARGUMENT, "the module was compiled by another engine");
  if (nimports && !imports) return wl_err(WL_ERR_ARGUMENT, "no imports given");
  wl_error *e = wl_check_imports(s, m, imports, nimports);
  if (e) return e;
  wl_instance *inst = alloc_instance(s, m);
  if (!inst) return out_of_memory();
  e = build(inst, imports);
  if (!e && !register_instance(inst)) e = out_of_memory();
  if (e) {
    wl_instance_release(inst);
    return e;
  }
  e = wl_init_segments(inst);
  if (!e) e = run_start(inst);
  if (e) {
    fail_late(inst, e);
    return e;
  }
  *out = inst;
  return NULL;
}
