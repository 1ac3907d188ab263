/* The metering cost model (docs/ARCHITECTURE.md, "Metering"): what each instruction adds to the
 * charge of its straight-line run, and what a bulk instruction pays per byte or element when
 * it executes. The backends add up `instr` while translating; the bulk helpers every backend
 * calls charge `per_item` (wl_charge_items), so the accounting is identical by construction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/runtime/runtime.h"

/* The instructions whose work grows with an operand (bytes or elements): one unit per item
 * by default, like one instruction. table.grow and memory.grow are bounded by the resource
 * limits instead (engine/runtime/limits.c). */
static const uint16_t bulk_ops[] = {WL_OP_MEMORY_FILL, WL_OP_MEMORY_COPY, WL_OP_MEMORY_INIT,
                                    WL_OP_TABLE_FILL,  WL_OP_TABLE_COPY,  WL_OP_TABLE_INIT};

static bool is_bulk(uint16_t op) {
  for (size_t i = 0; i < sizeof bulk_ops / sizeof bulk_ops[0]; i++)
    if (bulk_ops[i] == op) return true;
  return false;
}

void wl_costs_default(wl_costs *c) {
  for (uint32_t op = 0; op < WL_OP_COUNT; op++) {
    c->instr[op] = 1;
    c->per_item[op] = is_bulk((uint16_t)op) ? 1 : 0;
  }
}

static int op_by_name(const char *name, size_t len) {
  for (uint32_t op = 0; op < WL_OP_COUNT; op++)
    if (strlen(wl_opinfo_table[op].name) == len && !strncmp(wl_opinfo_table[op].name, name, len))
      return (int)op;
  return -1;
}

static wl_error *set_cost(wl_costs *c, const char *name, size_t len, uint64_t units,
                          bool has_per_item, uint64_t per_item) {
  int op = op_by_name(name, len);
  if (op < 0) return wl_err(WL_ERR_ARGUMENT, "unknown instruction \"%.*s\"", (int)len, name);
  if (units > UINT32_MAX || per_item > UINT32_MAX)
    return wl_err(WL_ERR_ARGUMENT, "cost of %.*s above %u", (int)len, name, UINT32_MAX);
  if (has_per_item && !is_bulk((uint16_t)op))
    return wl_err(WL_ERR_ARGUMENT, "%.*s is not a bulk instruction: it has no per-item cost",
                  (int)len, name);
  c->instr[op] = (uint32_t)units;
  if (has_per_item) c->per_item[op] = (uint32_t)per_item;
  return NULL;
}

wl_error *wl_costs_set(wl_costs *c, const char *name, uint64_t units, uint64_t per_item) {
  if (!name) return wl_err(WL_ERR_ARGUMENT, "no instruction name");
  int op = op_by_name(name, strlen(name));
  bool bulk = op >= 0 && is_bulk((uint16_t)op);
  return set_cost(c, name, strlen(name), units, bulk, per_item);
}

/* Reads an unsigned decimal number at *p, skipping blanks before it. */
static bool read_number(const char **p, uint64_t *out) {
  while (**p == ' ' || **p == '\t') (*p)++;
  if (**p < '0' || **p > '9') return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(*p, &end, 10);
  if (errno) return false;
  *p = end;
  *out = v;
  return true;
}

/* One line: "<instruction> <units> [<per-item units>]", or blank, or a # comment. */
static wl_error *parse_line(wl_costs *c, const char *line) {
  const char *p = line;
  while (*p == ' ' || *p == '\t') p++;
  if (*p == '\0' || *p == '\n' || *p == '#') return NULL;
  const char *name = p;
  while (*p && *p != ' ' && *p != '\t' && *p != '\n') p++;
  size_t len = (size_t)(p - name);
  uint64_t units = 0, per_item = 0;
  if (!read_number(&p, &units)) return wl_err(WL_ERR_ARGUMENT, "expected a cost after the name");
  bool has_per_item = read_number(&p, &per_item);
  while (*p == ' ' || *p == '\t' || *p == '\r') p++;
  if (*p && *p != '\n' && *p != '#') return wl_err(WL_ERR_ARGUMENT, "unexpected text \"%s\"", p);
  return set_cost(c, name, len, units, has_per_item, per_item);
}

wl_error *wl_costs_load(wl_costs *c, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return wl_err(WL_ERR_IO, "cannot read cost table %s: %s", path, strerror(errno));
  char line[512];
  wl_error *e = NULL;
  for (unsigned n = 1; !e && fgets(line, sizeof line, f); n++) {
    e = parse_line(c, line);
    if (e) e = wl_error_wrap(e, "%s:%u", path, n);
  }
  fclose(f);
  return e;
}

bool wl_charge_items(wl_exec *ex, uint16_t op, uint64_t n) {
  if (!ex->metered || !ex->costs) return true;
  uint64_t units = n * ex->costs->per_item[op];  /* < 2^64: n < 2^32, per_item < 2^32 */
  if (ex->fuel_left < units) {
    ex->fuel_left = 0;
    return wl_trap(ex, WL_TRAP_OUT_OF_FUEL);
  }
  ex->fuel_left -= units;
  return true;
}
