/* Artifacts: linking the object into a shared object, the trailer that identifies it, the
 * check that runs before any dlopen (the cache itself is aot_cache.c).
 *
 * Layout of an artifact: [ELF shared object][aot_trailer]. The trailer carries the full key
 * and a SHA-256 of the ELF bytes, so a stale (other module/version/options), foreign (other
 * CPU or engine layout) or corrupted file is recognised without loading it. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/aot/aot.h"

extern char **environ;

#define AOT_MAGIC "WLAOTso\0"
#define AOT_FORMAT_VERSION 3u  /* 2: CPU identity read without LLVM; 3: line tables and
                                * unwind tables for trap backtraces, trap(ex, kind, offset) */

typedef struct {
  char magic[8];
  uint32_t format_version;
  uint32_t trailer_size;
  uint64_t content_len;
  aot_digest content_hash;
  aot_key key;
  char magic_end[8];
} aot_trailer;

static wl_error *io_error(const char *what, const char *path) {
  return wl_err(WL_ERR_IO, "aot: cannot %s %s: %s", what, path, strerror(errno));
}

static wl_error *write_all(int fd, const void *data, size_t len, const char *path) {
  const uint8_t *p = data;
  while (len) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("write", path);
    p += n;
    len -= (size_t)n;
  }
  return NULL;
}

/* The whole file open at `fd`, read from its start (pread: the offset stays put). */
static wl_error *read_fd(int fd, const char *path, uint8_t **out, size_t *len) {
  *out = NULL;
  struct stat st;
  if (fstat(fd, &st) != 0) return io_error("stat", path);
  uint8_t *buf = malloc((size_t)st.st_size + 1);
  size_t got = 0;
  while (buf && got < (size_t)st.st_size) {
    ssize_t n = pread(fd, buf + got, (size_t)st.st_size - got, (off_t)got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += (size_t)n;
  }
  if (!buf || got != (size_t)st.st_size) {
    free(buf);
    return wl_err(WL_ERR_IO, "aot: cannot read %s", path);
  }
  *out = buf;
  *len = got;
  return NULL;
}

static wl_error *read_file(const char *path, uint8_t **out, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("open", path);
  wl_error *err = read_fd(fd, path, out, len);
  close(fd);
  return err;
}

/* Linkers to spawn in order of preference: GNU ld starts in ~15 ms, ld.lld-19 (dynamically
 * linked against libLLVM) in ~80 ms, which dominates compiling a small module. */
static const char *const default_linkers[] = {"ld.bfd", "ld.lld-19", "ld.lld", NULL};

/* --eh-frame-hdr: the unwinder finds the code's unwind tables (trap backtraces). */
#define LINK_ARGS "-shared", "--hash-style=gnu", "--eh-frame-hdr", "-O1", "-o"
enum { LINK_NARGS = 6 };  /* argv[0] and LINK_ARGS */

static wl_error *spawn_linker(char **argv, const char *so_path) {
  const char *chosen = getenv("WASMLAB_AOT_LINKER");
  pid_t pid;
  int rc = ENOENT;
  for (int i = 0; rc == ENOENT && (chosen ? i == 0 : default_linkers[i] != NULL); i++) {
    argv[0] = (char *)(chosen && *chosen ? chosen : default_linkers[i]);
    rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
  }
  if (rc != 0)
    return wl_err(WL_ERR_UNSUPPORTED, "aot: cannot run a linker (%s): %s", argv[0], strerror(rc));
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return io_error("wait for the linker", argv[0]);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return wl_err(WL_ERR_UNSUPPORTED, "aot: linking %s failed", so_path);
  return NULL;
}

/* lld inside the compiler library (aot_lld.cpp), or NULL: none in the build, lld said it
 * cannot run again in this process, or WASMLAB_AOT_LINKER names a linker to spawn. Its output
 * is lld's, not GNU ld's: the artifact bytes depend on which linker the build has, never on
 * the module's history. */
typedef int (*lld_fn)(int argc, const char *const *argv, char **message);
static _Atomic bool lld_broken;

static lld_fn usable_lld(void) {
  const char *chosen = getenv("WASMLAB_AOT_LINKER");
  if ((chosen && *chosen) || lld_broken) return NULL;
  return aot_compiler_linker();
}

static wl_error *link_with_lld(lld_fn lld, char **argv, int argc, const char *so_path) {
  argv[0] = "ld.lld";
  argv[argc++] = "--threads=1";  /* a few small objects: a thread pool costs more than it saves */
  char *message = NULL;
  int rc = lld(argc, (const char *const *)argv, &message);
  if (rc == 2) lld_broken = true;
  wl_error *err = rc == 0 ? NULL : wl_err(WL_ERR_UNSUPPORTED, "aot: linking %s failed: %s", so_path,
                                          message ? message : "lld gave no reason");
  free(message);
  return err;
}

static wl_error *run_linker(char **obj_paths, uint32_t nobjs, const char *so_path) {
  char *argv[LINK_NARGS + 1 + nobjs + 2];  /* + "--threads=1" for lld, or NULL for spawn */
  char *fixed[] = {NULL, LINK_ARGS, (char *)so_path};
  memcpy(argv, fixed, sizeof fixed);
  memcpy(argv + LINK_NARGS + 1, obj_paths, nobjs * sizeof *obj_paths);
  int argc = LINK_NARGS + 1 + (int)nobjs;
  lld_fn lld = usable_lld();
  if (lld) return link_with_lld(lld, argv, argc, so_path);
  argv[argc] = NULL;
  return spawn_linker(argv, so_path);
}

static wl_error *append_trailer(const char *so_path, const aot_key *key) {
  uint8_t *content;
  size_t len;
  wl_error *err = read_file(so_path, &content, &len);
  if (err) return err;
  aot_trailer t;
  memset(&t, 0, sizeof t);
  memcpy(t.magic, AOT_MAGIC, 8);
  memcpy(t.magic_end, AOT_MAGIC, 8);
  t.format_version = AOT_FORMAT_VERSION;
  t.trailer_size = sizeof t;
  t.content_len = len;
  aot_sha256(content, len, &t.content_hash);
  t.key = *key;
  free(content);
  int fd = open(so_path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return io_error("open", so_path);
  err = write_all(fd, &t, sizeof t, so_path);
  if (close(fd) != 0 && !err) err = io_error("close", so_path);
  return err;
}

void aot_objects_free(aot_objects *o) {
  for (uint32_t i = 0; o->data && i < o->count; i++) free(o->data[i]);
  free(o->data);
  free(o->len);
  memset(o, 0, sizeof *o);
}

/* Writes each object to a temporary file next to so_path (in partition order, so the link is
 * deterministic), links them to `so_path`. */
wl_error *aot_link_artifact(const aot_objects *objs, const aot_key *key, const char *so_path) {
  size_t size = strlen(so_path) + 32;
  char *paths = calloc(objs->count ? objs->count : 1, size);
  char **names = calloc(objs->count ? objs->count : 1, sizeof *names);
  wl_error *err = paths && names ? NULL : wl_err(WL_ERR_RESOURCE, "out of memory");
  uint32_t made = 0;
  for (; !err && made < objs->count; made++) {
    names[made] = paths + made * size;
    snprintf(names[made], size, "%s.%u.XXXXXX.o", so_path, made);
    int fd = mkstemps(names[made], 2);
    if (fd < 0) {
      err = io_error("create", names[made]);
      break;
    }
    err = write_all(fd, objs->data[made], objs->len[made], names[made]);
    close(fd);
  }
  double t = aot_clock();
  if (!err) err = run_linker(names, objs->count, so_path);
  aot_report_phase("link", t);
  for (uint32_t i = 0; i < made; i++) unlink(names[i]);
  free(names);
  free(paths);
  if (!err) err = append_trailer(so_path, key);
  return err;
}

/* Why `t` does not belong to `want`, or NULL when it does. */
static const char *key_mismatch(const aot_key *have, const aot_key *want) {
  if (memcmp(&have->module_hash, &want->module_hash, sizeof want->module_hash) ||
      have->module_len != want->module_len)
    return "it was compiled from a different module";
  if (strcmp(have->version, want->version)) return "it was built by another wasmlab version";
  if (have->build_stamp != want->build_stamp) return "it was built by another wasmlab build";
  if (have->abi != want->abi) return "it was built for another engine layout";
  if (strcmp(have->cpu, want->cpu) ||
      memcmp(&have->cpu_features_hash, &want->cpu_features_hash, sizeof want->cpu_features_hash))
    return "it was built for another CPU";
  if (have->features != want->features) return "it was built with another feature set";
  if (have->opt_level != want->opt_level) return "it was built at another optimization level";
  if (have->metered != want->metered)
    return want->metered ? "it has no fuel metering (the engine sets a fuel limit)"
                         : "it has fuel metering (the engine sets no fuel limit)";
  if (memcmp(&have->costs_hash, &want->costs_hash, sizeof want->costs_hash))
    return "it was compiled with another metering cost table";
  if (memcmp(have, want, sizeof *want)) return "its key does not match";
  return NULL;
}

wl_error *aot_check_artifact(int fd, const char *path, const aot_key *key) {
  uint8_t *data;
  size_t len;
  wl_error *err = read_fd(fd, path, &data, &len);
  if (err) return err;
  aot_trailer t;
  const char *why = NULL;
  if (len < sizeof t) {
    why = "it is not a wasmlab AOT artifact (too short)";
  } else {
    memcpy(&t, data + len - sizeof t, sizeof t);
    if (memcmp(t.magic, AOT_MAGIC, 8) || memcmp(t.magic_end, AOT_MAGIC, 8))
      why = "it is not a wasmlab AOT artifact (no trailer)";
    else if (t.format_version != AOT_FORMAT_VERSION || t.trailer_size != sizeof t)
      why = "it has another artifact format version";
    else if (t.content_len != len - sizeof t)
      why = "it is corrupted (truncated or extended)";
    else
      why = key_mismatch(&t.key, key);
    if (!why) {
      aot_digest d;
      aot_sha256(data, t.content_len, &d);
      if (memcmp(&d, &t.content_hash, sizeof d)) why = "it is corrupted (checksum mismatch)";
    }
  }
  free(data);
  return why ? wl_err(WL_ERR_UNSUPPORTED, "aot artifact %s rejected: %s", path, why) : NULL;
}

wl_error *aot_compile_to_file(const wl_moddesc *m, uint32_t features, uint32_t opt_level,
                              const wl_costs *costs, uint32_t jobs, const char *so_path) {
  aot_key key;
  wl_error *err = aot_key_init(&key, m->bytes, m->len, features, opt_level);
  if (err) return err;
  aot_key_set_costs(&key, costs);
  aot_objects objs = {0};
  err = aot_compile_object(m, features, opt_level, costs, jobs, &objs);
  if (!err) {
    /* Link beside the destination, then rename: readers never see a partial artifact. */
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp%d", so_path, (int)getpid());
    err = aot_link_artifact(&objs, &key, tmp);
    if (!err && rename(tmp, so_path) != 0) err = io_error("rename to", so_path);
    if (err) unlink(tmp);
  }
  aot_objects_free(&objs);
  return err;
}

wl_error *aot_compile_private(const wl_moddesc *m, const aot_key *key, uint32_t features,
                              const wl_costs *costs, uint32_t jobs, char **path) {
  const char *tmp = getenv("TMPDIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/wasmlab-aot-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) return io_error("create a private directory like", dir);
  size_t size = strlen(dir) + sizeof "/module.so";
  *path = malloc(size);
  if (!*path) {
    rmdir(dir);
    return wl_err(WL_ERR_RESOURCE, "out of memory");
  }
  snprintf(*path, size, "%s/module.so", dir);
  wl_error *err = aot_compile_to_file(m, features, key->opt_level, costs, jobs, *path);
  if (err) {
    aot_remove_private_artifact(*path);
    free(*path);
    *path = NULL;
  }
  return err;
}

void aot_remove_private_artifact(const char *path) {
  unlink(path);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = '\0';
  rmdir(dir);
}
