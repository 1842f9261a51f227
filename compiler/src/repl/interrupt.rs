//! Ctrl-C while an input runs: returns to the prompt, at a moment when the
//! input is in its own compiled code. Code of any loaded object (libc, the
//! runtime, the JIT compiling) may hold locks or be half way through
//! changing the session, so an interrupt that arrives there is kept
//! pending ([`recover::request_interrupt`]) and taken as soon as the input
//! is back in its own code: at a check every millisecond (`SIGALRM`) that
//! finds it in JIT-compiled code, when the JIT returns into compiled code
//! after compiling ([`recover::safe_point`]), or, at the latest, when the
//! input ends ([`arrived_late`]). An input waiting inside a C function (a
//! sleep, a read) may never come back to its own code: a second Ctrl-C
//! stops it wherever it is. With no input running, Ctrl-C ends the process
//! as usual.

use lljit_runtime::recover::{self, Stop};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The executable segments of the loaded objects, as (start, end) pairs,
/// read once at start-up (a session loads no objects later).
static RANGES: AtomicUsize = AtomicUsize::new(0);
static RANGES_LEN: AtomicUsize = AtomicUsize::new(0);

/// The `dl_iterate_phdr` callback of [`install`]: adds the executable
/// `PT_LOAD` segments of one loaded object to the `Vec` behind `data`.
///
/// # Safety
/// Only `dl_iterate_phdr` calls it, with `info` pointing at a valid
/// `dl_phdr_info` whose `dlpi_phdr` has `dlpi_phnum` entries, and with the
/// `data` that [`install`] passed: a `Vec<(usize, usize)>` nothing else
/// uses during the iteration.
unsafe extern "C" fn collect(
    info: *mut libc::dl_phdr_info,
    _size: libc::size_t,
    data: *mut libc::c_void,
) -> libc::c_int {
    let ranges = &mut *(data as *mut Vec<(usize, usize)>);
    let info = &*info;
    for i in 0..info.dlpi_phnum as usize {
        let ph = &*info.dlpi_phdr.add(i);
        if ph.p_type == libc::PT_LOAD && ph.p_flags & libc::PF_X != 0 {
            let start = info.dlpi_addr as usize + ph.p_vaddr as usize;
            ranges.push((start, start + ph.p_memsz as usize));
        }
    }
    0
}

/// Installs the handlers (once, before the first input runs).
pub fn install() {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    // SAFETY: the callback only reads what glibc hands it.
    unsafe {
        libc::dl_iterate_phdr(Some(collect), &mut ranges as *mut _ as *mut libc::c_void);
    }
    let ranges: &'static [(usize, usize)] = Box::leak(ranges.into_boxed_slice());
    RANGES_LEN.store(ranges.len(), Ordering::Relaxed);
    RANGES.store(ranges.as_ptr() as usize, Ordering::Release);
    // SAFETY: installing handlers that only do async-signal-safe work.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_signal as *const () as usize;
        sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_RESTART;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(libc::SIGINT, &sa, std::ptr::null_mut());
        libc::sigaction(libc::SIGALRM, &sa, std::ptr::null_mut());
    }
}

fn in_loaded_object(pc: usize) -> bool {
    let p = RANGES.load(Ordering::Acquire) as *const (usize, usize);
    let n = RANGES_LEN.load(Ordering::Relaxed);
    if p.is_null() {
        return true;
    }
    // SAFETY: a leaked slice of `n` pairs.
    let ranges = unsafe { std::slice::from_raw_parts(p, n) };
    ranges.iter().any(|&(lo, hi)| lo <= pc && pc < hi)
}

fn arm_timer(us: i64) {
    let t = libc::itimerval {
        it_interval: libc::timeval {
            tv_sec: 0,
            tv_usec: 0,
        },
        it_value: libc::timeval {
            tv_sec: 0,
            tv_usec: us,
        },
    };
    // SAFETY: async-signal-safe.
    unsafe {
        libc::setitimer(libc::ITIMER_REAL, &t, std::ptr::null_mut());
    }
}

/// True when an interrupt arrived while the input ran and it ended before
/// the interrupt could be taken; forgets it. The input then counts as
/// interrupted.
pub fn arrived_late() -> bool {
    arm_timer(0);
    recover::take_interrupts()
}

extern "C" fn on_signal(sig: i32, _info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    if !recover::running() {
        if sig == libc::SIGINT {
            // No input running: what Ctrl-C does by default.
            // SAFETY: async-signal-safe.
            unsafe {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                libc::raise(libc::SIGINT);
            }
        }
        return;
    }
    let pending = if sig == libc::SIGINT {
        recover::request_interrupt()
    } else {
        recover::interrupts_pending()
    };
    if pending == 0 {
        return;
    }
    // SAFETY: the kernel passes a `ucontext_t` to an SA_SIGINFO handler.
    let pc = unsafe {
        (*(ctx as *const libc::ucontext_t)).uc_mcontext.gregs[libc::REG_RIP as usize] as usize
    };
    let forced = pending >= 2;
    if recover::active() && (forced || !in_loaded_object(pc)) {
        recover::take_interrupts();
        arm_timer(0);
        recover::recover(Stop::Interrupt);
    }
    arm_timer(1000);
}
