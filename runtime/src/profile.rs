//! Profile records that tier-0 (profiling) JIT code writes: the value
//! profile of a parameter and the target histogram of an indirect call.
//! Plain counters (calls, branches, back edges) are words the code adds to
//! itself; these two need a little logic, so the code calls the functions
//! below. The JIT owns the memory; nothing here is used ahead of time.

/// The values one parameter was called with: the two most frequent
/// candidates with their counts, and the observed range.
///
/// A new value replaces the second candidate; a second candidate that
/// overtakes the first swaps with it. So the first candidate's count is a
/// lower bound on how often its value occurred, which keeps decisions made
/// from it conservative.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValueProfile {
    /// Candidate values (as 64-bit patterns: sign-extended for signed
    /// integers, zero-extended otherwise, addresses for pointers).
    pub values: [u64; 2],
    /// How often each candidate occurred since it became one.
    pub counts: [u64; 2],
    /// Smallest and largest value seen, as signed numbers.
    pub min: i64,
    pub max: i64,
    /// Values recorded.
    pub seen: u64,
}

impl ValueProfile {
    /// Records one value.
    pub fn record(&mut self, v: u64) {
        let s = v as i64;
        if self.seen == 0 {
            self.min = s;
            self.max = s;
        } else {
            self.min = self.min.min(s);
            self.max = self.max.max(s);
        }
        self.seen += 1;
        if self.counts[0] > 0 && self.values[0] == v {
            self.counts[0] += 1;
        } else if self.counts[0] == 0 {
            self.values[0] = v;
            self.counts[0] = 1;
        } else if self.counts[1] > 0 && self.values[1] == v {
            self.counts[1] += 1;
            if self.counts[1] > self.counts[0] {
                self.values.swap(0, 1);
                self.counts.swap(0, 1);
            }
        } else {
            self.values[1] = v;
            self.counts[1] = 1;
        }
    }

    /// The dominant value and how often it occurred, if any was seen.
    pub fn dominant(&self) -> Option<(u64, u64)> {
        (self.counts[0] > 0).then_some((self.values[0], self.counts[0]))
    }
}

/// The record of a two-way branch site (`if`, `?:`, `&&`, `||`): the words
/// its profiling code adds to, read by the JIT as branch weights. This and
/// the other records are the layout generated code writes and the JIT
/// reads, declared once: lowering takes offsets from them
/// (`std::mem::offset_of!`), the JIT sizes and reads them.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BranchRecord {
    pub taken: u64,
    pub not_taken: u64,
}

/// The record of a loop site. Its first two words read as a branch's (the
/// loop condition held: a back edge; it failed: the loop was entered and
/// left), so loops get weights as branches do.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoopRecord {
    pub back_edges: u64,
    pub entries: u64,
    /// The loop's back edges again, kept apart from the branch view.
    pub own_back_edges: u64,
}

/// Number of targets an indirect-call site's histogram tells apart.
pub const TARGETS: usize = 4;

/// The targets one indirect-call site called: up to [`TARGETS`] distinct
/// addresses with their counts; calls to further targets count as `other`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TargetProfile {
    pub targets: [u64; TARGETS],
    pub counts: [u64; TARGETS],
    pub other: u64,
}

impl TargetProfile {
    /// Records one call to `target`.
    pub fn record(&mut self, target: u64) {
        for i in 0..TARGETS {
            if self.counts[i] > 0 && self.targets[i] == target {
                self.counts[i] += 1;
                return;
            }
            if self.counts[i] == 0 {
                self.targets[i] = target;
                self.counts[i] = 1;
                return;
            }
        }
        self.other += 1;
    }

    /// All calls recorded.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum::<u64>() + self.other
    }

    /// The most frequent target and its count.
    pub fn dominant(&self) -> Option<(u64, u64)> {
        (0..TARGETS)
            .filter(|&i| self.counts[i] > 0)
            .max_by_key(|&i| self.counts[i])
            .map(|i| (self.targets[i], self.counts[i]))
    }
}

/// Called by profiling code on entry: records parameter value `v`.
///
/// # Safety
/// `p` points at a live [`ValueProfile`] that nothing else uses meanwhile.
#[no_mangle]
pub unsafe extern "C" fn lljit_rt_profile_value(p: *mut ValueProfile, v: u64) {
    (*p).record(v)
}

/// Called by profiling code before an indirect call: records its target.
///
/// # Safety
/// `p` points at a live [`TargetProfile`] that nothing else uses meanwhile.
#[no_mangle]
pub unsafe extern "C" fn lljit_rt_profile_target(p: *mut TargetProfile, target: u64) {
    (*p).record(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_profile_finds_the_dominant_value_and_range() {
        let mut p = ValueProfile::default();
        for v in [8u64, 8, 3, 8, 5, 8, 8] {
            p.record(v);
        }
        assert_eq!(p.dominant(), Some((8, 5)));
        assert_eq!((p.min, p.max, p.seen), (3, 8, 7));
    }

    #[test]
    fn value_profile_follows_a_phase_change() {
        let mut p = ValueProfile::default();
        for _ in 0..3 {
            p.record(1);
        }
        for _ in 0..10 {
            p.record(2);
        }
        assert_eq!(p.dominant(), Some((2, 10)));
        assert_eq!(p.min, 1);
    }

    #[test]
    fn value_profile_ranges_are_signed() {
        let mut p = ValueProfile::default();
        p.record(-4i64 as u64);
        p.record(7);
        assert_eq!((p.min, p.max), (-4, 7));
    }

    #[test]
    fn target_profile_counts_targets_and_overflow() {
        let mut t = TargetProfile::default();
        for x in [10u64, 20, 10, 30, 40, 50, 10] {
            t.record(x);
        }
        assert_eq!(t.dominant(), Some((10, 3)));
        assert_eq!(t.other, 1);
        assert_eq!(t.total(), 7);
    }
}
