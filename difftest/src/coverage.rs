//! Which language features a program uses, by name: the tests check that
//! generated programs together use every feature the tester promises, so
//! removing one from the generator fails a test.

use std::collections::BTreeSet;

use crate::ast::*;

/// The features `p` uses (`"op:+:i8"`, `"cast:float->int"`, `"call:indirect"`…).
pub fn features(p: &Program) -> BTreeSet<String> {
    let mut f = BTreeSet::new();
    for s in &p.structs {
        for (_, t) in &s.fields {
            ty_features(t, "field", &mut f);
        }
    }
    for g in &p.globals {
        ty_features(&g.ty, "global", &mut f);
        if let Some(e) = &g.init {
            let mut e = e.clone();
            walk_expr_mut(&mut e, &mut |x| {
                if let ExprKind::FnRef(_) = x.kind {
                    f.insert("global-init:fn".into());
                }
            });
        }
    }
    let mut p = p.clone();
    for func in &mut p.funcs {
        if matches!(func.ret, Some(Ty::Struct(_))) {
            f.insert("return:struct".into());
        }
        if matches!(func.ret, Some(Ty::Array(..))) {
            f.insert("return:array".into());
        }
        for (_, t) in &func.params {
            ty_features(t, "param", &mut f);
        }
        stmt_features(&func.body, &mut f);
        let name = func.name.clone();
        walk_stmts_mut(&mut func.body, &mut |e| expr_features(e, &name, &mut f));
    }
    f
}

fn ty_features(t: &Ty, place: &str, f: &mut BTreeSet<String>) {
    let kind = match t {
        Ty::Int(_) | Ty::F32 | Ty::F64 | Ty::Bool => "scalar",
        Ty::Ptr(_) => "pointer",
        Ty::Array(_, e) => {
            ty_features(e, &format!("{place}-array"), f);
            "array"
        }
        Ty::Struct(_) => "struct",
        Ty::Fn(_) => "fn",
    };
    f.insert(format!("{place}:{kind}"));
}

fn stmt_features(stmts: &[Stmt], f: &mut BTreeSet<String>) {
    for s in stmts {
        let name = match s {
            Stmt::Let { ty, init, .. } => {
                ty_features(ty, "local", f);
                if matches!(
                    init,
                    Some(Expr {
                        kind: ExprKind::Null,
                        ..
                    })
                ) {
                    f.insert("local:null-pointer".into());
                }
                "let"
            }
            Stmt::Assign { op: Some(o), .. } => {
                f.insert(format!("compound:{}", o.text()));
                "assign"
            }
            Stmt::Assign { .. } => "assign",
            Stmt::Mix(_) => "mix",
            Stmt::Call(_) => "call-stmt",
            Stmt::If(_, a, b) => {
                stmt_features(a, f);
                stmt_features(b, f);
                if b.is_empty() {
                    "if"
                } else {
                    "if-else"
                }
            }
            Stmt::For {
                body, while_loop, ..
            } => {
                stmt_features(body, f);
                if *while_loop {
                    "while"
                } else {
                    "for"
                }
            }
            Stmt::Break => "break",
            Stmt::Continue => "continue",
            Stmt::Return(_) => "return",
            Stmt::Print => "print",
        };
        f.insert(format!("stmt:{name}"));
    }
}

fn class(t: &Ty) -> &'static str {
    match t {
        Ty::Int(_) => "int",
        Ty::F32 | Ty::F64 => "float",
        Ty::Bool => "bool",
        Ty::Ptr(_) => "ptr",
        Ty::Fn(_) => "fn",
        Ty::Array(..) => "array",
        Ty::Struct(_) => "struct",
    }
}

fn expr_features(e: &Expr, func: &str, f: &mut BTreeSet<String>) {
    let tname = a_name(e);
    match &e.kind {
        ExprKind::Unary(op, _) => {
            f.insert(format!("unary:{op:?}:{tname}"));
        }
        ExprKind::Binary(op, a, b) => {
            f.insert(format!("op:{}:{}", op.text(), a_name(a)));
            if matches!((&a.ty, &b.ty), (Ty::Ptr(_), Ty::Ptr(_))) {
                f.insert(format!("ptr-ptr:{}", op.text()));
            }
            if matches!(op, BinOp::Div | BinOp::Rem) && matches!(b.kind, ExprKind::Int(0)) {
                f.insert("divisor:zero".into());
            }
            if matches!(op, BinOp::Div | BinOp::Rem) && matches!(b.kind, ExprKind::Int(-1)) {
                f.insert("divisor:minus-one".into());
            }
        }
        ExprKind::Cond(..) => {
            f.insert(format!("cond:{}", class(&e.ty)));
        }
        ExprKind::Cast(a) => {
            f.insert(format!("cast:{}->{}", class(&a.ty), class(&e.ty)));
            if let (Ty::Int(x), Ty::Int(y)) = (&a.ty, &e.ty) {
                let k = if x.bits() > y.bits() {
                    "truncate"
                } else if x.bits() < y.bits() {
                    "extend"
                } else {
                    "same-width"
                };
                f.insert(format!("cast:int-{k}"));
            }
        }
        ExprKind::Index(..) => {
            f.insert("index:array".into());
        }
        ExprKind::PtrIndex(..) => {
            f.insert("index:pointer".into());
        }
        ExprKind::Field(s, _) => {
            f.insert(format!("field:{}", class(&s.ty)));
        }
        ExprKind::Deref(_) => {
            f.insert("deref".into());
        }
        ExprKind::AddrOf(_) => {
            f.insert("addr-of".into());
        }
        ExprKind::Call(c, _) => {
            let k = match &c.kind {
                ExprKind::FnRef(n) if n == func => "recursive",
                ExprKind::FnRef(_) => "direct",
                ExprKind::Var(_) => "through-variable",
                ExprKind::Field(..) => "through-field",
                ExprKind::Index(..) => "through-array",
                _ => "through-expression",
            };
            f.insert(format!("call:{k}"));
        }
        ExprKind::Builtin(b, _) => {
            f.insert(format!("builtin:{}:{}", b.name(), class(&e.ty)));
        }
        ExprKind::Str(_) => {
            f.insert("string".into());
        }
        ExprKind::StructLit(_) => {
            f.insert("literal:struct".into());
        }
        ExprKind::ArrayLit(_) => {
            f.insert("literal:array".into());
        }
        ExprKind::FnRef(_) => {
            f.insert("fn-value".into());
        }
        ExprKind::SizeOf(t) => {
            f.insert(format!("sizeof:{}", class(t)));
        }
        _ => {}
    }
}

/// The type's name for integers and floats, its class otherwise.
fn a_name(a: &Expr) -> &'static str {
    match &a.ty {
        Ty::Int(t) => t.lc(),
        Ty::F32 => "f32",
        Ty::F64 => "f64",
        t => class(t),
    }
}
