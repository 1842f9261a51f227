//! What compiled code assumes about other functions, and what a change
//! invalidates. A function's code holds copies of the small callees it was
//! compiled with (so LLVM could inline them); when one of them is
//! redefined (in a session), every function whose code holds a copy of it,
//! directly or through a copy of a copy, must be compiled again. This is
//! the one record of those dependencies, and the one place that follows
//! them.

use crate::tast::FuncId;
use std::collections::HashMap;

/// For every compiled function, the functions copied into its code.
#[derive(Default, Debug)]
pub struct Dependencies {
    copies: HashMap<FuncId, Vec<FuncId>>,
}

impl Dependencies {
    /// The functions copied into some piece of `id`'s code.
    pub fn copies_in(&self, id: FuncId) -> &[FuncId] {
        self.copies.get(&id).map_or(&[], Vec::as_slice)
    }

    /// New code of `id` holds copies of `copies`. When it `replaces` the
    /// function's code (the slot's new code), the old code's copies no
    /// longer matter; otherwise (a generic body, a continuation, code that
    /// runs beside the slot's) they add to them.
    pub fn record(&mut self, id: FuncId, copies: &[FuncId], replaces: bool) {
        let list = self.copies.entry(id).or_default();
        if replaces {
            list.clear();
        }
        for &c in copies {
            if !list.contains(&c) {
                list.push(c);
            }
        }
    }

    /// `id`'s code is gone (reset): it depends on nothing.
    pub fn forget(&mut self, id: FuncId) {
        self.copies.remove(&id);
    }

    /// `changed` and every function whose code holds a copy of one of
    /// them, directly or through copies of copies (a fixed point).
    pub fn dependents_of(&self, changed: &[FuncId]) -> Vec<FuncId> {
        let mut gone: Vec<FuncId> = changed.to_vec();
        loop {
            let more: Vec<FuncId> = self
                .copies
                .iter()
                .filter(|(f, copies)| !gone.contains(f) && copies.iter().any(|c| gone.contains(c)))
                .map(|(&f, _)| f)
                .collect();
            if more.is_empty() {
                return gone;
            }
            gone.extend(more);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependents_follow_copies_of_copies() {
        let mut d = Dependencies::default();
        d.record(1, &[2], true); // 1 holds a copy of 2
        d.record(3, &[1], true); // 3 holds a copy of 1 (and so of 2)
        d.record(4, &[5], true);
        let mut gone = d.dependents_of(&[2]);
        gone.sort_unstable();
        assert_eq!(gone, vec![1, 2, 3]);
        assert_eq!(d.dependents_of(&[5]).len(), 2);
        // New slot code of 3 without the copy: 3 no longer depends on 1.
        d.record(3, &[], true);
        let mut gone = d.dependents_of(&[2]);
        gone.sort_unstable();
        assert_eq!(gone, vec![1, 2]);
        // Code beside the slot's (a continuation) adds its copies.
        d.record(1, &[6], false);
        assert_eq!(d.copies_in(1), &[2, 6]);
        d.forget(1);
        assert_eq!(d.dependents_of(&[2]), vec![2]);
    }
}
