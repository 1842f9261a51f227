//! Profile memory the JIT owns: per function, one block of words at a
//! fixed address that its profiling code writes (calls, back edges, each
//! parameter's value profile, each site's record), and per specialization a
//! guard block (calls, misses, the missed values). Blocks are allocated when
//! a function is first compiled and never freed while code runs, since
//! compiled code holds their addresses.

use crate::codegen::{Counters, TierUp};
use crate::tast::{Func, SiteId, SiteKind};
use crate::types::Ty;
use lljit_runtime::profile::{BranchRecord, LoopRecord, TargetProfile, ValueProfile};
use std::sync::atomic::{AtomicU64, Ordering};

const VALUE_WORDS: usize = std::mem::size_of::<ValueProfile>() / 8;
const TARGET_WORDS: usize = std::mem::size_of::<TargetProfile>() / 8;
const BRANCH_WORDS: usize = std::mem::size_of::<BranchRecord>() / 8;
const LOOP_WORDS: usize = std::mem::size_of::<LoopRecord>() / 8;

/// Words written by compiled code. (One thread: the program is suspended
/// whenever the JIT reads them.)
struct Words(Box<[AtomicU64]>);

impl Words {
    fn new(n: usize) -> Words {
        Words((0..n).map(|_| AtomicU64::new(0)).collect())
    }

    fn addr(&self, w: usize) -> usize {
        &self.0[w] as *const AtomicU64 as usize
    }

    fn get(&self, w: usize) -> u64 {
        self.0[w].load(Ordering::Relaxed)
    }

    fn set(&self, w: usize, v: u64) {
        self.0[w].store(v, Ordering::Relaxed)
    }

    fn read<T: Copy>(&self, w: usize) -> T {
        assert!(w + std::mem::size_of::<T>() / 8 <= self.0.len());
        // SAFETY: in bounds (checked above); the words hold a `T` written
        // by compiled code or zero, valid for these plain-integer records.
        unsafe { std::ptr::read(self.addr(w) as *const T) }
    }

    /// The first address and the length in bytes.
    fn memory(&self) -> (usize, usize) {
        (self.0.as_ptr() as usize, self.0.len() * 8)
    }

    fn clear(&self, w: usize, n: usize) {
        for i in w..w + n {
            self.set(i, 0);
        }
    }
}

/// True for the parameter types that get a value profile.
pub fn profiled(ty: &Ty) -> bool {
    matches!(ty, Ty::Int(_) | Ty::Bool | Ty::Ptr(_) | Ty::Fn(_))
}

/// Lays out a value profile for each profiled parameter from word `*n` on;
/// gives each one's first word.
fn value_profiles(params: &[Ty], n: &mut usize) -> Vec<Option<usize>> {
    params
        .iter()
        .map(|t| {
            profiled(t).then(|| {
                *n += VALUE_WORDS;
                *n - VALUE_WORDS
            })
        })
        .collect()
}

/// One function's profile.
pub struct FuncProfile {
    words: Words,
    params: Vec<Option<usize>>,
    sites: Vec<usize>,
}

const CALLS: usize = 0;
const BACK_EDGES: usize = 1;

impl FuncProfile {
    /// An empty profile laid out for `f`.
    pub fn new(f: &Func) -> FuncProfile {
        let mut n = 2;
        let params = value_profiles(&f.params, &mut n);
        let sites = f
            .sites
            .iter()
            .map(|k| {
                let w = match k {
                    SiteKind::Branch => BRANCH_WORDS,
                    SiteKind::Loop => LOOP_WORDS,
                    SiteKind::IndirectCall => TARGET_WORDS,
                };
                n += w;
                n - w
            })
            .collect();
        FuncProfile {
            words: Words::new(n),
            params,
            sites,
        }
    }

    /// Its words: the first address and the length in bytes.
    pub fn memory(&self) -> (usize, usize) {
        self.words.memory()
    }

    /// Every word, in order (what a warm start records).
    pub fn words(&self) -> Vec<u64> {
        (0..self.words.0.len()).map(|w| self.words.get(w)).collect()
    }

    /// A profile of `f` holding `words` (as [`Self::words`] gave them);
    /// `None` when they do not fit `f`'s layout.
    pub fn with_words(f: &Func, words: &[u64]) -> Option<FuncProfile> {
        let p = FuncProfile::new(f);
        if words.len() != p.words.0.len() {
            return None;
        }
        for (i, &w) in words.iter().enumerate() {
            p.words.set(i, w);
        }
        Some(p)
    }

    /// Addresses for profiling code.
    pub fn counters(&self, tier_up: TierUp) -> Counters {
        Counters {
            calls: self.words.addr(CALLS),
            back_edges: self.words.addr(BACK_EDGES),
            params: self
                .params
                .iter()
                .map(|p| p.map(|w| self.words.addr(w)))
                .collect(),
            sites: self.sites.iter().map(|&w| self.words.addr(w)).collect(),
            tier_up,
        }
    }

    /// Calls recorded.
    pub fn calls(&self) -> u64 {
        self.words.get(CALLS)
    }

    /// Back edges recorded (by calls that have returned).
    pub fn back_edges(&self) -> u64 {
        self.words.get(BACK_EDGES)
    }

    /// Parameter `i`'s value profile, if it has one.
    pub fn value(&self, i: usize) -> Option<ValueProfile> {
        self.params[i].map(|w| self.words.read(w))
    }

    /// `(taken, not taken)` of a branch or loop site (by returned calls).
    pub fn branch(&self, site: SiteId) -> (u64, u64) {
        // A loop's record begins as a branch's does.
        let r: BranchRecord = self.words.read(self.sites[site as usize]);
        (r.taken, r.not_taken)
    }

    /// An indirect-call site's targets.
    pub fn targets(&self, site: SiteId) -> TargetProfile {
        self.words.read(self.sites[site as usize])
    }
}

/// The counters of one specialization's guard.
pub struct GuardBlock {
    words: Words,
    params: Vec<Option<usize>>,
}

impl GuardBlock {
    /// A zeroed block for a function with these parameters.
    pub fn new(params: &[Ty]) -> GuardBlock {
        let mut n = 2;
        let params = value_profiles(params, &mut n);
        GuardBlock {
            words: Words::new(n),
            params,
        }
    }

    /// Its words: the first address and the length in bytes.
    pub fn memory(&self) -> (usize, usize) {
        self.words.memory()
    }

    /// Address of the entry counter.
    pub fn calls_addr(&self) -> usize {
        self.words.addr(0)
    }

    /// Address of the miss counter.
    pub fn misses_addr(&self) -> usize {
        self.words.addr(1)
    }

    /// Per parameter, where a miss records its value.
    pub fn profile_addrs(&self) -> Vec<Option<usize>> {
        self.params
            .iter()
            .map(|p| p.map(|w| self.words.addr(w)))
            .collect()
    }

    /// Guarded calls since the window began.
    pub fn calls(&self) -> u64 {
        self.words.get(0)
    }

    /// Misses since the window began.
    pub fn misses(&self) -> u64 {
        self.words.get(1)
    }

    /// The values of parameter `i` on misses.
    pub fn missed(&self, i: usize) -> Option<ValueProfile> {
        self.params[i].map(|w| self.words.read(w))
    }

    /// Starts a new window: counts and missed values from zero.
    pub fn restart(&self) {
        self.words.clear(0, self.words.0.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_laid_out_without_overlap() {
        assert_eq!(VALUE_WORDS * 8, std::mem::size_of::<ValueProfile>());
        assert_eq!(TARGET_WORDS * 8, std::mem::size_of::<TargetProfile>());
        // `branch` reads a loop's record as a branch's.
        use std::mem::offset_of;
        assert_eq!(
            offset_of!(LoopRecord, back_edges),
            offset_of!(BranchRecord, taken)
        );
        assert_eq!(
            offset_of!(LoopRecord, entries),
            offset_of!(BranchRecord, not_taken)
        );
    }

    #[test]
    fn value_profiles_read_back_what_the_runtime_wrote() {
        let g = GuardBlock::new(&[Ty::Bool, Ty::F64, Ty::Bool]);
        let addrs = g.profile_addrs();
        assert!(addrs[1].is_none());
        for v in [1u64, 1, 0] {
            // SAFETY: the address of a live record in `g`.
            unsafe {
                lljit_runtime::profile::lljit_rt_profile_value(addrs[2].unwrap() as *mut _, v)
            };
        }
        assert_eq!(g.missed(2).unwrap().dominant(), Some((1, 2)));
        assert_eq!(g.missed(0).unwrap().seen, 0);
        g.restart();
        assert_eq!(g.missed(2).unwrap().seen, 0);
    }
}
