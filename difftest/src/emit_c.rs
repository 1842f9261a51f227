//! Writes the C twin of a program: the same computation with LC's semantics
//! spelled out (wrapping through `uint64_t`, masked shifts, saturating
//! float→int casts, checked division and indexing that print LC's trap
//! message and position), in three-address form so C evaluates everything
//! left to right exactly as LC does.

use std::collections::HashMap;
use std::fmt::Write;

use crate::ast::*;
use crate::emit_lc::{float_text, LcSource};

/// The helpers every twin starts with.
pub const PRELUDE: &str = r#"#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <math.h>
static uint64_t dt_h = 14695981039346656037ULL;
static void dt_mix(uint64_t x) { dt_h = (dt_h ^ x) * 1099511628211ULL; dt_h = dt_h ^ (dt_h >> 29); }
static void dt_mixd(double x) { if (x != x) { dt_mix(1); return; } uint64_t b; memcpy(&b, &x, 8); dt_mix(b); }
static void dt_mixs(float x) { if (x != x) { dt_mix(2); return; } uint32_t b; memcpy(&b, &x, 4); dt_mix((uint64_t)b); }
static _Noreturn void dt_trap(const char *what, const char *pos) {
    fflush(stdout); fprintf(stderr, "runtime error: %s\n  at %s\n", what, pos); fflush(stderr); _exit(101);
}
static int64_t dt_chk(int64_t i, int64_t n, const char *pos) {
    if ((uint64_t)i >= (uint64_t)n) {
        fflush(stdout);
        fprintf(stderr, "runtime error: index out of bounds: index %lld, length %lld\n  at %s\n", (long long)i, (long long)n, pos);
        fflush(stderr); _exit(101);
    }
    return i;
}
static void dt_null(const void *p, const char *pos) { if (!p) dt_trap("invalid memory access at address 0x0", pos); }
static uint8_t dt_bswap8(uint8_t x) { return x; }
static uint16_t dt_bswap16(uint16_t x) { return __builtin_bswap16(x); }
static uint32_t dt_bswap32(uint32_t x) { return __builtin_bswap32(x); }
static uint64_t dt_bswap64(uint64_t x) { return __builtin_bswap64(x); }
#define DT_INT(N, T, UT, W, S, MIN, HI) \
static T dt_add_##N(T a, T b) { return (T)((uint64_t)a + (uint64_t)b); } \
static T dt_sub_##N(T a, T b) { return (T)((uint64_t)a - (uint64_t)b); } \
static T dt_mul_##N(T a, T b) { return (T)((uint64_t)a * (uint64_t)b); } \
static T dt_neg_##N(T a) { return (T)(0 - (uint64_t)a); } \
static T dt_shl_##N(T a, uint64_t n) { return (T)((uint64_t)(UT)a << (n & (W - 1))); } \
static T dt_shr_##N(T a, uint64_t n) { return (T)(a >> (n & (W - 1))); } \
static T dt_div_##N(T a, T b, const char *pos) { \
    if (b == 0) dt_trap("division by zero", pos); \
    if (S && a == MIN && b == (T)-1) dt_trap("division overflow", pos); \
    return (T)(a / b); } \
static T dt_rem_##N(T a, T b, const char *pos) { \
    if (b == 0) dt_trap("division by zero", pos); \
    if (S && a == MIN && b == (T)-1) dt_trap("division overflow", pos); \
    return (T)(a % b); } \
static T dt_popcount_##N(T a) { return (T)__builtin_popcountll((uint64_t)(UT)a); } \
static T dt_clz_##N(T a) { return (UT)a == 0 ? (T)W : (T)(__builtin_clzll((uint64_t)(UT)a) - (64 - W)); } \
static T dt_ctz_##N(T a) { return (UT)a == 0 ? (T)W : (T)__builtin_ctzll((uint64_t)(UT)a); } \
static T dt_bswap_##N(T a) { return (T)dt_bswap##W((UT)a); } \
static T dt_min_##N(T a, T b) { return a < b ? a : b; } \
static T dt_max_##N(T a, T b) { return a > b ? a : b; } \
static T dt_f2i_##N(double x) { \
    if (x != x) return 0; \
    if (x < (S ? -(HI) : 0.0)) return (T)(S ? MIN : 0); \
    if (x >= (HI)) return (T)(S ? (UT)MIN - 1 : (UT)-1); \
    return (T)x; }
DT_INT(i8, int8_t, uint8_t, 8, 1, INT8_MIN, 128.0)
DT_INT(i16, int16_t, uint16_t, 16, 1, INT16_MIN, 32768.0)
DT_INT(i32, int32_t, uint32_t, 32, 1, INT32_MIN, 2147483648.0)
DT_INT(i64, int64_t, uint64_t, 64, 1, INT64_MIN, 9223372036854775808.0)
DT_INT(u8, uint8_t, uint8_t, 8, 0, 0, 256.0)
DT_INT(u16, uint16_t, uint16_t, 16, 0, 0, 65536.0)
DT_INT(u32, uint32_t, uint32_t, 32, 0, 0, 4294967296.0)
DT_INT(u64, uint64_t, uint64_t, 64, 0, 0, 18446744073709551616.0)
"#;

/// Emits the C twin of `p`. `file` is the LC file name as the trap messages
/// print it; `entry` is the name of the function running LC's `main`
/// (`main` for a standalone program, another name when several twins are
/// linked into one executable).
pub fn emit(p: &Program, lc: &LcSource, file: &str, entry: &str) -> String {
    let mut cx = Ctx {
        p,
        lc,
        file,
        types: HashMap::new(),
        decls: String::new(),
        next_ty: 0,
        defined_structs: vec![false; p.structs.len()],
    };
    let mut out = String::new();
    out.push_str(PRELUDE);
    for s in 0..p.structs.len() {
        let _ = writeln!(cx.decls, "struct {};", p.structs[s].name);
    }
    for s in 0..p.structs.len() {
        cx.ty(&Ty::Struct(s));
    }
    // Prototypes, then globals, then bodies.
    let mut protos = String::new();
    let mut bodies = String::new();
    for f in &p.funcs {
        let head = cx.fn_head(f, entry);
        let _ = writeln!(protos, "{head};");
        let mut fcx = FnCx {
            cx: &mut cx,
            tmp: 0,
        };
        let mut body = String::new();
        fcx.block(&f.body, &mut body);
        let _ = writeln!(bodies, "{head} {{\n{body}}}");
    }
    let mut globals = String::new();
    for g in &p.globals {
        let t = cx.ty(&g.ty);
        match &g.init {
            Some(e) => {
                let v = cx.constant(e);
                let _ = writeln!(globals, "static {t} {} = {v};", g.name);
            }
            None => {
                let _ = writeln!(globals, "static {t} {};", g.name);
            }
        }
    }
    out.push_str(&cx.decls);
    out.push_str(&protos);
    out.push_str(&globals);
    out.push_str(&bodies);
    out
}

/// The driver linking several twins into one executable: `./twins K` runs
/// twin `K` (whose entry is `entries[K]`).
pub fn batch_driver(entries: &[String]) -> String {
    let mut s = String::from("#include <stdlib.h>\n");
    for e in entries {
        let _ = writeln!(s, "int {e}(void);");
    }
    s.push_str("int main(int argc, char **argv) {\n    if (argc < 2) return 99;\n    switch (atoi(argv[1])) {\n");
    for (i, e) in entries.iter().enumerate() {
        let _ = writeln!(s, "    case {i}: return {e}();");
    }
    s.push_str("    }\n    return 99;\n}\n");
    s
}

struct Ctx<'a> {
    p: &'a Program,
    lc: &'a LcSource,
    file: &'a str,
    types: HashMap<Ty, String>,
    decls: String,
    next_ty: u32,
    defined_structs: Vec<bool>,
}

impl Ctx<'_> {
    /// The C name of `t`, declaring typedefs (arrays as wrapped structs,
    /// function pointers) and struct definitions on first use.
    fn ty(&mut self, t: &Ty) -> String {
        match t {
            Ty::Int(i) => format!("{}int{}_t", if i.signed() { "" } else { "u" }, i.bits()),
            Ty::F32 => "float".into(),
            Ty::F64 => "double".into(),
            Ty::Bool => "bool".into(),
            Ty::Ptr(e) => format!("{}*", self.ty(e)),
            Ty::Struct(s) => {
                if !self.defined_structs[*s] {
                    self.defined_structs[*s] = true;
                    let fields: Vec<(String, Ty)> = self.p.structs[*s].fields.clone();
                    let mut def = format!("struct {} {{", self.p.structs[*s].name);
                    for (n, ft) in &fields {
                        let c = self.ty(ft);
                        let _ = write!(def, " {c} {n};");
                    }
                    def.push_str(" };\n");
                    self.decls.push_str(&def);
                }
                format!("struct {}", self.p.structs[*s].name)
            }
            Ty::Array(n, e) => {
                if let Some(name) = self.types.get(t) {
                    return name.clone();
                }
                let ec = self.ty(e);
                let name = format!("dt_t{}", self.next_ty);
                self.next_ty += 1;
                let _ = writeln!(self.decls, "typedef struct {{ {ec} a[{n}]; }} {name};");
                self.types.insert(t.clone(), name.clone());
                name
            }
            Ty::Fn(sig) => {
                if let Some(name) = self.types.get(t) {
                    return name.clone();
                }
                let ps: Vec<String> = sig.params.iter().map(|p| self.ty(p)).collect();
                let r = match &sig.ret {
                    Some(r) => self.ty(r),
                    None => "void".into(),
                };
                let name = format!("dt_t{}", self.next_ty);
                self.next_ty += 1;
                let ps = if ps.is_empty() {
                    "void".to_string()
                } else {
                    ps.join(", ")
                };
                let _ = writeln!(self.decls, "typedef {r} (*{name})({ps});");
                self.types.insert(t.clone(), name.clone());
                name
            }
        }
    }

    fn fn_head(&mut self, f: &Func, entry: &str) -> String {
        if f.name == "main" {
            return format!("int {entry}(void)");
        }
        let r = match &f.ret {
            Some(t) => self.ty(t),
            None => "void".into(),
        };
        let ps: Vec<String> = f
            .params
            .iter()
            .map(|(n, t)| format!("{} {n}", self.ty(t)))
            .collect();
        let ps = if ps.is_empty() {
            "void".to_string()
        } else {
            ps.join(", ")
        };
        format!("static {r} {}({ps})", f.name)
    }

    fn pos(&self, id: NodeId) -> String {
        let (l, c) = self.lc.positions.get(&id).copied().unwrap_or((0, 0));
        format!("\"{}:{l}:{c}\"", self.file)
    }

    /// A constant initialiser.
    fn constant(&mut self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::ArrayLit(vs) => {
                let v: Vec<String> = vs.iter().map(|x| self.constant(x)).collect();
                format!("{{ {{ {} }} }}", v.join(", "))
            }
            ExprKind::StructLit(vs) => {
                let v: Vec<String> = vs.iter().map(|x| self.constant(x)).collect();
                format!("{{ {} }}", v.join(", "))
            }
            _ => self.literal(e).expect("constant initialiser"),
        }
    }

    /// The C text of a literal or function name.
    fn literal(&mut self, e: &Expr) -> Option<String> {
        Some(match &e.kind {
            ExprKind::Int(v) => format!("(({}){:#x}ULL)", self.ty(&e.ty), *v as u64),
            ExprKind::Float(v) => {
                let s = float_text(&e.ty, *v);
                if e.ty == Ty::F32 {
                    format!("({s}f)")
                } else {
                    format!("({s})")
                }
            }
            ExprKind::Bool(b) => format!("((bool){})", *b as u8),
            ExprKind::Str(s) => format!("((uint8_t*)\"{s}\")"),
            ExprKind::Null => format!("(({})0)", self.ty(&e.ty)),
            ExprKind::FnRef(n) => n.clone(),
            ExprKind::SizeOf(t) => format!("((uint64_t)sizeof({}))", self.ty(t)),
            _ => return None,
        })
    }
}

struct FnCx<'a, 'b> {
    cx: &'a mut Ctx<'b>,
    tmp: u32,
}

fn is_place(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Var(_) | ExprKind::Deref(_) | ExprKind::PtrIndex(..) => true,
        ExprKind::Field(s, _) => matches!(s.ty, Ty::Ptr(_)) || is_place(s),
        ExprKind::Index(a, _) => is_place(a),
        _ => false,
    }
}

fn int_name(t: &Ty) -> &'static str {
    t.int().expect("integer type").lc()
}

impl FnCx<'_, '_> {
    fn temp(&mut self, ty: &Ty, value: &str, out: &mut String) -> String {
        let name = format!("t{}", self.tmp);
        self.tmp += 1;
        let c = self.cx.ty(ty);
        let _ = writeln!(out, "{c} {name} = {value};");
        name
    }

    fn block(&mut self, body: &[Stmt], out: &mut String) {
        for s in body {
            self.stmt(s, out);
        }
    }

    fn stmt(&mut self, s: &Stmt, out: &mut String) {
        match s {
            Stmt::Let { name, ty, init, .. } => {
                let v = match init {
                    Some(e) => self.expr(e, out),
                    None => "{0}".into(),
                };
                let c = self.cx.ty(ty);
                let _ = writeln!(out, "{c} {name} = {v};");
            }
            Stmt::Assign {
                id,
                place,
                op,
                value,
            } => {
                let lv = self.place(place, out, true);
                match op {
                    None => {
                        let v = self.expr(value, out);
                        let _ = writeln!(out, "{lv} = {v};");
                    }
                    Some(o) => {
                        // `x op= v` reads `x` before evaluating `v` (which
                        // may call a function that assigns `x`).
                        let old = self.temp(&place.ty, &lv, out);
                        let v = self.expr(value, out);
                        let r = self.binary(*o, &place.ty, &old, &v, *id);
                        let _ = writeln!(out, "{lv} = {r};");
                    }
                }
            }
            Stmt::Mix(e) => {
                let v = self.expr(e, out);
                let f = match e.ty {
                    Ty::F64 => "dt_mixd",
                    Ty::F32 => "dt_mixs",
                    _ => "dt_mix((uint64_t)",
                };
                if f.ends_with(')') {
                    let _ = writeln!(out, "{f}{v});");
                } else {
                    let _ = writeln!(out, "{f}({v});");
                }
            }
            Stmt::Call(e) => {
                self.expr(e, out);
            }
            Stmt::If(c, a, b) => {
                let v = self.expr(c, out);
                let _ = writeln!(out, "if ({v}) {{");
                self.block(a, out);
                out.push_str("} else {\n");
                self.block(b, out);
                out.push_str("}\n");
            }
            Stmt::For {
                var,
                count,
                body,
                while_loop,
            } => {
                if *while_loop {
                    let _ = writeln!(
                        out,
                        "int64_t {var} = -1;\nwhile ({var} < {}) {{\n{var} += 1;",
                        count - 1
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "for (int64_t {var} = 0; {var} < {count}; {var} += 1) {{"
                    );
                }
                self.block(body, out);
                out.push_str("}\n");
            }
            Stmt::Break => out.push_str("break;\n"),
            Stmt::Continue => out.push_str("continue;\n"),
            Stmt::Return(None) => out.push_str("return;\n"),
            Stmt::Return(Some(e)) => {
                let v = self.expr(e, out);
                let _ = writeln!(out, "return {v};");
            }
            Stmt::Print => out.push_str("printf(\"%016llx\\n\", (unsigned long long)dt_h);\n"),
        }
    }

    /// An lvalue for place `e`; its indices are evaluated (and checked) now,
    /// and, when it is accessed (not just its address taken), the pointers
    /// it goes through are checked against null.
    fn place(&mut self, e: &Expr, out: &mut String, access: bool) -> String {
        match &e.kind {
            ExprKind::Var(n) => n.clone(),
            ExprKind::Index(a, i) => {
                let base = self.place(a, out, access);
                self.checked_index(e, a, i, &base, out)
            }
            ExprKind::Field(s, k) => self.field(e, s, *k, out, access),
            ExprKind::Deref(p) => {
                let v = self.pointer(p, e.id, out, access);
                format!("(*{v})")
            }
            ExprKind::PtrIndex(p, i) => {
                let pv = self.pointer(p, e.id, out, access);
                let iv = self.expr(i, out);
                format!("{pv}[{iv}]")
            }
            _ => unreachable!("not a place: {e:?}"),
        }
    }

    /// Evaluates pointer `p`, accessed at node `at`: LC traps when the
    /// pointer it is derived from (through pointer casts and arithmetic) is
    /// null, before the access's other operands.
    fn pointer(&mut self, p: &Expr, at: NodeId, out: &mut String, access: bool) -> String {
        let (v, base) = self.derived(p, out);
        if access {
            let pos = self.cx.pos(at);
            let _ = writeln!(out, "dt_null({base}, {pos});");
        }
        v
    }

    /// Evaluates `p`, returning it and the pointer it is derived from.
    fn derived(&mut self, p: &Expr, out: &mut String) -> (String, String) {
        match &p.kind {
            ExprKind::Cast(a) if matches!(a.ty, Ty::Ptr(_)) => {
                let (v, base) = self.derived(a, out);
                let to = self.cx.ty(&p.ty);
                (self.temp(&p.ty, &format!("(({to}){v})"), out), base)
            }
            ExprKind::Binary(op @ (BinOp::Add | BinOp::Sub), a, k)
                if matches!(a.ty, Ty::Ptr(_)) && k.ty.int().is_some() =>
            {
                let (v, base) = self.derived(a, out);
                let kv = self.expr(k, out);
                (
                    self.temp(&p.ty, &format!("({v} {} {kv})", op.text()), out),
                    base,
                )
            }
            _ => {
                let v = self.expr(p, out);
                (v.clone(), v)
            }
        }
    }

    fn checked_index(
        &mut self,
        e: &Expr,
        a: &Expr,
        i: &Expr,
        base: &str,
        out: &mut String,
    ) -> String {
        let n = match a.ty {
            Ty::Array(n, _) => n,
            _ => unreachable!(),
        };
        let iv = self.expr(i, out);
        let pos = self.cx.pos(e.id);
        let k = self.temp(
            &Ty::Int(IntTy::I64),
            &format!("dt_chk((int64_t){iv}, {n}, {pos})"),
            out,
        );
        format!("{base}.a[{k}]")
    }

    fn field(&mut self, e: &Expr, s: &Expr, k: usize, out: &mut String, access: bool) -> String {
        let (sid, ptr) = match &s.ty {
            Ty::Struct(i) => (*i, false),
            Ty::Ptr(t) => match **t {
                Ty::Struct(i) => (i, true),
                _ => unreachable!(),
            },
            _ => unreachable!(),
        };
        let fname = &self.cx.p.structs[sid].fields[k].0.clone();
        if ptr {
            let v = self.pointer(s, e.id, out, access);
            format!("{v}->{fname}")
        } else if is_place(s) {
            let b = self.place(s, out, access);
            format!("{b}.{fname}")
        } else {
            let v = self.expr(s, out);
            format!("{v}.{fname}")
        }
    }

    /// C for `a op b` on operands of type `ta` (already evaluated atoms).
    fn binary(&mut self, op: BinOp, ta: &Ty, a: &str, b: &str, id: NodeId) -> String {
        if let Ty::Int(t) = ta {
            let n = t.lc();
            return match op {
                BinOp::Add => format!("dt_add_{n}({a}, {b})"),
                BinOp::Sub => format!("dt_sub_{n}({a}, {b})"),
                BinOp::Mul => format!("dt_mul_{n}({a}, {b})"),
                BinOp::Div => format!("dt_div_{n}({a}, {b}, {})", self.cx.pos(id)),
                BinOp::Rem => format!("dt_rem_{n}({a}, {b}, {})", self.cx.pos(id)),
                BinOp::And | BinOp::Or | BinOp::Xor => {
                    format!("(({})({a} {} {b}))", self.cx.ty(ta), op.text())
                }
                BinOp::Shl => format!("dt_shl_{n}({a}, (uint64_t){b})"),
                BinOp::Shr => format!("dt_shr_{n}({a}, (uint64_t){b})"),
                _ => format!("({a} {} {b})", op.text()),
            };
        }
        format!("({a} {} {b})", op.text())
    }

    fn expr(&mut self, e: &Expr, out: &mut String) -> String {
        if let Some(l) = self.cx.literal(e) {
            return l;
        }
        match &e.kind {
            ExprKind::Var(n) => self.temp(&e.ty, n, out),
            ExprKind::Unary(op, a) => {
                let v = self.expr(a, out);
                let r = match (op, &e.ty) {
                    (UnOp::Neg, Ty::Int(_)) => format!("dt_neg_{}({v})", int_name(&e.ty)),
                    (UnOp::Neg, _) => format!("(-{v})"),
                    (UnOp::BitNot, _) => format!("(({})~{v})", self.cx.ty(&e.ty)),
                    (UnOp::Not, _) => format!("(!{v})"),
                };
                self.temp(&e.ty, &r, out)
            }
            ExprKind::Binary(op @ (BinOp::LAnd | BinOp::LOr), a, b) => {
                let av = self.expr(a, out);
                let name = format!("t{}", self.tmp);
                self.tmp += 1;
                let _ = writeln!(out, "bool {name};");
                let test = if *op == BinOp::LAnd {
                    av.clone()
                } else {
                    format!("!{av}")
                };
                let _ = writeln!(out, "if ({test}) {{");
                let bv = self.expr(b, out);
                let short = if *op == BinOp::LAnd { 0 } else { 1 };
                let _ = writeln!(out, "{name} = {bv};\n}} else {{\n{name} = {short};\n}}");
                name
            }
            ExprKind::Binary(op, a, b) => {
                let av = self.expr(a, out);
                let bv = self.expr(b, out);
                let r = match (&a.ty, &b.ty) {
                    (Ty::Ptr(_), Ty::Ptr(_)) if *op == BinOp::Sub => {
                        format!("((int64_t)({av} - {bv}))")
                    }
                    (Ty::Ptr(_), _) => format!("({av} {} {bv})", op.text()),
                    _ => self.binary(*op, &a.ty, &av, &bv, e.id),
                };
                self.temp(&e.ty, &r, out)
            }
            ExprKind::Cond(c, a, b) => {
                let cv = self.expr(c, out);
                let name = format!("t{}", self.tmp);
                self.tmp += 1;
                let ct = self.cx.ty(&e.ty);
                let _ = writeln!(out, "{ct} {name};\nif ({cv}) {{");
                let av = self.expr(a, out);
                let _ = writeln!(out, "{name} = {av};\n}} else {{");
                let bv = self.expr(b, out);
                let _ = writeln!(out, "{name} = {bv};\n}}");
                name
            }
            ExprKind::Cast(a) => {
                let v = self.expr(a, out);
                let to = self.cx.ty(&e.ty);
                let r = match (&a.ty, &e.ty) {
                    (Ty::F32 | Ty::F64, Ty::Int(t)) => format!("dt_f2i_{}((double){v})", t.lc()),
                    (Ty::Ptr(_), Ty::Int(_)) => format!("(({to})(uintptr_t){v})"),
                    (Ty::Int(_), Ty::Ptr(_)) => format!("(({to})(uintptr_t){v})"),
                    _ => format!("(({to}){v})"),
                };
                self.temp(&e.ty, &r, out)
            }
            ExprKind::Index(a, i) => {
                let base = if is_place(a) {
                    self.place(a, out, true)
                } else {
                    self.expr(a, out)
                };
                let lv = self.checked_index(e, a, i, &base, out);
                self.temp(&e.ty, &lv, out)
            }
            ExprKind::PtrIndex(..) | ExprKind::Deref(_) => {
                let lv = self.place(e, out, true);
                self.temp(&e.ty, &lv, out)
            }
            ExprKind::Field(s, k) => {
                let lv = self.field(e, s, *k, out, true);
                self.temp(&e.ty, &lv, out)
            }
            ExprKind::AddrOf(a) => {
                let lv = self.place(a, out, false);
                self.temp(&e.ty, &format!("(&{lv})"), out)
            }
            ExprKind::Call(f, args) => {
                let fv = match &f.kind {
                    ExprKind::FnRef(n) => n.clone(),
                    _ => self.expr(f, out),
                };
                let vs: Vec<String> = args.iter().map(|a| self.expr(a, out)).collect();
                let call = format!("{fv}({})", vs.join(", "));
                let returns = match &f.ty {
                    Ty::Fn(sig) => sig.ret.is_some(),
                    _ => true,
                };
                if returns {
                    self.temp(&e.ty, &call, out)
                } else {
                    let _ = writeln!(out, "{call};");
                    String::new()
                }
            }
            ExprKind::Builtin(b, args) => {
                let vs: Vec<String> = args.iter().map(|a| self.expr(a, out)).collect();
                let r = match (&e.ty, b) {
                    (Ty::Int(t), _) => format!("dt_{}_{}({})", b.name(), t.lc(), vs.join(", ")),
                    (Ty::F32 | Ty::F64, Builtin::Min) => {
                        format!("({0} < {1} ? {0} : {1})", vs[0], vs[1])
                    }
                    (Ty::F32 | Ty::F64, Builtin::Max) => {
                        format!("({0} > {1} ? {0} : {1})", vs[0], vs[1])
                    }
                    (t, _) => {
                        let f = if *t == Ty::F32 { "f" } else { "" };
                        format!("{}{f}({})", b.name(), vs.join(", "))
                    }
                };
                self.temp(&e.ty, &r, out)
            }
            ExprKind::StructLit(vals) => {
                let vs: Vec<String> = vals.iter().map(|a| self.expr(a, out)).collect();
                self.temp(&e.ty, &format!("{{ {} }}", vs.join(", ")), out)
            }
            ExprKind::ArrayLit(vals) => {
                let vs: Vec<String> = vals.iter().map(|a| self.expr(a, out)).collect();
                self.temp(&e.ty, &format!("{{ {{ {} }} }}", vs.join(", ")), out)
            }
            _ => unreachable!("literal handled above"),
        }
    }
}
