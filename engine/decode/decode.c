/* wl_decode: the module header, the section sequence and the checks that span sections. */
#include <stdlib.h>
#include <string.h>

#include "engine/decode/decoder.h"
#include "proposals/bulk_memory/rules.h"

enum {
  SEC_CUSTOM = 0, SEC_TYPE, SEC_IMPORT, SEC_FUNCTION, SEC_TABLE, SEC_MEMORY, SEC_GLOBAL,
  SEC_EXPORT, SEC_START, SEC_ELEMENT, SEC_CODE, SEC_DATA, SEC_DATACOUNT, SEC_LIMIT
};

/* Position of each section id in the required order (the data count section sits between
 * the element and code sections). */
static const uint8_t section_rank[SEC_LIMIT] = {
    [SEC_TYPE] = 1, [SEC_IMPORT] = 2, [SEC_FUNCTION] = 3, [SEC_TABLE] = 4, [SEC_MEMORY] = 5,
    [SEC_GLOBAL] = 6, [SEC_EXPORT] = 7, [SEC_START] = 8, [SEC_ELEMENT] = 9,
    [SEC_DATACOUNT] = 10, [SEC_CODE] = 11, [SEC_DATA] = 12,
};

static wl_error *(*const section_decoders[SEC_LIMIT])(wl_decoder *) = {
    [SEC_TYPE] = wl_dec_type_section,       [SEC_IMPORT] = wl_dec_import_section,
    [SEC_FUNCTION] = wl_dec_function_section, [SEC_TABLE] = wl_dec_table_section,
    [SEC_MEMORY] = wl_dec_memory_section,   [SEC_GLOBAL] = wl_dec_global_section,
    [SEC_EXPORT] = wl_dec_export_section,   [SEC_START] = wl_dec_start_section,
    [SEC_ELEMENT] = wl_dec_element_section, [SEC_CODE] = wl_dec_code_section,
    [SEC_DATA] = wl_dec_data_section,       [SEC_DATACOUNT] = wl_dec_datacount_section,
};

static uint32_t read_le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static wl_error *read_header(wl_decoder *d) {
  if (d->end - d->p < 4) return wl_dec_error(d, d->end, "unexpected end");
  if (read_le32(d->p) != 0x6D736100u) return wl_dec_error(d, d->p, "magic header not detected");
  d->p += 4;
  if (d->end - d->p < 4) return wl_dec_error(d, d->end, "unexpected end");
  if (read_le32(d->p) != 1u) return wl_dec_error(d, d->p, "unknown binary version");
  d->p += 4;
  return NULL;
}

static bool known_section(const wl_decoder *d, uint8_t id) {
  if (id >= SEC_LIMIT) return false;
  return id != SEC_DATACOUNT || wl_bulk_memory_datacount_section(d->features);
}

static wl_error *read_section(wl_decoder *d) {
  const uint8_t *at = d->p;
  uint8_t id = *d->p++;
  if (!known_section(d, id)) return wl_dec_error(d, at, "malformed section id");
  /* A section out of order (or repeated) ends the module for the spec's grammar. */
  if (id != SEC_CUSTOM && section_rank[id] <= section_rank[d->last_section])
    return wl_dec_error(d, at, "unexpected content after last section");
  uint32_t size = 0;
  wl_error *e = wl_dec_len(d, &size);
  if (e) return e;
  const uint8_t *contents = d->p;
  if (id == SEC_CUSTOM) return wl_dec_custom_section(d, size);
  if (id == SEC_DATA) d->has_data_section = true;
  if ((e = section_decoders[id](d))) return e;
  if (d->p != contents + size) return wl_dec_error(d, contents, "section size mismatch");
  d->last_section = id;
  return NULL;
}

/* Checks the spec's decoder makes once every section has been read. */
static wl_error *check_sections_agree(wl_decoder *d) {
  const wl_moddesc *m = d->m;
  if (d->nfunc_decls != d->ncode_bodies)
    return wl_dec_error(d, d->end, "function and code section have inconsistent lengths");
  if (m->has_datacount && m->datacount != m->ndatas)
    return wl_dec_error(d, d->end, "data count and data section have inconsistent lengths");
  /* Only a module with data segments needs the count to check data indices in code; with no
   * data section every index is unknown, which the validator reports ("unknown data segment",
   * as the spec suite expects of such modules produced by wabt, which omits the section). */
  if (d->uses_data_ops && !m->has_datacount && d->has_data_section)
    return wl_dec_error(d, d->end, "data count section required");
  return NULL;
}

/* The last "name" custom section wins (there should be at most one). */
static void read_names(wl_moddesc *m) {
  for (uint32_t i = m->ncustoms; i-- > 0;) {
    if (strcmp(m->customs[i].name, "name") == 0) {
      wl_dec_name_section(m, m->customs[i].bytes, m->customs[i].len);
      return;
    }
  }
}

static wl_error *decode_module(wl_decoder *d) {
  wl_error *e = read_header(d);
  while (!e && d->p < d->end) e = read_section(d);
  if (!e) e = check_sections_agree(d);
  if (!e) read_names(d->m);
  return e;
}

wl_error *wl_decode(const uint8_t *bytes, size_t len, uint32_t features, wl_moddesc **out) {
  *out = NULL;
  if (len > UINT32_MAX) return wl_err(WL_ERR_MALFORMED, "length out of bounds (module over 4 GiB)");
  wl_moddesc *m = calloc(1, sizeof *m);
  if (!m || !(m->bytes = malloc(len ? len : 1))) {
    free(m);
    return wl_err(WL_ERR_RESOURCE, "out of memory decoding a module");
  }
  if (len) memcpy(m->bytes, bytes, len);
  m->len = len;
  wl_decoder d = {.start = m->bytes, .p = m->bytes, .end = m->bytes + len,
                  .features = features, .m = m};
  wl_error *e = decode_module(&d);
  if (e) {
    wl_moddesc_free(m);
    return e;
  }
  *out = m;
  return NULL;
}
