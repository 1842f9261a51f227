//! On-stack replacement in lowered code: the transition out of a running
//! tier-0 call, and the continuation it enters.
//!
//! Tier-0 code with OSR points counts each loop's back edges in the
//! running call. At the threshold it hands its profile counts over, stores
//! its *frame* (one 64-bit word per local: the value's bits, or the
//! address of its storage for aggregates and locals whose address the body
//! takes, which must stay where they are; then the aggregate-return
//! pointer) and calls the JIT's OSR hook, which gives the address of a
//! continuation, or 0 to stay in tier 0. The tier-0 code calls the
//! continuation with the frame and returns what it returns.
//!
//! A continuation is the same function lowered again from the same checked
//! tree, with one more way in: its entry puts every local back from the
//! frame and jumps to the loop's head, where the back edge would have gone.
//! Everything is lowered, so every path through the rest of the function
//! (breaks, returns, traps with their positions, the enclosing loops) is
//! the function's own; the code before the loop is unreachable and the
//! optimizer drops it. The loop entered may be versioned on locals it never
//! changes: a copy in which they are the values the frame held (the
//! locals are stored once before it, and nothing in the loop stores them
//! again, so LLVM sees constants), behind a test of those values at every
//! entry to the loop, and the generic copy for every other value.

use super::ModuleLowering;
use crate::tast::{Func, FuncId, LocalId, SiteId, SiteKind};
use crate::types::Ty;
use inkwell::basic_block::BasicBlock;
use inkwell::types::BasicType;
use inkwell::values::{BasicValueEnum, FunctionValue, IntValue, PointerValue};
use inkwell::IntPredicate;
use std::collections::HashMap;

/// OSR points in a function's tier-0 code: after `threshold` back edges of
/// one loop in one call, call `usize hook(const void *arg, u32 site, u64
/// *frame)`.
#[derive(Clone, Copy, Debug)]
pub struct OsrHook {
    pub threshold: u64,
    pub hook: usize,
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
}

/// Words of function `f`'s OSR frame: one per local, then the
/// aggregate-return pointer.
pub fn frame_words(f: &Func) -> usize {
    f.locals.len() + 1
}

/// True when local `l` crosses as the address of its storage, used in
/// place by the continuation: aggregates, and locals whose address the
/// body takes (a pointer to them may be anywhere).
fn by_address(f: &Func, taken: &[bool], l: LocalId) -> bool {
    f.locals[l].ty.is_aggregate() || taken[l]
}

/// Per-function state of tier-0 code with OSR points.
pub(super) struct OsrPoints<'ctx> {
    hook: OsrHook,
    /// Each loop's back edges in this call.
    counters: HashMap<SiteId, PointerValue<'ctx>>,
    frame: PointerValue<'ctx>,
}

/// Per-function state of a continuation being lowered.
pub(super) struct Continuation<'ctx> {
    entry: OsrEntry,
    /// The block the entry jumps to: the loop's head.
    target: BasicBlock<'ctx>,
    placed: bool,
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
                let c = self.builder.build_alloca(i64t, "osr.count").unwrap();
                self.builder.build_store(c, i64t.const_zero()).unwrap();
                counters.insert(s as SiteId, c);
            }
        }
        let words = i64t.array_type(frame_words(f) as u32);
        let frame = self.builder.build_alloca(words, "osr.frame").unwrap();
        self.osr0 = Some(OsrPoints {
            hook,
            counters,
            frame,
        });
    }

    /// The back edge of loop `site` to its head `head`. In tier-0 code with
    /// OSR points it is counted and, at the threshold, the call moves to a
    /// continuation (when the hook gives one).
    pub(super) fn osr_point(&mut self, site: SiteId, head: BasicBlock<'ctx>) {
        let Some(o) = &self.osr0 else {
            self.builder.build_unconditional_branch(head).unwrap();
            return;
        };
        let (counter, frame, hook) = (o.counters[&site], o.frame, o.hook);
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
            .build_int_compare(IntPredicate::EQ, n, self.i64(hook.threshold), "osr.hot")
            .unwrap();
        let hot = self.expect_false(hot);
        let enter_bb = self.block("osr.enter");
        let go_bb = self.block("osr.go");
        self.builder
            .build_conditional_branch(hot, enter_bb, head)
            .unwrap();
        self.builder.position_at_end(enter_bb);
        // What this call counted goes to the profile the continuation is
        // compiled with (and is not counted again if the call stays).
        self.flush_profile();
        self.reset_profile_locals();
        self.store_frame(frame);
        let ptr = self.ptr_ty();
        let hook_ty = i64t.fn_type(
            &[ptr.into(), self.ctx.i32_type().into(), ptr.into()],
            false,
        );
        let args = [
            self.fixed_ptr(hook.arg).into(),
            self.ctx.i32_type().const_int(site as u64, false).into(),
            frame.into(),
        ];
        let code = self
            .builder
            .build_indirect_call(hook_ty, self.fixed_ptr(hook.hook), &args, "osr.code")
            .unwrap()
            .try_as_basic_value()
            .basic()
            .unwrap()
            .into_int_value();
        let stay = self
            .builder
            .build_int_compare(IntPredicate::EQ, code, i64t.const_zero(), "osr.stay")
            .unwrap();
        self.builder
            .build_conditional_branch(stay, head, go_bb)
            .unwrap();
        self.builder.position_at_end(go_bb);
        let f = self.cur.expect("function");
        let target = self.builder.build_int_to_ptr(code, ptr, "osr.cont").unwrap();
        let r = self
            .builder
            .build_indirect_call(self.continuation_type(f), target, &[frame.into()], "osr.ret")
            .unwrap();
        match r.try_as_basic_value().basic() {
            Some(v) if f.ret != Ty::Void && !f.ret.is_aggregate() => {
                self.builder.build_return(Some(&v)).unwrap()
            }
            _ => self.builder.build_return(None).unwrap(),
        };
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
        let frame = fv.get_nth_param(0).expect("frame").into_pointer_value();
        frame.set_name("frame");
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
                self.locals.push(p);
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
            let p = self.builder.build_int_to_ptr(bits, self.ptr_ty(), "sret").unwrap();
            self.sret = Some(p);
        }
        let site = entry.site;
        let target = self.block("osr.head");
        self.builder.build_unconditional_branch(target).unwrap();
        self.cont = Some(Continuation {
            entry,
            target,
            placed: false,
        });
        // The code before the loop: lowered (it holds the loop), never run.
        let before = self.block("osr.before");
        self.builder.position_at_end(before);
        self.gen_block(f.body.as_ref().expect("body"));
        let placed = self.cont.take().is_some_and(|c| c.placed);
        self.end_function(f);
        if placed {
            Ok(())
        } else {
            Err(format!("no loop {site} in `{}` to enter", f.name))
        }
    }

    /// In a continuation, the loop it enters (`site`): its head is the
    /// entry's target, and it is versioned on the entry's constants. Gives
    /// false for every other loop (lowered as usual).
    pub(super) fn osr_target_loop(
        &mut self,
        c: Option<&'a crate::tast::Expr>,
        step: Option<&'a crate::tast::Stmt>,
        body: &'a crate::tast::Block,
        site: SiteId,
        end_bb: BasicBlock<'ctx>,
    ) -> bool {
        let Some(cont) = self.cont.as_mut() else {
            return false;
        };
        if cont.entry.site != site || cont.placed {
            return false;
        }
        cont.placed = true;
        let target = cont.target;
        let consts = cont.entry.consts.clone();
        let always_miss = cont.entry.always_miss;
        self.builder.build_unconditional_branch(target).unwrap();
        self.builder.position_at_end(target);
        if consts.is_empty() {
            self.gen_loop_from_head(c, step, body, site, end_bb);
            return true;
        }
        let f = self.cur.expect("function");
        let mut same = self.ctx.bool_type().const_int(u64::from(!always_miss), false);
        for &(l, bits) in &consts {
            let ty = &f.locals[l].ty;
            let v = self.load(self.locals[l], ty, &f.locals[l].name);
            let v = self.to_bits(v, ty);
            let eq = self
                .builder
                .build_int_compare(IntPredicate::EQ, v, self.i64(bits), "osr.same")
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
            let b = self.i64(bits);
            let v = self.from_bits(b, ty);
            self.store(self.locals[l], ty, v);
        }
        self.gen_loop_from_head(c, step, body, site, end_bb);
        generic_bb
            .move_after(self.builder.get_insert_block().unwrap())
            .ok();
        self.builder.position_at_end(generic_bb);
        self.gen_loop_from_head(c, step, body, site, end_bb);
        true
    }
}
