/* v128 values in wast2json scripts: {"type": "v128", "lane_type": "f32", "value": [four
 * lanes]}, each lane an unsigned decimal string of its bits or, for float lanes of an
 * expectation, a NaN pattern matched lane by lane. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "spectest/spectest.h"

typedef struct {
  unsigned bytes;   /* lane width */
  bool is_float;
} lane_shape;

static bool shape_of(const char *lane_type, lane_shape *out) {
  static const struct { const char *name; lane_shape shape; } shapes[] = {
      {"i8", {1, false}}, {"i16", {2, false}}, {"i32", {4, false}},
      {"i64", {8, false}}, {"f32", {4, true}}, {"f64", {8, true}}};
  for (size_t k = 0; lane_type && k < sizeof shapes / sizeof *shapes; k++)
    if (!strcmp(lane_type, shapes[k].name)) {
      *out = shapes[k].shape;
      return true;
    }
  return false;
}

static bool lane_bits(const char *text, unsigned bytes, uint64_t *out) {
  if (!text || !*text || *text == '-') return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || *end) return false;
  if (bytes < 8 && v >> (8 * bytes)) return false;
  *out = v;
  return true;
}

static uint64_t read_lane(const uint8_t *v128, unsigned bytes, unsigned lane) {
  uint64_t bits = 0;
  memcpy(&bits, v128 + lane * bytes, bytes);  /* little-endian host, as the engine */
  return bits;
}

/* The lanes of `json` as a checked array of 16 / bytes entries, else NULL. */
static const cJSON *lanes_of(const cJSON *json, lane_shape *shape) {
  const cJSON *lanes = cJSON_GetObjectItemCaseSensitive(json, "value");
  if (!shape_of(st_json_string(json, "lane_type"), shape) || !cJSON_IsArray(lanes)) return NULL;
  return cJSON_GetArraySize(lanes) == (int)(16 / shape->bytes) ? lanes : NULL;
}

bool st_parse_v128(const cJSON *json, wl_val *out) {
  lane_shape shape;
  const cJSON *lanes = lanes_of(json, &shape), *lane;
  if (!lanes) return false;
  uint8_t bytes[16];
  unsigned k = 0;
  cJSON_ArrayForEach(lane, lanes) {
    uint64_t bits;
    if (!lane_bits(cJSON_IsString(lane) ? lane->valuestring : NULL, shape.bytes, &bits))
      return false;
    memcpy(bytes + k++ * shape.bytes, &bits, shape.bytes);
  }
  *out = wl_val_v128(bytes);
  return true;
}

static bool lane_matches(const char *text, lane_shape shape, uint64_t got) {
  if (shape.is_float && text && !strncmp(text, "nan:", 4)) {
    uint64_t quiet = shape.bytes == 4 ? 0x7FC00000u : 0x7FF8000000000000u;
    uint64_t abs = shape.bytes == 4 ? 0x7FFFFFFFu : 0x7FFFFFFFFFFFFFFFu;
    if (!strcmp(text, "nan:canonical")) return (got & abs) == quiet;
    return (got & quiet) == quiet;
  }
  uint64_t want;
  return lane_bits(text, shape.bytes, &want) && want == got;
}

bool st_v128_matches(const cJSON *expected, const wl_val *got) {
  lane_shape shape;
  const cJSON *lanes = lanes_of(expected, &shape), *lane;
  if (!lanes) return false;
  unsigned k = 0;
  cJSON_ArrayForEach(lane, lanes) {
    const char *text = cJSON_IsString(lane) ? lane->valuestring : NULL;
    if (!lane_matches(text, shape, read_lane(got->of.v128, shape.bytes, k++))) return false;
  }
  return true;
}

void st_describe_v128_expected(char *buf, size_t size, const cJSON *json) {
  const char *lane_type = st_json_string(json, "lane_type");
  lane_shape shape;
  const cJSON *lanes = lanes_of(json, &shape), *lane;
  if (!lanes) {
    snprintf(buf, size, "v128:?");
    return;
  }
  int used = snprintf(buf, size, "v128:%s", lane_type);
  cJSON_ArrayForEach(lane, lanes) {
    if (used < 0 || (size_t)used >= size) return;
    used += snprintf(buf + used, size - (size_t)used, " %s",
                     cJSON_IsString(lane) ? lane->valuestring : "?");
  }
}

void st_describe_v128(char *buf, size_t size, const wl_val *v) {
  int used = snprintf(buf, size, "v128:i32");
  for (unsigned k = 0; k < 4 && used > 0 && (size_t)used < size; k++)
    used += snprintf(buf + used, size - (size_t)used, " %" PRIu64, read_lane(v->of.v128, 4, k));
}
