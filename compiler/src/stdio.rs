//! Printing that never fails the compiler: `print!`, `println!`, `eprint!`
//! and `eprintln!` with the standard library's names and syntax, which
//! ignore write errors instead of panicking. Standard error may be a full
//! device or a pipe whose reader has gone (`2>/dev/full`, `| head`); a
//! diagnostic that cannot be shown must not turn into a crash, and the exit
//! status stays what it would have been.
//!
//! `lib.rs` declares this module first, so these macros shadow the standard
//! ones in every module of the crate; the executable imports them with
//! `#[macro_use] extern crate lljit`. Output whose loss is an error (the
//! results `lljit compare` prints) is written with `write_all` and checked.

/// `std::print!` that ignores write errors.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::write!(::std::io::stdout(), $($arg)*);
    }};
}

/// `std::println!` that ignores write errors.
#[macro_export]
macro_rules! println {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stdout(), $($arg)*);
    }};
}

/// `std::eprint!` that ignores write errors.
#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::write!(::std::io::stderr(), $($arg)*);
    }};
}

/// `std::eprintln!` that ignores write errors.
#[macro_export]
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stderr(), $($arg)*);
    }};
}
