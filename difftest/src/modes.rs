//! The execution modes every program runs in: the differential tester's rows
//! of the shared mode table (`lljit_modes::MODES`), where a new tier or
//! stress mode is one more row, plus custom modes for tests.

use std::path::Path;

use lljit_modes::{modes_for, How, Tool};

use crate::outcome::Outcome;

/// How a mode runs a program.
#[derive(Clone, Copy, Debug)]
pub enum ModeKind {
    /// `lljit run ARGS prog.lc`.
    Run,
    /// `lljit run ARGS prog.lc` twice, the second with the code the first
    /// left in the cache.
    RunWarm,
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
pub fn modes() -> Vec<Mode> {
    modes_for(Tool::Difftest)
        .map(|m| Mode {
            name: m.name,
            kind: match m.how {
                How::Run => ModeKind::Run,
                How::RunWarm => ModeKind::RunWarm,
                How::Aot => ModeKind::Aot,
                How::AotPgoLto | How::AotJitProfile => {
                    panic!("{}: difftest makes no training runs", m.name)
                }
            },
            args: m.args,
        })
        .collect()
}
