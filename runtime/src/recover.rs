//! Recovery points: how a runtime error or an interrupt inside code run by
//! an interactive session returns to the session instead of ending the
//! process. [`call_recoverable`] saves the callee-saved registers and the
//! signal mask, as `sigsetjmp` does, and runs the code; while it runs,
//! [`recover`] (from a trap report, a fault handler or an interrupt
//! handler) restores them and makes `call_recoverable` return the given
//! code. Frames skipped that way are LC code and runtime entry points that
//! own nothing. The recovery point is process state because signal
//! handlers must find it; it is set only while a session runs an input.

use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
compile_error!("recovery points are written for x86-64 Linux");

/// Saved registers: rbx, rbp, r12-r15, the stack pointer after the
/// return, and the return address.
#[repr(C)]
struct Context {
    regs: [usize; 8],
    mask: libc::sigset_t,
}

static POINT: AtomicPtr<Context> = AtomicPtr::new(std::ptr::null_mut());
/// The point set aside by [`suspended`].
static SUSPENDED: AtomicPtr<Context> = AtomicPtr::new(std::ptr::null_mut());
/// Interrupts asked for and not taken yet (the code was somewhere it
/// could not be stopped).
static INTERRUPTS: AtomicUsize = AtomicUsize::new(0);

std::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl lljit_rt_recoverable_call",
    ".hidden lljit_rt_recoverable_call",
    ".type lljit_rt_recoverable_call, @function",
    // rdi: the code to run (`void (*)(void)`), rsi: the context.
    "lljit_rt_recoverable_call:",
    "mov [rsi], rbx",
    "mov [rsi + 8], rbp",
    "mov [rsi + 16], r12",
    "mov [rsi + 24], r13",
    "mov [rsi + 32], r14",
    "mov [rsi + 40], r15",
    "lea rax, [rsp + 8]",
    "mov [rsi + 48], rax",
    "mov rax, [rsp]",
    "mov [rsi + 56], rax",
    "sub rsp, 8",
    "call rdi",
    "add rsp, 8",
    "xor eax, eax",
    "ret",
    ".size lljit_rt_recoverable_call, . - lljit_rt_recoverable_call",
    ".globl lljit_rt_resume",
    ".hidden lljit_rt_resume",
    ".type lljit_rt_resume, @function",
    // rdi: the context, esi: the code `lljit_rt_recoverable_call` returns.
    "lljit_rt_resume:",
    "mov rbx, [rdi]",
    "mov rbp, [rdi + 8]",
    "mov r12, [rdi + 16]",
    "mov r13, [rdi + 24]",
    "mov r14, [rdi + 32]",
    "mov r15, [rdi + 40]",
    "mov rsp, [rdi + 48]",
    "mov eax, esi",
    "jmp qword ptr [rdi + 56]",
    ".size lljit_rt_resume, . - lljit_rt_resume",
);

extern "C" {
    fn lljit_rt_recoverable_call(code: extern "C" fn(), ctx: *mut Context) -> i32;
    fn lljit_rt_resume(ctx: *const Context, code: i32) -> !;
}

/// How code run by [`call_recoverable`] ended early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// A runtime error was reported (its message is already printed).
    Error = 1,
    /// An interrupt (Ctrl-C).
    Interrupt = 2,
}

/// Runs `code` with a recovery point set: gives `Err` when [`recover`] was
/// called while it ran. Not reentrant: `code` must not call it again.
pub fn call_recoverable(code: extern "C" fn()) -> Result<(), Stop> {
    let mut ctx = Box::new(Context {
        regs: [0; 8],
        // SAFETY: a plain C struct; filled in below.
        mask: unsafe { std::mem::zeroed() },
    });
    // SAFETY: reading this thread's signal mask into owned storage.
    unsafe {
        libc::pthread_sigmask(libc::SIG_SETMASK, std::ptr::null(), &mut ctx.mask);
    }
    let p: *mut Context = &mut *ctx;
    let previous = POINT.swap(p, Ordering::AcqRel);
    // SAFETY: `ctx` outlives the call; `recover` only jumps to it while
    // `POINT` holds it, which is until the call returns.
    let r = unsafe { lljit_rt_recoverable_call(code, p) };
    POINT.store(previous, Ordering::Release);
    drop(ctx);
    match r {
        0 => Ok(()),
        2 => Err(Stop::Interrupt),
        _ => Err(Stop::Error),
    }
}

/// True while code runs with a recovery point.
pub fn active() -> bool {
    !POINT.load(Ordering::Acquire).is_null()
}

/// Runs `f` with no recovery point (what the JIT does while it compiles:
/// a fault there is a compiler bug, not a runtime error of the input).
pub fn suspended<R>(f: impl FnOnce() -> R) -> R {
    let saved = POINT.swap(std::ptr::null_mut(), Ordering::AcqRel);
    let outer = SUSPENDED.swap(saved, Ordering::AcqRel);
    let r = f();
    SUSPENDED.store(outer, Ordering::Release);
    POINT.store(saved, Ordering::Release);
    r
}

/// True while code runs with a recovery point, even if suspended.
pub fn running() -> bool {
    active() || !SUSPENDED.load(Ordering::Acquire).is_null()
}

/// Returns to the active recovery point with `stop`, restoring the signal
/// mask it was set with; does nothing when none is set. Async-signal-safe.
pub fn recover(stop: Stop) {
    let p = POINT.load(Ordering::Acquire);
    if p.is_null() {
        return;
    }
    // SAFETY: `p` is the live context of a running `call_recoverable`.
    unsafe {
        libc::pthread_sigmask(libc::SIG_SETMASK, &(*p).mask, std::ptr::null_mut());
        lljit_rt_resume(p, stop as i32)
    }
}

/// Counts one more interrupt asked for; gives how many are pending now.
/// Async-signal-safe.
pub fn request_interrupt() -> usize {
    INTERRUPTS.fetch_add(1, Ordering::AcqRel) + 1
}

/// How many interrupts are pending. Async-signal-safe.
pub fn interrupts_pending() -> usize {
    INTERRUPTS.load(Ordering::Acquire)
}

/// Forgets the pending interrupts; true when there were any.
/// Async-signal-safe.
pub fn take_interrupts() -> bool {
    INTERRUPTS.swap(0, Ordering::AcqRel) > 0
}

/// A safe point: the JIT calls it when it returns into compiled code after
/// compiling, with nothing of its own left to finish. A pending interrupt
/// is taken here (returning to the recovery point, as in compiled code);
/// otherwise, or with no recovery point, nothing happens.
pub fn safe_point() {
    if active() && take_interrupts() {
        recover(Stop::Interrupt);
    }
}
