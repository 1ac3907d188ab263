/* The "extern_module" host module: each function takes its objects as externrefs, checks that
 * each is non-null and of the expected kind, and then works on it. A null or a wrong object
 * traps with a message that names the function and the argument. */
#include <inttypes.h>
#include <stdio.h>

#include "engine/include/wasmlab.h"
#include "host_funcs.h"
#include "host_objects.h"

/* The object behind args[i] if it is a non-null `kind`; else NULL and *err is the trap. */
static void *object_arg(const char *fn, const wl_val *args, int i, object_kind kind, wl_error **err) {
  if (wl_val_is_null(&args[i])) {
    *err = wl_trap_new(WL_TRAP_HOST, "%s: argument %d is a null externref where %s is needed",
                       fn, i, object_kind_name(kind));
    return NULL;
  }
  object *o = wl_val_externref_ptr(&args[i]);
  if (!o || o->kind != kind) {
    *err = wl_trap_new(WL_TRAP_HOST, "%s: argument %d is %s where %s is needed", fn, i,
                       o ? object_kind_name(o->kind) : "a NULL pointer", object_kind_name(kind));
    return NULL;
  }
  return o;
}

#define ARG(type, var, i, kind)                                  \
  wl_error *err_##var = NULL;                                    \
  type *var = object_arg(__func__, args, i, kind, &err_##var);   \
  if (!var) return err_##var

#define UNUSED_HOST_PARAMS (void)user_data, (void)caller, (void)results

static wl_error *functor_square(void *user_data, wl_caller *caller, const wl_val *args, wl_val *results) {
  UNUSED_HOST_PARAMS;
  ARG(squarer, sq, 0, OBJ_SQUARER);
  results[0].of.i32 = sq->apply(args[1].of.i32);
  return NULL;
}

static wl_error *class_add(void *user_data, wl_caller *caller, const wl_val *args, wl_val *results) {
  UNUSED_HOST_PARAMS;
  ARG(adder, a, 0, OBJ_ADDER);
  results[0].of.i32 = adder_add(a, args[1].of.i32, args[2].of.i32);
  return NULL;
}

static wl_error *func_mul(void *user_data, wl_caller *caller, const wl_val *args, wl_val *results) {
  UNUSED_HOST_PARAMS;
  ARG(multiply, m, 0, OBJ_MULTIPLY);
  results[0].of.i32 = m->fn(args[1].of.i32, args[2].of.i32);
  return NULL;
}

static wl_error *stl_ostream_str(void *user_data, wl_caller *caller, const wl_val *args, wl_val *results) {
  UNUSED_HOST_PARAMS;
  ARG(string_stream, s, 0, OBJ_STREAM);
  ARG(host_string, str, 1, OBJ_STRING);
  stream_write(s, str->text);
  return NULL;
}

static wl_error *stl_ostream_u32(void *user_data, wl_caller *caller, const wl_val *args, wl_val *results) {
  UNUSED_HOST_PARAMS;
  ARG(string_stream, s, 0, OBJ_STREAM);
  char digits[16];
  snprintf(digits, sizeof digits, "%" PRIu32, (uint32_t)args[1].of.i32);
  stream_write(s, digits);
  return NULL;
}

static wl_error *stl_map_insert(void *user_data, wl_caller *caller, const wl_val *args, wl_val *results) {
  UNUSED_HOST_PARAMS;
  ARG(string_map, m, 0, OBJ_MAP);
  ARG(host_string, key, 1, OBJ_STRING);
  ARG(host_string, value, 2, OBJ_STRING);
  map_insert(m, key->text, value->text);
  return NULL;
}

static wl_error *stl_map_erase(void *user_data, wl_caller *caller, const wl_val *args, wl_val *results) {
  UNUSED_HOST_PARAMS;
  ARG(string_map, m, 0, OBJ_MAP);
  ARG(host_string, key, 1, OBJ_STRING);
  map_erase(m, key->text);
  return NULL;
}

static wl_error *stl_set_insert(void *user_data, wl_caller *caller, const wl_val *args, wl_val *results) {
  UNUSED_HOST_PARAMS;
  ARG(int_set, s, 0, OBJ_SET);
  set_insert(s, args[1].of.i32);
  return NULL;
}

static wl_error *stl_set_erase(void *user_data, wl_caller *caller, const wl_val *args, wl_val *results) {
  UNUSED_HOST_PARAMS;
  ARG(int_set, s, 0, OBJ_SET);
  set_erase(s, args[1].of.i32);
  return NULL;
}

static wl_error *stl_vector_push(void *user_data, wl_caller *caller, const wl_val *args, wl_val *results) {
  UNUSED_HOST_PARAMS;
  ARG(u32_vector, v, 0, OBJ_VECTOR);
  vector_push(v, (uint32_t)args[1].of.i32);
  return NULL;
}

static wl_error *stl_vector_sum(void *user_data, wl_caller *caller, const wl_val *args, wl_val *results) {
  UNUSED_HOST_PARAMS;
  ARG(u32_iterator, begin, 0, OBJ_ITERATOR);
  ARG(u32_iterator, end, 1, OBJ_ITERATOR);
  if (begin->vec != end->vec)
    return wl_trap_new(WL_TRAP_HOST, "stl_vector_sum: the iterators belong to different vectors");
  results[0].of.i32 = (int32_t)vector_sum(begin, end);
  return NULL;
}

static const wl_valkind p_ee[] = {WL_EXTERNREF, WL_EXTERNREF};
static const wl_valkind p_eee[] = {WL_EXTERNREF, WL_EXTERNREF, WL_EXTERNREF};
static const wl_valkind p_ei[] = {WL_EXTERNREF, WL_I32};
static const wl_valkind p_eii[] = {WL_EXTERNREF, WL_I32, WL_I32};
static const wl_valkind r_i[] = {WL_I32};

#define SIG(params, results, nresults) {params, sizeof params / sizeof params[0], results, nresults}

static const wl_host_func_def extern_module[] = {
    {"functor_square", SIG(p_ei, r_i, 1), functor_square, 1},
    {"class_add", SIG(p_eii, r_i, 1), class_add, 1},
    {"func_mul", SIG(p_eii, r_i, 1), func_mul, 1},
    {"stl_ostream_str", SIG(p_ee, NULL, 0), stl_ostream_str, 1},
    {"stl_ostream_u32", SIG(p_ei, NULL, 0), stl_ostream_u32, 1},
    {"stl_map_insert", SIG(p_eee, NULL, 0), stl_map_insert, 1},
    {"stl_map_erase", SIG(p_ee, NULL, 0), stl_map_erase, 1},
    {"stl_set_insert", SIG(p_ei, NULL, 0), stl_set_insert, 1},
    {"stl_set_erase", SIG(p_ei, NULL, 0), stl_set_erase, 1},
    {"stl_vector_push", SIG(p_ei, NULL, 0), stl_vector_push, 1},
    {"stl_vector_sum", SIG(p_ee, r_i, 1), stl_vector_sum, 1},
};

wl_error *define_extern_module(wl_linker *l) {
  return wl_linker_define_host_module(l, "extern_module", extern_module,
                                      sizeof extern_module / sizeof extern_module[0], NULL);
}
