//! A random differential tester for lljit: generated LC programs run in
//! every execution mode and against a C twin compiled by clang-19.

pub mod ast;
pub mod campaign;
pub mod coverage;
pub mod emit_c;
pub mod emit_lc;
pub mod gen;
pub mod modes;
pub mod outcome;
pub mod reduce;
pub mod rng;
pub mod run;
