//! `lljit aot` and `lljit compare`: emitted IR/asm/objects, target CPUs,
//! LTO across files, the PGO cycle (including missing and stale profiles),
//! and the comparison's JSON and chart.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lljit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lljit"))
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lljit-aot-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(d: &Path, name: &str, text: &str) -> PathBuf {
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "failed: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

fn aot(args: &[&str]) -> Output {
    lljit().arg("aot").args(args).output().unwrap()
}

const MAIN: &str = r#"
import "lib.lc";
extern fn printf(fmt: *u8, ...) -> i32;
fn main(argc: i32, argv: **u8) -> i32 {
    var s: u64 = 0;
    for (var i: u64 = 0; i < 1000; i += 1) { s += twice(i) + @popcount(i * 2654435761); }
    printf("%llu %d\n", s, argc);
    return 3;
}
"#;

const LIB: &str = "fn twice(x: u64) -> u64 { return x * 2; }\n";

#[test]
fn executables_run_like_the_jit() {
    let d = dir("run");
    let m = write(&d, "main.lc", MAIN);
    write(&d, "lib.lc", LIB);
    let jit = lljit().arg("run").arg(&m).arg("x").output().unwrap();
    for level in ["-O0", "-O1", "-O2", "-O3"] {
        for cpu in [
            "--target-cpu=generic",
            "--target-cpu=host",
            "--target-cpu=skylake",
        ] {
            let exe = d.join(format!("prog{level}{cpu}"));
            ok(aot(&[
                level,
                cpu,
                m.to_str().unwrap(),
                "-o",
                exe.to_str().unwrap(),
            ]));
            let out = Command::new(&exe).arg("x").output().unwrap();
            assert_eq!(out.stdout, jit.stdout, "{level} {cpu}");
            assert_eq!(out.status.code(), Some(3));
        }
    }
}

#[test]
fn emit_ir_asm_and_objects() {
    let d = dir("emit");
    let m = write(&d, "main.lc", MAIN);
    write(&d, "lib.lc", LIB);
    let ir = d.join("p.ll");
    ok(aot(&[
        "--emit=llvm-ir",
        m.to_str().unwrap(),
        "-o",
        ir.to_str().unwrap(),
    ]));
    let ir = std::fs::read_to_string(ir).unwrap();
    assert!(
        ir.contains("define i32 @main(") && ir.contains("lljit_rt_aot_main"),
        "{ir}"
    );
    let asm = d.join("p.s");
    ok(aot(&[
        "--emit=asm",
        "--target-cpu=host",
        m.to_str().unwrap(),
        "-o",
        asm.to_str().unwrap(),
    ]));
    let host_asm = std::fs::read_to_string(&asm).unwrap();
    ok(aot(&[
        "--emit=asm",
        "--target-cpu=generic",
        m.to_str().unwrap(),
        "-o",
        asm.to_str().unwrap(),
    ]));
    let generic_asm = std::fs::read_to_string(&asm).unwrap();
    // @popcount is one instruction where the CPU has it, a bit trick otherwise.
    assert!(host_asm.contains("popcnt"), "host asm lacks popcnt");
    assert!(!generic_asm.contains("popcnt"), "generic asm uses popcnt");
    let obj = d.join("p.o");
    ok(aot(&[
        "--emit=obj",
        m.to_str().unwrap(),
        "-o",
        obj.to_str().unwrap(),
    ]));
    let bytes = std::fs::read(obj).unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF");
}

#[test]
fn cross_file_inlining_only_with_lto() {
    let d = dir("lto");
    let m = write(&d, "main.lc", MAIN);
    write(&d, "lib.lc", LIB);
    let ir = d.join("p.ll");
    ok(aot(&[
        "--emit=llvm-ir",
        m.to_str().unwrap(),
        "-o",
        ir.to_str().unwrap(),
    ]));
    let plain = std::fs::read_to_string(&ir).unwrap();
    ok(aot(&[
        "--emit=llvm-ir",
        "--lto",
        m.to_str().unwrap(),
        "-o",
        ir.to_str().unwrap(),
    ]));
    let lto = std::fs::read_to_string(&ir).unwrap();
    assert!(
        plain.contains("call i64 @lc.twice"),
        "without --lto, main calls into the other file's module"
    );
    assert!(
        !lto.contains("call i64 @lc.twice"),
        "with --lto, twice is inlined across files"
    );
    let exe = d.join("p");
    ok(aot(&[
        "--lto",
        m.to_str().unwrap(),
        "-o",
        exe.to_str().unwrap(),
    ]));
    assert_eq!(Command::new(&exe).output().unwrap().status.code(), Some(3));
}

#[test]
fn profile_guided_builds() {
    let d = dir("pgo");
    let m = write(&d, "main.lc", MAIN);
    write(&d, "lib.lc", LIB);
    let prof = d.join("prof");
    let gen = d.join("gen");
    ok(aot(&[
        &format!("--pgo-gen={}", prof.display()),
        m.to_str().unwrap(),
        "-o",
        gen.to_str().unwrap(),
    ]));
    let trained = Command::new(&gen).output().unwrap();
    assert_eq!(trained.status.code(), Some(3));
    let raws = std::fs::read_dir(&prof)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "profraw")
        })
        .count();
    assert!(raws > 0, "the instrumented run wrote no profile");
    for lto in [false, true] {
        let exe = d.join(format!("use{lto}"));
        let mut args = vec![
            format!("--pgo-use={}", prof.display()),
            m.display().to_string(),
            "-o".into(),
            exe.display().to_string(),
        ];
        if lto {
            args.push("--lto".into());
        }
        let out = ok(lljit().arg("aot").args(&args).output().unwrap());
        assert!(
            !text(&out.stderr).contains("warning"),
            "{}",
            text(&out.stderr)
        );
        let run = Command::new(&exe).output().unwrap();
        assert_eq!(run.stdout, trained.stdout);
    }
    // A merged .profdata file works too.
    let merged = d.join("merged.profdata");
    let raws: Vec<PathBuf> = std::fs::read_dir(&prof)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(Command::new("llvm-profdata-19")
        .arg("merge")
        .arg("-o")
        .arg(&merged)
        .args(&raws)
        .status()
        .unwrap()
        .success());
    let exe = d.join("use-file");
    ok(aot(&[
        &format!("--pgo-use={}", merged.display()),
        m.to_str().unwrap(),
        "-o",
        exe.to_str().unwrap(),
    ]));
    // A missing profile is a warning, not a failure.
    let out = ok(aot(&[
        "--pgo-use=/nonexistent/profile",
        m.to_str().unwrap(),
        "-o",
        exe.to_str().unwrap(),
    ]));
    assert!(
        text(&out.stderr).contains("warning: profile `/nonexistent/profile` does not exist"),
        "{}",
        text(&out.stderr)
    );
    // A stale profile (the program changed) is a warning too.
    let changed = write(
        &d,
        "main.lc",
        &MAIN.replace("i < 1000", "i < 1000 && s != 7"),
    );
    let out = ok(aot(&[
        &format!("--pgo-use={}", prof.display()),
        changed.to_str().unwrap(),
        "-o",
        exe.to_str().unwrap(),
    ]));
    assert!(
        text(&out.stderr).contains("the profile does not match this program"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(Command::new(&exe).output().unwrap().status.code(), Some(3));
}

#[test]
fn compare_reports_every_mode() {
    let d = dir("compare");
    let m = write(&d, "main.lc", MAIN);
    write(&d, "lib.lc", LIB);
    let json = d.join("r.json");
    let png = d.join("r.png");
    let out = ok(lljit()
        .arg("compare")
        .arg(&m)
        .args([
            "--runs",
            "2",
            &format!("--json={}", json.display()),
            "--plot",
            png.to_str().unwrap(),
            "--",
            "a",
        ])
        .output()
        .unwrap());
    let table = text(&out.stdout);
    for mode in [
        "jit",
        "jit-warm",
        "jit-no-tiering",
        "aot-O2",
        "aot-O3-host",
        "aot-pgo-lto",
        "aot-jit-profile-host",
        "aot-pgo-lto-host",
    ] {
        assert!(table.contains(mode), "{table}");
    }
    let j = std::fs::read_to_string(json).unwrap();
    assert_eq!(j.matches("\"wall_s\": [").count(), 8, "{j}");
    // The JIT modes report how long they compiled during a run.
    assert_eq!(j.matches("\"compile_in_run_s\": 0.").count(), 3, "{j}");
    assert!(table.contains(" in run "), "{table}");
    assert!(j.contains("\"args\": [\"a\"]"), "{j}");
    assert_eq!(&std::fs::read(png).unwrap()[1..4], b"PNG");
}

/// Runs `lljit compare --runs 1 FILE`, which must fail; gives its standard error.
fn compare_error(file: &Path) -> String {
    let out = lljit()
        .arg("compare")
        .arg(file)
        .args(["--runs", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    text(&out.stderr)
}

#[test]
fn compare_rejects_modes_that_disagree() {
    // A program whose output differs from process to process (its pid)
    // stands in for a miscompilation: compare must refuse to time it.
    let d = dir("disagree");
    let m = write(
        &d,
        "main.lc",
        "extern fn printf(fmt: *u8, ...) -> i32;\nextern fn getpid() -> i32;\nfn main() -> i32 { printf(\"%d\\n\", getpid()); return 0; }\n",
    );
    let err = compare_error(&m);
    assert!(
        err.contains("error: `jit-no-tiering` differs from `jit`:\n"),
        "{err}"
    );
    assert!(
        err.contains("  standard output differs at line 1:\n    `jit`:"),
        "{err}"
    );
    assert!(!err.contains("exit"), "the statuses agree: {err}");

    // A program that knows whether it runs under the JIT (its executable is
    // lljit) stands in for a mode that traps where the others do not.
    let m = write(
        &d,
        "main.lc",
        r#"
extern fn printf(fmt: *u8, ...) -> i32;
extern fn readlink(path: *u8, buf: *u8, size: u64) -> i64;
fn main() -> i32 {
    var exe: [4096]u8;
    let n = readlink("/proc/self/exe", &exe[0], 4096);
    printf("same\n");
    if (exe[n - 1] == 't') {
        printf("jit\nlast\n");
        return 0;
    }
    printf("aot\n");
    let z = n - n;
    return (n / z) as i32;
}
"#,
    );
    let err = compare_error(&m);
    let report = &err[err.find("error: ").unwrap_or(0)..];
    let expected = "\
error: `aot-O2`, `aot-O3-host`, `aot-pgo-lto`, `aot-jit-profile-host` and `aot-pgo-lto-host` differ from `jit`, `jit-no-tiering` and `jit-warm`:
  `jit` exited with status 0, `aot-O2` exited with status 101
  standard output differs at line 2:
    `jit`:    \"jit\"
    `aot-O2`: \"aot\"
  standard error differs at line 1:
    `jit`:    (no output)
    `aot-O2`: \"runtime error: division by zero\"
";
    assert_eq!(report, expected);
}

#[test]
fn unknown_target_cpus_are_usage_errors() {
    let d = dir("cpu");
    let m = write(&d, "main.lc", MAIN);
    write(&d, "lib.lc", LIB);
    let exe = d.join("p");
    for (cpu, says) in [
        ("nonsense", "not a CPU that LLVM knows for "),
        ("", "the CPU name is empty"),
        ("skylak", "(did you mean `skylake`?)"),
        ("Znver3", "(did you mean `znver3`?)"),
    ] {
        let out = aot(&[
            &format!("--target-cpu={cpu}"),
            m.to_str().unwrap(),
            "-o",
            exe.to_str().unwrap(),
        ]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cpu:?}: {err}");
        let first = err.lines().next().unwrap_or("");
        assert!(
            first.starts_with(&format!(
                "error: invalid value '{cpu}' for '--target-cpu <CPU>': "
            )) && first.contains(says),
            "{cpu:?}: {err}"
        );
        assert!(
            err.ends_with("For more information, try 'lljit aot --help'.\n"),
            "{err}"
        );
        assert!(!exe.exists());
    }
    // Every name LLVM lists for the target is accepted: `native` and one of them.
    for cpu in ["native", "znver3", "x86-64-v3"] {
        ok(aot(&[
            &format!("--target-cpu={cpu}"),
            "--emit=obj",
            m.to_str().unwrap(),
            "-o",
            exe.to_str().unwrap(),
        ]));
    }
}

#[test]
fn compare_with_unwritable_output() {
    let d = dir("unwritable");
    let m = write(&d, "main.lc", MAIN);
    write(&d, "lib.lc", LIB);
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let compare_into_full = |stdout: bool| {
        let mut cmd = lljit();
        cmd.arg("compare").arg(&m).args(["--runs", "1"]);
        if stdout {
            cmd.stdout(full());
        } else {
            cmd.stderr(full());
        }
        cmd.output().unwrap()
    };
    // Progress lines that cannot be written do not matter...
    let out = compare_into_full(false);
    assert_eq!(out.status.code(), Some(0), "{:?}", out.status);
    assert!(text(&out.stdout).contains("aot-O2"));
    // ...results that cannot be written do.
    let out = compare_into_full(true);
    assert_eq!(out.status.code(), Some(1), "{:?}", out.status);
    assert!(
        text(&out.stderr).contains("error: cannot write the results to standard output"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_output_is_never_a_source_file() {
    let d = dir("overwrite");
    let noext = write(&d, "noext", "fn main() -> i32 { return 4; }\n");
    let keep = write(
        &d,
        "keep.lc",
        "import \"lib.lc\";\nfn main() -> i32 { return twice(2) as i32; }\n",
    );
    let lib = write(&d, "lib.lc", LIB);
    let before = std::fs::read(&keep).unwrap();
    // No `.lc`: the default output is NAME.out beside the current directory.
    ok(lljit()
        .current_dir(&d)
        .args(["aot", "noext"])
        .output()
        .unwrap());
    assert_eq!(
        std::fs::read(&noext).unwrap(),
        b"fn main() -> i32 { return 4; }\n"
    );
    let out = Command::new(d.join("noext.out")).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    // `-o` naming the root file, an imported file, or a link to one.
    std::os::unix::fs::symlink(&keep, d.join("link")).unwrap();
    for target in [keep.clone(), lib.clone(), d.join("link")] {
        let out = aot(&[keep.to_str().unwrap(), "-o", target.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("is the input file"),
            "{}",
            text(&out.stderr)
        );
    }
    assert_eq!(std::fs::read(&keep).unwrap(), before);
    assert_eq!(std::fs::read(&lib).unwrap(), LIB.as_bytes());
    // Also with --emit.
    let out = aot(&[
        "--emit=llvm-ir",
        keep.to_str().unwrap(),
        "-o",
        keep.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&keep).unwrap(), before);
}

#[test]
fn unwritable_outputs_are_plain_errors() {
    let d = dir("bad-output");
    let p = write(&d, "p.lc", "fn main() -> i32 { return 0; }\n");
    let p = p.to_str().unwrap();
    for (out, says) in [
        ("/nonexistent-dir/x", "cannot write `/nonexistent-dir/x`"),
        (d.to_str().unwrap(), "is a directory"),
    ] {
        let r = aot(&[p, "-o", out]);
        let err = text(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{err}");
        assert!(err.starts_with("error: ") && err.contains(says), "{err}");
        assert!(
            !err.contains("clang-19") && !err.contains("internal compiler error"),
            "{err}"
        );
    }
}

#[test]
fn compare_says_when_a_training_run_traps() {
    let d = dir("training-trap");
    let p = write(
        &d,
        "trap.lc",
        "extern fn printf(fmt: *u8, ...) -> i32;\n\
         fn main() -> i32 { let z: i32 = 0; printf(\"x\\n\"); return 5 / z; }\n",
    );
    let out = lljit()
        .arg("compare")
        .arg(&p)
        .args(["--runs", "1"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("training run of aot-pgo-lto ended in a runtime error"),
        "{err}"
    );
    assert!(!err.contains("holds no .profraw files"), "{err}");
}

/// A branch the run takes one way, an indirect call with one target, and a
/// function never called.
const PROFILED: &str = r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn inc(x: i64) -> i64 { return x + 1; }
fn never(x: i64) -> i64 { return x * 3; }
fn step(g: fn(i64) -> i64, x: i64) -> i64 { return g(x); }
fn main(argc: i32, argv: **u8) -> i32 {
    var s: i64 = 0;
    var f: fn(i64) -> i64 = inc;
    if (argc > 5) { f = never; }
    for (var i: i64 = 0; i < 5000; i += 1) {
        if (i % 1000 == 999) { s += 7; } else { s = step(f, s); }
    }
    printf("%lld\n", s);
    return 0;
}
"#;

#[test]
fn a_jit_run_profile_guides_an_ahead_of_time_build() {
    let d = dir("jit-profile");
    let src = write(&d, "p.lc", PROFILED);
    let prof = d.join("p.prof");
    let run = ok(lljit()
        .args(["run", "--profile-out"])
        .arg(&prof)
        .arg(&src)
        .output()
        .unwrap());
    let profile = std::fs::read_to_string(&prof).unwrap();
    assert!(profile.starts_with("lljit-profile 1\n"), "{profile}");
    assert!(profile.contains("\ncall 0 inc "), "{profile}");
    assert!(profile.contains("\nnever never\n"), "{profile}");
    // The build runs like the JIT, and its IR carries the profile: branch
    // weights, the promoted call, the cold function's calls.
    let exe = d.join("p");
    ok(aot(&[
        &format!("--pgo-use={}", prof.display()),
        src.to_str().unwrap(),
        "-o",
        exe.to_str().unwrap(),
    ]));
    let out = ok(Command::new(&exe).output().unwrap());
    assert_eq!(out.stdout, run.stdout);
    let ll = d.join("p.ll");
    ok(aot(&[
        "-O0",
        "--emit=llvm-ir",
        &format!("--pgo-use={}", prof.display()),
        src.to_str().unwrap(),
        "-o",
        ll.to_str().unwrap(),
    ]));
    let ir = std::fs::read_to_string(&ll).unwrap();
    assert!(ir.contains("!\"branch_weights\""), "no weights:\n{ir}");
    assert!(ir.contains("call.direct"), "no promoted call:\n{ir}");
    // A profile of another program: its functions are left out, with a
    // warning, and the build goes on.
    let other = write(
        &d,
        "q.lc",
        &PROFILED
            .replace("fn step(g", "fn step(h: i64, g")
            .replace("step(f, s)", "step(0, f, s)"),
    );
    let out = ok(aot(&[
        &format!("--pgo-use={}", prof.display()),
        other.to_str().unwrap(),
        "-o",
        d.join("q").to_str().unwrap(),
    ]));
    assert!(
        text(&out.stderr).contains("`step` changed since the profile was taken"),
        "{}",
        text(&out.stderr)
    );
    // Not a profile at all: a clear error.
    let bad = write(&d, "bad.prof", "lljit-profile 1\nbranch x\n");
    let out = aot(&[
        &format!("--pgo-use={}", bad.display()),
        src.to_str().unwrap(),
        "-o",
        d.join("r").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("line 2: cannot read `branch x`"),
        "{}",
        text(&out.stderr)
    );
}
