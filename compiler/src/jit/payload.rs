//! What the JIT knows about each function, and the code it has: its tier,
//! its profile, its active specialization (and that specialization's
//! guard), its generic body and its continuations, and the code on its
//! way. The mechanism keeps this state; the policy (`tiers.rs`) reads it
//! to decide, and never changes it.

use super::profile::{FuncProfile, GuardBlock};
use crate::tast::SiteId;

/// Where a function's current code came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// Never called.
    Lazy,
    /// Tier 0: profiling code; `optimized` for functions with loops under
    /// `--no-osr` (with on-stack replacement, every tier 0 is fast code).
    Profiling { optimized: bool },
    /// Tier 1: optimized with the profile, version `n` (1, 2, ...).
    Optimized { version: u32 },
    /// Compiled once, never profiled: `main` without loops or under
    /// `--no-osr` (it runs once: no later call could use a profile), every
    /// function under `--no-tiering`, and session inputs. Optimized, except
    /// inputs (fast code) and a `main` whose module has no loops.
    Untiered,
}

/// An active specialization: the parameter values its guard checks.
pub struct Specialization {
    pub params: Vec<(usize, u64)>,
    pub guard: GuardBlock,
    /// Microseconds its compilation took (counted as discarded when it is
    /// replaced or given up).
    pub compile_us: u64,
}

impl Specialization {
    /// Per parameter, its constant in the specialized body.
    pub fn consts(&self, n: usize) -> Vec<Option<u64>> {
        consts(&self.params, n)
    }
}

/// Per parameter (of `n`), its constant in a body specialized on `values`.
pub fn consts(values: &[(usize, u64)], n: usize) -> Vec<Option<u64>> {
    let mut c = vec![None; n];
    for &(i, v) in values {
        c[i] = Some(v);
    }
    c
}

/// What the JIT knows about one function.
pub struct FuncState {
    pub tier: Tier,
    pub profile: Option<FuncProfile>,
    pub spec: Option<Specialization>,
    /// The generic optimized body of its specializations, once a guard
    /// missed (every specialization of the function shares it).
    pub generic: Option<usize>,
    /// Specializations made so far (bounded by [`MAX_VERSIONS`]).
    pub specs: u32,
    /// Specialization was given up: the generic body stays.
    pub gave_up: bool,
    /// The continuations compiled so far, by the loop they enter.
    pub osr: std::collections::HashMap<SiteId, usize>,
    /// A session input's function (compiled once, never called again).
    pub input: bool,
    /// Code on its way (being compiled, or waiting to be installed): a
    /// body that replaces the slot's code, the generic body, and
    /// continuations by loop. Until it arrives the current code runs, and
    /// nothing asks for the same code again.
    pub replacing: bool,
    pub generic_pending: bool,
    pub osr_pending: std::collections::HashSet<SiteId>,
    /// The slot's tier-1 code when a later run can start in it (`warm.rs`).
    pub replayable: Option<Replayable>,
    /// Its tier-0 code is on its way ahead of its first call (the job's
    /// number).
    pub ahead: Option<u64>,
}

/// A plain optimized body a later run can link from the code cache.
pub struct Replayable {
    pub key: super::cache::Key,
    pub symbol: String,
    pub version: u32,
    /// The callees copied into it.
    pub copies: Vec<crate::tast::FuncId>,
}

impl Default for FuncState {
    fn default() -> Self {
        FuncState {
            tier: Tier::Lazy,
            profile: None,
            spec: None,
            generic: None,
            specs: 0,
            gave_up: false,
            osr: Default::default(),
            input: false,
            replacing: false,
            generic_pending: false,
            osr_pending: Default::default(),
            replayable: None,
            ahead: None,
        }
    }
}
