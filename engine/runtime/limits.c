/* Resource limits from the engine config (issue 9, item 4). Tables and memories are charged to
 * their store as they are created and grown, and refunded when destroyed, so the limits bound
 * what all live tables and memories of a store hold together (one table or memory already has
 * its own bound: WL_MAX_TABLE_SIZE, WL_MAX_PAGES). Module size and function count are checked
 * before a backend compiles. A creation or compilation past a limit is an error naming the
 * limit; a table.grow or memory.grow past one fails (-1), as the spec lets a grow fail. */
#include "engine/runtime/internal.h"

static bool within(uint64_t used, uint64_t more, uint64_t limit) {
  return limit == 0 || (more <= limit && used <= limit - more);
}

bool wl_store_charge_table(wl_store *s, uint64_t elements) {
  if (!within(s->table_elements, elements, s->engine->config.max_table_elements)) return false;
  s->table_elements += elements;
  return true;
}

void wl_store_refund_table(wl_store *s, uint64_t elements) { s->table_elements -= elements; }

bool wl_store_charge_memory(wl_store *s, uint64_t bytes) {
  if (!within(s->memory_bytes, bytes, s->engine->config.max_memory_bytes)) return false;
  s->memory_bytes += bytes;
  return true;
}

void wl_store_refund_memory(wl_store *s, uint64_t bytes) { s->memory_bytes -= bytes; }

wl_error *wl_check_table_limit(const wl_store *s, uint64_t elements) {
  if (within(s->table_elements, elements, s->engine->config.max_table_elements)) return NULL;
  return wl_err(WL_ERR_RESOURCE,
                "a table of %llu elements exceeds the limit max-table-elements: %llu in all "
                "tables of a store, %llu in use",
                (unsigned long long)elements,
                (unsigned long long)s->engine->config.max_table_elements,
                (unsigned long long)s->table_elements);
}

wl_error *wl_check_memory_limit(const wl_store *s, uint64_t bytes) {
  if (within(s->memory_bytes, bytes, s->engine->config.max_memory_bytes)) return NULL;
  return wl_err(WL_ERR_RESOURCE,
                "a memory of %llu bytes exceeds the limit max-memory-bytes: %llu in all "
                "memories of a store, %llu in use",
                (unsigned long long)bytes, (unsigned long long)s->engine->config.max_memory_bytes,
                (unsigned long long)s->memory_bytes);
}

wl_error *wl_check_module_size(const wl_config *c, size_t len) {
  if (within(0, len, c->max_module_bytes)) return NULL;
  return wl_err(WL_ERR_RESOURCE, "a module of %zu bytes exceeds the limit max-module-bytes: %llu",
                len, (unsigned long long)c->max_module_bytes);
}

wl_error *wl_check_function_count(const wl_config *c, const wl_moddesc *m) {
  uint64_t defined = m->nfuncs - m->nfunc_imports;
  if (within(0, defined, c->max_functions)) return NULL;
  return wl_err(WL_ERR_RESOURCE,
                "a module defining %llu functions exceeds the limit max-functions: %llu",
                (unsigned long long)defined, (unsigned long long)c->max_functions);
}
