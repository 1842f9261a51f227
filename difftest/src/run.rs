//! Runs one program: `lljit check`, every mode, the C twin (compiled by
//! clang-19, several twins per invocation), and compares what they printed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::ast::Program;
use crate::modes::{Mode, ModeKind};
use crate::outcome::{Outcome, Status};
use crate::{emit_c, emit_lc};

/// The file name every program is written as (trap positions print it).
pub const LC_FILE: &str = "prog.lc";
/// The code cache of a program's JIT runs, in its directory.
const CACHE_DIR: &str = "cache";

/// The clang-19 options that give C LC's semantics where the emitted C
/// relies on the compiler (the twin spells out the rest).
pub const CLANG_FLAGS: &[&str] = &[
    "-O0",
    "-w",
    "-fwrapv",
    "-fno-strict-aliasing",
    "-ffp-contract=off",
    "-fno-math-errno",
    "-std=gnu11",
];

/// The programs the runner needs.
#[derive(Clone, Debug)]
pub struct Tools {
    /// The `lljit` binary.
    pub lljit: PathBuf,
    /// The C compiler for twins.
    pub clang: String,
    /// Time limit of one process.
    pub timeout: Duration,
}

/// A failing program's description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What failed, independent of the checksum values: the reducer keeps a
    /// candidate only if it fails with the same signature.
    pub signature: String,
    /// Human-readable details (statuses, differing output).
    pub details: String,
}

/// Runs `cmd` in `dir` with output to files, killing it after `timeout`.
pub fn exec(cmd: &mut Command, dir: &Path, timeout: Duration) -> Outcome {
    let out_path = dir.join(".stdout");
    let err_path = dir.join(".stderr");
    let out = fs::File::create(&out_path).expect("create stdout file");
    let err = fs::File::create(&err_path).expect("create stderr file");
    let mut child = match cmd
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                status: Status::Exit(127),
                stdout: String::new(),
                stderr: format!("cannot start: {e}"),
            }
        }
    };
    let start = Instant::now();
    let mut nap = Duration::from_micros(200);
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => {
                use std::os::unix::process::ExitStatusExt;
                break match (st.code(), st.signal()) {
                    (Some(c), _) => Status::Exit(c),
                    (None, Some(s)) => Status::Signal(s),
                    _ => Status::Exit(-1),
                };
            }
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break Status::Timeout;
            }
            Ok(None) => {
                std::thread::sleep(nap);
                nap = (nap * 2).min(Duration::from_millis(2));
            }
            Err(e) => panic!("wait: {e}"),
        }
    };
    let read = |p: &Path| String::from_utf8_lossy(&fs::read(p).unwrap_or_default()).into_owned();
    Outcome {
        status,
        stdout: read(&out_path),
        stderr: read(&err_path),
    }
}

/// Compiles C twins (`(entry, source)` pairs) and the batch driver into one
/// executable `dir/twins` with a single clang invocation.
pub fn compile_twins(
    tools: &Tools,
    dir: &Path,
    twins: &[(String, String)],
) -> Result<PathBuf, String> {
    let mut files = vec![];
    for (i, (_, src)) in twins.iter().enumerate() {
        let f = dir.join(format!("twin{i}.c"));
        fs::write(&f, src).map_err(|e| e.to_string())?;
        files.push(f);
    }
    let entries: Vec<String> = twins.iter().map(|t| t.0.clone()).collect();
    let driver = dir.join("driver.c");
    fs::write(&driver, emit_c::batch_driver(&entries)).map_err(|e| e.to_string())?;
    let exe = dir.join("twins");
    let mut cmd = Command::new(&tools.clang);
    cmd.args(CLANG_FLAGS)
        .args(&files)
        .arg(&driver)
        .arg("-o")
        .arg(&exe)
        .arg("-lm");
    let o = exec(&mut cmd, dir, Duration::from_secs(120));
    if o.status != Status::Exit(0) {
        return Err(format!(
            "clang failed: {}",
            o.stderr.chars().take(2000).collect::<String>()
        ));
    }
    Ok(exe)
}

/// Runs `mode` on `dir/prog.lc`.
pub fn run_mode(tools: &Tools, mode: &Mode, index: usize, dir: &Path) -> Outcome {
    match mode.kind {
        ModeKind::Run | ModeKind::RunWarm => {
            // One cache per program, shared by its modes: a later mode
            // links what an earlier one compiled, when it is the same.
            let run = || {
                let mut c = Command::new(&tools.lljit);
                c.arg("run")
                    .args(mode.args)
                    .arg(LC_FILE)
                    .env("LLJIT_CACHE_DIR", dir.join(CACHE_DIR));
                exec(&mut c, dir, tools.timeout)
            };
            if matches!(mode.kind, ModeKind::RunWarm) {
                run();
            }
            run()
        }
        ModeKind::Aot => {
            let exe = format!("aot{index}");
            let mut c = Command::new(&tools.lljit);
            c.arg("aot")
                .args(mode.args)
                .arg(LC_FILE)
                .arg("-o")
                .arg(&exe);
            let b = exec(&mut c, dir, tools.timeout);
            if b.status != Status::Exit(0) {
                return Outcome {
                    stderr: format!("(build) {}", b.stderr),
                    ..b
                };
            }
            let o = exec(&mut Command::new(dir.join(&exe)), dir, tools.timeout);
            let _ = fs::remove_file(dir.join(&exe));
            o
        }
        ModeKind::Custom(f) => f(&tools.lljit, &dir.join(LC_FILE)),
    }
}

/// The class of an ending, for signatures (values are not compared there:
/// they change as the reducer changes the program).
fn class(s: &Status) -> String {
    match s {
        Status::Exit(101) => "trap".into(),
        Status::Exit(70) => "ice".into(),
        Status::Exit(c) if (0..64).contains(c) => "exit".into(),
        Status::Exit(c) => format!("exit{c}"),
        Status::Signal(n) => format!("signal{n}"),
        Status::Timeout => "timeout".into(),
    }
}

/// The first line of `s` that mentions an error (or its first line).
fn gist(s: &str) -> String {
    let l = s
        .lines()
        .find(|l| l.contains("error"))
        .or_else(|| s.lines().next())
        .unwrap_or("");
    // Names and numbers differ between programs; keep the message's shape
    // (lists of symbols cut off, digits folded).
    let l = l
        .split("[ ")
        .next()
        .unwrap_or("")
        .split('`')
        .next()
        .unwrap_or("")
        .trim_end()
        .trim_end_matches(':');
    l.chars()
        .take(120)
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// How `got` differs from the twin's `want`, if it does.
pub fn difference(want: &Outcome, got: &Outcome) -> Option<String> {
    if want.status != got.status {
        match got.status {
            // A compiler failure is one bug whatever the program would print.
            Status::Exit(70) | Status::Exit(1) => {
                return Some(format!("{} ({})", class(&got.status), gist(&got.stderr)))
            }
            _ if class(&got.status) != class(&want.status) => {
                return Some(format!(
                    "{} instead of {}",
                    class(&got.status),
                    class(&want.status)
                ))
            }
            _ => {}
        }
    }
    // The exit status is derived from the checksum: wrong output explains it.
    if want.stdout != got.stdout {
        return Some("stdout".into());
    }
    if want.status != got.status {
        return Some("exit status".into());
    }
    if want.stderr != got.stderr {
        return Some("stderr".into());
    }
    None
}

/// Describes an outcome for a report.
pub fn describe(o: &Outcome) -> String {
    let tail: Vec<&str> = o.stdout.lines().rev().take(3).collect();
    format!(
        "status {:?}, stdout ({} lines) ending {:?}, stderr {:?}",
        o.status,
        o.stdout.lines().count(),
        tail.into_iter().rev().collect::<Vec<_>>(),
        o.stderr.chars().take(300).collect::<String>()
    )
}

/// Checks the program in `dir/prog.lc` in every mode against its twin (run
/// as `twin [arg]`), returning the failure if any mode disagrees.
pub fn test_program(
    tools: &Tools,
    modes: &[Mode],
    dir: &Path,
    twin: &Path,
    arg: Option<usize>,
) -> (Option<Failure>, Outcome) {
    let mut c = Command::new(twin);
    if let Some(a) = arg {
        c.arg(a.to_string());
    }
    let want = exec(&mut c, dir, tools.timeout);
    let mut ck = Command::new(&tools.lljit);
    ck.arg("check").arg(LC_FILE);
    let checked = exec(&mut ck, dir, tools.timeout);
    if checked.status != Status::Exit(0) {
        let f = Failure {
            signature: format!(
                "check: {} ({})",
                class(&checked.status),
                gist(&checked.stderr)
            ),
            details: format!("lljit check: {}", describe(&checked)),
        };
        return (Some(f), want);
    }
    let mut sig = vec![];
    let mut details = format!("C twin: {}\n", describe(&want));
    for (i, m) in modes.iter().enumerate() {
        let got = run_mode(tools, m, i, dir);
        if let Some(d) = difference(&want, &got) {
            sig.push(format!("{}: {d}", m.name));
            details.push_str(&format!("{}: {}\n", m.name, describe(&got)));
        }
    }
    if sig.is_empty() {
        (None, want)
    } else {
        (
            Some(Failure {
                signature: sig.join("; "),
                details,
            }),
            want,
        )
    }
}

/// Emits `p` into `dir` (LC and a standalone C twin), compiles the twin and
/// tests it: the reducer's oracle.
pub fn evaluate(tools: &Tools, modes: &[Mode], p: &Program, dir: &Path) -> Option<Failure> {
    let lc = emit_lc::emit(p);
    fs::write(dir.join(LC_FILE), &lc.text).expect("write program");
    let c = emit_c::emit(p, &lc, LC_FILE, "main");
    fs::write(dir.join("twin.c"), &c).expect("write twin");
    let mut cmd = Command::new(&tools.clang);
    cmd.args(CLANG_FLAGS)
        .arg("twin.c")
        .arg("-o")
        .arg("twin")
        .arg("-lm");
    let o = exec(&mut cmd, dir, Duration::from_secs(60));
    if o.status != Status::Exit(0) {
        return Some(Failure {
            signature: "twin: does not compile".into(),
            details: o.stderr,
        });
    }
    test_program(tools, modes, dir, &dir.join("twin"), None).0
}
