//! `lljit cache`: what the persistent code cache holds, and emptying it.

use lljit::jit;

/// Show or empty the persistent code cache: the compiled code `lljit run`
/// keeps across runs ($LLJIT_CACHE_DIR, else $XDG_CACHE_HOME/lljit, else
/// ~/.cache/lljit; at most $LLJIT_CACHE_MAX_MB MiB, 256 by default)
#[derive(clap::Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Print where the cache is, how many entries it holds and their size
    Stats,
    /// Remove every entry
    Clear,
}

impl CacheArgs {
    pub fn main(self) -> i32 {
        let Some(dir) = jit::cache_dir() else {
            eprintln!("error: no cache directory: set LLJIT_CACHE_DIR (or HOME)");
            return 1;
        };
        match self.action {
            Action::Stats => {
                print!("{}", jit::describe_cache(&dir));
                0
            }
            Action::Clear => match jit::clear_cache(&dir) {
                Ok(n) => {
                    println!("removed {n} entries from {}", dir.display());
                    0
                }
                Err(e) => {
                    eprintln!("error: cannot clear {}: {e}", dir.display());
                    1
                }
            },
        }
    }
}
