//! `lljit run`: check the whole program, then run `main` under the JIT.

use lljit::driver;
use lljit::jit::{JitError, JitOptions};
use std::ffi::OsString;
use std::path::PathBuf;

/// Check the program, then run its main(argc, argv) under the JIT
#[derive(clap::Args)]
#[command(
    after_help = "Options go before FILE.lc; everything after it is passed to the program unchanged."
)]
pub struct RunArgs {
    #[command(flatten)]
    pub(super) jit: JitOptions,
    /// The program's root file; it is also argv[0]
    #[arg(value_name = "FILE.lc")]
    file: PathBuf,
    /// The program's arguments (argv[1] on)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

impl RunArgs {
    pub fn main(self) -> i32 {
        match driver::run_command(&self.file, &self.args, self.jit) {
            Ok(status) => status,
            Err(JitError::Environment(e)) => {
                eprintln!("error: {e}");
                1
            }
            Err(JitError::Bug(e)) => {
                eprintln!("error: internal compiler error: {e}");
                eprintln!(
                    "note: this is a bug in lljit; please report it with the input that caused it"
                );
                super::ICE_STATUS
            }
        }
    }
}

/// Where the program's arguments start in `args` (what follows `lljit
/// run`): just after the first word that is not an option or an option's
/// value. Clap parses only the words before; the rest reach the program
/// unchanged, even `--` or `--help`.
pub fn program_args_start(run: &clap::Command, args: &[OsString]) -> usize {
    let takes_value = |word: &str| {
        run.get_arguments().any(|a| {
            a.get_action().takes_values()
                && if let Some(long) = word.strip_prefix("--") {
                    a.get_long() == Some(long)
                } else {
                    // `-O` alone takes the next word; `-O2` holds its value.
                    word.len() == 2 && a.get_short() == word.chars().nth(1)
                }
        })
    };
    let mut i = 0;
    while i < args.len() {
        let word = args[i].to_string_lossy();
        if word == "--" {
            return (i + 2).min(args.len());
        }
        if !word.starts_with('-') || word == "-" {
            return i + 1;
        }
        i += if takes_value(&word) { 2 } else { 1 };
    }
    args.len()
}
