//! The one walk over the checked tree: every statement and expression of a
//! function, outer first. The questions tier policy asks of a function
//! (what it calls, which parameters bound its loops, which calls go through
//! a parameter) are visits, not walks of their own.

use super::{Block, Callee, Expr, ExprKind as T, Func, FuncId, LocalId, SiteId, SiteKind, Stmt};
use crate::source::Span;

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
                        T::Field(base, _) | T::Index { base, len: Some(_), .. } => place = base,
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

    /// The scalar locals that the loop nest around loop `site` (its
    /// outermost enclosing loop, or the loop itself when it is not nested)
    /// reads and never changes: not assigned or declared anywhere in it
    /// (its initialiser aside), and never address-taken. Their values are
    /// the same at every iteration of every loop of the nest, within one
    /// run of the nest.
    pub fn nest_invariants(&self, site: SiteId) -> Vec<LocalId> {
        let Some(outer) = self.outermost_loop_of(site) else {
            return Vec::new();
        };
        let taken = self.address_taken();
        let mut read = vec![false; self.locals.len()];
        let mut written = vec![false; self.locals.len()];
        walk_loop(
            &mut LoopUses {
                read: &mut read,
                written: &mut written,
            },
            outer,
        );
        (0..self.locals.len())
            .filter(|&l| read[l] && !written[l] && !taken[l] && !self.locals[l].ty.is_aggregate())
            .collect()
    }

    /// The outermost loop statement that is or contains loop `site`.
    pub fn outermost_loop_of(&self, site: SiteId) -> Option<&Stmt> {
        let body = self.body.as_ref()?;
        fn search<'b>(stmts: &'b [Stmt], site: SiteId) -> Option<&'b Stmt> {
            stmts.iter().find_map(|s| match s {
                Stmt::While(..) | Stmt::For(..) => find_loop_in(s, site).map(|_| s),
                Stmt::Block(b) => search(&b.stmts, site),
                Stmt::If(_, t, e, _) => search(&t.stmts, site)
                    .or_else(|| e.as_deref().and_then(|e| search(std::slice::from_ref(e), site))),
                _ => None,
            })
        }
        search(&body.stmts, site)
    }
}

/// Walks a loop statement's condition, step and body (not its
/// initialiser, which runs once before it).
fn walk_loop(v: &mut dyn Visitor, s: &Stmt) {
    match s {
        Stmt::While(c, b, _) => {
            walk_expr(v, c);
            walk_block(v, b);
        }
        Stmt::For(_, c, step, b, _) => {
            if let Some(c) = c {
                walk_expr(v, c);
            }
            if let Some(st) = step {
                walk_stmt(v, st);
            }
            walk_block(v, b);
        }
        _ => {}
    }
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
