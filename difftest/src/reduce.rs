//! The reducer: shrinks a failing program on the generator's AST, so every
//! candidate is a valid program, keeping a candidate only when it still
//! fails with the same signature.
//!
//! Passes, repeated until nothing shrinks or the time budget is spent: drop
//! functions and globals, drop runs of statements (halves down to single
//! statements), replace `if` by a branch and loops by one iteration, replace
//! expressions by a literal or by an operand of the same type.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::ast::*;
use crate::emit_lc;
use crate::modes::Mode;
use crate::run::{evaluate, Failure, Tools};

/// Reduces `p`, which fails with `failure`. Candidates run in the first
/// mode the signature names only (and must fail there as before); the
/// result is run in every mode of the signature. Returns the smallest
/// program found and its failure in those modes.
pub fn reduce(
    tools: &Tools,
    modes: &[Mode],
    p: &Program,
    failure: &Failure,
    budget: Duration,
) -> (Program, Failure) {
    let parts: Vec<&str> = failure.signature.split("; ").collect();
    let involved: Vec<Mode> = modes
        .iter()
        .filter(|m| parts.iter().any(|s| s.starts_with(&format!("{}:", m.name))))
        .copied()
        .collect();
    let (first, target) = match involved.first() {
        Some(m) => (
            vec![*m],
            parts
                .iter()
                .find(|s| s.starts_with(&format!("{}:", m.name)))
                .unwrap()
                .to_string(),
        ),
        None => (vec![], failure.signature.clone()),
    };
    let tools = Tools {
        timeout: tools.timeout.min(Duration::from_secs(5)),
        ..tools.clone()
    };
    let small = shrink(p, budget, &mut |cand| {
        let dir = tempfile::Builder::new()
            .prefix("difftest-reduce-")
            .tempdir()
            .expect("temp dir");
        evaluate(&tools, &first, cand, dir.path()).is_some_and(|f| f.signature == target)
    });
    let dir = tempfile::Builder::new()
        .prefix("difftest-reduce-")
        .tempdir()
        .expect("temp dir");
    let last = evaluate(&tools, &involved, &small, dir.path()).unwrap_or_else(|| Failure {
        signature: "(the reduced program passes in every mode of the signature)".into(),
        details: String::new(),
    });
    (small, last)
}

/// Shrinks `p` while `still_fails` holds, within `budget`.
pub fn shrink(
    p: &Program,
    budget: Duration,
    still_fails: &mut dyn FnMut(&Program) -> bool,
) -> Program {
    let start = Instant::now();
    let mut best = p.clone();
    let mut tried: HashSet<String> = HashSet::new();
    let mut attempt = |cand: Program, best: &mut Program| -> bool {
        if start.elapsed() > budget || !valid(&cand) {
            return false;
        }
        let text = emit_lc::emit(&cand).text;
        if !tried.insert(text) {
            return false;
        }
        if still_fails(&cand) {
            *best = cand;
            true
        } else {
            false
        }
    };
    loop {
        let before = size(&best);
        // Functions (not main) and globals.
        let mut i = 0;
        while i + 1 < best.funcs.len() {
            let mut c = best.clone();
            c.funcs.remove(i);
            if !attempt(c, &mut best) {
                i += 1;
            }
        }
        let mut i = 0;
        while i < best.globals.len() {
            let mut c = best.clone();
            c.globals.remove(i);
            if !attempt(c, &mut best) {
                i += 1;
            }
        }
        // Structs no type mentions.
        let mut i = 0;
        while i < best.structs.len() {
            match drop_struct(&best, i) {
                Some(c) if valid(&c) => best = c,
                _ => i += 1,
            }
        }
        // Parameters of functions only called directly, and initialisers.
        for f in 0..best.funcs.len() {
            let mut k = 0;
            while k < best.funcs.get(f).map_or(0, |x| x.params.len()) {
                let dropped = drop_param(&best, f, k).is_some_and(|c| attempt(c, &mut best));
                if !dropped {
                    k += 1;
                }
            }
        }
        for g in 0..best.globals.len() {
            let mut c = best.clone();
            if c.globals[g].init.take().is_some() {
                attempt(c, &mut best);
            }
        }
        // Runs of statements, largest first.
        for path in stmt_lists(&best) {
            let mut chunk = list_len(&best, &path).max(1);
            while chunk >= 1 {
                let mut at = 0;
                while at < list_len(&best, &path) {
                    let mut c = best.clone();
                    let Some(l) = list(&mut c, &path) else { break };
                    let end = (at + chunk).min(l.len());
                    l.drain(at..end);
                    if !attempt(c, &mut best) {
                        at += chunk;
                    }
                }
                chunk /= 2;
            }
        }
        // Control flow: an `if` by one branch, a loop by one iteration.
        for path in stmt_lists(&best) {
            for at in (0..list_len(&best, &path)).rev() {
                for choice in 0..3 {
                    let mut c = best.clone();
                    let Some(l) = list(&mut c, &path) else { break };
                    if at >= l.len() {
                        break;
                    }
                    let repl = match (&l[at], choice) {
                        (Stmt::If(_, a, _), 0) => Some(a.clone()),
                        (Stmt::If(_, _, b), 1) => Some(b.clone()),
                        (
                            Stmt::For {
                                var,
                                body,
                                count,
                                while_loop,
                            },
                            2,
                        ) if *count > 1 => Some(vec![Stmt::For {
                            var: var.clone(),
                            count: 1,
                            body: body.clone(),
                            while_loop: *while_loop,
                        }]),
                        _ => None,
                    };
                    if let Some(r) = repl {
                        l.splice(at..=at, r);
                        attempt(c, &mut best);
                    }
                }
            }
        }
        // Expressions: a literal, or an operand of the same type.
        for id in value_nodes(&best) {
            for k in 0..4 {
                let mut c = best.clone();
                let mut changed = false;
                for f in &mut c.funcs {
                    walk_stmts_mut(&mut f.body, &mut |e| {
                        if e.id == id && !changed {
                            if let Some(r) = simpler(e, k) {
                                *e = r;
                                changed = true;
                            }
                        }
                    });
                }
                if changed && attempt(c, &mut best) {
                    break;
                }
            }
        }
        if size(&best) >= before || start.elapsed() > budget {
            return best;
        }
    }
}

/// `p` without parameter `k` of function `f` and the matching argument of
/// every call; `None` when `f`'s name is also used as a value.
fn drop_param(p: &Program, f: usize, k: usize) -> Option<Program> {
    let name = p.funcs[f].name.clone();
    let mut c = p.clone();
    let (mut refs, mut calls) = (0, 0);
    let each = |c: &mut Program, visit: &mut dyn FnMut(&mut Expr)| {
        for func in &mut c.funcs {
            walk_stmts_mut(&mut func.body, visit);
        }
        for g in &mut c.globals {
            if let Some(e) = &mut g.init {
                walk_expr_mut(e, visit);
            }
        }
    };
    each(&mut c, &mut |e| match &e.kind {
        ExprKind::FnRef(n) if *n == name => refs += 1,
        ExprKind::Call(callee, _) if matches!(&callee.kind, ExprKind::FnRef(n) if *n == name) => {
            calls += 1
        }
        _ => {}
    });
    if refs != calls {
        return None;
    }
    each(&mut c, &mut |e| {
        if let ExprKind::Call(callee, args) = &mut e.kind {
            if matches!(&callee.kind, ExprKind::FnRef(n) if *n == name) {
                args.remove(k);
                if let Ty::Fn(sig) = &mut callee.ty {
                    sig.params.remove(k);
                }
            }
        }
    });
    c.funcs[f].params.remove(k);
    Some(c)
}

/// `p` without struct `s`, if no type mentions it (the program is the same).
fn drop_struct(p: &Program, s: usize) -> Option<Program> {
    let mut c = p.clone();
    let mut used = false;
    for_each_type(&mut c, &mut |t| used |= mentions(t, s));
    if used {
        return None;
    }
    c.structs.remove(s);
    for_each_type(&mut c, &mut |t| renumber(t, s));
    Some(c)
}

fn mentions(t: &Ty, s: usize) -> bool {
    match t {
        Ty::Struct(i) => *i == s,
        Ty::Ptr(e) | Ty::Array(_, e) => mentions(e, s),
        Ty::Fn(sig) => {
            sig.params.iter().any(|p| mentions(p, s))
                || sig.ret.as_deref().is_some_and(|r| mentions(r, s))
        }
        _ => false,
    }
}

/// Lowers struct indices above the removed `s`.
fn renumber(t: &mut Ty, s: usize) {
    match t {
        Ty::Struct(i) if *i > s => *i -= 1,
        Ty::Ptr(e) | Ty::Array(_, e) => renumber(e, s),
        Ty::Fn(sig) => {
            sig.params.iter_mut().for_each(|p| renumber(p, s));
            if let Some(r) = &mut sig.ret {
                renumber(r, s);
            }
        }
        _ => {}
    }
}

/// Visits every type written in `p`: fields, globals, signatures, locals
/// and the type of every expression.
fn for_each_type(p: &mut Program, f: &mut dyn FnMut(&mut Ty)) {
    fn stmts(body: &mut [Stmt], f: &mut dyn FnMut(&mut Ty)) {
        for s in body {
            match s {
                Stmt::Let { ty, .. } => f(ty),
                Stmt::If(_, a, b) => {
                    stmts(a, f);
                    stmts(b, f);
                }
                Stmt::For { body, .. } => stmts(body, f),
                _ => {}
            }
        }
    }
    let mut exprs = |e: &mut Expr| {
        f(&mut e.ty);
        if let ExprKind::SizeOf(t) = &mut e.kind {
            f(t);
        }
    };
    for g in &mut p.globals {
        if let Some(e) = &mut g.init {
            walk_expr_mut(e, &mut exprs);
        }
    }
    for func in &mut p.funcs {
        walk_stmts_mut(&mut func.body, &mut exprs);
    }
    for st in &mut p.structs {
        st.fields.iter_mut().for_each(|fl| f(&mut fl.1));
    }
    for g in &mut p.globals {
        f(&mut g.ty);
    }
    for func in &mut p.funcs {
        func.params.iter_mut().for_each(|pr| f(&mut pr.1));
        if let Some(r) = &mut func.ret {
            f(r);
        }
        stmts(&mut func.body, f);
    }
}

/// The `k`th simpler replacement of `e`: 0 is a zero literal, 1.. are its
/// operands of the same type.
fn simpler(e: &Expr, k: usize) -> Option<Expr> {
    if k == 0 {
        let kind = match &e.ty {
            Ty::Int(_) => ExprKind::Int(0),
            Ty::F32 | Ty::F64 => ExprKind::Float(0.0),
            Ty::Bool => ExprKind::Bool(false),
            _ => return None,
        };
        if matches!(
            e.kind,
            ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Bool(_)
        ) {
            return None;
        }
        return Some(Expr {
            id: e.id,
            ty: e.ty.clone(),
            kind,
        });
    }
    let mut e2 = e.clone();
    let same: Vec<Expr> = children_mut(&mut e2)
        .into_iter()
        .filter(|c| c.ty == e.ty)
        .map(|c| c.clone())
        .collect();
    same.into_iter().nth(k - 1)
}

/// Ids of expressions in value positions (not assignment targets or `&`
/// operands), outermost first.
fn value_nodes(p: &Program) -> Vec<NodeId> {
    let mut excluded = HashSet::new();
    let mut ids = vec![];
    let mut c = p.clone();
    for f in &mut c.funcs {
        mark_places(&f.body, &mut excluded);
        walk_stmts_mut(&mut f.body, &mut |e| {
            if let ExprKind::AddrOf(a) = &e.kind {
                excluded.insert(a.id);
            }
            ids.push(e.id);
        });
    }
    ids.retain(|i| !excluded.contains(i));
    ids
}

fn mark_places(stmts: &[Stmt], out: &mut HashSet<NodeId>) {
    for s in stmts {
        match s {
            Stmt::Assign { place, .. } => {
                out.insert(place.id);
            }
            Stmt::If(_, a, b) => {
                mark_places(a, out);
                mark_places(b, out);
            }
            Stmt::For { body, .. } => mark_places(body, out),
            _ => {}
        }
    }
}

/// A path to a statement list: the function, then (statement, branch) steps.
type ListPath = (usize, Vec<(usize, u8)>);

fn stmt_lists(p: &Program) -> Vec<ListPath> {
    fn go(stmts: &[Stmt], f: usize, path: &mut Vec<(usize, u8)>, out: &mut Vec<ListPath>) {
        out.push((f, path.clone()));
        for (i, s) in stmts.iter().enumerate() {
            match s {
                Stmt::If(_, a, b) => {
                    path.push((i, 0));
                    go(a, f, path, out);
                    path.pop();
                    path.push((i, 1));
                    go(b, f, path, out);
                    path.pop();
                }
                Stmt::For { body, .. } => {
                    path.push((i, 0));
                    go(body, f, path, out);
                    path.pop();
                }
                _ => {}
            }
        }
    }
    let mut out = vec![];
    for (f, func) in p.funcs.iter().enumerate() {
        go(&func.body, f, &mut vec![], &mut out);
    }
    out
}

fn list<'a>(p: &'a mut Program, path: &ListPath) -> Option<&'a mut Vec<Stmt>> {
    let mut l = &mut p.funcs.get_mut(path.0)?.body;
    for &(i, branch) in &path.1 {
        l = match l.get_mut(i)? {
            Stmt::If(_, a, b) => {
                if branch == 0 {
                    a
                } else {
                    b
                }
            }
            Stmt::For { body, .. } => body,
            _ => return None,
        };
    }
    Some(l)
}

fn list_len(p: &Program, path: &ListPath) -> usize {
    list(&mut p.clone(), path).map_or(0, |l| l.len())
}

/// The number of AST nodes (statements and expressions).
pub fn size(p: &Program) -> usize {
    let mut n = p.globals.len();
    let mut c = p.clone();
    for f in &mut c.funcs {
        n += count_stmts(&f.body);
        walk_stmts_mut(&mut f.body, &mut |_| n += 1);
    }
    n
}

fn count_stmts(s: &[Stmt]) -> usize {
    s.iter()
        .map(|s| {
            1 + match s {
                Stmt::If(_, a, b) => count_stmts(a) + count_stmts(b),
                Stmt::For { body, .. } => count_stmts(body),
                _ => 0,
            }
        })
        .sum()
}

/// Whether every name resolves, every `break`/`continue` is in a loop and
/// every function with a result ends in `return`.
pub fn valid(p: &Program) -> bool {
    let funcs: HashSet<&str> = p.funcs.iter().map(|f| f.name.as_str()).collect();
    if !funcs.contains("main") {
        return false;
    }
    let globals: Vec<String> = p
        .globals
        .iter()
        .map(|g| g.name.clone())
        .chain(["dt_h".to_string()])
        .collect();
    // Global initialisers may name functions.
    for g in &p.globals {
        if let Some(e) = &g.init {
            let mut e = e.clone();
            let mut ok = true;
            walk_expr_mut(&mut e, &mut |x| {
                if let ExprKind::FnRef(n) = &x.kind {
                    ok &= funcs.contains(n.as_str());
                }
            });
            if !ok {
                return false;
            }
        }
    }
    for f in &p.funcs {
        if f.ret.is_some() && !matches!(f.body.last(), Some(Stmt::Return(Some(_)))) {
            return false;
        }
        let mut scope: Vec<String> = globals.clone();
        scope.extend(f.params.iter().map(|p| p.0.clone()));
        if !valid_block(&f.body, &mut scope, &funcs, false) {
            return false;
        }
    }
    true
}

fn valid_block(
    stmts: &[Stmt],
    scope: &mut Vec<String>,
    funcs: &HashSet<&str>,
    in_loop: bool,
) -> bool {
    let mark = scope.len();
    let ok = stmts.iter().all(|s| valid_stmt(s, scope, funcs, in_loop));
    scope.truncate(mark);
    ok
}

fn valid_stmt(s: &Stmt, scope: &mut Vec<String>, funcs: &HashSet<&str>, in_loop: bool) -> bool {
    let ex = |e: &Expr, scope: &Vec<String>| {
        let mut e = e.clone();
        let mut ok = true;
        walk_expr_mut(&mut e, &mut |x| match &x.kind {
            ExprKind::Var(n) => ok &= scope.contains(n),
            ExprKind::FnRef(n) => ok &= funcs.contains(n.as_str()),
            _ => {}
        });
        ok
    };
    match s {
        Stmt::Let { name, init, .. } => {
            let ok = init.as_ref().is_none_or(|e| ex(e, scope));
            scope.push(name.clone());
            ok
        }
        Stmt::Assign { place, value, .. } => ex(place, scope) && ex(value, scope),
        Stmt::Mix(e) | Stmt::Call(e) | Stmt::Return(Some(e)) => ex(e, scope),
        Stmt::If(c, a, b) => {
            ex(c, scope)
                && valid_block(a, scope, funcs, in_loop)
                && valid_block(b, scope, funcs, in_loop)
        }
        Stmt::For { var, body, .. } => {
            scope.push(var.clone());
            let ok = valid_block(body, scope, funcs, true);
            scope.pop();
            ok
        }
        Stmt::Break | Stmt::Continue => in_loop,
        Stmt::Return(None) | Stmt::Print => true,
    }
}
