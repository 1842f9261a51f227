//! `lljit repl`: an interactive session (also `lljit` alone on a terminal).

use lljit::jit::JitOptions;

/// Start an interactive session: type definitions, statements and
/// expressions; :help lists the commands
#[derive(clap::Args)]
pub struct ReplArgs {
    #[command(flatten)]
    pub(super) jit: JitOptions,
}

impl ReplArgs {
    pub fn main(self) -> i32 {
        lljit::repl::main(self.jit)
    }
}
