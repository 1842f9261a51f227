//! The runtime linked into every LC program, JIT or AOT: trap reporting,
//! signal handling, the guarded program stack, recovery points (a REPL's
//! way back to its prompt) and a REPL's C `stdout`, and the profile
//! records of the JIT's profiling tier.
//!
//! `interface` declares every entry point that generated code calls; the
//! compiler reads that table to declare the functions in LLVM IR and to hand
//! their addresses to the JIT, and the AOT linker gets them from this crate's
//! static library.

pub mod interface;
pub mod profile;
pub mod recover;
pub mod session_stdout;
pub mod start;
pub mod trap;
