/* Outcomes of spec-test commands: counted per file, printed as JSON lines (--json) or as one
 * readable line per failure. */
#include <stdio.h>
#include <unistd.h>

#include "spectest/spectest.h"

static const char *outcome_name(st_outcome o) {
  return o == ST_PASS ? "pass" : o == ST_FAIL ? "fail" : "skip";
}

/* Writes s as a JSON string literal. */
static void put_json_string(FILE *out, const char *s) {
  if (!s) {
    fputs("null", out);
    return;
  }
  putc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
      case '"': fputs("\\\"", out); break;
      case '\\': fputs("\\\\", out); break;
      case '\n': fputs("\\n", out); break;
      case '\r': fputs("\\r", out); break;
      case '\t': fputs("\\t", out); break;
      default:
        if (*p < 0x20) fprintf(out, "\\u%04x", *p);
        else putc(*p, out);
    }
  }
  putc('"', out);
}

static void print_json_line(const st_report *r, int line, const char *kind, st_outcome outcome,
                            const char *expected, const char *got, const char *message) {
  FILE *out = stdout;
  fputs("{\"file\":", out);
  put_json_string(out, r->file);
  fprintf(out, ",\"line\":%d,\"kind\":", line);
  put_json_string(out, kind);
  fprintf(out, ",\"outcome\":\"%s\",\"expected\":", outcome_name(outcome));
  put_json_string(out, expected);
  fputs(",\"got\":", out);
  put_json_string(out, got);
  fputs(",\"message\":", out);
  put_json_string(out, message);
  fputs("}\n", out);
}

/* One outcome as the isolated child sends it: the outcome byte, then the line (4 bytes). */
static void send_tally(int fd, st_outcome outcome, int line) {
  unsigned char record[5] = {(unsigned char)outcome, (unsigned char)line,
                             (unsigned char)(line >> 8), (unsigned char)(line >> 16),
                             (unsigned char)(line >> 24)};
  ssize_t ignored = write(fd, record, sizeof record);  /* a lost tally shows as "no result" */
  (void)ignored;
}

void st_report_outcome(st_report *r, int line, const char *kind, st_outcome outcome,
                       const char *expected, const char *got, const char *message) {
  if (r->tally_fd >= 0) send_tally(r->tally_fd, outcome, line);
  if (outcome == ST_PASS) r->counts.passed++;
  else if (outcome == ST_FAIL) r->counts.failed++;
  else r->counts.skipped++;
  if (r->json) {
    print_json_line(r, line, kind, outcome, expected, got, message);
  } else if (outcome == ST_FAIL) {
    printf("%s:%d: %s failed: expected %s, got %s%s%s\n", r->file, line, kind,
           expected ? expected : "-", got ? got : "-", message ? ": " : "", message ? message : "");
  }
}

void st_print_counts(FILE *out, const char *label, const st_counts *c) {
  fprintf(out, "%s: passed %lu, failed %lu, skipped %lu (text-format modules), total %lu\n", label,
          c->passed, c->failed, c->skipped, c->passed + c->failed + c->skipped);
}
