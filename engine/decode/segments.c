/* The element and data sections.
 *
 * With bulk-memory, a segment starts with a u32 flags field selecting one of the forms below;
 * without it the binary is Wasm 1.0's: that field is the table (memory) index of an active
 * segment with a function-index (byte) payload, so a nonzero value is an unknown table or
 * memory for the validator, exactly as a 1.0 engine sees it. */
#include "engine/decode/decoder.h"
#include "proposals/bulk_memory/rules.h"

/* Element segment flags: bit 0 = passive or declarative (bit 1 picks declarative), else
 * active, bit 1 of an active segment = explicit table index; bit 2 = items are expressions. */
#define ELEM_NOT_ACTIVE 1u
#define ELEM_EXPLICIT 2u
#define ELEM_EXPRS 4u

static wl_error *out_of_memory(void) {
  return wl_err(WL_ERR_RESOURCE, "out of memory decoding segments");
}

static wl_error *read_elemkind(wl_decoder *d) {
  const uint8_t *at = d->p;
  uint8_t kind = 0;
  wl_error *e = wl_dec_byte(d, &kind);
  if (e) return e;
  return kind == 0 ? NULL : wl_dec_error(d, at, "malformed element kind");
}

static wl_error *read_func_indices(wl_decoder *d, wl_elemseg *seg) {
  wl_error *e = wl_dec_len(d, &seg->count);
  if (e) return e;
  if (!(seg->func_indices = wl_dec_calloc(seg->count, sizeof *seg->func_indices)))
    return out_of_memory();
  for (uint32_t i = 0; i < seg->count && !e; i++) e = wl_dec_u32(d, &seg->func_indices[i]);
  return e;
}

static wl_error *read_item_exprs(wl_decoder *d, wl_elemseg *seg) {
  wl_error *e = wl_dec_len(d, &seg->count);
  if (e) return e;
  if (!(seg->exprs = wl_dec_calloc(seg->count, sizeof *seg->exprs))) return out_of_memory();
  for (uint32_t i = 0; i < seg->count && !e; i++) e = wl_dec_constexpr(d, &seg->exprs[i]);
  return e;
}

/* Mode, table index and offset, per the flags. */
static wl_error *read_elem_mode(wl_decoder *d, uint32_t flags, wl_elemseg *seg) {
  if (flags & ELEM_NOT_ACTIVE) {
    seg->mode = (flags & ELEM_EXPLICIT) ? WL_SEG_DECLARATIVE : WL_SEG_PASSIVE;
    return NULL;
  }
  seg->mode = WL_SEG_ACTIVE;
  if (flags & ELEM_EXPLICIT) {
    wl_error *e = wl_dec_u32(d, &seg->table_index);
    if (e) return e;
  }
  return wl_dec_constexpr(d, &seg->offset);
}

static wl_error *read_elem_bulk(wl_decoder *d, wl_elemseg *seg) {
  const uint8_t *at = d->p;
  uint32_t flags = 0;
  wl_error *e = wl_dec_u32(d, &flags);
  if (e) return e;
  if (flags > 7) return wl_dec_error(d, at, "malformed elements segment kind");
  if ((e = read_elem_mode(d, flags, seg))) return e;
  seg->elemtype = 0x70;
  /* Forms 0 and 4 imply funcref; the others name it (an elemkind byte, or a reftype). */
  bool names_type = (flags & (ELEM_NOT_ACTIVE | ELEM_EXPLICIT)) != 0;
  if (flags & ELEM_EXPRS) {
    if (names_type && (e = wl_dec_reftype(d, &seg->elemtype))) return e;
    return read_item_exprs(d, seg);
  }
  if (names_type && (e = read_elemkind(d))) return e;
  return read_func_indices(d, seg);
}

static wl_error *read_elem_mvp(wl_decoder *d, wl_elemseg *seg) {
  seg->mode = WL_SEG_ACTIVE;
  seg->elemtype = 0x70;
  wl_error *e = wl_dec_u32(d, &seg->table_index);
  if (!e) e = wl_dec_constexpr(d, &seg->offset);
  return e ? e : read_func_indices(d, seg);
}

wl_error *wl_dec_element_section(wl_decoder *d) {
  wl_moddesc *m = d->m;
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (e) return e;
  if (!(m->elems = wl_dec_calloc(n, sizeof *m->elems))) return out_of_memory();
  m->nelems = n;
  bool bulk = wl_bulk_memory_segment_flags(d->features);
  for (uint32_t i = 0; i < n && !e; i++)
    e = bulk ? read_elem_bulk(d, &m->elems[i]) : read_elem_mvp(d, &m->elems[i]);
  return e;
}

static wl_error *read_data_mode(wl_decoder *d, wl_dataseg *seg) {
  if (!wl_bulk_memory_segment_flags(d->features)) {
    seg->mode = WL_SEG_ACTIVE;
    wl_error *e = wl_dec_u32(d, &seg->memory_index);
    return e ? e : wl_dec_constexpr(d, &seg->offset);
  }
  const uint8_t *at = d->p;
  uint32_t flags = 0;
  wl_error *e = wl_dec_u32(d, &flags);
  if (e) return e;
  switch (flags) {
  case 0:
    seg->mode = WL_SEG_ACTIVE;
    return wl_dec_constexpr(d, &seg->offset);
  case 1:
    seg->mode = WL_SEG_PASSIVE;
    return NULL;
  case 2:
    seg->mode = WL_SEG_ACTIVE;
    if ((e = wl_dec_u32(d, &seg->memory_index))) return e;
    return wl_dec_constexpr(d, &seg->offset);
  default:
    return wl_dec_error(d, at, "malformed data segment kind");
  }
}

wl_error *wl_dec_data_section(wl_decoder *d) {
  wl_moddesc *m = d->m;
  uint32_t n = 0;
  wl_error *e = wl_dec_len(d, &n);
  if (e) return e;
  if (!(m->datas = wl_dec_calloc(n, sizeof *m->datas))) return out_of_memory();
  m->ndatas = n;
  for (uint32_t i = 0; i < n && !e; i++) {
    wl_dataseg *seg = &m->datas[i];
    e = read_data_mode(d, seg);
    if (!e) e = wl_dec_len(d, &seg->len);
    if (!e) e = wl_dec_bytes(d, seg->len, &seg->bytes);
  }
  return e;
}
