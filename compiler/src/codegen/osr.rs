//! On-stack replacement in lowered code: the transition out of a running
//! tier-0 call, and the continuation it enters.
//!
//! Tier-0 code with OSR points counts each loop's back edges in the
//! running call. At the threshold it hands its profile counts over, stores
//! its *frame* (one 64-bit word per local: the value's bits, or the
//! address of its storage for aggregates and locals whose address the body
//! takes, which must stay where they are; then the aggregate-return
//! pointer) and calls the JIT's OSR hook, which gives the address of a
//! continuation, 0 to stay in tier 0, or `OSR_NOT_YET` to stay and ask
//! again after as many back edges (the continuation is being compiled).
//! The tier-0 code calls the continuation with the frame and returns what
//! it returns.
//!
//! A continuation is the rest of the call, lowered again from the same
//! checked tree: its entry puts every local back from the frame and runs
//! the loop from its head (where the back edge would have gone); when the
//! loop ends, the rest of the block it is in, and for each enclosing loop
//! the rest of its current iteration, its step and then a copy of the
//! whole loop entered at its head, out to the end of the function. So the
//! continuation's loops are all natural loops with one way in (entering an
//! inner loop of a nest directly would make every enclosing loop
//! irreducible, and LLVM optimizes no irreducible loop), and every path
//! through the rest of the function (breaks, continues, returns, traps
//! with their positions) is the function's own. The run of the loop
//! entered and the outermost loops of the rest of the call (where it
//! spends its time) may be versioned on locals the rest of the call never
//! changes: a copy in which they are the values the frame held (the locals
//! are stored once before it, and nothing stores them again, so LLVM sees
//! constants), behind a test of those values, and the generic copy for
//! every other value (a later call entering the same continuation with
//! other values).

use super::{LoopTargets, ModuleLowering};
use crate::tast::visit::{continuation_path, Container};
use crate::tast::{Block, Expr, Func, FuncId, LocalId, SiteId, SiteKind, Stmt};
use crate::types::Ty;
use inkwell::basic_block::BasicBlock;
use inkwell::types::BasicType;
use inkwell::values::{BasicValueEnum, FunctionValue, IntValue, PointerValue};
use inkwell::IntPredicate;
use std::collections::HashMap;

/// What the OSR hook gives when the loop's continuation is on its way:
/// stay in tier 0, and ask again after as many back edges.
pub const OSR_NOT_YET: usize = 1;

/// OSR points in a function's tier-0 code: after `threshold` back edges of
/// one loop in one call, call `usize hook(const void *arg, u32 site, u64
/// *frame)`.
#[derive(Clone, Copy, Debug)]
pub struct OsrHook {
    pub threshold: u64,
    /// The hook's name ([`super::OSR_HOOK`]).
    pub hook: &'static str,
    pub arg: usize,
}

/// Where a continuation enters and what it specializes on.
#[derive(Clone, Debug)]
pub struct OsrEntry {
    /// The loop whose head it enters.
    pub site: SiteId,
    /// Locals the loop never changes, with value bits (as the frame holds
    /// them): the loop is versioned on them.
    pub consts: Vec<(LocalId, u64)>,
    /// Stress mode: the version test never matches.
    pub always_miss: bool,
    /// The loops versioned besides the run of the loop entered: the
    /// outermost loops of the rest of the call
    /// ([`crate::tast::visit::ContinuationUses`]).
    pub versioned: Vec<SiteId>,
}

/// Words of function `f`'s OSR frame: one per local, then the
/// aggregate-return pointer.
pub fn frame_words(f: &Func) -> usize {
    f.locals.len() + 1
}

/// Aggregates up to this many bytes whose address the body never takes
/// are copied into the continuation's own frame: used in place, through a
/// pointer LLVM knows nothing about, interp's register file kept its
/// dispatch loop 1.4x slower. Larger ones are used in place, so a
/// continuation never needs much more stack than the call it continues.
const COPIED_AGGREGATE: u64 = 256;

/// True when local `l` crosses as the address of its storage: aggregates
/// (copied by the continuation when small, see [`COPIED_AGGREGATE`]), and
/// locals whose address the body takes (a pointer to them may be
/// anywhere, so the continuation uses them in place).
fn by_address(f: &Func, taken: &[bool], l: LocalId) -> bool {
    f.locals[l].ty.is_aggregate() || taken[l]
}

/// Per-function state of tier-0 code with OSR points.
pub(super) struct OsrPoints<'ctx> {
    hook: OsrHook,
    /// Each loop's back edges in this call.
    counters: HashMap<SiteId, PointerValue<'ctx>>,
    frame: PointerValue<'ctx>,
    /// The transition block, once a loop needs it.
    transition: Option<Transition<'ctx>>,
    /// Each loop's way back from the transition.
    stays: Vec<(SiteId, BasicBlock<'ctx>)>,
}

/// The one transition block of a function's tier-0 code.
#[derive(Clone, Copy)]
struct Transition<'ctx> {
    enter: BasicBlock<'ctx>,
    /// The loop that came in.
    site: inkwell::values::PhiValue<'ctx>,
    /// Where the call stays in tier 0: it goes back to its loop.
    back: BasicBlock<'ctx>,
    /// What the loop's counter restarts at.
    count: IntValue<'ctx>,
}

/// Per-function state of a continuation being lowered.
pub(super) struct Continuation {
    entry: OsrEntry,
}

impl<'a, 'ctx> ModuleLowering<'a, 'ctx> {
    /// Tier-0 code with OSR points (the plan says which functions): a
    /// back-edge counter per loop and the frame, on entry.
    pub(super) fn enter_osr_points(&mut self, id: FuncId) {
        let Some(hook) = self.plan.osr.get(&id).copied() else {
            return;
        };
        let f = self.cur.expect("function");
        let i64t = self.ctx.i64_type();
        let mut counters = HashMap::new();
        for (s, kind) in f.sites.iter().enumerate() {
            if *kind == SiteKind::Loop {
                let c = self.entry_alloca(i64t, "osr.count");
                self.builder.build_store(c, i64t.const_zero()).unwrap();
                counters.insert(s as SiteId, c);
            }
        }
        let words = i64t.array_type(frame_words(f) as u32);
        let frame = self.entry_alloca(words, "osr.frame");
        self.osr0 = Some(OsrPoints {
            hook,
            counters,
            frame,
            transition: None,
            stays: Vec::new(),
        });
    }

    /// The back edge of loop `site` to its head `head`. In tier-0 code with
    /// OSR points it is counted and, at the threshold, the call moves to a
    /// continuation (when the hook gives one). Every loop of the function
    /// goes through one transition block ([`Self::osr_transition`]) and
    /// comes back through a block of its own that resets its counter.
    pub(super) fn osr_point(&mut self, site: SiteId, head: BasicBlock<'ctx>) {
        let Some(o) = &self.osr0 else {
            self.builder.build_unconditional_branch(head).unwrap();
            return;
        };
        let (counter, threshold) = (o.counters[&site], o.hook.threshold);
        let i64t = self.ctx.i64_type();
        let n = self
            .builder
            .build_load(i64t, counter, "osr.n")
            .unwrap()
            .into_int_value();
        let n = self.builder.build_int_add(n, self.i64(1), "osr.n").unwrap();
        self.builder.build_store(counter, n).unwrap();
        let hot = self
            .builder
            .build_int_compare(IntPredicate::EQ, n, self.i64(threshold), "osr.hot")
            .unwrap();
        let hot = self.expect_false(hot);
        let from = self.builder.get_insert_block().expect("in a block");
        let t = self.osr_transition();
        self.builder.position_at_end(from);
        self.builder
            .build_conditional_branch(hot, t.enter, head)
            .unwrap();
        let site_v = self.ctx.i32_type().const_int(site as u64, false);
        t.site.add_incoming(&[(&site_v, from)]);
        // Back in this loop: 0 (stay for the rest of the call) leaves the
        // counter past the threshold, `OSR_NOT_YET` restarts it so the
        // call asks again after as many back edges.
        let back = self.block("osr.stay");
        self.builder.position_at_end(back);
        self.builder.build_store(counter, t.count).unwrap();
        self.builder.build_unconditional_branch(head).unwrap();
        self.osr0
            .as_mut()
            .expect("checked above")
            .stays
            .push((site, back));
    }

    /// The function's transition block, made at its first OSR point: it
    /// hands the call's profile counts over, stores the frame and calls the
    /// hook with the loop's site; then either calls the continuation and
    /// returns what it returns, or goes back to the loop (by
    /// [`Self::finish_osr_points`]' switch on the site). One copy per
    /// function, not per loop: the flush and the frame are most of a
    /// transition's code, and tier 0's compile time follows its size.
    fn osr_transition(&mut self) -> Transition<'ctx> {
        let o = self.osr0.as_ref().expect("tier-0 code with OSR points");
        if let Some(t) = o.transition {
            return t;
        }
        let (frame, hook) = (o.frame, o.hook);
        let i64t = self.ctx.i64_type();
        let i32t = self.ctx.i32_type();
        let enter = self.block("osr.enter");
        let go_bb = self.block("osr.go");
        let stay_bb = self.block("osr.back");
        self.builder.position_at_end(enter);
        let site = self.builder.build_phi(i32t, "osr.site").unwrap();
        // What this call counted goes to the profile the continuation is
        // compiled with (and is not counted again if the call stays).
        self.flush_profile();
        self.reset_profile_locals();
        self.store_frame(frame);
        let ptr = self.ptr_ty();
        let hook_ty = i64t.fn_type(&[ptr.into(), i32t.into(), ptr.into()], false);
        let args = [
            self.fixed_ptr(hook.arg).into(),
            site.as_basic_value().into_int_value().into(),
            frame.into(),
        ];
        let h = self.hook_fn(hook.hook, hook_ty);
        let code = self
            .builder
            .build_call(h, &args, "osr.code")
            .unwrap()
            .try_as_basic_value()
            .basic()
            .unwrap()
            .into_int_value();
        // 0: stay for the rest of the call; `OSR_NOT_YET`: stay, and ask
        // again after as many back edges (the continuation is on its way).
        let stay = self
            .builder
            .build_int_compare(
                IntPredicate::ULE,
                code,
                i64t.const_int(OSR_NOT_YET as u64, false),
                "osr.stay",
            )
            .unwrap();
        self.builder
            .build_conditional_branch(stay, stay_bb, go_bb)
            .unwrap();
        self.builder.position_at_end(stay_bb);
        let never = self
            .builder
            .build_int_compare(IntPredicate::EQ, code, i64t.const_zero(), "osr.never")
            .unwrap();
        let count = self
            .builder
            .build_select(never, self.i64(hook.threshold), i64t.const_zero(), "osr.n")
            .unwrap()
            .into_int_value();
        self.builder.position_at_end(go_bb);
        let f = self.cur.expect("function");
        let target = self
            .builder
            .build_int_to_ptr(code, ptr, "osr.cont")
            .unwrap();
        let r = self
            .builder
            .build_indirect_call(
                self.continuation_type(f),
                target,
                &[frame.into()],
                "osr.ret",
            )
            .unwrap();
        match r.try_as_basic_value().basic() {
            Some(v) if f.ret != Ty::Void && !f.ret.is_aggregate() => {
                self.builder.build_return(Some(&v)).unwrap()
            }
            _ => self.builder.build_return(None).unwrap(),
        };
        let t = Transition {
            enter,
            site,
            back: stay_bb,
            count,
        };
        self.osr0.as_mut().expect("checked above").transition = Some(t);
        t
    }

    /// Ends tier-0 code with OSR points: the transition goes back to the
    /// loop it came from.
    pub(super) fn finish_osr_points(&mut self) {
        let Some(o) = self.osr0.take() else {
            return;
        };
        let Some(t) = o.transition else {
            return;
        };
        let Some((&(_, last), rest)) = o.stays.split_last() else {
            return;
        };
        let i32t = self.ctx.i32_type();
        let cases: Vec<_> = rest
            .iter()
            .map(|&(s, b)| (i32t.const_int(s as u64, false), b))
            .collect();
        self.builder.position_at_end(t.back);
        self.builder
            .build_switch(t.site.as_basic_value().into_int_value(), last, &cases)
            .unwrap();
    }

    /// Stores every local (and the aggregate-return pointer) in `frame`.
    fn store_frame(&mut self, frame: PointerValue<'ctx>) {
        let f = self.cur.expect("function");
        let taken = f.address_taken();
        let i64t = self.ctx.i64_type();
        for l in 0..f.locals.len() {
            let bits = if by_address(f, &taken, l) {
                self.builder
                    .build_ptr_to_int(self.locals[l], i64t, "osr.addr")
                    .unwrap()
            } else {
                let ty = &f.locals[l].ty;
                let v = self.load(self.locals[l], ty, &f.locals[l].name);
                self.to_bits(v, ty)
            };
            let word = self.frame_word(frame, l);
            self.builder.build_store(word, bits).unwrap();
        }
        let sret = match self.sret {
            Some(p) => self.builder.build_ptr_to_int(p, i64t, "osr.sret").unwrap(),
            None => i64t.const_zero(),
        };
        let word = self.frame_word(frame, f.locals.len());
        self.builder.build_store(word, sret).unwrap();
    }

    fn frame_word(&self, frame: PointerValue<'ctx>, i: usize) -> PointerValue<'ctx> {
        let i64t = self.ctx.i64_type();
        // SAFETY: `i` is within the frame's words.
        unsafe {
            self.builder
                .build_in_bounds_gep(i64t, frame, &[self.i64(i as u64)], "osr.word")
                .unwrap()
        }
    }

    /// A scalar's bits as a frame word: integers as value profiles hold
    /// them (sign-extended when signed), floats by their bits.
    fn to_bits(&mut self, v: BasicValueEnum<'ctx>, ty: &Ty) -> IntValue<'ctx> {
        let i64t = self.ctx.i64_type();
        match ty {
            Ty::F64 => self
                .builder
                .build_bit_cast(v, i64t, "bits")
                .unwrap()
                .into_int_value(),
            Ty::F32 => {
                let i = self
                    .builder
                    .build_bit_cast(v, self.ctx.i32_type(), "bits")
                    .unwrap()
                    .into_int_value();
                self.builder.build_int_z_extend(i, i64t, "bits").unwrap()
            }
            _ => self.value_bits(v, ty),
        }
    }

    /// The value of type `ty` whose frame word is `bits`.
    fn from_bits(&mut self, bits: IntValue<'ctx>, ty: &Ty) -> BasicValueEnum<'ctx> {
        match ty {
            Ty::Int(it) if it.bits == 64 => bits.into(),
            Ty::Int(it) => self
                .builder
                .build_int_truncate(bits, self.int_type(it.bits), "v")
                .unwrap()
                .into(),
            Ty::Bool => self
                .builder
                .build_int_truncate(bits, self.ctx.bool_type(), "v")
                .unwrap()
                .into(),
            Ty::F64 => self
                .builder
                .build_bit_cast(bits, self.ctx.f64_type(), "v")
                .unwrap(),
            Ty::F32 => {
                let i = self
                    .builder
                    .build_int_truncate(bits, self.ctx.i32_type(), "v")
                    .unwrap();
                self.builder
                    .build_bit_cast(i, self.ctx.f32_type(), "v")
                    .unwrap()
            }
            _ => self
                .builder
                .build_int_to_ptr(bits, self.ptr_ty(), "v")
                .unwrap()
                .into(),
        }
    }

    /// The type of `f`'s continuations: its result from a frame.
    fn continuation_type(&self, f: &Func) -> inkwell::types::FunctionType<'ctx> {
        let ptr = self.ptr_ty().into();
        match &f.ret {
            t if *t == Ty::Void || t.is_aggregate() => self.ctx.void_type().fn_type(&[ptr], false),
            t => self.types.reg(t).fn_type(&[ptr], false),
        }
    }

    /// Declares a continuation of LC function `id` as `symbol`.
    pub fn declare_continuation(&mut self, id: FuncId, symbol: &str) -> FunctionValue<'ctx> {
        let ty = self.continuation_type(&self.prog.funcs[id]);
        self.module
            .add_function(symbol, ty, Some(inkwell::module::Linkage::External))
    }

    /// Lowers `fv`, the continuation of LC function `id` that enters the
    /// loop of `entry` with the frame it is given.
    pub fn gen_continuation(
        &mut self,
        id: FuncId,
        fv: FunctionValue<'ctx>,
        entry: OsrEntry,
    ) -> Result<(), String> {
        let f = self.begin_function(id, fv);
        let body = f.body.as_ref().expect("body");
        let Some(levels) = continuation_path(body, entry.site) else {
            return Err(format!("no loop {} in `{}` to enter", entry.site, f.name));
        };
        let frame = fv.get_nth_param(0).expect("frame").into_pointer_value();
        frame.set_name("frame");
        self.load_frame(f, frame);
        self.cont = Some(Continuation { entry });
        // Each enclosing loop's `continue` goes to the rest of the current
        // iteration's step, and its `break` past its copy (outermost
        // first, as the loop stack is).
        let mut targets = Vec::new();
        for level in levels.iter().rev() {
            if let Container::Loop { .. } = level.container {
                let t = LoopTargets {
                    cont: self.block("osr.step"),
                    brk: self.block("loop.end"),
                };
                targets.push((t.cont, t.brk));
                self.loops.push(t);
            }
        }
        // The loop entered, at its head.
        let (c, step, lbody, site) = match &levels[0].stmts[levels[0].index] {
            Stmt::While(c, b, k) => (Some(c), None, b, *k),
            Stmt::For(_, c, st, b, k) => (c.as_ref(), st.as_deref(), b, *k),
            _ => unreachable!("the path ends at a loop"),
        };
        let end_bb = self.block("loop.end");
        self.gen_loop_versioned(c, step, lbody, end_bb, site);
        self.continue_at(end_bb);
        // Then, from the inside out: the rest of each enclosing block and,
        // for a loop, the rest of its current iteration, its step and a
        // copy of the loop entered at its head.
        for level in &levels {
            for s in &level.stmts[level.index + 1..] {
                self.ensure_open();
                self.gen_stmt(s);
            }
            if let Container::Loop {
                c,
                step,
                body,
                site,
            } = level.container
            {
                self.loops.pop();
                let (step_bb, end_bb) = targets.pop().expect("a loop's targets");
                if self.open() {
                    self.builder.build_unconditional_branch(step_bb).unwrap();
                }
                self.continue_at(step_bb);
                if let Some(st) = step {
                    self.gen_stmt(st);
                }
                if self.open() {
                    self.gen_loop_in_continuation(c, step, body, site, end_bb);
                }
                self.continue_at(end_bb);
            }
        }
        self.cont = None;
        self.end_function(f);
        Ok(())
    }

    /// A continuation's locals, from the frame.
    fn load_frame(&mut self, f: &Func, frame: PointerValue<'ctx>) {
        let taken = f.address_taken();
        let i64t = self.ctx.i64_type();
        for (l, local) in f.locals.iter().enumerate() {
            let word = self.frame_word(frame, l);
            let bits = self
                .builder
                .build_load(i64t, word, "w")
                .unwrap()
                .into_int_value();
            if by_address(f, &taken, l) {
                let p = self
                    .builder
                    .build_int_to_ptr(bits, self.ptr_ty(), &local.name)
                    .unwrap();
                if taken[l] || self.size_of(&local.ty) > COPIED_AGGREGATE {
                    self.locals.push(p);
                } else {
                    // A copy of its own: LLVM knows nothing else points
                    // into it (tier 0's storage is never used again).
                    let slot = self
                        .builder
                        .build_alloca(self.types.mem(&local.ty), &local.name)
                        .unwrap();
                    self.store(slot, &local.ty, p.into());
                    self.locals.push(slot);
                }
            } else {
                let slot = self
                    .builder
                    .build_alloca(self.types.mem(&local.ty), &local.name)
                    .unwrap();
                let v = self.from_bits(bits, &local.ty);
                self.store(slot, &local.ty, v);
                self.locals.push(slot);
            }
        }
        if f.ret.is_aggregate() {
            let word = self.frame_word(frame, f.locals.len());
            let bits = self
                .builder
                .build_load(i64t, word, "w")
                .unwrap()
                .into_int_value();
            let p = self
                .builder
                .build_int_to_ptr(bits, self.ptr_ty(), "sret")
                .unwrap();
            self.sret = Some(p);
        }
    }

    /// A loop from its head on: versioned in a continuation when it is one
    /// of the outermost loops of the rest of the call (the rest of the call
    /// spends its time in them; loops inside them are not versioned
    /// again), as usual otherwise.
    pub(super) fn gen_loop_in_continuation(
        &mut self,
        c: Option<&'a Expr>,
        step: Option<&'a Stmt>,
        body: &'a Block,
        site: SiteId,
        end_bb: BasicBlock<'ctx>,
    ) {
        if self
            .cont
            .as_ref()
            .is_some_and(|k| k.entry.versioned.contains(&site))
        {
            self.gen_loop_versioned(c, step, body, end_bb, site);
        } else {
            self.gen_loop_from_head(c, step, body, site, end_bb);
        }
    }

    /// A loop from its head on (see `gen_loop_from_head`), versioned on
    /// the continuation's constants: a test of them, then a copy where
    /// they are constants or the generic copy.
    fn gen_loop_versioned(
        &mut self,
        c: Option<&'a Expr>,
        step: Option<&'a Stmt>,
        body: &'a Block,
        end_bb: BasicBlock<'ctx>,
        site: SiteId,
    ) {
        let consts = match &self.cont {
            Some(cont) if !cont.entry.consts.is_empty() => cont.entry.consts.clone(),
            _ => return self.gen_loop_from_head(c, step, body, site, end_bb),
        };
        let always_miss = self.cont.as_ref().is_some_and(|c| c.entry.always_miss);
        let f = self.cur.expect("function");
        let mut same = self
            .ctx
            .bool_type()
            .const_int(u64::from(!always_miss), false);
        for &(l, bits) in &consts {
            let ty = &f.locals[l].ty;
            let v = self.load(self.locals[l], ty, &f.locals[l].name);
            let v = self.to_bits(v, ty);
            let c = self.bits_const(bits, ty);
            let eq = self
                .builder
                .build_int_compare(IntPredicate::EQ, v, c, "osr.same")
                .unwrap();
            same = self.builder.build_and(same, eq, "osr.same").unwrap();
        }
        let special_bb = self.block("osr.special");
        let generic_bb = self.block("osr.generic");
        self.builder
            .build_conditional_branch(same, special_bb, generic_bb)
            .unwrap();
        self.builder.position_at_end(special_bb);
        for &(l, bits) in &consts {
            let ty = &f.locals[l].ty;
            let b = self.bits_const(bits, ty);
            let v = self.from_bits(b, ty);
            self.store(self.locals[l], ty, v);
        }
        self.gen_loop_from_head(c, step, body, site, end_bb);
        self.continue_at(generic_bb);
        self.gen_loop_from_head(c, step, body, site, end_bb);
    }
}
