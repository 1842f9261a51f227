//! `lljit aot`: the same program ahead of time, as a native executable.

use lljit::aot::{AotOptions, Emit};
use lljit::driver;
use std::path::PathBuf;

/// Compile the program ahead of time into a native executable
#[derive(clap::Args)]
pub struct AotArgs {
    /// Output path [default: FILE without .lc; with --emit, NAME.ll, NAME.s or NAME.o]
    #[arg(short = 'o', value_name = "OUT")]
    output: Option<PathBuf>,
    #[command(flatten)]
    pub(super) opts: AotOptions,
    /// The program's root file (with its imports)
    #[arg(value_name = "FILE.lc")]
    file: PathBuf,
}

impl AotArgs {
    pub fn main(mut self) -> i32 {
        let stem = self
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "a".into());
        self.opts.output = self.output.unwrap_or_else(|| {
            PathBuf::from(match self.opts.emit {
                None => stem,
                Some(Emit::LlvmIr) => format!("{stem}.ll"),
                Some(Emit::Asm) => format!("{stem}.s"),
                Some(Emit::Obj) => format!("{stem}.o"),
            })
        });
        driver::aot_command(&self.file, &self.opts)
    }
}
