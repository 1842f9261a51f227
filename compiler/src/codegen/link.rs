//! How lowered code reaches LC functions outside its own module: one
//! strategy per way code runs, chosen when a module is created, as
//! Cranelift's `Module` trait is shared by its JIT and object backends.
//! Ahead of time a function is a symbol the linker resolves ([`Symbols`]);
//! in the JIT a call loads the callee's slot and a function's value is its
//! entry stub, addresses fixed before any code is compiled ([`JitLinks`]).
//! A module's own definitions (the function, the copies of its callees, a
//! specialized callee's guard and body) come first whatever the strategy
//! (`ModuleLowering::define_as`).

use crate::tast::{FuncId, GlobalId};

/// Where lowered code finds an LC function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// By its symbol, `lc.<name>`, declared in the module.
    Symbol,
    /// Through a word holding the address of its current code (a slot).
    Slot(usize),
    /// At a fixed address.
    Fixed(usize),
}

/// A linking strategy: how calls and function addresses are emitted.
pub trait Links {
    /// Where a call to LC function `id` goes.
    fn call(&self, id: FuncId) -> Reach;
    /// What `id` is as a function-pointer value.
    fn value(&self, id: FuncId) -> Reach;
    /// Where global variable `gid` is: its symbol `lc.g.<name>` (defined
    /// in one module of the program), or a fixed address.
    fn global(&self, gid: GlobalId) -> Reach {
        let _ = gid;
        Reach::Symbol
    }
}

/// Ahead of time: every function is its symbol.
pub struct Symbols;

impl Links for Symbols {
    fn call(&self, _: FuncId) -> Reach {
        Reach::Symbol
    }

    fn value(&self, _: FuncId) -> Reach {
        Reach::Symbol
    }
}

/// Where the JIT keeps each function's slot and entry stub: fixed
/// addresses for the whole run, so lowered code refers to them as constants
/// (no symbols, nothing to link).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct JitLinks {
    /// Address of the slot table: function `id`'s slot is at `slots + 8 * id`.
    pub slots: usize,
    /// Address of the first entry stub.
    pub entries: usize,
    /// Distance between consecutive entry stubs.
    pub entry_stride: usize,
}

impl JitLinks {
    /// The address of function `id`'s slot.
    pub fn slot(&self, id: FuncId) -> usize {
        self.slots + 8 * id
    }

    /// The address of function `id`'s entry stub (its function-pointer value).
    pub fn entry(&self, id: FuncId) -> usize {
        self.entries + self.entry_stride * id
    }

    /// The function whose entry stub is at `addr`, if any (of `count`).
    pub fn func_at(&self, addr: usize, count: usize) -> Option<FuncId> {
        let off = addr.checked_sub(self.entries)?;
        let id = off / self.entry_stride;
        (off % self.entry_stride == 0 && id < count).then_some(id)
    }
}

/// The JIT: calls through slots, functions as entry stubs.
impl Links for JitLinks {
    fn call(&self, id: FuncId) -> Reach {
        Reach::Slot(self.slot(id))
    }

    fn value(&self, id: FuncId) -> Reach {
        Reach::Fixed(self.entry(id))
    }
}

/// The JIT's links plus, in an interactive session, the address of every
/// global variable: the session owns their storage, so each input's code
/// reaches the same variables however the program around them changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlacedLinks {
    pub jit: Option<JitLinks>,
    /// Address of each global by id; empty: globals are symbols.
    pub globals: Vec<usize>,
}

impl Links for PlacedLinks {
    fn call(&self, id: FuncId) -> Reach {
        self.jit.expect("JIT links").call(id)
    }

    fn value(&self, id: FuncId) -> Reach {
        self.jit.expect("JIT links").value(id)
    }

    fn global(&self, gid: GlobalId) -> Reach {
        match self.globals.get(gid) {
            Some(&addr) => Reach::Fixed(addr),
            None => Reach::Symbol,
        }
    }
}
