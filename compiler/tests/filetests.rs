//! IR filetests: each `tests/ir/NAME.lc` names, in its header, the options
//! of a run (`// run: …`, which decide the plan: tier 0, a specialization,
//! an OSR continuation) and the modules to keep (`// modules: …`); the IR
//! of those modules that `lljit run --emit=llvm-ir` prints must equal
//! `tests/ir/NAME.ll`. `LLJIT_BLESS=1` writes the `.ll` files instead. The
//! runs use `-O0`, so the IR is lowering's (what these tests pin), and one
//! compile thread: code arrives at the same point of every run.
//!
//! Compiled code names the JIT's memory (slots, profile words, guards) by
//! symbol and calls the hooks by name; the only addresses left are values
//! a body is specialized on, replaced by `<a1>`, `<a2>`, … in order of
//! first appearance, so the tests pin which addresses are the same, not
//! what they are. No case here has one: a baked-in address in their IR
//! is a regression (it would make the code differ from run to run). The run names the file relative to its folder, so the
//! positions that traps print are the same in every checkout.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The value of header line `// KEY: …` of `src`.
fn header<'a>(src: &'a str, key: &str) -> &'a str {
    let prefix = format!("// {key}: ");
    src.lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no `{prefix}` line"))
}

/// The modules of `ir` (as `--emit=llvm-ir` prints them, one after the
/// other) whose ModuleID is in `keep`, in order.
fn modules(ir: &str, keep: &[&str]) -> String {
    let mut out = String::new();
    let mut on = false;
    for line in ir.lines() {
        if let Some(id) = line.strip_prefix("; ModuleID = '") {
            on = keep.contains(&id.trim_end_matches('\''));
        }
        if on {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `ir` with every `inttoptr (i64 N to ptr)` constant named by the order
/// in which its address first appears.
fn normalize(ir: &str) -> String {
    const OPEN: &str = "inttoptr (i64 ";
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut out = String::new();
    let mut rest = ir;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at + OPEN.len()]);
        rest = &rest[at + OPEN.len()..];
        let digits = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
        let next = names.len() + 1;
        let n = *names.entry(rest[..digits].to_string()).or_insert(next);
        out.push_str(&format!("<a{n}>"));
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

fn check(path: &Path) -> Result<(), String> {
    let src = std::fs::read_to_string(path).unwrap();
    let args: Vec<&str> = header(&src, "run").split_whitespace().collect();
    let keep: Vec<&str> = header(&src, "modules").split_whitespace().collect();
    let out = Command::new(env!("CARGO_BIN_EXE_lljit"))
        .arg("run")
        .args(&args)
        .arg("--emit=llvm-ir")
        // Relative to its folder, so positions in the IR do not depend on
        // where the checkout is.
        .arg(path.file_name().unwrap())
        .current_dir(path.parent().unwrap())
        .env_remove("LLJIT_JIT_THRESHOLD")
        .env_remove("LLJIT_OSR_THRESHOLD")
        .env_remove("LLJIT_COMPILE_THREADS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("{}: the run failed:\n{stderr}", path.display()));
    }
    let got = modules(&stderr, &keep);
    if got.contains("inttoptr (i64 ") {
        return Err(format!(
            "{}: the IR holds a baked-in address:\n{got}",
            path.display()
        ));
    }
    let got = normalize(&got);
    if got.is_empty() {
        return Err(format!("{}: no module named {keep:?}", path.display()));
    }
    let expected_path = path.with_extension("ll");
    if std::env::var("LLJIT_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&expected_path, &got).unwrap();
        return Ok(());
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if got != expected {
        let line = got
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(got.lines().count().min(expected.lines().count()));
        return Err(format!(
            "{}: the IR differs from {} at line {} (LLJIT_BLESS=1 to accept it):\n  got:      {}\n  expected: {}",
            path.display(),
            expected_path.display(),
            line + 1,
            got.lines().nth(line).unwrap_or("(end)"),
            expected.lines().nth(line).unwrap_or("(end)")
        ));
    }
    Ok(())
}

#[test]
fn lowering_matches_the_blessed_ir() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/ir");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "lc"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    let failures: Vec<String> = files.iter().filter_map(|p| check(p).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn addresses_are_named_by_first_appearance() {
    let ir = "load ptr inttoptr (i64 77 to ptr)\nstore inttoptr (i64 5 to ptr), inttoptr (i64 77 to ptr)\n";
    assert_eq!(
        normalize(ir),
        "load ptr inttoptr (i64 <a1> to ptr)\nstore inttoptr (i64 <a2> to ptr), inttoptr (i64 <a1> to ptr)\n"
    );
    let two = "; ModuleID = 'a'\nx\n; ModuleID = 'b'\ny\n";
    assert_eq!(modules(two, &["b"]), "; ModuleID = 'b'\ny\n");
}
