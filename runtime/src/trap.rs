//! Runtime errors: the trap kinds, their messages, and how they are reported.

use std::ffi::{c_char, CStr};
use std::io::Write;

/// The runtime errors generated code reports through [`lljit_rt_trap`].
/// The discriminant is the code passed from generated code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum TrapKind {
    /// Integer division or remainder by zero.
    DivisionByZero = 0,
    /// Signed `MIN / -1` or `MIN % -1`.
    DivisionOverflow = 1,
    /// Array index out of bounds (`a` = index, `b` = length).
    IndexOutOfBounds = 2,
    /// A load or store through a pointer derived from `null`.
    NullAccess = 3,
}

impl TrapKind {
    /// Decodes a trap code.
    pub fn from_code(code: i32) -> Option<TrapKind> {
        match code {
            0 => Some(TrapKind::DivisionByZero),
            1 => Some(TrapKind::DivisionOverflow),
            2 => Some(TrapKind::IndexOutOfBounds),
            3 => Some(TrapKind::NullAccess),
            _ => None,
        }
    }

    /// The `<what>` part of the message.
    pub fn message(self, a: i64, b: i64) -> String {
        match self {
            TrapKind::DivisionByZero => "division by zero".to_string(),
            TrapKind::DivisionOverflow => "division overflow".to_string(),
            TrapKind::IndexOutOfBounds => format!("index out of bounds: index {a}, length {b}"),
            TrapKind::NullAccess => "invalid memory access at address 0x0".to_string(),
        }
    }
}

/// The exit status of a program stopped by a runtime error.
pub const TRAP_EXIT_STATUS: i32 = 101;

extern "C" {
    fn fflush(stream: *mut libc::FILE) -> i32;
}

/// Flushes C stdio, writes `runtime error: <what>` and the position line to
/// standard error, and exits with status 101 (or, in a session running an
/// input, returns to its recovery point).
pub fn report_and_exit(what: &str, location: Option<&str>) -> ! {
    // SAFETY: `fflush(NULL)` is defined to flush every open output stream;
    // no pointer of ours is passed.
    unsafe {
        fflush(std::ptr::null_mut());
    }
    crate::session_stdout::end_line();
    let mut msg = format!("runtime error: {what}\n");
    if let Some(loc) = location {
        msg.push_str(&format!("  at {loc}\n"));
    }
    let _ = std::io::stderr().write_all(msg.as_bytes());
    drop(msg);
    crate::recover::recover(crate::recover::Stop::Error);
    // SAFETY: `_exit` has no preconditions. It skips destructors and
    // `atexit` handlers, which is intended: C stdio was flushed above and
    // Rust's stderr is unbuffered, so nothing printed is lost.
    unsafe { libc::_exit(TRAP_EXIT_STATUS) }
}

/// Called by generated code when a checked operation fails.
///
/// # Safety
/// `location` must be null or point at a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn lljit_rt_trap(kind: i32, location: *const c_char, a: i64, b: i64) -> ! {
    let what = match TrapKind::from_code(kind) {
        Some(k) => k.message(a, b),
        None => format!("unknown trap {kind}"),
    };
    let loc = if location.is_null() {
        None
    } else {
        Some(CStr::from_ptr(location).to_string_lossy().into_owned())
    };
    report_and_exit(&what, loc.as_deref())
}
