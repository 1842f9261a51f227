//! Lowering: turns checked functions into LLVM IR with inkwell. One
//! dispatcher per construct family (`gen_stmt`, `gen_expr`, `gen_place`),
//! one small function per construct. The same code serves the JIT (one
//! module per compiled function, calls through slots) and ahead-of-time
//! builds (direct calls), each through its linking strategy ([`link`]);
//! what a JIT tier adds (profile counters, branch
//! weights, promoted calls, guards) is in [`tier`], and on-stack
//! replacement (the transition out of tier-0 code, the continuation it
//! enters) in [`osr`].

mod link;
mod osr;
mod symbols;
mod tier;
pub use link::{AddrNames, JitLinks, Links, PlacedLinks, Reach, Symbols};
pub use osr::{frame_words, OsrEntry, OsrHook, OSR_NOT_YET};
pub use symbols::{
    body_symbol, global_symbol, guard_symbol, profile_symbol, session_global_symbol, stem,
    string_symbol, Code, ENTRIES_SYMBOL, GENERIC_SLOTS_SYMBOL, GUARD_MISS_HOOK, OSR_HOOK,
    SLOTS_SYMBOL, START_SYMBOL, TARGETS_SYMBOL, TIER_UP_HOOK,
};
pub use tier::{Counters, Guard, TierPlan, TierUp};

use crate::ast::{BinOp, UnOp};
use crate::source::{SourceMap, Span};
use crate::tast::{self, Builtin, Callee, ConstVal, ExprKind as T, FuncId, Program, Stmt};
use crate::types::{IntTy, Ty};
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::context::ContextRef;
use inkwell::intrinsics::Intrinsic;
use inkwell::module::{Linkage, Module};
use inkwell::types::{
    ArrayType, AsTypeRef, BasicMetadataTypeEnum, BasicType, BasicTypeEnum, FunctionType, StructType,
};
use inkwell::values::{
    ArrayValue, AsValueRef, BasicMetadataValueEnum, BasicValue, BasicValueEnum, FunctionValue,
    GlobalValue, IntValue, PointerValue,
};
use inkwell::{AddressSpace, FloatPredicate, IntPredicate};
use lljit_runtime::interface;
use lljit_runtime::trap::TrapKind;
use std::collections::HashMap;

extern "C" {
    /// Declares a global an absolute address (`cpp/absolute.cpp`).
    fn lljit_mark_absolute(global: llvm_sys::prelude::LLVMValueRef);
}

/// Types shared by every module built in one LLVM context.
pub struct TypeCache<'ctx> {
    ctx: ContextRef<'ctx>,
    structs: Vec<StructType<'ctx>>,
}

impl<'ctx> TypeCache<'ctx> {
    /// Declares the program's struct types in `ctx`.
    pub fn new(ctx: ContextRef<'ctx>, prog: &Program) -> TypeCache<'ctx> {
        let structs: Vec<StructType<'ctx>> = prog
            .structs
            .iter()
            .map(|s| ctx.opaque_struct_type(&format!("struct.{}", s.name)))
            .collect();
        let mut tc = TypeCache { ctx, structs };
        for (i, s) in prog.structs.iter().enumerate() {
            let fields: Vec<BasicTypeEnum> = s.fields.iter().map(|(_, t)| tc.mem(t)).collect();
            tc.structs[i].set_body(&fields, false);
        }
        tc.structs.shrink_to_fit();
        tc
    }

    /// The types of a changed program (a session's).
    pub fn renew(&self, prog: &Program) -> TypeCache<'ctx> {
        TypeCache::new(self.ctx, prog)
    }

    /// The type of a value of `ty` in memory (`bool` is a byte).
    pub fn mem(&self, ty: &Ty) -> BasicTypeEnum<'ctx> {
        match ty {
            Ty::Bool => self.ctx.i8_type().into(),
            Ty::Array(n, t) => {
                // inkwell's `array_type` takes a `u32`; lengths reach 2^40.
                let elem = self.mem(t).as_type_ref();
                // SAFETY: `elem` is a valid sized type of this context, and
                // LLVMArrayType2 takes any 64-bit element count.
                unsafe { ArrayType::new(llvm_sys::core::LLVMArrayType2(elem, *n)) }.into()
            }
            Ty::Struct(id) => self.structs[*id].into(),
            _ => self.reg(ty),
        }
    }

    /// The type of a scalar value of `ty` in a register.
    pub fn reg(&self, ty: &Ty) -> BasicTypeEnum<'ctx> {
        match ty {
            Ty::Int(i) => self
                .ctx
                .custom_width_int_type(std::num::NonZeroU32::new(i.bits).expect("non-zero width"))
                .expect("int width")
                .into(),
            Ty::F32 => self.ctx.f32_type().into(),
            Ty::F64 => self.ctx.f64_type().into(),
            Ty::Bool => self.ctx.bool_type().into(),
            Ty::Array(..) | Ty::Struct(_) => self.mem(ty),
            _ => self.ctx.ptr_type(AddressSpace::default()).into(),
        }
    }

    /// The LLVM function type of an LC signature: aggregates are passed as
    /// pointers to caller-made copies and returned through a leading
    /// `sret` pointer.
    pub fn fn_type(&self, params: &[Ty], ret: &Ty, variadic: bool) -> FunctionType<'ctx> {
        let ptr = self.ctx.ptr_type(AddressSpace::default());
        let mut ps: Vec<BasicMetadataTypeEnum> = Vec::new();
        if ret.is_aggregate() {
            ps.push(ptr.into());
        }
        for p in params {
            ps.push(if p.is_aggregate() {
                ptr.into()
            } else {
                self.reg(p).into()
            });
        }
        match ret {
            Ty::Void => self.ctx.void_type().fn_type(&ps, variadic),
            t if t.is_aggregate() => self.ctx.void_type().fn_type(&ps, variadic),
            t => self.reg(t).fn_type(&ps, variadic),
        }
    }
}

struct LoopTargets<'ctx> {
    cont: BasicBlock<'ctx>,
    brk: BasicBlock<'ctx>,
}

/// Builds one LLVM module.
pub struct ModuleLowering<'a, 'ctx> {
    pub ctx: ContextRef<'ctx>,
    pub module: Module<'ctx>,
    builder: Builder<'ctx>,
    prog: &'a Program,
    sources: &'a SourceMap,
    types: &'a TypeCache<'ctx>,
    links: &'a dyn Links,
    /// LC functions whose bodies this module defines (callable directly).
    defined: HashMap<FuncId, FunctionValue<'ctx>>,
    strings: HashMap<Vec<u8>, GlobalValue<'ctx>>,
    positions: HashMap<Span, GlobalValue<'ctx>>,
    // Per-function state.
    func: Option<FunctionValue<'ctx>>,
    locals: Vec<PointerValue<'ctx>>,
    sret: Option<PointerValue<'ctx>>,
    loops: Vec<LoopTargets<'ctx>>,
    cur: Option<&'a tast::Func>,
    cur_id: Option<FuncId>,
    /// What the JIT tier compiling this module adds (empty ahead of time).
    pub plan: TierPlan,
    /// The current function's local profile counters, if it records a profile.
    acc: Option<tier::Accumulators<'ctx>>,
    /// The current function's OSR points (tier-0 code), if it has them.
    osr0: Option<osr::OsrPoints<'ctx>>,
    /// The continuation being lowered, if the current function is one.
    cont: Option<osr::Continuation>,
}

impl<'a, 'ctx> ModuleLowering<'a, 'ctx> {
    /// A new, empty module.
    pub fn new(
        ctx: ContextRef<'ctx>,
        name: &str,
        prog: &'a Program,
        sources: &'a SourceMap,
        types: &'a TypeCache<'ctx>,
        links: &'a dyn Links,
    ) -> Self {
        let module = ctx.create_module(name);
        let builder = ctx.create_builder();
        ModuleLowering {
            ctx,
            module,
            builder,
            prog,
            sources,
            types,
            links,
            defined: HashMap::new(),
            strings: HashMap::new(),
            positions: HashMap::new(),
            func: None,
            locals: Vec::new(),
            sret: None,
            loops: Vec::new(),
            cur: None,
            cur_id: None,
            plan: TierPlan::default(),
            acc: None,
            osr0: None,
            cont: None,
        }
    }

    /// The finished module.
    pub fn into_module(self) -> Module<'ctx> {
        self.module
    }

    fn int_type(&self, bits: u32) -> inkwell::types::IntType<'ctx> {
        self.ctx
            .custom_width_int_type(std::num::NonZeroU32::new(bits).expect("non-zero width"))
            .expect("int width")
    }

    fn ptr_ty(&self) -> inkwell::types::PointerType<'ctx> {
        self.ctx.ptr_type(AddressSpace::default())
    }

    fn i64(&self, v: u64) -> IntValue<'ctx> {
        self.ctx.i64_type().const_int(v, false)
    }

    /// A pointer to a fixed address of the JIT, baked into the IR: a slot,
    /// an entry stub, a session's global storage, and in tier code
    /// (`codegen/tier.rs`, `codegen/osr.rs`) profile words, guard blocks,
    /// the hooks and their `LazyTarget` arguments, and the function-pointer
    /// constants of a specialization.
    ///
    /// Memory the JIT named ([`Links::named`]) is reached through its
    /// symbol, declared as an absolute address (`cpp/absolute.cpp`): the
    /// same instruction, but the object file holds no address of this
    /// process. Other addresses (a value a body is specialized on) are
    /// compiled in as numbers.
    fn fixed_ptr(&self, addr: usize) -> PointerValue<'ctx> {
        let Some((name, offset)) = self.links.named(addr) else {
            return self.i64(addr as u64).const_to_pointer(self.ptr_ty());
        };
        let base = match self.module.get_global(&name) {
            Some(g) => g,
            None => {
                let g = self
                    .module
                    .add_global(self.ctx.i8_type().array_type(0), None, &name);
                g.set_linkage(Linkage::External);
                // SAFETY: a global variable declaration of this module.
                unsafe { lljit_mark_absolute(g.as_value_ref()) };
                g
            }
        };
        let base = base.as_pointer_value();
        if offset == 0 {
            return base;
        }
        // SAFETY: a constant byte offset from a global (not `inbounds`:
        // the declaration has no size).
        unsafe { base.const_gep(self.ctx.i8_type(), &[self.i64(offset as u64)]) }
    }

    // ------------------------------------------------------------ declarations

    /// Declares (or defines, with `private`) the body of LC function `id`.
    pub fn declare_body(&mut self, id: FuncId, private: bool) -> FunctionValue<'ctx> {
        if let Some(f) = self.defined.get(&id) {
            return *f;
        }
        let f = &self.prog.funcs[id];
        let ty = self.types.fn_type(&f.params, &f.ret, false);
        let linkage = if private {
            Linkage::Internal
        } else {
            Linkage::External
        };
        let fv = self
            .module
            .add_function(&body_symbol(&f.name), ty, Some(linkage));
        if private && self.plan.hot.contains(&id) {
            let k = Attribute::get_named_enum_kind_id("inlinehint");
            fv.add_attribute(AttributeLoc::Function, self.ctx.create_enum_attribute(k, 0));
        }
        self.defined.insert(id, fv);
        fv
    }

    /// Declares a body of LC function `id` under `symbol` (a JIT tier's
    /// versioned name, or a specialized or generic body), not callable by
    /// name from this module unless registered with [`Self::define_as`].
    pub fn declare_named(
        &mut self,
        id: FuncId,
        symbol: &str,
        private: bool,
    ) -> FunctionValue<'ctx> {
        let f = &self.prog.funcs[id];
        let ty = self.types.fn_type(&f.params, &f.ret, false);
        let linkage = if private {
            Linkage::Internal
        } else {
            Linkage::External
        };
        self.module.add_function(symbol, ty, Some(linkage))
    }

    /// Makes calls to `id` from this module go straight to `fv`.
    pub fn define_as(&mut self, id: FuncId, fv: FunctionValue<'ctx>) {
        self.defined.insert(id, fv);
    }

    fn extern_fn(&mut self, id: FuncId) -> FunctionValue<'ctx> {
        let f = &self.prog.funcs[id];
        if let Some(fv) = self.module.get_function(&f.name) {
            return fv;
        }
        let ty = self.types.fn_type(&f.params, &f.ret, f.variadic);
        self.module
            .add_function(&f.name, ty, Some(Linkage::External))
    }

    fn runtime_fn(&mut self, name: &str) -> FunctionValue<'ctx> {
        if let Some(fv) = self.module.get_function(name) {
            return fv;
        }
        let rf = interface::runtime_function(name).expect("runtime function");
        let abi = |t: interface::AbiType| -> BasicMetadataTypeEnum<'ctx> {
            match t {
                interface::AbiType::I32 => self.ctx.i32_type().into(),
                interface::AbiType::I64 => self.ctx.i64_type().into(),
                _ => self.ptr_ty().into(),
            }
        };
        let params: Vec<BasicMetadataTypeEnum> = rf.params.iter().map(|p| abi(*p)).collect();
        let ty = match rf.ret {
            interface::AbiType::Void => self.ctx.void_type().fn_type(&params, false),
            interface::AbiType::I32 => self.ctx.i32_type().fn_type(&params, false),
            interface::AbiType::I64 => self.ctx.i64_type().fn_type(&params, false),
            interface::AbiType::Ptr => self.ptr_ty().fn_type(&params, false),
        };
        let fv = self.module.add_function(name, ty, Some(Linkage::External));
        if rf.noreturn {
            let k = Attribute::get_named_enum_kind_id("noreturn");
            fv.add_attribute(AttributeLoc::Function, self.ctx.create_enum_attribute(k, 0));
            let k = Attribute::get_named_enum_kind_id("cold");
            fv.add_attribute(AttributeLoc::Function, self.ctx.create_enum_attribute(k, 0));
        }
        fv
    }

    fn global_var(&mut self, gid: usize) -> GlobalValue<'ctx> {
        let g = &self.prog.globals[gid];
        let name = global_symbol(&g.name);
        if let Some(gv) = self.module.get_global(&name) {
            return gv;
        }
        let ty = self.types.mem(&g.ty);
        let gv = self.module.add_global(ty, None, &name);
        gv.set_linkage(Linkage::External);
        gv
    }

    /// The address of global `gid` as the links place it.
    fn global_ptr(&mut self, gid: usize) -> PointerValue<'ctx> {
        match self.links.global(gid) {
            Reach::Fixed(addr) => self.fixed_ptr(addr),
            _ => self.global_var(gid).as_pointer_value(),
        }
    }

    /// Defines every global variable with its initial value.
    pub fn define_globals(&mut self) {
        for gid in 0..self.prog.globals.len() {
            self.define_global(gid);
        }
    }

    /// Defines global variable `gid` with its initial value under
    /// `symbol` (a session's storage for it).
    pub fn define_global_named(&mut self, gid: usize, symbol: &str) {
        let g = &self.prog.globals[gid];
        let ty = self.types.mem(&g.ty);
        let init = self.const_mem(&g.init, &g.ty);
        let gv = self.module.add_global(ty, None, symbol);
        gv.set_linkage(Linkage::External);
        gv.set_initializer(&init);
    }

    /// Defines global variable `gid` with its initial value.
    pub fn define_global(&mut self, gid: usize) {
        let gv = self.global_var(gid);
        let g = &self.prog.globals[gid];
        let init = self.const_mem(&g.init, &g.ty);
        gv.set_initializer(&init);
    }

    /// Defines C's `int main(int argc, char **argv)` for an executable: it
    /// runs `lc.start` through the runtime (guarded stack, fault handlers).
    pub fn gen_c_main(&mut self) -> FunctionValue<'ctx> {
        let start = self
            .module
            .get_function(START_SYMBOL)
            .unwrap_or_else(|| self.gen_start());
        let i32t = self.ctx.i32_type();
        let ty = i32t.fn_type(&[i32t.into(), self.ptr_ty().into()], false);
        let fv = self
            .module
            .add_function("main", ty, Some(Linkage::External));
        let bb = self.ctx.append_basic_block(fv, "entry");
        self.builder.position_at_end(bb);
        let rt = self.runtime_fn(interface::AOT_MAIN);
        let args: Vec<BasicMetadataValueEnum> = vec![
            fv.get_nth_param(0).unwrap().into(),
            fv.get_nth_param(1).unwrap().into(),
            start.as_global_value().as_pointer_value().into(),
        ];
        let status = self
            .builder
            .build_call(rt, &args, "status")
            .unwrap()
            .try_as_basic_value()
            .basic()
            .unwrap();
        self.builder.build_return(Some(&status)).unwrap();
        fv
    }

    /// The function-pointer value of LC function or extern `id`.
    fn func_addr(&mut self, id: FuncId) -> PointerValue<'ctx> {
        let f = &self.prog.funcs[id];
        if f.is_extern() {
            return self.extern_fn(id).as_global_value().as_pointer_value();
        }
        match self.links.value(id) {
            Reach::Symbol => self
                .declare_body(id, false)
                .as_global_value()
                .as_pointer_value(),
            Reach::Fixed(addr) => self.fixed_ptr(addr),
            Reach::Slot(slot) => self.load_code(slot, &f.name),
        }
    }

    // ------------------------------------------------------------ constants

    /// The string literal with bytes `s`: one object per distinct content
    /// in the whole program, in every mode. Not `unnamed_addr`, so it is
    /// never merged with (or into the tail of) another literal.
    fn string(&mut self, s: &[u8]) -> PointerValue<'ctx> {
        if let Some(g) = self.strings.get(s) {
            return g.as_pointer_value();
        }
        let name = string_symbol(s);
        let init = self.ctx.const_string(s, true);
        let g = self.module.add_global(init.get_type(), None, &name);
        g.set_initializer(&init);
        g.set_constant(true);
        g.set_linkage(Linkage::LinkOnceODR);
        self.strings.insert(s.to_vec(), g);
        g.as_pointer_value()
    }

    /// A constant in its in-memory representation.
    fn const_mem(&mut self, v: &ConstVal, ty: &Ty) -> BasicValueEnum<'ctx> {
        match (v, ty) {
            (ConstVal::Zero, t) => self.types.mem(t).const_zero(),
            (ConstVal::Bool(b), Ty::Bool) => self.ctx.i8_type().const_int(*b as u64, false).into(),
            (ConstVal::Struct(vals), Ty::Struct(id)) => {
                let fields = &self.prog.structs[*id].fields;
                let vs: Vec<BasicValueEnum> = vals
                    .iter()
                    .zip(fields)
                    .map(|(v, (_, t))| self.const_mem(v, t))
                    .collect();
                self.types
                    .mem(ty)
                    .into_struct_type()
                    .const_named_struct(&vs)
                    .into()
            }
            (ConstVal::Array(vals), Ty::Array(_, et)) => {
                let vs: Vec<BasicValueEnum> = vals.iter().map(|v| self.const_mem(v, et)).collect();
                let elem = self.types.mem(et);
                // SAFETY: every element is `const_mem(_, et)`, whose type is
                // `mem(et)`: each arm of `const_mem` builds its value from
                // `mem` (`i8` for bool, the named struct, an array of
                // `mem` elements), and `const_reg` gives scalars their
                // `reg` type, which is their `mem` type.
                unsafe { ArrayValue::new_const_array(&elem, &vs) }.into()
            }
            _ => self.const_reg(v, ty),
        }
    }

    /// A scalar constant as a register value.
    fn const_reg(&mut self, v: &ConstVal, ty: &Ty) -> BasicValueEnum<'ctx> {
        match (v, ty) {
            (ConstVal::Int(bits), Ty::Int(i)) => {
                self.int_type(i.bits).const_int(*bits, false).into()
            }
            (ConstVal::Float(f), Ty::F32) => {
                self.ctx.f32_type().const_float(*f as f32 as f64).into()
            }
            (ConstVal::Float(f), _) => self.ctx.f64_type().const_float(*f).into(),
            (ConstVal::Bool(b), _) => self.ctx.bool_type().const_int(*b as u64, false).into(),
            (ConstVal::Null, _) => self.ptr_ty().const_null().into(),
            (ConstVal::Str(s), _) => self.string(s).into(),
            (ConstVal::Func(id), _) => self.func_addr(*id).into(),
            (ConstVal::Zero, t) => self.types.reg(t).const_zero(),
            (v, t) => {
                // An aggregate constant used as a value: materialise it.
                let init = self.const_mem(v, t);
                let g = self.module.add_global(self.types.mem(t), None, ".const");
                g.set_initializer(&init);
                g.set_constant(true);
                g.set_linkage(Linkage::Private);
                g.as_pointer_value().into()
            }
        }
    }

    // ------------------------------------------------------------ functions

    /// Lowers the body of LC function `id` into this module.
    pub fn gen_function(&mut self, id: FuncId, private: bool) -> FunctionValue<'ctx> {
        let fv = self.declare_body(id, private);
        if fv.count_basic_blocks() > 0 {
            return fv;
        }
        self.gen_body(id, fv, &[]);
        fv
    }

    /// Lowers the body of LC function `id` as `fv`. A parameter with
    /// `consts[i] = Some(bits)` is that constant instead of its argument
    /// (a specialized body; its guard has checked the argument).
    pub fn gen_body(&mut self, id: FuncId, fv: FunctionValue<'ctx>, consts: &[Option<u64>]) {
        let f = self.begin_function(id, fv);
        let mut pi = 0;
        if f.ret.is_aggregate() {
            self.sret = Some(fv.get_nth_param(0).expect("sret").into_pointer_value());
            pi = 1;
        }
        for (i, local) in f.locals.iter().enumerate() {
            if i < f.params.len() {
                let p = fv.get_nth_param((pi + i) as u32).expect("param");
                p.set_name(&local.name);
                if local.ty.is_aggregate() {
                    self.locals.push(p.into_pointer_value());
                    continue;
                }
                let slot = self
                    .builder
                    .build_alloca(self.types.mem(&local.ty), &local.name)
                    .unwrap();
                let v = match consts.get(i).copied().flatten() {
                    Some(bits) => self.const_from_bits(bits, &local.ty),
                    None => p,
                };
                self.store(slot, &local.ty, v);
                self.locals.push(slot);
            } else {
                let slot = self
                    .builder
                    .build_alloca(self.types.mem(&local.ty), &local.name)
                    .unwrap();
                self.locals.push(slot);
            }
        }
        self.check_frame(f);
        self.enter_profiled(id, fv);
        self.enter_osr_points(id);
        let body = f.body.as_ref().expect("body");
        self.gen_block(body);
        self.end_function(f);
    }

    /// Starts lowering LC function `id` as `fv`: its attributes, its entry
    /// block (the builder is left there) and fresh per-function state.
    fn begin_function(&mut self, id: FuncId, fv: FunctionValue<'ctx>) -> &'a tast::Func {
        let f = &self.prog.funcs[id];
        self.cur = Some(f);
        self.cur_id = Some(id);
        self.func = Some(fv);
        let attr = self
            .ctx
            .create_string_attribute("probe-stack", "inline-asm");
        fv.add_attribute(AttributeLoc::Function, attr);
        // Recursion always uses stack, at every optimization level, so deep
        // or infinite recursion reports `stack overflow` in every mode.
        let attr = self
            .ctx
            .create_string_attribute("disable-tail-calls", "true");
        fv.add_attribute(AttributeLoc::Function, attr);
        // Accesses through null must reach memory (and trap), not be
        // optimized away as undefined behaviour.
        let k = Attribute::get_named_enum_kind_id("null_pointer_is_valid");
        fv.add_attribute(AttributeLoc::Function, self.ctx.create_enum_attribute(k, 0));
        for (k, v) in SUBTARGET_ATTRIBUTES {
            let attr = self.ctx.create_string_attribute(k, v);
            fv.add_attribute(AttributeLoc::Function, attr);
        }
        let k = Attribute::get_named_enum_kind_id("nounwind");
        fv.add_attribute(AttributeLoc::Function, self.ctx.create_enum_attribute(k, 0));
        let entry = self.ctx.append_basic_block(fv, "entry");
        self.builder.position_at_end(entry);
        self.locals.clear();
        self.loops.clear();
        self.sret = None;
        self.acc = None;
        self.osr0 = None;
        self.cont = None;
        f
    }

    /// Ends the current function: a body that falls off its end returns
    /// (`void`) or cannot get there (the checker proved every path returns).
    fn end_function(&mut self, f: &tast::Func) {
        if self.open() {
            if f.ret == Ty::Void || f.ret.is_aggregate() {
                if !self.return_profiled(None) {
                    self.builder.build_return(None).unwrap();
                }
            } else {
                self.builder.build_unreachable().unwrap();
            }
        }
        self.finish_profiled_exit();
        self.finish_osr_points();
        self.cur = None;
        self.cur_id = None;
        self.acc = None;
        self.osr0 = None;
    }

    /// A function whose locals are large checks on entry that they fit in
    /// the stack, so it overflows (or not) alike in every mode, whether or
    /// not the optimizer keeps locals it never uses.
    fn check_frame(&mut self, f: &tast::Func) {
        let bytes: u64 = f.locals[f.params.len()..]
            .iter()
            .map(|l| self.size_of(&l.ty))
            .sum();
        if bytes >= lljit_runtime::start::LARGE_FRAME {
            let check = self.runtime_fn(interface::CHECK_FRAME);
            self.builder
                .build_call(check, &[self.i64(bytes).into()], "")
                .unwrap();
        }
    }

    /// Defines `lc.start(argc, argv) -> i32`, which calls `main` with the
    /// arguments it takes and gives its exit status.
    pub fn gen_start(&mut self) -> FunctionValue<'ctx> {
        let i32t = self.ctx.i32_type();
        let ty = i32t.fn_type(&[i32t.into(), self.ptr_ty().into()], false);
        let fv = self
            .module
            .add_function(START_SYMBOL, ty, Some(Linkage::External));
        let bb = self.ctx.append_basic_block(fv, "entry");
        self.builder.position_at_end(bb);
        let main_id = self.prog.main.expect("a program with `main`");
        let main = &self.prog.funcs[main_id];
        let args: Vec<BasicMetadataValueEnum> = if main.params.is_empty() {
            vec![]
        } else {
            vec![
                fv.get_nth_param(0).unwrap().into(),
                fv.get_nth_param(1).unwrap().into(),
            ]
        };
        let r = self.call_lc(main_id, &args);
        let status = match r {
            Some(v) if main.ret != Ty::Void => v.into_int_value(),
            _ => i32t.const_zero(),
        };
        self.builder.build_return(Some(&status)).unwrap();
        fv
    }

    /// Calls LC function `id` with lowered arguments, through its slot or directly.
    fn call_lc(
        &mut self,
        id: FuncId,
        args: &[BasicMetadataValueEnum<'ctx>],
    ) -> Option<BasicValueEnum<'ctx>> {
        let f = &self.prog.funcs[id];
        let name = format!("{}.call", f.name);
        enum Code<'ctx> {
            Direct(FunctionValue<'ctx>),
            Pointer(PointerValue<'ctx>),
        }
        let code = match (self.defined.get(&id).copied(), self.links.call(id)) {
            (Some(fv), _) => Code::Direct(fv),
            (None, Reach::Symbol) => Code::Direct(self.declare_body(id, false)),
            (None, Reach::Slot(slot)) => Code::Pointer(self.load_code(slot, &f.name)),
            (None, Reach::Fixed(addr)) => Code::Pointer(self.fixed_ptr(addr)),
        };
        let call = match code {
            Code::Direct(fv) => self.builder.build_call(fv, args, &name).unwrap(),
            Code::Pointer(ptr) => {
                let ty = self.types.fn_type(&f.params, &f.ret, false);
                self.builder
                    .build_indirect_call(ty, ptr, args, &name)
                    .unwrap()
            }
        };
        if self.plan.cold.contains(&id) {
            let k = Attribute::get_named_enum_kind_id("cold");
            call.add_attribute(AttributeLoc::Function, self.ctx.create_enum_attribute(k, 0));
        }
        call.try_as_basic_value().basic()
    }

    /// The address of a function's current code, loaded from `slot`.
    fn load_code(&mut self, slot: usize, name: &str) -> PointerValue<'ctx> {
        let slot = self.fixed_ptr(slot);
        self.builder
            .build_load(self.ptr_ty(), slot, &format!("{name}.code"))
            .unwrap()
            .into_pointer_value()
    }

    /// True while the current block has no terminator.
    fn open(&self) -> bool {
        self.builder
            .get_insert_block()
            .is_some_and(|b| b.get_terminator().is_none())
    }

    /// Continues in a fresh (unreachable) block after a terminator.
    fn ensure_open(&mut self) {
        if !self.open() {
            let bb = self.ctx.append_basic_block(self.func.unwrap(), "dead");
            self.builder.position_at_end(bb);
        }
    }

    fn block(&self, name: &str) -> BasicBlock<'ctx> {
        self.ctx.append_basic_block(self.func.unwrap(), name)
    }

    // ------------------------------------------------------------ memory

    fn store(&mut self, ptr: PointerValue<'ctx>, ty: &Ty, v: BasicValueEnum<'ctx>) {
        match ty {
            t if t.is_aggregate() => {
                let size = self.size_of(t);
                self.builder
                    .build_memmove(ptr, 1, v.into_pointer_value(), 1, self.i64(size))
                    .unwrap();
            }
            Ty::Bool => {
                let b = self
                    .builder
                    .build_int_z_extend(v.into_int_value(), self.ctx.i8_type(), "")
                    .unwrap();
                self.builder.build_store(ptr, b).unwrap();
            }
            _ => {
                self.builder.build_store(ptr, v).unwrap();
            }
        }
    }

    fn load(&mut self, ptr: PointerValue<'ctx>, ty: &Ty, name: &str) -> BasicValueEnum<'ctx> {
        match ty {
            t if t.is_aggregate() => ptr.into(),
            Ty::Bool => {
                let b = self
                    .builder
                    .build_load(self.ctx.i8_type(), ptr, name)
                    .unwrap()
                    .into_int_value();
                self.builder
                    .build_int_truncate(b, self.ctx.bool_type(), "")
                    .unwrap()
                    .into()
            }
            t => self
                .builder
                .build_load(self.types.reg(t), ptr, name)
                .unwrap(),
        }
    }

    fn size_of(&self, ty: &Ty) -> u64 {
        let prog = self.prog;
        crate::types::layout_of(ty, &|id| prog.structs[id].layout).size
    }

    fn zero(&mut self, ptr: PointerValue<'ctx>, ty: &Ty) {
        if ty.is_aggregate() {
            let size = self.size_of(ty);
            self.builder
                .build_memset(ptr, 1, self.ctx.i8_type().const_zero(), self.i64(size))
                .unwrap();
        } else {
            let z = self.types.mem(ty).const_zero();
            self.builder.build_store(ptr, z).unwrap();
        }
    }

    /// A stack temporary in the entry block.
    fn temp(&mut self, ty: &Ty, name: &str) -> PointerValue<'ctx> {
        let t = self.types.mem(ty);
        self.entry_alloca(t, name)
    }

    /// A stack slot of LLVM type `t` in the entry block: a static
    /// alloca, which fast instruction selection handles (one elsewhere
    /// sends the whole block to SelectionDAG).
    pub(super) fn entry_alloca<T: BasicType<'ctx>>(&self, t: T, name: &str) -> PointerValue<'ctx> {
        let entry = self.func.unwrap().get_first_basic_block().unwrap();
        let b = self.ctx.create_builder();
        match entry.get_first_instruction() {
            Some(i) => b.position_before(&i),
            None => b.position_at_end(entry),
        }
        b.build_alloca(t, name).unwrap()
    }

    // ------------------------------------------------------------ statements

    fn gen_block(&mut self, b: &'a tast::Block) {
        for s in &b.stmts {
            self.ensure_open();
            self.gen_stmt(s);
        }
    }

    fn gen_stmt(&mut self, s: &'a Stmt) {
        match s {
            Stmt::Local(id, init) => self.gen_local(*id, init.as_ref()),
            Stmt::Assign {
                place,
                op,
                value,
                span,
            } => self.gen_assign(place, *op, value, *span),
            Stmt::Expr(e) => {
                self.gen_expr(e);
            }
            Stmt::If(c, t, e, site) => self.gen_if(c, t, e.as_deref(), *site),
            Stmt::While(c, body, site) => self.gen_loop(None, Some(c), None, body, *site),
            Stmt::For(init, c, step, body, site) => {
                self.gen_loop(init.as_deref(), c.as_ref(), step.as_deref(), body, *site)
            }
            Stmt::Break => {
                let t = self.loops.last().expect("loop").brk;
                self.builder.build_unconditional_branch(t).unwrap();
            }
            Stmt::Continue => {
                let t = self.loops.last().expect("loop").cont;
                self.builder.build_unconditional_branch(t).unwrap();
            }
            Stmt::Return(e) => self.gen_return(e.as_ref()),
            Stmt::Block(b) => self.gen_block(b),
        }
    }

    fn gen_local(&mut self, id: usize, init: Option<&'a tast::Expr>) {
        let ty = &self.cur.unwrap().locals[id].ty;
        let ptr = self.locals[id];
        match init {
            Some(e) => {
                let v = self.gen_expr(e);
                self.store(ptr, ty, v);
            }
            None => self.zero(ptr, ty),
        }
    }

    fn gen_assign(
        &mut self,
        place: &'a tast::Expr,
        op: Option<BinOp>,
        value: &'a tast::Expr,
        span: Span,
    ) {
        let ptr = self.gen_place(place);
        match op {
            None => {
                let v = self.gen_expr(value);
                self.store(ptr, &place.ty, v);
            }
            Some(op) => {
                let old = self.load(ptr, &place.ty, "old");
                let v = self.gen_expr(value);
                let new = if let Ty::Ptr(elem) = &place.ty {
                    self.ptr_offset(
                        old.into_pointer_value(),
                        elem,
                        v.into_int_value(),
                        &value.ty,
                        op == BinOp::Sub,
                    )
                } else {
                    self.arith(op, &place.ty, old, v, &value.ty, span)
                };
                self.store(ptr, &place.ty, new);
            }
        }
    }

    fn gen_if(
        &mut self,
        c: &'a tast::Expr,
        t: &'a tast::Block,
        e: Option<&'a Stmt>,
        site: tast::SiteId,
    ) {
        let cond = self.gen_expr(c).into_int_value();
        let then_bb = self.block("then");
        let end_bb = self.block("endif");
        let else_bb = if e.is_some() {
            self.block("else")
        } else {
            end_bb
        };
        self.site_branch(site, cond, then_bb, else_bb);
        self.builder.position_at_end(then_bb);
        self.gen_block(t);
        if self.open() {
            self.builder.build_unconditional_branch(end_bb).unwrap();
        }
        if let Some(e) = e {
            self.builder.position_at_end(else_bb);
            self.gen_stmt(e);
            if self.open() {
                self.builder.build_unconditional_branch(end_bb).unwrap();
            }
        }
        end_bb
            .move_after(self.builder.get_insert_block().unwrap())
            .ok();
        self.builder.position_at_end(end_bb);
    }

    /// Moves `bb` after the current block and goes on there (the block a
    /// construct's code continues in once it is done).
    fn continue_at(&mut self, bb: BasicBlock<'ctx>) {
        bb.move_after(self.builder.get_insert_block().unwrap()).ok();
        self.builder.position_at_end(bb);
    }

    fn gen_loop(
        &mut self,
        init: Option<&'a Stmt>,
        c: Option<&'a tast::Expr>,
        step: Option<&'a Stmt>,
        body: &'a tast::Block,
        site: tast::SiteId,
    ) {
        if let Some(i) = init {
            self.gen_stmt(i);
        }
        self.loop_entry(site);
        let end_bb = self.block("loop.end");
        self.gen_loop_in_continuation(c, step, body, site, end_bb);
        self.continue_at(end_bb);
    }

    /// A loop from its head (the condition) on, entered from the current
    /// block; it leaves to `end_bb`, and the builder is left in its last
    /// block.
    fn gen_loop_from_head(
        &mut self,
        c: Option<&'a tast::Expr>,
        step: Option<&'a Stmt>,
        body: &'a tast::Block,
        site: tast::SiteId,
        end_bb: BasicBlock<'ctx>,
    ) {
        let cond_bb = self.block("loop.cond");
        let body_bb = self.block("loop.body");
        let step_bb = self.block("loop.step");
        self.builder.build_unconditional_branch(cond_bb).unwrap();
        self.builder.position_at_end(cond_bb);
        match c {
            Some(c) => {
                let v = self.gen_expr(c).into_int_value();
                self.site_branch(site, v, body_bb, end_bb);
            }
            None => {
                self.builder.build_unconditional_branch(body_bb).unwrap();
            }
        }
        self.builder.position_at_end(body_bb);
        self.loops.push(LoopTargets {
            cont: step_bb,
            brk: end_bb,
        });
        self.gen_block(body);
        self.loops.pop();
        if self.open() {
            self.builder.build_unconditional_branch(step_bb).unwrap();
        }
        self.continue_at(step_bb);
        if let Some(s) = step {
            self.gen_stmt(s);
        }
        if self.open() {
            self.back_edge(site);
            self.osr_point(site, cond_bb);
        }
    }

    fn gen_return(&mut self, e: Option<&'a tast::Expr>) {
        match e {
            None => {
                if !self.return_profiled(None) {
                    self.builder.build_return(None).unwrap();
                }
            }
            Some(e) => {
                let v = self.gen_expr(e);
                if e.ty.is_aggregate() {
                    let sret = self.sret.expect("sret");
                    self.store(sret, &e.ty, v);
                    if !self.return_profiled(None) {
                        self.builder.build_return(None).unwrap();
                    }
                } else if !self.return_profiled(Some(v)) {
                    self.builder.build_return(Some(&v)).unwrap();
                }
            }
        }
    }

    // ------------------------------------------------------------ traps

    fn position_string(&mut self, span: Span) -> PointerValue<'ctx> {
        if let Some(g) = self.positions.get(&span) {
            return g.as_pointer_value();
        }
        let text = self.sources.position(span);
        let init = self.ctx.const_string(text.as_bytes(), true);
        let g = self.module.add_global(init.get_type(), None, ".pos");
        g.set_initializer(&init);
        g.set_constant(true);
        g.set_linkage(Linkage::Private);
        g.set_unnamed_addr(true);
        self.positions.insert(span, g);
        g.as_pointer_value()
    }

    /// Branches to a trap when `failed` is true; continues in a new block.
    fn trap_if(
        &mut self,
        failed: IntValue<'ctx>,
        kind: TrapKind,
        span: Span,
        a: IntValue<'ctx>,
        b: IntValue<'ctx>,
    ) {
        let trap_bb = self.block("trap");
        let ok_bb = self.block("ok");
        let f = self.expect_false(failed);
        self.builder
            .build_conditional_branch(f, trap_bb, ok_bb)
            .unwrap();
        self.builder.position_at_end(trap_bb);
        let trap = self.runtime_fn(interface::TRAP);
        let pos = self.position_string(span);
        let code = self
            .ctx
            .i32_type()
            .const_int(interface::trap_code(kind) as u64, false);
        self.builder
            .build_call(trap, &[code.into(), pos.into(), a.into(), b.into()], "")
            .unwrap();
        self.builder.build_unreachable().unwrap();
        self.builder.position_at_end(ok_bb);
    }

    // ------------------------------------------------------------ expressions

    /// The address of a place that is about to be loaded or stored, or of
    /// an aggregate value's storage. An access through a pointer derived
    /// from `null` traps here, before memory is touched, so it traps in
    /// every mode even when the optimizer would drop an unused load.
    fn gen_place(&mut self, e: &'a tast::Expr) -> PointerValue<'ctx> {
        let (addr, base) = self.place_addr(e);
        if let Some(base) = base {
            self.null_check(base, e.span);
        }
        addr
    }

    /// Traps with `invalid memory access at address 0x0` when `base` is
    /// null. The message names the null pointer, not the address the access
    /// would touch: the trap block then depends on nothing computed in a
    /// loop, so LLVM unswitches a loop-invariant check out of the loop and
    /// still vectorizes it.
    fn null_check(&mut self, base: PointerValue<'ctx>, span: Span) {
        let null = self.builder.build_is_null(base, "null").unwrap();
        let zero = self.ctx.i64_type().const_zero();
        self.trap_if(null, TrapKind::NullAccess, span, zero, zero);
    }

    /// The address of a place without touching it, and the pointer it was
    /// derived from when that pointer may be null (`*p`, `p[i]`, `*(p + i)`,
    /// `p.f` through a pointer): the base an access must check.
    fn place_addr(
        &mut self,
        e: &'a tast::Expr,
    ) -> (PointerValue<'ctx>, Option<PointerValue<'ctx>>) {
        match &e.kind {
            T::Local(id) => (self.locals[*id], None),
            T::Global(g) => (self.global_ptr(*g), None),
            T::Deref(p) => {
                let (addr, base) = self.pointer_and_base(p);
                (addr, Some(base))
            }
            T::Index { base, index, len } => {
                let elem = self.types.mem(&e.ty);
                match len {
                    Some(n) => {
                        let (bp, check) = self.place_addr(base);
                        let i = self.gen_expr(index).into_int_value();
                        let i64v = self.to_i64(i, &index.ty);
                        let len = self.i64(*n);
                        let bad = self
                            .builder
                            .build_int_compare(IntPredicate::UGE, i64v, len, "oob")
                            .unwrap();
                        self.trap_if(bad, TrapKind::IndexOutOfBounds, e.span, i64v, len);
                        let arr = self.types.mem(&base.ty);
                        // SAFETY: `arr` is an array type (the base has a
                        // length) and `[0, i]` steps over the pointer, then
                        // indexes the array, which takes any i64. In bounds
                        // at run time: `i < len` was checked just above.
                        let p = unsafe {
                            self.builder
                                .build_in_bounds_gep(arr, bp, &[self.i64(0), i64v], "elem")
                                .unwrap()
                        };
                        (p, check)
                    }
                    None => {
                        let (p, check) = self.pointer_and_base(base);
                        let i = self.gen_expr(index).into_int_value();
                        let i64v = self.to_i64(i, &index.ty);
                        // SAFETY: one index over `elem` is valid for any
                        // element type. Unchecked `p[i]` is defined only
                        // within one object (docs/language.md), which is
                        // what `inbounds` tells LLVM.
                        let p = unsafe {
                            self.builder
                                .build_in_bounds_gep(elem, p, &[i64v], "elem")
                                .unwrap()
                        };
                        (p, Some(check))
                    }
                }
            }
            T::Field(base, i) => {
                let (bp, check) = self.place_addr(base);
                let st = self.types.mem(&base.ty).into_struct_type();
                let name = match &base.ty {
                    Ty::Struct(id) => self.prog.structs[*id].fields[*i].0.clone(),
                    _ => String::new(),
                };
                let p = self
                    .builder
                    .build_struct_gep(st, bp, *i as u32, &name)
                    .unwrap();
                (p, check)
            }
            _ => {
                // An aggregate rvalue: its value is already a pointer to storage.
                let v = self.gen_expr(e);
                if e.ty.is_aggregate() {
                    (v.into_pointer_value(), None)
                } else {
                    let t = self.temp(&e.ty, "tmp");
                    self.store(t, &e.ty, v);
                    (t, None)
                }
            }
        }
    }

    /// A pointer-typed expression's value and the pointer it is derived
    /// from by pointer arithmetic and pointer casts (`p` for `p + i`).
    fn pointer_and_base(&mut self, e: &'a tast::Expr) -> (PointerValue<'ctx>, PointerValue<'ctx>) {
        match &e.kind {
            T::PtrOffset {
                ptr,
                offset,
                negate,
            } => {
                let (p, base) = self.pointer_and_base(ptr);
                let o = self.gen_expr(offset).into_int_value();
                let Ty::Ptr(elem) = &ptr.ty else {
                    unreachable!("pointer offset on non-pointer")
                };
                let addr = self.ptr_offset(p, elem, o, &offset.ty, *negate);
                (addr.into_pointer_value(), base)
            }
            T::Cast(a) if matches!(a.ty, Ty::Ptr(_)) => self.pointer_and_base(a),
            _ => {
                let p = self.gen_expr(e).into_pointer_value();
                (p, p)
            }
        }
    }

    fn to_i64(&mut self, v: IntValue<'ctx>, ty: &Ty) -> IntValue<'ctx> {
        let i64t = self.ctx.i64_type();
        match ty.int() {
            Some(IntTy { bits: 64, .. }) => v,
            Some(IntTy { signed: true, .. }) => {
                self.builder.build_int_s_extend(v, i64t, "idx").unwrap()
            }
            _ => self.builder.build_int_z_extend(v, i64t, "idx").unwrap(),
        }
    }

    /// Lowers an expression: scalars give their value, aggregates a pointer
    /// to memory holding the value.
    pub fn gen_expr(&mut self, e: &'a tast::Expr) -> BasicValueEnum<'ctx> {
        match &e.kind {
            T::Const(v) => {
                if e.ty == Ty::Void {
                    return self.ctx.i8_type().const_zero().into();
                }
                self.const_reg(v, &e.ty)
            }
            T::Local(_) | T::Global(_) | T::Index { .. } | T::Field(..) | T::Deref(_) => {
                let p = self.gen_place(e);
                let name = match &e.kind {
                    T::Local(id) => self
                        .cur
                        .map(|f| f.locals[*id].name.clone())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                self.load(p, &e.ty, &name)
            }
            // Taking an address touches no memory: no null check.
            T::AddrOf(p) => self.place_addr(p).0.into(),
            T::Unary(op, a) => self.gen_unary(*op, a),
            T::Logic(op, a, b, site) => self.gen_logic(*op, a, b, *site),
            T::Binary(op, a, b) => {
                let x = self.gen_expr(a);
                let y = self.gen_expr(b);
                if op.is_comparison() {
                    self.compare(*op, &a.ty, x, y)
                } else {
                    self.arith(*op, &a.ty, x, y, &b.ty, e.span)
                }
            }
            T::PtrOffset { .. } => self.pointer_and_base(e).0.into(),
            T::PtrDiff(a, b) => {
                let x = self.gen_expr(a).into_pointer_value();
                let y = self.gen_expr(b).into_pointer_value();
                let Ty::Ptr(elem) = &a.ty else {
                    unreachable!("pointer difference on non-pointer")
                };
                let i64t = self.ctx.i64_type();
                let xi = self.builder.build_ptr_to_int(x, i64t, "").unwrap();
                let yi = self.builder.build_ptr_to_int(y, i64t, "").unwrap();
                let d = self.builder.build_int_sub(xi, yi, "bytes").unwrap();
                let size = self.size_of(elem).max(1);
                self.builder
                    .build_int_exact_signed_div(d, self.i64(size), "diff")
                    .unwrap()
                    .into()
            }
            T::Cast(a) => {
                let v = self.gen_expr(a);
                self.cast(v, &a.ty, &e.ty)
            }
            T::Call(c, args) => self.gen_call(e, c, args),
            T::Cond(c, a, b, site) => self.gen_cond(e, c, a, b, *site),
            T::Builtin(b, args) => self.gen_builtin(*b, &e.ty, args),
            T::StructLit(fields) => {
                let t = self.temp(&e.ty, "struct");
                let st = self.types.mem(&e.ty).into_struct_type();
                let Ty::Struct(sid) = &e.ty else {
                    unreachable!()
                };
                for (i, fe) in fields {
                    let v = self.gen_expr(fe);
                    let fp = self.builder.build_struct_gep(st, t, *i as u32, "").unwrap();
                    let fty = &self.prog.structs[*sid].fields[*i].1;
                    self.store(fp, fty, v);
                }
                t.into()
            }
            T::ArrayLit(elems) => {
                let t = self.temp(&e.ty, "array");
                let Ty::Array(_, et) = &e.ty else {
                    unreachable!()
                };
                let at = self.types.mem(&e.ty);
                for (i, x) in elems.iter().enumerate() {
                    let v = self.gen_expr(x);
                    // SAFETY: `at` is the literal's array type and `[0, i]`
                    // indexes it; `i` is below its length (one element per
                    // literal element), so in bounds of the temporary.
                    let p = unsafe {
                        self.builder
                            .build_in_bounds_gep(at, t, &[self.i64(0), self.i64(i as u64)], "")
                            .unwrap()
                    };
                    self.store(p, et, v);
                }
                t.into()
            }
        }
    }

    fn ptr_offset(
        &mut self,
        p: PointerValue<'ctx>,
        elem: &Ty,
        o: IntValue<'ctx>,
        oty: &Ty,
        negate: bool,
    ) -> BasicValueEnum<'ctx> {
        let mut i = self.to_i64(o, oty);
        if negate {
            i = self.builder.build_int_neg(i, "neg").unwrap();
        }
        let et = self.types.mem(elem);
        // SAFETY: one index over `et` is valid for any element type. LC
        // defines pointer arithmetic only within one object and one past its
        // end (docs/language.md), which is what `inbounds` tells LLVM.
        unsafe {
            self.builder
                .build_in_bounds_gep(et, p, &[i], "ptr")
                .unwrap()
        }
        .into()
    }

    fn gen_unary(&mut self, op: UnOp, a: &'a tast::Expr) -> BasicValueEnum<'ctx> {
        let v = self.gen_expr(a);
        match op {
            UnOp::Neg if a.ty.is_float() => self
                .builder
                .build_float_neg(v.into_float_value(), "neg")
                .unwrap()
                .into(),
            UnOp::Neg => self
                .builder
                .build_int_neg(v.into_int_value(), "neg")
                .unwrap()
                .into(),
            UnOp::Not | UnOp::BitNot => self
                .builder
                .build_not(v.into_int_value(), "not")
                .unwrap()
                .into(),
            UnOp::Deref | UnOp::AddrOf => unreachable!("lowered as places"),
        }
    }

    fn gen_logic(
        &mut self,
        op: BinOp,
        a: &'a tast::Expr,
        b: &'a tast::Expr,
        site: tast::SiteId,
    ) -> BasicValueEnum<'ctx> {
        let op = &op;
        let x = self.gen_expr(a).into_int_value();
        let from = self.builder.get_insert_block().unwrap();
        let rhs_bb = self.block(if *op == BinOp::And {
            "and.rhs"
        } else {
            "or.rhs"
        });
        let end_bb = self.block("logic.end");
        if *op == BinOp::And {
            self.site_branch(site, x, rhs_bb, end_bb);
        } else {
            self.site_branch(site, x, end_bb, rhs_bb);
        }
        self.builder.position_at_end(rhs_bb);
        let y = self.gen_expr(b).into_int_value();
        let rhs_end = self.builder.get_insert_block().unwrap();
        self.builder.build_unconditional_branch(end_bb).unwrap();
        self.builder.position_at_end(end_bb);
        let phi = self
            .builder
            .build_phi(self.ctx.bool_type(), "logic")
            .unwrap();
        let short = self
            .ctx
            .bool_type()
            .const_int((*op == BinOp::Or) as u64, false);
        phi.add_incoming(&[(&short, from), (&y, rhs_end)]);
        phi.as_basic_value()
    }

    fn gen_cond(
        &mut self,
        e: &'a tast::Expr,
        c: &'a tast::Expr,
        a: &'a tast::Expr,
        b: &'a tast::Expr,
        site: tast::SiteId,
    ) -> BasicValueEnum<'ctx> {
        let cv = self.gen_expr(c).into_int_value();
        let then_bb = self.block("cond.then");
        let else_bb = self.block("cond.else");
        let end_bb = self.block("cond.end");
        self.site_branch(site, cv, then_bb, else_bb);
        self.builder.position_at_end(then_bb);
        let x = self.gen_expr(a);
        let x_end = self.builder.get_insert_block().unwrap();
        self.builder.build_unconditional_branch(end_bb).unwrap();
        self.builder.position_at_end(else_bb);
        let y = self.gen_expr(b);
        let y_end = self.builder.get_insert_block().unwrap();
        self.builder.build_unconditional_branch(end_bb).unwrap();
        self.builder.position_at_end(end_bb);
        let ty = if e.ty.is_aggregate() {
            self.ptr_ty().into()
        } else {
            self.types.reg(&e.ty)
        };
        let phi = self.builder.build_phi(ty, "cond").unwrap();
        phi.add_incoming(&[(&x, x_end), (&y, y_end)]);
        phi.as_basic_value()
    }

    fn compare(
        &mut self,
        op: BinOp,
        ty: &Ty,
        x: BasicValueEnum<'ctx>,
        y: BasicValueEnum<'ctx>,
    ) -> BasicValueEnum<'ctx> {
        if ty.is_float() {
            let p = match op {
                BinOp::Eq => FloatPredicate::OEQ,
                BinOp::Ne => FloatPredicate::UNE,
                BinOp::Lt => FloatPredicate::OLT,
                BinOp::Le => FloatPredicate::OLE,
                BinOp::Gt => FloatPredicate::OGT,
                _ => FloatPredicate::OGE,
            };
            return self
                .builder
                .build_float_compare(p, x.into_float_value(), y.into_float_value(), "cmp")
                .unwrap()
                .into();
        }
        let signed = ty.int().is_some_and(|i| i.signed);
        let p = match (op, signed) {
            (BinOp::Eq, _) => IntPredicate::EQ,
            (BinOp::Ne, _) => IntPredicate::NE,
            (BinOp::Lt, true) => IntPredicate::SLT,
            (BinOp::Le, true) => IntPredicate::SLE,
            (BinOp::Gt, true) => IntPredicate::SGT,
            (BinOp::Ge, true) => IntPredicate::SGE,
            (BinOp::Lt, false) => IntPredicate::ULT,
            (BinOp::Le, false) => IntPredicate::ULE,
            (BinOp::Gt, false) => IntPredicate::UGT,
            _ => IntPredicate::UGE,
        };
        if x.is_pointer_value() {
            return self
                .builder
                .build_int_compare(p, x.into_pointer_value(), y.into_pointer_value(), "cmp")
                .unwrap()
                .into();
        }
        self.builder
            .build_int_compare(p, x.into_int_value(), y.into_int_value(), "cmp")
            .unwrap()
            .into()
    }

    /// Arithmetic and bitwise operators with the language's semantics
    /// (wrapping, masked shift amounts, trapping division).
    fn arith(
        &mut self,
        op: BinOp,
        ty: &Ty,
        x: BasicValueEnum<'ctx>,
        y: BasicValueEnum<'ctx>,
        yty: &Ty,
        span: Span,
    ) -> BasicValueEnum<'ctx> {
        let b = &self.builder;
        if ty.is_float() {
            let (x, y) = (x.into_float_value(), y.into_float_value());
            return match op {
                BinOp::Add => b.build_float_add(x, y, "add").unwrap(),
                BinOp::Sub => b.build_float_sub(x, y, "sub").unwrap(),
                BinOp::Mul => b.build_float_mul(x, y, "mul").unwrap(),
                _ => b.build_float_div(x, y, "div").unwrap(),
            }
            .into();
        }
        let it = ty.int().expect("integer operands");
        let (x, mut y) = (x.into_int_value(), y.into_int_value());
        match op {
            BinOp::Add => b.build_int_add(x, y, "add").unwrap().into(),
            BinOp::Sub => b.build_int_sub(x, y, "sub").unwrap().into(),
            BinOp::Mul => b.build_int_mul(x, y, "mul").unwrap().into(),
            BinOp::BitAnd => b.build_and(x, y, "and").unwrap().into(),
            BinOp::BitOr => b.build_or(x, y, "or").unwrap().into(),
            BinOp::BitXor => b.build_xor(x, y, "xor").unwrap().into(),
            BinOp::Shl | BinOp::Shr => {
                let xt = x.get_type();
                let yit = yty.int().expect("integer shift amount");
                if yit.bits > it.bits {
                    y = b.build_int_truncate(y, xt, "amt").unwrap();
                } else if yit.bits < it.bits {
                    y = if yit.signed {
                        b.build_int_s_extend(y, xt, "amt").unwrap()
                    } else {
                        b.build_int_z_extend(y, xt, "amt").unwrap()
                    };
                }
                let amt = b
                    .build_and(y, xt.const_int(it.bits as u64 - 1, false), "amt")
                    .unwrap();
                match (op, it.signed) {
                    (BinOp::Shl, _) => b.build_left_shift(x, amt, "shl").unwrap().into(),
                    (_, sign) => b.build_right_shift(x, amt, sign, "shr").unwrap().into(),
                }
            }
            BinOp::Div | BinOp::Rem => {
                let xt = x.get_type();
                let zero = b
                    .build_int_compare(IntPredicate::EQ, y, xt.const_zero(), "divzero")
                    .unwrap();
                let none = self.i64(0);
                self.trap_if(zero, TrapKind::DivisionByZero, span, none, none);
                if it.signed {
                    let min = xt.const_int(1u64 << (it.bits - 1), false);
                    let b = &self.builder;
                    let is_min = b.build_int_compare(IntPredicate::EQ, x, min, "").unwrap();
                    let is_m1 = b
                        .build_int_compare(IntPredicate::EQ, y, xt.const_all_ones(), "")
                        .unwrap();
                    let ovf = b.build_and(is_min, is_m1, "divovf").unwrap();
                    self.trap_if(ovf, TrapKind::DivisionOverflow, span, none, none);
                }
                let b = &self.builder;
                match (op, it.signed) {
                    (BinOp::Div, true) => b.build_int_signed_div(x, y, "div").unwrap().into(),
                    (BinOp::Div, false) => b.build_int_unsigned_div(x, y, "div").unwrap().into(),
                    (_, true) => b.build_int_signed_rem(x, y, "rem").unwrap().into(),
                    (_, false) => b.build_int_unsigned_rem(x, y, "rem").unwrap().into(),
                }
            }
            _ => unreachable!("not an arithmetic operator"),
        }
    }

    fn cast(&mut self, v: BasicValueEnum<'ctx>, from: &Ty, to: &Ty) -> BasicValueEnum<'ctx> {
        let b = &self.builder;
        let tt = self.types.reg(to);
        match (from, to) {
            (Ty::Int(f), Ty::Int(t)) => {
                let v = v.into_int_value();
                let tt = tt.into_int_type();
                if t.bits < f.bits {
                    b.build_int_truncate(v, tt, "trunc").unwrap().into()
                } else if t.bits > f.bits {
                    if f.signed {
                        b.build_int_s_extend(v, tt, "sext").unwrap().into()
                    } else {
                        b.build_int_z_extend(v, tt, "zext").unwrap().into()
                    }
                } else {
                    v.into()
                }
            }
            (Ty::Bool, Ty::Int(_)) => b
                .build_int_z_extend(v.into_int_value(), tt.into_int_type(), "zext")
                .unwrap()
                .into(),
            (Ty::Int(f), Ty::F32 | Ty::F64) => {
                if f.signed {
                    b.build_signed_int_to_float(v.into_int_value(), tt.into_float_type(), "itof")
                        .unwrap()
                        .into()
                } else {
                    b.build_unsigned_int_to_float(v.into_int_value(), tt.into_float_type(), "utof")
                        .unwrap()
                        .into()
                }
            }
            (Ty::F32 | Ty::F64, Ty::Int(t)) => {
                let name = if t.signed {
                    "llvm.fptosi.sat"
                } else {
                    "llvm.fptoui.sat"
                };
                let intr = Intrinsic::find(name).unwrap();
                let decl = intr
                    .get_declaration(&self.module, &[tt, self.types.reg(from)])
                    .unwrap();
                self.builder
                    .build_call(decl, &[v.into()], "ftoi")
                    .unwrap()
                    .try_as_basic_value()
                    .basic()
                    .unwrap()
            }
            (Ty::F32, Ty::F64) => b
                .build_float_ext(v.into_float_value(), tt.into_float_type(), "fext")
                .unwrap()
                .into(),
            (Ty::F64, Ty::F32) => b
                .build_float_trunc(v.into_float_value(), tt.into_float_type(), "ftrunc")
                .unwrap()
                .into(),
            (Ty::Ptr(_) | Ty::Fn(_) | Ty::Null, Ty::Int(_)) => b
                .build_ptr_to_int(v.into_pointer_value(), tt.into_int_type(), "ptoi")
                .unwrap()
                .into(),
            (Ty::Int(_), Ty::Ptr(_) | Ty::Fn(_)) => b
                .build_int_to_ptr(v.into_int_value(), tt.into_pointer_type(), "itop")
                .unwrap()
                .into(),
            _ => v,
        }
    }

    fn gen_call(
        &mut self,
        e: &'a tast::Expr,
        c: &'a Callee,
        args: &'a [tast::Expr],
    ) -> BasicValueEnum<'ctx> {
        // Evaluate the callee first (left to right), then the arguments.
        let target = match c {
            Callee::Indirect(f, _) => Some(self.gen_expr(f).into_pointer_value()),
            Callee::Direct(_) => None,
        };
        let mut vals: Vec<BasicMetadataValueEnum> = Vec::new();
        let sret = if e.ty.is_aggregate() {
            Some(self.temp(&e.ty, "ret"))
        } else {
            None
        };
        if let Some(s) = sret {
            vals.push(s.into());
        }
        for a in args {
            let v = self.gen_expr(a);
            if a.ty.is_aggregate() {
                let copy = self.temp(&a.ty, "arg");
                self.store(copy, &a.ty, v);
                vals.push(copy.into());
            } else {
                vals.push(v.into());
            }
        }
        let r = match c {
            Callee::Direct(id) if self.prog.funcs[*id].is_extern() => {
                let fv = self.extern_fn(*id);
                self.builder
                    .build_call(fv, &vals, "")
                    .unwrap()
                    .try_as_basic_value()
                    .basic()
            }
            Callee::Direct(id) => self.call_lc(*id, &vals),
            Callee::Indirect(f, site) => {
                let Ty::Fn(sig) = &f.ty else {
                    unreachable!("indirect call of non-function")
                };
                let ty = self.types.fn_type(&sig.params, &sig.ret, false);
                self.indirect_call(*site, target.unwrap(), ty, &vals)
            }
        };
        match sret {
            Some(s) => s.into(),
            None => r.unwrap_or_else(|| self.ctx.i8_type().const_zero().into()),
        }
    }

    fn intrinsic(
        &mut self,
        name: &str,
        ty: BasicTypeEnum<'ctx>,
        args: &[BasicMetadataValueEnum<'ctx>],
    ) -> BasicValueEnum<'ctx> {
        let intr = Intrinsic::find(name).unwrap_or_else(|| panic!("missing intrinsic {name}"));
        let decl = intr.get_declaration(&self.module, &[ty]).unwrap();
        self.builder
            .build_call(decl, args, "")
            .unwrap()
            .try_as_basic_value()
            .basic()
            .unwrap()
    }

    fn gen_builtin(&mut self, b: Builtin, ty: &Ty, args: &'a [tast::Expr]) -> BasicValueEnum<'ctx> {
        let vals: Vec<BasicValueEnum> = args.iter().map(|a| self.gen_expr(a)).collect();
        let t = self.types.reg(ty);
        let f = self.ctx.bool_type().const_zero();
        match b {
            Builtin::Popcount => self.intrinsic("llvm.ctpop", t, &[vals[0].into()]),
            Builtin::Clz => self.intrinsic("llvm.ctlz", t, &[vals[0].into(), f.into()]),
            Builtin::Ctz => self.intrinsic("llvm.cttz", t, &[vals[0].into(), f.into()]),
            Builtin::Bswap => {
                if ty.int().is_some_and(|i| i.bits == 8) {
                    vals[0]
                } else {
                    self.intrinsic("llvm.bswap", t, &[vals[0].into()])
                }
            }
            Builtin::Sqrt => self.intrinsic("llvm.sqrt", t, &[vals[0].into()]),
            Builtin::Fabs => self.intrinsic("llvm.fabs", t, &[vals[0].into()]),
            Builtin::Floor => self.intrinsic("llvm.floor", t, &[vals[0].into()]),
            Builtin::Fma => self.intrinsic(
                "llvm.fma",
                t,
                &[vals[0].into(), vals[1].into(), vals[2].into()],
            ),
            Builtin::Min | Builtin::Max => {
                let op = if b == Builtin::Min {
                    BinOp::Lt
                } else {
                    BinOp::Gt
                };
                let c = self.compare(op, ty, vals[0], vals[1]).into_int_value();
                self.builder
                    .build_select(c, vals[0], vals[1], "minmax")
                    .unwrap()
            }
        }
    }
}

/// Pass-pipeline options matching clang's at the same level: loop and SLP
/// vectorization, interleaving and unrolling from -O2 up. (The C API's
/// defaults leave SLP vectorization off, which cost 30% on a convolution.)
pub fn pass_options(level: u8) -> inkwell::passes::PassBuilderOptions {
    let o = inkwell::passes::PassBuilderOptions::create();
    let on = level >= 2;
    o.set_loop_vectorization(on);
    o.set_loop_slp_vectorization(on);
    o.set_loop_interleaving(on);
    o.set_loop_unrolling(level >= 1);
    o
}

/// Keeps `BasicValue` in scope for trait methods used above.
#[allow(dead_code)]
fn _uses(v: BasicValueEnum) -> BasicValueEnum {
    v.as_basic_value_enum()
}

/// The attributes of a lowered function that choose its subtarget (LLVM
/// makes one per distinct set, at the first function that has it): the
/// host's instructions with generic scheduling and heuristics. Measured,
/// the host's own tuning made an interpreter loop 1.7x slower (branches
/// turned into cmov on the critical path).
pub const SUBTARGET_ATTRIBUTES: &[(&str, &str)] = &[("tune-cpu", "generic")];
