/* Internal to engine/decode/: the decoding cursor and the readers the section decoders share.
 *
 * Like the spec's reference decoder, every read is bounded by the end of the *module*, not of
 * the current section or function body: a section or body whose contents run past its declared
 * size is reported as "section size mismatch" once its contents have been read, and lengths
 * are checked against the bytes left in the module ("length out of bounds"). This gives the
 * spec's messages for every truncated or inconsistent input. */
#ifndef WL_DECODE_DECODER_H
#define WL_DECODE_DECODER_H
#include <stdbool.h>
#include <stdint.h>

#include "engine/decode/leb.h"
#include "engine/features.h"
#include "engine/module.h"

#define WL_END_OF_SECTION "unexpected end of section or function"

/* Engine limit on the locals one function declares (the spec's own limit is 2^32 - 1). */
#define WL_MAX_LOCALS 50000u

typedef struct {
  const uint8_t *start, *p, *end;  /* the module's own copy of the bytes */
  uint32_t features;
  wl_moddesc *m;
  uint32_t nfunc_decls;            /* entries of the function section */
  uint32_t ncode_bodies;           /* entries of the code section */
  bool uses_data_ops;
  bool has_data_section;              /* memory.init or data.drop seen in a body */
  uint8_t last_section;            /* id of the last non-custom section read (0 = none) */
} wl_decoder;

static inline uint32_t wl_dec_offset(const wl_decoder *d, const uint8_t *at) {
  return (uint32_t)(at - d->start);
}

static inline bool wl_dec_has(const wl_decoder *d, unsigned feature_index) {
  return wl_has_feature(d->features, feature_index);
}

/* A WL_ERR_MALFORMED error: the spec text first, then "(at offset 0x..)". */
wl_error *wl_dec_error(const wl_decoder *d, const uint8_t *at, const char *what);

/* Primitive readers; each returns NULL or a malformed error in the spec's wording. */
wl_error *wl_dec_byte(wl_decoder *d, uint8_t *out);
wl_error *wl_dec_leb(wl_decoder *d, unsigned bits, bool is_signed, uint64_t *out);
wl_error *wl_dec_u32(wl_decoder *d, uint32_t *out);
/* A size or count: a u32 no larger than the bytes left from its own position. */
wl_error *wl_dec_len(wl_decoder *d, uint32_t *out);
/* `n` raw bytes (after wl_dec_len). */
wl_error *wl_dec_bytes(wl_decoder *d, uint32_t n, const uint8_t **out);
/* A name: length-prefixed UTF-8, returned as a NUL-terminated heap copy. */
wl_error *wl_dec_name(wl_decoder *d, char **out, uint32_t *len);

wl_error *wl_dec_valtype(wl_decoder *d, wl_valtype *out);
wl_error *wl_dec_reftype(wl_decoder *d, wl_valtype *out);
wl_error *wl_dec_limits(wl_decoder *d, wl_limits *out);
/* A memory type: limits whose flags may also mark an i64 memory (memory64). */
wl_error *wl_dec_memtype(wl_decoder *d, wl_limits *out);
wl_error *wl_dec_tabletype(wl_decoder *d, wl_tabletype *out);
wl_error *wl_dec_globaltype(wl_decoder *d, wl_globaltype *out);

/* Reads an instruction sequence up to and including its final `end` (checking the nesting of
 * block/loop/if/else/end as the binary grammar requires); leaves d->p just after that `end`.
 * Used for function bodies (wl_dec_instr_seq, which also notes memory.init/data.drop for the
 * data count rule) and constant expressions. */
wl_error *wl_dec_instr_seq(wl_decoder *d);
wl_error *wl_dec_constexpr(wl_decoder *d, wl_constexpr *out);

/* Section decoders: `d->p` is at the section contents. They read the contents only; the caller
 * checks that they end exactly at the declared size. */
wl_error *wl_dec_type_section(wl_decoder *d);
wl_error *wl_dec_import_section(wl_decoder *d);
wl_error *wl_dec_function_section(wl_decoder *d);
wl_error *wl_dec_table_section(wl_decoder *d);
wl_error *wl_dec_memory_section(wl_decoder *d);
wl_error *wl_dec_global_section(wl_decoder *d);
wl_error *wl_dec_export_section(wl_decoder *d);
wl_error *wl_dec_start_section(wl_decoder *d);
wl_error *wl_dec_element_section(wl_decoder *d);
wl_error *wl_dec_datacount_section(wl_decoder *d);
wl_error *wl_dec_code_section(wl_decoder *d);
wl_error *wl_dec_data_section(wl_decoder *d);
/* `size` is the declared section size; reads the name and keeps the payload. */
wl_error *wl_dec_custom_section(wl_decoder *d, uint32_t size);

/* The "name" custom section: fills module_name / func_names when well formed, else nothing. */
void wl_dec_name_section(wl_moddesc *m, const uint8_t *payload, uint32_t len);

/* UTF-8 as the spec defines it (no overlongs, surrogates or code points above U+10FFFF). */
bool wl_utf8_valid(const uint8_t *s, uint32_t len);

/* Overflow-checked array allocation (zeroed); NULL on failure or for n == 0 with size 0. */
void *wl_dec_calloc(uint64_t n, size_t size);

#endif
