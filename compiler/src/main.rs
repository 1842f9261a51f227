//! The `lljit` executable: runs the command line (`cli`) on a deep stack
//! and reports a panic as an internal compiler error.

// Printing that ignores write errors (see `lljit::stdio`), for every module below.
#[macro_use]
extern crate lljit;

mod cli;

use cli::ICE_STATUS;

/// Stack for the front end and lowering (reserved, committed as touched).
const FRONT_END_STACK: usize = 512 << 20;

fn install_ice_hook() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal compiler error: {info}");
        eprintln!("note: this is a bug in lljit; please report it with the input that caused it");
        std::process::exit(ICE_STATUS);
    }));
}

fn main() {
    install_ice_hook();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // A compile server of a JIT session (`jit/background.rs`), not a user's
    // command.
    if args.get(1).is_some_and(|a| a == lljit::jit::SERVER_COMMAND) {
        let rest: Vec<String> = args[2..]
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        std::process::exit(lljit::jit::compile_server(&rest));
    }
    // The front end recurses over the tree; give it a deep stack. No thread:
    // the program later runs in this process, which must stay single-threaded.
    let status = match lljit_runtime::start::GuardedStack::new(FRONT_END_STACK, 64 << 10) {
        Some(stack) => stack.run(move || cli::main(args)),
        None => {
            let why = lljit_runtime::start::reserve_error("the compiler's stack", FRONT_END_STACK);
            eprintln!("error: {why}");
            1
        }
    };
    std::process::exit(status);
}
