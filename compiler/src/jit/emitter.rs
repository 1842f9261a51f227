//! Fast code generation: one pass pipeline, built once, that turns module
//! after module into object files (`cpp/emitter.cpp`). LLVM's C API builds
//! the pipeline again for every module, which costs more than the fast
//! tier's code generation of a small module.

use inkwell::memory_buffer::MemoryBuffer;
use inkwell::module::Module;
use inkwell::targets::TargetMachine;
use llvm_sys::prelude::LLVMMemoryBufferRef;
use llvm_sys::prelude::LLVMModuleRef;
use std::ffi::c_void;

extern "C" {
    fn lljit_emitter_new(tm: *mut c_void) -> *mut c_void;
    fn lljit_emitter_run(emitter: *mut c_void, module: LLVMModuleRef) -> LLVMMemoryBufferRef;
    fn lljit_emitter_free(emitter: *mut c_void);
}

/// A target machine and its reusable object-file pipeline.
pub struct Emitter {
    /// Kept alive for the pipeline, which refers to it.
    _tm: TargetMachine,
    pipeline: *mut c_void,
}

impl Emitter {
    /// The pipeline of `tm`.
    pub fn new(tm: TargetMachine) -> Result<Emitter, String> {
        // SAFETY: `tm` is a live target machine, kept for the pipeline's life.
        let pipeline = unsafe { lljit_emitter_new(tm.as_mut_ptr() as *mut c_void) };
        if pipeline.is_null() {
            return Err("the target cannot emit object files".into());
        }
        Ok(Emitter { _tm: tm, pipeline })
    }

    /// `m`'s object file.
    pub fn emit(&self, m: &Module) -> MemoryBuffer<'static> {
        // SAFETY: a live pipeline and module; the buffer is ours to own.
        unsafe { MemoryBuffer::new(lljit_emitter_run(self.pipeline, m.as_mut_ptr())) }
    }
}

impl Drop for Emitter {
    fn drop(&mut self) {
        // SAFETY: made in `new`, freed once, before the target machine is dropped.
        unsafe { lljit_emitter_free(self.pipeline) }
    }
}
