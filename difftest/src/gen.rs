//! The generator: a seed becomes a valid, terminating LC program (as an
//! [`ast::Program`]) whose output is a running checksum of what it computes.
//!
//! Termination by construction: loops have constant trip counts, recursion
//! takes a depth masked to a small range, and the call graph is acyclic
//! (leaves call earlier leaves, `mid` functions call later `mid`s, never
//! inside loops). Pointers are only formed into live arrays, structs and
//! scalars with a known number of valid elements, and stored function
//! pointers are never null. Traps are rare by design: divisors and indices
//! are guarded except with a small probability.

use crate::ast::*;
use crate::rng::Rng;

/// What the generator may use. Every feature is on by default; `--avoid`
/// turns some off to measure the rest while a known bug is open.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Global variables initialised with functions (or aggregates holding them).
    pub avoid_fn_globals: bool,
    /// Comparisons of function pointers (identity).
    pub avoid_fn_identity: bool,
    /// Constructs that may trap (raw divisors and indices).
    pub avoid_traps: bool,
    /// `-` and `~` applied directly to a parenthesised literal (`-(5u8)`).
    pub avoid_neg_literal: bool,
}

impl Options {
    /// Parses a comma-separated `--avoid` list.
    pub fn parse_avoid(list: &str) -> Result<Options, String> {
        let mut o = Options::default();
        for w in list.split(',').filter(|w| !w.is_empty()) {
            match w {
                "fn-globals" => o.avoid_fn_globals = true,
                "fn-identity" => o.avoid_fn_identity = true,
                "traps" => o.avoid_traps = true,
                "neg-literal" => o.avoid_neg_literal = true,
                _ => {
                    return Err(format!(
                    "unknown --avoid feature `{w}` (fn-globals, fn-identity, traps, neg-literal)"
                ))
                }
            }
        }
        Ok(o)
    }
}

/// Generates the program for `seed`.
pub fn generate(seed: u64, opts: &Options) -> Program {
    let mut g = Gen::new(seed, opts.clone());
    g.program();
    Program {
        seed,
        structs: g.structs,
        globals: g.globals,
        funcs: g.funcs,
    }
}

#[derive(Clone, Debug)]
struct Var {
    name: String,
    ty: Ty,
    mutable: bool,
    info: VarInfo,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum VarInfo {
    Plain,
    /// A pointer with `avail` valid elements from it (0: null or unusable).
    Ptr {
        avail: u32,
        writable: bool,
    },
    /// A `for` variable counting `0..bound`.
    Loop {
        bound: u32,
    },
    /// A pointer variable holding `null`: accesses through it trap.
    NullPtr,
}

/// A `mid` function's parameter contract: pointers need enough elements.
#[derive(Clone, Debug)]
struct MidParam {
    ty: Ty,
    info: VarInfo,
}

#[derive(Clone, Debug)]
struct MidInfo {
    name: String,
    params: Vec<MidParam>,
    ret: Option<Ty>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Leaf,
    Rec,
    Mid,
    Main,
}

struct Gen {
    rng: Rng,
    opts: Options,
    next_id: NodeId,
    structs: Vec<StructDef>,
    globals: Vec<Global>,
    funcs: Vec<Func>,
    gvars: Vec<Var>,
    scopes: Vec<Vec<Var>>,
    sigs: Vec<Sig>,
    leaves: Vec<(String, Sig)>,
    /// The leaf being generated (it may call leaves before it).
    cur_leaf: usize,
    recs: Vec<(String, Sig)>,
    strfns: Vec<String>,
    mids: Vec<MidInfo>,
    role: Role,
    /// Index of the `mid` being generated; it may call higher ones.
    mid_index: usize,
    loop_depth: u32,
    locals: u32,
}

/// The comparison operators.
const COMPARISONS: [BinOp; 6] = [
    BinOp::Eq,
    BinOp::Ne,
    BinOp::Lt,
    BinOp::Le,
    BinOp::Gt,
    BinOp::Ge,
];

/// Array lengths; the last two (long enough for vector loops) are rarer.
const ARRAY_LENS: [u32; 8] = [1, 2, 3, 4, 5, 8, 16, 32];

fn int(t: IntTy) -> Ty {
    Ty::Int(t)
}

fn ptr(t: Ty) -> Ty {
    Ty::Ptr(Box::new(t))
}

/// Whether a value of `ty` holds a function pointer somewhere (such storage
/// must always be initialised: calling null is not a generated behaviour).
pub fn contains_fn(structs: &[StructDef], ty: &Ty) -> bool {
    match ty {
        Ty::Fn(_) => true,
        Ty::Array(_, e) => contains_fn(structs, e),
        Ty::Struct(s) => structs[*s]
            .fields
            .iter()
            .any(|f| contains_fn(structs, &f.1)),
        _ => false,
    }
}

impl Gen {
    fn new(seed: u64, opts: Options) -> Gen {
        Gen {
            rng: Rng::new(seed),
            opts,
            next_id: 0,
            structs: vec![],
            globals: vec![],
            funcs: vec![],
            gvars: vec![],
            scopes: vec![],
            sigs: vec![],
            leaves: vec![],
            cur_leaf: 0,
            recs: vec![],
            strfns: vec![],
            mids: vec![],
            role: Role::Main,
            mid_index: 0,
            loop_depth: 0,
            locals: 0,
        }
    }

    // ----- program structure -------------------------------------------

    fn program(&mut self) {
        let nsigs = self.rng.range(2, 3);
        for _ in 0..nsigs {
            let np = self.rng.range(1, 3);
            let params = (0..np).map(|_| self.scalar_ty()).collect();
            let ret = Some(Box::new(self.scalar_ty()));
            self.sigs.push(Sig { params, ret });
        }
        for i in 0..self.rng.range(1, 3) {
            self.struct_def(i as usize);
        }
        self.str_fn();
        let nleaves = self.rng.range(nsigs, nsigs + 3) as usize;
        // All leaves are known up front (function values may name any);
        // a leaf calls only the ones before it.
        self.leaves = (0..nleaves)
            .map(|i| (format!("leaf{i}"), self.sigs[i % self.sigs.len()].clone()))
            .collect();
        for i in 0..nleaves {
            self.cur_leaf = i;
            self.leaf(i, self.leaves[i].1.clone());
        }
        self.cur_leaf = nleaves;
        self.global_vars();
        for i in 0..self.rng.range(1, 2) {
            self.rec_fn(i as usize);
        }
        let nmids = self.rng.range(2, 5) as usize;
        self.plan_mids(nmids);
        for i in (0..nmids).rev() {
            self.mid_fn(i);
        }
        self.main_fn();
    }

    fn scalar_ty(&mut self) -> Ty {
        match self.rng.below(12) {
            0..=7 => int(*self.rng.pick(&INT_TYS)),
            8 => Ty::F32,
            9 | 10 => Ty::F64,
            _ => Ty::Bool,
        }
    }

    fn array_len(&mut self) -> u32 {
        if self.rng.chance(120) {
            ARRAY_LENS[6 + self.rng.below(2) as usize]
        } else {
            ARRAY_LENS[self.rng.below(6) as usize]
        }
    }

    /// `f32`, `f64` or `bool` with probability 1/`n` each, else an integer.
    fn operand_ty(&mut self, n: u64) -> Ty {
        match self.rng.below(n) {
            0 => Ty::F32,
            1 => Ty::F64,
            2 => Ty::Bool,
            _ => int(*self.rng.pick(&INT_TYS)),
        }
    }

    fn struct_def(&mut self, i: usize) {
        let n = self.rng.range(2, 4);
        let mut fields = vec![];
        for k in 0..n {
            let ty = match self.rng.below(10) {
                0 => Ty::Array(
                    *self.rng.pick(&[2, 3, 4]),
                    Box::new(int(*self.rng.pick(&INT_TYS))),
                ),
                1 => Ty::Fn(self.rng.pick(&self.sigs).clone()),
                2 if i > 0 => Ty::Struct(self.rng.below(i as u64) as usize),
                _ => self.scalar_ty(),
            };
            fields.push((format!("f{k}"), ty));
        }
        self.structs.push(StructDef {
            name: format!("S{i}"),
            fields,
        });
    }

    fn begin_fn(&mut self, role: Role, params: &[(String, Ty, VarInfo)]) {
        self.role = role;
        self.loop_depth = 0;
        self.locals = 0;
        self.scopes = vec![params
            .iter()
            .map(|(n, t, info)| Var {
                name: n.clone(),
                ty: t.clone(),
                mutable: false,
                info: *info,
            })
            .collect()];
    }

    fn leaf(&mut self, i: usize, sig: Sig) {
        let params: Vec<(String, Ty, VarInfo)> = sig
            .params
            .iter()
            .enumerate()
            .map(|(k, t)| (format!("p{k}"), t.clone(), VarInfo::Plain))
            .collect();
        self.begin_fn(Role::Leaf, &params);
        let ret = (*sig.ret.clone().unwrap()).clone();
        let n = self.rng.range(0, 3);
        let mut body = self.stmts(n, 1);
        let e = self.expr(&ret, 3);
        body.push(Stmt::Return(Some(e)));
        let name = format!("leaf{i}");
        self.funcs.push(Func {
            name,
            params: params.into_iter().map(|(n, t, _)| (n, t)).collect(),
            ret: Some(ret),
            body,
        });
    }

    /// `fn strfn0() -> *u8 { return "…"; }`: one literal occurrence, reached
    /// directly and through pointers.
    fn str_fn(&mut self) {
        let s = self.string_lit();
        let e = self.mk(Ty::bytes(), ExprKind::Str(s));
        self.funcs.push(Func {
            name: "strfn0".into(),
            params: vec![],
            ret: Some(Ty::bytes()),
            body: vec![Stmt::Return(Some(e))],
        });
        self.strfns.push("strfn0".into());
    }

    fn global_vars(&mut self) {
        let n = self.rng.range(3, 7);
        for i in 0..n {
            let ty = match self.rng.below(12) {
                0 => Ty::Array(self.array_len(), Box::new(int(*self.rng.pick(&INT_TYS)))),
                1 => Ty::Array(
                    *self.rng.pick(&[2, 4]),
                    Box::new(if self.rng.chance(500) {
                        Ty::F64
                    } else {
                        Ty::F32
                    }),
                ),
                2 => Ty::Struct(self.rng.below(self.structs.len() as u64) as usize),
                3 if !self.opts.avoid_fn_globals => Ty::Fn(self.rng.pick(&self.sigs).clone()),
                4 if !self.opts.avoid_fn_globals => {
                    Ty::Array(2, Box::new(Ty::Fn(self.rng.pick(&self.sigs).clone())))
                }
                5 => Ty::bytes(),
                _ => self.scalar_ty(),
            };
            if self.opts.avoid_fn_globals && contains_fn(&self.structs, &ty) {
                continue;
            }
            let init =
                if contains_fn(&self.structs, &ty) || ty == Ty::bytes() || self.rng.chance(800) {
                    Some(self.const_expr(&ty))
                } else {
                    None
                };
            let info = if ty == Ty::bytes() {
                VarInfo::Ptr {
                    avail: 0,
                    writable: false,
                }
            } else {
                VarInfo::Plain
            };
            let info = match (&init, info) {
                (
                    Some(Expr {
                        kind: ExprKind::Str(s),
                        ..
                    }),
                    VarInfo::Ptr { .. },
                ) => VarInfo::Ptr {
                    avail: s.len() as u32 + 1,
                    writable: false,
                },
                (_, i) => i,
            };
            let name = format!("g{i}");
            self.gvars.push(Var {
                name: name.clone(),
                ty: ty.clone(),
                mutable: ty != Ty::bytes(),
                info,
            });
            self.globals.push(Global { name, ty, init });
        }
    }

    fn rec_fn(&mut self, i: usize) {
        let t = int(*self.rng.pick(&INT_TYS));
        let tree = self.rng.chance(300);
        let params = vec![
            ("n".to_string(), int(IntTy::I32), VarInfo::Plain),
            ("x".to_string(), t.clone(), VarInfo::Plain),
        ];
        self.begin_fn(Role::Rec, &params);
        let name = format!("rec{i}");
        let n = self.var_expr("n", int(IntTy::I32));
        let zero = self.int_lit(IntTy::I32, 0);
        let base = self.mk(
            Ty::Bool,
            ExprKind::Binary(BinOp::Le, Box::new(n), Box::new(zero)),
        );
        let xe = self.var_expr("x", t.clone());
        let mut body = vec![Stmt::If(base, vec![Stmt::Return(Some(xe))], vec![])];
        let k = self.rng.range(0, 2);
        body.extend(self.stmts(k, 1));
        let sig = Sig {
            params: vec![int(IntTy::I32), t.clone()],
            ret: Some(Box::new(t.clone())),
        };
        let call = |g: &mut Gen, dec: i128| {
            let n = g.var_expr("n", int(IntTy::I32));
            let one = g.int_lit(IntTy::I32, dec);
            let n1 = g.mk(
                int(IntTy::I32),
                ExprKind::Binary(BinOp::Sub, Box::new(n), Box::new(one)),
            );
            let a = g.expr(&t, 2);
            let f = g.mk(Ty::Fn(sig.clone()), ExprKind::FnRef(name.clone()));
            g.mk(t.clone(), ExprKind::Call(Box::new(f), vec![n1, a]))
        };
        let mut r = call(self, 1);
        if tree {
            let r2 = call(self, 2);
            r = self.mk(
                t.clone(),
                ExprKind::Binary(BinOp::Add, Box::new(r), Box::new(r2)),
            );
        }
        body.push(Stmt::Return(Some(r)));
        self.funcs.push(Func {
            name: name.clone(),
            params: params.into_iter().map(|(n, t, _)| (n, t)).collect(),
            ret: Some(t),
            body,
        });
        self.recs.push((name, sig));
    }

    fn plan_mids(&mut self, n: usize) {
        for i in 0..n {
            let np = self.rng.range(0, 4);
            let mut params = vec![];
            for _ in 0..np {
                let p = match self.rng.below(10) {
                    0 => MidParam {
                        ty: Ty::Struct(self.rng.below(self.structs.len() as u64) as usize),
                        info: VarInfo::Plain,
                    },
                    1 => MidParam {
                        ty: Ty::Array(self.array_len(), Box::new(self.scalar_ty())),
                        info: VarInfo::Plain,
                    },
                    2 | 3 => MidParam {
                        ty: ptr(int(*self.rng.pick(&INT_TYS))),
                        info: VarInfo::Ptr {
                            avail: self.rng.range(1, 3),
                            writable: self.rng.chance(500),
                        },
                    },
                    // A function pointer: the tiers specialize on it and
                    // copy the leaf it names, with that leaf's own calls
                    // through pointers of other types.
                    4 => MidParam {
                        ty: Ty::Fn(self.rng.pick(&self.sigs).clone()),
                        info: VarInfo::Plain,
                    },
                    _ => MidParam {
                        ty: self.scalar_ty(),
                        info: VarInfo::Plain,
                    },
                };
                params.push(p);
            }
            let ret = match self.rng.below(8) {
                0 | 1 => None,
                2 => Some(Ty::Struct(
                    self.rng.below(self.structs.len() as u64) as usize
                )),
                3 => Some(Ty::Array(
                    *self.rng.pick(&[2, 3, 4]),
                    Box::new(int(*self.rng.pick(&INT_TYS))),
                )),
                _ => Some(self.scalar_ty()),
            };
            self.mids.push(MidInfo {
                name: format!("mid{i}"),
                params,
                ret,
            });
        }
    }

    fn mid_fn(&mut self, i: usize) {
        let info = self.mids[i].clone();
        let params: Vec<(String, Ty, VarInfo)> = info
            .params
            .iter()
            .enumerate()
            .map(|(k, p)| (format!("p{k}"), p.ty.clone(), p.info))
            .collect();
        self.begin_fn(Role::Mid, &params);
        self.mid_index = i;
        let n = self.rng.range(3, 9);
        let mut body = self.stmts(n, 0);
        if let Some(t) = &info.ret {
            let e = self.expr(t, 3);
            body.push(Stmt::Return(Some(e)));
        }
        self.funcs.push(Func {
            name: info.name.clone(),
            params: params.into_iter().map(|(n, t, _)| (n, t)).collect(),
            ret: info.ret.clone(),
            body,
        });
    }

    fn main_fn(&mut self) {
        self.begin_fn(Role::Main, &[]);
        self.mid_index = 0;
        let n = self.rng.range(1, 4);
        let mut body = self.stmts(n, 0);
        for i in 0..self.mids.len() {
            for _ in 0..self.rng.range(1, 2) {
                body.extend(self.mid_call(i));
                body.push(Stmt::Print);
            }
        }
        let n = self.rng.range(0, 3);
        body.extend(self.stmts(n, 0));
        body.push(Stmt::Print);
        let h = self.var_expr("dt_h", int(IntTy::U64));
        let k = self.int_lit(IntTy::U64, 58);
        let sh = self.mk(
            int(IntTy::U64),
            ExprKind::Binary(BinOp::Shr, Box::new(h), Box::new(k)),
        );
        let st = self.mk(int(IntTy::I32), ExprKind::Cast(Box::new(sh)));
        body.push(Stmt::Return(Some(st)));
        self.funcs.push(Func {
            name: "main".into(),
            params: vec![],
            ret: Some(int(IntTy::I32)),
            body,
        });
    }

    // ----- statements ----------------------------------------------------

    fn stmts(&mut self, n: u32, depth: u32) -> Vec<Stmt> {
        self.scopes.push(vec![]);
        let mut out = vec![];
        for _ in 0..n {
            self.stmt(depth, &mut out);
        }
        self.scopes.pop();
        out
    }

    fn stmt(&mut self, depth: u32, out: &mut Vec<Stmt>) {
        let effects = matches!(self.role, Role::Mid | Role::Main);
        let r = self.rng.below(100);
        match r {
            0..=24 => self.let_stmt(out),
            25..=44 => {
                if let Some(s) = self.assign_stmt() {
                    out.push(s)
                }
            }
            45..=64 if effects => {
                let t = self.scalar_ty();
                let e = self.expr(&t, 4);
                out.push(Stmt::Mix(e));
            }
            65..=74 if depth < 2 => {
                let c = self.expr(&Ty::Bool, 3);
                let a = self.rng.range(1, 3);
                let a = self.stmts(a, depth + 1);
                let b = if self.rng.chance(500) {
                    let k = self.rng.range(1, 2);
                    self.stmts(k, depth + 1)
                } else {
                    vec![]
                };
                out.push(Stmt::If(c, a, b));
            }
            75..=84 if depth < 2 && self.role != Role::Leaf => self.for_stmt(depth, out),
            85..=89 if self.loop_depth > 0 => {
                let c = self.expr(&Ty::Bool, 2);
                let s = if self.rng.chance(500) {
                    Stmt::Break
                } else {
                    Stmt::Continue
                };
                out.push(Stmt::If(c, vec![s], vec![]));
            }
            90..=95
                if effects
                    && self.loop_depth == 0
                    && self.role == Role::Mid
                    && self.mid_index + 1 < self.mids.len() =>
            {
                let j = self
                    .rng
                    .range(self.mid_index as u32 + 1, self.mids.len() as u32 - 1)
                    as usize;
                let c = self.mid_call(j);
                out.extend(c);
            }
            _ if effects => {
                // Mix a whole aggregate (struct or array) in scope.
                let all = self.all_vars();
                let aggs: Vec<Var> = all
                    .into_iter()
                    .filter(|v| matches!(v.ty, Ty::Struct(_) | Ty::Array(..)))
                    .collect();
                if aggs.is_empty() {
                    return;
                }
                let v = self.rng.pick(&aggs).clone();
                let e = self.var_expr(&v.name, v.ty.clone());
                self.mix_value(e, 0, out);
            }
            _ => {}
        }
    }

    fn let_stmt(&mut self, out: &mut Vec<Stmt>) {
        let name = format!("l{}", self.locals);
        self.locals += 1;
        let mutable = self.rng.chance(700);
        let (ty, info, init) = match self.rng.below(20) {
            0 | 1 => {
                let t = Ty::Array(self.array_len(), Box::new(self.scalar_ty()));
                let init = if self.rng.chance(500) {
                    Some(self.expr(&t, 2))
                } else {
                    None
                };
                (t, VarInfo::Plain, init)
            }
            2 => {
                let t = Ty::Struct(self.rng.below(self.structs.len() as u64) as usize);
                let init = if contains_fn(&self.structs, &t) || self.rng.chance(600) {
                    Some(self.expr(&t, 2))
                } else {
                    None
                };
                (t, VarInfo::Plain, init)
            }
            3 => {
                let sig = self.rng.pick(&self.sigs).clone();
                let t = Ty::Fn(sig.clone());
                let e = self.fn_value(&sig, 2);
                (t, VarInfo::Plain, Some(e))
            }
            4 | 5 => {
                let elem = if self.rng.chance(250) {
                    Ty::Struct(self.rng.below(self.structs.len() as u64) as usize)
                } else {
                    int(*self.rng.pick(&INT_TYS))
                };
                let writable = mutable && self.rng.chance(500);
                if !self.opts.avoid_traps && elem.int().is_some() && self.rng.chance(80) {
                    let null = self.mk(ptr(elem.clone()), ExprKind::Null);
                    (ptr(elem), VarInfo::NullPtr, Some(null))
                } else {
                    match self.pointer(&elem, 1, writable) {
                        Some((e, avail)) => (ptr(elem), VarInfo::Ptr { avail, writable }, Some(e)),
                        None => return,
                    }
                }
            }
            6 => {
                let s = self.string_lit();
                let n = s.len() as u32 + 1;
                (
                    Ty::bytes(),
                    VarInfo::Ptr {
                        avail: n,
                        writable: false,
                    },
                    Some(self.mk(Ty::bytes(), ExprKind::Str(s))),
                )
            }
            _ => {
                let t = self.scalar_ty();
                let init = if self.rng.chance(900) {
                    Some(self.expr(&t, 4))
                } else {
                    None
                };
                (t, VarInfo::Plain, init)
            }
        };
        // `let` needs an initialiser; writes through a pointer need a `var`.
        let mutable =
            mutable || init.is_none() || matches!(info, VarInfo::Ptr { writable: true, .. });
        out.push(Stmt::Let {
            name: name.clone(),
            ty: ty.clone(),
            mutable,
            init,
        });
        self.scopes.last_mut().unwrap().push(Var {
            name,
            ty,
            mutable,
            info,
        });
    }

    fn assign_stmt(&mut self) -> Option<Stmt> {
        let place = self.random_place()?;
        let ty = place.ty.clone();
        let op = match &ty {
            Ty::Int(_) if self.rng.chance(500) => Some(*self.rng.pick(&[
                BinOp::Add,
                BinOp::Sub,
                BinOp::Mul,
                BinOp::Div,
                BinOp::Rem,
                BinOp::And,
                BinOp::Or,
                BinOp::Xor,
                BinOp::Shl,
                BinOp::Shr,
            ])),
            Ty::F32 | Ty::F64 if self.rng.chance(400) => {
                Some(
                    *self
                        .rng
                        .pick(&[BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div]),
                )
            }
            _ => None,
        };
        let value = match (op, &ty) {
            (Some(BinOp::Div | BinOp::Rem), Ty::Int(t)) => self.divisor(*t, 2),
            (Some(BinOp::Shl | BinOp::Shr), _) => {
                let at = *self.rng.pick(&INT_TYS);
                self.expr(&int(at), 2)
            }
            _ => self.expr(&ty, 3),
        };
        let id = self.id();
        Some(Stmt::Assign {
            id,
            place,
            op,
            value,
        })
    }

    fn for_stmt(&mut self, depth: u32, out: &mut Vec<Stmt>) {
        let var = format!("l{}", self.locals);
        self.locals += 1;
        let count = if self.rng.chance(120) {
            *self.rng.pick(&[16, 32, 64])
        } else {
            self.rng.range(1, 8)
        };
        self.scopes.push(vec![Var {
            name: var.clone(),
            ty: int(IntTy::I64),
            mutable: false,
            info: VarInfo::Loop { bound: count },
        }]);
        self.loop_depth += 1;
        let n = self.rng.range(1, 4);
        let body = self.stmts(n, depth + 1);
        self.loop_depth -= 1;
        self.scopes.pop();
        let while_loop = self.rng.chance(300);
        out.push(Stmt::For {
            var,
            count,
            body,
            while_loop,
        });
    }

    /// A call of `mid{j}` with fitting arguments, its result bound and mixed.
    fn mid_call(&mut self, j: usize) -> Vec<Stmt> {
        let info = self.mids[j].clone();
        let mut args = vec![];
        for p in &info.params {
            let a = match (&p.ty, p.info) {
                (Ty::Ptr(elem), VarInfo::Ptr { avail, writable }) => {
                    match self.pointer(elem, avail, writable) {
                        Some((e, _)) => e,
                        None => self.fresh_array_pointer(elem, avail),
                    }
                }
                (t, _) => self.expr(t, 3),
            };
            args.push(a);
        }
        let sig = Sig {
            params: info.params.iter().map(|p| p.ty.clone()).collect(),
            ret: info.ret.clone().map(Box::new),
        };
        let f = self.mk(Ty::Fn(sig), ExprKind::FnRef(info.name.clone()));
        let mut out = vec![];
        match &info.ret {
            None => {
                let c = self.mk(Ty::Bool, ExprKind::Call(Box::new(f), args));
                out.push(Stmt::Call(c));
            }
            Some(t) => {
                let c = self.mk(t.clone(), ExprKind::Call(Box::new(f), args));
                let name = format!("l{}", self.locals);
                self.locals += 1;
                out.push(Stmt::Let {
                    name: name.clone(),
                    ty: t.clone(),
                    mutable: false,
                    init: Some(c),
                });
                self.scopes.last_mut().unwrap().push(Var {
                    name: name.clone(),
                    ty: t.clone(),
                    mutable: false,
                    info: VarInfo::Plain,
                });
                let v = self.var_expr(&name, t.clone());
                self.mix_value(v, 0, &mut out);
            }
        }
        out
    }

    /// A pointer argument when nothing in scope fits: `&a[0]` of a fresh
    /// zeroed local array, declared by the caller (a global is used instead).
    fn fresh_array_pointer(&mut self, elem: &Ty, avail: u32) -> Expr {
        let name = format!("gz{}", self.globals.len());
        let ty = Ty::Array(avail.max(4), Box::new(elem.clone()));
        self.globals.push(Global {
            name: name.clone(),
            ty: ty.clone(),
            init: None,
        });
        self.gvars.push(Var {
            name: name.clone(),
            ty: ty.clone(),
            mutable: true,
            info: VarInfo::Plain,
        });
        let a = self.var_expr(&name, ty);
        let z = self.int_lit(IntTy::I64, 0);
        let el = self.mk(elem.clone(), ExprKind::Index(Box::new(a), Box::new(z)));
        self.mk(ptr(elem.clone()), ExprKind::AddrOf(Box::new(el)))
    }

    /// Mix statements for every scalar inside the value at `e` (a place).
    fn mix_value(&mut self, e: Expr, depth: u32, out: &mut Vec<Stmt>) {
        match e.ty.clone() {
            Ty::Int(_) | Ty::F32 | Ty::F64 | Ty::Bool => out.push(Stmt::Mix(e)),
            Ty::Struct(s) if depth < 3 => {
                for (k, (_, ft)) in self.structs[s].fields.clone().into_iter().enumerate() {
                    let ee = self.reid(e.clone());
                    let f = self.mk(ft, ExprKind::Field(Box::new(ee), k));
                    self.mix_value(f, depth + 1, out);
                }
            }
            Ty::Array(n, et) if depth < 3 && n > 4 => {
                // A loop over the elements.
                let var = format!("l{}", self.locals);
                self.locals += 1;
                let ee = self.reid(e.clone());
                let i = self.var_expr(&var, int(IntTy::I64));
                let x = self.mk((*et).clone(), ExprKind::Index(Box::new(ee), Box::new(i)));
                let mut body = vec![];
                self.mix_value(x, depth + 1, &mut body);
                out.push(Stmt::For {
                    var,
                    count: n,
                    body,
                    while_loop: false,
                });
            }
            Ty::Array(n, et) if depth < 3 => {
                for k in 0..n {
                    let ee = self.reid(e.clone());
                    let i = self.int_lit(IntTy::I64, k as i128);
                    let x = self.mk((*et).clone(), ExprKind::Index(Box::new(ee), Box::new(i)));
                    self.mix_value(x, depth + 1, out);
                }
            }
            Ty::Fn(sig) => {
                let args = sig.params.iter().map(|t| self.expr(t, 1)).collect();
                let r = (*sig.ret.clone().unwrap()).clone();
                let c = self.mk(r, ExprKind::Call(Box::new(e), args));
                out.push(Stmt::Mix(c));
            }
            _ => {}
        }
    }

    // ----- expressions ---------------------------------------------------

    fn id(&mut self) -> NodeId {
        self.next_id += 1;
        self.next_id
    }

    fn mk(&mut self, ty: Ty, kind: ExprKind) -> Expr {
        Expr {
            id: self.id(),
            ty,
            kind,
        }
    }

    /// A copy of `e` with fresh node ids (positions must stay unique).
    fn reid(&mut self, mut e: Expr) -> Expr {
        walk_expr_mut(&mut e, &mut |x| {
            self.next_id += 1;
            x.id = self.next_id;
        });
        e
    }

    fn var_expr(&mut self, name: &str, ty: Ty) -> Expr {
        self.mk(ty, ExprKind::Var(name.to_string()))
    }

    fn int_lit(&mut self, t: IntTy, v: i128) -> Expr {
        self.mk(int(t), ExprKind::Int(t.wrap(v)))
    }

    fn all_vars(&self) -> Vec<Var> {
        let mut v: Vec<Var> = self.gvars.clone();
        for s in &self.scopes {
            v.extend(s.iter().cloned());
        }
        v
    }

    fn expr(&mut self, ty: &Ty, d: u32) -> Expr {
        match ty {
            Ty::Int(t) => self.int_expr(*t, d),
            Ty::F32 | Ty::F64 => self.float_expr(ty, d),
            Ty::Bool => self.bool_expr(d),
            Ty::Ptr(elem) => match self.pointer(elem, 1, false) {
                Some((e, _)) => e,
                None => self.mk(ty.clone(), ExprKind::Null),
            },
            Ty::Fn(sig) => self.fn_value(sig, d),
            Ty::Array(n, et) => {
                if self.rng.chance(500) {
                    if let Some(p) = self.place_of(ty, false) {
                        return p;
                    }
                }
                let elems = (0..*n)
                    .map(|_| self.expr(et, d.saturating_sub(1)))
                    .collect();
                self.mk(ty.clone(), ExprKind::ArrayLit(elems))
            }
            Ty::Struct(s) => {
                if self.rng.chance(500) {
                    if let Some(p) = self.place_of(ty, false) {
                        return p;
                    }
                }
                let fields: Vec<Ty> = self.structs[*s]
                    .fields
                    .iter()
                    .map(|f| f.1.clone())
                    .collect();
                let vals = fields
                    .iter()
                    .map(|t| self.expr(t, d.saturating_sub(1)))
                    .collect();
                self.mk(ty.clone(), ExprKind::StructLit(vals))
            }
        }
    }

    fn leaf_of(&mut self, ty: &Ty) -> Expr {
        if self.rng.chance(600) {
            if let Some(p) = self.place_of(ty, false) {
                return p;
            }
        }
        match ty {
            Ty::Int(t) => {
                let v = self.int_value(*t);
                self.mk(ty.clone(), ExprKind::Int(v))
            }
            Ty::Bool => {
                let b = self.rng.chance(500);
                self.mk(Ty::Bool, ExprKind::Bool(b))
            }
            _ => {
                let v = self.float_value(ty);
                self.mk(ty.clone(), ExprKind::Float(v))
            }
        }
    }

    fn int_value(&mut self, t: IntTy) -> i128 {
        let v: i128 = match self.rng.below(12) {
            0 => 0,
            1 => 1,
            2 => -1,
            3 => t.min(),
            4 => t.max(),
            5 => 1i128 << self.rng.below(t.bits() as u64),
            6 | 7 => self.rng.below(17) as i128,
            8 => -(self.rng.below(17) as i128),
            _ => self.rng.next_u64() as i128,
        };
        t.wrap(v)
    }

    fn float_value(&mut self, ty: &Ty) -> f64 {
        let v = match self.rng.below(14) {
            0 => 0.0,
            1 => -0.0,
            2 => 1.0,
            3 => -1.5,
            4 => 0.1,
            5 => 1e300,
            6 => 3e-310,
            7 => 4294967296.5,
            8 => -9.3e18,
            9 => 2.5e38,
            10 => 1e-40,
            _ => {
                let m = self.rng.below(2001) as f64 - 1000.0;
                m / (1u64 << self.rng.below(8)) as f64
            }
        };
        if *ty == Ty::F32 {
            // Literals are finite: f32 has no literal for infinity.
            let f = v as f32;
            if f.is_finite() {
                f as f64
            } else {
                3.0e38
            }
        } else {
            v
        }
    }

    fn int_expr(&mut self, t: IntTy, d: u32) -> Expr {
        let ty = int(t);
        if d == 0 || self.rng.chance(200) {
            return self.leaf_of(&ty);
        }
        let sub = d - 1;
        match self.rng.below(31) {
            0..=2 => self.leaf_of(&ty),
            3 => {
                let op = if self.rng.chance(500) {
                    UnOp::Neg
                } else {
                    UnOp::BitNot
                };
                let mut a = self.int_expr(t, sub);
                if self.opts.avoid_neg_literal && matches!(a.kind, ExprKind::Int(_)) {
                    a = self.mk(ty.clone(), ExprKind::Cast(Box::new(a)));
                }
                self.mk(ty, ExprKind::Unary(op, Box::new(a)))
            }
            4..=10 => {
                let op = *self.rng.pick(&[
                    BinOp::Add,
                    BinOp::Sub,
                    BinOp::Mul,
                    BinOp::And,
                    BinOp::Or,
                    BinOp::Xor,
                ]);
                let a = self.int_expr(t, sub);
                let b = self.int_expr(t, sub);
                self.mk(ty, ExprKind::Binary(op, Box::new(a), Box::new(b)))
            }
            11 | 12 => {
                let op = if self.rng.chance(500) {
                    BinOp::Shl
                } else {
                    BinOp::Shr
                };
                let a = self.int_expr(t, sub);
                let at = *self.rng.pick(&INT_TYS);
                let b = self.int_expr(at, sub);
                self.mk(ty, ExprKind::Binary(op, Box::new(a), Box::new(b)))
            }
            13 | 14 => {
                let op = if self.rng.chance(500) {
                    BinOp::Div
                } else {
                    BinOp::Rem
                };
                let (a, b) = if t.signed() && !self.opts.avoid_traps && self.rng.chance(8) {
                    (self.int_lit(t, t.min()), self.int_lit(t, -1))
                } else {
                    (self.int_expr(t, sub), self.divisor(t, sub))
                };
                self.mk(ty, ExprKind::Binary(op, Box::new(a), Box::new(b)))
            }
            15..=17 => {
                let src = self.operand_ty(6);
                let a = self.expr(&src, sub);
                self.mk(ty, ExprKind::Cast(Box::new(a)))
            }
            18 => {
                let c = self.bool_expr(sub);
                let a = self.int_expr(t, sub);
                let b = self.int_expr(t, sub);
                self.mk(ty, ExprKind::Cond(Box::new(c), Box::new(a), Box::new(b)))
            }
            19 | 20 => {
                let b = *self.rng.pick(&[
                    Builtin::Popcount,
                    Builtin::Clz,
                    Builtin::Ctz,
                    Builtin::Bswap,
                    Builtin::Min,
                    Builtin::Max,
                ]);
                let n = if matches!(b, Builtin::Min | Builtin::Max) {
                    2
                } else {
                    1
                };
                let args = (0..n).map(|_| self.int_expr(t, sub)).collect();
                self.mk(ty, ExprKind::Builtin(b, args))
            }
            21 | 22 => self
                .call_returning(&ty, sub)
                .unwrap_or_else(|| self.leaf_of(&ty)),
            23 | 24 => {
                // Read through a pointer: `*p` or `p[i]` (rarely a null one).
                if let Some(p) = self.null_var(&ty) {
                    return self.deref(p, 2, &ty, sub);
                }
                match self.pointer(&ty, 1, false) {
                    Some((p, avail)) => self.deref(p, avail, &ty, sub),
                    None => self.leaf_of(&ty),
                }
            }
            25 if t == IntTy::U8 => {
                // A byte of an integer array, or of a string.
                let et = int(*self.rng.pick(&INT_TYS));
                match self.pointer(&et, 1, false) {
                    Some((p, avail)) => {
                        let size = et.int().unwrap().bits() / 8;
                        let bp = self.mk(Ty::bytes(), ExprKind::Cast(Box::new(p)));
                        self.deref(bp, avail * size, &ty, sub)
                    }
                    None => self.leaf_of(&ty),
                }
            }
            26 if t == IntTy::I64 => {
                // Pointer difference within one array.
                match self.pointer_pair(sub) {
                    Some((a, b)) => {
                        self.mk(ty, ExprKind::Binary(BinOp::Sub, Box::new(a), Box::new(b)))
                    }
                    None => self.leaf_of(&ty),
                }
            }
            27 if matches!(t, IntTy::I64 | IntTy::U64) => {
                // Address arithmetic through integers: (p + k) as u64 - p as u64.
                let et = int(*self.rng.pick(&INT_TYS));
                match self.pointer(&et, 1, false) {
                    Some((p, avail)) => {
                        let p2 = self.reid(p.clone());
                        let a = self.offset_ptr(p, avail, sub);
                        let a = self.mk(ty.clone(), ExprKind::Cast(Box::new(a)));
                        let b = self.mk(ty.clone(), ExprKind::Cast(Box::new(p2)));
                        self.mk(ty, ExprKind::Binary(BinOp::Sub, Box::new(a), Box::new(b)))
                    }
                    None => self.leaf_of(&ty),
                }
            }
            28 if !self.recs.is_empty() && (t == IntTy::I32 || self.rng.chance(300)) => {
                self.rec_call(&ty, sub).unwrap_or_else(|| self.leaf_of(&ty))
            }
            29 => {
                // `sizeof` of a struct, an array or a scalar, cast to `t`.
                let of = match self.rng.below(3) {
                    0 => Ty::Struct(self.rng.below(self.structs.len() as u64) as usize),
                    1 => Ty::Array(self.array_len(), Box::new(self.scalar_ty())),
                    _ => self.scalar_ty(),
                };
                let s = self.mk(int(IntTy::U64), ExprKind::SizeOf(of));
                if t == IntTy::U64 {
                    s
                } else {
                    self.mk(ty, ExprKind::Cast(Box::new(s)))
                }
            }
            _ => self.leaf_of(&ty),
        }
    }

    /// A divisor of type `t`: usually guarded against zero (and `-1`, which
    /// traps for the minimum), rarely raw.
    fn divisor(&mut self, t: IntTy, d: u32) -> Expr {
        let ty = int(t);
        if !self.opts.avoid_traps && self.rng.chance(20) {
            return if self.rng.chance(300) {
                self.int_lit(t, 0)
            } else {
                self.int_expr(t, d)
            };
        }
        let x = self.int_expr(t, d);
        let x2 = self.reid(x.clone());
        let x3 = self.reid(x.clone());
        let z = self.int_lit(t, 0);
        let mut bad = self.mk(
            Ty::Bool,
            ExprKind::Binary(BinOp::Eq, Box::new(x), Box::new(z)),
        );
        if t.signed() {
            let m1 = self.int_lit(t, -1);
            let b2 = self.mk(
                Ty::Bool,
                ExprKind::Binary(BinOp::Eq, Box::new(x2), Box::new(m1)),
            );
            bad = self.mk(
                Ty::Bool,
                ExprKind::Binary(BinOp::LOr, Box::new(bad), Box::new(b2)),
            );
        }
        let v = self.rng.range(2, 9) as i128;
        let lit = self.int_lit(t, v);
        self.mk(
            ty,
            ExprKind::Cond(Box::new(bad), Box::new(lit), Box::new(x3)),
        )
    }

    /// An index into an array of length `n`: in range, except rarely.
    fn index(&mut self, n: u32, d: u32) -> Expr {
        let it = *self.rng.pick(&INT_TYS);
        if !self.opts.avoid_traps && self.rng.chance(6) {
            return self.int_expr(it, d);
        }
        match self.rng.below(5) {
            0 => {
                let k = self.rng.below(n as u64) as i128;
                self.int_lit(IntTy::I64, k)
            }
            1 => {
                let loops: Vec<Var> = self
                    .all_vars()
                    .into_iter()
                    .filter(|v| matches!(v.info, VarInfo::Loop { bound } if bound <= n))
                    .collect();
                if loops.is_empty() {
                    return self.int_lit(IntTy::I64, (n - 1) as i128);
                }
                let v = self.rng.pick(&loops).clone();
                self.var_expr(&v.name, v.ty)
            }
            2 if n.is_power_of_two() => {
                let e = self.int_expr(it, d);
                let m = self.int_lit(it, (n - 1) as i128);
                self.mk(
                    int(it),
                    ExprKind::Binary(BinOp::And, Box::new(e), Box::new(m)),
                )
            }
            _ => {
                let e = self.int_expr(it, d);
                let u = self.mk(int(IntTy::U64), ExprKind::Cast(Box::new(e)));
                let m = self.int_lit(IntTy::U64, n as i128);
                self.mk(
                    int(IntTy::U64),
                    ExprKind::Binary(BinOp::Rem, Box::new(u), Box::new(m)),
                )
            }
        }
    }

    fn float_expr(&mut self, ty: &Ty, d: u32) -> Expr {
        if d == 0 || self.rng.chance(200) {
            return self.leaf_of(ty);
        }
        let sub = d - 1;
        match self.rng.below(20) {
            0..=2 => self.leaf_of(ty),
            3 => {
                let a = self.float_expr(ty, sub);
                self.mk(ty.clone(), ExprKind::Unary(UnOp::Neg, Box::new(a)))
            }
            4..=9 => {
                let op = *self
                    .rng
                    .pick(&[BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div]);
                let a = self.float_expr(ty, sub);
                let b = self.float_expr(ty, sub);
                self.mk(ty.clone(), ExprKind::Binary(op, Box::new(a), Box::new(b)))
            }
            10..=12 => {
                let src = match self.rng.below(3) {
                    0 => Ty::F32,
                    1 => Ty::F64,
                    _ => int(*self.rng.pick(&INT_TYS)),
                };
                let a = self.expr(&src, sub);
                self.mk(ty.clone(), ExprKind::Cast(Box::new(a)))
            }
            13 | 14 => {
                let b = *self.rng.pick(&[
                    Builtin::Sqrt,
                    Builtin::Fabs,
                    Builtin::Floor,
                    Builtin::Fma,
                    Builtin::Min,
                    Builtin::Max,
                ]);
                let n = match b {
                    Builtin::Fma => 3,
                    Builtin::Min | Builtin::Max => 2,
                    _ => 1,
                };
                let args = (0..n).map(|_| self.float_expr(ty, sub)).collect();
                self.mk(ty.clone(), ExprKind::Builtin(b, args))
            }
            15 => {
                let c = self.bool_expr(sub);
                let a = self.float_expr(ty, sub);
                let b = self.float_expr(ty, sub);
                self.mk(
                    ty.clone(),
                    ExprKind::Cond(Box::new(c), Box::new(a), Box::new(b)),
                )
            }
            16 | 17 => self
                .call_returning(ty, sub)
                .unwrap_or_else(|| self.leaf_of(ty)),
            _ => self.leaf_of(ty),
        }
    }

    fn bool_expr(&mut self, d: u32) -> Expr {
        if d == 0 || self.rng.chance(150) {
            return self.leaf_of(&Ty::Bool);
        }
        let sub = d - 1;
        match self.rng.below(20) {
            0 | 1 => self.leaf_of(&Ty::Bool),
            2 => {
                let a = self.bool_expr(sub);
                self.mk(Ty::Bool, ExprKind::Unary(UnOp::Not, Box::new(a)))
            }
            3..=9 => {
                let t = self.operand_ty(8);
                let ops: &[BinOp] = if t == Ty::Bool {
                    &[BinOp::Eq, BinOp::Ne]
                } else {
                    &COMPARISONS
                };
                let op = *self.rng.pick(ops);
                let a = self.expr(&t, sub);
                let b = self.expr(&t, sub);
                self.mk(Ty::Bool, ExprKind::Binary(op, Box::new(a), Box::new(b)))
            }
            10..=12 => {
                let op = if self.rng.chance(500) {
                    BinOp::LAnd
                } else {
                    BinOp::LOr
                };
                let a = self.bool_expr(sub);
                let b = self.bool_expr(sub);
                self.mk(Ty::Bool, ExprKind::Binary(op, Box::new(a), Box::new(b)))
            }
            13 | 14 if !self.opts.avoid_fn_identity => self.fn_identity(sub),
            15 => {
                // Pointer comparison within one array.
                match self.pointer_pair(sub) {
                    Some((a, b)) => {
                        let op = *self.rng.pick(&COMPARISONS);
                        self.mk(Ty::Bool, ExprKind::Binary(op, Box::new(a), Box::new(b)))
                    }
                    None => self.leaf_of(&Ty::Bool),
                }
            }
            16 => {
                let c = self.bool_expr(sub);
                let a = self.bool_expr(sub);
                let b = self.bool_expr(sub);
                self.mk(
                    Ty::Bool,
                    ExprKind::Cond(Box::new(c), Box::new(a), Box::new(b)),
                )
            }
            17 => self
                .call_returning(&Ty::Bool, sub)
                .unwrap_or_else(|| self.leaf_of(&Ty::Bool)),
            _ => self.leaf_of(&Ty::Bool),
        }
    }

    /// Function-pointer identity: `f == g`, `f as *u8 == g as *u8`, and one
    /// string literal reached directly and through a pointer.
    fn fn_identity(&mut self, d: u32) -> Expr {
        if self.rng.chance(250) {
            let s = Sig {
                params: vec![],
                ret: Some(Box::new(Ty::bytes())),
            };
            let f = self.mk(Ty::Fn(s.clone()), ExprKind::FnRef(self.strfns[0].clone()));
            let direct = self.mk(Ty::bytes(), ExprKind::Call(Box::new(f), vec![]));
            let f2 = self.mk(Ty::Fn(s.clone()), ExprKind::FnRef(self.strfns[0].clone()));
            let via = self.mk(Ty::bytes(), ExprKind::Cast(Box::new(f2)));
            let via = self.mk(Ty::Fn(s), ExprKind::Cast(Box::new(via)));
            let indirect = self.mk(Ty::bytes(), ExprKind::Call(Box::new(via), vec![]));
            return self.mk(
                Ty::Bool,
                ExprKind::Binary(BinOp::Eq, Box::new(direct), Box::new(indirect)),
            );
        }
        let sig = self.rng.pick(&self.sigs).clone();
        let a = self.fn_value(&sig, d);
        let b = self.fn_value(&sig, d);
        let op = if self.rng.chance(500) {
            BinOp::Eq
        } else {
            BinOp::Ne
        };
        if self.rng.chance(500) {
            let a = self.mk(Ty::bytes(), ExprKind::Cast(Box::new(a)));
            let b = self.mk(Ty::bytes(), ExprKind::Cast(Box::new(b)));
            self.mk(Ty::Bool, ExprKind::Binary(op, Box::new(a), Box::new(b)))
        } else {
            self.mk(Ty::Bool, ExprKind::Binary(op, Box::new(a), Box::new(b)))
        }
    }

    /// A value of function-pointer type `sig`: a leaf's name, a stored
    /// pointer, a round trip through `*u8`, or a choice between two.
    fn fn_value(&mut self, sig: &Sig, d: u32) -> Expr {
        let ty = Ty::Fn(sig.clone());
        let r = self.rng.below(10);
        if r < 4 {
            if let Some(p) = self.place_of(&ty, false) {
                return p;
            }
        }
        if r == 4 && d > 0 {
            let a = self.fn_value(sig, d - 1);
            let b = self.mk(Ty::bytes(), ExprKind::Cast(Box::new(a)));
            return self.mk(ty, ExprKind::Cast(Box::new(b)));
        }
        if r == 5 && d > 0 {
            let c = self.bool_expr(d - 1);
            let a = self.fn_value(sig, d - 1);
            let b = self.fn_value(sig, d - 1);
            return self.mk(ty, ExprKind::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        self.fn_ref(sig)
    }

    fn fn_ref(&mut self, sig: &Sig) -> Expr {
        let names: Vec<String> = self
            .leaves
            .iter()
            .filter(|l| &l.1 == sig)
            .map(|l| l.0.clone())
            .collect();
        let name = self.rng.pick(&names).clone();
        self.mk(Ty::Fn(sig.clone()), ExprKind::FnRef(name))
    }

    /// A call (direct, or through a stored function pointer) of a leaf or a
    /// recursive function returning `ty`. Leaves call only earlier leaves.
    fn call_returning(&mut self, ty: &Ty, d: u32) -> Option<Expr> {
        if self.role == Role::Leaf {
            let cands: Vec<(String, Sig)> = self.leaves[..self.cur_leaf]
                .iter()
                .filter(|l| l.1.ret.as_deref() == Some(ty))
                .cloned()
                .collect();
            if cands.is_empty() {
                return None;
            }
            let (name, sig) = self.rng.pick(&cands).clone();
            let mut f = self.mk(Ty::Fn(sig.clone()), ExprKind::FnRef(name));
            if self.rng.chance(300) {
                f = self.earlier_leaf_pointer(f, &sig, d);
            }
            let args = sig.params.iter().map(|t| self.expr(t, d)).collect();
            return Some(self.mk(ty.clone(), ExprKind::Call(Box::new(f), args)));
        }
        if self.rng.chance(250) {
            if let Some(e) = self.rec_call(ty, d) {
                return Some(e);
            }
        }
        let sigs: Vec<Sig> = self
            .sigs
            .iter()
            .filter(|s| s.ret.as_deref() == Some(ty))
            .cloned()
            .collect();
        if sigs.is_empty() {
            return None;
        }
        let sig = self.rng.pick(&sigs).clone();
        let f = self.fn_value(&sig, d);
        let args = sig.params.iter().map(|t| self.expr(t, d)).collect();
        Some(self.mk(ty.clone(), ExprKind::Call(Box::new(f), args)))
    }

    /// A leaf's call of an earlier leaf `f` made through a function-pointer
    /// value (a round trip through `*u8`, or a choice between `f` and
    /// another earlier leaf of its type): an indirect call inside a leaf,
    /// whose type is often not the leaf's own.
    fn earlier_leaf_pointer(&mut self, f: Expr, sig: &Sig, d: u32) -> Expr {
        let ty = Ty::Fn(sig.clone());
        if self.rng.chance(500) {
            let b = self.mk(Ty::bytes(), ExprKind::Cast(Box::new(f)));
            return self.mk(ty, ExprKind::Cast(Box::new(b)));
        }
        let others: Vec<String> = self.leaves[..self.cur_leaf]
            .iter()
            .filter(|l| &l.1 == sig)
            .map(|l| l.0.clone())
            .collect();
        let other = self.rng.pick(&others).clone();
        let g = self.mk(ty.clone(), ExprKind::FnRef(other));
        let c = self.bool_expr(d.min(1));
        self.mk(ty, ExprKind::Cond(Box::new(c), Box::new(f), Box::new(g)))
    }

    fn rec_call(&mut self, ty: &Ty, d: u32) -> Option<Expr> {
        if self.role == Role::Leaf || self.role == Role::Rec {
            return None;
        }
        let cands: Vec<(String, Sig)> = self
            .recs
            .iter()
            .filter(|r| r.1.ret.as_deref() == Some(ty))
            .cloned()
            .collect();
        if cands.is_empty() {
            return None;
        }
        let (name, sig) = self.rng.pick(&cands).clone();
        let n = self.int_expr(IntTy::I32, d);
        let mask = self.int_lit(IntTy::I32, 15);
        let n = self.mk(
            int(IntTy::I32),
            ExprKind::Binary(BinOp::And, Box::new(n), Box::new(mask)),
        );
        let x = self.expr(&sig.params[1], d);
        let f = self.mk(Ty::Fn(sig), ExprKind::FnRef(name));
        Some(self.mk(ty.clone(), ExprKind::Call(Box::new(f), vec![n, x])))
    }

    // ----- places and pointers ------------------------------------------

    /// A place of exactly type `ty` (a variable, a field, an element), if one
    /// is in scope; `mutable` asks for an assignable one.
    fn place_of(&mut self, ty: &Ty, mutable: bool) -> Option<Expr> {
        let mut cands = vec![];
        for v in self.all_vars() {
            if mutable && !v.mutable {
                continue;
            }
            if matches!(v.info, VarInfo::Loop { .. }) && mutable {
                continue;
            }
            if v.name == "dt_h" {
                continue;
            }
            match v.info {
                VarInfo::Ptr { avail: 0, .. } | VarInfo::NullPtr => continue,
                VarInfo::Ptr {
                    writable: false, ..
                } if mutable => continue,
                _ => {}
            }
            let mut path = vec![];
            self.paths(&v.ty, Some(ty), &mut path, &mut cands, &v.name, 0);
        }
        if cands.is_empty() {
            return None;
        }
        let (name, path) = self.rng.pick(&cands).clone();
        Some(self.build_path(&name, &path))
    }

    /// Collects the paths from `root` (of type `have`) to sub-places of
    /// type `want` (to every sub-place when `want` is `None`).
    fn paths(
        &self,
        have: &Ty,
        want: Option<&Ty>,
        path: &mut Vec<u32>,
        out: &mut Vec<(String, Vec<u32>)>,
        root: &str,
        depth: u32,
    ) {
        if want.is_none_or(|w| w == have) {
            out.push((root.to_string(), path.clone()));
        }
        if depth > 2 {
            return;
        }
        match have {
            Ty::Struct(s) => {
                for (k, f) in self.structs[*s].fields.iter().enumerate() {
                    path.push(k as u32);
                    self.paths(&f.1, want, path, out, root, depth + 1);
                    path.pop();
                }
            }
            Ty::Array(_, e) => {
                path.push(u32::MAX);
                self.paths(e, want, path, out, root, depth + 1);
                path.pop();
            }
            // `p.f` through a pointer variable to a struct (one level).
            Ty::Ptr(t) if depth == 0 && matches!(**t, Ty::Struct(_)) => {
                let Ty::Struct(s) = **t else { unreachable!() };
                for (k, f) in self.structs[s].fields.iter().enumerate() {
                    path.push(k as u32);
                    self.paths(&f.1, want, path, out, root, depth + 1);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// Builds `root.f.g[i]…` from a path (field indices; `u32::MAX` = index).
    fn build_path(&mut self, root: &str, path: &[u32]) -> Expr {
        let rt = self
            .all_vars()
            .into_iter()
            .rev()
            .find(|v| v.name == root)
            .unwrap()
            .ty;
        let mut e = self.var_expr(root, rt);
        for &step in path {
            e = match e.ty.clone() {
                Ty::Struct(s) => {
                    let ft = self.structs[s].fields[step as usize].1.clone();
                    self.mk(ft, ExprKind::Field(Box::new(e), step as usize))
                }
                Ty::Array(n, et) => {
                    let i = self.index(n, 2);
                    self.mk(*et, ExprKind::Index(Box::new(e), Box::new(i)))
                }
                Ty::Ptr(t) => {
                    let Ty::Struct(s) = *t else { unreachable!() };
                    let ft = self.structs[s].fields[step as usize].1.clone();
                    self.mk(ft, ExprKind::Field(Box::new(e), step as usize))
                }
                _ => unreachable!(),
            };
        }
        e
    }

    /// Any assignable place: a variable, a field, an element, or a write
    /// through a writable pointer.
    fn random_place(&mut self) -> Option<Expr> {
        let vars: Vec<Var> = self
            .all_vars()
            .into_iter()
            .filter(|v| v.mutable && v.name != "dt_h" && !matches!(v.info, VarInfo::Loop { .. }))
            .collect();
        if vars.is_empty() {
            return None;
        }
        let v = self.rng.pick(&vars).clone();
        if let (Ty::Ptr(elem), VarInfo::NullPtr) = (&v.ty, v.info) {
            let p = self.var_expr(&v.name, v.ty.clone());
            return Some(self.deref(p, 2, elem, 2));
        }
        if let (
            Ty::Ptr(elem),
            VarInfo::Ptr {
                avail,
                writable: true,
            },
        ) = (&v.ty, v.info)
        {
            if avail > 0 && self.rng.chance(700) {
                let p = self.var_expr(&v.name, v.ty.clone());
                return Some(self.deref(p, avail, elem, 2));
            }
        }
        if let Ty::Ptr(_) = v.ty {
            // Re-pointing a pointer variable is not generated (its info is fixed).
            return None;
        }
        let mut cands = vec![];
        let mut path = vec![];
        self.paths(&v.ty, None, &mut path, &mut cands, &v.name, 0);
        let (_, path) = self.rng.pick(&cands).clone();
        // Storage holding function pointers gets only non-null values:
        // `expr` never makes a null function pointer.
        Some(self.build_path(&v.name, &path))
    }

    /// A null pointer variable to `elem` in scope, now and then.
    fn null_var(&mut self, elem: &Ty) -> Option<Expr> {
        let pty = ptr(elem.clone());
        let vars: Vec<Var> = self
            .all_vars()
            .into_iter()
            .filter(|v| v.info == VarInfo::NullPtr && v.ty == pty)
            .collect();
        if vars.is_empty() || !self.rng.chance(700) {
            return None;
        }
        let v = self.rng.pick(&vars).clone();
        Some(self.var_expr(&v.name, v.ty))
    }

    /// `*p` or `p[i]` with `i` below `avail`.
    fn deref(&mut self, p: Expr, avail: u32, elem: &Ty, d: u32) -> Expr {
        if avail <= 1 || self.rng.chance(400) {
            return self.mk(elem.clone(), ExprKind::Deref(Box::new(p)));
        }
        let i = self.in_range(avail, d);
        self.mk(elem.clone(), ExprKind::PtrIndex(Box::new(p), Box::new(i)))
    }

    /// An integer in `0..n`, never out of range (pointer accesses are unchecked).
    fn in_range(&mut self, n: u32, d: u32) -> Expr {
        if self.rng.chance(300) {
            let k = self.rng.below(n as u64) as i128;
            return self.int_lit(IntTy::I64, k);
        }
        let it = *self.rng.pick(&INT_TYS);
        let e = self.int_expr(it, d.min(1));
        let u = self.mk(int(IntTy::U64), ExprKind::Cast(Box::new(e)));
        let m = self.int_lit(IntTy::U64, n as i128);
        self.mk(
            int(IntTy::U64),
            ExprKind::Binary(BinOp::Rem, Box::new(u), Box::new(m)),
        )
    }

    /// Two pointers into one object (`p + i`, `p + j`), to compare or subtract.
    fn pointer_pair(&mut self, d: u32) -> Option<(Expr, Expr)> {
        let et = int(*self.rng.pick(&INT_TYS));
        let (p, avail) = self.pointer(&et, 1, false)?;
        let p2 = self.reid(p.clone());
        let a = self.offset_ptr(p, avail, d);
        let b = self.offset_ptr(p2, avail, d);
        Some((a, b))
    }

    /// `p + i` with `i` in `0..avail`.
    fn offset_ptr(&mut self, p: Expr, avail: u32, d: u32) -> Expr {
        let ty = p.ty.clone();
        let i = self.in_range(avail.max(1), d);
        self.mk(ty, ExprKind::Binary(BinOp::Add, Box::new(p), Box::new(i)))
    }

    /// A pointer to `elem` with at least `need` valid elements, and how many
    /// it has: into an array, a pointer variable, a string, a struct or a
    /// scalar; sometimes through an integer round trip.
    fn pointer(&mut self, elem: &Ty, need: u32, writable: bool) -> Option<(Expr, u32)> {
        let pty = ptr(elem.clone());
        let mut cands: Vec<(Expr, u32)> = vec![];
        // Pointer variables.
        for v in self.all_vars() {
            if v.ty == pty {
                if let VarInfo::Ptr { avail, writable: w } = v.info {
                    if avail >= need && (w || !writable) {
                        let e = self.var_expr(&v.name, v.ty.clone());
                        cands.push((e, avail));
                    }
                }
            }
        }
        // Arrays (possibly inside structs) of `elem`.
        let mut arrays = vec![];
        for v in self.all_vars() {
            if writable && !v.mutable || matches!(v.ty, Ty::Ptr(_)) {
                continue;
            }
            let mut path = vec![];
            for n in ARRAY_LENS {
                if n >= need {
                    self.paths(
                        &v.ty,
                        Some(&Ty::Array(n, Box::new(elem.clone()))),
                        &mut path,
                        &mut arrays,
                        &v.name,
                        0,
                    );
                }
            }
        }
        if !arrays.is_empty() {
            let (name, path) = self.rng.pick(&arrays).clone();
            let a = self.build_path(&name, &path);
            let n = match a.ty {
                Ty::Array(n, _) => n,
                _ => unreachable!(),
            };
            let k = self.rng.below((n - need + 1) as u64) as u32;
            let ki = self.int_lit(IntTy::I64, k as i128);
            let el = self.mk(elem.clone(), ExprKind::Index(Box::new(a), Box::new(ki)));
            cands.push((self.mk(pty.clone(), ExprKind::AddrOf(Box::new(el))), n - k));
        }
        // A scalar variable or a struct.
        if need == 1 {
            if let Some(p) = self.place_of(elem, writable) {
                cands.push((self.mk(pty.clone(), ExprKind::AddrOf(Box::new(p))), 1));
            }
        }
        if *elem == int(IntTy::U8) && !writable {
            let s = self.string_lit();
            if s.len() as u32 + 1 >= need {
                let n = s.len() as u32 + 1;
                cands.push((self.mk(pty.clone(), ExprKind::Str(s)), n));
            }
        }
        if cands.is_empty() {
            return None;
        }
        let i = self.rng.below(cands.len() as u64) as usize;
        let (p, avail) = cands.swap_remove(i);
        if self.rng.chance(120) {
            // Through an integer: ((p as u64) + k * sizeof) as *T.
            let size = match elem {
                Ty::Int(t) => t.bits() / 8,
                _ => return Some((p, avail)),
            };
            let k = self.rng.below((avail - need + 1) as u64) as u32;
            let it = if self.rng.chance(500) {
                IntTy::U64
            } else {
                IntTy::I64
            };
            let a = self.mk(int(it), ExprKind::Cast(Box::new(p)));
            let off = self.int_lit(it, (k * size) as i128);
            let s = self.mk(
                int(it),
                ExprKind::Binary(BinOp::Add, Box::new(a), Box::new(off)),
            );
            return Some((self.mk(pty, ExprKind::Cast(Box::new(s))), avail - k));
        }
        Some((p, avail))
    }

    fn string_lit(&mut self) -> String {
        const WORDS: [&str; 8] = ["", "a", "lc", "abc", "hello", "x y z", "0123456789", "Zq!"];
        self.rng.pick(&WORDS).to_string()
    }

    /// A constant initialiser for a global of `ty`.
    fn const_expr(&mut self, ty: &Ty) -> Expr {
        match ty {
            Ty::Int(t) => {
                let v = self.int_value(*t);
                self.mk(ty.clone(), ExprKind::Int(v))
            }
            Ty::F32 | Ty::F64 => {
                let v = self.float_value(ty);
                self.mk(ty.clone(), ExprKind::Float(v))
            }
            Ty::Bool => {
                let b = self.rng.chance(500);
                self.mk(Ty::Bool, ExprKind::Bool(b))
            }
            Ty::Ptr(_) => {
                let s = self.string_lit();
                self.mk(ty.clone(), ExprKind::Str(s))
            }
            Ty::Fn(sig) => self.fn_ref(sig),
            Ty::Array(n, et) => {
                let elems = (0..*n).map(|_| self.const_expr(et)).collect();
                self.mk(ty.clone(), ExprKind::ArrayLit(elems))
            }
            Ty::Struct(s) => {
                let fields: Vec<Ty> = self.structs[*s]
                    .fields
                    .iter()
                    .map(|f| f.1.clone())
                    .collect();
                let vals = fields.iter().map(|t| self.const_expr(t)).collect();
                self.mk(ty.clone(), ExprKind::StructLit(vals))
            }
        }
    }
}
