/* Executes one wast2json script: every command in order, in one store, imports resolved by
 * one linker that holds the `spectest` module and every `register`ed instance. */
#define _GNU_SOURCE  /* memmem */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "engine/cli/cli_util.h"
#include "spectest/spectest.h"

typedef struct {
  const char *name;   /* "$M1", borrowed from the JSON document */
  wl_instance *inst;  /* NULL when that module failed: later uses of the name fail too */
} named_instance;

typedef struct {
  wl_engine *engine;
  wl_store *store;
  wl_linker *linker;
  char setup_error[ST_TEXT]; /* set when the store could not be prepared: every command fails */
  char dir[PATH_MAX]; /* where the script's .wasm files are */
  wl_instance *current;
  named_instance *named;
  size_t nnamed, capacity;
  st_report *report;
} script;

/* What an action did: results, an engine error, or a reason it could not even run. */
typedef struct {
  wl_error *error;
  wl_val *results;
  size_t nresults;
  char problem[256];
} action_result;


static void describe_error(char *buf, size_t size, const wl_error *e) {
  if (!e) {
    snprintf(buf, size, "success");
    return;
  }
  const char *kind = wl_cli_error_kind_name(wl_error_kind_of(e)), *message = wl_error_message(e);
  wl_trap_kind trap = wl_error_trap_kind(e);
  const char *wording = trap != WL_TRAP_NONE ? wl_trap_kind_message(trap) : NULL;
  /* Name the trap kind unless the message already starts with its wording. */
  if (wording && strncmp(message, wording, strlen(wording)) != 0)
    snprintf(buf, size, "%s (%s): %s", kind, wording, message);
  else
    snprintf(buf, size, "%s: %s", kind, message);
}

/* ---------------------------------------------------------------- named instances */

static void remember_instance(script *s, const char *name, wl_instance *inst) {
  if (!name) return;
  if (s->nnamed == s->capacity) {
    size_t bigger = s->capacity ? s->capacity * 2 : 16;
    named_instance *grown = realloc(s->named, bigger * sizeof *grown);
    if (!grown) return;  /* the name stays unknown; its uses will fail */
    s->named = grown;
    s->capacity = bigger;
  }
  s->named[s->nnamed++] = (named_instance){name, inst};
}

/* The instance a command refers to: by name (latest definition wins) or the current one. */
static wl_instance *find_instance(const script *s, const char *name) {
  if (!name) return s->current;
  for (size_t k = s->nnamed; k-- > 0;)
    if (!strcmp(s->named[k].name, name)) return s->named[k].inst;
  return NULL;
}

/* ---------------------------------------------------------------- modules */

static wl_error *read_module_file(const script *s, const cJSON *cmd, uint8_t **bytes,
                                  size_t *len) {
  const char *filename = st_json_string(cmd, "filename");
  if (!filename) return wl_error_new(WL_ERR_ARGUMENT, "command has no module file");
  char path[PATH_MAX];
  int n = snprintf(path, sizeof path, "%s/%s", s->dir, filename);
  if (n < 0 || (size_t)n >= sizeof path) return wl_error_new(WL_ERR_IO, "path too long");
  return wl_cli_read_file(path, bytes, len);
}

static wl_error *load_module(const script *s, const cJSON *cmd, wl_module **out) {
  uint8_t *bytes = NULL;
  size_t len = 0;
  wl_error *e = read_module_file(s, cmd, &bytes, &len);
  if (!e) e = wl_module_new(s->engine, bytes, len, out);
  free(bytes);
  return e;
}

static wl_error *validate_module(const script *s, const cJSON *cmd) {
  uint8_t *bytes = NULL;
  size_t len = 0;
  wl_error *e = read_module_file(s, cmd, &bytes, &len);
  if (!e) e = wl_module_validate(s->engine, bytes, len);
  free(bytes);
  return e;
}

/* Loads and instantiates the command's module. A loading error comes back as is. */
static wl_error *instantiate(script *s, const cJSON *cmd, wl_instance **out) {
  wl_module *module = NULL;
  *out = NULL;
  wl_error *e = load_module(s, cmd, &module);
  if (!e) e = wl_linker_instantiate(s->linker, module, out);
  wl_module_delete(module);  /* an instance keeps its module alive */
  return e;
}

static void run_module(script *s, const cJSON *cmd, int line) {
  wl_instance *inst;
  wl_error *e = instantiate(s, cmd, &inst);
  s->current = inst;
  remember_instance(s, st_json_string(cmd, "name"), inst);
  char got[ST_TEXT];
  describe_error(got, sizeof got, e);
  st_report_outcome(s->report, line, "module", e ? ST_FAIL : ST_PASS, "success",
                    e ? got : "success", NULL);
  wl_error_delete(e);
}

static void run_register(script *s, const cJSON *cmd, int line) {
  const char *name = st_json_string(cmd, "name"), *as = st_json_string(cmd, "as");
  wl_instance *inst = find_instance(s, name);
  wl_error *e = NULL;
  if (!inst || !as)
    e = wl_error_new(WL_ERR_ARGUMENT, "no module %s to register", name ? name : "(current)");
  else
    e = wl_linker_define_instance(s->linker, as, inst);
  char got[ST_TEXT];
  describe_error(got, sizeof got, e);
  st_report_outcome(s->report, line, "register", e ? ST_FAIL : ST_PASS, "success",
                    e ? got : "success", NULL);
  wl_error_delete(e);
}

/* The module-level assertions: the module must fail in phase `want`, with the given text. */
static void expect_module_failure(script *s, const cJSON *cmd, int line, const char *kind,
                                  wl_error_kind want, wl_error *e) {
  const char *text = st_json_string(cmd, "text");
  char expected[ST_TEXT], got[ST_TEXT];
  snprintf(expected, sizeof expected, "%s: %s", wl_cli_error_kind_name(want), text ? text : "");
  describe_error(got, sizeof got, e);
  bool pass = e && wl_error_kind_of(e) == want &&
              st_message_matches(text, wl_error_message(e), wl_error_trap_kind(e));
  st_report_outcome(s->report, line, kind, pass ? ST_PASS : ST_FAIL, expected, got, NULL);
  wl_error_delete(e);
}

static void run_module_assertion(script *s, const cJSON *cmd, int line, const char *kind) {
  const char *module_type = st_json_string(cmd, "module_type");
  if (module_type && !strcmp(module_type, "text")) {
    /* No text parser in the engine: a quoted text module cannot be tried. */
    st_report_outcome(s->report, line, kind, ST_SKIP, NULL, NULL, "text-format module");
    return;
  }
  if (!strcmp(kind, "assert_malformed")) {
    expect_module_failure(s, cmd, line, kind, WL_ERR_MALFORMED, validate_module(s, cmd));
  } else if (!strcmp(kind, "assert_invalid")) {
    expect_module_failure(s, cmd, line, kind, WL_ERR_INVALID, validate_module(s, cmd));
  } else {
    /* unlinkable / uninstantiable: the module itself must load; instantiation must fail. */
    wl_error_kind want = !strcmp(kind, "assert_unlinkable") ? WL_ERR_UNLINKABLE
                                                            : WL_ERR_UNINSTANTIABLE;
    wl_module *module = NULL;
    wl_instance *inst = NULL;
    wl_error *e = load_module(s, cmd, &module);
    if (!e) e = wl_linker_instantiate(s->linker, module, &inst);
    wl_module_delete(module);
    expect_module_failure(s, cmd, line, kind, want, e);
  }
}

/* ---------------------------------------------------------------- actions */

static bool parse_args(const cJSON *action, wl_val **out, size_t *n, char *why, size_t size) {
  const cJSON *args = cJSON_GetObjectItemCaseSensitive(action, "args");
  size_t count = (size_t)cJSON_GetArraySize(args);
  wl_val *vals = calloc(count + 1, sizeof *vals);
  if (!vals) {
    snprintf(why, size, "out of memory");
    return false;
  }
  size_t k = 0;
  const cJSON *arg;
  cJSON_ArrayForEach(arg, args) {
    if (!st_parse_value(arg, &vals[k++], why, size)) {
      free(vals);
      return false;
    }
  }
  *out = vals;
  *n = count;
  return true;
}

/* cJSON keeps strings NUL-terminated, so a name holding U+0000 (names.wast) would be cut short.
 * Before parsing, every escaped NUL becomes NUL_STANDIN, a private-use character the file
 * does not otherwise contain; export_field() turns it back into a NUL byte with a length. */
#define NUL_STANDIN_UTF8 "\xee\x80\x80"  /* U+E000 */

static bool contains(const char *text, size_t len, const char *needle) {
  return memmem(text, len, needle, strlen(needle)) != NULL;
}

static void escape_nul_characters(char *text, size_t len) {
  if (contains(text, len, NUL_STANDIN_UTF8) || contains(text, len, "\\ue000") ||
      contains(text, len, "\\uE000"))
    return;  /* the stand-in is taken: leave NULs cut (and such a test fails visibly) */
  for (size_t i = 0; i + 1 < len; i++) {
    if (text[i] != '\\') continue;
    if (len - i >= 6 && memcmp(text + i, "\\u0000", 6) == 0) memcpy(text + i, "\\ue000", 6);
    i++;  /* skip the escaped character: an escaped backslash never starts an escape */
  }
}

/* An export name from the script: stand-ins back to NUL bytes, into buf; returns the length. */
static size_t export_field(const char *field, char *buf, size_t size) {
  size_t n = 0;
  for (const char *p = field; *p && n + 1 < size; n++) {
    bool standin = memcmp(p, NUL_STANDIN_UTF8, 3) == 0;
    buf[n] = standin ? '\0' : *p;
    p += standin ? 3 : 1;
  }
  buf[n] = '\0';
  return n;
}

static void invoke(script *s, wl_instance *inst, const cJSON *action, action_result *r) {
  const char *field = st_json_string(action, "field");
  char name[1024];
  size_t name_len = field ? export_field(field, name, sizeof name) : 0;
  wl_extern ext;
  if (!field || !wl_instance_export_sized(inst, name, name_len, &ext) ||
      ext.kind != WL_EXTERN_FUNC) {
    snprintf(r->problem, sizeof r->problem, "no exported function \"%s\"", field ? field : "");
    return;
  }
  wl_val *args = NULL;
  size_t nargs = 0;
  if (!parse_args(action, &args, &nargs, r->problem, sizeof r->problem)) return;
  r->nresults = wl_func_result_count(ext.of.func);
  r->results = calloc(r->nresults + 1, sizeof *r->results);
  if (!r->results) snprintf(r->problem, sizeof r->problem, "out of memory");
  else r->error = wl_func_call(s->store, ext.of.func, args, nargs, r->results, r->nresults);
  free(args);
}

static void get_global(wl_instance *inst, const cJSON *action, action_result *r) {
  const char *field = st_json_string(action, "field");
  wl_extern ext;
  if (!field || !wl_instance_export(inst, field, &ext) || ext.kind != WL_EXTERN_GLOBAL) {
    snprintf(r->problem, sizeof r->problem, "no exported global \"%s\"", field ? field : "");
    return;
  }
  r->results = calloc(1, sizeof *r->results);
  if (!r->results) {
    snprintf(r->problem, sizeof r->problem, "out of memory");
    return;
  }
  r->results[0] = wl_global_get(ext.of.global);
  r->nresults = 1;
}

static void perform_action(script *s, const cJSON *cmd, action_result *r) {
  memset(r, 0, sizeof *r);
  const cJSON *action = cJSON_GetObjectItemCaseSensitive(cmd, "action");
  const char *type = st_json_string(action, "type"), *module = st_json_string(action, "module");
  wl_instance *inst = find_instance(s, module);
  if (!inst)
    snprintf(r->problem, sizeof r->problem, "module %s is not available",
             module ? module : "(current)");
  else if (type && !strcmp(type, "invoke")) invoke(s, inst, action, r);
  else if (type && !strcmp(type, "get")) get_global(inst, action, r);
  else snprintf(r->problem, sizeof r->problem, "unknown action %s", type ? type : "(none)");
}

static void describe_action_result(char *buf, size_t size, const action_result *r) {
  if (r->problem[0]) snprintf(buf, size, "not run: %s", r->problem);
  else if (r->error) describe_error(buf, size, r->error);
  else st_describe_values(buf, size, r->results, r->nresults);
}

static bool results_match(const action_result *r, const cJSON *expected) {
  if (r->problem[0] || r->error) return false;
  if ((size_t)cJSON_GetArraySize(expected) != r->nresults) return false;
  size_t k = 0;
  const cJSON *want;
  cJSON_ArrayForEach(want, expected) {
    if (!st_value_matches(want, &r->results[k++])) return false;
  }
  return true;
}

/* Relaxed SIMD: {"either": [v1, v2, ...]} accepts a single result matching any listed value. */
static bool either_matches(const action_result *r, const cJSON *alternatives) {
  if (r->problem[0] || r->error || r->nresults != 1) return false;
  const cJSON *alt;
  cJSON_ArrayForEach(alt, alternatives) {
    if (st_value_matches(alt, &r->results[0])) return true;
  }
  return false;
}

static void run_action_command(script *s, const cJSON *cmd, int line, const char *kind) {
  action_result r;
  perform_action(s, cmd, &r);
  const cJSON *expected_values = cJSON_GetObjectItemCaseSensitive(cmd, "expected");
  const cJSON *either = cJSON_GetObjectItemCaseSensitive(cmd, "either");
  const char *text = st_json_string(cmd, "text");
  char expected[ST_TEXT], got[ST_TEXT];
  describe_action_result(got, sizeof got, &r);
  bool pass;
  if (!strcmp(kind, "assert_return") && either) {
    st_describe_expected(expected, sizeof expected, either);
    pass = either_matches(&r, either);
  } else if (!strcmp(kind, "assert_return")) {
    st_describe_expected(expected, sizeof expected, expected_values);
    pass = results_match(&r, expected_values);
  } else if (!strcmp(kind, "action")) {
    snprintf(expected, sizeof expected, "success");
    pass = !r.problem[0] && !r.error;
  } else {
    /* assert_trap / assert_exhaustion: a trap of the right kind, with the expected text */
    bool exhaustion = !strcmp(kind, "assert_exhaustion");
    snprintf(expected, sizeof expected, "trap: %s", text ? text : "");
    pass = r.error && wl_error_kind_of(r.error) == WL_ERR_TRAP &&
           (!exhaustion || wl_error_trap_kind(r.error) == WL_TRAP_STACK_EXHAUSTED) &&
           st_message_matches(text, wl_error_message(r.error), wl_error_trap_kind(r.error));
  }
  st_report_outcome(s->report, line, kind, pass ? ST_PASS : ST_FAIL, expected, got, NULL);
  wl_error_delete(r.error);
  free(r.results);
}

/* ---------------------------------------------------------------- the script */

static void run_command(script *s, const cJSON *cmd) {
  const char *kind = st_json_string(cmd, "type");
  const cJSON *line_item = cJSON_GetObjectItemCaseSensitive(cmd, "line");
  int line = cJSON_IsNumber(line_item) ? line_item->valueint : 0;
  if (!kind) kind = "(none)";
  if (s->setup_error[0]) {
    st_report_outcome(s->report, line, kind, ST_FAIL, "success", "not run", s->setup_error);
  } else if (!strcmp(kind, "module")) {
    run_module(s, cmd, line);
  } else if (!strcmp(kind, "register")) {
    run_register(s, cmd, line);
  } else if (!strcmp(kind, "action") || !strcmp(kind, "assert_return") ||
             !strcmp(kind, "assert_trap") || !strcmp(kind, "assert_exhaustion")) {
    run_action_command(s, cmd, line, kind);
  } else if (!strcmp(kind, "assert_malformed") || !strcmp(kind, "assert_invalid") ||
             !strcmp(kind, "assert_unlinkable") || !strcmp(kind, "assert_uninstantiable")) {
    run_module_assertion(s, cmd, line, kind);
  } else {
    st_report_outcome(s->report, line, kind, ST_FAIL, NULL, NULL, "unknown command type");
  }
}

static void set_setup_error(script *s, wl_error *e, const char *what) {
  char detail[ST_TEXT / 2] = "";
  if (e) describe_error(detail, sizeof detail, e);
  snprintf(s->setup_error, sizeof s->setup_error, "%s%s%s", what, e ? ": " : "", detail);
  wl_error_delete(e);
}

static void prepare(script *s, const char *json_path) {
  snprintf(s->dir, sizeof s->dir, "%s", json_path);
  char *slash = strrchr(s->dir, '/');
  if (slash) *slash = '\0';
  else snprintf(s->dir, sizeof s->dir, ".");
  s->store = wl_store_new(s->engine);
  s->linker = s->store ? wl_linker_new(s->store) : NULL;
  if (!s->linker) {
    set_setup_error(s, NULL, "cannot create a store and linker");
    return;
  }
  wl_error *e = st_define_spectest_module(s->linker, s->store);
  if (e) set_setup_error(s, e, "cannot define the spectest module");
}

/* wabt 1.0.32's wast2json writes the `expected` types of a multi-value action without
 * commas (`[{"type": "i32"}{"type": "i64"}]`). Returns a copy with a comma between every
 * `}` and a following `{` outside strings (never valid JSON without one), or NULL. */
static char *repair_missing_commas(const char *text, size_t len, size_t *out_len) {
  char *out = malloc(2 * len + 1);
  if (!out) return NULL;
  size_t n = 0;
  bool in_string = false, after_close = false;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (!in_string && c == '{' && after_close) out[n++] = ',';
    out[n++] = c;
    if (in_string && c == '\\' && i + 1 < len) {
      out[n++] = text[++i];
      continue;
    }
    if (c == '"') in_string = !in_string;
    if (!in_string && c != ' ' && c != '\n' && c != '\t' && c != '\r') after_close = c == '}';
  }
  *out_len = n;
  return out;
}

static cJSON *load_json(const char *json_path, st_report *report) {
  uint8_t *raw = NULL;
  size_t raw_len = 0, len = 0;
  wl_error *e = wl_cli_read_file(json_path, &raw, &raw_len);
  char *text = e ? NULL : repair_missing_commas((const char *)raw, raw_len, &len);
  free(raw);
  if (text) escape_nul_characters(text, len);
  cJSON *doc = text ? cJSON_ParseWithLength(text, len) : NULL;
  free(text);
  if (!doc) {
    st_report_outcome(report, 0, "script", ST_FAIL, "a wast2json script",
                      e ? wl_error_message(e) : "unparsable JSON", NULL);
  }
  wl_error_delete(e);
  return doc;
}

void st_run_script(wl_engine *engine, const char *json_path, st_report *report) {
  cJSON *doc = load_json(json_path, report);
  if (!doc) return;
  script *s = calloc(1, sizeof *s);  /* large (paths, texts): keep it off the stack */
  if (!s) {
    cJSON_Delete(doc);
    st_report_outcome(report, 0, "script", ST_FAIL, NULL, NULL, "out of memory");
    return;
  }
  s->engine = engine;
  s->report = report;
  prepare(s, json_path);
  const cJSON *cmd;
  cJSON_ArrayForEach(cmd, cJSON_GetObjectItemCaseSensitive(doc, "commands")) run_command(s, cmd);
  if (s->linker) wl_linker_delete(s->linker);
  if (s->store) wl_store_delete(s->store);
  free(s->named);
  free(s);
  cJSON_Delete(doc);
}
