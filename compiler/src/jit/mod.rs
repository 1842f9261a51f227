//! The lazy ORC JIT: one session per run, one module per compiled function.
//!
//! Every LC function has a slot (the address calls to it go to), a lazy stub
//! (the slot's first value) and an entry stub (its address as a value), all
//! set up without LLVM when the session starts ([`stubs`]). The first call
//! through a slot reaches the lazy stub, which compiles the function (on a
//! stack of its own, on the same thread: the process stays single-threaded),
//! stores the code's address in the slot and continues into it; later calls
//! go straight to the code. A later tier swaps code the same way: by storing
//! a new address in the slot. Function pointers are entry stubs, so a
//! function has one address however it is obtained, and a stored pointer
//! always reaches the current code.

mod orc;
mod stubs;

use crate::codegen::{self, CallMode, ModuleLowering, TypeCache};
use crate::source::SourceMap;
use crate::tast::{FuncId, Program};
use inkwell::targets::{CodeModel, InitializationConfig, RelocMode, Target, TargetMachine};
use inkwell::OptimizationLevel;
use lljit_runtime::start::GuardedStack;
use orc::Orc;
use std::collections::HashMap;
use std::ffi::CString;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use stubs::{LazyTarget, Stubs};

/// JIT options. Each field is one option of `lljit run` (its doc comment is
/// the help text); a new option is one more field, with an environment
/// variable as a fallback where useful, e.g.
/// `#[arg(long, env = "LLJIT_JIT_THRESHOLD", default_value_t = 1000)] pub jit_threshold: u32`.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct JitOptions {
    /// LLVM pass pipeline for compiled functions: -O0, -O1, -O2 or -O3
    #[arg(short = 'O', value_name = "LEVEL", default_value_t = 2,
          value_parser = clap::value_parser!(u8).range(0..=3))]
    pub opt_level: u8,
    /// Print the IR of every module added to the JIT (one per compiled
    /// function, after optimization) to standard error
    #[arg(long, value_name = "KIND", value_enum)]
    pub emit: Option<JitEmit>,
    /// Print the LLJIT's creation time, then one line per compiled function
    /// with its phase times, to standard error
    #[arg(long = "trace-jit")]
    pub trace: bool,
}

/// What `lljit run --emit` prints: LLVM IR.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum JitEmit {
    LlvmIr,
}

impl Default for JitOptions {
    fn default() -> Self {
        JitOptions {
            emit: None,
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

/// Size of the compile stack (reserved, committed as touched).
const COMPILE_STACK_SIZE: usize = 256 << 20;

/// A JIT session for one checked program.
pub struct Jit<'p> {
    orc: Orc,
    types: TypeCache<'static>,
    tm: TargetMachine,
    prog: &'p Program,
    sources: &'p SourceMap,
    opts: JitOptions,
    stubs: Stubs,
    /// Where lazy stubs find this session: its address while a program runs.
    home: Box<AtomicUsize>,
    /// Each function's compiled code (0 until compiled).
    code: Vec<usize>,
    /// The stack compilation runs on, so compiling never eats into the
    /// program's stack however deep the program is when it first calls a
    /// function.
    compile_stack: GuardedStack,
    globals_defined: bool,
    /// What has been compiled so far.
    pub record: CompileRecord,
}

/// Called (through `lljit_lazy_resolver`) by a lazy stub: compiles the
/// function it stands for on the compile stack and gives the code's address.
/// A failed compilation is an internal compiler error (exit status 70); it
/// never returns into bad code.
///
/// # Safety
/// `target` is a lazy stub's [`LazyTarget`], whose session is running the
/// program on this thread.
unsafe extern "C" fn lljit_jit_resolve(target: *const LazyTarget) -> usize {
    let target = &*target;
    let jit = (*target.home).load(Ordering::Acquire) as *mut Jit<'static>;
    let result = if jit.is_null() {
        Err("lazy compilation requested outside a JIT run".to_string())
    } else {
        // SAFETY: the session is pinned in place while the program runs,
        // and nothing else uses it meanwhile (one thread).
        let jit = &mut *jit;
        let stack: *const GuardedStack = &jit.compile_stack;
        (*stack).run(|| jit.compile(target.id as FuncId))
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

impl<'p> Jit<'p> {
    /// Creates the LLJIT, exposes the runtime and libc to it, and sets up
    /// every function's slot and stubs.
    pub fn new(
        prog: &'p Program,
        sources: &'p SourceMap,
        opts: JitOptions,
    ) -> Result<Jit<'p>, String> {
        let t0 = Instant::now();
        Target::initialize_native(&InitializationConfig::default())?;
        let symbols: Vec<(&str, usize)> = lljit_runtime::interface::RUNTIME_FUNCTIONS
            .iter()
            .map(|f| (f.name, (f.address)()))
            .collect();
        let orc = Orc::new(&symbols)?;
        let types = TypeCache::new(orc.context(), prog);
        let tm = host_target_machine(OptimizationLevel::Default)?;
        let home = Box::new(AtomicUsize::new(0));
        let stubs = Stubs::new(prog.funcs.len(), &*home)?;
        let compile_stack = GuardedStack::new(COMPILE_STACK_SIZE, 64 << 10)
            .ok_or("cannot reserve the compile stack")?;
        let j = Jit {
            orc,
            types,
            tm,
            prog,
            sources,
            opts,
            stubs,
            home,
            code: vec![0; prog.funcs.len()],
            compile_stack,
            globals_defined: false,
            record: CompileRecord::default(),
        };
        if j.opts.trace {
            eprintln!("jit: created the LLJIT in {:.2} ms", ms(t0.elapsed()));
        }
        Ok(j)
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
        let start = Instant::now();
        let mut ml = ModuleLowering::new(
            self.orc.context(),
            &format!("fn.{}", f.name),
            prog,
            self.sources,
            &self.types,
            CallMode::Slots(self.stubs.links()),
        );
        // The first module (main's) also defines the global variables.
        if !self.globals_defined {
            ml.define_globals();
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
        self.orc.prepare(&m);
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
        if self.opts.emit == Some(JitEmit::LlvmIr) {
            eprint!("{}", m.print_to_string().to_string());
        }
        let t_passes = start.elapsed();
        self.orc.add_module(m)?;
        self.globals_defined = true;
        let addr = self.orc.lookup(&codegen::body_symbol(&f.name))?;
        let t_codegen = start.elapsed();
        self.code[id] = addr;
        self.stubs.install(id, addr);
        if self.opts.trace {
            let names: Vec<&str> = inlined
                .iter()
                .map(|&c| prog.funcs[c].name.as_str())
                .collect();
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
        let start = self.orc.lookup(codegen::START_SYMBOL)?;
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
        let this = self as *mut Jit<'p> as usize;
        self.home.store(this, Ordering::Release);
        let status = lljit_runtime::start::run_program(entry, argv.len() as i32, ptrs.as_mut_ptr());
        self.home.store(0, Ordering::Release);
        lljit_runtime::start::flush_stdio();
        drop(cstrs);
        status.ok_or_else(|| "cannot reserve the program stack".to_string())
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
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
