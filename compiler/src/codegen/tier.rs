//! What a JIT tier adds to lowered code. Profiling code counts calls,
//! branches and back edges and records parameter values and indirect-call
//! targets; optimized code gets branch weights, promoted indirect calls,
//! constant parameters and the guard in front of a specialized body. The
//! JIT decides all of it ([`TierPlan`]); lowering only emits what the plan
//! says, and ahead-of-time builds use an empty plan.
//!
//! Counters that change inside a function (branches, loop entries, back
//! edges) are kept in locals and added to the profile when the function
//! returns, so they are registers in optimized code and never stand in the
//! way of vectorization; a function that has not returned yet has not
//! reported them. Inside loops only the loops themselves are counted (one
//! add per iteration): counting every branch of an interpreter's dispatch
//! loop made it twice as slow.

use super::ModuleLowering;
use crate::tast::{FuncId, SiteId, SiteKind};
use crate::types::Ty;
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::basic_block::BasicBlock;
use inkwell::values::{
    BasicMetadataValueEnum, BasicValueEnum, FunctionValue, IntValue, PointerValue,
};
use inkwell::IntPredicate;
use lljit_runtime::interface;
use lljit_runtime::profile::{BranchRecord, LoopRecord, TargetProfile};
use std::collections::{HashMap, HashSet};
use std::mem::offset_of;

/// Where one function's profiling code records: fixed addresses in the
/// JIT's profile memory.
#[derive(Clone, Debug)]
pub struct Counters {
    /// The call counter (a `u64`).
    pub calls: usize,
    /// All of the function's loops' back edges (a `u64`).
    pub back_edges: usize,
    /// Per parameter, its `ValueProfile` when the parameter is profiled.
    pub params: Vec<Option<usize>>,
    /// Per site, its record: a `BranchRecord`, a `LoopRecord`, or a
    /// `TargetProfile` for an indirect call (`lljit_runtime::profile`).
    pub sites: Vec<usize>,
    /// When to ask for the next tier.
    pub tier_up: TierUp,
}

/// The entry check of profiling code: call `hook(arg)` when the call
/// counter reaches `calls` (and at every multiple of a power of two past
/// it, while its optimized code is on its way), or the back-edge counter
/// reaches `back_edges` in a call numbered at least `back_edge_min_calls`.
#[derive(Clone, Copy, Debug)]
pub struct TierUp {
    /// 0: calls never trigger.
    pub calls: u64,
    /// 0: back edges never trigger.
    pub back_edges: u64,
    /// Back edges trigger only from this many calls on.
    pub back_edge_min_calls: u64,
    /// `void hook(const void *arg)`, by name ([`super::TIER_UP_HOOK`]).
    pub hook: &'static str,
    pub arg: usize,
}

/// A specialization's entry guard: the generated entry compares the
/// parameters with the constants and tail-calls the specialized body on a
/// match; on a miss it counts, records the parameters' values, calls
/// `hook(arg)` (which may decide to re-specialize) and tail-calls the
/// generic optimized body. `calls` counts every entry.
#[derive(Clone, Debug)]
pub struct Guard {
    /// (parameter index, value bits) that must all match.
    pub params: Vec<(usize, u64)>,
    pub calls: usize,
    pub misses: usize,
    /// Per parameter, where a miss records its value.
    pub profiles: Vec<Option<usize>>,
    /// The miss hook's name ([`super::GUARD_MISS_HOOK`]).
    pub hook: &'static str,
    pub arg: usize,
    /// Stress mode: the guard never matches.
    pub always_miss: bool,
    /// A copy of the guard in a caller's module: a miss only tail-calls
    /// `generic` (a forwarder to the function's slot, whose own guard
    /// counts and records the miss).
    pub forward_misses: bool,
}

/// What the JIT tells lowering about one module.
#[derive(Clone, Debug, Default)]
pub struct TierPlan {
    /// Functions whose code in this module records a profile.
    pub counters: HashMap<FuncId, Counters>,
    /// Branch weights `(taken, not taken)` by function and site.
    pub weights: HashMap<(FuncId, SiteId), (u32, u32)>,
    /// Indirect-call sites whose dominant target gets a direct call.
    pub targets: HashMap<(FuncId, SiteId), FuncId>,
    /// Callees whose copies in this module get an inlining hint (hot).
    pub hot: HashSet<FuncId>,
    /// Callees never called so far: calls to them are marked cold.
    pub cold: HashSet<FuncId>,
    /// Functions whose (tier-0) code has OSR points.
    pub osr: HashMap<FuncId, super::OsrHook>,
}

/// Per-function state of profiling code: the locals that count.
#[derive(Default)]
pub(super) struct Accumulators<'ctx> {
    /// (profile words it is added to, local counter).
    words: Vec<(Vec<usize>, PointerValue<'ctx>)>,
    /// Index into `words` of each site's first counter: a branch's taken
    /// and not-taken counters, or a loop's entry and back-edge counters.
    site_base: HashMap<SiteId, usize>,
    /// The function's one exit (made at its first `return`), which adds
    /// the local counters to the profile and returns what `ret` holds: one
    /// copy of that code, not one per `return` (a fifth of the tier-0 IR
    /// of sort_cmp's `main`, which has eight).
    exit: Option<inkwell::basic_block::BasicBlock<'ctx>>,
    ret: Option<(inkwell::types::BasicTypeEnum<'ctx>, PointerValue<'ctx>)>,
}

impl<'a, 'ctx> ModuleLowering<'a, 'ctx> {
    fn word_ptr(&self, addr: usize) -> PointerValue<'ctx> {
        self.fixed_ptr(addr)
    }

    fn add_to_word(&mut self, ptr: PointerValue<'ctx>, by: IntValue<'ctx>) {
        let i64t = self.ctx.i64_type();
        let v = self
            .builder
            .build_load(i64t, ptr, "count")
            .unwrap()
            .into_int_value();
        let n = self.builder.build_int_add(v, by, "count").unwrap();
        self.builder.build_store(ptr, n).unwrap();
    }

    /// Profiling code on entry to the current function (after its
    /// parameters are in their locals): count the call, record parameter
    /// values, set up the local counters, check for tier-up.
    pub(super) fn enter_profiled(&mut self, id: FuncId, fv: FunctionValue<'ctx>) {
        let Some(c) = self.plan.counters.get(&id).cloned() else {
            self.acc = None;
            return;
        };
        let f = &self.prog.funcs[id];
        let i64t = self.ctx.i64_type();
        let calls_ptr = self.word_ptr(c.calls);
        let calls = self
            .builder
            .build_load(i64t, calls_ptr, "calls")
            .unwrap()
            .into_int_value();
        let calls = self
            .builder
            .build_int_add(calls, self.i64(1), "calls")
            .unwrap();
        self.builder.build_store(calls_ptr, calls).unwrap();
        for (i, p) in c.params.iter().enumerate() {
            if let Some(addr) = p {
                let v = self.param_bits(i, &f.params[i]);
                let rt = self.runtime_fn(interface::PROFILE_VALUE);
                let rec = self.word_ptr(*addr);
                self.builder
                    .build_call(rt, &[rec.into(), v.into()], "")
                    .unwrap();
            }
        }
        let mut acc = Accumulators::default();
        if let Some(t) = fv.get_type().get_return_type() {
            let slot = self.builder.build_alloca(t, "ret").unwrap();
            acc.ret = Some((t, slot));
        }
        for (s, kind) in f.sites.iter().enumerate() {
            let rec = c.sites[s];
            // The words each counter adds to: the site's record (its
            // layout is the runtime's) and the function's back edges.
            let counters = match kind {
                crate::tast::SiteKind::Branch => vec![
                    vec![rec + offset_of!(BranchRecord, taken)],
                    vec![rec + offset_of!(BranchRecord, not_taken)],
                ],
                // The entry counter, then the back-edge counter.
                crate::tast::SiteKind::Loop => vec![
                    vec![rec + offset_of!(LoopRecord, entries)],
                    vec![
                        rec + offset_of!(LoopRecord, back_edges),
                        rec + offset_of!(LoopRecord, own_back_edges),
                        c.back_edges,
                    ],
                ],
                // Calls of the first target seen, counted inline.
                crate::tast::SiteKind::IndirectCall => {
                    vec![vec![rec + offset_of!(TargetProfile, counts)]]
                }
            };
            acc.site_base.insert(s as SiteId, acc.words.len());
            for words in counters {
                let local = self.builder.build_alloca(i64t, "prof").unwrap();
                self.builder.build_store(local, i64t.const_zero()).unwrap();
                acc.words.push((words, local));
            }
        }
        self.acc = Some(acc);
        // Tier-up check.
        let t = c.tier_up;
        let mut hot = self
            .builder
            .build_int_compare(IntPredicate::EQ, calls, self.i64(t.calls), "hot")
            .unwrap();
        if t.calls > 0 {
            // Past the threshold, every `again` calls enter the hook again:
            // tier 1 may still be on its way (or waiting to be installed).
            let again = t.calls.max(64).next_power_of_two();
            let past = self
                .builder
                .build_int_compare(IntPredicate::UGT, calls, self.i64(t.calls), "past")
                .unwrap();
            let low = self
                .builder
                .build_and(calls, self.i64(again - 1), "low")
                .unwrap();
            let round = self
                .builder
                .build_int_compare(IntPredicate::EQ, low, self.i64(0), "round")
                .unwrap();
            let again = self.builder.build_and(past, round, "again").unwrap();
            hot = self.builder.build_or(hot, again, "hot").unwrap();
        }
        if t.back_edges > 0 {
            let b = self
                .builder
                .build_load(i64t, self.word_ptr(c.back_edges), "back")
                .unwrap()
                .into_int_value();
            let loopy = self
                .builder
                .build_int_compare(IntPredicate::UGE, b, self.i64(t.back_edges), "loopy")
                .unwrap();
            let called = self
                .builder
                .build_int_compare(
                    IntPredicate::UGE,
                    calls,
                    self.i64(t.back_edge_min_calls),
                    "called",
                )
                .unwrap();
            let loopy = self.builder.build_and(loopy, called, "loopy").unwrap();
            hot = self.builder.build_or(hot, loopy, "hot").unwrap();
        }
        let up_bb = self.ctx.append_basic_block(fv, "tier_up");
        let go_bb = self.ctx.append_basic_block(fv, "body");
        let hot = self.expect_false(hot);
        self.builder
            .build_conditional_branch(hot, up_bb, go_bb)
            .unwrap();
        self.builder.position_at_end(up_bb);
        self.call_hook(t.hook, t.arg);
        self.builder.build_unconditional_branch(go_bb).unwrap();
        self.builder.position_at_end(go_bb);
    }

    /// `void hook(const void *arg)`, the JIT's function named `hook`.
    fn call_hook(&mut self, hook: &str, arg: usize) {
        let h = self.hook_fn(
            hook,
            self.ctx.void_type().fn_type(&[self.ptr_ty().into()], false),
        );
        let a = self.fixed_ptr(arg);
        self.builder.build_call(h, &[a.into()], "").unwrap();
    }

    /// The JIT's hook named `name`, of type `ty`, declared in this module.
    pub(super) fn hook_fn(
        &mut self,
        name: &str,
        ty: inkwell::types::FunctionType<'ctx>,
    ) -> FunctionValue<'ctx> {
        self.module
            .get_function(name)
            .unwrap_or_else(|| self.module.add_function(name, ty, None))
    }

    /// Parameter `i` of the current function as 64 bits (see `ValueProfile`).
    fn param_bits(&mut self, i: usize, ty: &Ty) -> IntValue<'ctx> {
        let local = self.locals[i];
        let v = self.load(local, ty, "p");
        self.value_bits(v, ty)
    }

    pub(super) fn value_bits(&mut self, v: BasicValueEnum<'ctx>, ty: &Ty) -> IntValue<'ctx> {
        let i64t = self.ctx.i64_type();
        match ty {
            Ty::Int(it) if it.bits == 64 => v.into_int_value(),
            Ty::Int(it) if it.signed => self
                .builder
                .build_int_s_extend(v.into_int_value(), i64t, "bits")
                .unwrap(),
            Ty::Int(_) | Ty::Bool => self
                .builder
                .build_int_z_extend(v.into_int_value(), i64t, "bits")
                .unwrap(),
            _ => self
                .builder
                .build_ptr_to_int(v.into_pointer_value(), i64t, "bits")
                .unwrap(),
        }
    }

    /// A constant of type `ty` from value-profile bits.
    pub(super) fn const_from_bits(&self, bits: u64, ty: &Ty) -> BasicValueEnum<'ctx> {
        match ty {
            Ty::Int(it) => self.int_type(it.bits).const_int(bits, false).into(),
            Ty::Bool => self.ctx.bool_type().const_int(bits & 1, false).into(),
            _ => self.fixed_ptr(bits as usize).into(),
        }
    }

    /// Value-profile bits of type `ty` as a 64-bit constant: a pointer
    /// into named JIT memory (a function's entry stub) by its symbol, as
    /// [`Self::const_from_bits`] makes it, so comparisons with it fold.
    pub(super) fn bits_const(&self, bits: u64, ty: &Ty) -> IntValue<'ctx> {
        match ty {
            Ty::Ptr(_) | Ty::Fn(_) => self
                .fixed_ptr(bits as usize)
                .const_to_int(self.ctx.i64_type()),
            _ => self.i64(bits),
        }
    }

    /// `c`, marked as expected to be false (`llvm.expect`): traps, tier-up.
    pub(super) fn expect_false(&mut self, c: IntValue<'ctx>) -> IntValue<'ctx> {
        let expect = inkwell::intrinsics::Intrinsic::find("llvm.expect").unwrap();
        let expect = expect
            .get_declaration(&self.module, &[self.ctx.bool_type().into()])
            .unwrap();
        self.builder
            .build_call(
                expect,
                &[c.into(), self.ctx.bool_type().const_zero().into()],
                "",
            )
            .unwrap()
            .try_as_basic_value()
            .basic()
            .unwrap()
            .into_int_value()
    }

    fn bump(&mut self, word: usize, by: IntValue<'ctx>) {
        let Some(acc) = &self.acc else { return };
        let local = acc.words[word].1;
        self.add_to_word(local, by);
    }

    /// Branches on `cond` at `site`: profiling code counts the outcome of
    /// a branch outside loops; optimized code with a profile gets the
    /// site's branch weights.
    pub(super) fn site_branch(
        &mut self,
        site: SiteId,
        cond: IntValue<'ctx>,
        then_bb: BasicBlock<'ctx>,
        else_bb: BasicBlock<'ctx>,
    ) {
        let is_branch = self
            .cur
            .is_some_and(|f| f.sites[site as usize] == SiteKind::Branch);
        let counted = self
            .acc
            .as_ref()
            .and_then(|a| a.site_base.get(&site).copied());
        if let (Some(base), true, true) = (counted, is_branch, self.loops.is_empty()) {
            let i64t = self.ctx.i64_type();
            let t = self
                .builder
                .build_int_z_extend(cond, i64t, "taken")
                .unwrap();
            let nc = self.builder.build_not(cond, "").unwrap();
            let n = self.builder.build_int_z_extend(nc, i64t, "not").unwrap();
            self.bump(base, t);
            self.bump(base + 1, n);
        }
        let br = self
            .builder
            .build_conditional_branch(cond, then_bb, else_bb)
            .unwrap();
        let key = (self.cur_id.expect("function"), site);
        if let Some(&(t, n)) = self.plan.weights.get(&key) {
            let kind = self.ctx.get_kind_id("prof");
            let node = self.ctx.metadata_node(&[
                self.ctx.metadata_string("branch_weights").into(),
                self.ctx.i32_type().const_int(t as u64, false).into(),
                self.ctx.i32_type().const_int(n as u64, false).into(),
            ]);
            br.set_metadata(node, kind).unwrap();
        }
    }

    /// Counts an entry into the loop at `site` (profiling code).
    pub(super) fn loop_entry(&mut self, site: SiteId) {
        let Some(&base) = self.acc.as_ref().and_then(|a| a.site_base.get(&site)) else {
            return;
        };
        let one = self.i64(1);
        self.bump(base, one);
    }

    /// Counts a back edge of the loop at `site` (profiling code).
    pub(super) fn back_edge(&mut self, site: SiteId) {
        let Some(&base) = self.acc.as_ref().and_then(|a| a.site_base.get(&site)) else {
            return;
        };
        let one = self.i64(1);
        self.bump(base + 1, one);
    }

    /// Adds the local counters to the profile (profiling code, before each
    /// return).
    pub(super) fn flush_profile(&mut self) {
        let Some(acc) = &self.acc else { return };
        let words = acc.words.clone();
        let i64t = self.ctx.i64_type();
        for (addrs, local) in words {
            let v = self
                .builder
                .build_load(i64t, local, "")
                .unwrap()
                .into_int_value();
            for addr in addrs {
                let p = self.word_ptr(addr);
                self.add_to_word(p, v);
            }
        }
    }

    /// Returns `v` from profiling code through the function's exit block;
    /// false (nothing done) outside profiling code.
    pub(super) fn return_profiled(&mut self, v: Option<BasicValueEnum<'ctx>>) -> bool {
        let Some(fv) = self.builder.get_insert_block().and_then(|b| b.get_parent()) else {
            return false;
        };
        let Some(acc) = &mut self.acc else {
            return false;
        };
        let exit = *acc
            .exit
            .get_or_insert_with(|| self.ctx.append_basic_block(fv, "exit"));
        if let (Some(v), Some((_, slot))) = (v, acc.ret) {
            self.builder.build_store(slot, v).unwrap();
        }
        self.builder.build_unconditional_branch(exit).unwrap();
        true
    }

    /// Fills the exit block of profiling code, if a `return` made one.
    pub(super) fn finish_profiled_exit(&mut self) {
        let Some(exit) = self.acc.as_ref().and_then(|a| a.exit) else {
            return;
        };
        self.builder.position_at_end(exit);
        self.flush_profile();
        match self.acc.as_ref().and_then(|a| a.ret) {
            Some((t, slot)) => {
                let v = self.builder.build_load(t, slot, "ret").unwrap();
                self.builder.build_return(Some(&v)).unwrap();
            }
            None => {
                self.builder.build_return(None).unwrap();
            }
        }
    }

    /// Sets the local counters to zero (after [`Self::flush_profile`], when
    /// the call goes on).
    pub(super) fn reset_profile_locals(&mut self) {
        let Some(acc) = &self.acc else { return };
        let zero = self.ctx.i64_type().const_zero();
        for (_, local) in &acc.words {
            self.builder.build_store(*local, zero).unwrap();
        }
    }

    /// An indirect call of `target`: recorded by profiling code, promoted
    /// to a compare and a direct call of the dominant target in optimized
    /// code that has a profile.
    pub(super) fn indirect_call(
        &mut self,
        site: SiteId,
        target: PointerValue<'ctx>,
        ty: inkwell::types::FunctionType<'ctx>,
        args: &[BasicMetadataValueEnum<'ctx>],
    ) -> Option<BasicValueEnum<'ctx>> {
        let id = self.cur_id.expect("function");
        if let Some(c) = self.plan.counters.get(&id) {
            // The first target seen is compared inline and counted in a
            // local; any other goes to the runtime's histogram.
            let rec = c.sites[site as usize];
            let i64t = self.ctx.i64_type();
            let bits = self
                .builder
                .build_ptr_to_int(target, i64t, "target")
                .unwrap();
            let first = self
                .builder
                .build_load(i64t, self.word_ptr(rec), "first")
                .unwrap()
                .into_int_value();
            let same = self
                .builder
                .build_int_compare(IntPredicate::EQ, bits, first, "same")
                .unwrap();
            let fv = self.func.unwrap();
            let same_bb = self.ctx.append_basic_block(fv, "target.first");
            let other_bb = self.ctx.append_basic_block(fv, "target.other");
            let done_bb = self.ctx.append_basic_block(fv, "target.done");
            self.builder
                .build_conditional_branch(same, same_bb, other_bb)
                .unwrap();
            self.builder.position_at_end(same_bb);
            if let Some(&base) = self.acc.as_ref().and_then(|a| a.site_base.get(&site)) {
                let one = self.i64(1);
                self.bump(base, one);
            }
            self.builder.build_unconditional_branch(done_bb).unwrap();
            self.builder.position_at_end(other_bb);
            let rt = self.runtime_fn(interface::PROFILE_TARGET);
            let rec = self.word_ptr(rec);
            self.builder
                .build_call(rt, &[rec.into(), bits.into()], "")
                .unwrap();
            self.builder.build_unconditional_branch(done_bb).unwrap();
            self.builder.position_at_end(done_bb);
        }
        let Some(&g) = self.plan.targets.get(&(id, site)) else {
            return self
                .builder
                .build_indirect_call(ty, target, args, "")
                .unwrap()
                .try_as_basic_value()
                .basic();
        };
        let expected = self.func_addr(g);
        let is_g = self
            .builder
            .build_int_compare(IntPredicate::EQ, target, expected, "promoted")
            .unwrap();
        let fv = self.func.unwrap();
        let direct_bb = self.ctx.append_basic_block(fv, "call.direct");
        let other_bb = self.ctx.append_basic_block(fv, "call.indirect");
        let end_bb = self.ctx.append_basic_block(fv, "call.end");
        self.builder
            .build_conditional_branch(is_g, direct_bb, other_bb)
            .unwrap();
        self.builder.position_at_end(direct_bb);
        let a = self.call_lc(g, args);
        let a_end = self.builder.get_insert_block().unwrap();
        self.builder.build_unconditional_branch(end_bb).unwrap();
        self.builder.position_at_end(other_bb);
        let b = self
            .builder
            .build_indirect_call(ty, target, args, "")
            .unwrap()
            .try_as_basic_value()
            .basic();
        let b_end = self.builder.get_insert_block().unwrap();
        self.builder.build_unconditional_branch(end_bb).unwrap();
        self.builder.position_at_end(end_bb);
        match (a, b) {
            (Some(a), Some(b)) => {
                let phi = self.builder.build_phi(a.get_type(), "call").unwrap();
                phi.add_incoming(&[(&a, a_end), (&b, b_end)]);
                Some(phi.as_basic_value())
            }
            _ => None,
        }
    }

    /// Defines `fv` as a call of function `id` through the slot at `slot`
    /// (its slot or its generic slot), with the same arguments (a tail
    /// call: no frame of its own).
    pub fn gen_slot_forwarder(&mut self, id: FuncId, fv: FunctionValue<'ctx>, slot: usize) {
        let f = &self.prog.funcs[id];
        let k = Attribute::get_named_enum_kind_id("nounwind");
        fv.add_attribute(AttributeLoc::Function, self.ctx.create_enum_attribute(k, 0));
        let bb = self.ctx.append_basic_block(fv, "entry");
        self.builder.position_at_end(bb);
        let slot = self.fixed_ptr(slot);
        let code = self
            .builder
            .build_load(self.ptr_ty(), slot, "code")
            .unwrap()
            .into_pointer_value();
        let args: Vec<BasicMetadataValueEnum> = fv.get_param_iter().map(|p| p.into()).collect();
        let ty = self.types.fn_type(&f.params, &f.ret, false);
        let call = self
            .builder
            .build_indirect_call(ty, code, &args, "")
            .unwrap();
        self.return_tail_call(call);
    }

    /// Makes `call` a `musttail` call and returns its result.
    fn return_tail_call(&mut self, call: inkwell::values::CallSiteValue<'ctx>) {
        call.set_tail_call_kind(inkwell::values::LLVMTailCallKind::LLVMTailCallKindMustTail);
        match call.try_as_basic_value().basic() {
            Some(v) => self.builder.build_return(Some(&v)).unwrap(),
            None => self.builder.build_return(None).unwrap(),
        };
    }

    /// Defines `entry` as the guard in front of a specialized body: on a
    /// match it tail-calls `special`, otherwise it counts the miss, records
    /// the parameters, calls the miss hook and tail-calls `generic`. Both
    /// bodies have `entry`'s signature, so no frame is ever rebuilt.
    pub fn gen_guard(
        &mut self,
        id: FuncId,
        entry: FunctionValue<'ctx>,
        special: FunctionValue<'ctx>,
        generic: FunctionValue<'ctx>,
        g: &Guard,
    ) {
        let f = &self.prog.funcs[id];
        let k = Attribute::get_named_enum_kind_id("nounwind");
        entry.add_attribute(AttributeLoc::Function, self.ctx.create_enum_attribute(k, 0));
        let bb = self.ctx.append_basic_block(entry, "entry");
        self.builder.position_at_end(bb);
        let calls = self.word_ptr(g.calls);
        self.add_to_word(calls, self.i64(1));
        let sret = f.ret.is_aggregate() as u32;
        let params: Vec<BasicValueEnum> = entry.get_param_iter().collect();
        let mut ok = self.ctx.bool_type().const_int(!g.always_miss as u64, false);
        for &(i, bits) in &g.params {
            let p = params[sret as usize + i];
            let c = self.const_from_bits(bits, &f.params[i]);
            let eq = if p.is_pointer_value() {
                self.builder
                    .build_int_compare(
                        IntPredicate::EQ,
                        p.into_pointer_value(),
                        c.into_pointer_value(),
                        "guard",
                    )
                    .unwrap()
            } else {
                self.builder
                    .build_int_compare(
                        IntPredicate::EQ,
                        p.into_int_value(),
                        c.into_int_value(),
                        "guard",
                    )
                    .unwrap()
            };
            ok = self.builder.build_and(ok, eq, "guard").unwrap();
        }
        let hit_bb = self.ctx.append_basic_block(entry, "hit");
        let miss_bb = self.ctx.append_basic_block(entry, "miss");
        self.builder
            .build_conditional_branch(ok, hit_bb, miss_bb)
            .unwrap();
        let args: Vec<BasicMetadataValueEnum> = params.iter().map(|p| (*p).into()).collect();
        let tail = |this: &mut Self, callee: FunctionValue<'ctx>| {
            let call = this.builder.build_call(callee, &args, "").unwrap();
            this.return_tail_call(call);
        };
        self.builder.position_at_end(hit_bb);
        tail(self, special);
        self.builder.position_at_end(miss_bb);
        if g.forward_misses {
            tail(self, generic);
            return;
        }
        let misses = self.word_ptr(g.misses);
        self.add_to_word(misses, self.i64(1));
        for (i, rec) in g.profiles.iter().enumerate() {
            if let Some(rec) = rec {
                let v = self.value_bits(params[sret as usize + i], &f.params[i]);
                let rt = self.runtime_fn(interface::PROFILE_VALUE);
                let r = self.word_ptr(*rec);
                self.builder
                    .build_call(rt, &[r.into(), v.into()], "")
                    .unwrap();
            }
        }
        self.call_hook(g.hook, g.arg);
        tail(self, generic);
    }
}
