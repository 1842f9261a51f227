//! Data-driven conformance harness for LC: runs every `cases/**/*.lc` file against
//! the `lljit` binary in every execution mode and compares the results with the
//! expectations written inline in the file, then runs every `programs/NAME.lc`
//! against its C twin `programs/NAME.c` compiled with clang, and every REPL
//! transcript `repl/*.lcr` in every JIT mode (see `transcript.rs`).
//!
//! Case format (this header is its reference):
//!
//! ```text
//! //@ args: foo bar        program arguments (split on whitespace)
//! //@ exit: 3              expected exit status (default 0; 1 with `//~ E....`; 101 with a trap)
//! //@ check                front end only (`lljit check`), expect exit 0
//! //@ stderr: TEXT         stderr must contain TEXT (any case kind; may repeat)
//! //> text                 one line of expected stdout (`//>` alone is an empty line)
//! code   //~ E0200 E0201   diagnostics whose primary position is on this line
//! code   //~ trap: MSG     runtime error MSG reported at this line (exit 101)
//! //~ trap-noloc: MSG      runtime error MSG, position line not checked
//! ```
//!
//! A diagnostic is attributed to the first `┌─ PATH:LINE:COL` position of its
//! block that lies in the case file (so a duplicate definition whose primary span
//! is in an imported file is matched by the annotation in the case file).
//!
//! The execution modes are the suite's rows of the shared mode table,
//! `lljit_modes::MODES` (`modes/src/lib.rs`).
//!
//! Environment: `LLJIT` (binary; default `<workspace>/target/release/lljit`),
//! `LLJIT_MODES` (comma-separated mode names; default all), `LLJIT_TEST_FILTER`
//! (substring of the case path), `LLJIT_BLESS=1` (rewrite `//>` and `//@ exit:` of
//! run cases from the actual results). The first non-flag argument is a filter too.
//! Programs run with the lang-tests directory as working directory and get the case
//! path relative to it (`cases/main/argv.lc`), so `argv[0]` and positions are stable.

mod transcript;

use lljit_modes::{modes_for, How, Mode, Tool};
use std::collections::VecDeque;
use std::env;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Time limit for one `lljit` invocation or one compiled C program.
const RUN_TIMEOUT: Duration = Duration::from_secs(20);
/// Time limit for compiling one C twin.
const CC_TIMEOUT: Duration = Duration::from_secs(120);
/// Number of tests run at once.
const WORKERS: usize = 2;
/// At most this much of a child's stdout/stderr is kept.
const OUTPUT_CAP: usize = 8 << 20;

/// True for the suite's first mode (`jit`): blessing takes its results, and
/// a transcript with options of its own runs only in it.
fn is_default(mode: &Mode) -> bool {
    modes_for(Tool::LangTests).next() == Some(mode)
}

/// The command that runs `file` with `args` in `mode`. Every JIT run uses
/// the suite's code cache (so a case finds what its other modes, and other
/// cases, compiled, two workers writing it at once); a warm mode first
/// runs the program once to fill it.
fn command(env: &Env, mode: &Mode, file: &Path, args: &[String]) -> Result<Command, String> {
    let lljit = &env.lljit;
    let run = || {
        let mut cmd = Command::new(lljit);
        cmd.arg("run")
            .args(mode.args)
            .arg(file)
            .args(args)
            .env("LLJIT_CACHE_DIR", env.tmp.join("cache"));
        cmd
    };
    match mode.how {
        How::Run => Ok(run()),
        How::RunWarm => {
            let first = spawn_with_timeout(run().current_dir(&env.root), RUN_TIMEOUT)?;
            if first.timed_out {
                return Err(format!("the run filling the cache {}", first.status()));
            }
            Ok(run())
        }
        How::Aot => Ok(aot_command(lljit, file, args, mode)),
        How::AotPgoLto | How::AotJitProfile => Err(format!("{} needs a training run", mode.name)),
    }
}

/// Builds the program with `lljit aot` into a scratch executable, then runs
/// it with `argv[0]` = the source path (as `lljit run` passes it).
fn aot_command(lljit: &Path, file: &Path, args: &[String], mode: &Mode) -> Command {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."));
    let name: String = file
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let exe = workspace
        .join("target/lang-tests-tmp/aot")
        .join(format!("{name}.{}", mode.name));
    let _ = fs::create_dir_all(exe.parent().unwrap());
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(r#"exe="$1"; src="$2"; n="$3"; shift 3; "$LLJIT_BIN" aot "${@:1:n}" "$src" -o "$exe" || exit 125; shift "$n"; exec -a "$src" "$exe" "$@""#)
        .arg("aot")
        .arg(&exe)
        .arg(file)
        .arg(mode.args.len().to_string())
        .args(mode.args)
        .args(args)
        .env("LLJIT_BIN", lljit);
    cmd
}

/// What a case expects.
#[derive(Debug)]
enum Expect {
    /// `lljit check` succeeds.
    Check,
    /// `lljit check` reports exactly these (code, line) diagnostics.
    Diagnostics(Vec<(String, usize)>),
    /// The program runs with this result.
    Run(RunExpect),
}

#[derive(Debug)]
struct RunExpect {
    args: Vec<String>,
    stdout: Vec<String>,
    exit: i32,
    trap: Option<Trap>,
}

#[derive(Debug)]
struct Trap {
    message: String,
    /// The annotated line, or `None` for `trap-noloc`.
    line: Option<usize>,
}

/// A parsed case file.
#[derive(Debug)]
struct Case {
    expect: Expect,
    stderr_contains: Vec<String>,
}

/// One unit of work for a worker.
enum Job {
    Case {
        rel: PathBuf,
        mode: Option<&'static Mode>,
    },
    Program {
        rel: PathBuf,
        c_twin: PathBuf,
        args: Vec<String>,
        mode: &'static Mode,
    },
    /// A REPL transcript, with a JIT mode's options.
    Transcript { rel: PathBuf, mode: &'static Mode },
}

impl Job {
    fn label(&self) -> String {
        match self {
            Job::Case { rel, mode: Some(m) } => format!("[{}] {}", m.name, rel.display()),
            Job::Case { rel, mode: None } => format!("[check] {}", rel.display()),
            Job::Program { rel, mode, .. } => format!("[{} vs clang] {}", mode.name, rel.display()),
            Job::Transcript { rel, mode } => format!("[{} repl] {}", mode.name, rel.display()),
        }
    }
}

/// Shared, read-only settings.
struct Env {
    lljit: PathBuf,
    /// The lang-tests directory: working directory of every child.
    root: PathBuf,
    tmp: PathBuf,
    bless: bool,
}

/// The result of running a child process.
struct Output {
    stdout: String,
    stderr: String,
    /// Exit code, or `None` when killed by a signal.
    code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
}

impl Output {
    fn status(&self) -> String {
        match (self.code, self.signal) {
            _ if self.timed_out => format!("timed out after {} s", RUN_TIMEOUT.as_secs()),
            (Some(c), _) => format!("exit status {c}"),
            (None, Some(s)) => format!("killed by signal {s}"),
            (None, None) => "unknown exit status".to_string(),
        }
    }

    fn stderr_hint(&self) -> String {
        let first: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(2)
            .collect();
        if first.is_empty() {
            String::new()
        } else {
            format!(" (stderr: {:?})", first.join(" | "))
        }
    }
}

fn main() -> ExitCode {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest.clone());
    let lljit = env::var_os("LLJIT")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target/release/lljit"));
    let lljit = if lljit.is_relative() {
        env::current_dir().map(|d| d.join(&lljit)).unwrap_or(lljit)
    } else {
        lljit
    };
    if !lljit.is_file() {
        eprintln!(
            "lang-tests: lljit binary not found at {} (build it with `cargo build --release -p lljit` or set LLJIT)",
            lljit.display()
        );
        println!("0 passed, 1 failed");
        return ExitCode::FAILURE;
    }

    let modes: Vec<&'static Mode> = match env::var("LLJIT_MODES") {
        Ok(list) if !list.trim().is_empty() => {
            let mut chosen = Vec::new();
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                match modes_for(Tool::LangTests).find(|m| m.name == name) {
                    Some(m) => chosen.push(m),
                    None => {
                        let known: Vec<_> = modes_for(Tool::LangTests).map(|m| m.name).collect();
                        eprintln!(
                            "lang-tests: unknown mode {name:?} in LLJIT_MODES (known: {known:?})"
                        );
                        return ExitCode::FAILURE;
                    }
                }
            }
            chosen
        }
        _ => modes_for(Tool::LangTests).collect(),
    };

    let mut filters: Vec<String> = Vec::new();
    if let Some(f) = cli_filter() {
        filters.push(f);
    }
    if let Ok(f) = env::var("LLJIT_TEST_FILTER") {
        if !f.is_empty() {
            filters.push(f);
        }
    }
    let selected = |rel: &Path| {
        let s = rel.to_string_lossy();
        filters.iter().all(|f| s.contains(f.as_str()))
    };

    let mut jobs = Vec::new();
    let mut case_files = Vec::new();
    collect_lc_files(&manifest, &manifest.join("cases"), &mut case_files);
    case_files.sort();
    for rel in case_files.into_iter().filter(|r| selected(r)) {
        // Front-end-only cases run once; run cases run once per mode. A file that
        // cannot be parsed is reported by its check job.
        let is_run = fs::read(manifest.join(&rel))
            .ok()
            .and_then(|bytes| parse_case(&String::from_utf8_lossy(&bytes)).ok())
            .is_some_and(|c| matches!(c.expect, Expect::Run(_)));
        if is_run {
            for &mode in &modes {
                jobs.push(Job::Case {
                    rel: rel.clone(),
                    mode: Some(mode),
                });
            }
        } else {
            jobs.push(Job::Case { rel, mode: None });
        }
    }
    let mut programs = Vec::new();
    collect_lc_files(&manifest, &manifest.join("programs"), &mut programs);
    programs.sort();
    for rel in programs.into_iter().filter(|r| selected(r)) {
        let c_twin = rel.with_extension("c");
        let args = fs::read_to_string(manifest.join(rel.with_extension("args")))
            .map(|s| s.split_whitespace().map(String::from).collect())
            .unwrap_or_default();
        for &mode in &modes {
            jobs.push(Job::Program {
                rel: rel.clone(),
                c_twin: c_twin.clone(),
                args: Vec::clone(&args),
                mode,
            });
        }
    }

    let mut transcripts = Vec::new();
    if let Ok(dir) = fs::read_dir(manifest.join("repl")) {
        for e in dir.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "lcr") {
                if let Ok(rel) = p.strip_prefix(&manifest) {
                    transcripts.push(rel.to_path_buf());
                }
            }
        }
    }
    transcripts.sort();
    for rel in transcripts.into_iter().filter(|r| selected(r)) {
        // A transcript with options of its own (a trace) runs in the
        // default mode only: what it shows depends on the mode.
        let own_options = fs::read_to_string(manifest.join(&rel))
            .is_ok_and(|t| t.lines().any(|l| l.starts_with("##@ options:")));
        for &mode in &modes {
            if mode.how == How::Run && (!own_options || is_default(mode)) {
                jobs.push(Job::Transcript {
                    rel: rel.clone(),
                    mode,
                });
            }
        }
    }

    let tmp = workspace.join("target/lang-tests-tmp");
    let _ = fs::create_dir_all(&tmp);
    // Every run of the suite starts with an empty code cache (it fills as
    // cases and modes run).
    let _ = fs::remove_dir_all(tmp.join("cache"));
    let env = Arc::new(Env {
        lljit,
        root: manifest.clone(),
        tmp,
        bless: env::var("LLJIT_BLESS").is_ok_and(|v| v == "1"),
    });
    let total = jobs.len();
    println!(
        "running {total} tests with {WORKERS} workers ({})",
        env.lljit.display()
    );

    let queue = Arc::new(Mutex::new(jobs.into_iter().collect::<VecDeque<Job>>()));
    let results: Arc<Mutex<Vec<Result<(), String>>>> = Arc::new(Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        let (queue, results, env) = (queue.clone(), results.clone(), env.clone());
        workers.push(thread::spawn(move || loop {
            let job = match queue.lock() {
                Ok(mut q) => q.pop_front(),
                Err(_) => None,
            };
            let Some(job) = job else { break };
            let label = job.label();
            let outcome = run_job(&env, &job);
            if let Err(why) = &outcome {
                println!("FAIL {label}: {why}");
            }
            if let Ok(mut r) = results.lock() {
                r.push(outcome);
            }
        }));
    }
    for w in workers {
        let _ = w.join();
    }
    let passed = results
        .lock()
        .map(|r| r.iter().filter(|o| o.is_ok()).count())
        .unwrap_or(0);
    let failed = total - passed;
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The first command-line argument that is not a flag (nor a flag's value).
fn cli_filter() -> Option<String> {
    const TAKES_VALUE: &[&str] = &[
        "--test-threads",
        "--skip",
        "--color",
        "--format",
        "--logfile",
        "-Z",
    ];
    let mut args = env::args().skip(1);
    while let Some(a) = args.next() {
        if TAKES_VALUE.contains(&a.as_str()) {
            args.next();
        } else if !a.starts_with('-') {
            return Some(a);
        }
    }
    None
}

/// Collects `*.lc` files under `dir` (relative to `root`), skipping `aux` directories.
fn collect_lc_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "aux") {
                collect_lc_files(root, &path, out);
            }
        } else if path.extension().is_some_and(|e| e == "lc") {
            if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_path_buf());
            }
        }
    }
}

/// Parses the inline expectations of a case file.
fn parse_case(text: &str) -> Result<Case, String> {
    let mut args = Vec::new();
    let mut exit = None;
    let mut check = false;
    let mut stdout = Vec::new();
    let mut diags = Vec::new();
    let mut trap = None;
    let mut stderr_contains = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lineno = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("//@") {
            let rest = rest.trim();
            if rest == "check" {
                check = true;
            } else if let Some(a) = rest.strip_prefix("args:") {
                args = a.split_whitespace().map(String::from).collect();
            } else if let Some(e) = rest.strip_prefix("exit:") {
                exit = Some(
                    e.trim()
                        .parse::<i32>()
                        .map_err(|_| format!("line {lineno}: bad exit status {e:?}"))?,
                );
            } else if let Some(s) = rest.strip_prefix("stderr:") {
                stderr_contains.push(s.trim().to_string());
            } else {
                return Err(format!("line {lineno}: unknown directive `//@ {rest}`"));
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("//>") {
            stdout.push(rest.strip_prefix(' ').unwrap_or(rest).to_string());
            continue;
        }
        if let Some(pos) = line.find("//~") {
            let rest = line[pos + 3..].trim();
            if let Some(msg) = rest.strip_prefix("trap:") {
                set_trap(
                    &mut trap,
                    Trap {
                        message: msg.trim().to_string(),
                        line: Some(lineno),
                    },
                    lineno,
                )?;
            } else if let Some(msg) = rest.strip_prefix("trap-noloc:") {
                set_trap(
                    &mut trap,
                    Trap {
                        message: msg.trim().to_string(),
                        line: None,
                    },
                    lineno,
                )?;
            } else {
                let mut any = false;
                for code in rest.split_whitespace() {
                    if !is_diag_code(code) {
                        return Err(format!("line {lineno}: bad annotation `//~ {rest}`"));
                    }
                    diags.push((code.to_string(), lineno));
                    any = true;
                }
                if !any {
                    return Err(format!("line {lineno}: empty `//~` annotation"));
                }
            }
        }
    }
    let kinds = usize::from(check) + usize::from(!diags.is_empty()) + usize::from(trap.is_some());
    if kinds > 1 {
        return Err("case mixes `//@ check`, diagnostics and traps".to_string());
    }
    if (check || !diags.is_empty()) && (!stdout.is_empty() || !args.is_empty()) {
        return Err("front-end case has `//>` or `//@ args:`".to_string());
    }
    let expect = if check {
        if exit.is_some_and(|e| e != 0) {
            return Err("`//@ check` case with a non-zero `//@ exit:`".to_string());
        }
        Expect::Check
    } else if !diags.is_empty() {
        if exit.is_some_and(|e| e != 1) {
            return Err("diagnostic case with `//@ exit:` other than 1".to_string());
        }
        diags.sort();
        Expect::Diagnostics(diags)
    } else {
        let default = if trap.is_some() { 101 } else { 0 };
        Expect::Run(RunExpect {
            args,
            stdout,
            exit: exit.unwrap_or(default),
            trap,
        })
    };
    Ok(Case {
        expect,
        stderr_contains,
    })
}

fn set_trap(slot: &mut Option<Trap>, trap: Trap, lineno: usize) -> Result<(), String> {
    if slot.is_some() {
        return Err(format!("line {lineno}: more than one trap annotation"));
    }
    *slot = Some(trap);
    Ok(())
}

fn is_diag_code(s: &str) -> bool {
    s.len() == 5 && s.starts_with('E') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

fn run_job(env: &Env, job: &Job) -> Result<(), String> {
    match job {
        Job::Case { rel, mode } => run_case(env, rel, *mode),
        Job::Program {
            rel,
            c_twin,
            args,
            mode,
        } => run_program(env, rel, c_twin, args, mode),
        Job::Transcript { rel, mode } => match mode.how {
            How::Run => transcript::run(env, rel, mode.args),
            How::RunWarm | How::Aot | How::AotPgoLto | How::AotJitProfile => {
                Err("transcripts run in JIT modes only".into())
            }
        },
    }
}

fn run_case(env: &Env, rel: &Path, mode: Option<&'static Mode>) -> Result<(), String> {
    let path = env.root.join(rel);
    // Cases may be deliberately malformed (not UTF-8): expectations are parsed lossily.
    let bytes = fs::read(&path).map_err(|e| format!("cannot read case: {e}"))?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let case = parse_case(&text).map_err(|e| format!("bad case file: {e}"))?;
    let out = match (&case.expect, mode) {
        (Expect::Run(run), Some(mode)) => {
            let mut cmd = command(env, mode, rel, &run.args)?;
            spawn_with_timeout(cmd.current_dir(&env.root), RUN_TIMEOUT)?
        }
        (Expect::Run(_), None) => return Err("run case scheduled without a mode".to_string()),
        _ => {
            let mut cmd = Command::new(&env.lljit);
            cmd.arg("check").arg(rel).current_dir(&env.root);
            spawn_with_timeout(&mut cmd, RUN_TIMEOUT)?
        }
    };
    if out.timed_out {
        return Err(out.status());
    }
    let mut problems = Vec::new();
    match &case.expect {
        Expect::Check => {
            if out.code != Some(0) {
                problems.push(format!(
                    "`lljit check` gave {}, expected exit status 0{}",
                    out.status(),
                    out.stderr_hint()
                ));
            }
        }
        Expect::Diagnostics(expected) => {
            if out.code != Some(1) {
                problems.push(format!(
                    "{}, expected exit status 1{}",
                    out.status(),
                    out.stderr_hint()
                ));
            }
            let mut actual = parse_diagnostics(&out.stderr, rel, &env.root);
            actual.sort();
            if &actual != expected {
                problems.push(diff_diagnostics(expected, &actual));
            }
        }
        Expect::Run(run) => {
            if env.bless && std::str::from_utf8(&bytes).is_ok() && mode.is_some_and(is_default) {
                bless(&path, &text, run, &out)?;
            }
            if let Some(d) = diff_stdout(&run.stdout, &out.stdout) {
                problems.push(d);
            }
            if out.code != Some(run.exit) {
                problems.push(format!(
                    "{}, expected exit status {}{}",
                    out.status(),
                    run.exit,
                    out.stderr_hint()
                ));
            }
            if let Some(trap) = &run.trap {
                if let Some(p) = check_trap(trap, &out.stderr, rel, &env.root) {
                    problems.push(p);
                }
            }
        }
    }
    for needle in &case.stderr_contains {
        if !out.stderr.contains(needle.as_str()) {
            problems.push(format!("stderr does not contain {needle:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn run_program(
    env: &Env,
    rel: &Path,
    c_twin: &Path,
    args: &[String],
    mode: &Mode,
) -> Result<(), String> {
    if !env.root.join(c_twin).is_file() {
        return Err(format!("missing C twin {}", c_twin.display()));
    }
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = env.tmp.join(mode.name);
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let exe = dir.join(&stem);
    let mut cc = Command::new("clang-19");
    cc.args(["-O2", "-ffp-contract=off", "-w", "-o"])
        .arg(&exe)
        .arg(c_twin)
        .arg("-lm")
        .current_dir(&env.root);
    let built = spawn_with_timeout(&mut cc, CC_TIMEOUT)?;
    if built.code != Some(0) {
        return Err(format!(
            "clang-19 failed on {}: {}{}",
            c_twin.display(),
            built.status(),
            built.stderr_hint()
        ));
    }
    let want = spawn_with_timeout(
        Command::new(&exe).args(args).current_dir(&env.root),
        RUN_TIMEOUT,
    )?;
    if want.timed_out {
        return Err(format!("C twin {}", want.status()));
    }
    let got = spawn_with_timeout(
        command(env, mode, rel, args)?.current_dir(&env.root),
        RUN_TIMEOUT,
    )?;
    if got.timed_out {
        return Err(got.status());
    }
    let mut problems = Vec::new();
    let expected: Vec<String> = want.stdout.lines().map(String::from).collect();
    if want.stdout != got.stdout {
        problems.push(
            diff_stdout(&expected, &got.stdout).unwrap_or_else(|| "stdout differs".to_string()),
        );
    }
    if (want.code, want.signal) != (got.code, got.signal) {
        problems.push(format!(
            "{}, C twin gave {}{}",
            got.status(),
            want.status(),
            got.stderr_hint()
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// Runs `cmd` with piped output, killing it after `limit`.
fn spawn_with_timeout(cmd: &mut Command, limit: Duration) -> Result<Output, String> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        // Own process group, so a timeout kills helpers that inherited the pipes too.
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    let out_reader = child.stdout.take().map(read_capped);
    let err_reader = child.stderr.take().map(read_capped);
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() >= limit => {
                #[cfg(unix)]
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .stderr(Stdio::null())
                    .status();
                let _ = child.kill();
                timed_out = true;
                break child.wait().ok();
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let join = |h: Option<thread::JoinHandle<Vec<u8>>>| {
        h.and_then(|h| h.join().ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    };
    let stdout = join(out_reader);
    let stderr = join(err_reader);
    #[cfg(unix)]
    let signal = {
        use std::os::unix::process::ExitStatusExt;
        status.and_then(|s| s.signal())
    };
    #[cfg(not(unix))]
    let signal = None;
    Ok(Output {
        stdout,
        stderr,
        code: status.and_then(|s| s.code()),
        signal,
        timed_out,
    })
}

fn read_capped<R: Read + Send + 'static>(mut r: R) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            match r.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = OUTPUT_CAP.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
            }
        }
        kept
    })
}

/// Does `reported` (a path printed by lljit) name the case file `rel`?
fn same_file(reported: &str, rel: &Path, root: &Path) -> bool {
    let reported = Path::new(reported.trim());
    if reported == rel {
        return true;
    }
    let abs = if reported.is_absolute() {
        reported.to_path_buf()
    } else {
        root.join(reported)
    };
    match (fs::canonicalize(abs), fs::canonicalize(root.join(rel))) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Splits `PATH:LINE:COL` into its parts.
fn split_position(s: &str) -> Option<(&str, usize, usize)> {
    let s = s.trim();
    let (rest, col) = s.rsplit_once(':')?;
    let (path, line) = rest.rsplit_once(':')?;
    Some((path, line.trim().parse().ok()?, col.trim().parse().ok()?))
}

/// Extracts (code, line) for each `error[CODE]` block of `stderr`, attributed to its
/// first position in the case file (or line 0 when it has none there).
fn parse_diagnostics(stderr: &str, rel: &Path, root: &Path) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let mut current: Option<(String, Option<usize>, bool)> = None; // code, line, saw position
    let finish = |cur: Option<(String, Option<usize>, bool)>, found: &mut Vec<(String, usize)>| {
        if let Some((code, line, _)) = cur {
            found.push((code, line.unwrap_or(0)));
        }
    };
    for line in stderr.lines() {
        if let Some(start) = line.find("error[") {
            let rest = &line[start + 6..];
            if let Some(end) = rest.find(']') {
                finish(current.take(), &mut found);
                current = Some((rest[..end].to_string(), None, false));
                continue;
            }
        }
        if let Some(pos) = line.find("┌─") {
            if let Some((_, at, seen)) = current.as_mut() {
                if let Some((path, l, _)) = split_position(&line[pos + "┌─".len()..]) {
                    *seen = true;
                    if at.is_none() && same_file(path, rel, root) {
                        *at = Some(l);
                    }
                }
            }
        }
    }
    finish(current, &mut found);
    found
}

fn diff_diagnostics(expected: &[(String, usize)], actual: &[(String, usize)]) -> String {
    let fmt = |v: &[(String, usize)]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter()
                .map(|(c, l)| format!("{c}@{l}"))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let missing: Vec<_> = expected
        .iter()
        .filter(|e| !actual.contains(e))
        .cloned()
        .collect();
    let extra: Vec<_> = actual
        .iter()
        .filter(|a| !expected.contains(a))
        .cloned()
        .collect();
    format!(
        "diagnostics differ: expected [{}], got [{}] (missing [{}], unexpected [{}])",
        fmt(expected),
        fmt(actual),
        fmt(&missing),
        fmt(&extra)
    )
}

/// Describes the first difference between the expected lines and the actual stdout.
fn diff_stdout(expected: &[String], actual: &str) -> Option<String> {
    let mut want = expected.join("\n");
    if !expected.is_empty() {
        want.push('\n');
    }
    if want == actual {
        return None;
    }
    let got: Vec<&str> = actual.split('\n').collect();
    let got = if actual.ends_with('\n') {
        &got[..got.len() - 1]
    } else {
        &got[..]
    };
    let got = if actual.is_empty() { &[][..] } else { got };
    for i in 0..expected.len().max(got.len()) {
        match (expected.get(i), got.get(i)) {
            (Some(e), Some(g)) if e == g => continue,
            (Some(e), Some(g)) => {
                return Some(format!("stdout line {}: expected {e:?}, got {g:?}", i + 1));
            }
            (Some(e), None) => {
                return Some(format!(
                    "stdout line {}: expected {e:?}, got end of output ({} lines)",
                    i + 1,
                    got.len()
                ));
            }
            (None, Some(g)) => {
                return Some(format!(
                    "stdout line {}: expected end of output, got {g:?}",
                    i + 1
                ));
            }
            (None, None) => break,
        }
    }
    Some("stdout: missing final newline".to_string())
}

/// Checks the `runtime error:` and `  at` lines of a trap.
fn check_trap(trap: &Trap, stderr: &str, rel: &Path, root: &Path) -> Option<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    let want = format!("runtime error: {}", trap.message);
    let Some(idx) = lines.iter().position(|l| l.trim_end() == want) else {
        let got = lines
            .iter()
            .find(|l| l.contains("runtime error:"))
            .copied()
            .unwrap_or("no `runtime error:` line");
        return Some(format!("trap: expected {want:?}, got {:?}", got.trim_end()));
    };
    let line = trap.line?;
    let Some(at) = lines.get(idx + 1).and_then(|l| l.strip_prefix("  at ")) else {
        return Some(format!("trap: no `  at FILE:LINE:COL` line after {want:?}"));
    };
    match split_position(at) {
        Some((path, l, _)) if l == line && same_file(path, rel, root) => None,
        Some((path, l, _)) if l == line => {
            Some(format!("trap: position names {path:?}, not the case file"))
        }
        Some((_, l, _)) => Some(format!("trap: reported at line {l}, expected line {line}")),
        None => Some(format!("trap: malformed position {at:?}")),
    }
}

/// Rewrites the `//>` lines and the `//@ exit:` line of a run case from `out`.
fn bless(path: &Path, text: &str, run: &RunExpect, out: &Output) -> Result<(), String> {
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//>"))
        .map(String::from)
        .collect();
    if run.trap.is_none() {
        let default = 0;
        let exit_line = lines
            .iter()
            .position(|l| l.trim_start().starts_with("//@") && l.contains("exit:"));
        match (out.code, exit_line) {
            (Some(c), Some(i)) if c == default => {
                lines.remove(i);
            }
            (Some(c), Some(i)) => lines[i] = format!("//@ exit: {c}"),
            (Some(c), None) if c != default => {
                let at = usize::from(
                    lines
                        .first()
                        .is_some_and(|l| l.trim_start().starts_with("//")),
                );
                lines.insert(at, format!("//@ exit: {c}"));
            }
            _ => {}
        }
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let mut new = lines.join("\n");
    new.push('\n');
    let body = out.stdout.strip_suffix('\n').unwrap_or(&out.stdout);
    if !out.stdout.is_empty() {
        for l in body.split('\n') {
            if l.is_empty() {
                new.push_str("//>\n");
            } else {
                new.push_str("//> ");
                new.push_str(l);
                new.push('\n');
            }
        }
    }
    if new != text {
        fs::write(path, new).map_err(|e| format!("bless: cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
