//! `lljit check`: the front end only, and the externs against the
//! libraries.

use lljit::driver;
use lljit::libs::LinkOptions;
use std::path::PathBuf;

/// Run the front end only and print every diagnostic (also externs that no
/// library defines)
#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    link: LinkOptions,
    /// The program's root file (its imports are checked too)
    #[arg(value_name = "FILE.lc")]
    file: PathBuf,
}

impl CheckArgs {
    pub fn main(self) -> i32 {
        driver::check_command(&self.file, &self.link)
    }
}
