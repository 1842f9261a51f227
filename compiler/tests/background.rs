//! Background compilation seen from the command line: optimized code
//! compiled by a compile server arrives while the program runs, gives the
//! same results as code compiled on the program's thread, and a server
//! that fails or talks nonsense only moves the work back to the program's
//! thread. (Every lang-tests case also runs with background compilation
//! on, with every function hot at once, and with code installed late and
//! out of order.)

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lljit-background-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// `lljit run ARGS FILE` with `env`: (stdout, stderr, status).
fn run(args: &[&str], file: &PathBuf, env: &[(&str, &str)]) -> (String, String, Option<i32>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lljit"));
    // What is compiled where, not what an earlier run left in the cache.
    cmd.arg("run")
        .args(args)
        .arg(file)
        .env("LLJIT_NO_CACHE", "1");
    for v in [
        "LLJIT_JIT_THRESHOLD",
        "LLJIT_OSR_THRESHOLD",
        "LLJIT_COMPILE_THREADS",
        "LLJIT_COMPILE_SERVER",
    ] {
        cmd.env_remove(v);
    }
    cmd.envs(env.iter().copied());
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// The value of counter `name` in `--stats` output.
fn stat(err: &str, name: &str) -> f64 {
    err.lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in the stats:\n{err}"))
}

/// A compile server that starts half a second late (lljit behind a
/// script), written beside `p` as `name`.
fn slow_server(p: &std::path::Path, name: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let server = p.with_file_name(name);
    std::fs::write(
        &server,
        format!(
            "#!/bin/sh\nsleep 0.5\nexec '{}' \"$@\"\n",
            env!("CARGO_BIN_EXE_lljit")
        ),
    )
    .unwrap();
    std::fs::set_permissions(&server, std::fs::Permissions::from_mode(0o755)).unwrap();
    server
}

/// A hot function called from a long loop (so its code arrives while the
/// loop still runs), and a loop in `main` (a continuation).
const HOT: &str = r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn mix(x: i64, k: i64) -> i64 { return (x * 6364136223846793005 + k) ^ (x >> 29); }
fn main() -> i32 {
    var h: i64 = 0;
    for (var i: i64 = 0; i < 30000000; i += 1) { h = mix(h, i & 7); }
    printf("%lld\n", h);
    return 0;
}
"#;

#[test]
fn code_from_a_compile_server_arrives_while_the_program_runs() {
    let p = write("hot.lc", HOT);
    let (base, _, code) = run(&["--compile-threads=0"], &p, &[]);
    assert_eq!(code, Some(0));
    let (out, err, code) = run(&["--compile-threads=1", "--trace-jit", "--stats"], &p, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, base);
    assert!(stat(&err, "background_ms") > 0.0, "{err}");
    assert!(stat(&err, "osr_entries") >= 1.0, "{err}");
    assert!(
        err.contains("installed") && err.contains("after it was planned"),
        "{err}"
    );
    // Its server was forked as the run started, before the front end.
    assert!(err.contains("jit: a compile server was forked"), "{err}");
    let (_, err, _) = run(&["--compile-threads=0", "--trace-jit"], &p, &[]);
    assert!(!err.contains("forked"), "{err}");
}

#[test]
fn a_failing_or_nonsensical_server_leaves_the_work_to_the_programs_thread() {
    let p = write("hot2.lc", HOT);
    let (base, _, _) = run(&["--compile-threads=0"], &p, &[]);
    // Exits at once; echoes the job back (not a response).
    for server in ["/bin/false", "/bin/cat"] {
        let (out, err, code) = run(
            &["--compile-threads=1", "--stats"],
            &p,
            &[("LLJIT_COMPILE_SERVER", server)],
        );
        assert_eq!(code, Some(0), "{server}: {err}");
        assert_eq!(out, base, "{server}");
        assert_eq!(stat(&err, "background_ms"), 0.0, "{server}: {err}");
        assert!(stat(&err, "osr_compiles") >= 1.0, "{server}: {err}");
    }
}

/// A function whose inner and outer loops take turns asking for their
/// continuations while the one server is still busy (it starts slowly):
/// each request withdraws the other loop's queued job, and a loop that
/// comes back gets its job sent again as it was lowered, not lowered again.
#[test]
fn a_withdrawn_continuation_is_sent_again_not_lowered_again() {
    let p = write(
        "turns.lc",
        r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn g(x: i64) -> i64 { return x + 1; }
fn f(n: i64) -> i64 {
    var s: i64 = 0;
    for (var i: i64 = 0; i < n; i += 1) {
        for (var j: i64 = 0; j < n; j += 1) { s += i ^ j; }
    }
    return s;
}
fn main() -> i32 {
    var t: i64 = 0;
    for (var k: i64 = 0; k < 20; k += 1) { t += g(k); }
    for (var r: i64 = 0; r < 30; r += 1) { t += f(100); }
    printf("%lld\n", t);
    return 0;
}
"#,
    );
    let server = slow_server(&p, "slow-server.sh");
    let (base, _, _) = run(&["--compile-threads=0"], &p, &[]);
    let flags = [
        "--compile-threads=1",
        "--jit-threshold=10",
        "--osr-threshold=50",
        "--stats",
    ];
    let (out, err, code) = run(
        &flags,
        &p,
        &[("LLJIT_COMPILE_SERVER", server.to_str().unwrap())],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, base);
    let resent = stat(&err, "resent_jobs");
    assert!(resent >= 1.0, "{err}");
    assert!(stat(&err, "withdrawn_jobs") >= resent, "{err}");
}

/// `main`'s callees get their tier-0 code from a server, compiled while
/// `main`'s compiles here; a function made ahead but never called is
/// still a function the run never called (`--profile-out`).
#[test]
fn callees_compile_ahead_of_their_first_call_in_a_server() {
    let p = write(
        "ahead.lc",
        r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn sq(x: i64) -> i64 { return x * x; }
fn inc(x: i64) -> i64 { return x + 1; }
fn unused(x: i64) -> i64 { return x - 1; }
fn main(argc: i32, argv: **u8) -> i32 {
    var t: i64 = 0;
    for (var i: i64 = 0; i < 100; i += 1) { t += sq(inc(i)); }
    if (argc > 1000) { t += unused(t); }
    printf("%lld\n", t);
    return 0;
}
"#,
    );
    let (base, _, _) = run(&["--compile-threads=0"], &p, &[]);
    let profile = p.with_file_name("ahead.profile");
    let (out, err, code) = run(
        &[
            "--compile-threads=1",
            "--stats",
            "--trace-jit",
            "--profile-out",
            profile.to_str().unwrap(),
        ],
        &p,
        &[],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, base);
    assert!(stat(&err, "tier0_ahead") >= 2.0, "{err}");
    assert_eq!(
        stat(&err, "tier0_fast"),
        1.0,
        "only main compiles here: {err}"
    );
    assert!(err.contains("ahead of its first call"), "{err}");
    let text = std::fs::read_to_string(&profile).unwrap();
    assert!(text.lines().any(|l| l == "never unused"), "{text}");
    assert!(!text.lines().any(|l| l == "never sq"), "{text}");
}

/// A function compiled at its first call (reached only through a pointer)
/// whose callee's tier 0 comes from the code cache, linked before the
/// function's own slot is set: the callee must not send the function
/// ahead again (a second lowering freed the profile its code counts in).
#[test]
fn a_function_being_compiled_is_not_sent_ahead_by_its_callees() {
    let p = write(
        "cycle.lc",
        r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn g(n: i64) -> i64 { if (n <= 0) { return 1; } return f(n - 1) + 1; }
fn f(n: i64) -> i64 { if (n <= 0) { return 0; } return g(n - 1) * 2; }
var h: fn(i64) -> i64 = f;
fn main() -> i32 {
    var t: i64 = 0;
    for (var i: i64 = 0; i < 50; i += 1) { t += h(i % 9); }
    printf("%lld\n", t);
    return 0;
}
"#,
    );
    let cache = p.with_file_name("cycle-cache");
    let _ = std::fs::remove_dir_all(&cache);
    let (base, _, _) = run(&["--compile-threads=0"], &p, &[]);
    let with_cache = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_lljit"))
            .arg("run")
            .args(args)
            .arg(&p)
            .env("LLJIT_CACHE_DIR", &cache)
            .env_remove("LLJIT_NO_CACHE")
            .env_remove("LLJIT_COMPILE_THREADS")
            .output()
            .unwrap();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code(),
        )
    };
    // The first run caches g's tier 0; the second finds it while f
    // compiles.
    let (first, err, code) = with_cache(&["--compile-threads=0"]);
    assert_eq!((first, code), (base.clone(), Some(0)), "{err}");
    let (second, err, code) = with_cache(&["--compile-threads=1", "--stats"]);
    assert_eq!((second, code), (base, Some(0)), "{err}");
    // Lowered once, f's tier 0 is the module the first run cached; a
    // second lowering (another profile) would be a module it never saw.
    assert_eq!(stat(&err, "cache_misses"), 0.0, "{err}");
}

#[test]
fn a_compile_server_refuses_what_is_not_a_job() {
    let server = |input: &[u8], args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lljit"))
            .arg("__compile-server")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.code(), out.stdout.len())
    };
    // No job: done.
    assert_eq!(server(b"", &["-O2"]), (Some(0), 0));
    // Not a job: refused, nothing written.
    assert_eq!(server(&[7u8; 64], &["-O2"]), (Some(1), 0));
    // A job whose module is not bitcode: a response saying so.
    let mut job = Vec::new();
    job.extend_from_slice(&0x4c4a_5251u32.to_le_bytes());
    job.extend_from_slice(&5u64.to_le_bytes());
    job.push(0);
    job.extend_from_slice(&3u64.to_le_bytes());
    job.extend_from_slice(b"abc");
    let (status, written) = server(&job, &["-O2"]);
    assert_eq!(status, Some(0));
    assert!(written > 30, "{written}");
    assert_eq!(server(b"", &["--bogus"]).0, Some(2));
}

#[test]
fn the_process_stays_single_threaded_while_code_compiles_in_the_background() {
    let p = write(
        "threads.lc",
        &HOT.replace(
            "printf(\"%lld\\n\", h);",
            "printf(\"%lld\\n\", h); threads();",
        )
        .replace(
            "fn main() -> i32 {",
            r#"extern fn fopen(path: *u8, mode: *u8) -> *u8;
extern fn fgets(buf: *u8, n: i32, f: *u8) -> *u8;
extern fn strncmp(a: *u8, b: *u8, n: u64) -> i32;
fn threads() {
    let f = fopen("/proc/self/status", "r");
    var line: [256]u8;
    while (fgets(&line[0], 256i32, f) != null) {
        if (strncmp(&line[0], "Threads:", 8) == 0) { printf("%s", &line[0]); }
    }
}
fn main() -> i32 {"#,
        ),
    );
    let (out, err, code) = run(&["--compile-threads=2", "--stats"], &p, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.ends_with("Threads:\t1\n"), "{out}");
    assert!(stat(&err, "background_ms") > 0.0, "{err}");
}

/// A function sent ahead whose first call comes before the server (slow
/// to start) has taken its job compiles here, from the bitcode it was
/// sent as, and is cached under that bitcode's key: the next run, which
/// lowers it again, links it from the cache instead of compiling it again.
#[test]
fn tier_0_compiled_here_after_all_is_found_by_the_next_run() {
    let p = write(
        "here.lc",
        r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn sq(x: i64) -> i64 { return x * x; }
fn inc(x: i64) -> i64 { return x + 1; }
fn main() -> i32 {
    var t: i64 = 0;
    for (var i: i64 = 0; i < 5; i += 1) { t += sq(i) + inc(i); }
    printf("%lld\n", t);
    return 0;
}
"#,
    );
    let server = slow_server(&p, "slow-server-here.sh");
    let cache = p.with_file_name("here-cache");
    let _ = std::fs::remove_dir_all(&cache);
    let env = [
        ("LLJIT_NO_CACHE", "0"),
        ("LLJIT_CACHE_DIR", cache.to_str().unwrap()),
        ("LLJIT_COMPILE_SERVER", server.to_str().unwrap()),
    ];
    let flags = ["--compile-threads=1", "--trace-jit", "--stats"];
    let run_cached = || {
        let (out, err, code) = run(&flags, &p, &env);
        assert_eq!(code, Some(0), "{err}");
        (out, err)
    };
    let (first, err) = run_cached();
    assert_eq!(first, "45\n");
    for f in ["sq", "inc"] {
        let line = format!("compiled {f} at tier 0 (fast, profiling) ahead of its first call, on the program's thread after all");
        assert!(err.contains(&line), "{err}");
    }
    let (second, err) = run_cached();
    assert_eq!(second, first);
    for f in ["sq", "inc"] {
        let line = format!(
            "compiled {f} at tier 0 (fast, profiling) ahead of its first call, from the code cache"
        );
        assert!(err.contains(&line), "{err}");
    }
    assert_eq!(stat(&err, "cache_misses"), 0.0, "{err}");
}
