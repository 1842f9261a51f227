//! Program start: runs an LC program's entry on a guarded stack of its own
//! (on the calling thread) and installs the handlers that turn stack overflow and bad memory
//! accesses into runtime errors.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Usable size of the program stack (like a C program's default 8 MiB).
pub const PROGRAM_STACK_SIZE: usize = 8 << 20;
/// Inaccessible guard below the program stack. Generated code probes every
/// page of large frames, so an overflow always lands here.
pub const GUARD_SIZE: usize = 64 << 10;
const ALT_STACK_SIZE: usize = 64 << 10;

static GUARD_LO: AtomicUsize = AtomicUsize::new(0);
static GUARD_HI: AtomicUsize = AtomicUsize::new(0);

/// The C signature of a program entry: `int32_t entry(int32_t argc, char **argv)`.
pub type Entry = extern "C" fn(i32, *mut *mut u8) -> i32;

/// Installs SIGSEGV/SIGBUS handlers that report runtime errors. Idempotent.
pub fn install_signal_handlers() {
    // SAFETY: an all-zero `sigaction` is a valid value of this plain C
    // struct, and every field the kernel reads is set below; `on_fault` has
    // the three-argument signature that `SA_SIGINFO` makes the kernel call;
    // `sa` outlives both calls, and a null `oldact` is allowed.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_fault as *const () as usize;
        sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(libc::SIGSEGV, &sa, std::ptr::null_mut());
        libc::sigaction(libc::SIGBUS, &sa, std::ptr::null_mut());
    }
}

extern "C" fn on_fault(_sig: i32, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes an `SA_SIGINFO` handler a valid `siginfo_t`,
    // and for SIGSEGV and SIGBUS (the only signals it is installed for)
    // `si_addr` is the member it filled in: the faulting address.
    let addr = unsafe { (*info).si_addr() } as usize;
    let lo = GUARD_LO.load(Ordering::Relaxed);
    let hi = GUARD_HI.load(Ordering::Relaxed);
    // Only async-signal-safe work from here on: format into a stack buffer.
    let mut buf = [0u8; 96];
    let mut n = 0;
    let mut put = |s: &[u8]| {
        for &b in s {
            if n < buf.len() {
                buf[n] = b;
                n += 1;
            }
        }
    };
    put(b"runtime error: ");
    if lo != 0 && addr >= lo && addr < hi {
        put(b"stack overflow\n");
    } else {
        put(b"invalid memory access at address 0x");
        let mut digits = [0u8; 16];
        let mut k = 0;
        let mut v = addr;
        loop {
            digits[k] = b"0123456789abcdef"[v & 15];
            k += 1;
            v >>= 4;
            if v == 0 {
                break;
            }
        }
        while k > 0 {
            k -= 1;
            put(&digits[k..k + 1]);
        }
        put(b"\n");
    }
    // SAFETY: `stdout` is glibc's stream, set before `main`, never closed;
    // `buf` holds `n` written bytes. `write` and `_exit` are
    // async-signal-safe; `fflush` is not (a fault inside stdio holding the
    // stream's lock would hang here), a risk taken so that the program's
    // output comes before the message. `recover` jumps only to the recovery
    // point of a running `call_recoverable`, whose frame is still live.
    unsafe {
        extern "C" {
            static mut stdout: *mut libc::FILE;
        }
        libc::fflush(stdout);
        crate::session_stdout::end_line();
        libc::write(2, buf.as_ptr() as *const libc::c_void, n);
        crate::recover::recover(crate::recover::Stop::Error);
        libc::_exit(crate::trap::TRAP_EXIT_STATUS);
    }
}

/// A stack of our own: `size` usable bytes above an inaccessible guard.
/// Code runs on it on the *current* thread ([`GuardedStack::run`]), so a
/// program never makes the process multi-threaded (glibc's allocator is
/// about twice as slow once a second thread exists).
pub struct GuardedStack {
    base: *mut u8,
    size: usize,
    guard: usize,
}

impl GuardedStack {
    /// Reserves the stack (pages are committed only when touched).
    pub fn new(size: usize, guard: usize) -> Option<GuardedStack> {
        // SAFETY: a fresh anonymous mapping at an address the kernel
        // chooses, so nothing else is mapped there; the failure value is
        // checked before use. `mprotect` changes only the first `guard`
        // bytes of that mapping, which nothing has been handed yet.
        unsafe {
            let total = size + guard;
            let base = libc::mmap(
                std::ptr::null_mut(),
                total,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_STACK,
                -1,
                0,
            );
            if base == libc::MAP_FAILED {
                return None;
            }
            libc::mprotect(base, guard, libc::PROT_NONE);
            Some(GuardedStack {
                base: base as *mut u8,
                size,
                guard,
            })
        }
    }

    /// The guard's address range.
    pub fn guard_range(&self) -> (usize, usize) {
        (self.base as usize, self.base as usize + self.guard)
    }

    /// Runs `f` on this stack, on the current thread. A panic inside `f`
    /// aborts the process (it cannot unwind across the stack switch).
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        let f = std::panic::AssertUnwindSafe(f);
        // SAFETY: `base + guard` is page-aligned (every guard is whole
        // pages), the `size` bytes above it are the mapping's writable part
        // (kept while `self` lives; sizes are multiples of 16), and unused:
        // each stack's one user (front end, compile hook, program) never
        // calls `run` on it again from inside `f`. The callback never
        // unwinds (a panic aborts) and returns normally: a trap exits, or
        // jumps to a recovery point set inside `f`, on this stack.
        unsafe {
            psm::on_stack(self.base.add(self.guard), self.size, move || {
                match std::panic::catch_unwind(f) {
                    Ok(r) => r,
                    Err(_) => std::process::abort(),
                }
            })
        }
    }
}

fn install_alt_stack() {
    // SAFETY: an all-zero `stack_t` is valid, and the first call only
    // writes the current alternate stack into `old`. The new alternate stack
    // is a fresh anonymous mapping of `ALT_STACK_SIZE` bytes, checked
    // against the failure value and never unmapped, so it stays valid for
    // as long as the kernel may run a handler on it.
    unsafe {
        let mut old: libc::stack_t = std::mem::zeroed();
        libc::sigaltstack(std::ptr::null(), &mut old);
        if old.ss_flags & libc::SS_DISABLE == 0 && old.ss_size >= ALT_STACK_SIZE {
            return;
        }
        let alt = libc::mmap(
            std::ptr::null_mut(),
            ALT_STACK_SIZE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        if alt != libc::MAP_FAILED {
            let ss = libc::stack_t {
                ss_sp: alt,
                ss_flags: 0,
                ss_size: ALT_STACK_SIZE,
            };
            libc::sigaltstack(&ss, std::ptr::null_mut());
        }
    }
}

/// Runs `entry(argc, argv)` on a guarded 8 MiB stack on the current thread,
/// with the fault handlers installed, and gives its exit status. Returns
/// `None` when the stack cannot be reserved.
pub fn run_program(entry: Entry, argc: i32, argv: *mut *mut u8) -> Option<i32> {
    install_signal_handlers();
    // The program starts with the default disposition of SIGPIPE, as a C
    // program does: Rust's start-up code ignores it, which would leave a
    // program writing into a closed pipe running with write errors.
    // SAFETY: restoring a signal's default disposition touches no memory of
    // ours, and no handler of ours is replaced (SIGPIPE has none).
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    install_alt_stack();
    let stack = GuardedStack::new(PROGRAM_STACK_SIZE, GUARD_SIZE)?;
    let (lo, hi) = stack.guard_range();
    GUARD_LO.store(lo, Ordering::Relaxed);
    GUARD_HI.store(hi, Ordering::Relaxed);
    Some(stack.run(|| entry(argc, argv)))
}

/// A session's program stack: code runs on it with the fault handlers
/// installed and a recovery point set, so a runtime error, a stack
/// overflow or an interrupt returns here ([`crate::recover`]).
pub struct SessionStack {
    stack: GuardedStack,
}

impl SessionStack {
    /// Reserves an 8 MiB guarded stack; `None` when it cannot be reserved.
    pub fn new() -> Option<SessionStack> {
        install_signal_handlers();
        install_alt_stack();
        Some(SessionStack {
            stack: GuardedStack::new(PROGRAM_STACK_SIZE, GUARD_SIZE)?,
        })
    }

    /// Runs `code` on the stack; `Err` says how it stopped early.
    pub fn run(&self, code: extern "C" fn()) -> Result<(), crate::recover::Stop> {
        let (lo, hi) = self.stack.guard_range();
        GUARD_LO.store(lo, Ordering::Relaxed);
        GUARD_HI.store(hi, Ordering::Relaxed);
        let r = self.stack.run(|| crate::recover::call_recoverable(code));
        flush_stdio();
        r
    }
}

/// Frames at least this large check on entry that they fit in the stack
/// ([`lljit_rt_check_frame`]); smaller ones rely on the guard alone.
pub const LARGE_FRAME: u64 = 64 << 10;

/// Called on entry to a function whose locals take at least
/// [`LARGE_FRAME`] bytes: reports `stack overflow` unless `bytes` more fit
/// on the program stack. So such a function overflows (or not) in every
/// mode alike, whether or not the optimizer keeps its unused locals.
#[no_mangle]
pub extern "C" fn lljit_rt_check_frame(bytes: i64) {
    let lowest = GUARD_HI.load(Ordering::Relaxed);
    let here = &bytes as *const i64 as usize;
    if lowest != 0 && (here < lowest || ((here - lowest) as u64) < bytes as u64) {
        crate::trap::report_and_exit("stack overflow", None);
    }
}

/// Why a stack of `size` bytes for `what` could not be reserved, with the
/// system's reason (call right after [`GuardedStack::new`] failed): an
/// environment failure (`ulimit -v`, memory), never a bug.
pub fn reserve_error(what: &str, size: usize) -> String {
    format!(
        "cannot reserve {what} ({} MiB of address space): {}",
        size >> 20,
        std::io::Error::last_os_error()
    )
}

/// Flushes every C stdio stream (what returning from C's `main` does).
pub fn flush_stdio() {
    // SAFETY: `fflush(NULL)` is defined to flush every open output stream;
    // no pointer of ours is passed.
    unsafe {
        libc::fflush(std::ptr::null_mut());
    }
}

/// The C `main` of an ahead-of-time compiled program calls this with its
/// entry: the program runs exactly as under the JIT.
///
/// # Safety
/// `argv` must hold `argc` valid C strings.
#[no_mangle]
pub unsafe extern "C" fn lljit_rt_aot_main(argc: i32, argv: *mut *mut u8, entry: Entry) -> i32 {
    match run_program(entry, argc, argv) {
        Some(status) => {
            flush_stdio();
            status
        }
        None => {
            eprintln!(
                "error: {}",
                reserve_error("the program's stack", PROGRAM_STACK_SIZE)
            );
            1
        }
    }
}
