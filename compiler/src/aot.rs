//! Ahead-of-time builds: the same lowering as the JIT with direct calls, one
//! LLVM module per source file, object files written by LLVM's
//! TargetMachine, linked by `clang-19` against the runtime's static library.
//! `--lto` links the modules into one before optimizing (full LTO); PGO
//! hands unoptimized bitcode to `clang-19 -fprofile-generate/-use`.

use crate::codegen::{ModuleLowering, Symbols, TierPlan, TypeCache};
use crate::libs::LinkOptions;
use crate::source::SourceMap;
use crate::tast::Program;
use inkwell::context::{Context, ContextRef};
use inkwell::module::Module;
use inkwell::targets::{
    CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetMachine,
};
use inkwell::OptimizationLevel;
use std::ffi::{c_char, c_int, c_void};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The CPU an ahead-of-time build targets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetCpu {
    /// Portable x86-64 (the default).
    Generic,
    /// The running machine's CPU and all its features.
    Host,
    /// A CPU by LLVM's name (`skylake`, `znver3`, …).
    Named(String),
}

impl TargetCpu {
    /// Parses `generic`, `host` (or `native`) or a CPU name that LLVM knows
    /// for this machine's target; anything else is an error (one line with
    /// a hint), which the command line reports as a usage error.
    pub fn parse(s: &str) -> Result<TargetCpu, String> {
        match s {
            "generic" => return Ok(TargetCpu::Generic),
            "host" | "native" => return Ok(TargetCpu::Host),
            "" => return Err("the CPU name is empty (use `generic`, `host` or an LLVM CPU name such as `skylake`)".into()),
            _ => {}
        }
        let (triple, known) = known_cpus()?;
        if known.iter().any(|k| k == s) {
            return Ok(TargetCpu::Named(s.to_string()));
        }
        let hint = match closest(s, &known) {
            Some(k) => format!("did you mean `{k}`?"),
            None => "use `generic`, `host` or an LLVM CPU name such as `skylake`".into(),
        };
        Err(format!("not a CPU that LLVM knows for {triple} ({hint})"))
    }

    /// The CPU name and feature string for LLVM.
    pub fn llvm(&self) -> (String, String) {
        match self {
            TargetCpu::Generic => ("x86-64".into(), String::new()),
            TargetCpu::Host => (
                TargetMachine::get_host_cpu_name().to_string(),
                TargetMachine::get_host_cpu_features().to_string(),
            ),
            TargetCpu::Named(n) => (n.clone(), String::new()),
        }
    }

    /// The matching `clang -march=` value.
    fn march(&self) -> String {
        match self {
            TargetCpu::Generic => "x86-64".into(),
            TargetCpu::Host => "native".into(),
            TargetCpu::Named(n) => n.clone(),
        }
    }
}

extern "C" {
    /// `cpp/target_cpus.cpp`: calls `each` with every CPU name of `target`.
    fn lljit_target_cpu_names(
        target: *mut c_void,
        triple: *const c_char,
        each: extern "C" fn(*mut c_void, *const c_char, usize),
        data: *mut c_void,
    ) -> c_int;
}

/// The host's target triple and the CPU names LLVM's subtarget tables hold
/// for it (what `llc -mcpu=help` lists).
pub fn known_cpus() -> Result<(String, Vec<String>), String> {
    extern "C" fn push(data: *mut c_void, name: *const c_char, len: usize) {
        // SAFETY: `data` is the `Vec` below; `name` points at `len` bytes of LLVM's static table.
        let (names, bytes) = unsafe {
            (
                &mut *(data as *mut Vec<String>),
                std::slice::from_raw_parts(name as *const u8, len),
            )
        };
        names.push(String::from_utf8_lossy(bytes).into_owned());
    }
    Target::initialize_native(&InitializationConfig::default())?;
    let triple = TargetMachine::get_default_triple();
    let target = Target::from_triple(&triple).map_err(|e| e.to_string())?;
    let mut names: Vec<String> = Vec::new();
    // SAFETY: the target and triple outlive the call; `push` matches the callback's signature.
    let ok = unsafe {
        lljit_target_cpu_names(
            target.as_mut_ptr() as *mut c_void,
            triple.as_ptr(),
            push,
            &mut names as *mut Vec<String> as *mut c_void,
        )
    };
    let triple = triple.as_str().to_string_lossy().into_owned();
    if ok == 0 {
        return Err(format!("LLVM has no CPU list for {triple}"));
    }
    Ok((triple, names))
}

/// The known name closest to `name`, when it is close enough to be a typo.
fn closest<'a>(name: &str, known: &'a [String]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

/// What `--emit` writes instead of an executable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    // No doc comments: clap would print them, one line per value.
    LlvmIr,
    Asm,
    Obj,
}

/// Options of `lljit aot`. Each field but `output` is one command-line
/// option (its doc comment is the help text).
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct AotOptions {
    /// Optimization level: -O0, -O1, -O2 or -O3
    #[arg(short = 'O', value_name = "LEVEL", default_value_t = 2,
          value_parser = clap::value_parser!(u8).range(0..=3))]
    pub opt_level: u8,
    /// `generic` (portable x86-64), `host` (this machine's CPU and all its
    /// features), or an LLVM CPU name such as `skylake`
    #[arg(long, value_name = "CPU", default_value = "generic", value_parser = TargetCpu::parse)]
    pub target_cpu: TargetCpu,
    /// Write optimized IR, assembly or an object file instead of an executable
    #[arg(long, value_name = "KIND", value_enum)]
    pub emit: Option<Emit>,
    /// Full LTO: optimize the program's modules together, so functions are
    /// inlined across files
    #[arg(long)]
    pub lto: bool,
    /// Build an executable instrumented with LLVM's IR profiling; each run
    /// writes a .profraw file into DIR
    #[arg(long, value_name = "DIR", conflicts_with = "pgo_use")]
    pub pgo_gen: Option<PathBuf>,
    /// Optimize with a profile: a directory of .profraw files, a merged
    /// .profdata file, or a profile `lljit run --profile-out` wrote
    #[arg(long, value_name = "PATH")]
    pub pgo_use: Option<PathBuf>,
    /// The executable (or `--emit` output) to write.
    #[arg(skip = PathBuf::from("a.out"))]
    pub output: PathBuf,
    /// Print each build step and its time
    #[arg(short, long)]
    pub verbose: bool,
    #[command(flatten)]
    pub link: LinkOptions,
}

impl Default for AotOptions {
    fn default() -> Self {
        AotOptions {
            opt_level: 2,
            target_cpu: TargetCpu::Generic,
            emit: None,
            lto: false,
            pgo_gen: None,
            pgo_use: None,
            output: PathBuf::from("a.out"),
            verbose: false,
            link: LinkOptions::default(),
        }
    }
}

/// The C compiler/linker driver used for linking and PGO.
pub const CLANG: &str = "clang-19";
/// The profile merger.
pub const LLVM_PROFDATA: &str = "llvm-profdata-19";

/// Where the runtime's static library is: `$LLJIT_RUNTIME_LIB`, or next to
/// the `lljit` executable (where `cargo build -p lljit-runtime` puts it).
pub fn runtime_library() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("LLJIT_RUNTIME_LIB") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = exe.parent().ok_or("cannot locate lljit's directory")?;
    for cand in [
        dir.join("liblljit_runtime.a"),
        dir.join("../liblljit_runtime.a"),
        dir.join("../lib/liblljit_runtime.a"),
    ] {
        if cand.exists() {
            return Ok(cand);
        }
    }
    Err(format!(
        "cannot find the runtime library liblljit_runtime.a next to {} (build it with `cargo build --release -p lljit-runtime`, or set LLJIT_RUNTIME_LIB)",
        exe.display()
    ))
}

/// Libraries the runtime (a Rust static library) needs from the system.
const SYSTEM_LIBS: &[&str] = &["-lm", "-lpthread", "-ldl", "-lrt", "-lutil", "-lgcc_s"];

fn target_machine(cpu: &TargetCpu, level: u8) -> Result<TargetMachine, String> {
    Target::initialize_native(&InitializationConfig::default())?;
    let triple = TargetMachine::get_default_triple();
    let target = Target::from_triple(&triple).map_err(|e| e.to_string())?;
    if let TargetCpu::Named(name) = cpu {
        // LLVM accepts any name here, and aborts when it generates code.
        TargetCpu::parse(name)?;
    }
    let (name, features) = cpu.llvm();
    let level = match level {
        0 => OptimizationLevel::None,
        1 => OptimizationLevel::Less,
        2 => OptimizationLevel::Default,
        _ => OptimizationLevel::Aggressive,
    };
    target
        .create_target_machine(
            &triple,
            &name,
            &features,
            level,
            RelocMode::PIC,
            CodeModel::Default,
        )
        .ok_or_else(|| format!("unknown target CPU `{name}`"))
}

struct Step {
    verbose: bool,
    start: Instant,
}

impl Step {
    fn done(&mut self, what: &str) {
        if self.verbose {
            eprintln!(
                "aot: {what} in {:.1} ms",
                self.start.elapsed().as_secs_f64() * 1e3
            );
        }
        self.start = Instant::now();
    }
}

/// Builds `prog` ahead of time as `opts` says. The output is written only
/// when the build succeeds, and never over one of the program's sources.
pub fn build(prog: &Program, sources: &SourceMap, opts: &AotOptions) -> Result<(), String> {
    check_output(&opts.output, sources)?;
    let staging =
        tempfile::tempdir().map_err(|e| format!("cannot create a scratch directory: {e}"))?;
    let staged = staging.path().join("out");
    let mut staged_opts = opts.clone();
    staged_opts.output = staged.clone();
    build_into(prog, sources, &staged_opts)?;
    // A copy, not a rename: the output may be on another file system, and
    // an existing output keeps its inode (as a compiler's output does).
    std::fs::copy(&staged, &opts.output)
        .map_err(|e| format!("cannot write `{}`: {e}", opts.output.display()))?;
    Ok(())
}

/// Refuses an output that cannot be written or that is one of the
/// program's source files (as gcc refuses `gcc a.c -o a.c`), before any
/// work is done.
fn check_output(output: &Path, sources: &SourceMap) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let shown = output.display();
    if let Ok(out) = std::fs::metadata(output) {
        if out.is_dir() {
            return Err(format!(
                "the output `{shown}` is a directory; name a file with -o"
            ));
        }
        for file in sources.files() {
            let Ok(src) = std::fs::metadata(&file.path) else {
                continue;
            };
            if (src.dev(), src.ino()) == (out.dev(), out.ino()) {
                return Err(format!(
                    "the output `{shown}` is the input file `{}`; name another output with -o",
                    file.name
                ));
            }
        }
    }
    let dir = match output.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(format!(
            "cannot write `{shown}`: `{}` is not a directory",
            dir.display()
        )),
        Err(e) => Err(format!("cannot write `{shown}`: `{}`: {e}", dir.display())),
    }
}

/// [`build`] into `opts.output`.
fn build_into(prog: &Program, sources: &SourceMap, opts: &AotOptions) -> Result<(), String> {
    let mut step = Step {
        verbose: opts.verbose,
        start: Instant::now(),
    };
    let tm = target_machine(&opts.target_cpu, opts.opt_level)?;
    let context = Context::create();
    // SAFETY: `context` outlives every module and type made through the reference.
    let ctx: ContextRef = unsafe { ContextRef::new(context.raw()) };
    let types = TypeCache::new(ctx, prog);
    // A profile a JIT run wrote (`lljit run --profile-out`) goes into
    // lowering, as the JIT's own tier 1 takes it; any other goes to clang.
    let jit_profile = opts
        .pgo_use
        .as_deref()
        .filter(|p| crate::jitprofile::is_jit_profile(p));
    let plan = match jit_profile {
        Some(path) => {
            let (plan, warnings) = crate::jitprofile::JitProfile::read(path)?.plan(prog);
            for w in warnings {
                eprintln!(
                    "warning: {}: {w}; its part of the profile is left out",
                    path.display()
                );
            }
            plan
        }
        None => TierPlan::default(),
    };
    let mut modules = lower_modules(ctx, prog, sources, &types, &tm, &plan);
    step.done("lowering");

    let pgo = opts.pgo_gen.is_some() || (opts.pgo_use.is_some() && jit_profile.is_none());
    if pgo && opts.emit.is_none() {
        return build_with_clang_pgo(modules, opts, &mut step);
    }
    let passes = |lto_phase: &str| format!("{lto_phase}<O{}>", opts.opt_level.min(3));
    if opts.lto || opts.emit.is_some() {
        if opts.lto {
            for m in &modules {
                run_passes(m, &passes("lto-pre-link"), &tm, opts.opt_level)?;
            }
        } else {
            for m in &modules {
                run_passes(m, &passes("default"), &tm, opts.opt_level)?;
            }
        }
        let first = modules.remove(0);
        for m in modules.drain(..) {
            first.link_in_module(m).map_err(|e| e.to_string())?;
        }
        if opts.lto {
            run_passes(&first, &passes("lto"), &tm, opts.opt_level)?;
        }
        modules.push(first);
        step.done("optimization");
    } else {
        for m in &modules {
            run_passes(m, &passes("default"), &tm, opts.opt_level)?;
        }
        step.done("optimization");
    }
    if let Some(emit) = opts.emit {
        let m = &modules[0];
        match emit {
            Emit::LlvmIr => m.print_to_file(&opts.output).map_err(|e| e.to_string())?,
            Emit::Asm => tm
                .write_to_file(m, FileType::Assembly, &opts.output)
                .map_err(|e| e.to_string())?,
            Emit::Obj => tm
                .write_to_file(m, FileType::Object, &opts.output)
                .map_err(|e| e.to_string())?,
        }
        step.done("emission");
        return Ok(());
    }
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a scratch directory: {e}"))?;
    let mut objects = Vec::new();
    for (i, m) in modules.iter().enumerate() {
        let obj = dir.path().join(format!("m{i}.o"));
        tm.write_to_file(m, FileType::Object, &obj)
            .map_err(|e| e.to_string())?;
        objects.push(obj);
    }
    step.done("code generation");
    link(&objects, &[], false, opts)?;
    step.done("linking");
    Ok(())
}

fn run_passes(m: &Module, passes: &str, tm: &TargetMachine, level: u8) -> Result<(), String> {
    m.run_passes(passes, tm, crate::codegen::pass_options(level))
        .map_err(|e| e.to_string())
}

/// One module per source file: its functions and globals, with the entry
/// (`lc.start` and C's `main`) in the root file's module.
fn lower_modules<'ctx>(
    ctx: ContextRef<'ctx>,
    prog: &Program,
    sources: &SourceMap,
    types: &TypeCache<'ctx>,
    tm: &TargetMachine,
    plan: &TierPlan,
) -> Vec<Module<'ctx>> {
    let mut modules = Vec::new();
    for (fid, file) in sources.files().iter().enumerate() {
        let mut ml = ModuleLowering::new(ctx, &file.name, prog, sources, types, &Symbols);
        ml.plan = plan.clone();
        let mut any = fid == 0;
        for (gid, g) in prog.globals.iter().enumerate() {
            if g.span.file == fid {
                ml.define_global(gid);
                any = true;
            }
        }
        for (id, f) in prog.funcs.iter().enumerate() {
            if !f.is_extern() && f.span.file == fid {
                ml.gen_function(id, false);
                any = true;
            }
        }
        if fid == 0 {
            ml.gen_c_main();
        }
        if !any {
            continue;
        }
        let m = ml.module;
        m.set_triple(&tm.get_triple());
        m.set_data_layout(&tm.get_target_data().get_data_layout());
        modules.push(m);
    }
    modules
}

/// PGO: unoptimized bitcode per module, compiled by clang with
/// `-fprofile-generate=DIR` or `-fprofile-use=FILE` (and `-flto` when asked).
fn build_with_clang_pgo(
    modules: Vec<Module>,
    opts: &AotOptions,
    step: &mut Step,
) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a scratch directory: {e}"))?;
    let mut profile_flag = None;
    if let Some(gen) = &opts.pgo_gen {
        std::fs::create_dir_all(gen)
            .map_err(|e| format!("cannot create {}: {e}", gen.display()))?;
        let abs = std::fs::canonicalize(gen).map_err(|e| e.to_string())?;
        profile_flag = Some(format!("-fprofile-generate={}", abs.display()));
    } else if let Some(path) = &opts.pgo_use {
        match profile_data(path, dir.path()) {
            Ok(p) => profile_flag = Some(format!("-fprofile-use={}", p.display())),
            Err(e) => eprintln!("warning: {e}; building without profile-guided optimization"),
        }
    }
    let mut objects = Vec::new();
    let mut stale = false;
    for (i, m) in modules.iter().enumerate() {
        // Named after the source file: clang's profile warnings show the name.
        let name = m.get_name().to_string_lossy().into_owned();
        let stem = Path::new(&name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bc = dir.path().join(format!("{i}-{stem}.bc"));
        if !m.write_bitcode_to_path(&bc) {
            return Err(format!("cannot write {}", bc.display()));
        }
        let obj = dir.path().join(format!("m{i}.o"));
        let mut cmd = Command::new(CLANG);
        cmd.arg("-c")
            .arg(format!("-O{}", opts.opt_level.min(3)))
            .arg(format!("-march={}", opts.target_cpu.march()));
        cmd.args([
            "-fPIC",
            "-Wno-invalid-feature-combination",
            "-ffp-contract=off",
            "-Wno-override-module",
            "-Wno-unused-command-line-argument",
        ]);
        if let Some(f) = &profile_flag {
            cmd.arg(f);
            if f.starts_with("-fprofile-use") {
                // A stale profile is reported, not fatal.
                cmd.args([
                    "-Wno-profile-instr-unprofiled",
                    "-Wprofile-instr-out-of-date",
                    "-Wprofile-instr-missing",
                ]);
            }
        }
        if opts.lto {
            cmd.arg("-flto");
        }
        cmd.arg(&bc).arg("-o").arg(&obj);
        let warnings = run_tool(cmd, opts.verbose)?;
        stale |= warnings.contains("hash mismatch") || warnings.contains("out of date");
        objects.push(obj);
    }
    if stale {
        eprintln!(
            "warning: the profile does not match this program (it changed since the profile was recorded); \
             functions that changed are optimized without it"
        );
    }
    step.done("clang (PGO) compilation");
    let mut extra: Vec<String> = Vec::new();
    if let Some(f) = &profile_flag {
        if f.starts_with("-fprofile-generate") {
            extra.push(f.clone());
        }
    }
    link(&objects, &extra, opts.lto, opts)?;
    step.done("linking");
    Ok(())
}

/// A merged profile: `path` itself when it is a file, or the merge of the
/// `.profraw` files in the directory `path`.
fn profile_data(path: &Path, scratch: &Path) -> Result<PathBuf, String> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    if !path.is_dir() {
        return Err(format!("profile `{}` does not exist", path.display()));
    }
    let raws: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "profraw"))
        .collect();
    if raws.is_empty() {
        return Err(format!(
            "profile directory `{}` holds no .profraw files (run the instrumented program first)",
            path.display()
        ));
    }
    let out = scratch.join("merged.profdata");
    let mut cmd = Command::new(LLVM_PROFDATA);
    cmd.arg("merge").arg("-o").arg(&out).args(&raws);
    run_tool(cmd, false)?;
    Ok(out)
}

/// Links objects (bitcode when `bitcode` is set: clang then runs LTO)
/// with the runtime library into the executable.
fn link(
    objects: &[PathBuf],
    extra: &[String],
    bitcode: bool,
    opts: &AotOptions,
) -> Result<(), String> {
    let rt = runtime_library()?;
    let mut cmd = Command::new(CLANG);
    if bitcode {
        cmd.args(["-flto", "-fuse-ld=lld"]);
        cmd.arg(format!("-O{}", opts.opt_level.min(3)))
            .arg(format!("-march={}", opts.target_cpu.march()));
    }
    if !bitcode {
        cmd.arg("-fuse-ld=lld");
    }
    // The `-l` libraries, searched as `run` searches them (the `-L`
    // directories first); executables find the ones in `-L` directories
    // through their run path.
    cmd.args(objects).arg(&rt);
    for dir in &opts.link.lib_dirs {
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
        cmd.arg(format!("-L{}", dir.display()));
        cmd.arg(format!("-Wl,-rpath,{}", dir.display()));
    }
    for lib in &opts.link.libs {
        cmd.arg(format!("-l{lib}"));
    }
    cmd.args(SYSTEM_LIBS)
        .args(extra)
        .arg("-Wl,--gc-sections")
        .arg("-o")
        .arg(&opts.output);
    run_tool(cmd, opts.verbose).map(|_| ())
}

/// Runs a tool; fails with its messages (and, when `verbose`, the command
/// line), passes its warnings through and returns them.
fn run_tool(mut cmd: Command, verbose: bool) -> Result<String, String> {
    let tool = cmd.get_program().to_string_lossy().into_owned();
    let shown = format!("{cmd:?}");
    let out = cmd.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!(
            "`{tool}` is not installed (scripts/setup installs it): ahead-of-time builds need it"
        ),
        _ => format!("cannot run `{tool}`: {e}"),
    })?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let mut msg = format!(
            "`{tool}` failed while building the executable:\n{}",
            stderr.trim_end()
        );
        if verbose {
            msg.push_str(&format!("\nthe command was: {shown}"));
        }
        return Err(msg);
    }
    if !stderr.trim().is_empty() {
        eprint!("{stderr}");
    }
    Ok(stderr.into_owned())
}
