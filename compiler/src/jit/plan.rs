//! Planning a tier-1 compilation (an optimized body, a specialization, the
//! generic body of specializations, an OSR continuation): which callees
//! travel with the code, which indirect calls become direct, which
//! branches get weights, and which symbols it defines. A plan is plain
//! data made from the program, the policy and the profiles as they are
//! now; nothing here touches LLVM or changes the session, so compiling a
//! plan is a separate step (`Jit::compile_optimized`), as is installing
//! what it made.

use super::payload::{FuncState, Tier};
use super::profile::GuardBlock;
use super::tiers::{self, Policy};
use super::Tier1;
use crate::codegen::{Code, JitLinks, TierPlan};
use crate::tast::{FuncId, Program};
use crate::types::Ty;
use std::time::{Duration, Instant};

/// One tier-1 compilation: what to compile, and what it assumes.
pub(super) struct Tier1Job {
    pub id: FuncId,
    pub kind: Tier1,
    /// (local, value) pairs the code assumes: a specialization's
    /// parameters, or the locals a continuation is versioned on.
    pub values: Vec<(usize, u64)>,
    /// The version of the function's code this belongs to.
    pub version: u32,
    /// The function's symbol stem (its name, and its redefinitions).
    pub base: String,
    /// The symbol of the code's entry.
    pub symbol: String,
    /// Callees whose bodies are copied into the module (so LLVM can
    /// inline them), in order.
    pub inlined: Vec<FuncId>,
    /// What lowering adds from the profile: promoted calls, branch
    /// weights, hot and cold callees.
    pub plan: TierPlan,
    /// The decisions' evidence, for `--trace-jit`.
    pub notes: Vec<String>,
}

/// What the session knows that a plan reads.
pub(super) struct PlanInputs<'a> {
    pub prog: &'a Program,
    pub policy: &'a Policy,
    pub funcs: &'a [FuncState],
    pub links: &'a JitLinks,
    /// The functions already copied into some code of the function being
    /// planned (so its new code keeps covering them).
    pub observed: &'a [FuncId],
    /// The function's symbol stem.
    pub base: String,
}

/// Plans the tier-1 compilation `kind` of `id` with `values`.
pub(super) fn plan_tier1(
    inputs: PlanInputs<'_>,
    id: FuncId,
    values: &[(usize, u64)],
    kind: Tier1,
) -> Tier1Job {
    let PlanInputs {
        prog,
        policy,
        funcs,
        links,
        observed,
        base,
    } = inputs;
    let f = &prog.funcs[id];
    let mut plan = TierPlan::default();
    let continuation = matches!(kind, Tier1::Continuation(_));
    let copies = policy.tier1_copies(prog, funcs, id, observed, continuation);
    let mut inlined = copies.copies;
    let mut notes = Vec::new();
    let names = |ids: &[FuncId]| -> String {
        let v: Vec<&str> = ids.iter().map(|&c| prog.funcs[c].name.as_str()).collect();
        v.join(", ")
    };
    if !copies.hot.is_empty() {
        notes.push(format!("hot callees copied: {}", names(&copies.hot)));
    }
    if !copies.cold.is_empty() {
        notes.push(format!("never called, cold: {}", names(&copies.cold)));
    }
    plan.hot.extend(copies.hot.iter().copied());
    plan.cold.extend(copies.cold.iter().copied());
    // Profile-guided: promoted indirect calls (their targets are copied
    // in when small) and branch weights, for the function and its copies.
    if let Some(p) = &funcs[id].profile {
        for (site, g, evidence) in tiers::promotions(prog, id, links, p) {
            plan.targets.insert((id, site), g);
            notes.push(format!("call site {site} → {evidence}"));
            if g != id && prog.funcs[g].size <= tiers::INLINE_SIZE_LIMIT && !inlined.contains(&g) {
                inlined.push(g);
            }
        }
    }
    // A function-pointer parameter specialized on `g`: every indirect
    // call here of `g`'s type may be a call of `g`, so it is promoted to
    // one (the compare folds where the pointer is the parameter), and `g`
    // is copied in when small, so it can be inlined.
    for &(i, v) in values {
        let Some(g) = links.func_at(v as usize, prog.funcs.len()) else {
            continue;
        };
        if !matches!(f.locals[i].ty, Ty::Fn(_)) {
            continue;
        }
        if g != id && prog.funcs[g].size <= tiers::INLINE_SIZE_LIMIT && !inlined.contains(&g) {
            inlined.push(g);
        }
        for site in tiers::sites_that_may_call(prog, &inlined, g) {
            plan.targets.entry(site).or_insert(g);
        }
        // A call through the parameter itself calls `g`, whatever the
        // profile of an earlier phase said (unless `g` came through a
        // cast and has another type).
        if prog.funcs[g].fits(&f.locals[i].ty) {
            for site in tiers::calls_through_param(f, i) {
                plan.targets.insert((id, site), g);
            }
        }
    }
    for &c in inlined.iter().chain(std::iter::once(&id)) {
        if let Some(p) = &funcs[c].profile {
            for (site, w) in tiers::branch_weights(prog, c, p) {
                plan.weights.insert((c, site), w);
            }
        }
    }
    plan.cold.retain(|c| !inlined.contains(c));
    let version = match (funcs[id].tier, kind) {
        (Tier::Optimized { version }, Tier1::Generic | Tier1::Continuation(_)) => version,
        (Tier::Optimized { version }, _) => version + 1,
        _ if continuation => 0,
        _ => 1,
    };
    let mut job = Tier1Job {
        id,
        kind,
        values: values.to_vec(),
        version,
        base,
        symbol: String::new(),
        inlined,
        plan,
        notes,
    };
    job.symbol = job.code().symbol();
    job
}

impl Tier1Job {
    /// The code this job makes, named.
    pub fn code(&self) -> Code<'_> {
        match self.kind {
            Tier1::Generic => Code::Generic(&self.base, self.version),
            Tier1::Continuation(site) => Code::Continuation(&self.base, site),
            Tier1::Optimized | Tier1::Specialized => Code::Version(&self.base, self.version),
        }
    }
}

/// A tier-1 job lowered and on its way (compiling in a compile server, or
/// waiting to be installed): what installing its code needs.
pub(super) struct Lowered {
    pub job: Tier1Job,
    /// A specialization's guard (its counters, which the code updates).
    pub guard: Option<GuardBlock>,
    /// Copies of callees that are guarded specialized bodies.
    pub special_copies: u64,
    /// The decision's evidence, for `--trace-jit`.
    pub why: String,
    /// When it was planned, and how long lowering took.
    pub start: Instant,
    pub lower: Duration,
    /// Compiled elsewhere or installed late: not installed as soon as it
    /// was compiled.
    pub delayed: bool,
    /// The function and every copy, with how many times a redefinition
    /// had reset each when it was planned: one reset since makes the code
    /// stale (it is dropped, not installed).
    pub assumes: Vec<(FuncId, u32)>,
    /// Its key in the persistent code cache (compiled by a server: the
    /// object is stored when it arrives).
    pub key: Option<super::cache::Key>,
}
