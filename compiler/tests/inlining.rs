//! The inlining estimate of a checked function (`Func::size`) counts the
//! checked program's nodes: how a function is written (parentheses) must
//! not change whether the JIT copies it into its callers.

use lljit::driver::{frontend, MemoryReader};
use std::path::PathBuf;

fn sizes(src: &str) -> Vec<(String, usize)> {
    let name = PathBuf::from("sizes.lc");
    let mut reader = MemoryReader {
        name: name.clone(),
        bytes: src.as_bytes().to_vec(),
    };
    let fe = frontend(&name, &mut reader);
    assert!(fe.diags.is_empty(), "unexpected diagnostics");
    let prog = fe.program.expect("checked program");
    prog.funcs
        .iter()
        .filter(|f| !f.is_extern())
        .map(|f| (f.name.clone(), f.size))
        .collect()
}

#[test]
fn parentheses_do_not_count_towards_a_functions_size() {
    let s = sizes(
        "fn plain(x: i64, y: i64) -> i64 { return x * y + x - y; }\n\
         fn parens(x: i64, y: i64) -> i64 { return ((((x * y)) + (x)) - ((y))); }\n\
         fn main() -> i32 { return (plain(1, 2) + parens(1, 2)) as i32; }\n",
    );
    let size = |n: &str| s.iter().find(|(name, _)| name == n).unwrap().1;
    assert_eq!(size("plain"), size("parens"), "{s:?}");
}
