//! `lljit aot`: the same program ahead of time, as a native executable.

use lljit::aot::{AotOptions, Emit};
use lljit::driver;
use std::path::{Path, PathBuf};

/// Compile the program ahead of time into a native executable
#[derive(clap::Args)]
pub struct AotArgs {
    /// Output path [default: FILE's name without .lc (FILE.out when it has no .lc); with --emit,
    /// that name with .ll, .s or .o]
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
        self.opts.output = self
            .output
            .unwrap_or_else(|| default_output(&self.file, self.opts.emit));
        driver::aot_command(&self.file, &self.opts)
    }
}

/// The output's default name, in the current directory: the file's name
/// without `.lc`, or with `.out` added when it has no `.lc`, so it is never
/// the input's own name; `--emit` adds `.ll`, `.s` or `.o` to it.
fn default_output(file: &Path, emit: Option<Emit>) -> PathBuf {
    let name = file
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "a".into());
    let stem = match name.strip_suffix(".lc") {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ if emit.is_some() => name,
        _ => format!("{name}.out"),
    };
    PathBuf::from(match emit {
        None => stem,
        Some(Emit::LlvmIr) => format!("{stem}.ll"),
        Some(Emit::Asm) => format!("{stem}.s"),
        Some(Emit::Obj) => format!("{stem}.o"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_output_is_never_the_input() {
        let out = |f: &str, e| default_output(Path::new(f), e);
        assert_eq!(out("dir/prog.lc", None), PathBuf::from("prog"));
        assert_eq!(out("noext", None), PathBuf::from("noext.out"));
        assert_eq!(out("a.out", None), PathBuf::from("a.out.out"));
        assert_eq!(out(".lc", None), PathBuf::from(".lc.out"));
        assert_eq!(out("prog.lc", Some(Emit::LlvmIr)), PathBuf::from("prog.ll"));
        assert_eq!(out("x.ll", Some(Emit::LlvmIr)), PathBuf::from("x.ll.ll"));
        assert_eq!(out("x.o", Some(Emit::Obj)), PathBuf::from("x.o.o"));
    }
}
