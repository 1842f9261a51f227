//! Tier policy: which tier a function starts in, when it tiers up, what
//! the optimizing tier specializes on, what happens when a guard keeps
//! missing, and what a continuation of on-stack replacement is versioned
//! on. Every decision comes with its evidence, as the line
//! `--trace-jit` prints. Nothing here compiles; `jit/mod.rs` carries the
//! decisions out.

use super::payload::{FuncState, Tier};
use super::profile::FuncProfile;
use crate::codegen::JitLinks;
use crate::tast::{Callee, ExprKind, Func, FuncId, Program, SiteId, SiteKind};
use crate::types::Ty;

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
    // Optimized code arrives late and out of order: compiled at once, but
    // installed only after a few more entries into the JIT, in a shuffled
    // order (what compile servers may do, made reproducible).
    LateCode,
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
///
/// `in_caller_loops[i]`: every call passes in parameter `i` a local that a
/// loop around the call changes ([`crate::tast::visit::caller_loop_params`]):
/// however dominant its value so far, it is not specialized on.
pub fn choose_values(
    prog: &Program,
    id: FuncId,
    links: &JitLinks,
    profile: &FuncProfile,
    policy: &Policy,
    in_caller_loops: &[bool],
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
        let dominant = count as f64 >= DOMINANCE * v.seen as f64;
        if dominant && !first && in_caller_loops.get(i) == Some(&true) {
            evidence.push(format!(
                "{name} = {} in {count}/{} calls, but every caller passes a local its loop changes",
                show_value(prog, links, ty, value),
                v.seen
            ));
        } else if first || dominant {
            chosen.push((i, value));
            evidence.push(format!(
                "{name} = {} in {count}/{} calls",
                show_value(prog, links, ty, value),
                v.seen
            ));
        } else if matches!(ty, Ty::Fn(_)) {
            // The range of function addresses says nothing to a reader.
            evidence.push(format!(
                "{name}: no dominant value ({} in {count}/{} calls)",
                show_value(prog, links, ty, value),
                v.seen,
            ));
        } else {
            evidence.push(format!(
                "{name}: no dominant value ({} in {count}/{} calls, range {}..={})",
                show_value(prog, links, ty, value),
                v.seen,
                show_value(prog, links, ty, v.min as u64),
                show_value(prog, links, ty, v.max as u64)
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

/// The indirect-call sites of `copies` (the callees copied into a
/// function specialized on a function-pointer parameter being `g`) that
/// may call `g`: every site whose pointer type `g` has.
pub fn sites_that_may_call(prog: &Program, copies: &[FuncId], g: FuncId) -> Vec<(FuncId, SiteId)> {
    let mut out = Vec::new();
    for &c in copies {
        for (site, ty) in prog.funcs[c].indirect_calls() {
            if prog.funcs[g].fits(&ty) {
                out.push((c, site));
            }
        }
    }
    out
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
                out.push((s as u32, scaled_weights(t, n)));
            }
        }
    }
    out
}

/// Counts `(taken, not taken)` as `!prof` branch weights: scaled to fit
/// 32 bits, and never 0 (an outcome not seen so far is unlikely, not
/// impossible).
pub fn scaled_weights(t: u64, n: u64) -> (u32, u32) {
    let scale = (t.max(n) / (u32::MAX as u64 / 2)).max(1);
    ((t / scale) as u32 + 1, (n / scale) as u32 + 1)
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
    for (s, ty) in prog.funcs[id].indirect_calls() {
        let t = p.targets(s);
        let Some((addr, count)) = t.dominant() else {
            continue;
        };
        let Some(g) = links.func_at(addr as usize, prog.funcs.len()) else {
            continue;
        };
        // A target reached through a pointer of another type (a cast) is
        // never called directly: the direct call would not type-check.
        if count as f64 >= PROMOTION * t.total() as f64 && prog.funcs[g].fits(&ty) {
            out.push((
                s,
                g,
                format!("{} in {count}/{} calls", prog.funcs[g].name, t.total()),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::TierUp;
    use crate::driver::checked;
    use crate::jit::payload::Specialization;
    use crate::jit::profile::GuardBlock;
    use lljit_runtime::profile::{lljit_rt_profile_value, ValueProfile};
    use std::sync::atomic::{AtomicU64, Ordering};

    const LINKS: JitLinks = JitLinks {
        slots: 0x10_0000,
        entries: 0x20_0000,
        entry_stride: 16,
    };

    fn policy(threshold: u64) -> Policy {
        Policy {
            threshold,
            stress: None,
            osr: Some(1000),
        }
    }

    fn func(prog: &Program, name: &str) -> FuncId {
        prog.funcs.iter().position(|f| f.name == name).unwrap()
    }

    fn local(f: &Func, name: &str) -> usize {
        f.locals.iter().position(|l| l.name == name).unwrap()
    }

    /// Adds `n` to the counter word at `addr`.
    fn count(addr: usize, n: u64) {
        // SAFETY: `addr` is a counter word of a profile or guard block that
        // the calling test keeps alive.
        unsafe { &*(addr as *const AtomicU64) }.fetch_add(n, Ordering::Relaxed);
    }

    /// Records each `(value, times)` in the value profile at `addr`, as
    /// profiling code or a missing guard does.
    fn record(addr: usize, values: &[(u64, u64)]) {
        for &(v, times) in values {
            for _ in 0..times {
                // SAFETY: a live record of a block the calling test owns.
                unsafe { lljit_rt_profile_value(addr as *mut ValueProfile, v) };
            }
        }
    }

    /// `f`'s profile after `calls` calls that passed these values.
    fn profile(f: &Func, calls: u64, values: &[(usize, &[(u64, u64)])]) -> FuncProfile {
        let p = FuncProfile::new(f);
        let c = p.counters(TierUp {
            calls: 0,
            back_edges: 0,
            back_edge_min_calls: 0,
            hook: crate::codegen::GUARD_MISS_HOOK,
            arg: 0,
        });
        count(c.calls, calls);
        for &(i, v) in values {
            record(c.params[i].unwrap(), v);
        }
        p
    }

    const LOOPS: &str = "fn straight(x: i64) -> i64 { return x + 1; }\n\
        fn looping(n: i64) -> i64 { var s: i64 = 0; while (s < n) { s += 1; } return s; }\n\
        fn main() -> i32 { var i: i64 = 0; while (i < 3) { i += straight(i); } \
        return looping(i) as i32; }\n";

    #[test]
    fn first_tier_is_fast_profiling_code_with_osr() {
        let prog = checked(LOOPS);
        let p = policy(100);
        let fast = Tier::Profiling { optimized: false };
        assert_eq!(p.first_tier(&prog, func(&prog, "straight")), fast);
        assert_eq!(p.first_tier(&prog, func(&prog, "looping")), fast);
        // `main` runs once; only on-stack replacement can move its loop.
        assert_eq!(p.first_tier(&prog, func(&prog, "main")), fast);
    }

    #[test]
    fn first_tier_without_osr_optimizes_loops_and_compiles_main_once() {
        let prog = checked(LOOPS);
        let p = Policy {
            osr: None,
            ..policy(100)
        };
        assert_eq!(
            p.first_tier(&prog, func(&prog, "straight")),
            Tier::Profiling { optimized: false }
        );
        assert_eq!(
            p.first_tier(&prog, func(&prog, "looping")),
            Tier::Profiling { optimized: true }
        );
        assert_eq!(p.first_tier(&prog, func(&prog, "main")), Tier::Untiered);
    }

    #[test]
    fn first_tier_of_a_main_without_loops_is_untiered() {
        let prog = checked("fn main() -> i32 { return 0; }\n");
        assert_eq!(policy(100).first_tier(&prog, 0), Tier::Untiered);
    }

    const PARAMS: &str = "fn g(x: i64) -> i64 { return x; }\n\
        fn f(n: i64, flag: bool, p: *u8, h: fn(i64) -> i64, d: f64) -> i64 {\n\
            if (flag) { return h(n) + (d as i64); }\n\
            return *p as i64;\n\
        }\n\
        fn main() -> i32 { var b: u8 = 1; return f(1, true, &b, g, 0.5) as i32; }\n";

    #[test]
    fn choose_values_takes_a_value_of_at_least_nine_tenths_of_the_calls() {
        let prog = checked(PARAMS);
        let id = func(&prog, "f");
        let f = &prog.funcs[id];
        let at_share = profile(f, 100, &[(0, &[(8, 90), (9, 10)])]);
        let (chosen, _) = choose_values(&prog, id, &LINKS, &at_share, &policy(100), &[]);
        assert_eq!(chosen, vec![(0, 8)]);
        let below = profile(f, 100, &[(0, &[(8, 89), (9, 11)])]);
        let (chosen, evidence) = choose_values(&prog, id, &LINKS, &below, &policy(100), &[]);
        assert_eq!(chosen, vec![]);
        assert_eq!(evidence.len(), 1, "the parameter's evidence: {evidence:?}");
    }

    #[test]
    fn choose_values_skips_a_dominant_value_every_caller_changes_in_a_loop() {
        let prog = checked(PARAMS);
        let id = func(&prog, "f");
        let f = &prog.funcs[id];
        let p = profile(f, 100, &[(0, &[(8, 100)])]);
        let (chosen, evidence) = choose_values(&prog, id, &LINKS, &p, &policy(100), &[true, false]);
        assert_eq!(chosen, vec![]);
        assert!(evidence[0].contains("its loop changes"), "{evidence:?}");
        let (chosen, _) = choose_values(&prog, id, &LINKS, &p, &policy(100), &[false]);
        assert_eq!(chosen, vec![(0, 8)]);
    }

    #[test]
    fn choose_values_takes_bools_and_functions_but_not_data_pointers() {
        let prog = checked(PARAMS);
        let id = func(&prog, "f");
        let f = &prog.funcs[id];
        let g = LINKS.entry(func(&prog, "g")) as u64;
        let p = profile(
            f,
            50,
            &[(1, &[(1, 50)]), (2, &[(0x5000, 50)]), (3, &[(g, 50)])],
        );
        let (chosen, _) = choose_values(&prog, id, &LINKS, &p, &policy(100), &[]);
        assert_eq!(chosen, vec![(1, 1), (3, g)]);
        assert_eq!(show_value(&prog, &LINKS, &f.params[3], g), "g");
        assert_eq!(show_value(&prog, &LINKS, &f.params[0], -3i64 as u64), "-3");
    }

    #[test]
    fn choose_values_under_first_values_stress_takes_any_value_seen() {
        let prog = checked(PARAMS);
        let id = func(&prog, "f");
        let p = profile(&prog.funcs[id], 10, &[(0, &[(8, 3), (9, 2), (10, 5)])]);
        let stress = Policy {
            stress: Some(Stress::FirstValues),
            ..policy(2)
        };
        let (chosen, _) = choose_values(&prog, id, &LINKS, &p, &stress, &[]);
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].0, 0);
        let (chosen, _) = choose_values(&prog, id, &LINKS, &p, &policy(2), &[]);
        assert_eq!(chosen, vec![]);
    }

    /// `f`'s state with a specialization on `n = 8` (the `specs`th one)
    /// whose guard saw `calls` calls and `misses` misses with these values.
    fn specialized(
        f: &Func,
        specs: u32,
        calls: u64,
        misses: u64,
        missed: &[(u64, u64)],
    ) -> FuncState {
        let guard = GuardBlock::new(&f.params);
        count(guard.calls_addr(), calls);
        count(guard.misses_addr(), misses);
        record(guard.profile_addrs()[0].unwrap(), missed);
        FuncState {
            tier: Tier::Optimized { version: specs },
            spec: Some(Specialization {
                params: vec![(0, 8)],
                guard,
                compile_us: 0,
            }),
            specs,
            ..FuncState::default()
        }
    }

    /// What the guard of `f`'s `specs`th specialization decides under `p`
    /// after `calls` calls and `misses` misses with these values.
    fn decide(
        p: &Policy,
        specs: u32,
        calls: u64,
        misses: u64,
        missed: &[(u64, u64)],
    ) -> MissDecision {
        let prog = checked(PARAMS);
        let id = func(&prog, "f");
        let st = specialized(&prog.funcs[id], specs, calls, misses, missed);
        on_miss(&prog, &LINKS, id, &st, p)
    }

    fn respecializes(d: MissDecision) -> bool {
        matches!(d, MissDecision::Respecialize(..))
    }

    fn gives_up(d: MissDecision) -> bool {
        matches!(d, MissDecision::GiveUp(_))
    }

    #[test]
    fn on_miss_waits_for_enough_misses() {
        let p = policy(100);
        assert_eq!(p.min_misses(), 16);
        assert_eq!(decide(&p, 1, 20, 15, &[(9, 15)]), MissDecision::Wait);
        assert!(matches!(
            decide(&p, 1, 20, 16, &[(9, 16)]),
            MissDecision::Respecialize(v, _) if v == vec![(0, 9)]
        ));
        // A small threshold needs fewer misses.
        assert_eq!(policy(4).min_misses(), 4);
        assert!(respecializes(decide(&policy(4), 1, 4, 4, &[(9, 4)])));
        let prog = checked(PARAMS);
        let unspecialized = FuncState::default();
        let id = func(&prog, "f");
        assert_eq!(
            on_miss(&prog, &LINKS, id, &unspecialized, &p),
            MissDecision::Wait
        );
    }

    #[test]
    fn on_miss_starts_a_new_window_when_misses_stay_rare() {
        let p = policy(100);
        // Fewer misses than an eighth of the calls: wait until the window
        // (64 thresholds of calls) is over, then start another.
        assert_eq!(decide(&p, 1, 160, 19, &[(9, 19)]), MissDecision::Wait);
        assert_eq!(decide(&p, 1, 6399, 19, &[(9, 19)]), MissDecision::Wait);
        assert_eq!(decide(&p, 1, 6400, 19, &[(9, 19)]), MissDecision::NewWindow);
        // An eighth of the calls is enough to re-decide.
        assert!(respecializes(decide(&p, 1, 160, 20, &[(9, 20)])));
    }

    #[test]
    fn on_miss_gives_up_without_a_dominant_missed_value_or_after_max_versions() {
        let p = policy(100);
        let spread = [(9, 40), (10, 10)];
        assert!(gives_up(decide(&p, 1, 100, 50, &spread)));
        let stress = Policy {
            stress: Some(Stress::FirstValues),
            ..p
        };
        assert!(respecializes(decide(&stress, 1, 100, 50, &spread)));
        let dominant = [(9, 50)];
        assert!(respecializes(decide(
            &p,
            MAX_VERSIONS - 1,
            100,
            50,
            &dominant
        )));
        assert!(gives_up(decide(&p, MAX_VERSIONS, 100, 50, &dominant)));
    }

    /// A program whose `f` calls a small function, one never called, one
    /// larger than [`INLINE_SIZE_LIMIT`], and two with loops (one always with
    /// a constant bound).
    fn callees() -> Program {
        let big: String = (0..40).map(|k| format!("s = s * 3 + {k};\n")).collect();
        checked(&format!(
            "fn small(x: i64) -> i64 {{ return x + 1; }}\n\
             fn never(x: i64) -> i64 {{ return x - 1; }}\n\
             fn big(x: i64) -> i64 {{ var s = x;\n{big} return s; }}\n\
             fn bounded(n: i64) -> i64 {{ var s: i64 = 0; while (s < n) {{ s += 1; }} return s; }}\n\
             fn unbounded(n: i64) -> i64 {{ var s: i64 = 0; while (s < n) {{ s += 2; }} return s; }}\n\
             fn f(x: i64) -> i64 {{\n\
                 if (x > 0) {{ return small(x) + big(x) + bounded(8) + unbounded(x); }}\n\
                 return never(x);\n\
             }}\n\
             fn main() -> i32 {{ return f(3) as i32; }}\n"
        ))
    }

    fn names(prog: &Program, ids: &[FuncId]) -> Vec<String> {
        ids.iter().map(|&c| prog.funcs[c].name.clone()).collect()
    }

    /// Every function at tier 0 with `calls` calls, but `never`.
    fn states(prog: &Program, calls: &dyn Fn(&str) -> u64) -> Vec<FuncState> {
        prog.funcs
            .iter()
            .map(|f| match f.name.as_str() {
                "never" => FuncState::default(),
                name => FuncState {
                    tier: Tier::Profiling { optimized: false },
                    profile: Some(profile(f, calls(name), &[])),
                    ..FuncState::default()
                },
            })
            .collect()
    }

    #[test]
    fn tier1_copies_hot_callees_up_to_the_hot_limit_and_leaves_unseen_ones_cold() {
        let prog = callees();
        let names = |ids: &[FuncId]| names(&prog, ids);
        let big = prog.funcs[func(&prog, "big")].size;
        assert!(big > INLINE_SIZE_LIMIT && big <= HOT_INLINE_SIZE_LIMIT);
        let f = func(&prog, "f");
        let p = policy(100);
        let hot_big = states(&prog, &|n| if n == "big" { 100 } else { 1 });
        let c = p.tier1_copies(&prog, &hot_big, f, &[], false);
        assert_eq!(names(&c.copies), ["small", "big", "bounded", "unbounded"]);
        assert_eq!(names(&c.hot), ["big"]);
        assert_eq!(names(&c.cold), ["never"]);

        let cool_big = states(&prog, &|n| if n == "big" { 99 } else { 1 });
        let c = p.tier1_copies(&prog, &cool_big, f, &[], false);
        assert_eq!(names(&c.copies), ["small", "bounded", "unbounded"]);
        assert!(c.hot.is_empty());

        // A callee copied into the current code ran uncounted: not cold.
        let never = func(&prog, "never");
        let c = p.tier1_copies(&prog, &cool_big, f, &[never], false);
        assert!(c.copies.contains(&never));
        assert!(c.cold.is_empty());
    }

    #[test]
    fn tier1_copies_of_a_continuation_keep_out_unoptimized_loops() {
        let prog = callees();
        let names = |ids: &[FuncId]| names(&prog, ids);
        let f = func(&prog, "f");
        let p = policy(100);
        let mut funcs = states(&prog, &|_| 1);
        // Nothing is cold (the rest of the call has not run yet); a function
        // with loops comes only when optimized, or as a leaf whose loop
        // bounds every call passes as constants.
        let c = p.tier1_copies(&prog, &funcs, f, &[], true);
        assert_eq!(names(&c.copies), ["small", "never", "bounded"]);
        assert!(c.cold.is_empty());
        funcs[func(&prog, "unbounded")].tier = Tier::Optimized { version: 1 };
        let c = p.tier1_copies(&prog, &funcs, f, &[], true);
        assert!(names(&c.copies).contains(&"unbounded".to_string()));
    }

    #[test]
    fn osr_values_version_on_scalar_invariants_at_their_frame_values() {
        let prog = checked(
            "fn g(x: i64) -> i64 { return x; }\n\
             fn f(n: i64, k: i32, p: *i64, h: fn(i64) -> i64, b: bool, unused: i64) -> i64 {\n\
                 var s: i64 = 0;\n\
                 for (var i: i64 = 0; i < n; i += 1) { if (b) { s += h(k as i64) + *p; } }\n\
                 return s;\n\
             }\n\
             fn main() -> i32 { var v: i64 = 1; return f(2, 3, &v, g, true, 0) as i32; }\n",
        );
        let id = func(&prog, "f");
        let f = &prog.funcs[id];
        let g = LINKS.entry(func(&prog, "g")) as u64;
        let mut words = vec![0u64; f.locals.len()];
        for (name, v) in [("n", 10), ("k", 3), ("p", 0x5000), ("h", g), ("b", 1)] {
            words[local(f, name)] = v;
        }
        let site = f.sites.iter().position(|k| *k == SiteKind::Loop).unwrap() as SiteId;
        let (chosen, evidence) = osr_values(&prog, id, site, &words, &LINKS);
        let expected: Vec<(usize, u64)> = [("n", 10), ("k", 3), ("h", g), ("b", 1)]
            .iter()
            .map(|&(name, v)| (local(f, name), v))
            .collect();
        assert_eq!(chosen, expected);
        assert_eq!(evidence.len(), 1);
    }
}
