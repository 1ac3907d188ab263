// The artifact linker in-process: lld's ELF driver (Debian liblld-19-dev) called as a library.
// The only C++ in wasmlab, because lld has no C interface. Spawning GNU ld costs ~5 ms a
// module (the spec suites link ~1,450), lld here ~1 ms after its first call. The engine
// (aot_artifact.c) spawns a linker instead when the compiler library was built without lld,
// when WASMLAB_AOT_LINKER names one, or after lld says it cannot run again.
#include <lld/Common/Driver.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

LLD_HAS_DRIVER(elf)

extern "C" int aot_lld_link(int argc, const char *const *argv, char **message) {
  // lld keeps its state in globals for the length of one link: one link at a time.
  static std::mutex one_at_a_time;
  std::lock_guard<std::mutex> hold(one_at_a_time);
  std::string diagnostics;
  llvm::raw_string_ostream out(diagnostics), err(diagnostics);
  lld::Result r = lld::lldMain(llvm::ArrayRef<const char *>(argv, argc), out, err,
                               {{lld::Gnu, &lld::elf::link}});
  out.flush();
  err.flush();
  *message = diagnostics.empty() ? nullptr : strdup(diagnostics.c_str());
  if (r.retCode == 0) return 0;
  return r.canRunAgain ? 1 : 2;
}
