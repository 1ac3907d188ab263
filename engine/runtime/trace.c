/* Trap backtraces: recording raw frames while a trap unwinds, and turning them into the trap
 * error's frames (names copied, since the error outlives the module). See trace.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/runtime/trace.h"

struct wl_raw_frame {
  const wl_moddesc *m;
  uint32_t func_index, module_offset;
};

bool wl_trace_wanted(const wl_exec *ex) {
  return ex->error && ex->error->kind == WL_ERR_TRAP;
}

void wl_trace_push(wl_exec *ex, const wl_moddesc *m, uint32_t func_index, uint32_t module_offset) {
  if (!wl_trace_wanted(ex)) return;
  if (ex->trace_count == WL_TRACE_MAX) {
    ex->trace_omitted++;
    return;
  }
  if (ex->trace_count == ex->trace_cap) {
    uint32_t cap = ex->trace_cap ? ex->trace_cap * 2 : 32;
    struct wl_raw_frame *p = realloc(ex->trace, cap * sizeof *p);
    if (!p) {
      ex->trace_omitted++;
      return;
    }
    ex->trace = p;
    ex->trace_cap = cap;
  }
  ex->trace[ex->trace_count++] = (struct wl_raw_frame){m, func_index, module_offset};
}

void wl_trace_clear(wl_exec *ex) { ex->trace_count = ex->trace_omitted = 0; }

void wl_trace_free(wl_exec *ex) {
  free(ex->trace);
  ex->trace = NULL;
  ex->trace_count = ex->trace_cap = ex->trace_omitted = 0;
}

static char *copy_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* The function import `k` of m (the k-th import of kind func). */
static const wl_import *func_import(const wl_moddesc *m, uint32_t k) {
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind == WL_KIND_FUNC && k-- == 0) return &m->imports[i];
  return NULL;
}

/* "module.name" when the instruction at `off` is a call (or return_call) of an import. */
static char *called_import(const wl_moddesc *m, uint32_t off) {
  if (off >= m->len || (m->bytes[off] != 0x10 && m->bytes[off] != 0x12)) return NULL;
  uint32_t k = 0, shift = 0;
  for (size_t p = off + 1; p < m->len && shift < 35; p++, shift += 7) {
    k |= (uint32_t)(m->bytes[p] & 0x7f) << shift;
    if (!(m->bytes[p] & 0x80)) break;
  }
  const wl_import *im = k < m->nfunc_imports ? func_import(m, k) : NULL;
  if (!im) return NULL;
  size_t n = strlen(im->module) + strlen(im->name) + 2;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s.%s", im->module, im->name);
  return s;
}

static wl_trace_frame resolve(const struct wl_raw_frame *r) {
  const wl_moddesc *m = r->m;
  wl_trace_frame f = {r->func_index, r->module_offset, 0, NULL, NULL, NULL};
  if (r->func_index >= m->nfunc_imports && r->func_index < m->nfuncs &&
      r->module_offset != WL_TRACE_NO_OFFSET) {
    uint32_t start = m->funcs[r->func_index - m->nfunc_imports].code_offset;
    f.func_offset = r->module_offset >= start ? r->module_offset - start : 0;
    f.calls_import = called_import(m, r->module_offset);
  }
  if (m->func_names && r->func_index < m->nfuncs)
    f.func_name = copy_or_null(m->func_names[r->func_index]);
  f.module_name = copy_or_null(m->module_name);
  return f;
}

void wl_trace_attach(wl_exec *ex, wl_error *e) {
  if (!ex->trace_count && !ex->trace_omitted) return;
  if (e->kind == WL_ERR_TRAP) {
    size_t n = e->nframes + ex->trace_count;
    wl_trace_frame *p = realloc(e->frames, (n ? n : 1) * sizeof *p);
    if (p) {
      for (uint32_t i = 0; i < ex->trace_count; i++) p[e->nframes + i] = resolve(&ex->trace[i]);
      e->frames = p;
      e->nframes = n;
    } else {
      e->frames_omitted += ex->trace_count;
    }
    e->frames_omitted += ex->trace_omitted;
  }
  wl_trace_clear(ex);
}
