//! What running a program (or building it) gave: how the process ended and
//! what it printed. A module of its own, so that the runner and the modes
//! (a custom mode gives one) share it without importing each other.

/// How a process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// It exited with this status.
    Exit(i32),
    /// A signal killed it.
    Signal(i32),
    /// It ran longer than the time limit and was killed.
    Timeout,
}

/// What a program (or a build of it) did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}
