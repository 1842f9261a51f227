//! The only FFI with ORC: one LLJIT with one JITDylib that sees the
//! runtime's entry points and the program's libraries (libc, libm, `-l`;
//! never the rest of the lljit process), object files added to it, and
//! symbols looked up in it.

use inkwell::context::ContextRef;
use inkwell::module::Module;
use llvm_sys::error::*;
use llvm_sys::orc2::lljit::*;
use llvm_sys::orc2::*;
use std::ffi::{CStr, CString};

/// An LLJIT and the thread-safe context its modules are built in.
pub struct Orc {
    jit: LLVMOrcLLJITRef,
    jd: LLVMOrcJITDylibRef,
    tsc: LLVMOrcThreadSafeContextRef,
    triple: CString,
    layout: CString,
}

fn take_error(e: LLVMErrorRef) -> Result<(), String> {
    if e.is_null() {
        return Ok(());
    }
    // SAFETY: a non-null error from the C API, consumed here.
    unsafe {
        let m = LLVMGetErrorMessage(e);
        let s = CStr::from_ptr(m).to_string_lossy().into_owned();
        LLVMDisposeErrorMessage(m);
        Err(s)
    }
}

impl Orc {
    /// Creates the LLJIT; `symbols` (name, address) are defined as absolute
    /// symbols, and everything else resolves from `libraries` (file names
    /// or sonames, searched in order).
    pub fn new<'p>(
        symbols: &[(&str, usize)],
        libraries: impl Iterator<Item = &'p std::path::Path>,
    ) -> Result<Orc, String> {
        // SAFETY: plain use of the ORC C API; every object made here is
        // owned by the returned value.
        unsafe {
            let builder = LLVMOrcCreateLLJITBuilder();
            let mut jit: LLVMOrcLLJITRef = std::ptr::null_mut();
            take_error(LLVMOrcCreateLLJIT(&mut jit, builder))?;
            let jd = LLVMOrcLLJITGetMainJITDylib(jit);
            for lib in libraries {
                let path =
                    CString::new(lib.as_os_str().as_encoded_bytes()).map_err(|e| e.to_string())?;
                let mut gen: LLVMOrcDefinitionGeneratorRef = std::ptr::null_mut();
                take_error(LLVMOrcCreateDynamicLibrarySearchGeneratorForPath(
                    &mut gen,
                    path.as_ptr(),
                    LLVMOrcLLJITGetGlobalPrefix(jit),
                    None,
                    std::ptr::null_mut(),
                ))?;
                LLVMOrcJITDylibAddGenerator(jd, gen);
            }
            let tsc = LLVMOrcCreateNewThreadSafeContext();
            let triple = CString::from(CStr::from_ptr(LLVMOrcLLJITGetTripleString(jit)));
            let layout = CString::from(CStr::from_ptr(LLVMOrcLLJITGetDataLayoutStr(jit)));
            let orc = Orc {
                jit,
                jd,
                tsc,
                triple,
                layout,
            };
            orc.define(symbols)?;
            Ok(orc)
        }
    }

    /// Defines `symbols` (name, address) as absolute symbols.
    pub fn define<S: AsRef<str>>(&self, symbols: &[(S, usize)]) -> Result<(), String> {
        let flags = || LLVMJITSymbolFlags {
            GenericFlags: LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsExported as u8
                | LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsCallable as u8,
            TargetFlags: 0,
        };
        // SAFETY: plain use of the ORC C API; the names are interned (the
        // pool holds them) and the unit passes to the JITDylib.
        unsafe {
            let mut pairs: Vec<LLVMOrcCSymbolMapPair> = symbols
                .iter()
                .map(|(name, addr)| {
                    let c = CString::new(name.as_ref()).expect("symbol name");
                    LLVMOrcCSymbolMapPair {
                        Name: LLVMOrcLLJITMangleAndIntern(self.jit, c.as_ptr()),
                        Sym: LLVMJITEvaluatedSymbol {
                            Address: *addr as u64,
                            Flags: flags(),
                        },
                    }
                })
                .collect();
            let mu = LLVMOrcAbsoluteSymbols(pairs.as_mut_ptr(), pairs.len());
            take_error(LLVMOrcJITDylibDefine(self.jd, mu))
        }
    }

    /// The LLVM context modules for this JIT are built in.
    pub fn context(&self) -> ContextRef<'static> {
        // SAFETY: the context lives as long as the thread-safe context,
        // which this value owns until it is dropped.
        unsafe { ContextRef::new(LLVMOrcThreadSafeContextGetContext(self.tsc)) }
    }

    /// Sets the JIT's target triple and data layout on `m`.
    pub fn prepare(&self, m: &Module<'static>) {
        // SAFETY: `m` is a live module; the strings outlive the calls.
        unsafe {
            llvm_sys::core::LLVMSetTarget(m.as_mut_ptr(), self.triple.as_ptr());
            llvm_sys::core::LLVMSetDataLayout(m.as_mut_ptr(), self.layout.as_ptr());
        }
    }

    /// Hands an object file to the JIT (linked when one of its symbols is
    /// looked up).
    pub fn add_object(
        &self,
        obj: inkwell::memory_buffer::MemoryBuffer<'static>,
    ) -> Result<(), String> {
        // SAFETY: ownership of the buffer passes to ORC.
        unsafe {
            let raw = obj.as_mut_ptr();
            std::mem::forget(obj);
            take_error(LLVMOrcLLJITAddObjectFile(self.jit, self.jd, raw))
        }
    }

    /// The address of a JIT symbol (compiling what defines it if needed).
    pub fn lookup(&self, name: &str) -> Result<usize, String> {
        let c = CString::new(name).map_err(|e| e.to_string())?;
        let mut addr: LLVMOrcExecutorAddress = 0;
        // SAFETY: `c` outlives the call.
        unsafe { take_error(LLVMOrcLLJITLookup(self.jit, &mut addr, c.as_ptr()))? };
        Ok(addr as usize)
    }
}

impl Drop for Orc {
    fn drop(&mut self) {
        // SAFETY: objects created in `new`; no JIT code runs any more.
        unsafe {
            let _ = take_error(LLVMOrcDisposeLLJIT(self.jit));
            LLVMOrcDisposeThreadSafeContext(self.tsc);
        }
    }
}
