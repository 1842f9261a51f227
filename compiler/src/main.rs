//! The `lljit` command line: `run`, `check`, and help.

use lljit::driver;
use lljit::jit::JitOptions;
use std::path::PathBuf;

const USAGE: &str = "\
usage: lljit <command> [options] FILE.lc [ARGS...]

commands:
  run FILE.lc [ARGS...]   compile lazily with the JIT and run main(argc, argv)
  check FILE.lc           run the front end only and report diagnostics

run options:
  -O0 | -O1 | -O2 | -O3   LLVM optimization level for JIT-compiled functions (default -O2)
  --emit=llvm-ir          print the IR of each compiled module to standard error
  --trace-jit             print one line per compiled function to standard error
";

/// Stack for the front end and lowering (reserved, committed as touched).
const FRONT_END_STACK: usize = 512 << 20;

/// Exit status for an internal compiler error.
const ICE_STATUS: i32 = 70;

fn install_ice_hook() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal compiler error: {info}");
        eprintln!("note: this is a bug in lljit; please report it with the input that caused it");
        std::process::exit(ICE_STATUS);
    }));
}

fn real_main(args: Vec<String>) -> i32 {
    let mut it = args.into_iter().skip(1);
    let Some(cmd) = it.next() else {
        eprint!("{USAGE}");
        return 2;
    };
    match cmd.as_str() {
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            0
        }
        "-V" | "--version" => {
            println!("lljit {}", env!("CARGO_PKG_VERSION"));
            0
        }
        "check" => {
            let files: Vec<String> = it.collect();
            if files.len() != 1 {
                eprintln!("error: `lljit check` takes one file\n\n{USAGE}");
                return 2;
            }
            driver::check_command(&PathBuf::from(&files[0]))
        }
        "run" => {
            let mut opts = JitOptions::default();
            let mut file = None;
            let mut rest = Vec::new();
            for a in it {
                if file.is_some() {
                    rest.push(a);
                    continue;
                }
                match a.as_str() {
                    "-O0" | "-O1" | "-O2" | "-O3" => opts.opt_level = a.as_bytes()[2] - b'0',
                    "--emit=llvm-ir" => opts.emit_ir = true,
                    "--trace-jit" => opts.trace = true,
                    s if s.starts_with('-') && s.len() > 1 => {
                        eprintln!("error: unknown option `{s}`\n\n{USAGE}");
                        return 2;
                    }
                    _ => file = Some(a),
                }
            }
            let Some(file) = file else {
                eprintln!("error: `lljit run` needs a file\n\n{USAGE}");
                return 2;
            };
            match driver::run_command(&PathBuf::from(&file), &rest, opts) {
                Ok(status) => status,
                Err(e) => {
                    eprintln!("error: internal compiler error: {e}");
                    eprintln!("note: this is a bug in lljit; please report it with the input that caused it");
                    ICE_STATUS
                }
            }
        }
        other => {
            eprintln!("error: unknown command `{other}`\n\n{USAGE}");
            2
        }
    }
}

fn main() {
    install_ice_hook();
    let args: Vec<String> = std::env::args().collect();
    // The front end recurses over the tree; give it a deep stack. No thread:
    // the program later runs in this process, which must stay single-threaded.
    let status = match lljit_runtime::start::GuardedStack::new(FRONT_END_STACK, 64 << 10) {
        Some(stack) => stack.run(move || real_main(args)),
        None => {
            eprintln!("error: cannot reserve the compiler's stack");
            ICE_STATUS
        }
    };
    std::process::exit(status);
}
