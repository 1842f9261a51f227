//! The JIT's per-function machine code, written without LLVM: a slot table
//! (each function's current code), lazy stubs (each slot's first value) and
//! entry stubs (each function's address as a value). Setting them up costs
//! a few dozen bytes and no compilation per function, so start-up does not
//! grow with code that never runs.
//!
//! x86-64 System V only. A lazy stub loads its function's [`LazyTarget`]
//! into `r10` and jumps to `lljit_lazy_resolver`, which saves the argument
//! registers, calls [`lljit_jit_resolve`] (compile, give the code's
//! address), restores them and jumps to the code: the callee sees exactly
//! the call its caller made. An entry stub jumps through its function's
//! slot, so a function pointer always reaches the current code.
//!
//! Each function also has a second slot, its *generic slot*: what a
//! specialization's guard runs on a miss (its tier-0 code, then its generic
//! optimized body once misses are frequent enough to be worth compiling
//! it).

use crate::codegen::{self, JitLinks};
use crate::tast::FuncId;
use std::sync::atomic::{AtomicUsize, Ordering};

#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
compile_error!("the JIT's stubs are written for x86-64 Linux");

/// Bytes per lazy stub.
const LAZY_STUB_SIZE: usize = 32;
/// Bytes per entry stub (the distance between function addresses).
pub const ENTRY_STUB_SIZE: usize = 16;

/// What a lazy stub asks for: function `id` of the JIT behind `home`.
#[repr(C)]
pub struct LazyTarget {
    /// Where the JIT serving the stubs is (set while a program runs).
    pub home: *const AtomicUsize,
    /// The LC function to compile.
    pub id: u32,
}

/// The slot table and the stubs of one JIT session.
pub struct Stubs {
    /// `slots[id]`: the address calls to function `id` go to;
    /// `slots[capacity + id]`: its generic slot.
    slots: Box<[AtomicUsize]>,
    /// What each lazy stub asks for (read by the resolver); never grows
    /// past its capacity, so entries never move.
    targets: Vec<LazyTarget>,
    home: *const AtomicUsize,
    /// Executable memory: the lazy stubs, then the entry stubs.
    code: *mut u8,
    code_len: usize,
    count: usize,
    capacity: usize,
}

std::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl lljit_lazy_resolver",
    ".hidden lljit_lazy_resolver",
    ".type lljit_lazy_resolver, @function",
    "lljit_lazy_resolver:",
    "push rbp",
    "mov rbp, rsp",
    // Every register a call may carry arguments in (rax: vector count of
    // variadic calls), then xmm0-7; 7 pushes + 136 bytes keep rsp aligned.
    "push rdi",
    "push rsi",
    "push rdx",
    "push rcx",
    "push r8",
    "push r9",
    "push rax",
    "sub rsp, 136",
    "movdqu [rsp], xmm0",
    "movdqu [rsp + 16], xmm1",
    "movdqu [rsp + 32], xmm2",
    "movdqu [rsp + 48], xmm3",
    "movdqu [rsp + 64], xmm4",
    "movdqu [rsp + 80], xmm5",
    "movdqu [rsp + 96], xmm6",
    "movdqu [rsp + 112], xmm7",
    "mov rdi, r10",
    "call {resolve}",
    "mov r11, rax",
    "movdqu xmm0, [rsp]",
    "movdqu xmm1, [rsp + 16]",
    "movdqu xmm2, [rsp + 32]",
    "movdqu xmm3, [rsp + 48]",
    "movdqu xmm4, [rsp + 64]",
    "movdqu xmm5, [rsp + 80]",
    "movdqu xmm6, [rsp + 96]",
    "movdqu xmm7, [rsp + 112]",
    "add rsp, 136",
    "pop rax",
    "pop r9",
    "pop r8",
    "pop rcx",
    "pop rdx",
    "pop rsi",
    "pop rdi",
    "pop rbp",
    "jmp r11",
    ".size lljit_lazy_resolver, . - lljit_lazy_resolver",
    resolve = sym super::lljit_jit_resolve,
);

extern "C" {
    fn lljit_lazy_resolver();
}

impl Stubs {
    /// Slots and stubs for `count` functions, with room to grow to
    /// `capacity` without moving any of them (addresses are baked into
    /// compiled code); every slot starts at its lazy stub. `home` is where
    /// the resolver finds the JIT.
    pub fn new(count: usize, capacity: usize, home: *const AtomicUsize) -> Result<Stubs, String> {
        let capacity = capacity.max(count);
        let page = 4096;
        let len = (capacity * (LAZY_STUB_SIZE + ENTRY_STUB_SIZE))
            .div_ceil(page)
            .max(1)
            * page;
        // SAFETY: a fresh private mapping, written before it is made executable.
        let code = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if code == libc::MAP_FAILED {
            return Err("cannot map memory for the JIT's stubs".into());
        }
        let mut stubs = Stubs {
            slots: (0..2 * capacity).map(|_| AtomicUsize::new(0)).collect(),
            targets: Vec::with_capacity(capacity),
            home,
            code: code as *mut u8,
            code_len: len,
            count: 0,
            capacity,
        };
        stubs.grow(count)?;
        Ok(stubs)
    }

    /// The number of functions with stubs.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Adds stubs for functions up to `count` (of at most the capacity).
    pub fn grow(&mut self, count: usize) -> Result<(), String> {
        if count <= self.count {
            return Ok(());
        }
        if count > self.capacity {
            return Err(format!(
                "the session has more than {} functions",
                self.capacity
            ));
        }
        // Only the pages of the new stubs change protection.
        let page = 4096;
        let lazy = (self.lazy_stub(self.count), self.lazy_stub(count));
        let entries = (self.entry(self.count), self.entry(count));
        let pages: Vec<(usize, usize)> = [lazy, entries]
            .iter()
            .map(|&(a, b)| (a / page * page, b.div_ceil(page) * page - a / page * page))
            .collect();
        let protect = |prot: i32| -> bool {
            pages.iter().all(|&(at, len)| {
                // SAFETY: pages inside the mapping made in `new`; no code
                // runs in them while it grows.
                unsafe { libc::mprotect(at as *mut _, len, prot) == 0 }
            })
        };
        if !protect(libc::PROT_READ | libc::PROT_WRITE) {
            return Err("cannot make the JIT's stubs writable".into());
        }
        let resolver = lljit_lazy_resolver as *const () as u64;
        for id in self.count..count {
            // Within the capacity reserved: the targets never move.
            self.targets.push(LazyTarget {
                home: self.home,
                id: id as u32,
            });
            let lazy = self.lazy_stub(id);
            let mut b = Vec::with_capacity(LAZY_STUB_SIZE);
            b.extend_from_slice(&[0x49, 0xBA]); // movabs r10, target
            b.extend_from_slice(&(&self.targets[id] as *const LazyTarget as u64).to_le_bytes());
            b.extend_from_slice(&[0x49, 0xBB]); // movabs r11, resolver
            b.extend_from_slice(&resolver.to_le_bytes());
            b.extend_from_slice(&[0x41, 0xFF, 0xE3]); // jmp r11
            b.resize(LAZY_STUB_SIZE, 0xCC);
            // SAFETY: the range lies inside the mapping.
            unsafe {
                std::ptr::copy_nonoverlapping(b.as_ptr(), lazy as *mut u8, LAZY_STUB_SIZE);
            }
            self.slots[id].store(lazy, Ordering::Relaxed);
            let mut e = Vec::with_capacity(ENTRY_STUB_SIZE);
            e.extend_from_slice(&[0x49, 0xBB]); // movabs r11, slot
            e.extend_from_slice(&(self.slot_addr(id) as u64).to_le_bytes());
            e.extend_from_slice(&[0x41, 0xFF, 0x23]); // jmp [r11]
            e.resize(ENTRY_STUB_SIZE, 0xCC);
            // SAFETY: the range lies inside the mapping.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    e.as_ptr(),
                    self.entry(id) as *mut u8,
                    ENTRY_STUB_SIZE,
                );
            }
        }
        self.count = count;
        if !protect(libc::PROT_READ | libc::PROT_EXEC) {
            return Err("cannot make the JIT's stubs executable".into());
        }
        Ok(())
    }

    /// Points function `id`'s slot and generic slot back at its lazy stub:
    /// its next call compiles it again.
    pub fn reset(&self, id: FuncId) {
        self.install(id, self.lazy_stub(id));
        self.install_generic(id, self.lazy_stub(id));
    }

    fn lazy_stub(&self, id: FuncId) -> usize {
        self.code as usize + id * LAZY_STUB_SIZE
    }

    /// The address of function `id`'s slot.
    pub fn slot_addr(&self, id: FuncId) -> usize {
        &self.slots[id] as *const AtomicUsize as usize
    }

    /// The address of function `id`'s generic slot.
    pub fn generic_slot_addr(&self, id: FuncId) -> usize {
        self.slot_addr(self.capacity + id)
    }

    /// Function `id`'s entry stub: its address as a function-pointer value.
    pub fn entry(&self, id: FuncId) -> usize {
        self.code as usize + self.capacity * LAZY_STUB_SIZE + id * ENTRY_STUB_SIZE
    }

    /// The address of what function `id`'s lazy stub asks for: the argument
    /// of the JIT's hooks for `id` (tier-up, guard miss).
    pub fn target_addr(&self, id: FuncId) -> usize {
        &self.targets[id] as *const LazyTarget as usize
    }

    /// Function `id`'s slot value: the address of its current code.
    pub fn current(&self, id: FuncId) -> usize {
        self.slots[id].load(Ordering::Acquire)
    }

    /// Function `id`'s generic slot value (what a guard's miss runs).
    pub fn current_generic(&self, id: FuncId) -> usize {
        self.slots[self.capacity + id].load(Ordering::Acquire)
    }

    /// The memory compiled code names: (symbol, first address, bytes) of
    /// the slot table, the generic slots, the entry stubs and the lazy
    /// targets, each for the whole capacity.
    pub fn named_ranges(&self) -> [(&'static str, usize, usize); 4] {
        let words = self.capacity * std::mem::size_of::<AtomicUsize>();
        [
            (codegen::SLOTS_SYMBOL, self.slots.as_ptr() as usize, words),
            (
                codegen::GENERIC_SLOTS_SYMBOL,
                self.slots[self.capacity..].as_ptr() as usize,
                words,
            ),
            (
                codegen::ENTRIES_SYMBOL,
                self.entry(0),
                self.capacity * ENTRY_STUB_SIZE,
            ),
            (
                codegen::TARGETS_SYMBOL,
                self.targets.as_ptr() as usize,
                self.capacity * std::mem::size_of::<LazyTarget>(),
            ),
        ]
    }

    /// Where lowered code finds slots and entry stubs.
    pub fn links(&self) -> JitLinks {
        JitLinks {
            slots: self.slot_addr(0),
            entries: self.entry(0),
            entry_stride: ENTRY_STUB_SIZE,
        }
    }

    /// Points function `id`'s slot at `code`: every later call goes there.
    pub fn install(&self, id: FuncId, code: usize) {
        self.slots[id].store(code, Ordering::Release);
    }

    /// Points function `id`'s generic slot at `code` (what its guards run
    /// on a miss).
    pub fn install_generic(&self, id: FuncId, code: usize) {
        self.slots[self.capacity + id].store(code, Ordering::Release);
    }
}

impl Drop for Stubs {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`; no code runs in it any more.
        unsafe {
            libc::munmap(self.code as *mut _, self.code_len);
        }
    }
}
