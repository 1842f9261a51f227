//! Tier policy: which tier a function starts in, when it tiers up, what
//! the optimizing tier specializes on, what happens when a guard keeps
//! missing, and what a continuation of on-stack replacement is versioned
//! on. Every decision comes with its evidence, as the line
//! `--trace-jit` prints. Nothing here compiles; `jit/mod.rs` carries the
//! decisions out.

use super::profile::{FuncProfile, GuardBlock};
use crate::codegen::JitLinks;
use crate::tast::{Callee, ExprKind, Func, FuncId, Program, SiteId, SiteKind};
use crate::types::Ty;

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
        }
    }
}

/// A value dominates a parameter's profile when it makes up at least this
/// share of the recorded calls.
pub const DOMINANCE: f64 = 0.9;
/// An indirect call is promoted when one target makes up this share.
pub const PROMOTION: f64 = 0.8;
/// A function with loops also tiers up after `threshold * BACK_EDGE_FACTOR`
/// back edges (counted by calls that returned).
pub const BACK_EDGE_FACTOR: u64 = 64;
/// ...but only from its fourth call on: a function whose first calls each
/// loop millions of times is most likely called a few times in all, and
/// recompiling it at its second call bought nothing but the compilation
/// (fannkuch: 1.27x slower than untiered).
pub const BACK_EDGE_MIN_CALLS: u64 = 4;
/// At most this many specializations per function (the first and one after
/// a phase change); at the next phase change the generic body is kept:
/// values that keep changing are not worth a compilation each.
pub const MAX_VERSIONS: u32 = 2;
/// A guard re-decides once its misses are at least this share of its calls
/// in the current window...
pub const MISS_SHARE: f64 = 0.125;
/// ...and a window is this many thresholds of calls long.
pub const WINDOW_FACTOR: u64 = 64;

/// Largest callee (in checked nodes) whose IR is copied into its callers'
/// modules so LLVM may inline it.
pub const INLINE_SIZE_LIMIT: usize = 120;
/// The same for a callee the profile shows hot, at tier 1 (clang's PGO
/// raises its inline threshold for hot call sites the same way).
pub const HOT_INLINE_SIZE_LIMIT: usize = 480;
/// How many call levels below a compiled function copies are made for.
pub const INLINE_DEPTH: usize = 3;

/// What goes into a tier-1 module besides the function: copies of callees
/// (`hot`: those copied only because they are hot), and the callees never
/// called so far (`cold`).
pub struct Copies {
    pub copies: Vec<FuncId>,
    pub hot: Vec<FuncId>,
    pub cold: Vec<FuncId>,
}

/// The LC functions, up to [`INLINE_DEPTH`] call levels below `root`, whose
/// private copies go into `root`'s module: those no larger than what
/// `limit` allows them (`None`: never), and nothing only they call.
fn copies_where(
    prog: &Program,
    root: FuncId,
    limit: &dyn Fn(FuncId) -> Option<usize>,
) -> Vec<FuncId> {
    let mut set: Vec<FuncId> = Vec::new();
    let mut frontier = vec![root];
    for _ in 0..INLINE_DEPTH {
        let mut next = Vec::new();
        for f in frontier {
            for c in prog.funcs[f].direct_callees() {
                let cf = &prog.funcs[c];
                if c != root
                    && !cf.is_extern()
                    && !set.contains(&c)
                    && limit(c).is_some_and(|l| cf.size <= l)
                {
                    set.push(c);
                    next.push(c);
                }
            }
        }
        frontier = next;
    }
    set.sort_unstable();
    set
}

/// Stress modes that exercise the tiers' rare paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Stress {
    // Every guard misses (the generic path, re-specialization and give-up run).
    GuardMiss,
    // Specialize every profiled parameter on the first value seen, dominant or not.
    FirstValues,
}

/// The tiering knobs of one session.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub threshold: u64,
    pub stress: Option<Stress>,
    /// The OSR threshold (back edges of one loop in one call); `None`:
    /// no on-stack replacement.
    pub osr: Option<u64>,
}

impl Policy {
    /// The callees whose copies go into `id`'s module. Code that may run
    /// for a long time without being replaced (`main`, profiling code)
    /// gets no copies of functions with loops: those are profiled and
    /// specialized on their own, and tier-1 code that calls them gets their
    /// specialized bodies. One exception, for `main`: a function with loops
    /// that calls no other function, and that `main` always calls with
    /// constants for the parameters its loop conditions read, is copied:
    /// inlining specializes its loops on those constants already (bits:
    /// `select_bit(y, 8)` in `main`'s loop was 1.3x slower as a call to its
    /// own specialized body).
    pub fn copies(&self, prog: &Program, id: FuncId, without_loops: bool) -> Vec<FuncId> {
        if !without_loops {
            return copies_where(prog, id, &|_| Some(INLINE_SIZE_LIMIT));
        }
        let constant_calls = if prog.main == Some(id) {
            called_with_constant_bounds(prog, &prog.funcs[id])
        } else {
            Vec::new()
        };
        copies_where(prog, id, &|c| {
            let cf = &prog.funcs[c];
            (!cf.has_loops() || (constant_calls.contains(&c) && cf.direct_callees().is_empty()))
                .then_some(INLINE_SIZE_LIMIT)
        })
    }

    /// The callees copied into `id`'s tier 1, guided by call counts as
    /// clang's PGO guides its inliner: a callee called at least the
    /// threshold's number of times is hot, and copied up to
    /// [`HOT_INLINE_SIZE_LIMIT`] (with an inlining hint); a callee never
    /// called so far is cold: not copied, and calls to it are marked cold.
    /// A callee copied into `id`'s current code (`observed_in`) ran there
    /// without calls being counted, so it is never taken as cold.
    ///
    /// A continuation (`continuation`) runs the rest of a call, much of it
    /// not run yet: nothing is cold, and like `main` it gets no copies of
    /// functions with loops that have not been optimized on their own (they
    /// are profiled and specialized on their own; copying conv_ksize's
    /// filter into `main`'s continuation before its first call made the
    /// program 3.7× slower), except a leaf called with constant loop
    /// bounds (see [`Policy::copies`]).
    pub fn tier1_copies(
        &self,
        prog: &Program,
        funcs: &[FuncState],
        id: FuncId,
        observed_in: &[FuncId],
        continuation: bool,
    ) -> Copies {
        let unseen =
            |c: FuncId| !continuation && funcs[c].tier == Tier::Lazy && !observed_in.contains(&c);
        let constant_calls = if continuation {
            called_with_constant_bounds(prog, &prog.funcs[id])
        } else {
            Vec::new()
        };
        let kept_out = |c: FuncId| {
            let cf = &prog.funcs[c];
            continuation
                && cf.has_loops()
                && !matches!(funcs[c].tier, Tier::Optimized { .. })
                && !(constant_calls.contains(&c) && cf.direct_callees().is_empty())
        };
        let hot = |c: FuncId| {
            matches!(funcs[c].tier, Tier::Optimized { .. })
                || funcs[c]
                    .profile
                    .as_ref()
                    .is_some_and(|p| p.calls() >= self.threshold)
        };
        let copies = copies_where(prog, id, &|c| {
            if unseen(c) || kept_out(c) {
                None
            } else if hot(c) {
                Some(HOT_INLINE_SIZE_LIMIT)
            } else {
                Some(INLINE_SIZE_LIMIT)
            }
        });
        let mut cold = Vec::new();
        for &f in copies.iter().chain(std::iter::once(&id)) {
            for c in prog.funcs[f].direct_callees() {
                if !prog.funcs[c].is_extern() && unseen(c) && !cold.contains(&c) {
                    cold.push(c);
                }
            }
        }
        cold.sort_unstable();
        let hot = copies
            .iter()
            .copied()
            .filter(|&c| hot(c) && prog.funcs[c].size > INLINE_SIZE_LIMIT)
            .collect();
        Copies { copies, hot, cold }
    }

    /// Misses a guard needs before it re-decides.
    pub fn min_misses(&self) -> u64 {
        self.threshold.clamp(1, 16)
    }

    /// The first tier of function `id`.
    pub fn first_tier(&self, prog: &Program, id: FuncId) -> Tier {
        let f = &prog.funcs[id];
        if prog.main == Some(id) {
            if self.osr.is_some() && f.has_loops() {
                // `main` runs once, so only on-stack replacement can move it
                // into better code: it starts as fast profiling code, and a
                // hot loop moves into a continuation compiled with the
                // profile so far.
                Tier::Profiling { optimized: false }
            } else {
                // No later call could use what a profile says.
                Tier::Untiered
            }
        } else {
            // A function with loops may be called once and loop for the
            // whole run; until code can be replaced inside a running call,
            // its first code is optimized.
            Tier::Profiling {
                optimized: f.sites.contains(&SiteKind::Loop) && self.osr.is_none(),
            }
        }
    }
}

/// The specialization to make: (parameter, value) pairs, and the
/// evidence for each, e.g. `n = 8 in 1000/1000 calls`.
pub fn choose_values(
    prog: &Program,
    id: FuncId,
    links: &JitLinks,
    profile: &FuncProfile,
    policy: &Policy,
) -> (Vec<(usize, u64)>, Vec<String>) {
    let f = &prog.funcs[id];
    let mut chosen = Vec::new();
    let mut evidence = Vec::new();
    for (i, ty) in f.params.iter().enumerate() {
        // Data pointers are profiled but not specialized on: a constant
        // address lets LLVM fold nothing it could not fold before.
        if matches!(ty, Ty::Ptr(_)) {
            continue;
        }
        let Some(v) = profile.value(i) else { continue };
        let Some((value, count)) = v.dominant() else {
            continue;
        };
        let first = policy.stress == Some(Stress::FirstValues);
        let name = &f.locals[i].name;
        if first || count as f64 >= DOMINANCE * v.seen as f64 {
            chosen.push((i, value));
            evidence.push(format!(
                "{name} = {} in {count}/{} calls",
                show_value(prog, links, ty, value),
                v.seen
            ));
        } else {
            evidence.push(format!(
                "{name}: no dominant value ({} in {count}/{} calls, range {}..={})",
                show_value(prog, links, ty, value),
                v.seen,
                v.min,
                v.max
            ));
        }
    }
    (chosen, evidence)
}

/// A value as the trace shows it: a number, a bool or a function name.
pub fn show_value(prog: &Program, links: &JitLinks, ty: &Ty, bits: u64) -> String {
    match ty {
        Ty::Int(it) if it.signed => format!("{}", bits as i64),
        Ty::Bool => format!("{}", bits != 0),
        Ty::Int(_) => format!("{bits}"),
        _ => match links.func_at(bits as usize, prog.funcs.len()) {
            Some(g) => prog.funcs[g].name.clone(),
            None => format!("{bits:#x}"),
        },
    }
}

/// The locals a continuation entering loop `site` of `id` is versioned
/// on, with their values and the evidence: the locals the rest of the call
/// reads and never changes (nor takes the address of), of integer, bool or
/// function type, at the values in the frame (`words`, the OSR frame of
/// the call that reached the threshold). Nothing after the loop's head
/// changes them, so for the rest of this call they are exactly those
/// values; a later call through the same continuation with other values
/// takes the generic copies. Locals that change between runs of an inner
/// loop are not taken: versioned on them, vm_fields's instruction decoding
/// loop (on the instruction's offset) almost always took its generic copy.
/// Data pointers are not specialized on, as at tier 1.
pub fn osr_values(
    prog: &Program,
    id: FuncId,
    site: SiteId,
    words: &[u64],
    links: &JitLinks,
) -> (Vec<(usize, u64)>, Vec<String>) {
    let f = &prog.funcs[id];
    let mut chosen = Vec::new();
    let mut evidence = Vec::new();
    for l in f.continuation_uses(site).invariants {
        let ty = &f.locals[l].ty;
        if !matches!(ty, Ty::Int(_) | Ty::Bool | Ty::Fn(_)) {
            continue;
        }
        let bits = words[l];
        evidence.push(format!(
            "{} = {}",
            f.locals[l].name,
            show_value(prog, links, ty, bits)
        ));
        chosen.push((l, bits));
    }
    if evidence.is_empty() {
        return (chosen, evidence);
    }
    (
        chosen,
        vec![format!("versioned on {}", evidence.join(", "))],
    )
}

/// What a guard miss leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum MissDecision {
    /// Not enough evidence yet.
    Wait,
    /// The window ended with few misses: start a new one.
    NewWindow,
    /// Specialize again, on the values the misses saw.
    Respecialize(Vec<(usize, u64)>, String),
    /// Keep the generic body for good.
    GiveUp(String),
}

/// Decides what a specialization's misses call for.
pub fn on_miss(
    prog: &Program,
    links: &JitLinks,
    id: FuncId,
    st: &FuncState,
    policy: &Policy,
) -> MissDecision {
    let Some(spec) = &st.spec else {
        return MissDecision::Wait;
    };
    let g = &spec.guard;
    let (calls, misses) = (g.calls(), g.misses());
    if misses < policy.min_misses() {
        return MissDecision::Wait;
    }
    if (misses as f64) < MISS_SHARE * calls as f64 {
        return if calls >= policy.threshold * WINDOW_FACTOR {
            MissDecision::NewWindow
        } else {
            MissDecision::Wait
        };
    }
    let f = &prog.funcs[id];
    let why = format!("guard missed {misses}/{calls} calls");
    let mut next = Vec::new();
    let mut evidence = Vec::new();
    for &(i, _) in &spec.params {
        let Some(v) = g.missed(i) else { continue };
        let Some((value, count)) = v.dominant() else {
            continue;
        };
        if policy.stress == Some(Stress::FirstValues) || count as f64 >= DOMINANCE * v.seen as f64 {
            next.push((i, value));
            evidence.push(format!(
                "{} = {} in {count}/{} misses",
                f.locals[i].name,
                show_value(prog, links, &f.params[i], value),
                v.seen
            ));
        }
    }
    if next.is_empty() {
        MissDecision::GiveUp(format!("{why}; the misses have no dominant value"))
    } else if st.specs >= MAX_VERSIONS {
        MissDecision::GiveUp(format!("{why}; {} specializations made", st.specs))
    } else {
        MissDecision::Respecialize(next, format!("{why}; {}", evidence.join(", ")))
    }
}

/// The functions `f` calls by name with constants for every parameter
/// their loop conditions read, at every call.
fn called_with_constant_bounds(prog: &Program, f: &Func) -> Vec<FuncId> {
    let mut seen: Vec<(FuncId, bool)> = Vec::new();
    f.each_expr(|e| {
        if let ExprKind::Call(Callee::Direct(c), args) = &e.kind {
            if prog.funcs[*c].is_extern() {
                return;
            }
            let bounds = prog.funcs[*c].loop_bound_params();
            let constant = bounds
                .iter()
                .all(|&i| matches!(args[i].kind, ExprKind::Const(_)));
            match seen.iter_mut().find(|(g, _)| g == c) {
                Some(entry) => entry.1 &= constant,
                None => seen.push((*c, constant)),
            }
        }
    });
    seen.into_iter()
        .filter(|&(_, k)| k)
        .map(|(c, _)| c)
        .collect()
}

/// The indirect-call sites of `f` that call its parameter `i` itself.
pub fn calls_through_param(f: &Func, i: usize) -> Vec<SiteId> {
    let mut out = Vec::new();
    f.each_expr(|e| {
        if let ExprKind::Call(Callee::Indirect(callee, site), _) = &e.kind {
            if matches!(callee.kind, ExprKind::Local(l) if l == i) {
                out.push(*site);
            }
        }
    });
    out
}

/// Branch weights `(taken, not taken)` of every branch and loop site of
/// `id` that has counts, scaled to fit `!prof` metadata.
pub fn branch_weights(prog: &Program, id: FuncId, p: &FuncProfile) -> Vec<(u32, (u32, u32))> {
    let mut out = Vec::new();
    for (s, k) in prog.funcs[id].sites.iter().enumerate() {
        if matches!(k, SiteKind::Branch | SiteKind::Loop) {
            let (t, n) = p.branch(s as u32);
            if t + n > 0 {
                let scale = (t.max(n) / (u32::MAX as u64 / 2)).max(1);
                out.push((s as u32, ((t / scale) as u32 + 1, (n / scale) as u32 + 1)));
            }
        }
    }
    out
}

/// Indirect-call sites of `id` whose dominant target (an LC function)
/// gets a direct call, with evidence.
pub fn promotions(
    prog: &Program,
    id: FuncId,
    links: &JitLinks,
    p: &FuncProfile,
) -> Vec<(u32, FuncId, String)> {
    let mut out = Vec::new();
    for (s, k) in prog.funcs[id].sites.iter().enumerate() {
        if *k != SiteKind::IndirectCall {
            continue;
        }
        let t = p.targets(s as u32);
        let Some((addr, count)) = t.dominant() else {
            continue;
        };
        let Some(g) = links.func_at(addr as usize, prog.funcs.len()) else {
            continue;
        };
        if count as f64 >= PROMOTION * t.total() as f64 {
            out.push((
                s as u32,
                g,
                format!("{} in {count}/{} calls", prog.funcs[g].name, t.total()),
            ));
        }
    }
    out
}
