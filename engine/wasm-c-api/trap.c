/* Traps and frames. A trap owns its message and remembers the wasmlab error kind, trap kind
 * and exit status it came from, and the wasm backtrace of the trap (engine/runtime/trace.c):
 * origin = the innermost frame, trace = every frame, innermost first. A frame's instance is
 * NULL (the error that carried the frames does not know the wasm_instance_t). */
#include <stdlib.h>
#include <string.h>

#include "engine/wasm-c-api/capi.h"

static wasm_trap_t *trap_new(const char *message, size_t len) {
  wlc_trap *t = calloc(1, sizeof *t);
  char *copy = malloc(len + 1);
  wasm_ref_t *r = t && copy ? wlc_handle_new(WLC_TRAP, NULL) : NULL;
  if (!r) {
    free(t);
    free(copy);
    return NULL;
  }
  memcpy(copy, message, len);
  copy[len] = '\0';
  t->message = copy;
  t->kind = WL_ERR_TRAP;
  t->trap = WL_TRAP_HOST;
  r->of.trap = t;
  return (wasm_trap_t *)r;
}

static wlc_trap *trap_of(const wasm_trap_t *t) { return ((const wasm_ref_t *)t)->of.trap; }

wasm_trap_t *wlc_trap_from_message(const char *message) {
  return trap_new(message, strlen(message));
}

wasm_trap_t *wlc_trap_from_error(wl_error *e) {
  wasm_trap_t *t = wlc_trap_from_message(wl_error_message(e));
  if (t) {
    wlc_trap *r = trap_of(t);
    r->kind = wl_error_kind_of(e);
    r->trap = wl_error_trap_kind(e);
    r->exit_code = r->kind == WL_ERR_EXIT ? wl_error_exit_code(e) : 0;
    size_t n = wl_error_frame_count(e);
    r->frames = n ? calloc(n, sizeof *r->frames) : NULL;
    for (size_t i = 0; r->frames && i < n; i++) {
      const wl_trace_frame *f = wl_error_frame(e, i);
      r->frames[i] = (wasm_frame_t){NULL, f->func_index, f->func_offset, f->module_offset};
    }
    r->nframes = r->frames ? n : 0;
  }
  wl_error_delete(e);
  return t;
}

/* The message may or may not include its terminating NUL. */
wasm_trap_t *wasm_trap_new(wasm_store_t *store, const wasm_message_t *message) {
  (void)store;
  size_t len = message->size;
  if (len && message->data[len - 1] == '\0') len--;
  return trap_new(message->data, len);
}

wasm_trap_t *wasm_trap_copy(const wasm_trap_t *t) {
  wasm_trap_t *c = wlc_trap_from_message(trap_of(t)->message);
  if (c) {
    wlc_trap *r = trap_of(c);
    r->kind = trap_of(t)->kind;
    r->trap = trap_of(t)->trap;
    r->exit_code = trap_of(t)->exit_code;
    size_t n = trap_of(t)->nframes;
    r->frames = n ? malloc(n * sizeof *r->frames) : NULL;
    if (r->frames) memcpy(r->frames, trap_of(t)->frames, n * sizeof *r->frames);
    r->nframes = r->frames ? n : 0;
  }
  return c;
}

void wasm_trap_delete(wasm_trap_t *t) {
  if (!t) return;
  wlc_trap *r = trap_of(t);
  wlc_host_info_finalize(&r->host);
  free(r->frames);
  free(r->message);
  free(r);
  free(t);
}

void wasm_trap_message(const wasm_trap_t *t, wasm_message_t *out) {
  wasm_name_new_from_string_nt(out, trap_of(t)->message);
}

wasm_frame_t *wasm_trap_origin(const wasm_trap_t *t) {
  return trap_of(t)->nframes ? wasm_frame_copy(&trap_of(t)->frames[0]) : NULL;
}

void wasm_trap_trace(const wasm_trap_t *t, wasm_frame_vec_t *out) {
  const wlc_trap *r = trap_of(t);
  wasm_frame_vec_new_uninitialized(out, r->nframes);
  if (out->size != r->nframes) {
    wasm_frame_vec_new_empty(out);
    return;
  }
  for (size_t i = 0; i < r->nframes; i++) out->data[i] = wasm_frame_copy(&r->frames[i]);
}

wl_trap_kind wasmlab_trap_kind(const wasm_trap_t *t) {
  return trap_of(t)->kind == WL_ERR_TRAP || trap_of(t)->kind == WL_ERR_UNINSTANTIABLE
             ? trap_of(t)->trap
             : WL_TRAP_NONE;
}

bool wasmlab_trap_exit_status(const wasm_trap_t *t, int *status) {
  if (trap_of(t)->kind != WL_ERR_EXIT) return false;
  if (status) *status = trap_of(t)->exit_code;
  return true;
}

/* ---------------------------------------------------------------- frames */

wasm_frame_t *wasm_frame_copy(const wasm_frame_t *f) {
  wasm_frame_t *c = malloc(sizeof *c);
  if (c) *c = *f;
  return c;
}

void wasm_frame_delete(wasm_frame_t *f) { free(f); }
wasm_instance_t *wasm_frame_instance(const wasm_frame_t *f) { return f->instance; }
uint32_t wasm_frame_func_index(const wasm_frame_t *f) { return f->func_index; }
size_t wasm_frame_func_offset(const wasm_frame_t *f) { return f->func_offset; }
size_t wasm_frame_module_offset(const wasm_frame_t *f) { return f->module_offset; }
