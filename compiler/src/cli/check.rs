//! `lljit check`: the front end only.

use lljit::driver;
use std::path::PathBuf;

/// Run the front end only and print every diagnostic
#[derive(clap::Args)]
pub struct CheckArgs {
    /// The program's root file (its imports are checked too)
    #[arg(value_name = "FILE.lc")]
    file: PathBuf,
}

impl CheckArgs {
    pub fn main(self) -> i32 {
        driver::check_command(&self.file)
    }
}
