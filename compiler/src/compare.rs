//! `lljit compare`: builds one program in every execution mode (the JIT and
//! the ahead-of-time baselines), checks that every mode prints the same
//! bytes, runs them interleaved and reports build time, time to first
//! output and wall time side by side.

use crate::aot::{self, AotOptions};
use crate::driver;
use crate::libs::LinkOptions;
use lljit_modes::{modes_for, How, Mode, Tool};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The modes compared, in table order: `lljit compare`'s rows of the
/// shared mode table (`lljit_modes::MODES`).
pub fn modes() -> Vec<&'static Mode> {
    modes_for(Tool::Compare).collect()
}

/// The baseline every mode's speed is relative to: ahead of time, -O2, for
/// the generic CPU.
pub const BASELINE: &str = "aot-O2";

/// The options of `lljit aot ARGS`, as its command line parses them.
fn aot_options(args: &[&str]) -> Result<AotOptions, String> {
    #[derive(clap::Parser)]
    struct Aot {
        #[command(flatten)]
        opts: AotOptions,
    }
    <Aot as clap::Parser>::try_parse_from(std::iter::once("aot").chain(args.iter().copied()))
        .map(|a| a.opts)
        .map_err(|e| format!("bad options {args:?}: {e}"))
}

/// Options of `lljit compare`. Each field but `args` is one command-line
/// option (its doc comment is the help text).
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct CompareOptions {
    /// Timed runs per mode, interleaved
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub runs: usize,
    /// Write the results as JSON to FILE (the table still goes to standard
    /// output) or, without =FILE, print only the JSON
    #[arg(long, value_name = "FILE", num_args = 0..=1, require_equals = true,
          default_missing_value = "-")]
    pub json: Option<PathBuf>,
    /// Draw a bar chart (median with min-max whiskers) into OUT.png
    #[arg(long, value_name = "OUT.png")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub link: LinkOptions,
    /// The program's arguments.
    #[arg(skip)]
    pub args: Vec<String>,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            runs: 5,
            json: None,
            plot: None,
            link: LinkOptions::default(),
            args: Vec::new(),
        }
    }
}

/// Measurements of one mode.
#[derive(Clone, Debug)]
pub struct ModeResult {
    pub name: String,
    /// Build time (for PGO: instrumented build + training run + final build).
    pub build: Option<Duration>,
    /// Time a JIT mode spent compiling during its run (part of its wall
    /// time; from one more run with `--stats`).
    pub compile: Option<Duration>,
    /// Time to the first byte on standard output, per run.
    pub first_output: Vec<Duration>,
    /// Wall time per run.
    pub wall: Vec<Duration>,
}

fn median(v: &[Duration]) -> Duration {
    let mut s = v.to_vec();
    s.sort();
    if s.is_empty() {
        Duration::ZERO
    } else if s.len() % 2 == 1 {
        s[s.len() / 2]
    } else {
        (s[s.len() / 2 - 1] + s[s.len() / 2]) / 2
    }
}

impl ModeResult {
    pub fn median(&self) -> Duration {
        median(&self.wall)
    }
    pub fn min(&self) -> Duration {
        self.wall.iter().min().copied().unwrap_or_default()
    }
    pub fn max(&self) -> Duration {
        self.wall.iter().max().copied().unwrap_or_default()
    }
    pub fn first_output_median(&self) -> Duration {
        median(&self.first_output)
    }
}

struct RunOutcome {
    status: ExitStatus,
    first_output: Duration,
    wall: Duration,
}

fn run_once(mut cmd: Command) -> Result<RunOutcome, String> {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let mut out = child.stdout.take().expect("piped stdout");
    let mut first = None;
    let mut buf = [0u8; 65536];
    loop {
        match out.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if first.is_none() && n > 0 {
                    first = Some(start.elapsed());
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.to_string()),
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let wall = start.elapsed();
    Ok(RunOutcome {
        status,
        first_output: first.unwrap_or(wall),
        wall,
    })
}

/// Runs the comparison; gives the results in mode order.
pub fn compare(file: &Path, opts: &CompareOptions) -> Result<Vec<ModeResult>, String> {
    let lljit = std::env::current_exe().map_err(|e| e.to_string())?;
    let fe = driver::frontend(file, &mut driver::FsReader);
    if !fe.diags.is_empty() {
        crate::diag::emit(&fe.sources, &fe.diags);
        return Err("the program has errors".into());
    }
    let prog = fe.program.ok_or("the program has errors")?;
    if driver::externs_unresolved(&prog, &fe.sources, &opts.link) {
        return Err("the program has errors".into());
    }
    let work = std::env::temp_dir().join(format!("lljit-compare-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let cleanup = Cleanup(work.clone());
    let modes = modes();
    let mut commands: Vec<Box<dyn Fn() -> Command>> = Vec::new();
    let mut results = Vec::new();
    for (i, &mode) in modes.iter().enumerate() {
        eprintln!(
            "compare: [{}/{}] building {}",
            i + 1,
            modes.len(),
            mode.name
        );
        let args = opts.args.clone();
        if matches!(mode.how, How::Run | How::RunWarm) {
            let (lljit, file) = (lljit.clone(), file.to_path_buf());
            let link = opts.link.to_args();
            // `jit` runs cold: each run compiles what it runs. A warm mode
            // has a cache of its own, filled by one run now.
            let cache = (mode.how == How::RunWarm).then(|| work.join(format!("cache{i}")));
            let make = move || {
                let mut c = Command::new(&lljit);
                c.arg("run")
                    .args(mode.args)
                    .args(&link)
                    .arg(&file)
                    .args(&args);
                match &cache {
                    Some(dir) => c.env("LLJIT_CACHE_DIR", dir).env_remove("LLJIT_NO_CACHE"),
                    None => c.env("LLJIT_NO_CACHE", "1"),
                };
                c
            };
            if mode.how == How::RunWarm {
                make()
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .map_err(|e| format!("cannot run lljit: {e}"))?;
            }
            commands.push(Box::new(make));
            results.push(ModeResult {
                name: mode.name.into(),
                build: None,
                compile: None,
                first_output: vec![],
                wall: vec![],
            });
            continue;
        }
        let exe = work.join(format!("mode{i}"));
        let start = Instant::now();
        let mut o = AotOptions {
            output: exe.clone(),
            link: opts.link.clone(),
            ..aot_options(mode.args)?
        };
        if mode.how == How::AotJitProfile {
            let prof = work.join(format!("profile{i}.txt"));
            eprintln!(
                "compare: [{}/{}] JIT run for the profile of {}",
                i + 1,
                modes.len(),
                mode.name
            );
            let mut c = Command::new(&lljit);
            c.arg("run")
                .arg(format!("--profile-out={}", prof.display()))
                .args(opts.link.to_args())
                .arg(file)
                .args(&opts.args);
            run_once(c)?;
            // A run that did not reach the end of `main` wrote no profile.
            if prof.exists() {
                o.pgo_use = Some(prof);
            } else {
                eprintln!(
                    "warning: the JIT run for {} wrote no profile; building it with LTO \
                     but without profile-guided optimization",
                    mode.name
                );
            }
            o.lto = true;
        }
        if mode.how == How::AotPgoLto {
            let profdir = work.join(format!("profile{i}"));
            let _ = std::fs::remove_dir_all(&profdir);
            o.pgo_gen = Some(profdir.clone());
            aot::build(&prog, &fe.sources, &o)?;
            eprintln!(
                "compare: [{}/{}] training run of {}",
                i + 1,
                modes.len(),
                mode.name
            );
            let mut c = Command::new(&exe);
            c.args(&opts.args);
            // argv[0] must name the source, as under the JIT.
            let train = run_once(argv0(c, &exe, file))?;
            if train.status.code().is_none() {
                return Err(format!(
                    "the training run of {} {}",
                    mode.name,
                    describe_status(train.status)
                ));
            }
            o.pgo_gen = None;
            // A program that stops with a runtime error (or is killed)
            // writes no profile: say why, and build without one.
            if has_profile(&profdir) {
                o.pgo_use = Some(profdir);
            } else {
                let why = match train.status.code() {
                    Some(lljit_runtime::trap::TRAP_EXIT_STATUS) => {
                        "ended in a runtime error".to_string()
                    }
                    _ => describe_status(train.status),
                };
                eprintln!(
                    "warning: the training run of {} {why} and wrote no profile; \
                     building it with LTO but without profile-guided optimization",
                    mode.name
                );
            }
            o.lto = true;
        }
        aot::build(&prog, &fe.sources, &o)?;
        let build = start.elapsed();
        let file = file.to_path_buf();
        commands.push(Box::new(move || {
            let mut c = Command::new(&exe);
            c.args(&args);
            argv0(c, &exe, &file)
        }));
        results.push(ModeResult {
            name: mode.name.into(),
            build: Some(build),
            compile: None,
            first_output: vec![],
            wall: vec![],
        });
    }
    // Correctness first: every mode prints the same bytes with the same status.
    let mut observed = Vec::new();
    for make in &commands {
        observed.push(Observed::of(make())?);
    }
    if let Some(report) = disagreements(&modes, &observed) {
        return Err(report);
    }
    let runs = opts.runs.max(1);
    for round in 0..runs {
        eprintln!("compare: run {}/{} of every mode", round + 1, runs);
        for (i, make) in commands.iter().enumerate() {
            let r = run_once(make())?;
            results[i].wall.push(r.wall);
            results[i].first_output.push(r.first_output);
        }
    }
    // How long each JIT mode compiled: one more run with `--stats`.
    for (i, mode) in modes.iter().enumerate() {
        if matches!(mode.how, How::Run | How::RunWarm) {
            let c = commands[i]();
            let words: Vec<std::ffi::OsString> = c.get_args().map(|a| a.to_owned()).collect();
            let mut with_stats = Command::new(c.get_program());
            with_stats.arg(&words[0]).arg("--stats").args(&words[1..]);
            for (k, v) in c.get_envs() {
                match v {
                    Some(v) => with_stats.env(k, v),
                    None => with_stats.env_remove(k),
                };
            }
            let out = with_stats
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .output();
            let err = out.map(|o| String::from_utf8_lossy(&o.stderr).into_owned());
            results[i].compile = err
                .ok()
                .and_then(|e| compile_secs(&e))
                .map(Duration::from_secs_f64);
        }
    }
    drop(cleanup);
    Ok(results)
}

/// True when the profile directory holds a `.profraw` file.
fn has_profile(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "profraw"))
    })
}

/// The `compile_ms` line of `lljit run --stats`, in seconds.
fn compile_secs(stats: &str) -> Option<f64> {
    let line = stats
        .lines()
        .find(|l| l.split_whitespace().next() == Some("compile_ms"))?;
    let ms: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(ms / 1e3)
}

/// Runs an executable with `argv[0]` set to the source path (as `lljit run` does).
fn argv0(mut c: Command, _exe: &Path, file: &Path) -> Command {
    use std::os::unix::process::CommandExt;
    c.arg0(file);
    c
}

/// `None` when every mode behaved as the first; otherwise how they differ:
/// for each group of modes that behaved alike, how they differ from the first.
fn disagreements(modes: &[&Mode], observed: &[Observed]) -> Option<String> {
    let mut groups: Vec<(Vec<&str>, &Observed)> = Vec::new();
    for (mode, o) in modes.iter().zip(observed) {
        match groups.iter_mut().find(|(_, g)| *g == o) {
            Some((names, _)) => names.push(mode.name),
            None => groups.push((vec![mode.name], o)),
        }
    }
    if groups.len() == 1 {
        return None;
    }
    let (reference, rest) = groups.split_first().expect("one group per behaviour");
    let reports: Vec<String> = rest
        .iter()
        .map(|(names, o)| o.differences(names, reference.1, &reference.0))
        .collect();
    Some(reports.join("\n"))
}

/// What one run of a mode printed, and how it ended.
#[derive(PartialEq, Eq)]
struct Observed {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: ExitStatus,
}

impl Observed {
    fn of(mut cmd: Command) -> Result<Observed, String> {
        let out = cmd
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
        Ok(Observed {
            stdout: out.stdout,
            stderr: out.stderr,
            status: out.status,
        })
    }

    /// How this run (of the modes `names`, which behaved alike) differs
    /// from the reference run (of `ref_names`; a different one): the exit
    /// statuses in words, and the first line in which each output differs.
    fn differences(&self, names: &[&str], reference: &Observed, ref_names: &[&str]) -> String {
        let (name, ref_name) = (names[0], ref_names[0]);
        let mut report = format!(
            "{} {} from {}:",
            name_list(names),
            if names.len() == 1 {
                "differs"
            } else {
                "differ"
            },
            name_list(ref_names)
        );
        if self.status != reference.status {
            report.push_str(&format!(
                "\n  `{ref_name}` {}, `{name}` {}",
                describe_status(reference.status),
                describe_status(self.status)
            ));
        }
        for (what, mine, theirs) in [
            ("standard output", &self.stdout, &reference.stdout),
            ("standard error", &self.stderr, &reference.stderr),
        ] {
            if let Some(d) = first_different_line(theirs, mine) {
                let width = ref_name.len().max(name.len()) + 4;
                report.push_str(&format!(
                    "\n  {what} differs at line {}:\n    {:width$}{}\n    {:width$}{}",
                    d.line,
                    format!("`{ref_name}`:"),
                    d.left,
                    format!("`{name}`:"),
                    d.right,
                ));
            }
        }
        report
    }
}

/// The names quoted and listed: one, `a` and `b`, `a`, `b` and `c`.
fn name_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, others)) => format!("{} and {last}", others.join(", ")),
        None => String::new(),
    }
}

/// An exit status in words: `exited with status 0`, `was killed by signal
/// 11 (SIGSEGV)`.
pub fn describe_status(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    match status.signal() {
        Some(sig) => format!(
            "was killed by signal {sig} ({}){}",
            signal_name(sig),
            if status.core_dumped() {
                ", core dumped"
            } else {
                ""
            }
        ),
        None => format!("ended with {status}"),
    }
}

/// The name of a Linux signal number.
fn signal_name(sig: i32) -> String {
    const NAMES: [&str; 31] = [
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGILL",
        "SIGTRAP",
        "SIGABRT",
        "SIGBUS",
        "SIGFPE",
        "SIGKILL",
        "SIGUSR1",
        "SIGSEGV",
        "SIGUSR2",
        "SIGPIPE",
        "SIGALRM",
        "SIGTERM",
        "SIGSTKFLT",
        "SIGCHLD",
        "SIGCONT",
        "SIGSTOP",
        "SIGTSTP",
        "SIGTTIN",
        "SIGTTOU",
        "SIGURG",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGVTALRM",
        "SIGPROF",
        "SIGWINCH",
        "SIGIO",
        "SIGPWR",
        "SIGSYS",
    ];
    match usize::try_from(sig - 1).ok().and_then(|i| NAMES.get(i)) {
        Some(name) => name.to_string(),
        None if sig >= 34 => format!("SIGRTMIN+{}", sig - 34),
        None => "an unknown signal".into(),
    }
}

/// The first line in which two outputs differ, each side shown.
struct LineDifference {
    /// 1-based.
    line: usize,
    left: String,
    right: String,
}

/// Longest a differing line is shown (around where it starts to differ).
const SHOWN_CHARS: usize = 72;

fn first_different_line(left: &[u8], right: &[u8]) -> Option<LineDifference> {
    if left == right {
        return None;
    }
    let mut l = left.split_inclusive(|&b| b == b'\n');
    let mut r = right.split_inclusive(|&b| b == b'\n');
    let mut line = 1;
    loop {
        match (l.next(), r.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (a, b) => {
                let a = a.map(|a| String::from_utf8_lossy(a).into_owned());
                let b = b.map(|b| String::from_utf8_lossy(b).into_owned());
                let at = match (&a, &b) {
                    (Some(a), Some(b)) => {
                        a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
                    }
                    _ => 0,
                };
                let show = |s: Option<String>| match s {
                    None if line == 1 => "(no output)".to_string(),
                    None => format!("(no line {line}: the output ends after line {})", line - 1),
                    Some(s) => shown_line(&s, at),
                };
                return Some(LineDifference {
                    line,
                    left: show(a),
                    right: show(b),
                });
            }
        }
    }
}

/// A line quoted, at most `SHOWN_CHARS` of it from a little before column
/// `at`, with a note when it has no newline at the end.
fn shown_line(s: &str, at: usize) -> String {
    let (text, newline) = match s.strip_suffix('\n') {
        Some(t) => (t, ""),
        None => (s, " (no newline at the end)"),
    };
    let chars: Vec<char> = text.chars().collect();
    let start = if chars.len() <= SHOWN_CHARS {
        0
    } else {
        at.saturating_sub(SHOWN_CHARS / 3)
            .min(chars.len() - SHOWN_CHARS)
    };
    let end = (start + SHOWN_CHARS).min(chars.len());
    let window: String = chars[start..end].iter().collect();
    format!(
        "{}{:?}{}{newline}",
        if start > 0 { "…" } else { "" },
        window,
        if end < chars.len() { "…" } else { "" }
    )
}

struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The results as a text table.
pub fn table(results: &[ModeResult], runs: usize) -> String {
    let base = results
        .iter()
        .find(|r| r.name == BASELINE)
        .map(|r| r.median())
        .unwrap_or_default();
    let mut s = format!(
        "{:<22} {:>12} {:>12} {:>9} {:>9} {:>9} {:>9}\n",
        "mode", "build s", "1st out ms", "median s", "min s", "max s", "speed"
    );
    for r in results {
        let build = match (r.build, r.compile) {
            (Some(b), _) => format!("{:.2}", secs(b)),
            (None, Some(c)) => format!("{:.3} in run", secs(c)),
            (None, None) => "(in run)".into(),
        };
        let speed = if r.median().is_zero() {
            0.0
        } else {
            secs(base) / secs(r.median())
        };
        s.push_str(&format!(
            "{:<22} {:>12} {:>12.1} {:>9.3} {:>9.3} {:>9.3} {:>8.2}x\n",
            r.name,
            build,
            secs(r.first_output_median()) * 1e3,
            secs(r.median()),
            secs(r.min()),
            secs(r.max()),
            speed
        ));
    }
    s.push_str(&format!(
        "({runs} interleaved runs per mode; speed = median of `{BASELINE}` / median of the mode;\n \
         a JIT mode's build is the time it spent compiling during a run, part of its wall time)\n"
    ));
    s
}

fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// The results as JSON.
pub fn json(file: &Path, args: &[String], results: &[ModeResult]) -> String {
    let base = results
        .iter()
        .find(|r| r.name == BASELINE)
        .map(|r| r.median())
        .unwrap_or_default();
    let list = |v: &[Duration]| {
        v.iter()
            .map(|d| format!("{:.6}", secs(*d)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = format!(
        "{{\n  \"program\": {},\n  \"args\": [{}],\n  \"baseline\": {},\n  \"modes\": [\n",
        json_str(&file.display().to_string()),
        args.iter()
            .map(|a| json_str(a))
            .collect::<Vec<_>>()
            .join(", "),
        json_str(BASELINE)
    );
    for (i, r) in results.iter().enumerate() {
        s.push_str(&format!(
            "    {{\"name\": {}, \"build_s\": {}, \"compile_in_run_s\": {}, \"first_output_s\": [{}], \"wall_s\": [{}], \"median_s\": {:.6}, \"min_s\": {:.6}, \"max_s\": {:.6}, \"speed_vs_baseline\": {:.4}}}{}\n",
            json_str(&r.name),
            r.build.map(|b| format!("{:.6}", secs(b))).unwrap_or_else(|| "null".into()),
            r.compile.map(|b| format!("{:.6}", secs(b))).unwrap_or_else(|| "null".into()),
            list(&r.first_output),
            list(&r.wall),
            secs(r.median()),
            secs(r.min()),
            secs(r.max()),
            if r.median().is_zero() { 0.0 } else { secs(base) / secs(r.median()) },
            if i + 1 == results.len() { "" } else { "," }
        ));
    }
    s.push_str("  ]\n}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aot::TargetCpu;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn exit_statuses_in_words() {
        let words = |raw| describe_status(ExitStatus::from_raw(raw));
        assert_eq!(words(0), "exited with status 0");
        assert_eq!(words(101 << 8), "exited with status 101");
        assert_eq!(words(11), "was killed by signal 11 (SIGSEGV)");
        assert_eq!(
            words(6 | 0x80),
            "was killed by signal 6 (SIGABRT), core dumped"
        );
        assert_eq!(words(13), "was killed by signal 13 (SIGPIPE)");
        assert_eq!(words(36), "was killed by signal 36 (SIGRTMIN+2)");
    }

    #[test]
    fn the_first_differing_line_is_shown_from_both_sides() {
        let d = |a: &str, b: &str| {
            first_different_line(a.as_bytes(), b.as_bytes()).map(|d| (d.line, d.left, d.right))
        };
        assert!(d("a\nb\n", "a\nb\n").is_none());
        assert_eq!(
            d("a\nb\nc\n", "a\nB\nc\n").unwrap(),
            (2, "\"b\"".into(), "\"B\"".into())
        );
        assert_eq!(
            d("a\n", "a\nmore\n").unwrap(),
            (
                2,
                "(no line 2: the output ends after line 1)".into(),
                "\"more\"".into()
            )
        );
        assert_eq!(d("", "x\n").unwrap().1, "(no output)");
        assert_eq!(
            d("a\nb\n", "a\nb").unwrap(),
            (2, "\"b\"".into(), "\"b\" (no newline at the end)".into())
        );
        assert_eq!(d("tab\there\n", "tab here\n").unwrap().1, "\"tab\\there\"");
        // A long line is shown around where it starts to differ.
        let long = "x".repeat(200);
        let (line, left, right) =
            d(&format!("{long}A{long}\n"), &format!("{long}B{long}\n")).unwrap();
        assert_eq!(line, 1);
        assert!(left.starts_with("…\"x") && left.ends_with("x\"…"), "{left}");
        assert!(left.contains('A') && right.contains('B'), "{left} {right}");
        assert_eq!(left.chars().count(), SHOWN_CHARS + 4);
    }

    #[test]
    fn ahead_of_time_modes_build_as_their_command_line_says() {
        let modes = modes();
        assert!(modes
            .iter()
            .any(|m| m.name == BASELINE && m.how == How::Aot));
        for m in modes
            .iter()
            .filter(|m| !matches!(m.how, How::Run | How::RunWarm))
        {
            let o = aot_options(m.args).unwrap();
            assert_eq!(
                o.target_cpu == TargetCpu::Host,
                m.name.ends_with("-host"),
                "{}",
                m.name
            );
        }
        let o = aot_options(&["-O3", "--target-cpu=host"]).unwrap();
        assert_eq!(
            (o.opt_level, o.target_cpu, o.lto),
            (3, TargetCpu::Host, false)
        );
        assert_eq!(aot_options(&[]).unwrap(), AotOptions::default());
        assert!(aot_options(&["--no-such-option"]).is_err());
    }
}
