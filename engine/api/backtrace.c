/* Trap backtraces at the API: the frames of a trap error, and the one formatting the CLI and
 * embedders share (wasmtime's layout, so people read it at a glance). */
#include <stdarg.h>
#include <stdio.h>

#include "engine/util/error.h"

/* Frames a short backtrace shows; --backtrace=full shows every recorded one. */
#define SHORT_FRAMES 32u

size_t wl_error_frame_count(const wl_error *e) { return e ? e->nframes : 0; }

const wl_trace_frame *wl_error_frame(const wl_error *e, size_t i) {
  return e && i < e->nframes ? &e->frames[i] : NULL;
}

size_t wl_error_frames_omitted(const wl_error *e) { return e ? e->frames_omitted : 0; }

typedef struct {
  char *buf;
  size_t size, len;
} out_buf;

static void put(out_buf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out_buf *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  size_t room = o->len < o->size ? o->size - o->len : 0;
  int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
  va_end(ap);
  if (n > 0) o->len += (size_t)n;
}

static void put_frame(out_buf *o, size_t i, const wl_trace_frame *f, bool full) {
  put(o, "  %3zu: ", i);
  if (f->module_offset != UINT32_MAX) put(o, "%#6x - ", f->module_offset);
  put(o, "%s!", f->module_name ? f->module_name : "<unknown>");
  if (f->func_name)
    put(o, "%s", f->func_name);
  else
    put(o, "<wasm function %u>", f->func_index);
  if (full) {
    put(o, "  (func %u", f->func_index);
    if (f->module_offset != UINT32_MAX) put(o, ", +%#x", f->func_offset);
    if (f->calls_import) put(o, ", calls import %s", f->calls_import);
    put(o, ")");
  }
  put(o, "\n");
}

size_t wl_backtrace_format(const wl_error *e, wl_backtrace_style style, char *buf, size_t size) {
  out_buf o = {buf, size, 0};
  if (buf && size) buf[0] = '\0';
  if (!e || style == WL_BACKTRACE_OFF || (!e->nframes && !e->frames_omitted)) return 0;
  bool full = style == WL_BACKTRACE_FULL;
  size_t shown = full || e->nframes <= SHORT_FRAMES ? e->nframes : SHORT_FRAMES;
  put(&o, "wasm backtrace:\n");
  for (size_t i = 0; i < shown; i++) put_frame(&o, i, &e->frames[i], full);
  size_t more = e->nframes - shown + e->frames_omitted;
  if (more) put(&o, "  ... %zu more frame%s%s\n", more, more == 1 ? "" : "s",
                full || shown == e->nframes ? " (not recorded)" : " (--backtrace=full)");
  return o.len;
}
