//! Command-line behaviour of `lljit`: lazy per-function compilation, the
//! inlining record, IR output, exit statuses, and internal-error reporting.

use std::path::PathBuf;
use std::process::{Command, Output};

fn lljit() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lljit"));
    // Traces read here come at the same point of every run when code is
    // compiled on the program's thread.
    c.env("LLJIT_COMPILE_THREADS", "0");
    // What is compiled, not what an earlier run left in the cache.
    c.env("LLJIT_NO_CACHE", "1");
    c
}

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lljit-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn run(args: &[&str]) -> Output {
    lljit().args(args).output().unwrap()
}

const LAZY: &str = r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn small(x: i64) -> i64 { return x * 2 + 1; }
fn big(n: i64) -> i64 {
    var s: i64 = 0;
    for (var i = 0; i < n; i += 1) {
        if (i % 3 == 0) { s += i; } else if (i % 5 == 0) { s -= i; } else { s ^= i; }
        if (i % 7 == 0) { s += small(i); } else if (i % 11 == 0) { s -= small(i) * 3; }
        if (i % 13 == 0) { s = s * 31 + i; } else if (i % 17 == 0) { s = s * 37 - i; }
        if (i % 19 == 0) { s = s / 3 + i; } else if (i % 23 == 0) { s = s % 1000003 + i; }
        if (i % 29 == 0) { s = s + (s >> 3); } else if (i % 31 == 0) { s = s - (s << 2); }
        if (i % 37 == 0) { s = s ^ (s >> 7); } else if (i % 41 == 0) { s = s | (i << 9); }
        if (i % 43 == 0) { s = s & 0xffffffffff; } else if (i % 47 == 0) { s = s + 12345; }
    }
    return s;
}
fn never_called(x: i64) -> i64 { return x + 1; }
fn main() -> i32 {
    var t: i64 = 0;
    for (var k = 0; k < 1000; k += 1) { t += big(k); }
    let f = big;
    printf("%lld %lld\n", t, f(10));
    return 0;
}
"#;

#[test]
fn functions_compile_lazily_once_and_never_when_not_called() {
    let p = write("lazy.lc", LAZY);
    let out = run(&["run", "--trace-jit", p.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    let first_code = |err: &str| -> Vec<String> {
        err.lines()
            .filter(|l| l.starts_with("jit: compiled "))
            .map(str::to_string)
            .collect()
    };
    // Each function's first code once, in the order first called: `main`;
    // `big` (its first call, and then through its pointer, where the entry
    // stub reaches the slot); `small` when `big` first calls it. Never
    // `never_called`.
    let compiled = first_code(&err);
    assert_eq!(
        compiled.len(),
        3,
        "expected main, big and small once each:\n{err}"
    );
    assert!(compiled[0].starts_with("jit: compiled main "), "{err}");
    assert!(compiled[1].starts_with("jit: compiled big "), "{err}");
    assert!(compiled[2].starts_with("jit: compiled small "), "{err}");
    assert!(!err.contains("never_called"), "{err}");
    // Without on-stack replacement a loop function's first code is
    // optimized, with `small` copied into `big`'s module for inlining (and
    // recorded as such), so `small` is never compiled on its own.
    let out_no_osr = run(&["run", "--trace-jit", "--no-osr", p.to_str().unwrap()]);
    let err_no_osr = text(&out_no_osr.stderr);
    let compiled = first_code(&err_no_osr);
    assert_eq!(compiled.len(), 2, "{err_no_osr}");
    assert!(
        compiled[1].starts_with("jit: compiled big "),
        "{err_no_osr}"
    );
    assert!(
        compiled[1].contains("inlinable copies: small"),
        "{err_no_osr}"
    );
    assert!(!err_no_osr.contains("never_called"), "{err_no_osr}");
    assert_eq!(text(&out_no_osr.stdout), text(&out.stdout));
    // The same output at every optimization level.
    let reference = text(&out.stdout);
    for level in ["-O0", "-O1", "-O3"] {
        let o = run(&["run", level, p.to_str().unwrap()]);
        assert_eq!(text(&o.stdout), reference, "output differs at {level}");
    }
}

#[test]
fn emit_llvm_ir_prints_compiled_modules() {
    let p = write("ir.lc", LAZY);
    let out = run(&["run", "--emit=llvm-ir", p.to_str().unwrap()]);
    assert!(out.status.success());
    let err = text(&out.stderr);
    // Function pointers are entry stubs, named as offsets in the JIT's
    // stub memory, not body symbols: `f` holds big's.
    assert!(
        err.contains("store ptr getelementptr (i8, ptr @lljit.entries, i64 ")
            && err.contains(", ptr %f,"),
        "`let f = big` stores big's entry stub:\n{err}"
    );
    assert!(
        !err.contains("inttoptr (i64 "),
        "a baked-in address:\n{err}"
    );
    // The JIT's hooks are called by name.
    assert!(err.contains("call i64 @lljit_jit_osr("), "{err}");
    assert!(!err.contains(".slot("), "{err}");
    assert!(err.contains("@lc.start("), "{err}");
    // `big` loops: its first code is tier 0, profiling code.
    assert!(err.contains("define i64 @lc.big.t0("), "{err}");
    assert!(!err.contains("define i64 @lc.never_called("), "{err}");
}

#[test]
fn exit_statuses() {
    let ok = write("status.lc", "fn main() -> i32 { return 42; }\n");
    assert_eq!(run(&["run", ok.to_str().unwrap()]).status.code(), Some(42));
    assert_eq!(run(&["check", ok.to_str().unwrap()]).status.code(), Some(0));
    let bad = write("bad.lc", "fn main() -> i32 { return true; }\n");
    let out = run(&["check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("error[E0200]"), "{err}");
    assert!(err.contains("bad.lc:1:27"), "{err}");
    assert_eq!(run(&["run", bad.to_str().unwrap()]).status.code(), Some(1));
    assert_eq!(run(&["run", "/nonexistent/x.lc"]).status.code(), Some(1));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        run(&["run", "--no-such-flag", ok.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&[]).status.code(), Some(2));
}

#[test]
fn internal_errors_are_reported_with_status_70() {
    let ok = write("ice.lc", "fn main() -> i32 { return 0; }\n");
    let out = lljit()
        .args(["check", ok.to_str().unwrap()])
        .env("LLJIT_TEST_INTERNAL_ERROR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(70));
    let err = text(&out.stderr);
    assert!(err.contains("internal compiler error"), "{err}");
    assert!(err.contains("please report"), "{err}");
}

#[test]
fn binary_input_is_a_diagnostic() {
    let dir = std::env::temp_dir().join(format!("lljit-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("binary.lc");
    std::fs::write(&p, [0x7f, b'E', b'L', b'F', 0xff, 0xfe, 0, 1, 2]).unwrap();
    let out = run(&["check", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[E0008]"));
}

#[test]
fn function_pointers_stay_valid_across_compilation() {
    // A pointer taken before its function is compiled, called before and after.
    let p = write(
        "fnptr.lc",
        r#"
extern fn printf(fmt: *u8, ...) -> i32;
extern fn qsort(base: *u8, n: u64, size: u64, cmp: fn(*u8, *u8) -> i32);
fn cmp(a: *u8, b: *u8) -> i32 {
    let x = *(a as *i64);
    let y = *(b as *i64);
    return x < y ? -1 : (x > y ? 1 : 0);
}
fn main() -> i32 {
    let f = cmp;
    var v: [5]i64 = [5, 3, 9, 1, 7];
    qsort(&v[0] as *u8, 5, 8, f);
    printf("%lld %lld %lld %lld %lld %d\n", v[0], v[1], v[2], v[3], v[4], (f == cmp) as i32);
    return 0;
}
"#,
    );
    let out = run(&["run", p.to_str().unwrap()]);
    assert_eq!(text(&out.stdout), "1 3 5 7 9 1\n", "{}", text(&out.stderr));
}

#[test]
fn oversized_source_is_a_diagnostic() {
    let mut src = String::from("fn main() -> i32 { return 0; }\n");
    while src.len() <= lljit::source::MAX_SOURCE_BYTES {
        src.push_str("// padding padding padding padding padding padding padding padding\n");
    }
    let p = write("huge.lc", &src);
    let out = run(&["check", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("error[E0009]"), "{err}");
    // The file's first line is shown, with the caret at its start.
    assert!(
        err.contains("1 │ fn main() -> i32 { return 0; }\n  │ ^\n"),
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let p = write(
        "bom.lc",
        "\u{feff}extern fn printf(fmt: *u8, ...) -> i32;\nfn main() -> i32 { printf(\"ok\\n\"); return 0; }\n",
    );
    let out = run(&["run", p.to_str().unwrap()]);
    assert_eq!(text(&out.stdout), "ok\n", "{}", text(&out.stderr));
    // Positions count from the text after it.
    let p = write("bom_error.lc", "\u{feff}fn main() -> i32 { return x; }\n");
    let err = text(&run(&["check", p.to_str().unwrap()]).stderr);
    assert!(err.contains("bom_error.lc:1:27"), "{err}");
    // One in the middle of a line is an unknown character, shown where it is.
    let p = write(
        "mid_bom.lc",
        "fn main() -> i32 { let a = 1;\u{feff} return 0; }\n",
    );
    let err = text(&run(&["check", p.to_str().unwrap()]).stderr);
    assert!(
        err.contains("error[E0001]: unknown character `\\u{feff}`"),
        "{err}"
    );
    assert!(err.contains("1 │ fn main() -> i32 { let a = 1;\u{fffd} return 0; }\n  │                              ^\n"), "{err}");
}

#[test]
fn every_diagnostic_code_is_documented_and_tested() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let docs = std::fs::read_to_string(root.join("docs/language.md")).unwrap();
    let mut cases = String::new();
    let mut stack = vec![root.join("lang-tests/cases")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "lc") {
                cases.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
            }
        }
    }
    for code in lljit::diag::Code::ALL {
        let c = code.as_str();
        assert!(
            docs.contains(&format!("| {c} |")),
            "{c} is not in docs/language.md"
        );
        // E0009 (file too large) is tested above: a case file that size does not belong in the repository.
        if c != "E0009" {
            assert!(
                cases.contains(&format!("//~ {c}")) || cases.contains(&format!(" {c}")),
                "no lang-tests case expects {c}"
            );
        }
    }
}

/// The help texts docs/cli.md shows: `lljit ARGS` for each.
const DOCUMENTED_HELP: &[&str] = &[
    "--help",
    "run --help",
    "aot --help",
    "compare --help",
    "check --help",
    "repl --help",
];

#[test]
fn docs_show_the_help_the_binary_prints() {
    // Each help text stands in docs/cli.md as a block "```text\n$ lljit ARGS\n…```".
    // LLJIT_BLESS=1 rewrites the blocks from the binary; review the diff.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/cli.md");
    let mut docs = std::fs::read_to_string(&path).unwrap();
    let bless = std::env::var("LLJIT_BLESS").is_ok_and(|v| v == "1");
    for args in DOCUMENTED_HELP {
        let out = run(&args.split(' ').collect::<Vec<_>>());
        assert_eq!(out.status.code(), Some(0), "lljit {args}");
        let help = text(&out.stdout);
        let head = format!("```text\n$ lljit {args}\n");
        let Some(start) = docs.find(&head).map(|s| s + head.len()) else {
            panic!("docs/cli.md has no block starting {head:?}");
        };
        let end = start + docs[start..].find("```").unwrap();
        if bless {
            docs.replace_range(start..end, &help);
        } else {
            assert_eq!(
                docs[start..end],
                help,
                "docs/cli.md shows another `lljit {args}` (LLJIT_BLESS=1 rewrites it)"
            );
        }
    }
    if bless {
        std::fs::write(&path, docs).unwrap();
    }
}

#[test]
fn help_and_version_from_every_form() {
    let top = run(&["--help"]);
    assert_eq!(top.status.code(), Some(0));
    for cmd in ["run", "aot", "compare", "check"] {
        assert!(text(&top.stdout).contains(&format!("  {cmd} ")), "{cmd}");
        let a = run(&[cmd, "--help"]);
        let b = run(&["help", cmd]);
        let c = run(&[cmd, "-h"]);
        assert_eq!(a.status.code(), Some(0), "{cmd} --help");
        assert_eq!(b.status.code(), Some(0), "help {cmd}");
        assert_eq!(c.status.code(), Some(0), "{cmd} -h");
        assert_eq!(a.stdout, b.stdout, "help {cmd}");
        assert!(
            text(&a.stdout).contains(&format!("Usage: lljit {cmd} ")),
            "{}",
            text(&a.stdout)
        );
    }
    let v = run(&["--version"]);
    assert_eq!(v.status.code(), Some(0));
    assert_eq!(
        text(&v.stdout),
        format!("lljit {}\n", env!("CARGO_PKG_VERSION"))
    );
    // No command at all: the help, on standard error, as a usage error.
    let none = run(&[]);
    assert_eq!(none.status.code(), Some(2));
    assert!(text(&none.stderr).contains("Usage: lljit <COMMAND>"));
}

#[test]
fn usage_errors_are_one_line_and_a_hint() {
    let ok = write("usage.lc", "fn main() -> i32 { return 0; }\n");
    let f = ok.to_str().unwrap();
    for (args, first_line) in [
        (
            vec!["frobnicate"],
            "error: unrecognized subcommand 'frobnicate'",
        ),
        (
            vec!["run", "--no-such-flag", f],
            "error: unexpected argument '--no-such-flag' found",
        ),
        (
            vec!["run", "-O4", f],
            "error: invalid value '4' for '-O <LEVEL>': 4 is not in 0..=3",
        ),
        (
            vec!["run", "--emit=asm", f],
            "error: invalid value 'asm' for '--emit <KIND>'",
        ),
        (
            vec!["aot", "--emit=wasm", f],
            "error: invalid value 'wasm' for '--emit <KIND>'",
        ),
        (vec!["aot", "-O", f], "error: invalid value"),
        (
            vec!["aot", "--pgo-gen=", f],
            "error: a value is required for '--pgo-gen <DIR>'",
        ),
        (
            vec!["aot", f, "-o", ""],
            "error: a value is required for '-o <OUT>'",
        ),
        (
            vec!["aot", "--pgo-gen=a", "--pgo-use=b", f],
            "error: the argument '--pgo-gen <DIR>' cannot be used with",
        ),
        (
            vec!["compare", "--runs", "0", f],
            "error: invalid value '0' for '--runs <N>'",
        ),
        (
            vec!["compare", "--runs", "x", f],
            "error: invalid value 'x' for '--runs <N>'",
        ),
        (vec!["check", f, f], "error: unexpected argument"),
        (
            vec!["check"],
            "error: the following required arguments were not provided:",
        ),
    ] {
        let out = run(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with(first_line), "{args:?}: {err}");
        let cmd = match args[0] {
            "frobnicate" => "lljit".to_string(),
            c => format!("lljit {c}"),
        };
        assert!(
            err.ends_with(&format!("\n\nFor more information, try '{cmd} --help'.\n")),
            "{args:?}: {err}"
        );
        assert!(!err.contains("Usage:"), "{args:?}: {err}");
        assert!(err.lines().count() <= 6, "{args:?}: {err}");
    }
}

#[test]
fn run_passes_everything_after_the_file_to_the_program() {
    let p = write(
        "argv.lc",
        r#"
extern fn printf(fmt: *u8, ...) -> i32;
fn main(argc: i32, argv: **u8) -> i32 {
    for (var i: i32 = 1; i < argc; i += 1) { printf("[%s]", argv[i]); }
    printf("\n");
    return argc;
}
"#,
    );
    let f = p.to_str().unwrap();
    for (args, expected) in [
        (vec!["run", f, "-x", "--y"], "[-x][--y]\n"),
        (vec!["run", f, "--", "a", "--help"], "[--][a][--help]\n"),
        (
            vec!["run", "-O3", f, "-O1", "--trace-jit", "-"],
            "[-O1][--trace-jit][-]\n",
        ),
        (vec!["run", "-O", "1", "--", f, "--", "b"], "[--][b]\n"),
        (
            vec!["run", "--emit", "llvm-ir", f, "--version"],
            "[--version]\n",
        ),
        (vec!["run", f], "\n"),
    ] {
        let out = run(&args);
        assert_eq!(
            text(&out.stdout),
            expected,
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

/// Where a write fails: a full device, or a pipe whose reader has gone.
fn unwritable() -> Vec<(&'static str, std::process::Stdio)> {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    vec![("/dev/full", full.into()), ("a closed pipe", writer.into())]
}

#[test]
fn unwritable_output_does_not_change_the_exit_status() {
    let bad = write("full-bad.lc", "fn main() -> i32 { return true; }\n");
    let ok = write("full-ok.lc", "fn main() -> i32 { return 42; }\n");
    let (bad, ok) = (bad.to_str().unwrap(), ok.to_str().unwrap());
    // (arguments, whether lljit is made to hit an internal error, status)
    let cases: &[(&[&str], bool, i32)] = &[
        (&["check", bad], false, 1),
        (&["run", bad], false, 1),
        (&["run", "/nonexistent/x.lc"], false, 1),
        (&["run", "--trace-jit", "--emit=llvm-ir", ok], false, 42),
        (&["check", ok], true, 70),
        (&["run", "--no-such-flag", ok], false, 2),
        (&[], false, 2),
    ];
    for (args, internal_error, status) in cases {
        for (what, stderr) in unwritable() {
            let mut cmd = lljit();
            cmd.args(*args).stderr(stderr);
            if *internal_error {
                cmd.env("LLJIT_TEST_INTERNAL_ERROR", "1");
            }
            let out = cmd.output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(*status),
                "{args:?} with standard error {what}: {:?}",
                out.status
            );
        }
    }
    for args in [&["--help"][..], &["--version"], &["help", "run"]] {
        for (what, stdout) in unwritable() {
            let out = lljit().args(args).stdout(stdout).output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{args:?} with standard output {what}: {:?}",
                out.status
            );
        }
    }
}

#[test]
fn a_missing_file_suggests_the_one_with_lc() {
    let p = write("suggested.lc", "fn main() -> i32 { return 0; }\n");
    let stem = p.with_extension("");
    let out = run(&["run", stem.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("did you mean `{}`?", p.display())),
        "{err}"
    );
}
