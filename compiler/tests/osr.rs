//! On-stack replacement seen from the command line: the `--trace-jit` line
//! of each transition, the `--stats` counters, `--osr-threshold` (and its
//! environment variable) and `--no-osr`. That every program prints the same
//! in every mode is the lang-tests harness's job (its OSR modes); these
//! tests check that the transitions actually happen.

use std::path::PathBuf;
use std::process::Command;

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lljit-osr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run(args: &[&str], file: &PathBuf, env: Option<&str>) -> (String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lljit"));
    // What is compiled when, not what an earlier run left in the cache.
    cmd.arg("run")
        .args(args)
        .arg(file)
        .env("LLJIT_NO_CACHE", "1");
    cmd.env_remove("LLJIT_OSR_THRESHOLD");
    cmd.env_remove("LLJIT_JIT_THRESHOLD");
    // Compiled on the program's thread, code arrives at the same point of
    // every run, and so does the trace (`background.rs` has its own tests).
    cmd.env("LLJIT_COMPILE_THREADS", "0");
    if let Some(t) = env {
        cmd.env("LLJIT_OSR_THRESHOLD", t);
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The value of counter `name` in `--stats` output.
fn stat(err: &str, name: &str) -> u64 {
    err.lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in:\n{err}"))
}

/// `main` runs once with a hot loop (25,000 iterations) whose bound `k`
/// never changes, then a helper called three times (through a pointer, so
/// main's continuation does not inline it) loops 30,000 times in each
/// call.
const PROGRAM: &str = "extern fn printf(fmt: *u8, ...) -> i32;
fn spin(n: i64, salt: i64) -> i64 {
    var s: i64 = salt;
    for (var i: i64 = 0; i < n; i += 1) { s = (s * 33 + i) % 1000003; }
    return s;
}
fn main() -> i32 {
    let k: i64 = 7;
    var total: i64 = 0;
    for (var i: i64 = 0; i < 25000; i += 1) {
        total += (i * k) % 13;
    }
    printf(\"%lld\\n\", total);
    let f = spin;
    for (var r: i64 = 0; r < 3; r += 1) { printf(\"%lld\\n\", f(30000, r)); }
    return 0;
}
";

#[test]
fn a_hot_loop_moves_into_a_continuation_and_the_trace_says_where_and_why() {
    let file = write("main_loop.lc", PROGRAM);
    let (out, err) = run(&["--trace-jit", "--stats"], &file, None);
    let (base, _) = run(&["--no-osr"], &file, None);
    assert_eq!(out, base);
    // main's loop: at its line, after the threshold's iterations, versioned
    // on `k`.
    let line = err
        .lines()
        .find(|l| l.starts_with("jit: osr main: at "))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("main_loop.lc:10:"), "{line}");
    assert!(line.contains("after 10000 iterations"), "{line}");
    assert!(line.contains("; versioned on k = 7"), "{line}");
    assert!(line.contains("→ continuation ("), "{line}");
    // spin: compiled once, entered by each of its three calls.
    let spins: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("jit: osr spin: at "))
        .collect();
    assert_eq!(spins.len(), 3, "{err}");
    assert!(
        spins[0].contains("; versioned on n = 30000"),
        "{}",
        spins[0]
    );
    assert!(
        spins[1].ends_with("→ continuation compiled before"),
        "{}",
        spins[1]
    );
    assert_eq!(stat(&err, "osr_entries"), 4, "{err}");
    assert_eq!(stat(&err, "osr_compiles"), 2, "{err}");
    assert_eq!(stat(&err, "osr_specialized"), 2, "{err}");
}

#[test]
fn the_threshold_comes_from_the_option_or_the_environment() {
    let file = write("threshold.lc", PROGRAM);
    // Above main's 25,000 iterations, below spin's 30,000.
    let (_, err) = run(&["--stats", "--osr-threshold=26000"], &file, None);
    assert_eq!(stat(&err, "osr_entries"), 3, "{err}");
    let (_, err) = run(&["--stats"], &file, Some("26000"));
    assert_eq!(stat(&err, "osr_entries"), 3, "{err}");
    let (_, err) = run(&["--stats", "--osr-threshold=40000"], &file, None);
    assert_eq!(stat(&err, "osr_entries"), 0, "{err}");
    // At 1 every loop that goes round once moves (the for loops in main).
    let (_, err) = run(&["--stats", "--osr-threshold=1"], &file, None);
    assert_eq!(stat(&err, "osr_entries"), 4, "{err}");
}

#[test]
fn no_osr_leaves_every_loop_in_the_code_its_call_started_in() {
    let file = write("no_osr.lc", PROGRAM);
    let (_, err) = run(&["--trace-jit", "--stats", "--no-osr"], &file, None);
    assert!(!err.contains("jit: osr"), "{err}");
    assert_eq!(stat(&err, "osr_entries"), 0, "{err}");
    let (_, err) = run(&["--stats", "--no-tiering"], &file, None);
    assert_eq!(stat(&err, "osr_entries"), 0, "{err}");
}

#[test]
fn the_continuation_versions_the_loop_it_enters() {
    let file = write("versioned.lc", PROGRAM);
    let (_, err) = run(&["--emit=llvm-ir"], &file, None);
    // The continuation of main's loop, with the version test before its
    // copies of the loop.
    let start = err
        .find("@lc.main.osr")
        .unwrap_or_else(|| panic!("no continuation of main in the IR"));
    let body = &err[start..];
    let body = &body[..body.find("\n}\n").unwrap_or(body.len())];
    assert!(body.contains("osr.same"), "{body}");
}

/// A tiny kernel called once per iteration of `main`'s loop with a
/// run-time constant: it tiers up (specialized on `n = 8`) before the loop
/// reaches the OSR threshold, and the continuation inlines its
/// specialized body.
#[test]
fn the_continuation_inlines_a_specialized_callee() {
    let file = write(
        "kernel.lc",
        "extern fn printf(fmt: *u8, ...) -> i32;
extern fn atoi(s: *u8) -> i32;
fn mix(x: i64, n: i64) -> i64 { return (x * 31 + n) % (n * 1000 + 7); }
fn main(argc: i32, argv: **u8) -> i32 {
    let n: i64 = argc > 5 ? atoi(argv[1]) as i64 : 8;
    var acc: i64 = 1;
    for (var i: i64 = 0; i < 30000; i += 1) { acc = mix(acc + i, n); }
    printf(\"%lld\\n\", acc);
    return 0;
}
",
    );
    let (out, err) = run(&["--trace-jit"], &file, None);
    let (base, _) = run(&["--no-osr"], &file, None);
    assert_eq!(out, base);
    let tier1 = err
        .lines()
        .position(|l| l.starts_with("jit: tier1 mix:") && l.contains("n = 8"))
        .unwrap_or_else(|| panic!("{err}"));
    let osr = err
        .lines()
        .position(|l| l.starts_with("jit: osr main:") && l.contains("mix inlined specialized"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(tier1 < osr, "{err}");
}
