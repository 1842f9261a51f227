//! lljit: a compiler for the LC language with a lazy ORC JIT and an
//! ahead-of-time backend. The pipeline reads top to bottom in `driver`:
//! source → tokens (`lexer`) → AST (`parse`) → checked program (`check`)
//! → LLVM IR (`codegen`) → ORC (`jit`) or object file; `repl` runs the
//! same pipeline one input at a time.

// First: its printing macros shadow the standard ones in every module below.
#[macro_use]
mod stdio;

pub mod aot;
pub mod ast;
pub mod check;
pub mod codegen;
pub mod compare;
pub mod diag;
pub mod driver;
pub mod jit;
pub mod jitprofile;
pub mod lexer;
pub mod libs;
pub mod parse;
pub mod plot;
pub mod repl;
pub mod source;
pub mod suggest;
pub mod tast;
pub mod types;
