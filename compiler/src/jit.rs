//! The lazy ORC JIT: one LLJIT per run, one module per compiled function.
//!
//! The first compiled module (main's) also defines the globals and, for every LC
//! function `f`, its slot `lc.f.slot` (the address every caller calls
//! through), a lazy stub `lc.f.lazy` that the slot first points at, and a
//! stable entry `lc.f.entry` (its function-pointer value). The first call
//! through the slot reaches the lazy stub, which calls the compile hook to
//! lower and compile `f` (on a separate stack of the same thread: the process
//! stays single-threaded), stores the code's address in the slot and
//! tail-calls it; later calls go straight to the code. A later tier swaps code the same
//! way: by storing a new address in the slot.

use crate::codegen::{self, CallMode, ModuleLowering, TypeCache};
use crate::source::SourceMap;
use crate::tast::{FuncId, Program};
use inkwell::context::ContextRef;
use inkwell::module::{Linkage, Module};
use inkwell::targets::{CodeModel, InitializationConfig, RelocMode, Target, TargetMachine};
use inkwell::values::{BasicMetadataValueEnum, LLVMTailCallKind};
use inkwell::OptimizationLevel;
use lljit_runtime::start::GuardedStack;
use llvm_sys::error::*;
use llvm_sys::orc2::lljit::*;
use llvm_sys::orc2::*;
use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::time::Instant;

/// Symbol of the compile hook lazy stubs call: `void *lljit_jit_compile(int32_t id)`.
pub const COMPILE_HOOK: &str = "lljit_jit_compile";

/// JIT options.
#[derive(Clone, Debug)]
pub struct JitOptions {
    /// Print the optimized IR of each compiled module to standard error.
    pub emit_ir: bool,
    /// Print one line per compiled function to standard error.
    pub trace: bool,
    /// LLVM pass pipeline level (0–3).
    pub opt_level: u8,
}

impl Default for JitOptions {
    fn default() -> Self {
        JitOptions {
            emit_ir: false,
            trace: false,
            opt_level: 2,
        }
    }
}

/// What the JIT did, for `--trace-jit` and tests.
#[derive(Default, Debug)]
pub struct CompileRecord {
    /// Functions compiled, in order.
    pub compiled: Vec<FuncId>,
    /// For each compiled function, the functions whose IR was copied into
    /// its module for inlining (a tier that replaces one of them must
    /// recompile the functions listed here).
    pub inlined_into: HashMap<FuncId, Vec<FuncId>>,
}

/// A JIT for one checked program.
pub struct Jit<'p> {
    jit: LLVMOrcLLJITRef,
    jd: LLVMOrcJITDylibRef,
    tsc: LLVMOrcThreadSafeContextRef,
    ctx: ContextRef<'static>,
    types: TypeCache<'static>,
    tm: TargetMachine,
    triple: CString,
    layout: CString,
    prog: &'p Program,
    sources: &'p SourceMap,
    opts: JitOptions,
    slots: Vec<usize>,
    code: Vec<usize>,
    entries: Vec<usize>,
    in_progress: Vec<bool>,
    /// Every address a function pointer can hold (code, entry stub) →
    /// the function's entry stub: function pointers compare by function.
    canonical: HashMap<usize, usize>,
    support_added: bool,
    /// What has been compiled so far.
    pub record: CompileRecord,
}

fn take_error(e: LLVMErrorRef) -> Result<(), String> {
    if e.is_null() {
        return Ok(());
    }
    unsafe {
        let m = LLVMGetErrorMessage(e);
        let s = CStr::from_ptr(m).to_string_lossy().into_owned();
        LLVMDisposeErrorMessage(m);
        Err(s)
    }
}

/// The JIT serving the running program (set by [`Jit::run`]).
static CURRENT_JIT: AtomicPtr<Jit<'static>> = AtomicPtr::new(std::ptr::null_mut());
/// The stack compilation runs on, so compiling never eats into the
/// program's stack however deep the program is when it first calls a function.
static COMPILE_STACK: AtomicPtr<GuardedStack> = AtomicPtr::new(std::ptr::null_mut());
/// Size of the compile stack (reserved, committed as touched).
const COMPILE_STACK_SIZE: usize = 256 << 20;

/// Called by lazy stubs: compiles function `id` on the compile stack of the
/// current thread and gives the code's address. A failed compilation is an
/// internal compiler error (exit status 70); it never returns into bad code.
extern "C" fn lljit_jit_compile(id: i32) -> usize {
    let jit = CURRENT_JIT.load(Ordering::Acquire);
    let stack = COMPILE_STACK.load(Ordering::Acquire);
    let result = if jit.is_null() || stack.is_null() {
        Err("lazy compilation requested outside a JIT run".to_string())
    } else {
        // SAFETY: both are set by `Jit::run` for the duration of the program,
        // which runs on this thread; nothing else touches the JIT meanwhile.
        unsafe { (*stack).run(|| (*jit).compile(id as FuncId)) }
    };
    match result {
        Ok(addr) => addr,
        Err(e) => {
            lljit_runtime::start::flush_stdio();
            eprintln!("error: internal compiler error: {e}");
            eprintln!(
                "note: this is a bug in lljit; please report it with the input that caused it"
            );
            std::process::exit(70)
        }
    }
}

/// Called by compiled code comparing function pointers: maps any address of
/// an LC function (its code or its entry stub) to one canonical address.
extern "C" fn lljit_jit_canon(p: usize) -> usize {
    let jit = CURRENT_JIT.load(Ordering::Acquire);
    if jit.is_null() {
        return p;
    }
    // SAFETY: set by `Jit::run` while the program runs on this thread.
    unsafe { (*jit).canonical.get(&p).copied().unwrap_or(p) }
}

static HOOK_ADDR: AtomicUsize = AtomicUsize::new(0);

impl<'p> Jit<'p> {
    /// Creates the LLJIT and exposes the runtime and libc to it.
    pub fn new(
        prog: &'p Program,
        sources: &'p SourceMap,
        opts: JitOptions,
    ) -> Result<Jit<'p>, String> {
        let t0 = Instant::now();
        Target::initialize_native(&InitializationConfig::default())?;
        HOOK_ADDR.store(lljit_jit_compile as *const () as usize, Ordering::Relaxed);
        unsafe {
            let builder = LLVMOrcCreateLLJITBuilder();
            let mut jit: LLVMOrcLLJITRef = std::ptr::null_mut();
            take_error(LLVMOrcCreateLLJIT(&mut jit, builder))?;
            let jd = LLVMOrcLLJITGetMainJITDylib(jit);
            let mut gen: LLVMOrcDefinitionGeneratorRef = std::ptr::null_mut();
            take_error(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
                &mut gen,
                LLVMOrcLLJITGetGlobalPrefix(jit),
                None,
                std::ptr::null_mut(),
            ))?;
            LLVMOrcJITDylibAddGenerator(jd, gen);
            // Runtime functions as absolute symbols.
            let flags = || LLVMJITSymbolFlags {
                GenericFlags: LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsExported as u8
                    | LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsCallable as u8,
                TargetFlags: 0,
            };
            let mut pairs = Vec::new();
            let mut names: Vec<(String, usize)> = lljit_runtime::interface::RUNTIME_FUNCTIONS
                .iter()
                .map(|f| (f.name.to_string(), (f.address)()))
                .collect();
            names.push((COMPILE_HOOK.to_string(), HOOK_ADDR.load(Ordering::Relaxed)));
            names.push((
                codegen::JIT_CANON.to_string(),
                lljit_jit_canon as *const () as usize,
            ));
            for (name, addr) in &names {
                let c = CString::new(name.as_str()).unwrap();
                pairs.push(LLVMOrcCSymbolMapPair {
                    Name: LLVMOrcLLJITMangleAndIntern(jit, c.as_ptr()),
                    Sym: LLVMJITEvaluatedSymbol {
                        Address: *addr as u64,
                        Flags: flags(),
                    },
                });
            }
            let mu = LLVMOrcAbsoluteSymbols(pairs.as_mut_ptr(), pairs.len());
            take_error(LLVMOrcJITDylibDefine(jd, mu))?;

            let tsc = LLVMOrcCreateNewThreadSafeContext();
            let ctx = ContextRef::new(LLVMOrcThreadSafeContextGetContext(tsc));
            let types = TypeCache::new(ctx, prog);
            let triple = CString::from(CStr::from_ptr(LLVMOrcLLJITGetTripleString(jit)));
            let layout = CString::from(CStr::from_ptr(LLVMOrcLLJITGetDataLayoutStr(jit)));
            let tm = host_target_machine(OptimizationLevel::Default)?;
            let j = Jit {
                jit,
                jd,
                tsc,
                ctx,
                types,
                tm,
                triple,
                layout,
                prog,
                sources,
                opts,
                slots: vec![0; prog.funcs.len()],
                code: vec![0; prog.funcs.len()],
                entries: vec![0; prog.funcs.len()],
                in_progress: vec![false; prog.funcs.len()],
                canonical: HashMap::new(),
                support_added: false,
                record: CompileRecord::default(),
            };
            if j.opts.trace {
                eprintln!(
                    "jit: created the LLJIT in {:.2} ms",
                    t0.elapsed().as_secs_f64() * 1e3
                );
            }
            Ok(j)
        }
    }

    fn prepare(&self, m: &Module<'static>) {
        unsafe {
            llvm_sys::core::LLVMSetTarget(m.as_mut_ptr(), self.triple.as_ptr());
            llvm_sys::core::LLVMSetDataLayout(m.as_mut_ptr(), self.layout.as_ptr());
        }
    }

    fn add_module(&mut self, m: Module<'static>) -> Result<(), String> {
        unsafe {
            let raw = m.as_mut_ptr();
            std::mem::forget(m);
            let tsm = LLVMOrcCreateNewThreadSafeModule(raw, self.tsc);
            take_error(LLVMOrcLLJITAddLLVMIRModule(self.jit, self.jd, tsm))
        }
    }

    /// The address of a JIT symbol (compiling what defines it if needed).
    pub fn lookup(&self, name: &str) -> Result<usize, String> {
        let c = CString::new(name).unwrap();
        let mut addr: LLVMOrcExecutorAddress = 0;
        unsafe { take_error(LLVMOrcLLJITLookup(self.jit, &mut addr, c.as_ptr()))? };
        Ok(addr as usize)
    }

    /// Adds the support definitions (globals, slots, lazy stubs, entries)
    /// to the first compiled module, so start-up pays for one compilation.
    fn gen_support(&self, ml: &mut ModuleLowering<'_, 'static>) {
        let prog = self.prog;
        ml.define_globals();
        let ptr = self.ctx.ptr_type(inkwell::AddressSpace::default());
        let i32t = self.ctx.i32_type();
        let hook_ty = ptr.fn_type(&[i32t.into()], false);
        let hook = ml
            .module
            .add_function(COMPILE_HOOK, hook_ty, Some(Linkage::External));
        let builder = self.ctx.create_builder();
        for (id, f) in prog.funcs.iter().enumerate() {
            if f.is_extern() {
                continue;
            }
            let fty = self.types.fn_type(&f.params, &f.ret, false);
            // lc.f.lazy: compile, then tail-call the code with the same arguments.
            let lazy = ml.module.add_function(
                &format!("lc.{}.lazy", f.name),
                fty,
                Some(Linkage::Internal),
            );
            let slot = ml.slot(id, Some(lazy.as_global_value().as_pointer_value()));
            let bb = self.ctx.append_basic_block(lazy, "entry");
            builder.position_at_end(bb);
            let code = builder
                .build_call(hook, &[i32t.const_int(id as u64, false).into()], "code")
                .unwrap()
                .try_as_basic_value()
                .basic()
                .unwrap()
                .into_pointer_value();
            let args: Vec<BasicMetadataValueEnum> =
                lazy.get_param_iter().map(|p| p.into()).collect();
            let call = builder.build_indirect_call(fty, code, &args, "").unwrap();
            call.set_tail_call_kind(LLVMTailCallKind::LLVMTailCallKindMustTail);
            match call.try_as_basic_value().basic() {
                Some(v) => builder.build_return(Some(&v)).unwrap(),
                None => builder.build_return(None).unwrap(),
            };
            // lc.f.entry: the function-pointer value; always calls the current code.
            let entry = ml.module.add_function(
                &codegen::entry_symbol(&f.name),
                fty,
                Some(Linkage::External),
            );
            let bb = self.ctx.append_basic_block(entry, "entry");
            builder.position_at_end(bb);
            let code = builder
                .build_load(ptr, slot.as_pointer_value(), "code")
                .unwrap()
                .into_pointer_value();
            let args: Vec<BasicMetadataValueEnum> =
                entry.get_param_iter().map(|p| p.into()).collect();
            let call = builder.build_indirect_call(fty, code, &args, "").unwrap();
            call.set_tail_call_kind(LLVMTailCallKind::LLVMTailCallKindMustTail);
            match call.try_as_basic_value().basic() {
                Some(v) => builder.build_return(Some(&v)).unwrap(),
                None => builder.build_return(None).unwrap(),
            };
        }
    }

    /// Lowers, optimizes and compiles LC function `id` (once); stores its
    /// address in its slot and returns it.
    pub fn compile(&mut self, id: FuncId) -> Result<usize, String> {
        if self.code[id] != 0 {
            return Ok(self.code[id]);
        }
        let prog = self.prog;
        let f = &prog.funcs[id];
        let inlined = codegen::inline_set(prog, id);
        // Functions whose addresses this code takes are compiled first, so a
        // pointer to one is its code: calls through it need no entry stub.
        // (A cycle of such functions falls back to entry stubs.)
        self.in_progress[id] = true;
        let mut taken = codegen::address_taken(prog, f);
        for &c in &inlined {
            taken.extend(codegen::address_taken(prog, &prog.funcs[c]));
        }
        if !self.support_added {
            taken.extend(codegen::address_taken_by_globals(prog));
        }
        for &g in &taken {
            if self.code[g] == 0 && !self.in_progress[g] {
                self.compile(g)?;
            }
        }
        self.in_progress[id] = false;
        let start = Instant::now();
        let mut ml = ModuleLowering::new(
            self.ctx,
            &format!("fn.{}", f.name),
            prog,
            self.sources,
            &self.types,
            CallMode::Slots,
        );
        ml.known_code = taken
            .iter()
            .filter(|&&g| self.code[g] != 0)
            .map(|&g| (g, self.code[g]))
            .collect();
        let first = !self.support_added;
        if first {
            self.gen_support(&mut ml);
        }
        ml.declare_body(id, false);
        for &c in &inlined {
            ml.declare_body(c, true);
        }
        ml.gen_function(id, false);
        for &c in &inlined {
            ml.gen_function(c, true);
        }
        if id == prog.main {
            ml.gen_start();
        }
        let m = ml.module;
        self.prepare(&m);
        if let Err(e) = m.verify() {
            return Err(format!("invalid IR for `{}`: {}", f.name, e.to_string()));
        }
        let t_lower = start.elapsed();
        // `main` runs once: when neither it nor the copies in its module
        // loop, optimizing it costs more start-up time than it can save.
        let runs_once = id == prog.main
            && !codegen::has_loops(f)
            && inlined.iter().all(|&c| !codegen::has_loops(&prog.funcs[c]));
        if !runs_once {
            let passes = format!("default<O{}>", self.opts.opt_level.min(3));
            m.run_passes(
                &passes,
                &self.tm,
                codegen::pass_options(self.opts.opt_level),
            )
            .map_err(|e| e.to_string())?;
        }
        if self.opts.emit_ir {
            eprint!("{}", m.print_to_string().to_string());
        }
        let t_passes = start.elapsed();
        self.add_module(m)?;
        let addr = self.lookup(&codegen::body_symbol(&f.name))?;
        let t_codegen = start.elapsed();
        if first {
            self.support_added = true;
            for (fid, func) in prog.funcs.iter().enumerate() {
                if !func.is_extern() {
                    self.slots[fid] = self.lookup(&codegen::slot_symbol(&func.name))?;
                    let entry = self.lookup(&codegen::entry_symbol(&func.name))?;
                    self.canonical.insert(entry, entry);
                    self.entries[fid] = entry;
                }
            }
        }
        self.code[id] = addr;
        self.canonical.insert(addr, self.entries[id]);
        unsafe { (*(self.slots[id] as *const AtomicUsize)).store(addr, Ordering::Release) };
        if self.opts.trace {
            let names: Vec<&str> = inlined
                .iter()
                .map(|&c| prog.funcs[c].name.as_str())
                .collect();
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
            eprintln!(
                "jit: compiled {} in {:.2} ms (lower {:.2}, optimize {:.2}, codegen {:.2}){}",
                f.name,
                ms(start.elapsed()),
                ms(t_lower),
                ms(t_passes - t_lower),
                ms(t_codegen - t_passes),
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" (inlinable copies: {})", names.join(", "))
                }
            );
        }
        self.record.compiled.push(id);
        self.record.inlined_into.insert(id, inlined);
        Ok(addr)
    }

    /// Compiles `main` and runs the program on its guarded stack on this
    /// thread; later functions are compiled when first called. Gives the
    /// exit status.
    pub fn run(&mut self, argv: &[String]) -> Result<i32, String> {
        self.compile(self.prog.main)?;
        let start = self.lookup(codegen::START_SYMBOL)?;
        if COMPILE_STACK.load(Ordering::Acquire).is_null() {
            let stack = GuardedStack::new(COMPILE_STACK_SIZE, 64 << 10)
                .ok_or("cannot reserve the compile stack")?;
            COMPILE_STACK.store(Box::into_raw(Box::new(stack)), Ordering::Release);
        }
        // argv as C strings, alive until the program ends.
        let cstrs: Vec<CString> = argv
            .iter()
            .map(|a| CString::new(a.as_bytes()).unwrap_or_default())
            .collect();
        let mut ptrs: Vec<*mut u8> = cstrs.iter().map(|c| c.as_ptr() as *mut u8).collect();
        ptrs.push(std::ptr::null_mut());
        // SAFETY: `lc.start` has the C signature `int32_t (int32_t, char **)`.
        let entry: lljit_runtime::start::Entry =
            unsafe { std::mem::transmute::<usize, lljit_runtime::start::Entry>(start) };
        CURRENT_JIT.store(self as *mut Jit<'p> as *mut Jit<'static>, Ordering::Release);
        let status = lljit_runtime::start::run_program(entry, argv.len() as i32, ptrs.as_mut_ptr());
        CURRENT_JIT.store(std::ptr::null_mut(), Ordering::Release);
        lljit_runtime::start::flush_stdio();
        drop(cstrs);
        status.ok_or_else(|| "cannot reserve the program stack".to_string())
    }
}

/// A target machine for the host CPU with all its features.
pub fn host_target_machine(level: OptimizationLevel) -> Result<TargetMachine, String> {
    Target::initialize_native(&InitializationConfig::default())?;
    let triple = TargetMachine::get_default_triple();
    let target = Target::from_triple(&triple).map_err(|e| e.to_string())?;
    let cpu = TargetMachine::get_host_cpu_name().to_string();
    let features = TargetMachine::get_host_cpu_features().to_string();
    target
        .create_target_machine(
            &triple,
            &cpu,
            &features,
            level,
            RelocMode::Default,
            CodeModel::JITDefault,
        )
        .ok_or_else(|| "cannot create a target machine for the host".to_string())
}
