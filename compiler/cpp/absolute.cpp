// JIT memory named in compiled code. A global declared here stands for an
// address the JIT defines as an absolute symbol when it loads the code (a
// slot table, a function's profile words): with the large code model and
// a full `!absolute_symbol` range, x86-64 code reaches it with one
// `movabs` (an R_X86_64_64 relocation), exactly the instruction a baked-in
// address would be, and never through the GOT or a 32-bit displacement.

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Metadata.h"
#include "llvm/Support/CodeGen.h"
#include "llvm-c/Core.h"

extern "C" {

/// Marks `global` (an `LLVMValueRef` of a global variable declaration) as
/// an absolute address anywhere in the 64-bit space.
void lljit_mark_absolute(LLVMValueRef global) {
  auto *gv = llvm::cast<llvm::GlobalVariable>(llvm::unwrap(global));
  gv->setCodeModel(llvm::CodeModel::Large);
  auto &ctx = gv->getContext();
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  // The range [-1, -1) is LLVM's "every value": the full 64 bits.
  llvm::Metadata *range[] = {
      llvm::ConstantAsMetadata::get(llvm::ConstantInt::get(i64, -1, true)),
      llvm::ConstantAsMetadata::get(llvm::ConstantInt::get(i64, -1, true))};
  gv->setMetadata(llvm::LLVMContext::MD_absolute_symbol,
                  llvm::MDNode::get(ctx, range));
}

/// Makes `global` an ordinary external declaration again: reached through
/// the GOT, which fast instruction selection handles (it takes no
/// large-code-model global).
void lljit_unmark_absolute(LLVMValueRef global) {
  auto *gv = llvm::cast<llvm::GlobalVariable>(llvm::unwrap(global));
  gv->setCodeModel(llvm::CodeModel::Small);
  gv->setMetadata(llvm::LLVMContext::MD_absolute_symbol, nullptr);
}

} // extern "C"
