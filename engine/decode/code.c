/* The code section: each body's locals and instructions. Every instruction is decoded here
 * once, so malformed code is reported before validation. */
#include <stdlib.h>

#include "engine/decode/decoder.h"

typedef struct {
  uint32_t count;
  wl_valtype type;
} local_group;

/* Reads the run-length local groups into a temporary array (the spec reads them all before
 * checking the total). */
static wl_error *read_local_groups(wl_decoder *d, local_group **groups, uint32_t *ngroups,
                                   uint64_t *total) {
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (e) return e;
  if (!(*groups = wl_dec_calloc(n, sizeof **groups)))
    return wl_err(WL_ERR_RESOURCE, "out of memory decoding locals");
  *ngroups = n;
  *total = 0;
  for (uint32_t i = 0; i < n && !e; i++) {
    e = wl_dec_u32(d, &(*groups)[i].count);
    if (!e) e = wl_dec_valtype(d, &(*groups)[i].type);
    if (!e) *total += (*groups)[i].count;
  }
  return e;
}

static wl_error *read_locals(wl_decoder *d, wl_funcdef *f) {
  const uint8_t *at = d->p;
  local_group *groups = NULL;
  uint32_t ngroups = 0;
  uint64_t total = 0;
  wl_error *e = read_local_groups(d, &groups, &ngroups, &total);
  if (!e && total > UINT32_MAX) e = wl_dec_error(d, at, "too many locals");
  if (!e && total > WL_MAX_LOCALS)
    e = wl_err(WL_ERR_MALFORMED, "too many locals: %llu exceeds the engine limit of %u "
               "(at offset 0x%x)", (unsigned long long)total, WL_MAX_LOCALS,
               wl_dec_offset(d, at));
  if (!e && !(f->local_types = wl_dec_calloc(total, sizeof *f->local_types)))
    e = wl_err(WL_ERR_RESOURCE, "out of memory decoding locals");
  for (uint32_t i = 0; !e && i < ngroups; i++)
    for (uint32_t k = 0; k < groups[i].count; k++) f->local_types[f->nlocals++] = groups[i].type;
  free(groups);
  return e;
}

static wl_error *read_body(wl_decoder *d, wl_funcdef *f) {
  uint32_t size = 0;
  wl_error *e = wl_dec_len(d, &size);
  if (e) return e;
  const uint8_t *body = d->p;
  if ((e = read_locals(d, f))) return e;
  f->code = d->p;
  f->code_offset = wl_dec_offset(d, d->p);
  if ((e = wl_dec_instr_seq(d))) return e;
  if (d->p != body + size) return wl_dec_error(d, body, "section size mismatch");
  f->code_len = (uint32_t)(d->p - f->code);
  return NULL;
}

wl_error *wl_dec_code_section(wl_decoder *d) {
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (e) return e;
  d->ncode_bodies = n;
  for (uint32_t i = 0; i < n && !e; i++) {
    /* Bodies without a function declaration are still read (the count mismatch is reported
     * after the last section, as the spec's decoder does), then dropped. */
    wl_funcdef spare = {0};
    wl_funcdef *f = i < d->nfunc_decls ? &d->m->funcs[i] : &spare;
    e = read_body(d, f);
    if (f == &spare) free(spare.local_types);
  }
  return e;
}
