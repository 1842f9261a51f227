//! Writes a program as LC source, recording the line and column of every
//! operation that can trap so the C twin reports the same position.

use std::collections::HashMap;

use crate::ast::*;

/// The emitted source and the positions of trapping nodes.
#[derive(Clone, Debug)]
pub struct LcSource {
    /// The program text.
    pub text: String,
    /// `line:col` (1-based) of each operation that can trap (division,
    /// remainder, indexing, access through a pointer, compound assignment),
    /// keyed by node id.
    pub positions: HashMap<NodeId, (u32, u32)>,
}

/// The checksum helpers every program starts with (the C twin has the same
/// functions). NaNs are folded to one value: their sign and payload are not
/// specified by the language.
pub const PRELUDE: &str = "\
extern fn printf(fmt: *u8, ...) -> i32;
var dt_h: u64 = 14695981039346656037u64;
fn dt_mix(x: u64) { dt_h = (dt_h ^ x) * 1099511628211u64; dt_h = dt_h ^ (dt_h >> 29u64); }
fn dt_mixd(x: f64) { if (x != x) { dt_mix(1u64); return; } var t: f64 = x; dt_mix(*((&t) as *u64)); }
fn dt_mixs(x: f32) { if (x != x) { dt_mix(2u64); return; } var t: f32 = x; dt_mix((*((&t) as *u32)) as u64); }
";

/// Emits `p` as LC.
pub fn emit(p: &Program) -> LcSource {
    let mut w = Writer {
        p,
        text: String::new(),
        line: 1,
        line_start: 0,
        positions: HashMap::new(),
        indent: 0,
    };
    w.raw(&format!("// difftest program, seed {:#x}\n", p.seed));
    w.raw(PRELUDE);
    for s in &p.structs {
        w.put(&format!("struct {} {{ ", s.name));
        for (n, t) in &s.fields {
            w.put(&format!("{n}: {}, ", ty(p, t)));
        }
        w.put("}");
        w.nl();
    }
    for g in &p.globals {
        w.put(&format!("var {}: {}", g.name, ty(p, &g.ty)));
        if let Some(e) = &g.init {
            w.put(" = ");
            w.expr(e);
        }
        w.put(";");
        w.nl();
    }
    for f in &p.funcs {
        w.put(&format!("fn {}(", f.name));
        for (i, (n, t)) in f.params.iter().enumerate() {
            if i > 0 {
                w.put(", ");
            }
            w.put(&format!("{n}: {}", ty(p, t)));
        }
        w.put(")");
        if let Some(r) = &f.ret {
            w.put(&format!(" -> {}", ty(p, r)));
        }
        w.put(" {");
        w.nl();
        w.block(&f.body);
        w.put("}");
        w.nl();
    }
    LcSource {
        text: w.text,
        positions: w.positions,
    }
}

/// The LC spelling of a type.
pub fn ty(p: &Program, t: &Ty) -> String {
    match t {
        Ty::Int(i) => i.lc().to_string(),
        Ty::F32 => "f32".into(),
        Ty::F64 => "f64".into(),
        Ty::Bool => "bool".into(),
        Ty::Ptr(e) => format!("*{}", ty(p, e)),
        Ty::Array(n, e) => format!("[{n}]{}", ty(p, e)),
        Ty::Struct(s) => p.structs[*s].name.clone(),
        Ty::Fn(sig) => {
            let ps: Vec<String> = sig.params.iter().map(|t| ty(p, t)).collect();
            match &sig.ret {
                Some(r) => format!("fn({}) -> {}", ps.join(", "), ty(p, r)),
                None => format!("fn({})", ps.join(", ")),
            }
        }
    }
}

/// A float literal's text (shortest round-trip form) without suffix.
pub fn float_text(t: &Ty, v: f64) -> String {
    if *t == Ty::F32 {
        format!("{:e}", v as f32)
    } else {
        format!("{v:e}")
    }
}

struct Writer<'a> {
    p: &'a Program,
    text: String,
    line: u32,
    line_start: usize,
    positions: HashMap<NodeId, (u32, u32)>,
    indent: usize,
}

impl Writer<'_> {
    fn raw(&mut self, s: &str) {
        for c in s.chars() {
            self.text.push(c);
            if c == '\n' {
                self.line += 1;
                self.line_start = self.text.len();
            }
        }
    }

    fn put(&mut self, s: &str) {
        if self.text.len() == self.line_start {
            self.text.push_str(&"    ".repeat(self.indent));
        }
        self.text.push_str(s);
    }

    fn nl(&mut self) {
        self.text.push('\n');
        self.line += 1;
        self.line_start = self.text.len();
    }

    fn mark(&mut self, id: NodeId) {
        if self.text.len() == self.line_start {
            self.text.push_str(&"    ".repeat(self.indent));
        }
        let col = (self.text.len() - self.line_start) as u32 + 1;
        self.positions.insert(id, (self.line, col));
    }

    fn block(&mut self, body: &[Stmt]) {
        self.indent += 1;
        for s in body {
            self.stmt(s);
        }
        self.indent -= 1;
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Let {
                name,
                ty: t,
                mutable,
                init,
            } => {
                let kw = if *mutable { "var" } else { "let" };
                self.put(&format!("{kw} {name}: {}", ty(self.p, t)));
                if let Some(e) = init {
                    self.put(" = ");
                    self.expr(e);
                }
                self.put(";");
            }
            Stmt::Assign {
                id,
                place,
                op,
                value,
            } => {
                self.mark(*id);
                self.expr(place);
                match op {
                    Some(o) => self.put(&format!(" {}= ", o.text())),
                    None => self.put(" = "),
                }
                self.expr(value);
                self.put(";");
            }
            Stmt::Mix(e) => {
                match &e.ty {
                    Ty::F64 => self.put("dt_mixd("),
                    Ty::F32 => self.put("dt_mixs("),
                    _ => self.put("dt_mix(("),
                }
                self.expr(e);
                match &e.ty {
                    Ty::F64 | Ty::F32 => self.put(");"),
                    _ => self.put(") as u64);"),
                }
            }
            Stmt::Call(e) => {
                self.expr(e);
                self.put(";");
            }
            Stmt::If(c, a, b) => {
                self.put("if (");
                self.expr(c);
                self.put(") {");
                self.nl();
                self.block(a);
                if b.is_empty() {
                    self.put("}");
                } else {
                    self.put("} else {");
                    self.nl();
                    self.block(b);
                    self.put("}");
                }
            }
            Stmt::For {
                var,
                count,
                body,
                while_loop: true,
            } => {
                self.put(&format!("var {var}: i64 = (-1i64);"));
                self.nl();
                self.put(&format!("while ({var} < {}i64) {{", count - 1));
                self.nl();
                self.indent += 1;
                self.put(&format!("{var} += 1i64;"));
                self.nl();
                self.indent -= 1;
                self.block(body);
                self.put("}");
            }
            Stmt::For {
                var,
                count,
                body,
                while_loop: false,
            } => {
                self.put(&format!(
                    "for (var {var}: i64 = 0i64; {var} < {count}i64; {var} += 1i64) {{"
                ));
                self.nl();
                self.block(body);
                self.put("}");
            }
            Stmt::Break => self.put("break;"),
            Stmt::Continue => self.put("continue;"),
            Stmt::Return(None) => self.put("return;"),
            Stmt::Return(Some(e)) => {
                self.put("return ");
                self.expr(e);
                self.put(";");
            }
            Stmt::Print => self.put("printf(\"%016llx\\n\", dt_h);"),
        }
        self.nl();
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Int(v) => {
                let t = e.ty.int().unwrap();
                if *v < 0 {
                    self.put(&format!("(-{}{})", v.unsigned_abs(), t.lc()));
                } else if t == IntTy::U8 && (b'a' as i128..=b'z' as i128).contains(v) {
                    // A character literal is a `u8`.
                    self.put(&format!("'{}'", *v as u8 as char));
                } else if *v > 9 && v % 3 == 0 {
                    self.put(&format!("{v:#x}{}", t.lc()));
                } else if *v > 9 && v % 5 == 0 {
                    self.put(&format!("{v:#b}{}", t.lc()));
                } else {
                    self.put(&format!("{v}{}", t.lc()));
                }
            }
            ExprKind::SizeOf(t) => self.put(&format!("sizeof({})", ty(self.p, t))),
            ExprKind::Float(v) => {
                let s = float_text(&e.ty, *v);
                let suffix = if e.ty == Ty::F32 { "f32" } else { "f64" };
                if let Some(pos) = s.strip_prefix('-') {
                    self.put(&format!("(-{pos}{suffix})"));
                } else {
                    self.put(&format!("{s}{suffix}"));
                }
            }
            ExprKind::Bool(b) => self.put(if *b { "true" } else { "false" }),
            ExprKind::Str(s) => self.put(&format!("\"{s}\"")),
            ExprKind::Null => self.put("null"),
            ExprKind::Var(n) | ExprKind::FnRef(n) => self.put(n),
            ExprKind::Unary(op, a) => {
                self.put(match op {
                    UnOp::Neg => "(-",
                    UnOp::BitNot => "(~",
                    UnOp::Not => "(!",
                });
                // A parenthesised operand: `-(5u32)` negates, `-5u32` would
                // be one (out of range) literal.
                let lit = matches!(a.kind, ExprKind::Int(v) if v >= 0)
                    || matches!(a.kind, ExprKind::Float(_));
                if lit {
                    self.put("(");
                }
                self.expr(a);
                if lit {
                    self.put(")");
                }
                self.put(")");
            }
            ExprKind::Binary(op, a, b) => {
                self.put("(");
                self.mark(e.id);
                self.expr(a);
                self.put(&format!(" {} ", op.text()));
                self.expr(b);
                self.put(")");
            }
            ExprKind::Cond(c, a, b) => {
                self.put("(");
                self.expr(c);
                self.put(" ? ");
                self.expr(a);
                self.put(" : ");
                self.expr(b);
                self.put(")");
            }
            ExprKind::Cast(a) => {
                self.put("(");
                self.expr(a);
                self.put(&format!(" as {})", ty(self.p, &e.ty)));
            }
            ExprKind::Index(a, i) | ExprKind::PtrIndex(a, i) => {
                self.mark(e.id);
                self.postfix_base(a);
                self.put("[");
                self.expr(i);
                self.put("]");
            }
            ExprKind::Field(a, k) => {
                self.mark(e.id);
                self.postfix_base(a);
                let s = match &a.ty {
                    Ty::Struct(s) => *s,
                    Ty::Ptr(t) => match **t {
                        Ty::Struct(s) => s,
                        _ => unreachable!(),
                    },
                    _ => unreachable!(),
                };
                self.put(&format!(".{}", self.p.structs[s].fields[*k].0));
            }
            ExprKind::Deref(a) => {
                self.put("(");
                self.mark(e.id);
                self.put("*");
                self.expr(a);
                self.put(")");
            }
            ExprKind::AddrOf(a) => {
                self.put("(&");
                self.expr(a);
                self.put(")");
            }
            ExprKind::Call(f, args) => {
                self.postfix_base(f);
                self.list("(", args, ")");
            }
            ExprKind::Builtin(b, args) => {
                self.put(&format!("@{}", b.name()));
                self.list("(", args, ")");
            }
            ExprKind::StructLit(vals) => {
                let s = match e.ty {
                    Ty::Struct(s) => s,
                    _ => unreachable!(),
                };
                let def = &self.p.structs[s];
                self.put(&format!("{} {{ ", def.name));
                for (i, v) in vals.iter().enumerate() {
                    self.put(&format!("{}: ", def.fields[i].0));
                    self.expr(v);
                    self.put(", ");
                }
                self.put("}");
            }
            ExprKind::ArrayLit(vals) => self.list("[", vals, "]"),
        }
    }

    /// `open e1, e2, … close`.
    fn list(&mut self, open: &str, items: &[Expr], close: &str) {
        self.put(open);
        for (i, a) in items.iter().enumerate() {
            if i > 0 {
                self.put(", ");
            }
            self.expr(a);
        }
        self.put(close);
    }

    /// The base of a postfix operation: names and postfix chains bare,
    /// anything else in parentheses.
    fn postfix_base(&mut self, a: &Expr) {
        match a.kind {
            ExprKind::Var(_)
            | ExprKind::FnRef(_)
            | ExprKind::Index(..)
            | ExprKind::Field(..)
            | ExprKind::PtrIndex(..) => self.expr(a),
            ExprKind::Call(..) => self.expr(a),
            _ => {
                self.put("(");
                self.expr(a);
                self.put(")");
            }
        }
    }
}
