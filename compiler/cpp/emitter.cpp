// One code-generation pipeline for many modules. LLVM's C API
// (`LLVMTargetMachineEmitToMemoryBuffer`) builds the pass pipeline of code
// generation again for every module, which costs more than generating the
// code of a small module at the fast tier (the REPL's inputs, tier 0). An
// emitter builds it once and runs it on each module in turn: the machine
// module info resets its MC context at every module's end, and the asm
// printer resets its streamer, so nothing of one module reaches the next.

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm-c/Core.h"

#include <memory>

namespace {
struct Emitter {
  llvm::TargetMachine *tm;
  llvm::legacy::PassManager pm;
  llvm::SmallVector<char, 0> buf;
  llvm::raw_svector_ostream os{buf};
};
} // namespace

extern "C" {

/// A pipeline emitting object files for `tm` (an `LLVMTargetMachineRef`,
/// which must outlive it), or null when the target cannot.
void *lljit_emitter_new(void *tm) {
  auto e = std::make_unique<Emitter>();
  e->tm = static_cast<llvm::TargetMachine *>(tm);
  if (e->tm->addPassesToEmitFile(e->pm, e->os, nullptr,
                                 llvm::CodeGenFileType::ObjectFile))
    return nullptr;
  return e.release();
}

/// Generates `module`'s object file (an `LLVMMemoryBufferRef` the caller
/// owns).
LLVMMemoryBufferRef lljit_emitter_run(void *emitter, LLVMModuleRef module) {
  auto *e = static_cast<Emitter *>(emitter);
  llvm::Module *m = llvm::unwrap(module);
  m->setDataLayout(e->tm->createDataLayout());
  e->buf.clear();
  e->pm.run(*m);
  auto mb = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(e->buf.data(), e->buf.size()), "object");
  return llvm::wrap(mb.release());
}

void lljit_emitter_free(void *emitter) { delete static_cast<Emitter *>(emitter); }
}
