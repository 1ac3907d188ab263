/* Test driver for wasmlab_kv: runs the commands given as arguments, one result line each.
 *   put K V | get K | getcap K N | del K | scan PREFIX | scans | badhandle | oob
 * Keys and values may hold any byte as \xNN; output escapes bytes outside printable ASCII
 * (and the backslash) the same way. Statuses are printed as numbers (wasmlab_kv.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmlab_kv.h"

static uint32_t decode(const char *s, char *out) {
  uint32_t n = 0;
  for (; *s; n++) {
    if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
      char hex[3] = {s[2], s[3], 0};
      out[n] = (char)strtol(hex, NULL, 16);
      s += 4;
    } else {
      out[n] = *s++;
    }
  }
  return n;
}

static void show(const char *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c < 0x20 || c > 0x7e || c == '\\') printf("\\x%02x", c);
    else putchar(c);
  }
}

static char key[4096], value[65536];

static void get(const char *k, uint32_t cap) {
  uint32_t kn = decode(k, key), len = 12345;
  int32_t s = wasmlab_kv_get(key, kn, value, cap, &len);
  printf("get %s: %d", k, (int)s);
  if (s == WASMLAB_KV_OK) {
    printf(" ");
    show(value, len);
  } else if (s == WASMLAB_KV_BUFFER_TOO_SMALL) {
    printf(" need %u", len);
  }
  printf("\n");
}

/* Starts with 1-byte buffers, so every entry first answers BUFFER_TOO_SMALL and is retried. */
static void scan(const char *prefix) {
  uint32_t pn = decode(prefix, key), h, kn, vn;
  int32_t s = wasmlab_kv_scan_open(key, pn, &h);
  printf("scan %s: %d", prefix, (int)s);
  static char kb[4096], vb[65536];
  while (s == WASMLAB_KV_OK) {
    s = wasmlab_kv_scan_next(h, kb, 1, &kn, vb, 1, &vn);
    if (s == WASMLAB_KV_BUFFER_TOO_SMALL) s = wasmlab_kv_scan_next(h, kb, kn, &kn, vb, vn, &vn);
    if (s != WASMLAB_KV_OK) break;
    printf(" ");
    show(kb, kn);
    printf("=");
    show(vb, vn);
  }
  printf(" end %d close %d\n", (int)s, (int)wasmlab_kv_scan_close(h));
}

static void scans(void) {
  uint32_t h[17];
  printf("scans:");
  for (int i = 0; i < 17; i++) printf(" %d", (int)wasmlab_kv_scan_open("", 0, &h[i]));
  for (int i = 0; i < 16; i++) wasmlab_kv_scan_close(h[i]);
  printf("\n");
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *c = argv[i];
    if (!strcmp(c, "put") && i + 2 < argc) {
      uint32_t kn = decode(argv[i + 1], key), vn = decode(argv[i + 2], value);
      printf("put %s: %d\n", argv[i + 1], (int)wasmlab_kv_put(key, kn, value, vn));
      i += 2;
    } else if (!strcmp(c, "get") && i + 1 < argc) {
      get(argv[++i], sizeof value);
    } else if (!strcmp(c, "getcap") && i + 2 < argc) {
      get(argv[i + 1], (uint32_t)atoi(argv[i + 2]));
      i += 2;
    } else if (!strcmp(c, "del") && i + 1 < argc) {
      uint32_t kn = decode(argv[++i], key);
      printf("del %s: %d\n", argv[i], (int)wasmlab_kv_delete(key, kn));
    } else if (!strcmp(c, "scan") && i + 1 < argc) {
      scan(argv[++i]);
    } else if (!strcmp(c, "scans")) {
      scans();
    } else if (!strcmp(c, "badhandle")) {
      uint32_t kn, vn;
      printf("badhandle: %d %d\n", (int)wasmlab_kv_scan_next(99, key, 1, &kn, value, 1, &vn),
             (int)wasmlab_kv_scan_close(7));
    } else if (!strcmp(c, "oob")) {
      fflush(stdout);
      wasmlab_kv_get((const void *)(uintptr_t)0xFFFFFF00u, 512, value, 1, &(uint32_t){0});
      printf("oob: no trap\n");
    } else {
      fprintf(stderr, "kv_driver: bad command %s\n", c);
      return 2;
    }
  }
  return 0;
}
