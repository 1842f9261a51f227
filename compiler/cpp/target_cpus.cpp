// The CPU names a target's subtarget tables know (`skylake`, `znver3`, ...),
// which LLVM's C API does not expose. A TargetMachine made with an unknown
// CPU only warns, then aborts when it generates code, so `lljit aot
// --target-cpu=` checks the name against this list first.

#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"

#include <cstring>
#include <memory>

extern "C" {

/// Calls `each(data, name, len)` for every CPU name of `target` (an
/// `LLVMTargetRef`) for `triple`, in LLVM's (sorted) order. Returns 0 when
/// the target has no subtarget information.
int lljit_target_cpu_names(void *target, const char *triple,
                           void (*each)(void *data, const char *name, size_t len),
                           void *data) {
  auto *t = static_cast<const llvm::Target *>(target);
  std::unique_ptr<llvm::MCSubtargetInfo> sti(t->createMCSubtargetInfo(triple, "", ""));
  if (!sti)
    return 0;
  for (const llvm::SubtargetSubTypeKV &cpu : sti->getAllProcessorDescriptions())
    each(data, cpu.Key, std::strlen(cpu.Key));
  return 1;
}

}
