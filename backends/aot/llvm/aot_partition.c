/* Partitions and compile threads: a module's defined functions are cut, in index order, into
 * partitions of about AOT_PARTITION_CODE bytes of wasm code, smaller towards the end
 * (partition_target); each is translated, optimized and
 * emitted in its own LLVMContext into its own object, and the objects are linked into one
 * artifact (aot_artifact.c).
 *
 * Why this shape:
 *  - Same bytes whatever the number of threads: the cut depends only on the module, each
 *    partition's object only on its functions, and the objects are linked in partition order.
 *    So `jobs` is not part of the artifact key.
 *  - Bounded memory: a partition's IR (context, module) is freed as soon as its object is
 *    emitted, so peak memory follows `jobs` partitions at a time, not the module.
 *  - A module smaller than one partition (every bench program but the large one, the spec
 *    suites' modules) is compiled exactly as before: one partition, local functions, on the
 *    calling thread with the shared target machine. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <llvm-c/TargetMachine.h>

#include "backends/aot/llvm/aot_ir.h"

/* Wasm code bytes per partition. Smaller: less memory and better balance, but more calls
 * between partitions, which LLVM cannot inline (the wasm producer already inlined). */
#define AOT_PARTITION_CODE (256u << 10)
#define AOT_PARTITION_TAIL (32u << 10)  /* the smallest of the last partitions */
#define AOT_THREAD_STACK (16u << 20)  /* LLVM recurses on deep expression trees */

typedef struct {
  uint32_t first, end;  /* defined function indices */
} aot_part;

typedef struct {
  const wl_moddesc *m;
  uint32_t features, opt;
  uint32_t codegen;        /* the code generator's level (aot_codegen_level) */
  const wl_costs *costs;
  const aot_part *parts;
  uint32_t nparts;
  bool shared_tm;          /* one thread: the cached target machine */
  atomic_uint next;        /* the next partition to take */
  aot_objects *out;
  wl_error **errors;       /* per partition; the first one in partition order is reported */
  _Atomic double phase[3]; /* translate, optimize, codegen: summed over partitions */
  _Atomic double cpu[3];   /* the same phases in thread CPU time (a loaded machine's wall
                            * time counts the other processes too) */
} aot_job;

static const char *const phase_names[3] = {"translate", "optimize", "codegen"};

/* The size a partition starting with `remaining` bytes of code left aims for: the full
 * AOT_PARTITION_CODE until the module's last ~4 partitions' worth, then a quarter of what is
 * left, down to AOT_PARTITION_TAIL. The threads take partitions in index order, so small
 * ones at the end keep a thread from running on alone with a full partition while the
 * others have finished (on bench/large, ~1.2 s of a 21 s compile was that tail). */
static uint64_t partition_target(uint64_t remaining) {
  uint64_t quarter = remaining / 4;
  if (quarter > AOT_PARTITION_CODE) return AOT_PARTITION_CODE;
  return quarter > AOT_PARTITION_TAIL ? quarter : AOT_PARTITION_TAIL;
}

static uint32_t plan_partitions(const wl_moddesc *m, aot_part **out) {
  uint32_t n = m->nfuncs - m->nfunc_imports, count = 0;
  aot_part *parts = malloc((n + 1) * sizeof *parts);
  if (!parts) return 0;
  uint64_t left = 0, size = 0, target = 0;  /* left: code bytes from function i on */
  for (uint32_t i = 0; i < n; i++) left += m->funcs[i].code_len;
  bool whole = left <= AOT_PARTITION_CODE;  /* one partition, as before */
  for (uint32_t i = 0; i < n; i++) {
    if (i == 0 || (!whole && size >= target)) {
      parts[count++] = (aot_part){i, i};
      target = partition_target(left);
      size = 0;
    }
    size += m->funcs[i].code_len;
    left -= m->funcs[i].code_len;
    parts[count - 1].end = i + 1;
  }
  if (count == 0) parts[count++] = (aot_part){0, 0};  /* no functions: tables only */
  *out = parts;
  return count;
}

static double thread_cpu(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void add_to(_Atomic double *total, double d) {
  double old = atomic_load(total);
  while (!atomic_compare_exchange_weak(total, &old, old + d)) {
  }
}

/* Adds the wall and CPU time since (wall, cpu) to phase i, and restarts both clocks. */
static void end_phase(aot_job *job, int i, double *wall, double *cpu) {
  double w = aot_clock(), c = thread_cpu();
  add_to(&job->phase[i], w - *wall);
  add_to(&job->cpu[i], c - *cpu);
  *wall = w, *cpu = c;
}

static wl_error *compile_part(aot_job *job, uint32_t p, LLVMTargetMachineRef tm) {
  aot_module am = {0};
  am.m = job->m;
  am.features = job->features;
  am.metered = job->costs != NULL;
  am.costs = job->costs;
  am.sp_register = aot_sp_register();
  am.part = p;
  am.nparts = job->nparts;
  am.first = job->parts[p].first;
  am.end = job->parts[p].end;
  am.ctx = LLVMContextCreate();
  am.mod = LLVMModuleCreateWithNameInContext("wasm", am.ctx);
  LLVMSetTarget(am.mod, aot_host_triple());
  LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(tm);
  LLVMSetModuleDataLayout(am.mod, layout);
  LLVMDisposeTargetData(layout);
  double wall = aot_clock(), cpu = thread_cpu();
  wl_error *err = aot_translate_module(&am);
  end_phase(job, 0, &wall, &cpu);
  if (!err && getenv("WASMLAB_AOT_DUMP")) LLVMDumpModule(am.mod);
  wall = aot_clock(), cpu = thread_cpu();
  if (!err) err = aot_optimize(am.mod, tm, job->opt, job->nparts == 1);
  if (!err) aot_debug_fold_sites(am.mod);
  end_phase(job, 1, &wall, &cpu);
  if (!err && getenv("WASMLAB_AOT_DUMP")) LLVMDumpModule(am.mod);
  wall = aot_clock(), cpu = thread_cpu();
  if (!err) err = aot_emit_object(am.mod, tm, &job->out->data[p], &job->out->len[p]);
  end_phase(job, 2, &wall, &cpu);
  /* Freed before the next partition: peak memory follows the partitions in flight. */
  LLVMDisposeModule(am.mod);
  LLVMContextDispose(am.ctx);
  return err;
}

static void *worker(void *arg) {
  aot_job *job = arg;
  LLVMTargetMachineRef tm;
  wl_error *err = job->shared_tm ? aot_target_machine(job->codegen, &tm)
                                 : aot_new_target_machine(job->codegen, &tm);
  for (uint32_t p; (p = atomic_fetch_add(&job->next, 1)) < job->nparts;) {
    if (!err) {
      job->errors[p] = compile_part(job, p, tm);
      continue;
    }
    job->errors[p] = err;  /* this thread's partitions all fail with it */
    err = wl_err(wl_error_kind_of(err), "%s", wl_error_message(err));
  }
  if (err) wl_error_delete(err);
  if (!job->shared_tm && tm) LLVMDisposeTargetMachine(tm);
  return NULL;
}

static uint32_t thread_count(uint32_t jobs, uint32_t nparts) {
  if (jobs == 0) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = cores > 0 ? (uint32_t)cores : 1;
  }
  return jobs < nparts ? jobs : nparts;
}

/* Runs `worker` on `threads` threads (the calling one among them). */
static void run_workers(aot_job *job, uint32_t threads) {
  pthread_t tids[threads];
  uint32_t started = 0;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, AOT_THREAD_STACK);
  for (uint32_t i = 1; i < threads; i++)
    if (pthread_create(&tids[started], &attr, worker, job) == 0) started++;
  pthread_attr_destroy(&attr);
  worker(job);  /* whatever threads could not start, this one covers */
  for (uint32_t i = 0; i < started; i++) pthread_join(tids[i], NULL);
}

static void report_phases(const aot_job *job, uint32_t threads, double since) {
  if (!getenv("WASMLAB_AOT_TIMING")) return;
  for (int i = 0; i < 3; i++)
    fprintf(stderr, "aot: %-10s %8.3f ms, CPU %8.3f ms (sum over %u partitions)\n",
            phase_names[i], atomic_load(&job->phase[i]) * 1e3, atomic_load(&job->cpu[i]) * 1e3,
            job->nparts);
  fprintf(stderr, "aot: %-10s %8.3f ms (wall, %u threads)\n", "compile",
          (aot_clock() - since) * 1e3, threads);
}

wl_error *aot_compile_partitions(const wl_moddesc *m, uint32_t features, uint32_t opt_level,
                                 const wl_costs *costs, uint32_t jobs, aot_objects *out) {
  memset(out, 0, sizeof *out);
  if (opt_level > 3) opt_level = 3;
  double t = aot_clock();
  aot_job job = {.m = m, .features = features, .opt = opt_level, .costs = costs, .out = out};
  aot_part *parts = NULL;
  job.nparts = plan_partitions(m, &parts);
  job.parts = parts;
  out->count = job.nparts;
  out->data = calloc(job.nparts + 1, sizeof *out->data);
  out->len = calloc(job.nparts + 1, sizeof *out->len);
  job.errors = calloc(job.nparts + 1, sizeof *job.errors);
  if (!job.nparts || !out->data || !out->len || !job.errors) {
    free(parts);
    free(job.errors);
    return wl_err(WL_ERR_RESOURCE, "out of memory");
  }
  job.codegen = aot_codegen_level(opt_level, job.nparts);
  uint32_t threads = thread_count(jobs, job.nparts);
  job.shared_tm = threads == 1;
  run_workers(&job, threads);
  report_phases(&job, threads, t);
  wl_error *err = NULL;
  for (uint32_t p = 0; p < job.nparts; p++) {
    if (!err) err = job.errors[p];
    else if (job.errors[p]) wl_error_delete(job.errors[p]);
    if (!err && !out->data[p]) err = wl_err(WL_ERR_RESOURCE, "out of memory");
  }
  free(parts);
  free(job.errors);
  return err;
}
