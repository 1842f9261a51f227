//! A session's C `stdout`: a stream that writes to file descriptor 1 as
//! glibc's own does, and remembers whether the program's output left a line
//! unfinished, so that what the session prints itself (a value, an error)
//! starts on a line of its own. Only output through C's `stdout` (`printf`,
//! `puts`, `putchar`) is seen; a direct `write(1, …)` is not.

use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, Ordering};

/// True when the last byte the program wrote through C's `stdout` was not
/// a newline (and no line was ended since).
static LINE_OPEN: AtomicBool = AtomicBool::new(false);

/// glibc's `cookie_io_functions_t`.
#[repr(C)]
struct CookieIo {
    read: Option<unsafe extern "C" fn(*mut c_void, *mut c_char, usize) -> isize>,
    write: Option<unsafe extern "C" fn(*mut c_void, *const c_char, usize) -> isize>,
    seek: Option<unsafe extern "C" fn(*mut c_void, *mut i64, c_int) -> c_int>,
    close: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
}

extern "C" {
    static mut stdout: *mut libc::FILE;
    fn fopencookie(cookie: *mut c_void, mode: *const c_char, io: CookieIo) -> *mut libc::FILE;
}

/// The stream's write: all of `buf` to file descriptor 1, noting its last
/// byte.
unsafe extern "C" fn write_out(_cookie: *mut c_void, buf: *const c_char, size: usize) -> isize {
    let mut done = 0;
    while done < size {
        let n = libc::write(1, buf.add(done) as *const c_void, size - done);
        if n > 0 {
            done += n as usize;
        } else if n < 0 && *libc::__errno_location() == libc::EINTR {
            continue;
        } else {
            break;
        }
    }
    if done > 0 {
        LINE_OPEN.store(*buf.add(done - 1) as u8 != b'\n', Ordering::Relaxed);
    }
    if done == 0 && size > 0 {
        -1
    } else {
        done as isize
    }
}

/// Makes C's `stdout` the tracking stream, buffered as glibc buffers its
/// own (by lines on a terminal, fully otherwise). Leaves `stdout` as it
/// was if the stream cannot be made.
pub fn install() {
    // SAFETY: called once, before any program code runs, on the only
    // thread that uses C stdio; glibc documents `stdout` as assignable.
    unsafe {
        libc::fflush(stdout);
        let io = CookieIo {
            read: None,
            write: Some(write_out),
            seek: None,
            close: None,
        };
        let f = fopencookie(std::ptr::null_mut(), c"w".as_ptr(), io);
        if f.is_null() {
            return;
        }
        let mode = if libc::isatty(1) == 1 {
            libc::_IOLBF
        } else {
            libc::_IOFBF
        };
        libc::setvbuf(f, std::ptr::null_mut(), mode, libc::BUFSIZ as usize);
        stdout = f;
    }
}

/// Ends the line the program's output left unfinished, if it did (C's
/// `stdout` must have been flushed). Async-signal-safe.
pub fn end_line() {
    if LINE_OPEN.swap(false, Ordering::Relaxed) {
        // SAFETY: a write of one constant byte.
        unsafe {
            libc::write(1, b"\n".as_ptr() as *const c_void, 1);
        }
    }
}
