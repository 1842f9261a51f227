//! Walks over the checked tree. The [`Visitor`] walk reaches every statement
//! and expression of a function, outer first; the questions tier policy
//! asks of a function (what it calls, which parameters bound its loops,
//! which calls go through a parameter) are visits of it. The analyses of
//! on-stack replacement also follow a function's loop structure: the
//! statements that may hold a loop (`find_loop_in`, `path_to`,
//! `top_loops`) and the parts of a loop that run again (`walk_loop`).

use super::{
    Block, Callee, ConstVal, Expr, ExprKind as T, Func, FuncId, LocalId, SiteId, SiteKind, Stmt,
};
use crate::source::Span;
use crate::types::Ty;

/// What a walk calls back; both hooks default to doing nothing.
pub trait Visitor {
    /// Called on every statement, before the statements and expressions
    /// inside it.
    fn stmt(&mut self, _s: &Stmt) {}
    /// Called on every expression, before its operands.
    fn expr(&mut self, _e: &Expr) {}
}

/// Walks every statement of `b` and everything inside them.
pub fn walk_block(v: &mut dyn Visitor, b: &Block) {
    b.stmts.iter().for_each(|s| walk_stmt(v, s))
}

/// Walks `s` and everything inside it.
pub fn walk_stmt(v: &mut dyn Visitor, s: &Stmt) {
    v.stmt(s);
    match s {
        Stmt::Local(_, Some(e)) | Stmt::Expr(e) | Stmt::Return(Some(e)) => walk_expr(v, e),
        Stmt::Assign { place, value, .. } => {
            walk_expr(v, place);
            walk_expr(v, value);
        }
        Stmt::If(c, t, e, _) => {
            walk_expr(v, c);
            walk_block(v, t);
            if let Some(e) = e {
                walk_stmt(v, e);
            }
        }
        Stmt::While(c, b, _) => {
            walk_expr(v, c);
            walk_block(v, b);
        }
        Stmt::For(init, c, step, b, _) => {
            if let Some(i) = init {
                walk_stmt(v, i);
            }
            if let Some(c) = c {
                walk_expr(v, c);
            }
            if let Some(s) = step {
                walk_stmt(v, s);
            }
            walk_block(v, b);
        }
        Stmt::Block(b) => walk_block(v, b),
        Stmt::Local(_, None) | Stmt::Break | Stmt::Continue | Stmt::Return(None) => {}
    }
}

/// Walks `e` and every expression inside it.
pub fn walk_expr(v: &mut dyn Visitor, e: &Expr) {
    v.expr(e);
    match &e.kind {
        T::Call(c, args) => {
            if let Callee::Indirect(f, _) = c {
                walk_expr(v, f);
            }
            args.iter().for_each(|a| walk_expr(v, a));
        }
        T::Binary(_, a, b) | T::Logic(_, a, b, _) | T::PtrDiff(a, b) => {
            walk_expr(v, a);
            walk_expr(v, b);
        }
        T::PtrOffset { ptr, offset, .. } => {
            walk_expr(v, ptr);
            walk_expr(v, offset);
        }
        T::Index { base, index, .. } => {
            walk_expr(v, base);
            walk_expr(v, index);
        }
        T::Unary(_, a) | T::Cast(a) | T::Deref(a) | T::AddrOf(a) | T::Field(a, _) => {
            walk_expr(v, a)
        }
        T::Cond(a, b, c, _) => {
            walk_expr(v, a);
            walk_expr(v, b);
            walk_expr(v, c);
        }
        T::Builtin(_, args) | T::ArrayLit(args) => args.iter().for_each(|a| walk_expr(v, a)),
        T::StructLit(fs) => fs.iter().for_each(|(_, a)| walk_expr(v, a)),
        T::Const(_) | T::Local(_) | T::Global(_) => {}
    }
}

/// A visitor that calls a closure on every expression.
struct Exprs<F>(F);

impl<F: FnMut(&Expr)> Visitor for Exprs<F> {
    fn expr(&mut self, e: &Expr) {
        (self.0)(e)
    }
}

/// A visitor that calls a closure on every statement.
struct Stmts<F>(F);

impl<F: FnMut(&Stmt)> Visitor for Stmts<F> {
    fn stmt(&mut self, s: &Stmt) {
        (self.0)(s)
    }
}

/// Calls `f` on `e` and every expression inside it (outer first).
pub fn each_expr_in(e: &Expr, f: impl FnMut(&Expr)) {
    walk_expr(&mut Exprs(f), e)
}

impl Func {
    /// Walks the body (nothing for an extern).
    pub fn walk(&self, v: &mut dyn Visitor) {
        if let Some(b) = &self.body {
            walk_block(v, b);
        }
    }

    /// Calls `f` on every expression of the body (outer first).
    pub fn each_expr(&self, f: impl FnMut(&Expr)) {
        self.walk(&mut Exprs(f))
    }

    /// Calls `f` on every statement of the body (outer first).
    pub fn each_stmt(&self, f: impl FnMut(&Stmt)) {
        self.walk(&mut Stmts(f))
    }

    /// True when the body has a loop.
    pub fn has_loops(&self) -> bool {
        self.sites.contains(&SiteKind::Loop)
    }

    /// The functions the body calls by name (not through pointers), sorted.
    pub fn direct_callees(&self) -> Vec<FuncId> {
        let mut out = Vec::new();
        self.each_expr(|e| {
            if let T::Call(Callee::Direct(id), _) = &e.kind {
                out.push(*id);
            }
        });
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The functions the body calls by name or takes as values, in the
    /// order it first names them.
    pub fn functions_used(&self) -> Vec<FuncId> {
        let mut out = Vec::new();
        self.each_expr(|e| {
            let id = match &e.kind {
                T::Call(Callee::Direct(id), _) | T::Const(ConstVal::Func(id)) => *id,
                _ => return,
            };
            if !out.contains(&id) {
                out.push(id);
            }
        });
        out
    }

    /// Every indirect-call site of the body with the function type it
    /// calls through, by site.
    pub fn indirect_calls(&self) -> Vec<(SiteId, Ty)> {
        let mut out = Vec::new();
        self.each_expr(|e| {
            if let T::Call(Callee::Indirect(callee, site), _) = &e.kind {
                out.push((*site, callee.ty.clone()));
            }
        });
        out.sort_unstable_by_key(|(site, _)| *site);
        out
    }

    /// True when a pointer of type `ty` can hold this function: a direct
    /// call of it then has the call's exact signature.
    pub fn fits(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Fn(sig) => !self.variadic && sig.params == self.params && sig.ret == self.ret,
            _ => false,
        }
    }

    /// The parameters (by index) that some loop condition reads.
    pub fn loop_bound_params(&self) -> Vec<usize> {
        let n = self.params.len();
        let mut out = Vec::new();
        self.each_stmt(|s| {
            let cond = match s {
                Stmt::While(c, ..) | Stmt::For(_, Some(c), ..) => c,
                _ => return,
            };
            each_expr_in(cond, |x| {
                if let T::Local(l) = x.kind {
                    if l < n && !out.contains(&l) {
                        out.push(l);
                    }
                }
            });
        });
        out
    }
}

impl Func {
    /// Per local, true when the body takes the address of it or of a part
    /// of it (`&x`, `&a[i]`, `&s.f`): its storage must stay where it is
    /// for as long as the call runs.
    pub fn address_taken(&self) -> Vec<bool> {
        let mut out = vec![false; self.locals.len()];
        self.each_expr(|e| {
            if let T::AddrOf(p) = &e.kind {
                let mut place = &**p;
                loop {
                    match &place.kind {
                        T::Local(l) => {
                            out[*l] = true;
                            break;
                        }
                        T::Field(base, _)
                        | T::Index {
                            base, len: Some(_), ..
                        } => place = base,
                        _ => break,
                    }
                }
            }
        });
        out
    }

    /// The loop statement of loop site `site`.
    pub fn loop_stmt(&self, site: SiteId) -> Option<&Stmt> {
        self.body.as_ref().and_then(|b| find_loop(b, site))
    }

    /// The position of loop `site`: its first expression's (the
    /// initialiser or the condition), else the function's.
    pub fn loop_span(&self, site: SiteId) -> Span {
        let mut span = None;
        if let Some(s) = self.loop_stmt(site) {
            let mut v = Exprs(|e: &Expr| {
                span.get_or_insert(e.span);
            });
            walk_stmt(&mut v, s);
        }
        span.unwrap_or(self.span)
    }
}

/// Walks a loop statement's condition, step and body (not its
/// initialiser, which runs once before it).
fn walk_loop(v: &mut dyn Visitor, s: &Stmt) {
    match s {
        Stmt::While(c, b, _) => walk_loop_parts(v, Some(c), None, b),
        Stmt::For(_, c, step, b, _) => walk_loop_parts(v, c.as_ref(), step.as_deref(), b),
        _ => {}
    }
}

/// Walks a loop's condition, step and body.
fn walk_loop_parts(v: &mut dyn Visitor, c: Option<&Expr>, step: Option<&Stmt>, body: &Block) {
    if let Some(c) = c {
        walk_expr(v, c);
    }
    if let Some(st) = step {
        walk_stmt(v, st);
    }
    walk_block(v, body);
}

fn find_loop(b: &Block, site: SiteId) -> Option<&Stmt> {
    b.stmts.iter().find_map(|s| find_loop_in(s, site))
}

fn find_loop_in(s: &Stmt, site: SiteId) -> Option<&Stmt> {
    match s {
        Stmt::While(_, _, k) | Stmt::For(.., k) if *k == site => Some(s),
        Stmt::While(_, b, _) | Stmt::For(_, _, _, b, _) | Stmt::Block(b) => find_loop(b, site),
        Stmt::If(_, t, e, _) => {
            find_loop(t, site).or_else(|| e.as_deref().and_then(|e| find_loop_in(e, site)))
        }
        _ => None,
    }
}

/// Which locals a loop reads and which it writes.
struct LoopUses<'a> {
    read: &'a mut [bool],
    written: &'a mut [bool],
}

impl Visitor for LoopUses<'_> {
    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Local(l, _) => self.written[*l] = true,
            Stmt::Assign { place, .. } => {
                if let T::Local(l) = place.kind {
                    self.written[l] = true;
                }
            }
            _ => {}
        }
    }

    fn expr(&mut self, e: &Expr) {
        if let T::Local(l) = e.kind {
            self.read[l] = true;
        }
    }
}

/// How a block on the way to a loop is nested (see [`continuation_path`]).
#[derive(Clone, Copy)]
pub enum Container<'a> {
    Function,
    /// A plain block, or a branch of an `if`: the code after it follows.
    Block,
    /// The body of a loop.
    Loop {
        c: Option<&'a Expr>,
        step: Option<&'a Stmt>,
        body: &'a Block,
        site: SiteId,
    },
}

/// One block on the way from a function's body to a loop: the statement
/// `index` of `stmts` holds (or is) the next step.
pub struct Level<'a> {
    pub stmts: &'a [Stmt],
    pub index: usize,
    pub container: Container<'a>,
}

/// Finds the loop `site` in `stmts`; pushes the levels on the way,
/// innermost first.
fn path_to<'a>(
    stmts: &'a [Stmt],
    site: SiteId,
    container: Container<'a>,
    out: &mut Vec<Level<'a>>,
) -> bool {
    for (index, s) in stmts.iter().enumerate() {
        let found = match s {
            Stmt::While(_, _, k) | Stmt::For(.., k) if *k == site => true,
            Stmt::While(c, b, k) => path_to(
                &b.stmts,
                site,
                Container::Loop {
                    c: Some(c),
                    step: None,
                    body: b,
                    site: *k,
                },
                out,
            ),
            Stmt::For(_, c, st, b, k) => path_to(
                &b.stmts,
                site,
                Container::Loop {
                    c: c.as_ref(),
                    step: st.as_deref(),
                    body: b,
                    site: *k,
                },
                out,
            ),
            Stmt::Block(b) => path_to(&b.stmts, site, Container::Block, out),
            Stmt::If(_, t, e, _) => {
                path_to(&t.stmts, site, Container::Block, out)
                    || e.as_deref().is_some_and(|e| {
                        path_to(std::slice::from_ref(e), site, Container::Block, out)
                    })
            }
            _ => false,
        };
        if found {
            out.push(Level {
                stmts,
                index,
                container,
            });
            return true;
        }
    }
    false
}

/// The blocks on the way from `body` to loop `site`, innermost first: the
/// shape of a continuation entering that loop (the loop, then the rest of
/// each level).
pub fn continuation_path(body: &Block, site: SiteId) -> Option<Vec<Level<'_>>> {
    let mut levels = Vec::new();
    path_to(&body.stmts, site, Container::Function, &mut levels).then_some(levels)
}

/// What the rest of a call, from the head of loop `site` on, reads and
/// writes, and where its time goes.
pub struct ContinuationUses {
    /// Scalar locals the rest of the call reads and never changes (nor
    /// takes the address of): their values at the loop's head hold to the
    /// end of the call.
    pub invariants: Vec<LocalId>,
    /// The loops of the rest of the call that no other loop of it encloses:
    /// the outermost loop around `site` (or `site` itself), and the loops
    /// after it.
    pub outer_loops: Vec<SiteId>,
}

impl Func {
    /// See [`ContinuationUses`].
    pub fn continuation_uses(&self, site: SiteId) -> ContinuationUses {
        let none = ContinuationUses {
            invariants: Vec::new(),
            outer_loops: Vec::new(),
        };
        let Some(levels) = self.body.as_ref().and_then(|b| continuation_path(b, site)) else {
            return none;
        };
        let n = self.locals.len();
        let (mut read, mut written) = (vec![false; n], vec![false; n]);
        let mut uses = LoopUses {
            read: &mut read,
            written: &mut written,
        };
        walk_loop(&mut uses, &levels[0].stmts[levels[0].index]);
        let mut outer_loops = vec![site];
        for level in &levels {
            let rest = &level.stmts[level.index + 1..];
            rest.iter().for_each(|s| walk_stmt(&mut uses, s));
            outer_loops.extend(rest.iter().flat_map(top_loops));
            if let Container::Loop {
                c,
                step,
                body,
                site: outer,
            } = level.container
            {
                // The loop runs again from its head: all of it, and all
                // found so far is inside it.
                walk_loop_parts(&mut uses, c, step, body);
                outer_loops = vec![outer];
            }
        }
        let taken = self.address_taken();
        let invariants = (0..n)
            .filter(|&l| read[l] && !written[l] && !taken[l] && !self.locals[l].ty.is_aggregate())
            .collect();
        ContinuationUses {
            invariants,
            outer_loops,
        }
    }
}

/// The loops in `s` that no other loop in `s` encloses.
fn top_loops(s: &Stmt) -> Vec<SiteId> {
    match s {
        Stmt::While(.., k) | Stmt::For(.., k) => vec![*k],
        Stmt::Block(b) => b.stmts.iter().flat_map(top_loops).collect(),
        Stmt::If(_, t, e, _) => {
            let mut v: Vec<SiteId> = t.stmts.iter().flat_map(top_loops).collect();
            if let Some(e) = e {
                v.extend(top_loops(e));
            }
            v
        }
        _ => Vec::new(),
    }
}

/// Per function, per parameter: true when every call of the function is a
/// direct call that passes, in that parameter, a local which a loop around
/// the call changes (an induction variable of the caller, as `i` in
/// `for (i…) for (j…) a(i, j)`). The first calls then see one value of a
/// parameter that will take many: specializing on it would be a bet that
/// loses. A function whose address is taken anywhere has no such
/// parameter (some of its calls are not seen).
pub fn caller_loop_params(prog: &super::Program) -> Vec<Vec<bool>> {
    let n = prog.funcs.len();
    // Per callee and parameter: (calls, calls passing a loop-variant local).
    let mut counts: Vec<Vec<(u32, u32)>> = prog
        .funcs
        .iter()
        .map(|f| vec![(0, 0); f.params.len()])
        .collect();
    let mut taken = vec![false; n];
    for g in &prog.globals {
        const_funcs(&g.init, &mut taken);
    }
    for f in &prog.funcs {
        if let Some(body) = &f.body {
            let mut loops = Vec::new();
            for s in &body.stmts {
                calls_in(s, f.locals.len(), &mut loops, &mut counts, &mut taken);
            }
        }
    }
    counts
        .iter()
        .enumerate()
        .map(|(g, ps)| {
            ps.iter()
                .map(|&(calls, variant)| !taken[g] && calls > 0 && variant == calls)
                .collect()
        })
        .collect()
}

/// Marks the functions whose address `v` holds.
fn const_funcs(v: &super::ConstVal, taken: &mut [bool]) {
    use super::ConstVal as C;
    match v {
        C::Func(g) => taken[*g] = true,
        C::Struct(vs) | C::Array(vs) => vs.iter().for_each(|v| const_funcs(v, taken)),
        _ => {}
    }
}

/// Counts the direct calls in `e` (see [`caller_loop_params`]); `loops`
/// holds, per loop around it, the locals the loop writes.
fn count_calls(e: &Expr, loops: &[Vec<bool>], counts: &mut [Vec<(u32, u32)>], taken: &mut [bool]) {
    each_expr_in(e, |x| match &x.kind {
        T::Const(v) => const_funcs(v, taken),
        T::Call(Callee::Direct(g), args) => {
            for (k, a) in args.iter().enumerate() {
                let Some(c) = counts[*g].get_mut(k) else {
                    continue;
                };
                c.0 += 1;
                let mut a = a;
                while let T::Cast(inner) = &a.kind {
                    a = inner;
                }
                if let T::Local(l) = a.kind {
                    if loops.iter().any(|w| w[l]) {
                        c.1 += 1;
                    }
                }
            }
        }
        _ => {}
    })
}

/// Counts the direct calls in `s` (see [`caller_loop_params`]); `loops`
/// holds, per loop around `s`, the locals it writes.
fn calls_in(
    s: &Stmt,
    n: usize,
    loops: &mut Vec<Vec<bool>>,
    counts: &mut [Vec<(u32, u32)>],
    taken: &mut [bool],
) {
    let written = |s: &Stmt| {
        let (mut read, mut written) = (vec![false; n], vec![false; n]);
        walk_stmt(
            &mut LoopUses {
                read: &mut read,
                written: &mut written,
            },
            s,
        );
        written
    };
    match s {
        Stmt::Local(_, Some(e)) | Stmt::Expr(e) | Stmt::Return(Some(e)) => {
            count_calls(e, loops, counts, taken)
        }
        Stmt::Assign { place, value, .. } => {
            count_calls(place, loops, counts, taken);
            count_calls(value, loops, counts, taken);
        }
        Stmt::If(c, t, e, _) => {
            count_calls(c, loops, counts, taken);
            for s in &t.stmts {
                calls_in(s, n, loops, counts, taken);
            }
            if let Some(e) = e {
                calls_in(e, n, loops, counts, taken);
            }
        }
        Stmt::While(c, b, _) => {
            loops.push(written(s));
            count_calls(c, loops, counts, taken);
            for s in &b.stmts {
                calls_in(s, n, loops, counts, taken);
            }
            loops.pop();
        }
        Stmt::For(init, c, step, b, _) => {
            if let Some(i) = init {
                calls_in(i, n, loops, counts, taken);
            }
            loops.push(written(s));
            if let Some(c) = c {
                count_calls(c, loops, counts, taken);
            }
            if let Some(st) = step {
                calls_in(st, n, loops, counts, taken);
            }
            for s in &b.stmts {
                calls_in(s, n, loops, counts, taken);
            }
            loops.pop();
        }
        Stmt::Block(b) => {
            for s in &b.stmts {
                calls_in(s, n, loops, counts, taken);
            }
        }
        Stmt::Local(_, None) | Stmt::Break | Stmt::Continue | Stmt::Return(None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::driver::checked;
    use crate::tast::Program;

    /// The checked program of `body`, the body of `fn f(n: i64, m: i64) -> i64`.
    fn program(body: &str) -> Program {
        checked(&format!(
            "fn g(x: i64) -> i64 {{ return x; }}\n\
             fn f(n: i64, m: i64) -> i64 {{\n{body}\n}}\n\
             fn main() -> i32 {{ return f(3, 4) as i32; }}\n"
        ))
    }

    #[test]
    fn a_parameter_is_a_callers_loop_variable_only_if_every_call_passes_one() {
        let prog = checked(
            "fn a(i: i64, j: i64, k: i64) -> i64 { return i + j + k; }\n\
             fn b(x: i64) -> i64 { return x; }\n\
             fn c(x: i64) -> i64 { return x; }\n\
             var pc: fn(i64) -> i64 = c;\n\
             fn main() -> i32 {\n\
                 var s: i64 = 0; let k: i64 = 5;\n\
                 for (var i: i64 = 0; i < 3; i += 1) {\n\
                     var j: i64 = 0;\n\
                     while (j < 4) { s += a(i, j as i64, k); j += 1; }\n\
                     s += b(i) + c(i);\n\
                 }\n\
                 s += b(7);\n\
                 return s as i32;\n\
             }\n",
        );
        let flags = caller_loop_params(&prog);
        let of = |name: &str| &flags[prog.funcs.iter().position(|f| f.name == name).unwrap()];
        // `i` and `j` change in the loops around the call; `k` does not.
        assert_eq!(of("a"), &[true, true, false]);
        // One call of `b` passes a constant.
        assert_eq!(of("b"), &[false]);
        // `c`'s address is taken: some of its calls are not seen.
        assert_eq!(of("c"), &[false]);
    }

    fn f(prog: &Program) -> &Func {
        prog.funcs.iter().find(|f| f.name == "f").unwrap()
    }

    /// The loop sites of `f`, in source order.
    fn loops(f: &Func) -> Vec<SiteId> {
        (0..f.sites.len() as SiteId)
            .filter(|&s| f.sites[s as usize] == SiteKind::Loop)
            .collect()
    }

    /// The names of the locals the rest of the call from loop `site` on
    /// never changes.
    fn invariants(f: &Func, site: SiteId) -> Vec<&str> {
        f.continuation_uses(site)
            .invariants
            .iter()
            .map(|&l| f.locals[l].name.as_str())
            .collect()
    }

    #[test]
    fn a_local_written_in_the_loop_is_not_invariant() {
        let prog = program(
            "var s: i64 = 0;\n\
             let k = n * 2;\n\
             var i: i64 = 0;\n\
             while (i < n) { s += k; i += 1; }\n\
             return s;",
        );
        let f = f(&prog);
        // `k` is written only before the loop; `s` and `i` in it; `m` is
        // never read.
        assert_eq!(invariants(f, loops(f)[0]), ["n", "k"]);
    }

    #[test]
    fn a_local_written_after_the_loop_is_not_invariant() {
        let prog = program(
            "var s: i64 = 0;\n\
             var k = m;\n\
             for (var i: i64 = 0; i < n; i += 1) { s += k; }\n\
             k = 0;\n\
             return s + k;",
        );
        let f = f(&prog);
        assert_eq!(invariants(f, loops(f)[0]), ["n"]);
    }

    #[test]
    fn a_local_whose_address_is_taken_is_not_invariant() {
        let prog = program(
            "var s: i64 = 0;\n\
             var k = m;\n\
             let p = &k;\n\
             for (var i: i64 = 0; i < n; i += 1) { s += k + *p; }\n\
             return s;",
        );
        let f = f(&prog);
        // `p` is a data pointer nobody changes: invariant (tier policy
        // then leaves it out); `k` may change through it.
        assert_eq!(invariants(f, loops(f)[0]), ["n", "p"]);
        let taken = f.address_taken();
        let k = f.locals.iter().position(|l| l.name == "k").unwrap();
        assert_eq!(taken.iter().filter(|&&t| t).count(), 1);
        assert!(taken[k]);
    }

    #[test]
    fn an_inner_loop_excludes_what_its_enclosing_loop_changes() {
        let prog = program(
            "var s: i64 = 0;\n\
             for (var i: i64 = 0; i < n; i += 1) {\n\
                 let w = i + m;\n\
                 var j: i64 = 0;\n\
                 while (j < w) { s += w; j += 1; }\n\
             }\n\
             return s;",
        );
        let f = f(&prog);
        let sites = loops(f);
        let (outer, inner) = (sites[0], sites[1]);
        // The outer loop runs again from its head: `w` is declared anew,
        // `i` stepped, so only the parameters hold.
        assert_eq!(invariants(f, inner), ["n", "m"]);
        assert_eq!(f.continuation_uses(inner).outer_loops, [outer]);
        assert_eq!(f.continuation_uses(outer).outer_loops, [outer]);
    }

    #[test]
    fn aggregates_are_never_invariant() {
        let prog = program(
            "var a: [4]i64 = [1, 2, 3, 4];\n\
             var s: i64 = 0;\n\
             for (var i: i64 = 0; i < 4; i += 1) { s += a[i] * n; }\n\
             return s;",
        );
        let f = f(&prog);
        assert_eq!(invariants(f, loops(f)[0]), ["n"]);
    }

    #[test]
    fn outer_loops_are_the_loop_entered_and_the_top_loops_after_it() {
        let prog = program(
            "var s: i64 = 0;\n\
             while (s < n) { s += 1; }\n\
             if (m > 0) { while (s < m) { s += 2; } } else { s = 0; }\n\
             { for (var i: i64 = 0; i < n; i += 1) { while (s < 9) { s += 3; } } }\n\
             return s;",
        );
        let f = f(&prog);
        let sites = loops(f);
        assert_eq!(sites.len(), 4);
        let uses = f.continuation_uses(sites[0]);
        assert_eq!(uses.outer_loops, [sites[0], sites[1], sites[2]]);
        // Nothing follows the last loop nest but its own outer loop.
        assert_eq!(f.continuation_uses(sites[3]).outer_loops, [sites[2]]);
    }

    #[test]
    fn continuation_path_goes_from_the_loop_out_to_the_function() {
        let prog = program(
            "var s: i64 = 0;\n\
             for (var i: i64 = 0; i < n; i += 1) {\n\
                 s += 1;\n\
                 if (i > m) { s += 2; while (s < 9) { s += 3; } }\n\
             }\n\
             return s;",
        );
        let f = f(&prog);
        let sites = loops(f);
        let body = f.body.as_ref().unwrap();
        let levels = continuation_path(body, sites[1]).unwrap();
        assert_eq!(levels.len(), 3);
        // The `if` branch: `s += 2;` comes before the loop.
        assert_eq!(levels[0].index, 1);
        assert!(matches!(&levels[0].stmts[1], Stmt::While(.., k) if *k == sites[1]));
        assert!(matches!(levels[0].container, Container::Block));
        // The `for` body: the `if` is its second statement.
        assert_eq!(levels[1].index, 1);
        assert!(matches!(levels[1].container, Container::Loop { site, .. } if site == sites[0]));
        // The function body: the `for` follows `var s`.
        assert_eq!(levels[2].index, 1);
        assert!(matches!(levels[2].container, Container::Function));
        assert!(continuation_path(body, 99).is_none());
        assert!(f.continuation_uses(99).invariants.is_empty());
    }

    #[test]
    fn callees_and_loop_bounds() {
        let prog = program(
            "let h = g;\n\
             var s = h(m) + g(1) + g(2);\n\
             while (s < n) { s += 1; }\n\
             return s;",
        );
        let f = f(&prog);
        let g = prog.funcs.iter().position(|f| f.name == "g").unwrap();
        // `g` once, however often it is called; not the call through `h`.
        assert_eq!(f.direct_callees(), [g]);
        assert_eq!(f.loop_bound_params(), [0]);
        assert!(f.has_loops());
        assert!(!prog.funcs[g].has_loops());
    }
}
