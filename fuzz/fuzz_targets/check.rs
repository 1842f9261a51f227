//! Fuzz target: any bytes as an LC source file through the whole front end
//! (lexer, parser, checker). It must never panic, hang, or give a
//! diagnostic whose span lies outside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lljit::driver::{frontend, MemoryReader};
use lljit_runtime::start::GuardedStack;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The front end recurses over the tree; `lljit` gives it this stack too.
struct Stack(GuardedStack);
// SAFETY: the stack is only used by the fuzzing thread, one input at a time.
unsafe impl Sync for Stack {}
unsafe impl Send for Stack {}

static STACK: OnceLock<Stack> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let stack = STACK.get_or_init(|| Stack(GuardedStack::new(512 << 20, 64 << 10).expect("stack")));
    stack.0.run(|| {
        let name = PathBuf::from("fuzz.lc");
        let mut reader = MemoryReader { name: name.clone(), bytes: data.to_vec() };
        let fe = frontend(&name, &mut reader);
        for d in &fe.diags {
            let len = fe.sources.file(d.span.file).text.len() as u32;
            assert!(d.span.start <= d.span.end && d.span.end <= len, "span outside the file: {d:?}");
        }
    });
});
