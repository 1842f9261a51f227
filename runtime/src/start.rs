//! Program start: runs an LC program's entry on its own thread with a guarded
//! stack and installs the handlers that turn stack overflow and bad memory
//! accesses into runtime errors.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Usable stack of the program thread (like a C program's default 8 MiB).
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
    unsafe {
        extern "C" {
            static mut stdout: *mut libc::FILE;
        }
        libc::fflush(stdout);
        libc::write(2, buf.as_ptr() as *const libc::c_void, n);
        libc::_exit(crate::trap::TRAP_EXIT_STATUS);
    }
}

struct StartArgs {
    entry: Entry,
    argc: i32,
    argv: *mut *mut u8,
}

extern "C" fn program_thread(arg: *mut libc::c_void) -> *mut libc::c_void {
    let args = unsafe { Box::from_raw(arg as *mut StartArgs) };
    unsafe {
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
    let status = (args.entry)(args.argc, args.argv);
    status as isize as *mut libc::c_void
}

/// A running program thread.
pub struct ProgramThread {
    thread: libc::pthread_t,
}

/// Starts `entry(argc, argv)` on a new thread with a guarded 8 MiB stack.
/// Returns `None` when the stack or thread cannot be created.
pub fn spawn_program(entry: Entry, argc: i32, argv: *mut *mut u8) -> Option<ProgramThread> {
    install_signal_handlers();
    unsafe {
        let total = PROGRAM_STACK_SIZE + GUARD_SIZE;
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
        libc::mprotect(base, GUARD_SIZE, libc::PROT_NONE);
        GUARD_LO.store(base as usize, Ordering::Relaxed);
        GUARD_HI.store(base as usize + GUARD_SIZE, Ordering::Relaxed);
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        libc::pthread_attr_init(&mut attr);
        libc::pthread_attr_setstack(
            &mut attr,
            (base as *mut u8).add(GUARD_SIZE) as *mut libc::c_void,
            PROGRAM_STACK_SIZE,
        );
        let args = Box::into_raw(Box::new(StartArgs { entry, argc, argv }));
        let mut thread: libc::pthread_t = std::mem::zeroed();
        let rc = libc::pthread_create(
            &mut thread,
            &attr,
            program_thread,
            args as *mut libc::c_void,
        );
        libc::pthread_attr_destroy(&mut attr);
        if rc != 0 {
            drop(Box::from_raw(args));
            return None;
        }
        Some(ProgramThread { thread })
    }
}

impl ProgramThread {
    /// Waits for the program's entry to return; gives its exit status.
    pub fn join(self) -> i32 {
        let mut ret: *mut libc::c_void = std::ptr::null_mut();
        unsafe {
            libc::pthread_join(self.thread, &mut ret);
        }
        ret as isize as i32
    }
}

/// Flushes every C stdio stream (what returning from C's `main` does).
pub fn flush_stdio() {
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
    match spawn_program(entry, argc, argv) {
        Some(t) => {
            let status = t.join();
            flush_stdio();
            status
        }
        None => {
            eprintln!("lljit: cannot create the program thread");
            1
        }
    }
}
