//! The tiered ORC JIT: one session per run.
//!
//! Every LC function has a slot (the address calls to it go to), a lazy stub
//! (the slot's first value) and an entry stub (its address as a value), all
//! set up without LLVM when the session starts ([`stubs`]). The first call
//! through a slot reaches the lazy stub, which compiles the function's first
//! tier (on a stack of its own, on the same thread: the process stays
//! single-threaded), stores the code's address in the slot and continues
//! into it. Tier 0 is profiling code ([`profile`]); when it reaches the
//! threshold it calls the tier-up hook, which compiles tier 1 with the
//! profile ([`tiers`] decides what to specialize) and stores the new code in
//! the slot, so every later call runs it. Tier-1 code (and every later
//! optimized version) is planned and lowered on the program's thread and
//! compiled by a compile server ([`background`]) while the program keeps
//! running the code it has; it is installed at the program's next entry
//! into the JIT after it arrives (tier-0 code waiting for it enters again
//! every so many calls or back edges). Function pointers are entry stubs,
//! so a function has one address however it is obtained, and a stored
//! pointer always reaches the current code. A call that loops for long in
//! tier-0 code does not wait for the next call: at a hot loop's back edge
//! it hands its frame to the OSR hook and continues in a continuation, the
//! rest of the call compiled optimized ([`Jit::osr_enter`],
//! `codegen/osr.rs`). Code is never freed while the program runs.

mod ahead;
mod background;
mod cache;
mod emitter;
mod invariants;
mod jobs;
mod orc;
mod payload;
mod plan;
mod profile;
mod stats;
mod stubs;
mod tiers;
mod warm;

pub use background::{serve as compile_server, Prestarted, SERVER_COMMAND};
pub use cache::{clear as clear_cache, default_dir as cache_dir, describe as describe_cache};
pub use lljit_runtime::recover::Stop;
pub use stats::Stats;
pub use tiers::{scaled_weights, Stress};

use crate::codegen::{
    self, Code, Guard, ModuleLowering, PlacedLinks, TierUp, TypeCache, OSR_NOT_YET,
};
use crate::libs::{Libraries, LinkOptions};
use crate::source::SourceMap;
use crate::tast::{FuncId, Program, SiteId};
use background::Background;
use emitter::Emitter;
use inkwell::module::Module;
use inkwell::targets::{
    CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetMachine,
};
use inkwell::OptimizationLevel;
use invariants::Dependencies;
use lljit_runtime::start::{reserve_error, GuardedStack};
use orc::Orc;
use payload::{FuncState, Specialization, Tier};
use plan::Lowered;
use profile::{FuncProfile, GuardBlock};
use std::collections::HashMap;
use std::ffi::CString;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use stubs::{LazyTarget, Stubs};
use tiers::{MissDecision, Policy};

/// JIT options. Each field is one option of `lljit run` (its doc comment is
/// the help text); a new option is one more field, with an environment
/// variable as a fallback where useful.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct JitOptions {
    /// LLVM pass pipeline of optimized code (tier 1, the continuations of
    /// on-stack replacement, everything under --no-tiering, and under
    /// --no-osr the profiling code of functions with loops): -O0, -O1, -O2
    /// or -O3
    #[arg(short = 'O', value_name = "LEVEL", default_value_t = 2,
          value_parser = clap::value_parser!(u8).range(0..=3))]
    pub opt_level: u8,
    /// Print the IR of every module added to the JIT (one per compiled
    /// function and tier, after optimization) to standard error
    #[arg(long, value_name = "KIND", value_enum)]
    pub emit: Option<JitEmit>,
    /// Print one line per compilation and per tiering decision, with its
    /// evidence, to standard error
    #[arg(long = "trace-jit")]
    pub trace: bool,
    /// Calls after which a function's profiling code is recompiled with its
    /// profile (functions with loops also after 64 times as many back edges)
    #[arg(long = "jit-threshold", value_name = "N", env = "LLJIT_JIT_THRESHOLD", hide_env_values = true,
          default_value_t = DEFAULT_THRESHOLD, value_parser = positive)]
    pub threshold: u64,
    /// Compile every function once, optimized, without profiling or
    /// specialization (the baseline the tiers are measured against)
    #[arg(long = "no-tiering")]
    pub no_tiering: bool,
    /// Print the JIT's counters to standard error when main returns (when
    /// a session ends)
    #[arg(long)]
    pub stats: bool,
    /// Stress the tiers' rare paths (for testing): every guard misses,
    /// specialize on the first values seen, or install optimized code a
    /// few entries into the JIT late and out of order
    #[arg(long = "jit-stress", value_name = "MODE", value_enum)]
    pub stress: Option<Stress>,
    /// Back edges of one loop in one running call of tier-0 code after
    /// which the call moves into optimized code (on-stack replacement)
    #[arg(long = "osr-threshold", value_name = "N", env = "LLJIT_OSR_THRESHOLD", hide_env_values = true,
          default_value_t = DEFAULT_OSR_THRESHOLD, value_parser = positive)]
    pub osr_threshold: u64,
    /// Never move a running call into other code: a loop stays in the code
    /// its call started in
    #[arg(long = "no-osr")]
    pub no_osr: bool,
    /// Compile optimized code in N compile servers while the program runs
    /// (helper processes: the program's process stays single-threaded); 0:
    /// compile on the program's thread, which waits. Default: one less than
    /// the cores, at most 2, back on the program's thread when servers get
    /// too little of a core
    #[arg(
        long = "compile-threads",
        value_name = "N",
        env = "LLJIT_COMPILE_THREADS",
        hide_env_values = true
    )]
    pub compile_threads: Option<usize>,
    /// When main returns (when a session ends), write what the profile saw
    /// (branch counts, indirect-call targets, functions never called) to
    /// FILE, for `lljit aot --pgo-use=FILE`
    #[arg(long = "profile-out", value_name = "FILE")]
    pub profile_out: Option<std::path::PathBuf>,
    /// Neither read nor write the persistent code cache (compiled code
    /// kept across runs in $LLJIT_CACHE_DIR, else ~/.cache/lljit)
    #[arg(long = "no-cache", env = "LLJIT_NO_CACHE", hide_env_values = true,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub no_cache: bool,
    #[command(flatten)]
    pub link: LinkOptions,
}

impl JitOptions {
    /// How many compile servers the session may start.
    pub fn threads(&self) -> usize {
        if self.no_tiering {
            return 0;
        }
        self.compile_threads.unwrap_or_else(default_compile_threads)
    }
}

/// One less than the cores (a single core compiles on the program's
/// thread: a second thread would only take turns with it), at most 2 (a
/// program's tier-1 jobs come a few at a time).
fn default_compile_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (cores - 1).min(2)
}

/// Options that contradict each other when both are on the command line:
/// the first turns off what the second tunes. (A value from an environment
/// variable contradicts nothing: it is a default.)
pub const CONTRADICTIONS: &[(&str, &str)] = &[
    ("no_tiering", "threshold"),
    ("no_tiering", "stress"),
    ("no_tiering", "osr_threshold"),
    ("no_osr", "osr_threshold"),
    ("no_tiering", "compile_threads"),
    ("no_tiering", "profile_out"),
];

/// A count of at least 1 (the thresholds' values).
fn positive(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err("it must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("it must be a whole number of at least 1".into()),
    }
}

/// The default `--osr-threshold`.
pub const DEFAULT_OSR_THRESHOLD: u64 = 10_000;

/// The default `--jit-threshold`.
pub const DEFAULT_THRESHOLD: u64 = 1000;

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
            threshold: DEFAULT_THRESHOLD,
            no_tiering: false,
            stats: false,
            stress: None,
            osr_threshold: DEFAULT_OSR_THRESHOLD,
            compile_threads: None,
            profile_out: None,
            no_cache: false,
            no_osr: false,
            link: LinkOptions::default(),
        }
    }
}

/// Why the JIT stopped before the program finished.
#[derive(Debug)]
pub enum JitError {
    /// A bug in lljit: reported as an internal compiler error.
    Bug(String),
    /// The machine or the command line: memory that cannot be reserved, a
    /// library that cannot be loaded. A plain error with its cause.
    Environment(String),
}

impl std::fmt::Display for JitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JitError::Bug(s) | JitError::Environment(s) => f.write_str(s),
        }
    }
}

impl From<String> for JitError {
    fn from(s: String) -> JitError {
        JitError::Bug(s)
    }
}

impl From<&str> for JitError {
    fn from(s: &str) -> JitError {
        JitError::Bug(s.to_string())
    }
}

/// What the JIT compiled, for `--trace-jit` and tests.
#[derive(Default, Debug)]
pub struct CompileRecord {
    /// Functions compiled, in order (once per tier and version).
    pub compiled: Vec<FuncId>,
}

/// How a session input's run went.
pub struct InputRun {
    /// `Err` when a runtime error (already reported) or an interrupt
    /// stopped it.
    pub outcome: Result<(), lljit_runtime::recover::Stop>,
    /// Time spent compiling: the input and what it compiled as it ran.
    pub compile: Duration,
    /// Time spent running.
    pub run: Duration,
}

/// Size of the compile stack (reserved, committed as touched).
const COMPILE_STACK_SIZE: usize = 256 << 20;

extern "C" {
    /// Makes a global declared absolute an ordinary one (`cpp/absolute.cpp`).
    fn lljit_unmark_absolute(global: llvm_sys::prelude::LLVMValueRef);
}

/// How a module is turned into code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Codegen {
    /// No IR passes, fast instruction selection: tier-0 code (of every
    /// function with on-stack replacement on, of functions without loops
    /// under `--no-osr`), session inputs, global storage, and a `main`
    /// that runs once without loops.
    Fast,
    /// The `-O` pipeline and full code generation.
    Optimized,
}

/// What a tier-1 compilation of a function makes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tier1 {
    /// One optimized body: the slot's code.
    Optimized,
    /// A guard in front of a body specialized on values; a miss runs what
    /// the function's generic slot holds (tier-0 code, or the generic body).
    Specialized,
    /// The generic body the guards of a function's specializations share.
    Generic,
    /// A continuation entering the loop at this site (on-stack
    /// replacement); the values are locals its loop is versioned on.
    Continuation(SiteId),
}

/// A JIT session: one checked program (a run), or a program that changes
/// between inputs (an interactive session, [`Jit::update`]).
pub struct Jit {
    orc: Orc,
    /// The copies each function's code holds: what a redefinition
    /// invalidates.
    deps: Dependencies,
    /// The libraries externs come from (libc, libm, `-l`).
    libraries: Libraries,
    types: TypeCache<'static>,
    /// Optimizing passes and code generation for the host, made when first
    /// needed (a run whose optimized code all comes from compile servers,
    /// or that never tiers up, never needs it: each target machine made
    /// costs start-up time, most of it deriving the host's feature bits).
    tm: std::cell::OnceCell<TargetMachine>,
    /// Code generation of tier 0 and inputs (fast instruction selection,
    /// one pipeline for every module), made when first needed (a program
    /// whose functions all loop never needs it).
    tm_fast: std::cell::OnceCell<Emitter>,
    prog: Rc<Program>,
    sources: Rc<SourceMap>,
    opts: JitOptions,
    policy: Policy,
    stubs: Stubs,
    /// Where slots and entry stubs are.
    links: codegen::JitLinks,
    /// The linking strategy of every module: slots, entry stubs and, in a
    /// session, the addresses of globals.
    placed: PlacedLinks,
    /// How many times each function was reset by a redefinition: part of
    /// its symbols, so no two definitions share one.
    resets: Vec<u32>,
    /// Where lazy stubs and hooks find this session: its address while a
    /// program runs.
    home: Box<AtomicUsize>,
    /// The compile servers (none: tier 1 compiles on the program's thread).
    background: Option<Background>,
    /// Tier-1 jobs on their way, by number.
    pending: HashMap<u64, Lowered>,
    /// Continuations withdrawn before a server started them, kept lowered
    /// by function and loop: a call that comes back to the loop with the
    /// same values sends the job again instead of lowering it again.
    shelved: HashMap<(FuncId, SiteId), (Lowered, background::Request)>,
    /// Tier-0 code on its way ahead of first calls, by job number
    /// (`ahead.rs`), and whether the session sends any (`lljit run` with
    /// compile servers).
    ahead: HashMap<u64, ahead::Ahead>,
    ahead_on: bool,
    next_job: u64,
    /// `--jit-stress=late-code`: compiled code waiting to be installed
    /// (entries into the JIT to wait, the job, its address, its times), and
    /// the generator that shuffles them.
    late: Vec<(u32, Lowered, usize, [Duration; 3])>,
    shuffle: u64,
    /// Per function, the parameters every caller passes a local its loop
    /// changes (`tast::visit::caller_loop_params`): a walk of the whole
    /// program, made at the first tier-up (never at start-up).
    caller_loops: std::cell::OnceCell<Vec<Vec<bool>>>,
    /// Compile servers were found to get too little of a core.
    contended: bool,
    /// Time compile servers spent compiling.
    background_time: Duration,
    funcs: Vec<FuncState>,
    /// Guard counters of replaced specializations (their code may still
    /// run, so their counters stay).
    retired: Vec<GuardBlock>,
    /// Profiles of functions a redefinition reset (likewise).
    retired_profiles: Vec<FuncProfile>,
    /// Keep the IR of each function's latest module (a session's `:ir`).
    keep_ir: bool,
    /// The persistent code cache (`lljit run`, unless `--no-cache` or
    /// `--emit`): where it is until the first optimized module opens it.
    cache_dir: Option<std::path::PathBuf>,
    cache: std::cell::RefCell<Option<cache::CodeCache>>,
    /// The cache key of the last optimized module `emit` compiled or found.
    last_key: std::cell::Cell<Option<cache::Key>>,
    /// Warm start (`warm.rs`): the program's key in the cache, the record
    /// an earlier run left there, and its text.
    warm: Option<(cache::Key, warm::WarmRecord, String)>,
    last_ir: std::cell::RefCell<Option<(Rc<Module<'static>>, Codegen)>>,
    /// Dropped before the LLJIT's context (see `Drop`).
    ir: HashMap<FuncId, (Rc<Module<'static>>, Codegen)>,
    /// Where a session's inputs run.
    session_stack: Option<lljit_runtime::start::SessionStack>,
    /// Global storage defined so far (numbers its symbols).
    storage_made: u32,
    /// The stack compilation runs on, so compiling never eats into the
    /// program's stack however deep the program is when it first calls a
    /// function.
    compile_stack: GuardedStack,
    globals_defined: bool,
    stats: Stats,
    compiling: Duration,
    /// What has been compiled so far.
    pub record: CompileRecord,
}

impl Drop for Jit {
    fn drop(&mut self) {
        self.background.take();
        // Modules kept for `:ir` belong to the LLJIT's context: they go first.
        self.ir.clear();
        self.last_ir.take();
    }
}

/// Runs `job` for the function behind a lazy stub's target, on the session's
/// compile stack. A failure is an internal compiler error (exit status 70);
/// it never returns into bad code. Returning is a safe point for a pending
/// interrupt ([`lljit_runtime::recover::safe_point`]).
///
/// # Safety
/// `target` is a [`LazyTarget`] of a session running the program on this
/// thread.
unsafe fn on_compile_stack(
    target: *const LazyTarget,
    job: impl FnOnce(&mut Jit, FuncId) -> Result<usize, String>,
) -> usize {
    let target = &*target;
    let jit = (*target.home).load(Ordering::Acquire) as *mut Jit;
    let result = if jit.is_null() {
        Err("the JIT was entered outside a JIT run".to_string())
    } else {
        // SAFETY: the session is pinned in place while the program runs,
        // and nothing else uses it meanwhile (one thread).
        let jit = &mut *jit;
        let stack: *const GuardedStack = &jit.compile_stack;
        // A fault while compiling is a compiler bug, never an input's error.
        lljit_runtime::recover::suspended(|| {
            (*stack).run(|| {
                // Code that arrived meanwhile is installed first.
                jit.collect(false)?;
                jit.tick_late()?;
                job(jit, target.id as FuncId)
            })
        })
    };
    match result {
        Ok(addr) => {
            // Back to compiled code: an interrupt that arrived meanwhile
            // is taken here (nothing on the stack above is left to finish).
            lljit_runtime::recover::safe_point();
            addr
        }
        Err(e) => internal_error(&e),
    }
}

/// Reports a compiler bug and ends the process (exit status 70).
fn internal_error(e: &str) -> ! {
    lljit_runtime::start::flush_stdio();
    eprintln!("error: internal compiler error: {e}");
    eprintln!("note: this is a bug in lljit; please report it with the input that caused it");
    std::process::exit(70)
}

/// Called (through `lljit_lazy_resolver`) by a lazy stub: compiles the
/// function's first tier and gives the code's address.
///
/// # Safety
/// As [`on_compile_stack`].
unsafe extern "C" fn lljit_jit_resolve(target: *const LazyTarget) -> usize {
    on_compile_stack(target, |jit, id| jit.compile(id))
}

/// Called by profiling code that reached the threshold: compiles tier 1.
///
/// # Safety
/// As [`on_compile_stack`].
unsafe extern "C" fn lljit_jit_tier_up(target: *const LazyTarget) {
    on_compile_stack(target, |jit, id| jit.tier_up(id).map(|_| 0));
}

/// Called by a specialization's guard on a miss: may re-specialize or
/// give up.
///
/// # Safety
/// As [`on_compile_stack`].
unsafe extern "C" fn lljit_jit_guard_miss(target: *const LazyTarget) {
    on_compile_stack(target, |jit, id| jit.guard_missed(id).map(|_| 0));
}

/// Called by tier-0 code whose loop `site` reached the OSR threshold, with
/// its frame: gives the continuation to call (0: stay in tier 0).
///
/// # Safety
/// As [`on_compile_stack`]; `frame` holds the words of the function's OSR
/// frame.
unsafe extern "C" fn lljit_jit_osr(
    target: *const LazyTarget,
    site: u32,
    frame: *const u64,
) -> usize {
    on_compile_stack(target, |jit, id| jit.osr_enter(id, site, frame))
}

/// How many compile servers a session with `opts` runs, and how they
/// compile; `None` for none.
fn server_config(opts: &JitOptions) -> Option<(usize, background::Config)> {
    let threads = if opts.stress == Some(Stress::LateCode) {
        0
    } else {
        opts.threads()
    };
    (threads > 0).then(|| {
        let config = background::Config {
            opt_level: opts.opt_level,
            print_ir: opts.emit == Some(JitEmit::LlvmIr),
            adaptive: opts.compile_threads.is_none(),
        };
        (threads, config)
    })
}

/// A compile server forked now for the `lljit run` session that `opts`
/// will make, when it uses servers and prints no IR (see
/// [`Prestarted`]); called first thing, while the process is small.
/// `LLJIT_COMPILE_SERVER` (another server executable, for tests) starts
/// servers as processes of their own instead.
pub fn prestart_server(opts: &JitOptions) -> Option<Prestarted> {
    if opts.emit.is_some() || std::env::var_os("LLJIT_COMPILE_SERVER").is_some() {
        return None;
    }
    let (_, config) = server_config(opts)?;
    Prestarted::fork(&config)
}

/// The target machine of optimized code at `-O` level `opt_level`.
fn tier1_machine(opt_level: u8) -> Result<TargetMachine, String> {
    target_machine(if opt_level >= 3 {
        OptimizationLevel::Aggressive
    } else {
        OptimizationLevel::Default
    })
}

/// A target machine for the host at `level`. Fast code (`None`: tier 0,
/// code that runs once) is for a generic CPU of the host's architecture:
/// it gains nothing from the host's features, and making a subtarget for
/// the host's 100-odd features costs the first function about 1 ms.
fn target_machine(level: OptimizationLevel) -> Result<TargetMachine, String> {
    Target::initialize_native(&InitializationConfig::default())?;
    let triple = TargetMachine::get_default_triple();
    let target = Target::from_triple(&triple).map_err(|e| e.to_string())?;
    let (cpu, features) = if level == OptimizationLevel::None {
        ("generic".to_string(), String::new())
    } else {
        (
            TargetMachine::get_host_cpu_name().to_string(),
            TargetMachine::get_host_cpu_features().to_string(),
        )
    };
    target
        .create_target_machine(
            &triple,
            &cpu,
            &features,
            level,
            RelocMode::PIC,
            CodeModel::Small,
        )
        .ok_or_else(|| "cannot create a target machine for the host".to_string())
}

impl Jit {
    /// Creates the LLJIT, exposes the runtime and libc to it, and sets up
    /// every function's slot and stubs; `early` is a compile server forked
    /// for the session ([`prestart_server`]).
    pub fn new(
        prog: Rc<Program>,
        sources: Rc<SourceMap>,
        opts: JitOptions,
        early: Option<Prestarted>,
    ) -> Result<Jit, JitError> {
        let n = prog.funcs.len();
        // Tier 0 compiles ahead of first calls when there are functions
        // besides `main` (printed IR comes from the program's thread).
        let ahead = opts.emit.is_none()
            && prog
                .funcs
                .iter()
                .enumerate()
                .any(|(i, f)| !f.is_extern() && prog.main != Some(i));
        let mut jit = Jit::build(prog, sources, opts, n, ahead, early)?;
        // Printed IR comes from compiling: with the cache it could not.
        if !jit.opts.no_cache && jit.opts.emit.is_none() {
            jit.cache_dir = cache::default_dir();
            jit.load_warm();
        }
        jit.ahead_on = ahead && jit.background.is_some();
        Ok(jit)
    }

    /// As [`Jit::new`], with slots for up to `capacity` functions (a
    /// session's program grows).
    pub fn with_capacity(
        prog: Rc<Program>,
        sources: Rc<SourceMap>,
        opts: JitOptions,
        capacity: usize,
    ) -> Result<Jit, JitError> {
        Jit::build(prog, sources, opts, capacity, false, None)
    }

    /// As [`Jit::with_capacity`]; with `ahead`, a compile server starts at
    /// once (or `early` is used), so its start-up runs beside the LLJIT's
    /// and `main`'s compilation, before tier-0 code is sent to it
    /// (`ahead.rs`).
    fn build(
        prog: Rc<Program>,
        sources: Rc<SourceMap>,
        opts: JitOptions,
        capacity: usize,
        ahead: bool,
        early: Option<Prestarted>,
    ) -> Result<Jit, JitError> {
        let t0 = Instant::now();
        if opts.trace && early.is_some() {
            eprintln!("jit: a compile server was forked before the front end ran");
        }
        let mut background = server_config(&opts).map(|(n, c)| Background::new(n, c));
        if let Some(bg) = background.as_mut() {
            if ahead || early.is_some() {
                bg.prestart(early);
            }
        }
        Target::initialize_native(&InitializationConfig::default())?;
        let libraries = Libraries::open(&opts.link).map_err(JitError::Environment)?;
        let mut symbols: Vec<(&str, usize)> = lljit_runtime::interface::RUNTIME_FUNCTIONS
            .iter()
            .map(|f| (f.name, (f.address)()))
            .collect();
        // The hooks compiled code calls by name.
        symbols.extend([
            (
                codegen::TIER_UP_HOOK,
                lljit_jit_tier_up as *const () as usize,
            ),
            (
                codegen::GUARD_MISS_HOOK,
                lljit_jit_guard_miss as *const () as usize,
            ),
            (codegen::OSR_HOOK, lljit_jit_osr as *const () as usize),
        ]);
        let orc = Orc::new(&symbols, libraries.load_paths())?;
        let types = TypeCache::new(orc.context(), &prog);
        let home = Box::new(AtomicUsize::new(0));
        let stubs =
            Stubs::new(prog.funcs.len(), capacity, &*home).map_err(JitError::Environment)?;
        let compile_stack = GuardedStack::new(COMPILE_STACK_SIZE, 64 << 10).ok_or_else(|| {
            JitError::Environment(reserve_error(
                "the JIT compiler's stack",
                COMPILE_STACK_SIZE,
            ))
        })?;
        let policy = Policy {
            threshold: opts.threshold.max(1),
            stress: opts.stress,
            osr: (!opts.no_osr && !opts.no_tiering).then_some(opts.osr_threshold.max(1)),
        };
        let j = Jit {
            orc,
            types,
            tm: std::cell::OnceCell::new(),
            tm_fast: std::cell::OnceCell::new(),
            opts,
            policy,
            links: stubs.links(),
            placed: PlacedLinks {
                jit: Some(stubs.links()),
                globals: Vec::new(),
                names: Default::default(),
            },
            resets: vec![0; prog.funcs.len()],
            stubs,
            home,
            background,
            pending: HashMap::new(),
            shelved: HashMap::new(),
            ahead: HashMap::new(),
            ahead_on: false,
            next_job: 0,
            late: Vec::new(),
            shuffle: 0x9e37_79b9_7f4a_7c15,
            background_time: Duration::ZERO,
            contended: false,
            caller_loops: std::cell::OnceCell::new(),
            funcs: (0..prog.funcs.len())
                .map(|_| FuncState::default())
                .collect(),
            prog,
            sources,
            retired: Vec::new(),
            retired_profiles: Vec::new(),
            session_stack: None,
            keep_ir: false,
            cache_dir: None,
            cache: Default::default(),
            last_key: Default::default(),
            warm: None,
            last_ir: Default::default(),
            ir: HashMap::new(),
            storage_made: 0,
            compile_stack,
            globals_defined: false,
            stats: Stats::default(),
            compiling: Duration::ZERO,
            record: CompileRecord::default(),
            deps: Dependencies::default(),
            libraries,
        };
        for (symbol, start, len) in j.stubs.named_ranges() {
            j.name_memory(symbol, start, len)
                .map_err(JitError::Environment)?;
        }
        if j.opts.trace {
            eprintln!("jit: created the LLJIT in {:.2} ms", ms(t0.elapsed()));
        }
        Ok(j)
    }

    /// Names the `len` bytes of JIT memory at `start` after `stem`, for
    /// compiled code to reach them by symbol (`codegen::AddrNames`).
    fn name_memory(&self, stem: &str, start: usize, len: usize) -> Result<(), String> {
        let name = self.placed.names.borrow_mut().add(stem, start, len);
        self.orc.define(&[(name, start)])
    }

    /// The base of function `id`'s symbols: its name, and how many times a
    /// redefinition reset it.
    fn base(&self, id: FuncId) -> String {
        codegen::stem(&self.prog.funcs[id].name, self.resets[id])
    }

    /// True for the first module (main's), which also defines the global
    /// variables.
    fn first_module(&mut self) -> bool {
        !std::mem::replace(&mut self.globals_defined, true)
    }

    /// A fresh module for compiling `name`, defining the global variables
    /// when `globals`.
    fn module(&self, name: &str, globals: bool) -> ModuleLowering<'_, 'static> {
        let mut ml = ModuleLowering::new(
            self.orc.context(),
            name,
            &self.prog,
            &self.sources,
            &self.types,
            &self.placed,
        );
        if globals {
            ml.define_globals();
        }
        ml
    }

    /// The optimizing target machine (made the first time).
    fn tm(&self) -> Result<&TargetMachine, String> {
        if self.tm.get().is_none() {
            let _ = self.tm.set(tier1_machine(self.opts.opt_level)?);
        }
        Ok(self.tm.get().expect("set above"))
    }

    /// Verifies, optimizes and compiles a module into the JIT; gives the
    /// time spent in passes and in code generation (the caller times
    /// lowering).
    fn emit(&self, m: Module<'static>, how: Codegen) -> Result<(Duration, Duration), String> {
        self.emit_keyed(m, how, None)
    }

    /// As [`Jit::emit`]; a module read back from the bitcode it was sent
    /// to a server as is cached under that bitcode's key (`sent`), the
    /// key the next run computes when it lowers the same module, not
    /// under the key of its own bitcode, which writing it again can change.
    fn emit_keyed(
        &self,
        m: Module<'static>,
        how: Codegen,
        sent: Option<&[u8]>,
    ) -> Result<(Duration, Duration), String> {
        self.orc.prepare(&m);
        if let Err(e) = m.verify() {
            return Err(format!(
                "invalid IR in `{}`: {}",
                m.get_name().to_string_lossy(),
                e.to_string()
            ));
        }
        let t = Instant::now();
        if how == Codegen::Fast {
            self.names_through_got(&m);
        }
        // The key hashes the module's bitcode: written only for a cache.
        let key = match (&self.cache_dir, sent) {
            (None, _) => None,
            (Some(_), Some(bitcode)) => self.cache_key(bitcode, how),
            (Some(_), None) => self.cache_key(m.write_bitcode_to_memory().as_slice(), how),
        };
        self.last_key.set(key);
        if let Some(object) = key.and_then(|k| self.cached(&k)) {
            self.orc.add_object(object)?;
            return Ok((Duration::ZERO, t.elapsed()));
        }
        if how == Codegen::Optimized {
            let passes = format!("default<O{}>", self.opts.opt_level.min(3));
            m.run_passes(
                &passes,
                self.tm()?,
                codegen::pass_options(self.opts.opt_level),
            )
            .map_err(|e| e.to_string())?;
        }
        if self.opts.emit == Some(JitEmit::LlvmIr) {
            eprint!("{}", m.print_to_string().to_string());
        }

        let t_passes = t.elapsed();
        let obj = if how == Codegen::Fast {
            if self.tm_fast.get().is_none() {
                let e = Emitter::new(target_machine(OptimizationLevel::None)?)?;
                let _ = self.tm_fast.set(e);
            }
            self.tm_fast.get().expect("set above").emit(&m)
        } else {
            self.tm()?
                .write_to_memory_buffer(&m, FileType::Object)
                .map_err(|e| e.to_string())?
        };
        if let Some(k) = key {
            self.store(&k, obj.as_slice());
        }
        self.orc.add_object(obj)?;
        if self.keep_ir {
            self.last_ir.replace(Some((Rc::new(m), how)));
        }
        Ok((t_passes, t.elapsed() - t_passes))
    }

    /// The cache key of a module with this bitcode compiled `how`, when
    /// the session uses the cache (opened here the first time).
    fn cache_key(&self, bitcode: &[u8], how: Codegen) -> Option<cache::Key> {
        self.key_of(&[format!("{how:?}").as_bytes(), bitcode])
    }

    /// The cache key of `parts`, when the session uses the cache.
    fn key_of(&self, parts: &[&[u8]]) -> Option<cache::Key> {
        let dir = self.cache_dir.as_ref()?;
        let mut c = self.cache.borrow_mut();
        let c = c.get_or_insert_with(|| {
            cache::CodeCache::new(dir.clone(), &cache::machine_identity(self.opts.opt_level))
        });
        Some(c.key(parts))
    }

    /// The object cached under `key`, ready for ORC.
    fn cached(&self, key: &cache::Key) -> Option<inkwell::memory_buffer::MemoryBuffer<'static>> {
        let object = self.cache.borrow_mut().as_mut()?.get(key)?;
        Some(inkwell::memory_buffer::MemoryBuffer::create_from_memory_range_copy(&object, "cached"))
    }

    /// Keeps `object` in the cache under `key`.
    fn store(&self, key: &cache::Key, object: &[u8]) {
        if let Some(c) = self.cache.borrow_mut().as_mut() {
            c.put(key, object);
        }
    }

    /// The file of the cache entry `key`, where a compile server stores
    /// the object it makes for a job (the session counts the bytes with
    /// [`Jit::stored`]).
    fn entry_path(&self, key: &cache::Key) -> std::path::PathBuf {
        self.cache
            .borrow()
            .as_ref()
            .expect("a key comes from the cache")
            .path(key)
    }

    /// Counts `bytes` a compile server wrote to the cache.
    fn stored(&self, bytes: u64) {
        if let Some(c) = self.cache.borrow_mut().as_mut() {
            c.counts.written_bytes += bytes;
        }
    }

    /// What makes this program's warm-start record: every source file
    /// (name and text) and the flags that change what is compiled.
    fn program_identity(&self) -> String {
        let o = &self.opts;
        let mut id = format!(
            "program; -O{} threshold {} osr {} no-osr {} no-tiering {} stress {:?}\n",
            o.opt_level, o.threshold, o.osr_threshold, o.no_osr, o.no_tiering, o.stress
        );
        for f in self.sources.files() {
            id.push_str(&format!("{}\0{}\0", f.name, f.text));
        }
        id
    }

    /// Reads the record an earlier run of this program left (`warm.rs`).
    fn load_warm(&mut self) {
        let identity = self.program_identity();
        let Some(key) = self.key_of(&[identity.as_bytes()]) else {
            return;
        };
        let text = self
            .cache
            .borrow_mut()
            .as_mut()
            .and_then(|c| c.read(&key))
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let record = warm::parse(&text).unwrap_or_default();
        self.warm = Some((key, record, text));
    }

    /// Starts `id` in the tier-1 code an earlier run left in the cache, if
    /// there is some: gives its address.
    fn warm_start(&mut self, id: FuncId) -> Result<Option<usize>, String> {
        let f = &self.prog.funcs[id];
        let Some(w) = self
            .warm
            .as_ref()
            .and_then(|(_, record, _)| record.get(&f.name))
            .cloned()
        else {
            return Ok(None);
        };
        let copies: Option<Vec<FuncId>> = w
            .copies
            .iter()
            .map(|c| self.prog.funcs.iter().position(|g| &g.name == c))
            .collect();
        let (Some(copies), Some(profile)) = (copies, FuncProfile::with_words(f, &w.profile)) else {
            return Ok(None);
        };
        let t = Instant::now();
        let Some(object) = self.cached(&w.key) else {
            return Ok(None);
        };
        self.orc.add_object(object)?;
        let addr = self.orc.lookup(&w.symbol)?;
        self.deps.record(id, &copies, true);
        let st = &mut self.funcs[id];
        st.tier = Tier::Optimized { version: w.version };
        st.profile = Some(profile);
        st.replayable = Some(payload::Replayable {
            key: w.key,
            symbol: w.symbol.clone(),
            version: w.version,
            copies,
        });
        self.stubs.install(id, addr);
        self.compiling += t.elapsed();
        self.stats.warm_starts += 1;
        if self.opts.trace {
            eprintln!(
                "jit: warm {}: tier-1 code of an earlier run (v{}) linked from the code cache in {:.2} ms",
                self.prog.funcs[id].name,
                w.version,
                ms(t.elapsed())
            );
        }
        Ok(Some(addr))
    }

    /// Leaves this run's record for the next (`warm.rs`), when it differs
    /// from the one this run read.
    fn save_warm(&self) {
        let Some((key, _, loaded)) = &self.warm else {
            return;
        };
        let mut record = warm::WarmRecord::new();
        for (id, st) in self.funcs.iter().enumerate() {
            let (Tier::Optimized { .. }, Some(r)) = (st.tier, &st.replayable) else {
                continue;
            };
            if self.prog.main == Some(id) {
                continue;
            }
            record.insert(
                self.prog.funcs[id].name.clone(),
                warm::WarmFunc {
                    version: r.version,
                    key: r.key,
                    symbol: r.symbol.clone(),
                    copies: r
                        .copies
                        .iter()
                        .map(|&c| self.prog.funcs[c].name.clone())
                        .collect(),
                    profile: st.profile.as_ref().map(|p| p.words()).unwrap_or_default(),
                },
            );
        }
        let text = warm::to_text(&record);
        if record.is_empty() || text == *loaded {
            return;
        }
        if let Some(c) = self.cache.borrow_mut().as_mut() {
            c.put(key, text.as_bytes());
        }
    }

    /// Fast code reaches the JIT memory `m` names through the GOT: fast
    /// instruction selection does not take large-code-model globals and
    /// hands every instruction that uses one to the slow selector (tier 0
    /// compiled 50% slower on dispatch). One more load per counter and
    /// slot, in code that runs briefly, and the object still holds no
    /// address of this process, so the cache keeps it too.
    fn names_through_got(&self, m: &Module<'static>) {
        let names = self.placed.names.borrow();
        let mut next = m.get_first_global();
        while let Some(g) = next {
            next = g.get_next_global();
            if names.address(&g.get_name().to_string_lossy()).is_some() {
                // SAFETY: a global variable declaration of `m`.
                unsafe { lljit_unmark_absolute(inkwell::values::AsValueRef::as_value_ref(&g)) };
            }
        }
    }

    /// Lowers and compiles function `id`'s first tier (once); stores its
    /// address in its slot and returns it.
    pub fn compile(&mut self, id: FuncId) -> Result<usize, String> {
        if self.funcs[id].tier != Tier::Lazy {
            return Ok(self.stubs.current(id));
        }
        if let Some(seq) = self.funcs[id].ahead {
            return self.await_ahead(id, seq);
        }
        let tier = if self.opts.no_tiering {
            Tier::Untiered
        } else {
            self.policy.first_tier(&self.prog, id)
        };
        let start = Instant::now();
        if matches!(tier, Tier::Profiling { .. }) && self.prog.main != Some(id) {
            if let Some(addr) = self.warm_start(id)? {
                return Ok(addr);
            }
        }
        let addr = match tier {
            Tier::Profiling { optimized } => {
                let addr = self.compile_profiling(id, optimized, start)?;
                // Until a generic body exists, guards that miss run this.
                self.stubs.install_generic(id, addr);
                addr
            }
            _ => self.compile_untiered(id, start)?,
        };
        self.funcs[id].tier = tier;
        self.stubs.install(id, addr);
        Ok(addr)
    }

    fn compile_untiered(&mut self, id: FuncId, start: Instant) -> Result<usize, String> {
        let prog = Rc::clone(&self.prog);
        let prog: &Program = &prog;
        let f = &prog.funcs[id];
        let inlined = self.policy.copies(prog, id, !self.opts.no_tiering);
        let globals = self.first_module();
        let base = self.base(id);
        let code = Code::Once(&base);
        let symbol = code.symbol();
        let mut ml = self.module(&code.module_name(), globals);
        let fv = ml.declare_named(id, &symbol, false);
        ml.define_as(id, fv);
        for &c in &inlined {
            ml.declare_body(c, true);
        }
        ml.gen_body(id, fv, &[]);
        for &c in &inlined {
            ml.gen_function(c, true);
        }
        if prog.main == Some(id) {
            ml.gen_start();
        }
        let t_lower = start.elapsed();
        // `main` runs once: when neither it nor the copies in its module
        // loop, optimizing it costs more start-up time than it can save.
        let runs_once = prog.main == Some(id)
            && !f.has_loops()
            && inlined.iter().all(|&c| !prog.funcs[c].has_loops());
        let how = if runs_once {
            Codegen::Fast
        } else {
            Codegen::Optimized
        };
        let m = ml.into_module();
        let ready = if how == Codegen::Fast {
            self.send_ahead(id)?
        } else {
            Vec::new()
        };
        let (t_opt, t_cg) = self.emit(m, how)?;
        let addr = self.orc.lookup(&symbol)?;
        self.link_ahead(ready)?;
        self.stats.untiered += 1;
        self.stats.untiered_us += start.elapsed().as_micros() as u64;
        self.finished(id, "untiered", start, t_lower, t_opt, t_cg, &inlined);
        Ok(addr)
    }

    /// A fresh profile for `id`'s tier-0 code: gives the counters its code
    /// updates (tier-up after the threshold's calls, or back edges when it
    /// loops).
    fn new_profile(&mut self, id: FuncId) -> Result<codegen::Counters, String> {
        let profile = FuncProfile::new(&self.prog.funcs[id]);
        let (start, len) = profile.memory();
        self.name_memory(&codegen::profile_symbol(&self.base(id)), start, len)?;
        // `main` is called once: no call after it could run tier 1.
        let once = self.prog.main == Some(id);
        let counters = profile.counters(TierUp {
            calls: if once { 0 } else { self.policy.threshold },
            back_edges: if self.prog.funcs[id].has_loops() && !once {
                self.policy.threshold * tiers::BACK_EDGE_FACTOR
            } else {
                0
            },
            back_edge_min_calls: tiers::BACK_EDGE_MIN_CALLS.min(self.policy.threshold),
            hook: codegen::TIER_UP_HOOK,
            arg: self.stubs.target_addr(id),
        });
        self.funcs[id].profile = Some(profile);
        Ok(counters)
    }

    /// The OSR points of `id`'s tier-0 code, when it has loops and OSR is
    /// on.
    fn osr_hook(&self, id: FuncId) -> Option<codegen::OsrHook> {
        let threshold = self.policy.osr?;
        self.prog.funcs[id].has_loops().then(|| codegen::OsrHook {
            threshold,
            hook: codegen::OSR_HOOK,
            arg: self.stubs.target_addr(id),
        })
    }

    /// Tier 0: profiling code. Calls to the function itself go through its
    /// slot, so a deep recursion moves to tier 1 as soon as it exists.
    /// While fast code compiles here, the functions it uses compile ahead
    /// in a server (`ahead.rs`).
    fn compile_profiling(
        &mut self,
        id: FuncId,
        optimized: bool,
        start: Instant,
    ) -> Result<usize, String> {
        let (m, symbol, inlined) = self.lower_profiling(id, optimized)?;
        let t_lower = start.elapsed();
        let (how, ready) = if optimized {
            (Codegen::Optimized, Vec::new())
        } else {
            (Codegen::Fast, self.send_ahead(id)?)
        };
        let (t_opt, t_cg) = self.emit(m, how)?;
        let addr = self.orc.lookup(&symbol)?;
        if optimized {
            self.stats.tier0_optimized += 1;
        } else {
            self.stats.tier0_fast += 1;
        }
        self.stats.tier0_us += start.elapsed().as_micros() as u64;
        let what = if optimized {
            "at tier 0 (optimized, profiling)"
        } else {
            "at tier 0 (fast, profiling)"
        };
        self.finished(id, what, start, t_lower, t_opt, t_cg, &inlined);
        self.link_ahead(ready)?;
        Ok(addr)
    }

    /// The tier-0 module of `id` (with a fresh profile), its entry's
    /// symbol, and the callees copied in (optimized profiling code).
    fn lower_profiling(
        &mut self,
        id: FuncId,
        optimized: bool,
    ) -> Result<(Module<'static>, String, Vec<FuncId>), String> {
        let prog = Rc::clone(&self.prog);
        let prog: &Program = &prog;
        let counters = self.new_profile(id)?;
        let inlined = if optimized {
            self.policy.copies(prog, id, true)
        } else {
            Vec::new()
        };
        let base = self.base(id);
        let code = Code::Tier0(&base);
        let symbol = code.symbol();
        let globals = self.first_module();
        let mut ml = self.module(&code.module_name(), globals);
        ml.plan.counters.insert(id, counters);
        if let Some(hook) = self.osr_hook(id) {
            ml.plan.osr.insert(id, hook);
        }
        let fv = ml.declare_named(id, &symbol, false);
        for &c in &inlined {
            ml.declare_body(c, true);
        }
        ml.gen_body(id, fv, &[]);
        for &c in &inlined {
            ml.gen_function(c, true);
        }
        if prog.main == Some(id) {
            ml.gen_start();
        }
        Ok((ml.into_module(), symbol, inlined))
    }

    /// The generic body of `id`'s specializations, compiled when first
    /// needed (misses frequent enough, or giving up) and stored in the
    /// generic slot; `None` while it is on its way.
    fn generic_body(&mut self, id: FuncId, why: &str) -> Result<Option<usize>, String> {
        if let Some(addr) = self.funcs[id].generic {
            return Ok(Some(addr));
        }
        if self.funcs[id].generic_pending {
            return Ok(None);
        }
        self.compile_optimized(id, &[], Tier1::Generic, why)
    }

    /// The OSR hook: a call of `id`'s tier-0 code reached the threshold
    /// in loop `site`, with its frame at `frame`. Gives the loop's
    /// continuation, compiled the first time with the profile so far and
    /// versioned on what the frame shows the loop cannot change; or
    /// [`OSR_NOT_YET`] while it is on its way (the call asks again).
    fn osr_enter(&mut self, id: FuncId, site: SiteId, frame: *const u64) -> Result<usize, String> {
        let prog = Rc::clone(&self.prog);
        let f = &prog.funcs[id];
        // Where the loop is: for the trace and the compile's evidence only
        // (a reused continuation is the common case, and needs neither).
        let sources = Rc::clone(&self.sources);
        let at = || sources.position(f.loop_span(site));
        let n = self.policy.osr.unwrap_or(0);
        if let Some(&addr) = self.funcs[id].osr.get(&site) {
            self.stats.osr_entries += 1;
            if self.opts.trace {
                eprintln!(
                    "jit: osr {}: at {} (loop {site}) after {n} iterations → continuation compiled before",
                    f.name,
                    at()
                );
            }
            return Ok(addr);
        }
        if self.funcs[id].osr_pending.contains(&site) {
            return Ok(OSR_NOT_YET);
        }
        // One continuation of a function at a time: a call that asked for
        // another loop's has moved on, so that one is withdrawn if no
        // server has started it; else this loop waits for it (and enters
        // it if the call comes back round).
        if !self.funcs[id].osr_pending.is_empty() && !self.withdraw_continuations(id) {
            return Ok(OSR_NOT_YET);
        }
        // SAFETY: the tier-0 code passes its frame, this many words.
        let words = unsafe { std::slice::from_raw_parts(frame, codegen::frame_words(f)) };
        let links = self.links;
        let (values, evidence) = tiers::osr_values(&prog, id, site, words, &links);
        let sent = match self.send_shelved(id, site, &values)? {
            Some(sent) => sent,
            None => {
                let mut why = format!("at {} (loop {site}) after {n} iterations", at());
                for e in &evidence {
                    why.push_str("; ");
                    why.push_str(e);
                }
                self.compile_optimized(id, &values, Tier1::Continuation(site), &why)?
            }
        };
        match sent {
            Some(addr) => {
                self.stats.osr_entries += 1;
                Ok(addr)
            }
            None => Ok(OSR_NOT_YET),
        }
    }

    /// What the guard of a specialization of `id` on `values` checks and
    /// where it counts.
    fn guard(&self, id: FuncId, values: &[(usize, u64)], g: &GuardBlock) -> Guard {
        Guard {
            params: values.to_vec(),
            calls: g.calls_addr(),
            misses: g.misses_addr(),
            profiles: g.profile_addrs(),
            hook: codegen::GUARD_MISS_HOOK,
            arg: self.stubs.target_addr(id),
            always_miss: self.policy.stress == Some(Stress::GuardMiss),
            forward_misses: false,
        }
    }

    /// The tier-up hook: `id`'s profiling code reached the threshold.
    fn tier_up(&mut self, id: FuncId) -> Result<(), String> {
        if !matches!(self.funcs[id].tier, Tier::Profiling { .. }) {
            return Ok(());
        }
        let prog = Rc::clone(&self.prog);
        let prog: &Program = &prog;
        let links = self.links;
        let p = self.funcs[id]
            .profile
            .as_ref()
            .expect("profiling code has a profile");
        let caller_loops = self
            .caller_loops
            .get_or_init(|| crate::tast::visit::caller_loop_params(prog));
        let (values, evidence) =
            tiers::choose_values(prog, id, &links, p, &self.policy, &caller_loops[id]);
        let mut why = format!("{} calls", p.calls());
        if p.back_edges() > 0 {
            why.push_str(&format!(", {} back edges", p.back_edges()));
        }
        for e in &evidence {
            why.push_str("; ");
            why.push_str(e);
        }
        self.stats.tier_ups += 1;
        self.install_optimized(id, values, &why)
    }

    /// Compiles tier 1 of `id` for its slot (installed when it arrives).
    fn install_optimized(
        &mut self,
        id: FuncId,
        values: Vec<(usize, u64)>,
        why: &str,
    ) -> Result<(), String> {
        let kind = if values.is_empty() {
            Tier1::Optimized
        } else {
            Tier1::Specialized
        };
        self.compile_optimized(id, &values, kind, why)?;
        Ok(())
    }

    /// A specialization's code is no longer reachable through the slot:
    /// its guard's counts go into the stats, and its guard block is kept
    /// (code still on the stack may count into it). `discarded` when it
    /// was a lost bet (re-specialized or given up), not a redefinition.
    fn retire(&mut self, spec: Specialization, discarded: bool) {
        self.stats.count_guard(&spec.guard);
        if discarded {
            self.stats.discarded_us += spec.compile_us;
        }
        self.retired.push(spec.guard);
    }

    /// The guard-miss hook of `id`'s specialization.
    fn guard_missed(&mut self, id: FuncId) -> Result<(), String> {
        // Its replacement is on its way: the misses wait for it.
        if self.funcs[id].replacing || self.funcs[id].spec.is_none() {
            return Ok(());
        }
        let links = self.links;
        let decision = tiers::on_miss(&self.prog, &links, id, &self.funcs[id], &self.policy);
        let name = self.prog.funcs[id].name.clone();
        if matches!(decision, MissDecision::Wait | MissDecision::NewWindow)
            && self.funcs[id].generic.is_none()
        {
            // Misses run tier-0 code until they are frequent enough to be
            // worth an optimized generic body.
            let misses = self.funcs[id].spec.as_ref().map_or(0, |s| s.guard.misses());
            if misses >= self.policy.min_misses() {
                self.generic_body(id, &format!("{misses} guard misses"))?;
            }
        }
        match decision {
            MissDecision::Wait => Ok(()),
            MissDecision::NewWindow => {
                let spec = self.funcs[id].spec.as_ref().expect("a specialization");
                self.stats.count_guard(&spec.guard);
                spec.guard.restart();
                Ok(())
            }
            MissDecision::Respecialize(values, why) => {
                self.stats.respecializations += 1;
                self.install_optimized(id, values, &format!("re-specialize: {why}"))
            }
            MissDecision::GiveUp(why) => {
                self.stats.give_ups += 1;
                if self.opts.trace {
                    eprintln!("jit: give up specializing {name}: {why} → generic body");
                }
                // Until the generic body arrives, calls run what misses
                // run (tier-0 code).
                let generic = self.generic_body(id, "giving up")?;
                let generic = generic.unwrap_or_else(|| self.stubs.current_generic(id));
                let st = &mut self.funcs[id];
                st.gave_up = true;
                let spec = st.spec.take().expect("a specialization");
                self.retire(spec, true);
                self.stubs.install(id, generic);
                Ok(())
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn finished(
        &mut self,
        id: FuncId,
        what: &str,
        start: Instant,
        t_lower: Duration,
        t_opt: Duration,
        t_cg: Duration,
        inlined: &[FuncId],
    ) {
        let prog = Rc::clone(&self.prog);
        let prog: &Program = &prog;
        if self.opts.trace {
            let names: Vec<&str> = inlined
                .iter()
                .map(|&c| prog.funcs[c].name.as_str())
                .collect();
            eprintln!(
                "jit: compiled {} {what} in {:.2} ms (lower {:.2}, optimize {:.2}, codegen {:.2}){}",
                prog.funcs[id].name,
                ms(start.elapsed()),
                ms(t_lower),
                ms(t_opt),
                ms(t_cg),
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" (inlinable copies: {})", names.join(", "))
                }
            );
        }
        self.compiling += start.elapsed();
        self.record.compiled.push(id);
        self.deps.record(id, inlined, true);
        if let Some(ir) = self.last_ir.take() {
            self.ir.insert(id, ir);
        }
    }

    /// Replaces the session's program with `prog` (an interactive
    /// session's program changes between inputs; no LC code is running).
    /// `changed` are the functions whose checked definition differs from
    /// the previous program's, or that are new. Their code and the code of
    /// every function that copied one of them in (read from
    /// [`Dependencies`], to a fixed point) is
    /// invalidated: slots back to lazy stubs, profiles and specializations
    /// dropped. Old code is never freed. `new_structs`: the program's
    /// structs differ (their LLVM types are made again). Gives the
    /// invalidated functions that had code.
    pub fn update(
        &mut self,
        prog: Rc<Program>,
        changed: &[FuncId],
        new_structs: bool,
    ) -> Result<Vec<FuncId>, String> {
        let n = prog.funcs.len();
        let old = self.prog.funcs.len();
        let mut changed: Vec<FuncId> = changed.to_vec();
        changed.extend(n..old);
        let mut gone = self.deps.dependents_of(&changed);
        self.stubs.grow(n)?;
        let len = self.funcs.len().max(n);
        self.funcs.resize_with(len, FuncState::default);
        self.resets.resize(len, 0);
        gone.sort_unstable();
        gone.dedup();
        let mut invalidated = Vec::new();
        for &id in &gone {
            if id >= self.funcs.len() {
                continue;
            }
            let st = std::mem::take(&mut self.funcs[id]);
            if st.tier != Tier::Lazy {
                if !st.input {
                    invalidated.push(id);
                }
                self.resets[id] += 1;
            }
            if let Some(spec) = st.spec {
                self.retire(spec, false);
            }
            // Old code counts into these; it is unreachable, but kept.
            if let Some(p) = st.profile {
                self.retired_profiles.push(p);
            }
            self.deps.forget(id);
            if id < self.stubs.count() {
                self.stubs.reset(id);
            }
        }
        if new_structs {
            self.types = self.types.renew(&prog);
        }
        self.prog = prog;
        self.caller_loops = std::cell::OnceCell::new();
        self.placed.globals.truncate(self.prog.globals.len());
        self.stats.invalidations += invalidated.len() as u64;
        Ok(invalidated)
    }

    /// The session's program.
    pub fn program(&self) -> &Program {
        &self.prog
    }

    /// The session's sources.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// The session's sources, to add an input to.
    pub fn sources_mut(&mut self) -> &mut SourceMap {
        Rc::make_mut(&mut self.sources)
    }

    /// Keeps the IR of each function's latest module from now on (for
    /// [`Jit::ir`] and [`Jit::asm`]).
    pub fn keep_ir(&mut self) {
        self.keep_ir = true;
    }

    /// The module that made function `id`'s current code (after
    /// optimization), if it was compiled since [`Jit::keep_ir`].
    fn module_of(&self, id: FuncId) -> Option<&(Rc<Module<'static>>, Codegen)> {
        match self.funcs.get(id)?.tier {
            Tier::Lazy => None,
            _ => self.ir.get(&id),
        }
    }

    /// The IR of the module that made function `id`'s current code (after
    /// optimization), if it was compiled since [`Jit::keep_ir`].
    pub fn ir(&self, id: FuncId) -> Option<String> {
        self.module_of(id)
            .map(|(m, _)| m.print_to_string().to_string())
    }

    /// The assembly of the module that made function `id`'s current code,
    /// generated again from its IR as it was compiled.
    pub fn asm(&self, id: FuncId) -> Result<Option<String>, String> {
        let Some((m, how)) = self.module_of(id) else {
            return Ok(None);
        };
        let m = (**m).clone();
        let tm = match how {
            Codegen::Fast => &target_machine(OptimizationLevel::None)?,
            _ => self.tm()?,
        };
        let out = tm
            .write_to_memory_buffer(&m, FileType::Assembly)
            .map_err(|e| e.to_string())?;
        Ok(Some(String::from_utf8_lossy(out.as_slice()).into_owned()))
    }

    /// The LC function whose address (entry stub) is `addr`, if any.
    pub fn func_at(&self, addr: usize) -> Option<FuncId> {
        self.links.func_at(addr, self.prog.funcs.len())
    }

    /// Prints the counters as `--stats` does, for a session that ran for
    /// `total`.
    pub fn print_stats(&self, total: Duration) {
        stats::print(&self.stats(), self.compiling, self.background_time, total);
    }

    /// Total time spent compiling so far.
    pub fn compile_time(&self) -> Duration {
        self.compiling
    }

    /// Sets where each global of the session's program is (`addrs[g]`):
    /// code compiled from now on uses these addresses.
    pub fn place_globals(&mut self, addrs: Vec<usize>) {
        // The session provides the storage: no module defines globals.
        self.globals_defined = true;
        self.placed.globals = addrs;
    }

    /// Storage for global `gid` holding its initial value (for a global
    /// with a non-zero initializer); gives its address. Never freed.
    pub fn global_storage(&mut self, gid: usize) -> Result<usize, String> {
        self.storage_made += 1;
        let symbol =
            codegen::session_global_symbol(&self.prog.globals[gid].name, self.storage_made);
        let mut ml = self.module(&symbol, false);
        ml.define_global_named(gid, &symbol);
        self.emit(ml.into_module(), Codegen::Fast)?;
        self.orc.lookup(&symbol)
    }

    /// Compiles session input `id` (a function without parameters or
    /// result, compiled once, at the fast tier) and runs it on the
    /// session's program stack. A runtime error or an interrupt while it
    /// runs returns here. Gives how it ended and the time spent compiling
    /// (the input and every function it compiled) and running.
    pub fn run_input(&mut self, id: FuncId) -> Result<InputRun, JitError> {
        let t0 = Instant::now();
        let compiled_before = self.compiling;
        let addr = self.compile_input(id)?;
        if self.session_stack.is_none() {
            self.session_stack = Some(
                lljit_runtime::start::SessionStack::new()
                    .ok_or_else(|| JitError::Environment(program_stack_error()))?,
            );
        }
        // SAFETY: the input's function has the C signature `void (void)`.
        let code: extern "C" fn() = unsafe { std::mem::transmute::<usize, extern "C" fn()>(addr) };
        // What arrived since the last input is installed first.
        self.collect(true)?;
        let this = self as *mut Jit as usize;
        self.home.store(this, Ordering::Release);
        let stack = self.session_stack.as_ref().expect("made above");
        let stack: *const lljit_runtime::start::SessionStack = stack;
        // SAFETY: the stack lives in the session, which stays in place while
        // the input runs; the hooks reach the session through `home`.
        let outcome = unsafe { (*stack).run(code) };
        self.home.store(0, Ordering::Release);
        let total = t0.elapsed();
        let compile = self.compiling - compiled_before;
        Ok(InputRun {
            outcome,
            compile,
            run: total.saturating_sub(compile),
        })
    }

    /// Compiles an input's function, once, at the fast tier. The functions
    /// it calls that were never compiled and whose first tier is fast
    /// profiling code get that code in the same module (one module, not
    /// one per function: most of a small module's cost is fixed).
    fn compile_input(&mut self, id: FuncId) -> Result<usize, String> {
        let start = Instant::now();
        let prog = Rc::clone(&self.prog);
        let prog: &Program = &prog;
        let fast = Tier::Profiling { optimized: false };
        let callees: Vec<FuncId> = if self.opts.no_tiering {
            Vec::new()
        } else {
            prog.funcs[id]
                .direct_callees()
                .into_iter()
                .filter(|&c| {
                    c != id
                        && !prog.funcs[c].is_extern()
                        && self.funcs[c].tier == Tier::Lazy
                        && self.policy.first_tier(prog, c) == fast
                })
                .collect()
        };
        let mut with = Vec::new();
        for &c in &callees {
            let counters = self.new_profile(c)?;
            with.push((c, Code::Tier0(&self.base(c)).symbol(), counters));
        }
        let base = self.base(id);
        let code = Code::Once(&base);
        let symbol = code.symbol();
        let mut ml = self.module(&code.module_name(), false);
        // A loop typed at the prompt moves into optimized code once hot.
        if let Some(hook) = self.osr_hook(id) {
            ml.plan.osr.insert(id, hook);
        }
        let fv = ml.declare_named(id, &symbol, false);
        ml.gen_body(id, fv, &[]);
        for (c, sym, counters) in with.iter().cloned() {
            ml.plan.counters.insert(c, counters);
            if let Some(hook) = self.osr_hook(c) {
                ml.plan.osr.insert(c, hook);
            }
            let cv = ml.declare_named(c, &sym, false);
            ml.gen_body(c, cv, &[]);
        }
        let t_lower = start.elapsed();
        let (t_opt, t_cg) = self.emit(ml.into_module(), Codegen::Fast)?;
        let addr = self.orc.lookup(&symbol)?;
        let ir = self.last_ir.borrow().clone();
        for (c, sym, _) in &with {
            if let Some(ir) = &ir {
                self.ir.insert(*c, ir.clone());
            }
            let code = self.orc.lookup(sym)?;
            self.stubs.install_generic(*c, code);
            self.stubs.install(*c, code);
            self.funcs[*c].tier = fast;
            self.stats.tier0_fast += 1;
            self.record.compiled.push(*c);
            self.deps.record(*c, &[], true);
            if self.opts.trace {
                eprintln!(
                    "jit: compiled {} at tier 0 (fast, profiling) with {}",
                    prog.funcs[*c].name, prog.funcs[id].name
                );
            }
        }
        self.funcs[id].tier = Tier::Untiered;
        self.funcs[id].input = true;
        self.stats.inputs += 1;
        self.finished(id, "(input)", start, t_lower, t_opt, t_cg, &[]);
        Ok(addr)
    }

    /// The session's counters so far (guard counts of live specializations
    /// included).
    pub fn stats(&self) -> Stats {
        let mut s = self.stats.clone();
        if let Some(c) = self.cache.borrow().as_ref() {
            s.cache_hits = c.counts.hits;
            s.cache_misses = c.counts.misses;
            s.cache_corrupt = c.counts.corrupt;
            s.cache_read_bytes = c.counts.read_bytes;
            s.cache_written_bytes = c.counts.written_bytes;
        }
        for st in &self.funcs {
            if let Some(spec) = &st.spec {
                s.count_guard(&spec.guard);
            }
        }
        s
    }

    /// Compiles `main` and runs the program on its guarded stack on this
    /// thread; later functions are compiled when first called. Gives the
    /// exit status.
    pub fn run(&mut self, argv: &[String]) -> Result<i32, JitError> {
        let t0 = Instant::now();
        let main = self.prog.main.ok_or("the program has no `main`")?;
        self.compile(main)?;
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
        let this = self as *mut Jit as usize;
        self.home.store(this, Ordering::Release);
        let status = lljit_runtime::start::run_program(entry, argv.len() as i32, ptrs.as_mut_ptr());
        // The system's reason, before anything else can change it.
        let no_stack = status.is_none().then(program_stack_error);
        self.home.store(0, Ordering::Release);
        // The program is over: code still on its way is of no use.
        if let Some(bg) = self.background.as_mut() {
            bg.stop();
        }
        lljit_runtime::start::flush_stdio();
        drop(cstrs);
        self.write_profile().map_err(JitError::Environment)?;
        self.save_warm();
        if let Some(c) = self.cache.borrow().as_ref() {
            c.trim();
        }
        if self.opts.stats {
            stats::print(
                &self.stats(),
                self.compiling,
                self.background_time,
                t0.elapsed(),
            );
        }
        status.ok_or_else(|| JitError::Environment(no_stack.unwrap_or_default()))
    }

    /// Writes [`Jit::jit_profile`] to the `--profile-out` file, if any.
    pub fn write_profile(&self) -> Result<(), String> {
        let Some(path) = &self.opts.profile_out else {
            return Ok(());
        };
        std::fs::write(path, self.jit_profile().to_text())
            .map_err(|e| format!("cannot write the profile {}: {e}", path.display()))
    }

    /// What the profiles saw so far, by function: branch counts and
    /// dominant indirect-call targets of every function that ran profiling
    /// code, and the functions never called (`--profile-out`).
    pub fn jit_profile(&self) -> crate::jitprofile::JitProfile {
        use crate::jitprofile::{shape, FuncEntry, JitProfile};
        let prog = &self.prog;
        let mut out = JitProfile::default();
        for (id, st) in self.funcs.iter().enumerate() {
            let f = &prog.funcs[id];
            if f.is_extern() || st.input {
                continue;
            }
            // Tier-0 code made ahead of a first call that never came
            // counts no call.
            let uncalled = st.tier == Tier::Profiling { optimized: false }
                && st.profile.as_ref().is_some_and(|p| p.calls() == 0);
            if st.tier == Tier::Lazy || uncalled {
                out.never.push(f.name.clone());
                continue;
            }
            let Some(p) = &st.profile else { continue };
            let mut e = FuncEntry {
                shape: shape(prog, id),
                calls: p.calls(),
                ..FuncEntry::default()
            };
            for (s, k) in f.sites.iter().enumerate() {
                if matches!(
                    k,
                    crate::tast::SiteKind::Branch | crate::tast::SiteKind::Loop
                ) {
                    let (t, n) = p.branch(s as SiteId);
                    if t + n > 0 {
                        e.branches.push((s as u32, t, n));
                    }
                }
            }
            for (s, g, _) in tiers::promotions(prog, id, &self.links, p) {
                let count = p.targets(s).dominant().map_or(0, |(_, c)| c);
                e.targets.push((s, prog.funcs[g].name.clone(), count));
            }
            out.funcs.push((f.name.clone(), e));
        }
        out
    }

    /// The libraries the program's externs come from.
    pub fn libraries(&self) -> &Libraries {
        &self.libraries
    }
}

/// Why the program's stack could not be made.
fn program_stack_error() -> String {
    reserve_error(
        "the program's stack",
        lljit_runtime::start::PROGRAM_STACK_SIZE,
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
