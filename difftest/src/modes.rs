//! The execution modes every program runs in, declared once: a later tier or
//! stress mode is one more line in [`MODES`].

use std::path::Path;

use crate::run::Outcome;

/// How a mode runs a program.
#[derive(Clone, Copy, Debug)]
pub enum ModeKind {
    /// `lljit run ARGS prog.lc`.
    Run,
    /// `lljit aot ARGS prog.lc -o EXE`, then `EXE`.
    Aot,
    /// Any other way, given the `lljit` binary and the program's path (tests
    /// use it for a deliberately wrong mode).
    Custom(fn(lljit: &Path, lc: &Path) -> Outcome),
}

/// One execution mode.
#[derive(Clone, Copy, Debug)]
pub struct Mode {
    /// Its name in reports and failure signatures.
    pub name: &'static str,
    /// How it runs.
    pub kind: ModeKind,
    /// Options before the file.
    pub args: &'static [&'static str],
}

/// Every mode a program runs in; each is compared with the C twin.
pub const MODES: &[Mode] = &[
    Mode {
        name: "run -O0",
        kind: ModeKind::Run,
        args: &["-O0"],
    },
    Mode {
        name: "run -O2",
        kind: ModeKind::Run,
        args: &["-O2"],
    },
    Mode {
        name: "run -O3",
        kind: ModeKind::Run,
        args: &["-O3"],
    },
    Mode {
        name: "run --no-tiering",
        kind: ModeKind::Run,
        args: &["--no-tiering"],
    },
    Mode {
        name: "run --jit-threshold=1",
        kind: ModeKind::Run,
        args: &["--jit-threshold=1"],
    },
    Mode {
        name: "run guard-miss stress",
        kind: ModeKind::Run,
        args: &["--jit-threshold=1", "--jit-stress=guard-miss"],
    },
    Mode {
        name: "run first-values stress",
        kind: ModeKind::Run,
        args: &["--jit-threshold=2", "--jit-stress=first-values"],
    },
    Mode {
        name: "run --osr-threshold=1",
        kind: ModeKind::Run,
        args: &["--osr-threshold=1"],
    },
    Mode {
        name: "run osr guard-miss stress",
        kind: ModeKind::Run,
        args: &["--osr-threshold=1", "--jit-stress=guard-miss"],
    },
    Mode {
        name: "aot -O0",
        kind: ModeKind::Aot,
        args: &["-O0"],
    },
    Mode {
        name: "aot -O2",
        kind: ModeKind::Aot,
        args: &["-O2"],
    },
    Mode {
        name: "aot -O3 --lto",
        kind: ModeKind::Aot,
        args: &["-O3", "--lto"],
    },
    Mode {
        name: "aot --target-cpu=host",
        kind: ModeKind::Aot,
        args: &["--target-cpu=host"],
    },
];
