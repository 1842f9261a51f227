//! Where `extern fn`s come from, the same in every mode (libc, libm and
//! `-l`/`-L` libraries), an extern that no library defines as a diagnostic,
//! and failures of the environment as plain errors, never as compiler bugs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lljit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lljit"))
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lljit-libs-{}-{name}", std::process::id()));
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

/// Runs `lljit WORDS FILE` in `d`; for `aot`, then the executable.
fn in_mode(d: &Path, words: &[&str], file: &str) -> Output {
    let out = lljit()
        .current_dir(d)
        .args(words)
        .arg(file)
        .output()
        .unwrap();
    if words[0] != "aot" || !out.status.success() {
        return out;
    }
    let exe = d.join(file.trim_end_matches(".lc"));
    Command::new(exe).output().unwrap()
}

const MODES: &[&[&str]] = &[
    &["run"],
    &["run", "--no-tiering"],
    &["run", "--jit-threshold=1"],
    &["run", "-O0"],
    &["aot"],
];

const TYPO: &str = r#"extern fn printf(fmt: *u8, ...) -> i32;
extern fn prinft(fmt: *u8, ...) -> i32;
extern fn never_used_anywhere(x: i32) -> i32;
fn main() -> i32 {
    printf("hello\n");
    prinft("typo\n");
    return 0;
}
"#;

#[test]
fn a_missing_extern_is_a_diagnostic_in_every_mode() {
    let d = dir("typo");
    write(&d, "typo.lc", TYPO);
    let mut modes: Vec<&[&str]> = MODES.to_vec();
    modes.push(&["check"]);
    for words in modes {
        let out = in_mode(&d, words, "typo.lc");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{words:?}: {err}");
        assert!(out.stdout.is_empty(), "{words:?}: main must not start");
        // At the declaration that is used, with the name it was meant to be;
        // the extern no code uses is no error.
        assert!(
            err.contains("error[E0226]: no library defines the extern function `prinft`"),
            "{words:?}: {err}"
        );
        assert!(err.contains("typo.lc:2:1"), "{words:?}: {err}");
        assert!(err.contains("did you mean `printf`?"), "{words:?}: {err}");
        assert!(!err.contains("never_used_anywhere"), "{words:?}: {err}");
        assert!(
            !err.contains("internal compiler error") && !err.contains("clang-19"),
            "{words:?}: {err}"
        );
    }
    let out = lljit()
        .current_dir(&d)
        .args(["compare", "--runs", "1", "typo.lc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("error[E0226]"),
        "{}",
        text(&out.stderr)
    );
}

const ZLIB: &str = r#"extern fn printf(fmt: *u8, ...) -> i32;
extern fn zlibVersion() -> *u8;
fn main() -> i32 { printf("zlib %c\n", *zlibVersion()); return 0; }
"#;

#[test]
fn only_the_named_libraries_are_searched() {
    // lljit itself has zlib loaded; a program sees it only with `-lz`.
    let d = dir("zlib");
    write(&d, "z.lc", ZLIB);
    for words in MODES {
        let out = in_mode(&d, words, "z.lc");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{words:?}: {err}");
        assert!(
            err.contains(
                "no library defines the extern function `zlibVersion` (searched libc and libm)"
            ),
            "{words:?}: {err}"
        );
        assert!(err.contains("-l NAME"), "{words:?}: {err}");
        let mut with: Vec<&str> = words.to_vec();
        with.insert(1, "-lz");
        let out = in_mode(&d, &with, "z.lc");
        assert!(out.status.success(), "{with:?}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "zlib 1\n", "{with:?}");
    }
    let out = lljit()
        .current_dir(&d)
        .args(["run", "-lno-such-library", "z.lc"])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: cannot find the library `-lno-such-library`"),
        "{err}"
    );
}

#[test]
fn libraries_in_a_directory_of_ones_own() {
    let d = dir("own");
    let lib = d.join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    let c = write(
        &d,
        "triple.c",
        "long lc_test_triple(long x) { return 3 * x; }\n",
    );
    let status = Command::new("clang-19")
        .args(["-shared", "-fPIC", "-o"])
        .arg(lib.join("liblctriple.so"))
        .arg(&c)
        .status()
        .unwrap();
    assert!(status.success());
    write(
        &d,
        "t.lc",
        "extern fn printf(fmt: *u8, ...) -> i32;\nextern fn lc_test_triple(x: i64) -> i64;\n\
         fn main() -> i32 { printf(\"%lld\\n\", lc_test_triple(14)); return 0; }\n",
    );
    for words in MODES {
        let mut with: Vec<&str> = words.to_vec();
        with.splice(1..1, ["-L", "lib", "-l", "lctriple"]);
        let out = in_mode(&d, &with, "t.lc");
        assert!(out.status.success(), "{with:?}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "42\n", "{with:?}");
    }
    // Without -L the library is not found.
    let out = lljit()
        .current_dir(&d)
        .args(["run", "-llctriple", "t.lc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot find the library `-llctriple`"));
}

#[test]
fn address_space_limits_are_plain_errors() {
    let d = dir("ulimit");
    write(&d, "p.lc", "fn main() -> i32 { return 0; }\n");
    // Too little for the front end's stack, then for the JIT's own.
    for kib in [300_000, 700_000] {
        let out = Command::new("bash")
            .current_dir(&d)
            .arg("-c")
            .arg(format!("ulimit -v {kib}; exec \"$0\" run p.lc"))
            .arg(env!("CARGO_BIN_EXE_lljit"))
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{kib}: {err}");
        assert!(
            err.starts_with("error: cannot reserve the "),
            "{kib}: {err}"
        );
        assert!(
            err.contains("stack") && err.contains("os error"),
            "{kib}: {err}"
        );
        assert!(!err.contains("internal compiler error"), "{kib}: {err}");
    }
}
