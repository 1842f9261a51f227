//! The tiered JIT seen from the command line: what `--trace-jit` says it
//! decided and why, `--stats`, `--jit-threshold` (and its environment
//! variable), `--no-tiering` and the stress modes. Results are the same in
//! every mode (the lang-tests harness checks that for every case); these
//! tests check that each mechanism actually ran.

use std::path::PathBuf;
use std::process::{Command, Output};

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lljit-tiers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run(args: &[&str], file: &PathBuf, prog_args: &[&str]) -> (String, String, Option<i32>) {
    run_env(args, file, prog_args, None)
}

fn run_env(
    args: &[&str],
    file: &PathBuf,
    prog_args: &[&str],
    threshold_env: Option<&str>,
) -> (String, String, Option<i32>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lljit"));
    // What is compiled when, not what an earlier run left in the cache.
    cmd.arg("run")
        .args(args)
        .arg(file)
        .args(prog_args)
        .env("LLJIT_NO_CACHE", "1");
    cmd.env_remove("LLJIT_JIT_THRESHOLD");
    // Compiled on the program's thread, code arrives at the same point of
    // every run, and so does the trace (`background.rs` has its own tests).
    cmd.env("LLJIT_COMPILE_THREADS", "0");
    if let Some(t) = threshold_env {
        cmd.env("LLJIT_JIT_THRESHOLD", t);
    }
    let out: Output = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// The first line of `err` that starts with `prefix`.
fn trace_line<'a>(err: &'a str, prefix: &str) -> &'a str {
    err.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line `{prefix}…`:\n{err}"))
}

/// Runs `file` with `args` and checks it prints what `--no-tiering`
/// prints; gives standard error.
fn run_checked(args: &[&str], file: &PathBuf, prog_args: &[&str]) -> String {
    let (out, err, code) = run(args, file, prog_args);
    assert_eq!(code, Some(0), "{err}");
    let (base, _, _) = run(&["--no-tiering"], file, prog_args);
    assert_eq!(out, base);
    err
}

/// A kernel called thousands of times with a dimension read from argv, and
/// a small function called through a pointer (so it is not inlined into
/// `main` and runs its own tiers).
const KERNEL: &str = r#"
extern fn printf(fmt: *u8, ...) -> i32;
extern fn atoi(s: *u8) -> i32;
var a: [256]i64;
fn kernel(n: i32, k: i64) -> i64 {
    var s: i64 = 0;
    for (var i: i32 = 0; i < n; i += 1) {
        for (var j: i32 = 0; j < n; j += 1) { s += a[i * n + j] * k; }
    }
    return s;
}
fn step(x: i64) -> i64 { return x % 7 == 0 ? x / 7 : x + 1; }
var stepper: fn(i64) -> i64 = step;
fn main(argc: i32, argv: **u8) -> i32 {
    let n = atoi(argv[1]);
    for (var i = 0; i < 256; i += 1) { a[i] = i; }
    var t: i64 = 0;
    for (var r: i64 = 0; r < 3000; r += 1) { t += kernel(n, 3) + stepper(r); }
    printf("%lld\n", t);
    return 0;
}
"#;

#[test]
fn a_run_time_constant_parameter_is_specialized_and_the_trace_says_why() {
    let p = write("kernel.lc", KERNEL);
    let err = run_checked(&["--trace-jit", "--stats"], &p, &["8"]);
    let line = trace_line(&err, "jit: tier1 kernel: ");
    assert!(line.contains("n = 8 in "), "{line}");
    assert!(line.contains("k = 3 in "), "{line}");
    assert!(line.contains("→ specialized"), "{line}");
    // A loop-free function starts in fast profiling code and tiers up
    // after exactly the threshold's number of calls.
    assert!(
        err.contains("jit: compiled step at tier 0 (fast, profiling)"),
        "{err}"
    );
    assert!(err.contains("jit: tier1 step: 1000 calls;"), "{err}");
    // --stats prints every counter, with what was done.
    let stat = |name: &str| -> u64 {
        let l = err
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no counter {name}:\n{err}"));
        l.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    assert!(stat("specializations") >= 1, "{err}");
    assert!(stat("tier_ups") >= 2, "{err}");
    assert!(stat("guard_hits") > 0, "{err}");
    assert_eq!(stat("guard_misses"), 0, "{err}");
    assert!(stat("weighted_branches") > 0, "{err}");
    // No guard missed, so no generic body was ever compiled.
    assert_eq!(stat("generic_bodies"), 0, "{err}");
    assert!(!err.contains(" generic body: "), "{err}");
}

#[test]
fn no_tiering_compiles_each_function_once_without_profiling() {
    let p = write("kernel_untiered.lc", KERNEL);
    let (_, err, code) = run(&["--trace-jit", "--no-tiering"], &p, &["8"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("tier 0") && !err.contains("tier1"), "{err}");
    assert!(err.contains("jit: compiled step untiered"), "{err}");
}

#[test]
fn the_threshold_comes_from_the_option_or_the_environment() {
    let p = write("kernel_threshold.lc", KERNEL);
    let (_, err, _) = run(&["--trace-jit", "--jit-threshold=5"], &p, &["8"]);
    assert!(err.contains("jit: tier1 step: 5 calls;"), "{err}");
    let (_, err, _) = run_env(&["--trace-jit"], &p, &["8"], Some("7"));
    assert!(err.contains("jit: tier1 step: 7 calls;"), "{err}");
    // The option wins over the environment.
    let (_, err, _) = run_env(&["--trace-jit", "--jit-threshold=3"], &p, &["8"], Some("7"));
    assert!(err.contains("jit: tier1 step: 3 calls;"), "{err}");
    let (_, err, code) = run(&["--jit-threshold=0"], &p, &["8"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--jit-threshold"), "{err}");
}

/// A function called with one value, then another, then a mix.
const PHASES: &str = r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn poly(x: i64, k: i64) -> i64 {
    var r: i64 = 0;
    for (var i: i64 = 0; i < k; i += 1) { r = r * x + i; }
    return r;
}
fn main() -> i32 {
    var t: i64 = 0;
    for (var i: i64 = 0; i < 3000; i += 1) { t += poly(i, 3); }
    for (var i: i64 = 0; i < 3000; i += 1) { t += poly(i, 7); }
    for (var i: i64 = 0; i < 30000; i += 1) { t += poly(i, i % 5); }
    printf("%lld\n", t);
    return 0;
}
"#;

#[test]
fn a_phase_change_re_specializes_then_gives_up() {
    let p = write("phases.lc", PHASES);
    let err = run_checked(&["--trace-jit"], &p, &[]);
    assert!(err.contains("k = 3 in "), "{err}");
    let re = err
        .lines()
        .find(|l| l.contains("tier1 poly: re-specialize: guard missed"))
        .unwrap_or_else(|| panic!("no re-specialization:\n{err}"));
    assert!(re.contains("k = 7 in "), "{re}");
    // The first misses ran tier-0 code; the 16th compiled the generic body,
    // once: the re-specialization and giving up share it.
    let generic: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("jit: tier1 poly generic body: "))
        .collect();
    assert_eq!(generic.len(), 1, "{err}");
    assert!(generic[0].contains(": 16 guard misses"), "{err}");
    assert!(!err.contains("generic body: giving up"), "{err}");
    let gave_up = trace_line(&err, "jit: give up specializing poly: guard missed");
    assert!(gave_up.contains("no dominant value"), "{gave_up}");
    // Both specializations were thrown away: their compile time is counted.
    let stats = run_checked(&["--stats"], &p, &[]);
    let discarded = stat(&stats, "discarded_us");
    assert!(discarded > 0, "{stats}");
    assert!(discarded <= stat(&stats, "tier1_us"), "{stats}");
    // A specialization that holds throws nothing away.
    let k = write("kernel_discarded.lc", KERNEL);
    let stats = run_checked(&["--stats"], &k, &["8"]);
    assert!(stat(&stats, "specializations") > 0, "{stats}");
    assert_eq!(stat(&stats, "discarded_us"), 0, "{stats}");
}

/// A counter's value in `--stats` output.
fn stat(stats: &str, name: &str) -> u64 {
    stats
        .lines()
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some(name)).then(|| words.next().unwrap().parse().unwrap())
        })
        .unwrap_or_else(|| panic!("no {name} in:\n{stats}"))
}

#[test]
fn stress_modes_run_the_rare_paths() {
    let p = write("phases_stress.lc", PHASES);
    let (base, _, _) = run(&["--no-tiering"], &p, &[]);
    let (out, err, code) = run(
        &[
            "--trace-jit",
            "--stats",
            "--jit-threshold=1",
            "--jit-stress=guard-miss",
        ],
        &p,
        &[],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, base);
    assert!(
        err.contains("2 specializations made → generic body"),
        "{err}"
    );
    let hits = err
        .lines()
        .find(|l| l.trim_start().starts_with("guard_hits "))
        .unwrap();
    assert!(hits.contains(" 0 "), "every guard misses: {hits}");
    let (out, err, code) = run(
        &[
            "--trace-jit",
            "--jit-threshold=2",
            "--jit-stress=first-values",
        ],
        &p,
        &[],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, base);
    assert!(err.contains("→ specialized"), "{err}");
}

/// A function-pointer parameter that is always the same function.
const COMPARATOR: &str = r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn less(a: i64, b: i64) -> bool { return a < b; }
fn greater(a: i64, b: i64) -> bool { return a > b; }
fn sort(v: *i64, n: i64, before: fn(i64, i64) -> bool) {
    for (var i: i64 = 1; i < n; i += 1) {
        let x = v[i];
        var j = i - 1;
        while (j >= 0 && before(x, v[j])) { v[j + 1] = v[j]; j -= 1; }
        v[j + 1] = x;
    }
}
fn main() -> i32 {
    var v: [64]i64;
    var t: i64 = 0;
    for (var r: i64 = 0; r < 2000; r += 1) {
        for (var i: i64 = 0; i < 64; i += 1) { v[i] = (i * 7919 + r) % 101; }
        sort(&v[0], 64, r < 1500 ? less : greater);
        t += v[0] * 3 + v[63];
    }
    printf("%lld\n", t);
    return 0;
}
"#;

#[test]
fn a_function_pointer_parameter_is_specialized_and_its_calls_inlined() {
    let p = write("comparator.lc", COMPARATOR);
    let err = run_checked(&["--trace-jit", "--stats", "--emit=llvm-ir"], &p, &[]);
    let line = trace_line(&err, "jit: tier1 sort: ");
    assert!(line.contains("before = less in "), "{line}");
    // The specialized body calls `less` directly (its copy, inlinable),
    // not through the pointer.
    let special = err
        .split("define internal")
        .find(|f| f.contains("@lc.sort.v1.special("))
        .unwrap_or_else(|| panic!("no specialized body"));
    let body = &special[..special.find("\n}\n").unwrap()];
    assert!(!body.contains("call i1 %"), "{body}");
    assert!(!body.contains("call i1 inttoptr"), "{body}");
}

/// An indirect call whose target comes from a table, not a parameter.
const TABLE: &str = r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn inc(x: i64) -> i64 { return x + 1; }
fn dec(x: i64) -> i64 { return x - 1; }
var ops: [2]fn(i64) -> i64 = [inc, dec];
var count: i64 = 50;
fn sum(n: i64, which: i64) -> i64 {
    var s: i64 = 0;
    for (var i: i64 = 0; i < n; i += 1) { s += ops[which](i); }
    return s;
}
fn main() -> i32 {
    var t: i64 = 0;
    for (var r: i64 = 0; r < 3000; r += 1) { t += sum(count, r / 2999); }
    printf("%lld\n", t);
    return 0;
}
"#;

#[test]
fn a_dominant_indirect_call_target_is_promoted() {
    let p = write("table.lc", TABLE);
    let err = run_checked(&["--trace-jit", "--stats"], &p, &[]);
    let line = trace_line(&err, "jit: tier1 sum: ");
    // Every call so far went to `inc`: the site's histogram says so.
    let counts = line
        .split("→ inc in ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .unwrap_or_else(|| panic!("no promotion to inc: {line}"));
    let (hit, all) = counts.split_once('/').unwrap();
    assert_eq!(hit, all, "{line}");
    assert!(hit.parse::<u64>().unwrap() > 1000, "{line}");
    assert!(!err.contains("promoted_calls                  0"), "{err}");
}

#[test]
fn call_counts_guide_what_tier_1_copies_in() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../lang-tests/cases/tiers/hot_and_cold_callees.lc"
    ))
    .unwrap();
    let p = write("hot_and_cold.lc", &src);
    let err = run_checked(&["--trace-jit"], &p, &[]);
    // Too large for tier 0's copies, but hot: tier 1 copies it.
    let t0 = trace_line(&err, "jit: compiled work at tier 0");
    assert!(!t0.contains("mix"), "{t0}");
    let work = trace_line(&err, "jit: tier1 work: ");
    assert!(work.contains("hot callees copied: mix"), "{work}");
    // Never called before `step` tiered up: cold, and compiled only when
    // it is called after all.
    let step = err
        .lines()
        .position(|l| l.starts_with("jit: tier1 step: "))
        .unwrap_or_else(|| panic!("step never tiered up:\n{err}"));
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[step].contains("never called, cold: rare"), "{err}");
    let rare = lines
        .iter()
        .position(|l| l.starts_with("jit: compiled rare "))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(rare > step, "{err}");
}

#[test]
fn option_errors_name_their_source_and_contradictions_are_refused() {
    let p = write("kernel_options.lc", KERNEL);
    // A bad value from the environment names the variable.
    let (_, err, code) = run_env(&[], &p, &["8"], Some("abc"));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("environment variable LLJIT_JIT_THRESHOLD"),
        "{err}"
    );
    let (_, err, _) = run(&["--jit-threshold=0"], &p, &["8"]);
    assert!(
        err.contains("it must be at least 1") && !err.contains("18446744073709551615"),
        "{err}"
    );
    for words in [
        &["--no-osr", "--osr-threshold=1"][..],
        &["--no-tiering", "--jit-threshold=5"],
        &["--no-tiering", "--jit-stress=guard-miss"],
    ] {
        let (out, err, code) = run(words, &p, &["8"]);
        assert_eq!(code, Some(2), "{words:?}: {err}");
        assert!(err.contains("contradicts"), "{words:?}: {err}");
        assert!(out.is_empty());
    }
    // A value from the environment is a default, not a contradiction.
    let (_, err, code) = run_env(&["--no-tiering"], &p, &["8"], Some("5"));
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn the_trace_names_function_pointer_values() {
    let p = write(
        "three_targets.lc",
        r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn add(x: i64) -> i64 { return x + 1; }
fn sub(x: i64) -> i64 { return x - 1; }
fn dbl(x: i64) -> i64 { return x * 2; }
fn apply(f: fn(i64) -> i64, x: i64) -> i64 { return f(x); }
var table: [3]fn(i64) -> i64 = [add, sub, dbl];
fn main() -> i32 {
    var s: i64 = 0;
    for (var i: i64 = 0; i < 3000; i += 1) { s += apply(table[i % 3], i); }
    printf("%lld\n", s);
    return 0;
}
"#,
    );
    let err = run_checked(&["--trace-jit", "--jit-threshold=30"], &p, &[]);
    let line = trace_line(&err, "jit: tier1 apply:");
    let f = &line[line.find("f: no dominant value (").expect("f's evidence")..];
    let f = &f[..f.find(')').unwrap()];
    assert!(!f.contains("range") && !f.contains("0x"), "{line}");
    assert!(
        ["(add in", "(sub in", "(dbl in"]
            .iter()
            .any(|n| f.contains(n)),
        "{line}"
    );
}
