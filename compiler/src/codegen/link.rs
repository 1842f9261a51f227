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
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

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
    /// The symbol standing for JIT memory that holds `addr`, and `addr`'s
    /// offset in it (`None`: the address is compiled in as a number).
    fn named(&self, addr: usize) -> Option<(String, usize)> {
        let _ = addr;
        None
    }
}

/// The JIT's memory that compiled code refers to by name: each range (a
/// slot table, a function's profile words, a guard's counters) is an
/// absolute symbol that the JIT defines when it makes the range, so an
/// object file holds names, not this process's addresses, and the same
/// lowering in another run gives the same bits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddrNames {
    /// By first address: (length in bytes, symbol).
    ranges: BTreeMap<usize, (usize, String)>,
    /// How many ranges were named from each stem.
    used: HashMap<String, u32>,
    /// Each symbol's first address.
    by_name: HashMap<String, usize>,
}

impl AddrNames {
    /// Names the `len` bytes at `start` after `stem` (`stem`, then
    /// `stem.1`, `stem.2`, … for later ranges of the same stem); gives the
    /// symbol.
    pub fn add(&mut self, stem: &str, start: usize, len: usize) -> String {
        let n = self.used.entry(stem.to_string()).or_insert(0);
        let name = match *n {
            0 => stem.to_string(),
            k => format!("{stem}.{k}"),
        };
        *n += 1;
        // A range overlapping this one is memory freed since: forget it.
        let len = len.max(1);
        let stale: Vec<usize> = self
            .ranges
            .range(..start + len)
            .filter(|(&s, (l, _))| s + l > start)
            .map(|(&s, _)| s)
            .collect();
        for s in stale {
            self.remove(s);
        }
        self.ranges.insert(start, (len, name.clone()));
        self.by_name.insert(name.clone(), start);
        name
    }

    /// The range holding `addr`: its symbol and `addr`'s offset in it.
    pub fn find(&self, addr: usize) -> Option<(String, usize)> {
        let (&start, (len, name)) = self.ranges.range(..=addr).next_back()?;
        (addr - start < *len).then(|| (name.clone(), addr - start))
    }

    /// The first address of the range named `name`.
    pub fn address(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// Forgets the range at `start` (its memory is freed).
    pub fn remove(&mut self, start: usize) {
        if let Some((_, name)) = self.ranges.remove(&start) {
            self.by_name.remove(&name);
        }
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
    /// The JIT memory compiled code names.
    pub names: RefCell<AddrNames>,
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

    fn named(&self, addr: usize) -> Option<(String, usize)> {
        self.names.borrow().find(addr)
    }
}

#[cfg(test)]
mod tests {
    use super::AddrNames;

    #[test]
    fn ranges_are_found_by_any_address_inside() {
        let mut n = AddrNames::default();
        assert_eq!(n.add("lljit.slots", 1000, 80), "lljit.slots");
        assert_eq!(n.add("p", 2000, 16), "p");
        assert_eq!(n.add("p", 3000, 16), "p.1");
        assert_eq!(n.find(1000), Some(("lljit.slots".into(), 0)));
        assert_eq!(n.find(1079), Some(("lljit.slots".into(), 79)));
        assert_eq!(n.find(1080), None);
        assert_eq!(n.find(999), None);
        assert_eq!(n.find(3008), Some(("p.1".into(), 8)));
        assert_eq!(n.address("p.1"), Some(3000));
        n.remove(3000);
        assert_eq!(n.find(3008), None);
        assert_eq!(n.address("p.1"), None);
        // New memory where freed memory was replaces its name.
        n.add("q", 1040, 8);
        assert_eq!(n.find(1000), None);
        assert_eq!(n.find(1044), Some(("q".into(), 4)));
    }
}
