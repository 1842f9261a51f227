//! The persistent code cache seen from the command line: a second run links
//! the code the first one compiled, and gives the same output; a
//! corrupted, truncated or raced cache, another lljit build or
//! `--no-cache` only changes what is compiled, never what the program
//! prints; `lljit cache stats|clear` and the size limit. (Every lang-tests
//! case and difftest program also runs with a warm cache, `jit-warm`.)

use std::path::{Path, PathBuf};
use std::process::Command;

/// A program with hot functions (tier 1, a specialization) and a hot loop
/// in `main` (a continuation).
const HOT: &str = r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn scale(x: i64, k: i64) -> i64 { return x * k + 1; }
fn sum(n: i64) -> i64 {
    var s: i64 = 0;
    for (var i: i64 = 0; i < n; i += 1) { s += scale(i, 3) % 7; }
    return s;
}
fn main() -> i32 {
    var t: i64 = 0;
    for (var r: i64 = 0; r < 20000; r += 1) { t += sum(r % 50); }
    printf("%ld\n", t);
    return 0;
}
"#;

/// A fresh directory for this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lljit-cache-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `EXE run --stats ARGS prog.lc` with the cache in `cache` and `prog.lc`
/// holding `HOT`: (stdout, the `--stats` counter `name` → value).
fn run_with(exe: &Path, dir: &Path, cache: &Path, args: &[&str]) -> (String, Vec<(String, u64)>) {
    run_source(exe, dir, cache, HOT, args)
}

/// As [`run_with`], with `source` in `prog.lc`.
fn run_source(
    exe: &Path,
    dir: &Path,
    cache: &Path,
    source: &str,
    args: &[&str],
) -> (String, Vec<(String, u64)>) {
    let prog = dir.join("prog.lc");
    std::fs::write(&prog, source).unwrap();
    let out = Command::new(exe)
        .arg("run")
        .arg("--stats")
        .args(args)
        .arg(&prog)
        .env("LLJIT_CACHE_DIR", cache)
        .env("LLJIT_COMPILE_THREADS", "0")
        .env_remove("LLJIT_NO_CACHE")
        .env_remove("LLJIT_CACHE_MAX_MB")
        .env_remove("LLJIT_JIT_THRESHOLD")
        .env_remove("LLJIT_OSR_THRESHOLD")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let counters = stderr
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?.to_string(), w.next()?.parse::<u64>().ok()?))
        })
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), counters)
}

fn run(dir: &Path, cache: &Path, args: &[&str]) -> (String, Vec<(String, u64)>) {
    run_with(Path::new(env!("CARGO_BIN_EXE_lljit")), dir, cache, args)
}

fn get(counters: &[(String, u64)], name: &str) -> u64 {
    counters
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no counter {name}: {counters:?}"))
        .1
}

/// The entry files in `cache`.
fn entries(cache: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(cache)
        .map(|rd| {
            rd.map(|e| e.unwrap().path())
                .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

const EXPECTED: &str = "1430800\n";

#[test]
fn a_warm_run_links_what_the_cold_run_compiled() {
    let dir = scratch("warm");
    let cache = dir.join("cache");
    let (out, cold) = run(&dir, &cache, &[]);
    assert_eq!(out, EXPECTED);
    assert_eq!(get(&cold, "cache_hits"), 0, "{cold:?}");
    assert!(get(&cold, "cache_misses") >= 3, "{cold:?}");
    assert!(get(&cold, "cache_written_bytes") > 0, "{cold:?}");
    let n = entries(&cache).len();
    assert_eq!(n as u64, get(&cold, "cache_misses"), "{cold:?}");
    // Compiled on the program's thread, code arrives at the same point of
    // every run: every module is the same, and found.
    let (out, warm) = run(&dir, &cache, &[]);
    assert_eq!(out, EXPECTED);
    assert_eq!(get(&warm, "cache_hits") as usize, n, "{warm:?}");
    assert_eq!(get(&warm, "cache_misses"), 0, "{warm:?}");
    assert_eq!(get(&warm, "cache_written_bytes"), 0, "{warm:?}");
    assert_eq!(get(&warm, "tier1"), get(&cold, "tier1"));
    // Other flags make other code: misses, then entries of their own.
    let (out, other) = run(&dir, &cache, &["-O1"]);
    assert_eq!(out, EXPECTED);
    assert_eq!(get(&other, "cache_hits"), 0, "{other:?}");
    assert!(entries(&cache).len() > n);
}

/// With a compile server, the server writes the entry of each job it
/// compiles (the program's thread only counts the bytes): every module
/// the run installed is on disk. (A module written twice, by the server
/// and by the program's thread that took its job back, counts twice.)
#[test]
fn compile_servers_store_what_they_compile() {
    let dir = scratch("servers");
    // Long enough (about 0.3 s) for tier-1 code to arrive from the server;
    // on a loaded machine it may not, so up to three runs (a fresh cache
    // each) until one installs tier-1 code, and every run must have an
    // entry for each module it installed.
    let exe = Path::new(env!("CARGO_BIN_EXE_lljit"));
    let long = HOT.replace("20000", "2000000");
    let mut tier1 = 0;
    for attempt in 0..3 {
        let cache = dir.join(format!("cache{attempt}"));
        let (_, counters) = run_source(exe, &dir, &cache, &long, &["--compile-threads=1"]);
        let stderr = format!("{counters:?}");
        let get = |name: &str| get(&counters, name);
        let files = entries(&cache);
        let on_disk: u64 = files.iter().map(|p| p.metadata().unwrap().len()).sum();
        assert!(
            on_disk > 0 && on_disk <= get("cache_written_bytes"),
            "{stderr}"
        );
        let installed: u64 = ["tier0_fast", "tier0_ahead", "tier1", "osr_compiles"]
            .iter()
            .map(|c| get(c))
            .sum();
        assert!(
            files.len() as u64 >= installed,
            "{} files: {stderr}",
            files.len()
        );
        tier1 = get("tier1");
        if tier1 >= 1 {
            break;
        }
    }
    assert!(tier1 >= 1, "no run installed tier-1 code from the server");
}

/// A function that tiers up to a plain optimized body (its argument
/// varies, and it calls nothing but printf), and string literals that a
/// cold run lowers in another order than a warm one (`note` is lowered
/// after `step` in both, `step`'s tier 0 only in the cold run).
const PLAIN: &str = r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn step(x: i64) -> i64 {
    if (x == 4999) { printf("last step\n"); }
    if (x % 3 == 0) { return x / 3; }
    return x + 1;
}
fn note(t: i64) { printf("total %ld\n", t); }
fn main() -> i32 {
    var t: i64 = 0;
    for (var i: i64 = 0; i < 5000; i += 1) { t += step(i); }
    note(t);
    return 0;
}
"#;

#[test]
fn a_warm_run_starts_in_the_tier_1_code_of_an_earlier_run() {
    let dir = scratch("start");
    let cache = dir.join("cache");
    let prog = dir.join("plain.lc");
    std::fs::write(&prog, PLAIN).unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_lljit"))
            .args(["run", "--stats", "--trace-jit"])
            .args(extra)
            .arg(&prog)
            .env("LLJIT_CACHE_DIR", &cache)
            .env("LLJIT_COMPILE_THREADS", "0")
            .env_remove("LLJIT_NO_CACHE")
            .env_remove("LLJIT_JIT_THRESHOLD")
            .env_remove("LLJIT_OSR_THRESHOLD")
            .output()
            .unwrap();
        assert!(out.status.success());
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let count = |err: &str, name: &str| -> u64 {
        err.lines()
            .find_map(|l| {
                let mut w = l.split_whitespace();
                (w.next() == Some(name)).then(|| w.next().unwrap().parse().unwrap())
            })
            .unwrap()
    };
    let (cold_out, cold) = run(&[]);
    assert_eq!(cold_out, "last step\ntotal 9723611\n");
    assert_eq!(count(&cold, "tier0_fast"), 3, "{cold}");
    assert_eq!(count(&cold, "warm_starts"), 0, "{cold}");
    assert!(cold.contains("jit: tier1 step:"), "{cold}");
    // `step` starts in its tier-1 code: only main and note are compiled
    // at tier 0, and each literal is still its own.
    let (warm_out, warm) = run(&[]);
    assert_eq!(warm_out, cold_out);
    assert_eq!(count(&warm, "warm_starts"), 1, "{warm}");
    assert_eq!(count(&warm, "tier0_fast"), 2, "{warm}");
    assert!(
        warm.contains("jit: warm step: tier-1 code of an earlier run (v1)"),
        "{warm}"
    );
    assert!(!warm.contains("jit: tier1 step:"), "{warm}");
    // Another threshold is another record: a cold start.
    let (out, other) = run(&["--jit-threshold=500"]);
    assert_eq!(out, cold_out);
    assert_eq!(count(&other, "warm_starts"), 0, "{other}");
    // A changed program is another record too.
    std::fs::write(&prog, PLAIN.replace("x / 3", "x / 5")).unwrap();
    let (_, changed) = run(&[]);
    assert_eq!(count(&changed, "warm_starts"), 0, "{changed}");
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    let dir = scratch("off");
    let cache = dir.join("cache");
    let (out, s) = run(&dir, &cache, &["--no-cache"]);
    assert_eq!(out, EXPECTED);
    assert_eq!(get(&s, "cache_misses"), 0);
    assert!(!cache.exists());
    let (_, s) = run(&dir, &cache, &[]);
    assert!(get(&s, "cache_misses") > 0);
    let (out, s) = run(&dir, &cache, &["--no-cache"]);
    assert_eq!(out, EXPECTED);
    assert_eq!(get(&s, "cache_hits"), 0);
}

#[test]
fn damaged_entries_are_compiled_again() {
    let dir = scratch("damaged");
    let cache = dir.join("cache");
    run(&dir, &cache, &[]);
    let files = entries(&cache);
    assert!(files.len() >= 3);
    // One truncated, one with a byte changed, one emptied, the rest
    // replaced by garbage.
    for (i, f) in files.iter().enumerate() {
        let mut bytes = std::fs::read(f).unwrap();
        match i {
            0 => bytes.truncate(bytes.len() / 2),
            1 => *bytes.last_mut().unwrap() ^= 0x40,
            2 => bytes.clear(),
            _ => bytes = b"not an object".to_vec(),
        }
        std::fs::write(f, bytes).unwrap();
    }
    let (out, s) = run(&dir, &cache, &[]);
    assert_eq!(out, EXPECTED);
    assert_eq!(get(&s, "cache_corrupt") as usize, files.len(), "{s:?}");
    assert_eq!(get(&s, "cache_hits"), 0, "{s:?}");
    // Written again, whole.
    let (out, s) = run(&dir, &cache, &[]);
    assert_eq!(out, EXPECTED);
    assert_eq!(get(&s, "cache_corrupt"), 0, "{s:?}");
    assert_eq!(get(&s, "cache_hits") as usize, files.len(), "{s:?}");
}

#[test]
fn concurrent_runs_share_the_cache() {
    let dir = scratch("race");
    let cache = dir.join("cache");
    let prog = dir.join("prog.lc");
    std::fs::write(&prog, HOT).unwrap();
    for _round in 0..2 {
        let children: Vec<_> = (0..4)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_lljit"))
                    .arg("run")
                    .arg(&prog)
                    .env("LLJIT_CACHE_DIR", &cache)
                    .env("LLJIT_COMPILE_THREADS", "0")
                    .env_remove("LLJIT_NO_CACHE")
                    .stdout(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success());
            assert_eq!(String::from_utf8_lossy(&out.stdout), EXPECTED);
        }
    }
    // Every entry is whole: a later run reads all of them.
    let (_, s) = run(&dir, &cache, &[]);
    assert_eq!(get(&s, "cache_corrupt"), 0, "{s:?}");
    assert_eq!(get(&s, "cache_misses"), 0, "{s:?}");
}

#[test]
fn another_lljit_build_does_not_read_this_ones_code() {
    let dir = scratch("build");
    let cache = dir.join("cache");
    run(&dir, &cache, &[]);
    // A copy is another build as far as the cache knows (its executable's
    // time differs).
    let copy = dir.join("lljit-copy");
    std::fs::copy(env!("CARGO_BIN_EXE_lljit"), &copy).unwrap();
    let (out, s) = run_with(&copy, &dir, &cache, &[]);
    assert_eq!(out, EXPECTED);
    assert_eq!(get(&s, "cache_hits"), 0, "{s:?}");
}

#[test]
fn the_cache_command_shows_and_clears_it_and_the_limit_holds() {
    let dir = scratch("command");
    let cache = dir.join("cache");
    let lljit = |args: &[&str], env: &[(&str, &str)]| {
        let out = Command::new(env!("CARGO_BIN_EXE_lljit"))
            .args(args)
            .env("LLJIT_CACHE_DIR", &cache)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(lljit(&["cache", "stats"], &[]).contains("entries: 0"));
    run(&dir, &cache, &[]);
    let n = entries(&cache).len();
    let stats = lljit(&["cache", "stats"], &[]);
    assert!(stats.contains(&format!("entries: {n}\n")), "{stats}");
    assert!(stats.contains(&cache.display().to_string()), "{stats}");
    assert!(lljit(&["cache", "clear"], &[]).contains(&format!("removed {n} entries")));
    assert_eq!(entries(&cache).len(), 0);
    // A limit of 0 MiB: a run that writes entries evicts them all at its end.
    let prog = dir.join("prog.lc");
    let out = lljit(
        &["run", prog.to_str().unwrap()],
        &[("LLJIT_CACHE_MAX_MB", "0"), ("LLJIT_COMPILE_THREADS", "0")],
    );
    assert_eq!(out, EXPECTED);
    assert_eq!(entries(&cache).len(), 0);
}
