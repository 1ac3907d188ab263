/* The spec-test runner: converts .wast files with wast2json and executes every command of
 * the JSON script against the public API (engine/include/wasmlab.h only). */
#ifndef WL_SPECTEST_H
#define WL_SPECTEST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "engine/include/wasmlab.h"

typedef struct cJSON cJSON;

/* ---------------------------------------------------------------- results (report.c) */

typedef enum { ST_PASS, ST_FAIL, ST_SKIP } st_outcome;

typedef struct {
  unsigned long passed, failed, skipped;
} st_counts;

/* Where outcomes go: one JSON object per command with --json, else a line per failure. */
typedef struct {
  bool json;
  const char *file;  /* the .wast file being run, as given on the command line */
  st_counts counts;  /* this file's */
  int tally_fd;      /* >= 0 in an isolated child: each outcome is also sent to the parent */
} st_report;

/* Records one command's outcome. `expected`, `got` and `message` may be NULL. */
void st_report_outcome(st_report *r, int line, const char *kind, st_outcome outcome,
                       const char *expected, const char *got, const char *message);
/* "passed N, failed N, skipped N (text-format modules), total N" */
void st_print_counts(FILE *out, const char *label, const st_counts *c);

/* ---------------------------------------------------------------- conversion (convert.c) */

/* Starts `wast2json` for `wast` writing `json_path`, passing --disable-<f> for every feature
 * that is off in `features`; stderr goes to `stderr_path`. Returns the child pid, or -1. */
pid_t st_convert_start(const char *wast, const char *json_path, const char *stderr_path,
                       uint32_t features);
/* Waits for the conversion; on failure writes a one-line reason into `why`. */
bool st_convert_wait(pid_t pid, const char *stderr_path, char *why, size_t why_size);
/* Removes a folder made for one conversion and the files in it (not recursive). */
void st_remove_folder(const char *dir);
/* The wast2json flags `st_convert_start` passes for `features`; returns their number. */
size_t st_convert_flags(uint32_t features, char flags[][64], size_t max);

/* ---------------------------------------------------------------- conversion cache (convert_cache.c) */

/* Converted scripts kept across runs in the folder WASMLAB_WAST2JSON_CACHE (unset or empty: no
 * cache). An entry is a folder named by the .wast file's stem and a hash of its bytes and the
 * wast2json flags; it appears only complete (converted elsewhere, then renamed into place), so
 * concurrent runs (pytest-xdist workers) share it safely. */
const char *st_cache_root(void);
/* Writes the entry folder for `wast` into `dir`; false when the file cannot be read. */
bool st_cache_entry(const char *root, const char *wast, uint32_t features, char *dir, size_t size);
/* Moves a finished conversion `tmp_dir` (a folder in the cache root) to `entry`; when another
 * run put it there first, theirs is kept and `tmp_dir` removed. True when `entry` then holds
 * the conversion; false (and `tmp_dir` left as it is) when it could not be moved. */
bool st_cache_publish(const char *tmp_dir, const char *entry);

/* ---------------------------------------------------------------- running a script (script.c) */

/* Runs every command of the JSON script `json_path` (its .wasm files beside it) in a fresh
 * store. Outcomes go to `report`. */
void st_run_script(wl_engine *engine, const char *json_path, st_report *report);

/* ---------------------------------------------------------------- isolation (isolate.c) */

/* Runs st_run_script in a child process, so that a crash or a hang in the engine costs one
 * file, not the whole run: outcomes stream back to this process as they happen, and a crash
 * or a timeout (`timeout_seconds`, 0 = none) is reported as one more failed command that
 * names the last command that finished. */
void st_run_script_isolated(wl_engine *engine, const char *json_path, st_report *report,
                            unsigned timeout_seconds);

/* ---------------------------------------------------------------- values (values.c) */

#define ST_TEXT 1024  /* room for an "expected"/"got" description */

/* Converts a JSON argument {"type": "i32", "value": "5"} into a value. */
/* obj[key] when it is a string, else NULL. */
const char *st_json_string(const cJSON *obj, const char *key);

bool st_parse_value(const cJSON *json, wl_val *out, char *why, size_t why_size);
/* Whether `got` satisfies the JSON expectation (exact bits, NaN patterns, reference rules). */
bool st_value_matches(const cJSON *expected, const wl_val *got);
/* Appends descriptions (" "-separated) of a list of JSON values / of values to buf. */
void st_describe_expected(char *buf, size_t size, const cJSON *list);
void st_describe_values(char *buf, size_t size, const wl_val *vals, size_t n);

/* v128 values (v128.c): lane-typed JSON values, NaN patterns per float lane. */
bool st_parse_v128(const cJSON *json, wl_val *out);
bool st_v128_matches(const cJSON *expected, const wl_val *got);
void st_describe_v128_expected(char *buf, size_t size, const cJSON *json);
void st_describe_v128(char *buf, size_t size, const wl_val *v);

/* ---------------------------------------------------------------- host module (host.c) */

/* Defines the `spectest` module (print functions, globals, table, memory) in `linker`. */
wl_error *st_define_spectest_module(wl_linker *linker, wl_store *store);

/* ---------------------------------------------------------------- messages (aliases.c) */

/* Whether an engine error message (or the spec wording of its trap kind) is an acceptable
 * report of the failure the script expects, given its `expected` text. */
bool st_message_matches(const char *expected, const char *message, wl_trap_kind trap);

#endif
