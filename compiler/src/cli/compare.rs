//! `lljit compare`: one program in every execution mode, side by side.

use lljit::compare::{self, CompareOptions};
use std::io::Write;
use std::path::PathBuf;

/// Run the program in every mode, check that they agree, and time them side
/// by side
#[derive(clap::Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub(super) opts: CompareOptions,
    /// The program's root file
    #[arg(value_name = "FILE.lc")]
    file: PathBuf,
    /// The program's arguments (after `--` when one starts with `-`)
    args: Vec<String>,
}

impl CompareArgs {
    pub fn main(self) -> i32 {
        let CompareArgs {
            mut opts,
            file,
            args,
        } = self;
        opts.args = args;
        let results = match compare::compare(&file, &opts) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        };
        if let Some(plot) = &opts.plot {
            if let Err(e) = lljit::plot::bar_chart(plot, &file.display().to_string(), &results) {
                eprintln!("error: cannot draw {}: {e}", plot.display());
                return 1;
            }
        }
        let table = compare::table(&results, opts.runs);
        let printed = match &opts.json {
            Some(j) if j.as_os_str() == "-" => compare::json(&file, &opts.args, &results),
            Some(j) => {
                if let Err(e) = std::fs::write(j, compare::json(&file, &opts.args, &results)) {
                    eprintln!("error: cannot write {}: {e}", j.display());
                    return 1;
                }
                table
            }
            None => table,
        };
        // The results are the command's point: losing them is an error.
        let mut stdout = std::io::stdout();
        if let Err(e) = stdout
            .write_all(printed.as_bytes())
            .and_then(|()| stdout.flush())
        {
            eprintln!("error: cannot write the results to standard output: {e}");
            return 1;
        }
        0
    }
}
