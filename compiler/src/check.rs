//! The checker: resolves names across all files, enforces every typing rule
//! of the language, folds constants, and produces the checked program
//! (`tast`). It reports every error it finds and never stops at the first.

use crate::ast::{self, BinOp, ExprKind as A, UnOp};
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::suggest;
use crate::tast::{self, Builtin, Callee, ConstVal, ExprKind as T, FuncId, Program};
use crate::types::{align_to, layout_of, Display, FnSig, IntTy, Layout, StructId, StructNames, Ty};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::rc::Rc;

/// Checks the parsed files of one program (the root file first).
/// Gives the checked program when there were no errors.
pub fn check(files: &[ast::File], diags: &mut Vec<Diagnostic>) -> Option<Program> {
    let items: Vec<&ast::Item> = files.iter().flat_map(|f| &f.items).collect();
    let mut c = Checker {
        suggestions_left: MAX_SUGGESTIONS,
        ..Checker::default()
    };
    c.collect(&items, &[], &[]);
    c.resolve_all();
    let program = c.finish(true, None);
    let ok = c.diags.is_empty();
    diags.append(&mut c.diags);
    if ok {
        program
    } else {
        None
    }
}

/// A variable of an interactive session: a global whose type was fixed
/// when the input declaring it was checked.
#[derive(Clone, Debug)]
pub struct SessionVar {
    pub name: String,
    pub ty: Ty,
    /// False for `let`.
    pub mutable: bool,
    /// Where it was declared.
    pub span: Span,
}

/// One input of an interactive session to check with the session's
/// definitions.
pub struct SessionInput<'a> {
    /// The name of the function the input's statements become.
    pub name: String,
    /// The input's top-level statements, in order; a top-level `var` or
    /// `let` declares a session variable (a global) instead of a local.
    pub stmts: &'a [ast::Stmt],
    /// A trailing expression without `;`: its value is stored in a new
    /// global named `result` (when it has one), for the session to print.
    pub result: Option<&'a ast::Expr>,
    /// The span of the whole input.
    pub span: Span,
}

/// What checking a session input adds to the program.
pub struct InputInfo {
    /// The input's function (last in [`Program::funcs`]).
    pub func: FuncId,
    /// The session variables it declares, as globals (after the given
    /// `vars`), in order.
    pub new_vars: Vec<(tast::GlobalId, SessionVar)>,
    /// The global holding the trailing expression's value, if it has one.
    pub result: Option<tast::GlobalId>,
}

/// Checks an interactive session: its definitions `items` (any order,
/// no `main` needed), its variables `vars` (globals after the items'
/// globals) and, optionally, one input (its function comes last). The
/// first functions may be given as `reuse`, checked before: neither their
/// signatures nor their bodies are resolved again (the caller knows
/// nothing they use changed). Gives the checked program when there were
/// no errors.
pub fn check_session(
    items: &[&ast::Item],
    vars: &[SessionVar],
    reuse: &[Rc<tast::Func>],
    input: Option<&SessionInput>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Program, Option<InputInfo>)> {
    let mut c = Checker {
        suggestions_left: MAX_SUGGESTIONS,
        ..Checker::default()
    };
    c.collect(items, vars, reuse);
    c.resolve_all();
    let info = input.map(|i| c.input(i));
    let program = c.finish(false, info.as_ref().map(|i| i.func));
    let ok = c.diags.is_empty();
    diags.append(&mut c.diags);
    if ok {
        program.map(|p| (p, info))
    } else {
        None
    }
}

#[derive(Clone, Copy, Debug)]
enum Decl {
    Func(FuncId),
    Struct(StructId),
    Const(usize),
    Global(usize),
}

#[derive(Clone)]
enum ConstState {
    Todo,
    InProgress,
    Done(Ty, ConstVal),
    Failed,
}

#[derive(Clone, Copy, PartialEq)]
enum LayoutState {
    Todo,
    InProgress,
    Done(Layout),
}

enum FuncDecl<'a> {
    Def(&'a ast::FnDecl),
    Extern(&'a ast::ExternDecl),
}

struct Sig {
    params: Vec<Ty>,
    ret: Ty,
    variadic: bool,
}

#[derive(Default)]
struct Checker<'a> {
    diags: Vec<Diagnostic>,
    names: HashMap<String, (Decl, Span)>,
    struct_decls: Vec<&'a ast::StructDecl>,
    struct_fields: Vec<Option<Vec<(String, Ty)>>>,
    /// How many structs' fields are being resolved (nested): their layouts
    /// must not be computed meanwhile.
    resolving_fields: usize,
    /// Functions named in the code checked (called or used as values).
    used_funcs: HashSet<FuncId>,
    struct_layouts: Vec<LayoutState>,
    const_decls: Vec<&'a ast::GlobalDecl>,
    consts: Vec<ConstState>,
    global_decls: Vec<&'a ast::GlobalDecl>,
    globals: Vec<Option<tast::GlobalDef>>,
    /// Globals that are session `let` bindings.
    immutable_globals: Vec<tast::GlobalId>,
    /// The session input being checked: its function and body.
    input: Option<(
        FuncId,
        tast::Block,
        Vec<tast::Local>,
        usize,
        Vec<tast::SiteKind>,
    )>,
    input_name: String,
    input_span: Span,
    /// Functions checked before, used as they are (a session's).
    reuse: Vec<Rc<tast::Func>>,
    func_decls: Vec<FuncDecl<'a>>,
    sigs: Vec<Option<Sig>>,
    // Per-function state.
    locals: Vec<tast::Local>,
    local_mut: Vec<bool>,
    /// For a local declared without a type whose initialiser is an
    /// unsuffixed literal (so its type is the default, `i64` or `f64`): the
    /// initialiser's span and, for an integer literal, its text; for a note
    /// when that type mismatches.
    local_defaulted: Vec<Option<(Span, Option<String>)>>,
    scopes: Vec<HashMap<String, (tast::LocalId, bool)>>,
    ret: Ty,
    loops: usize,
    size: usize,
    /// The current function's profiling sites.
    sites: Vec<tast::SiteKind>,
    /// True while checking a constant expression (no locals, no calls).
    in_const: bool,
    /// Memo of `is_flexible` by node address.
    flexible: HashMap<*const ast::Expr, bool>,
    /// Searches for a "did you mean" suggestion left (they cost time in
    /// programs with very many errors).
    suggestions_left: usize,
}

/// At most this many unknown names get a "did you mean" search.
const MAX_SUGGESTIONS: usize = 100;

/// The largest type, in bytes (1 TiB): larger objects exist only through
/// pointers to memory the program allocates, and sizes stay far from
/// overflow in every computation on them.
pub const MAX_TYPE_BYTES: u64 = 1 << 40;

/// The most bytes all global variables together may take (1 GiB): code
/// reaches globals with 32-bit PC-relative offsets (x86-64's small code
/// model, in the JIT and ahead of time), so static data must stay well
/// within 2 GiB of the code.
pub const MAX_STATIC_BYTES: u64 = 1 << 30;

/// E0225's message for `what` (a type or a struct) of `size` bytes.
fn too_large_message(what: &str, size: u64) -> String {
    let size = if size == u64::MAX {
        "more than 2^64 bytes".to_string()
    } else {
        format!("{size} bytes")
    };
    format!("{what} is too large: {size}; the largest type is {MAX_TYPE_BYTES} bytes (1 TiB)")
}

impl StructNames for Checker<'_> {
    fn struct_name(&self, id: StructId) -> &str {
        &self.struct_decls[id].name.name
    }
}

fn int_suffix_ty(s: &str) -> IntTy {
    match Ty::primitive(s) {
        Some(Ty::Int(i)) => i,
        _ => IntTy::I64,
    }
}

fn mk(kind: T, ty: Ty, span: Span) -> tast::Expr {
    tast::Expr { kind, ty, span }
}

fn err_expr(span: Span) -> tast::Expr {
    mk(T::Const(ConstVal::Zero), Ty::Error, span)
}

impl<'a> Checker<'a> {
    /// True for an expression whose type comes entirely from its context
    /// (unsuffixed literals and arithmetic and shifts on them, `null`). Of
    /// two operands that must have one type, the other is checked first, so
    /// the result does not depend on operand order. Memoized for compound
    /// expressions: asked at every level of `1 + 1 + …`, it would otherwise
    /// take quadratic time.
    fn is_flexible(&mut self, e: &ast::Expr) -> bool {
        let key: *const ast::Expr = e;
        if let Some(&f) = self.flexible.get(&key) {
            return f;
        }
        let f = match &e.kind {
            A::Int(i) => return i.suffix.is_none(),
            A::Float(f) => return f.suffix.is_none(),
            A::Null => return true,
            A::Paren(a) | A::Unary(UnOp::Neg | UnOp::BitNot, a) => self.is_flexible(a),
            // A shift has its left operand's type, whatever the amount's.
            A::Binary(BinOp::Shl | BinOp::Shr, a, _) => self.is_flexible(a),
            A::Binary(op, a, b) => {
                matches!(
                    op,
                    BinOp::Add
                        | BinOp::Sub
                        | BinOp::Mul
                        | BinOp::Div
                        | BinOp::Rem
                        | BinOp::BitAnd
                        | BinOp::BitOr
                        | BinOp::BitXor
                ) && self.is_flexible(a)
                    && self.is_flexible(b)
            }
            A::Cond(_, a, b) => self.is_flexible(a) && self.is_flexible(b),
            _ => return false,
        };
        self.flexible.insert(key, f);
        f
    }

    fn error(&mut self, code: Code, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::new(code, span, msg));
    }

    fn show(&self, t: &Ty) -> String {
        format!("`{}`", Display(t, self))
    }

    // ---------------------------------------------------------------- collection

    fn collect(&mut self, items: &[&'a ast::Item], vars: &[SessionVar], reuse: &[Rc<tast::Func>]) {
        self.reuse = reuse.to_vec();
        {
            for &item in items {
                let (name, decl) = match item {
                    ast::Item::Fn(d) => {
                        self.func_decls.push(FuncDecl::Def(d));
                        (&d.name, Decl::Func(self.func_decls.len() - 1))
                    }
                    ast::Item::Extern(d) => {
                        self.func_decls.push(FuncDecl::Extern(d));
                        (&d.name, Decl::Func(self.func_decls.len() - 1))
                    }
                    ast::Item::Struct(d) => {
                        self.struct_decls.push(d);
                        (&d.name, Decl::Struct(self.struct_decls.len() - 1))
                    }
                    ast::Item::Const(d) => {
                        self.const_decls.push(d);
                        (&d.name, Decl::Const(self.const_decls.len() - 1))
                    }
                    ast::Item::Global(d) => {
                        self.global_decls.push(d);
                        (&d.name, Decl::Global(self.global_decls.len() - 1))
                    }
                    ast::Item::Import(_) => continue,
                };
                if Ty::primitive(&name.name).is_some() {
                    self.error(
                        Code::Duplicate,
                        name.span,
                        format!("`{}` is the name of a primitive type", name.name),
                    );
                    continue;
                }
                if let Some((_, prev)) = self.names.get(&name.name) {
                    let d = Diagnostic::new(
                        Code::Duplicate,
                        name.span,
                        format!("`{}` is defined more than once", name.name),
                    )
                    .label(*prev, "first defined here");
                    self.diags.push(d);
                    continue;
                }
                self.names.insert(name.name.clone(), (decl, name.span));
            }
        }
        self.struct_fields = vec![None; self.struct_decls.len()];
        self.struct_layouts = vec![LayoutState::Todo; self.struct_decls.len()];
        self.consts = vec![ConstState::Todo; self.const_decls.len()];
        self.globals = (0..self.global_decls.len()).map(|_| None).collect();
        self.sigs = (0..self.func_decls.len()).map(|_| None).collect();
        for v in vars {
            self.session_global(v.clone());
        }
    }

    /// Declares a session variable as a global (zero until assigned),
    /// replacing any global of that name for the rest of the check.
    fn session_global(&mut self, v: SessionVar) -> tast::GlobalId {
        let gid = self.globals.len();
        self.globals.push(Some(tast::GlobalDef {
            name: v.name.clone(),
            ty: v.ty,
            init: ConstVal::Zero,
            span: v.span,
        }));
        if !v.mutable {
            self.immutable_globals.push(gid);
        }
        self.names.insert(v.name, (Decl::Global(gid), v.span));
        gid
    }

    /// Checks a session input as the body of a function of its own: its
    /// top-level `var`/`let` declarations become session variables and its
    /// trailing expression is assigned to a `result` global.
    fn input(&mut self, input: &SessionInput) -> InputInfo {
        let func = self.func_decls.len();
        self.locals.clear();
        self.local_mut.clear();
        self.local_defaulted.clear();
        self.scopes = vec![HashMap::default()];
        self.ret = Ty::Void;
        self.loops = 0;
        self.size = 0;
        self.sites.clear();
        let mut stmts = Vec::new();
        let mut new_vars = Vec::new();
        for s in input.stmts {
            let Some(ts) = self.stmt(s) else { continue };
            let (tast::Stmt::Local(lid, init), ast::StmtKind::Local { mutable, name, .. }) =
                (ts.clone(), &s.kind)
            else {
                stmts.push(ts);
                continue;
            };
            self.scopes[0].remove(&name.name);
            let v = SessionVar {
                name: name.name.clone(),
                ty: self.locals[lid].ty.clone(),
                mutable: *mutable,
                span: name.span,
            };
            let gid = self.session_global(v.clone());
            new_vars.push((gid, v));
            if let Some(value) = init {
                let place = mk(T::Global(gid), self.locals[lid].ty.clone(), name.span);
                stmts.push(tast::Stmt::Assign {
                    place,
                    op: None,
                    value,
                    span: s.span,
                });
            }
        }
        let mut result = None;
        if let Some(e) = input.result {
            self.size += 1;
            let te = self.expr(e, None);
            let te = if te.ty == Ty::Null {
                self.default_null(te)
            } else {
                te
            };
            if te.ty == Ty::Void || te.ty.is_error() {
                stmts.push(tast::Stmt::Expr(te));
            } else {
                let ty = te.ty.clone();
                let previous = self.names.get("result").copied();
                let gid = self.session_global(SessionVar {
                    name: "result".into(),
                    ty: ty.clone(),
                    mutable: true,
                    span: e.span,
                });
                // `result` is not a name the input's own code can use.
                match previous {
                    Some(p) => self.names.insert("result".into(), p),
                    None => self.names.remove("result"),
                };
                stmts.push(tast::Stmt::Assign {
                    place: mk(T::Global(gid), ty, e.span),
                    op: None,
                    value: te,
                    span: e.span,
                });
                result = Some(gid);
            }
        }
        self.scopes.clear();
        let locals = std::mem::take(&mut self.locals);
        let sites = std::mem::take(&mut self.sites);
        self.input = Some((func, tast::Block { stmts }, locals, self.size, sites));
        self.input_name = input.name.clone();
        self.input_span = input.span;
        InputInfo {
            func,
            new_vars,
            result,
        }
    }

    fn resolve_all(&mut self) {
        for id in 0..self.struct_decls.len() {
            self.fields(id);
            self.layout(id);
        }
        for i in 0..self.const_decls.len() {
            self.const_value(i);
        }
        for i in 0..self.global_decls.len() {
            self.global(i);
        }
        for i in 0..self.func_decls.len() {
            match self.reuse.get(i) {
                // Checked before with the same definitions of every name
                // it uses: its signature is what it was.
                Some(f) => {
                    self.sigs[i] = Some(Sig {
                        params: f.params.clone(),
                        ret: f.ret.clone(),
                        variadic: f.variadic,
                    })
                }
                None => self.sig(i),
            }
        }
    }

    fn fields(&mut self, id: StructId) -> Vec<(String, Ty)> {
        if let Some(f) = &self.struct_fields[id] {
            return f.clone();
        }
        // Mark as resolving with no fields: a field type naming this struct by
        // value is caught by the layout pass, not here.
        self.struct_fields[id] = Some(Vec::new());
        let decl = self.struct_decls[id];
        let mut out: Vec<(String, Ty)> = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::default();
        for f in &decl.fields {
            self.resolving_fields += 1;
            let ty = self.resolve_type(&f.ty);
            self.resolving_fields -= 1;
            if let Some(prev) = seen.get(f.name.name.as_str()) {
                let d = Diagnostic::new(
                    Code::DuplicateField,
                    f.name.span,
                    format!("field `{}` is declared twice", f.name.name),
                )
                .label(*prev, "first declared here");
                self.diags.push(d);
                continue;
            }
            seen.insert(&f.name.name, f.name.span);
            out.push((f.name.name.clone(), ty));
        }
        self.struct_fields[id] = Some(out.clone());
        out
    }

    fn layout(&mut self, id: StructId) -> Layout {
        match self.struct_layouts[id] {
            LayoutState::Done(l) => return l,
            LayoutState::InProgress => {
                return Layout { size: 0, align: 1 };
            }
            LayoutState::Todo => {}
        }
        self.struct_layouts[id] = LayoutState::InProgress;
        let fields = self.fields(id);
        let decl = self.struct_decls[id];
        let mut size = 0u64;
        let mut align = 1u64;
        for (i, (_, ty)) in fields.iter().enumerate() {
            if let Some(inner) = self.contains_struct_by_value(ty) {
                if self.struct_layouts[inner] == LayoutState::InProgress {
                    let span = decl
                        .fields
                        .get(i)
                        .map(|f| f.ty.span)
                        .unwrap_or(decl.name.span);
                    self.error(
                        Code::RecursiveStruct,
                        span,
                        format!(
                            "struct `{}` contains itself by value (use a pointer)",
                            decl.name.name
                        ),
                    );
                    self.struct_layouts[id] = LayoutState::Done(Layout { size: 0, align: 1 });
                    return Layout { size: 0, align: 1 };
                }
            }
            let l = self.layout_of(ty);
            size = align_to(size, l.align).saturating_add(l.size);
            align = align.max(l.align);
        }
        let mut l = Layout {
            size: align_to(size, align),
            align,
        };
        if l.size > MAX_TYPE_BYTES {
            let msg = too_large_message(&format!("struct `{}`", decl.name.name), l.size);
            self.error(Code::TooLarge, decl.name.span, msg);
            l.size = 0;
        }
        self.struct_layouts[id] = LayoutState::Done(l);
        l
    }

    /// Reports E0225 when `ty` (an array type written at `span`) is larger
    /// than [`MAX_TYPE_BYTES`]. An array of a struct whose layout cannot be
    /// computed yet (inside a struct's fields) is checked with its struct.
    fn too_large(&mut self, ty: &Ty, span: Span) -> bool {
        if let Some(id) = self.contains_struct_by_value(ty) {
            let done = matches!(self.struct_layouts[id], LayoutState::Done(_));
            if !done && (self.resolving_fields > 0 || self.struct_layouts[id] != LayoutState::Todo)
            {
                return false;
            }
        }
        let size = self.layout_of(ty).size;
        if size <= MAX_TYPE_BYTES {
            return false;
        }
        let shown = self.show(ty);
        self.error(Code::TooLarge, span, too_large_message(&shown, size));
        true
    }

    fn contains_struct_by_value(&self, ty: &Ty) -> Option<StructId> {
        match ty {
            Ty::Struct(id) => Some(*id),
            Ty::Array(_, t) => self.contains_struct_by_value(t),
            _ => None,
        }
    }

    fn layout_of(&mut self, ty: &Ty) -> Layout {
        if let Some(id) = self.contains_struct_by_value(ty) {
            self.layout(id);
        }
        let layouts = &self.struct_layouts;
        layout_of(ty, &|id| match layouts[id] {
            LayoutState::Done(l) => l,
            _ => Layout { size: 0, align: 1 },
        })
    }

    fn resolve_type(&mut self, t: &ast::TypeExpr) -> Ty {
        match &t.kind {
            ast::TypeExprKind::Named(n) => {
                if let Some(p) = Ty::primitive(n) {
                    return p;
                }
                match self.names.get(n) {
                    Some((Decl::Struct(id), _)) => Ty::Struct(*id),
                    Some(_) => {
                        self.error(Code::UnknownType, t.span, format!("`{n}` is not a type"));
                        Ty::Error
                    }
                    None => {
                        let mut d = Diagnostic::new(
                            Code::UnknownType,
                            t.span,
                            format!("unknown type `{n}`"),
                        );
                        if let Some(note) = suggest::c_type(n) {
                            d = d.note(note);
                        } else if self.suggestions_left > 0 {
                            self.suggestions_left -= 1;
                            let structs = self.struct_decls.iter().map(|s| s.name.name.as_str());
                            let primitives = [
                                "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64",
                                "bool",
                            ];
                            if let Some(s) = suggest::closest(n, structs.chain(primitives)) {
                                d = d.note(format!("did you mean `{s}`?"));
                            }
                        }
                        self.diags.push(d);
                        Ty::Error
                    }
                }
            }
            ast::TypeExprKind::Ptr(inner) => {
                let i = self.resolve_type(inner);
                if i.is_error() {
                    Ty::Error
                } else {
                    Ty::Ptr(Box::new(i))
                }
            }
            ast::TypeExprKind::Array(n, elem) => {
                let len = self.array_len(n);
                let e = self.resolve_type(elem);
                match len {
                    Some(len) if !e.is_error() => {
                        let ty = Ty::Array(len, Box::new(e));
                        if self.too_large(&ty, t.span) {
                            Ty::Error
                        } else {
                            ty
                        }
                    }
                    _ => Ty::Error,
                }
            }
            ast::TypeExprKind::Fn(params, ret) => {
                let params: Vec<Ty> = params.iter().map(|p| self.resolve_type(p)).collect();
                let ret = ret
                    .as_ref()
                    .map(|r| self.resolve_type(r))
                    .unwrap_or(Ty::Void);
                Ty::Fn(Rc::new(FnSig { params, ret }))
            }
        }
    }

    fn array_len(&mut self, e: &ast::Expr) -> Option<u64> {
        // A literal beyond `i64` is a length, too large, not an `i64` error.
        if let ast::ExprKind::Int(lit) = &e.kind {
            if lit.suffix.is_none() && lit.value > i64::MAX as u64 {
                self.error(
                    Code::BadArrayLen,
                    e.span,
                    format!("array length {} is too large", lit.value),
                );
                return None;
            }
        }
        let (ty, v) = self.const_expr(e, None)?;
        match ty {
            Ty::Int(it) => match v {
                ConstVal::Int(bits) => {
                    let n = it.value(bits);
                    if n <= 0 {
                        self.error(
                            Code::BadArrayLen,
                            e.span,
                            format!("array length must be positive, found {n}"),
                        );
                        None
                    } else if n > (1i128 << 40) {
                        self.error(
                            Code::BadArrayLen,
                            e.span,
                            format!("array length {n} is too large"),
                        );
                        None
                    } else {
                        Some(n as u64)
                    }
                }
                _ => None,
            },
            Ty::Error => None,
            other => {
                let s = self.show(&other);
                self.error(
                    Code::BadArrayLen,
                    e.span,
                    format!("array length must be an integer, found {s}"),
                );
                None
            }
        }
    }

    fn const_value(&mut self, i: usize) -> Option<(Ty, ConstVal)> {
        match &self.consts[i] {
            ConstState::Done(t, v) => return Some((t.clone(), v.clone())),
            ConstState::Failed => return None,
            ConstState::InProgress => {
                let d = self.const_decls[i];
                self.error(
                    Code::ConstCycle,
                    d.name.span,
                    format!("constant `{}` is defined in terms of itself", d.name.name),
                );
                self.consts[i] = ConstState::Failed;
                return None;
            }
            ConstState::Todo => {}
        }
        self.consts[i] = ConstState::InProgress;
        let d = self.const_decls[i];
        let ty = d.ty.as_ref().map(|t| self.resolve_type(t));
        let init = d.init.as_ref().expect("constants have initialisers");
        let r = self.const_expr(init, ty.as_ref());
        if matches!(self.consts[i], ConstState::Failed) {
            return None;
        }
        self.consts[i] = match &r {
            Some((t, v)) => ConstState::Done(t.clone(), v.clone()),
            None => ConstState::Failed,
        };
        r
    }

    /// Checks and folds a constant expression.
    fn const_expr(&mut self, e: &ast::Expr, expected: Option<&Ty>) -> Option<(Ty, ConstVal)> {
        let saved = std::mem::replace(&mut self.in_const, true);
        let te = match expected {
            Some(t) => self.expect(e, t),
            None => {
                let te = self.value(e, None);
                self.default_null(te)
            }
        };
        self.in_const = saved;
        if te.ty.is_error() {
            return None;
        }
        match self.fold(&te) {
            Ok(v) => Some((te.ty, v)),
            Err((code, span, msg)) => {
                self.error(code, span, msg);
                None
            }
        }
    }

    fn global(&mut self, i: usize) {
        if self.globals[i].is_some() {
            return;
        }
        let d = self.global_decls[i];
        let ty = d.ty.as_ref().map(|t| self.resolve_type(t));
        let (ty, init) = match (&d.init, ty) {
            (Some(e), ty) => match self.const_expr(e, ty.as_ref()) {
                Some((t, v)) => (t, v),
                None => (ty.unwrap_or(Ty::Error), ConstVal::Zero),
            },
            (None, Some(t)) => (t, ConstVal::Zero),
            (None, None) => {
                self.error(
                    Code::CannotInfer,
                    d.name.span,
                    "a global without an initialiser needs a type",
                );
                (Ty::Error, ConstVal::Zero)
            }
        };
        self.globals[i] = Some(tast::GlobalDef {
            name: d.name.name.clone(),
            ty,
            init,
            span: d.name.span,
        });
    }

    fn sig(&mut self, i: usize) {
        if self.sigs[i].is_some() {
            return;
        }
        let (params, ret, variadic, is_extern) = match self.func_decls[i] {
            FuncDecl::Def(d) => (&d.params, &d.ret, false, false),
            FuncDecl::Extern(d) => (&d.params, &d.ret, d.variadic, true),
        };
        let mut seen: HashMap<&str, Span> = HashMap::default();
        let mut ptys = Vec::new();
        for p in params {
            let t = self.resolve_type(&p.ty);
            if let Some(prev) = seen.get(p.name.name.as_str()) {
                let d = Diagnostic::new(
                    Code::DuplicateParam,
                    p.name.span,
                    format!("parameter `{}` is declared twice", p.name.name),
                )
                .label(*prev, "first declared here");
                self.diags.push(d);
            }
            seen.insert(&p.name.name, p.name.span);
            if is_extern && t.is_aggregate() {
                self.error(Code::BadExtern, p.ty.span, "structs and arrays cannot be passed by value to extern functions; pass a pointer");
            }
            ptys.push(t);
        }
        let rty = match ret {
            Some(r) => {
                let t = self.resolve_type(r);
                if is_extern && t.is_aggregate() {
                    self.error(
                        Code::BadExtern,
                        r.span,
                        "extern functions cannot return structs or arrays by value",
                    );
                }
                t
            }
            None => Ty::Void,
        };
        self.sigs[i] = Some(Sig {
            params: ptys,
            ret: rty,
            variadic,
        });
    }

    fn fn_type(&self, id: FuncId) -> Ty {
        let s = self.sigs[id].as_ref().expect("signatures resolved");
        Ty::Fn(Rc::new(FnSig {
            params: s.params.clone(),
            ret: s.ret.clone(),
        }))
    }

    // ---------------------------------------------------------------- functions

    /// The checked program; `main` is required when `need_main`, and a
    /// checked session input becomes function `input`.
    fn finish(&mut self, need_main: bool, input: Option<FuncId>) -> Option<Program> {
        let mut funcs = Vec::new();
        for i in 0..self.func_decls.len() {
            if let Some(f) = self.reuse.get(i) {
                funcs.push(Rc::clone(f));
                continue;
            }
            let sig = self.sigs[i].take().expect("signature");
            let f = match self.func_decls[i] {
                FuncDecl::Extern(d) => tast::Func {
                    name: d.name.name.clone(),
                    params: sig.params,
                    ret: sig.ret,
                    variadic: sig.variadic,
                    body: None,
                    locals: Vec::new(),
                    span: d.span,
                    size: 0,
                    sites: Vec::new(),
                },
                FuncDecl::Def(d) => {
                    self.sigs[i] = Some(Sig {
                        params: sig.params.clone(),
                        ret: sig.ret.clone(),
                        variadic: false,
                    });
                    let (body, locals, size) = self.function(d, &sig.params, &sig.ret);
                    let sites = std::mem::take(&mut self.sites);
                    tast::Func {
                        name: d.name.name.clone(),
                        params: sig.params,
                        ret: sig.ret,
                        variadic: false,
                        body: Some(body),
                        locals,
                        span: d.span,
                        size,
                        sites,
                    }
                }
            };
            if self.sigs[i].is_none() {
                self.sigs[i] = Some(Sig {
                    params: f.params.clone(),
                    ret: f.ret.clone(),
                    variadic: f.variadic,
                });
            }
            funcs.push(Rc::new(f));
        }
        if let (Some(id), Some((_, body, locals, size, sites))) = (input, self.input.take()) {
            debug_assert_eq!(id, funcs.len());
            funcs.push(Rc::new(tast::Func {
                name: self.input_name.clone(),
                params: Vec::new(),
                ret: Ty::Void,
                variadic: false,
                body: Some(body),
                locals,
                span: self.input_span,
                size,
                sites,
            }));
        }
        let main = if need_main {
            Some(self.find_main(&funcs)?)
        } else {
            None
        };
        let structs = (0..self.struct_decls.len())
            .map(|id| {
                let fields = self.fields(id);
                let mut offsets = Vec::new();
                let mut off = 0;
                for (_, t) in &fields {
                    let l = self.layout_of(t);
                    off = align_to(off, l.align);
                    offsets.push(off);
                    off += l.size;
                }
                let layout = self.layout(id);
                tast::StructDef {
                    name: self.struct_decls[id].name.name.clone(),
                    fields,
                    offsets,
                    layout,
                }
            })
            .collect();
        let globals: Vec<tast::GlobalDef> = self
            .globals
            .iter_mut()
            .map(|g| g.take().expect("global"))
            .collect();
        self.check_static_data(&globals);
        let mut used_externs: Vec<FuncId> = self
            .used_funcs
            .iter()
            .copied()
            .filter(|&id| funcs[id].is_extern())
            .collect();
        used_externs.sort_unstable();
        Some(Program {
            structs,
            globals,
            funcs,
            main,
            used_externs,
        })
    }

    /// Reports E0225 at the global that takes the program's static data
    /// past [`MAX_STATIC_BYTES`].
    fn check_static_data(&mut self, globals: &[tast::GlobalDef]) {
        let mut total = 0u64;
        for g in globals {
            total = total.saturating_add(self.layout_of(&g.ty).size);
            if total > MAX_STATIC_BYTES {
                let msg = format!(
                    "global `{}` takes the program's global variables to {total} bytes; \
                     the limit is {MAX_STATIC_BYTES} (1 GiB)",
                    g.name
                );
                self.diags.push(
                    Diagnostic::new(Code::TooLarge, g.span, msg).note(
                        "allocate large data at run time (`malloc`) and keep a pointer to it",
                    ),
                );
                return;
            }
        }
    }

    fn find_main(&mut self, funcs: &[Rc<tast::Func>]) -> Option<FuncId> {
        match self.names.get("main") {
            Some((Decl::Func(id), _)) if !funcs[*id].is_extern() => {
                let f = &funcs[*id];
                let argv = Ty::Ptr(Box::new(Ty::Ptr(Box::new(Ty::Int(IntTy::U8)))));
                let params_ok = f.params.is_empty() || f.params == [Ty::Int(IntTy::I32), argv];
                let ret_ok = matches!(f.ret, Ty::Void | Ty::Int(IntTy::I32));
                if !params_ok || !ret_ok {
                    self.diags.push(
                        Diagnostic::new(Code::BadMain, f.span, "`main` has an invalid signature")
                            .note("expected `fn main()`, `fn main(argc: i32, argv: **u8)`, optionally with `-> i32`"),
                    );
                }
                Some(*id)
            }
            Some((_, span)) => {
                let span = *span;
                self.error(
                    Code::BadMain,
                    span,
                    "`main` must be a function defined in the program",
                );
                None
            }
            None => {
                let span = Span::new(0, 0, 0);
                self.diags.push(
                    Diagnostic::new(Code::NoMain, span, "no `main` function")
                        .note("add `fn main() -> i32 { return 0; }`"),
                );
                None
            }
        }
    }

    fn function(
        &mut self,
        d: &ast::FnDecl,
        params: &[Ty],
        ret: &Ty,
    ) -> (tast::Block, Vec<tast::Local>, usize) {
        self.locals.clear();
        self.local_mut.clear();
        self.local_defaulted.clear();
        self.scopes = vec![HashMap::default()];
        self.ret = ret.clone();
        self.loops = 0;
        self.size = 0;
        self.sites.clear();
        for (p, t) in d.params.iter().zip(params) {
            let id = self.locals.len();
            self.locals.push(tast::Local {
                name: p.name.name.clone(),
                ty: t.clone(),
            });
            self.local_mut.push(true);
            self.local_defaulted.push(None);
            self.scopes[0]
                .entry(p.name.name.clone())
                .or_insert((id, true));
        }
        let stmts = self.stmts(&d.body.stmts);
        if *ret != Ty::Void && !ret.is_error() && !d.recovered && !diverges_block(&d.body) {
            let end = Span {
                start: d.body.span.end.saturating_sub(1),
                ..d.body.span
            };
            self.diags.push(
                Diagnostic::new(
                    Code::MissingReturn,
                    d.name.span,
                    format!(
                        "function `{}` does not return a value on every path",
                        d.name.name
                    ),
                )
                .label(end, "control can reach the end of the function here"),
            );
        }
        self.scopes.clear();
        (
            tast::Block { stmts },
            std::mem::take(&mut self.locals),
            self.size,
        )
    }

    fn stmts(&mut self, stmts: &[ast::Stmt]) -> Vec<tast::Stmt> {
        stmts.iter().filter_map(|s| self.stmt(s)).collect()
    }

    fn block(&mut self, b: &ast::Block) -> tast::Block {
        self.scopes.push(HashMap::default());
        let stmts = self.stmts(&b.stmts);
        self.scopes.pop();
        tast::Block { stmts }
    }

    fn declare(&mut self, name: &ast::Ident, ty: Ty, mutable: bool) -> tast::LocalId {
        let id = self.locals.len();
        self.locals.push(tast::Local {
            name: name.name.clone(),
            ty,
        });
        self.local_mut.push(mutable);
        self.local_defaulted.push(None);
        let scope = self.scopes.last_mut().expect("scope");
        if scope.contains_key(&name.name) {
            self.error(
                Code::Redeclared,
                name.span,
                format!("`{}` is already declared in this scope", name.name),
            );
        }
        self.scopes
            .last_mut()
            .expect("scope")
            .insert(name.name.clone(), (id, mutable));
        id
    }

    /// A new profiling site of the current function.
    fn site(&mut self, kind: tast::SiteKind) -> tast::SiteId {
        self.sites.push(kind);
        (self.sites.len() - 1) as tast::SiteId
    }

    fn cond(&mut self, e: &ast::Expr) -> tast::Expr {
        let te = self.value(e, Some(&Ty::Bool));
        if te.ty != Ty::Bool && !te.ty.is_error() {
            let s = self.show(&te.ty);
            self.error(
                Code::CondNotBool,
                e.span,
                format!("condition must be `bool`, found {s}"),
            );
        }
        te
    }

    fn stmt(&mut self, s: &ast::Stmt) -> Option<tast::Stmt> {
        self.size += 1;
        Some(match &s.kind {
            ast::StmtKind::Local {
                mutable,
                name,
                ty,
                init,
            } => {
                let (ty_written, init_ast) = (ty.is_some(), init.as_ref());
                let ty = ty.as_ref().map(|t| self.resolve_type(t));
                let (ty, init) = match (ty, init) {
                    (Some(t), Some(e)) => {
                        let te = self.expect(e, &t);
                        (t, Some(te))
                    }
                    (Some(t), None) => (t, None),
                    (None, Some(e)) => {
                        let te = self.value(e, None);
                        if te.ty == Ty::Null {
                            self.error(
                                Code::CannotInfer,
                                e.span,
                                "cannot infer the type of `null`; write `let x: *T = null`",
                            );
                            (Ty::Error, Some(te))
                        } else {
                            (te.ty.clone(), Some(te))
                        }
                    }
                    (None, None) => {
                        self.error(
                            Code::CannotInfer,
                            name.span,
                            "a variable without an initialiser needs a type",
                        );
                        (Ty::Error, None)
                    }
                };
                let defaulted = match (ty_written, init_ast) {
                    (false, Some(e))
                        if self.is_flexible(e) && matches!(ty, Ty::Int(_) | Ty::F64) =>
                    {
                        let text = match &e.unparen().kind {
                            A::Int(i) => Some(i.value.to_string()),
                            A::Unary(UnOp::Neg, i) => match &i.kind {
                                A::Int(i) => Some(format!("-{}", i.value)),
                                _ => None,
                            },
                            _ => None,
                        };
                        Some((e.span, text))
                    }
                    _ => None,
                };
                let id = self.declare(name, ty, *mutable);
                self.local_defaulted[id] = defaulted;
                tast::Stmt::Local(id, init)
            }
            ast::StmtKind::Assign { op, place, value } => self.assign(*op, place, value, s.span),
            ast::StmtKind::Expr(e) => {
                let te = self.expr(e, None);
                tast::Stmt::Expr(te)
            }
            ast::StmtKind::If { cond, then, els } => {
                let site = self.site(tast::SiteKind::Branch);
                let c = self.cond(cond);
                let t = self.block(then);
                let e = els.as_ref().and_then(|e| self.stmt(e)).map(Box::new);
                tast::Stmt::If(c, t, e, site)
            }
            ast::StmtKind::While { cond, body } => {
                let site = self.site(tast::SiteKind::Loop);
                let c = self.cond(cond);
                self.loops += 1;
                let b = self.block(body);
                self.loops -= 1;
                tast::Stmt::While(c, b, site)
            }
            ast::StmtKind::For {
                init,
                cond,
                step,
                body,
            } => {
                self.scopes.push(HashMap::default());
                let site = self.site(tast::SiteKind::Loop);
                let i = init.as_ref().and_then(|s| self.stmt(s)).map(Box::new);
                let c = cond.as_ref().map(|c| self.cond(c));
                let st = step.as_ref().and_then(|s| self.stmt(s)).map(Box::new);
                self.loops += 1;
                let b = self.block(body);
                self.loops -= 1;
                self.scopes.pop();
                tast::Stmt::For(i, c, st, b, site)
            }
            ast::StmtKind::Break | ast::StmtKind::Continue => {
                if self.loops == 0 {
                    let w = if matches!(s.kind, ast::StmtKind::Break) {
                        "break"
                    } else {
                        "continue"
                    };
                    self.error(
                        Code::BreakOutsideLoop,
                        s.span,
                        format!("`{w}` outside of a loop"),
                    );
                }
                if matches!(s.kind, ast::StmtKind::Break) {
                    tast::Stmt::Break
                } else {
                    tast::Stmt::Continue
                }
            }
            ast::StmtKind::Return(e) => {
                let ret = self.ret.clone();
                match (e, &ret) {
                    (None, Ty::Void) => tast::Stmt::Return(None),
                    (None, t) => {
                        if !t.is_error() {
                            let s2 = self.show(t);
                            self.error(
                                Code::ReturnMismatch,
                                s.span,
                                format!("`return;` in a function that returns {s2}"),
                            );
                        }
                        tast::Stmt::Return(None)
                    }
                    (Some(e), Ty::Void) => {
                        self.error(
                            Code::ReturnMismatch,
                            e.span,
                            "`return` with a value in a function that returns nothing",
                        );
                        let _ = self.expr(e, None);
                        tast::Stmt::Return(None)
                    }
                    (Some(e), t) => {
                        let te = self.expect(e, t);
                        tast::Stmt::Return(Some(te))
                    }
                }
            }
            ast::StmtKind::Block(b) => tast::Stmt::Block(self.block(b)),
            ast::StmtKind::Error(names) => {
                // Names declared in unreadable text: known, of no known type.
                for n in names {
                    if !self.scopes.last().is_some_and(|s| s.contains_key(&n.name)) {
                        self.declare(n, Ty::Error, true);
                    }
                }
                return None;
            }
        })
    }

    fn assign(
        &mut self,
        op: Option<BinOp>,
        place: &ast::Expr,
        value: &ast::Expr,
        span: Span,
    ) -> tast::Stmt {
        // Assigning to a constant or a function name.
        if let A::Name(n) = &place.unparen().kind {
            if self.lookup_local(n).is_none() {
                if let Some((Decl::Const(_) | Decl::Func(_), _)) = self.names.get(n) {
                    self.error(
                        Code::Immutable,
                        place.span,
                        format!("cannot assign to constant `{n}`"),
                    );
                    let _ = self.value(value, None);
                    return tast::Stmt::Expr(err_expr(span));
                }
            }
        }
        let tp = self.value(place, None);
        if !tp.ty.is_error() && !is_place(&tp) {
            // The value is checked on its own: the place's type is no
            // requirement when there is no place.
            self.diags.push(
                Diagnostic::new(
                    Code::NotPlace,
                    place.span,
                    "cannot assign to this expression",
                )
                .note("the left side of an assignment is a variable, `*p`, `a[i]` or `s.f`"),
            );
            let _ = self.value(value, None);
            return tast::Stmt::Expr(err_expr(span));
        }
        if !tp.ty.is_error() {
            self.check_assignable(&tp, place);
        }
        let tv = match op {
            None => self.expect_into(&tp, value),
            Some(BinOp::Shl | BinOp::Shr) => {
                let tv = self.value(value, None);
                if !tp.ty.is_error() && !tv.ty.is_error() && !(tp.ty.is_int() && tv.ty.is_int()) {
                    self.error(
                        Code::BadOperand,
                        span,
                        format!("`{}=` needs integer operands", op.unwrap().symbol()),
                    );
                }
                tv
            }
            Some(o @ (BinOp::Add | BinOp::Sub)) if tp.ty.is_ptr() => {
                let tv = self.value(value, Some(&Ty::Int(IntTy::I64)));
                if !tv.ty.is_int() && !tv.ty.is_error() {
                    let s = self.show(&tv.ty);
                    self.error(
                        Code::BadOperand,
                        value.span,
                        format!("`{}=` on a pointer needs an integer, found {s}", o.symbol()),
                    );
                }
                tv
            }
            Some(o) => {
                let tv = self.expect_into(&tp, value);
                if !tp.ty.is_error() && !self.arith_ok(o, &tp.ty) {
                    let s = self.show(&tp.ty);
                    self.error(
                        Code::BadOperand,
                        span,
                        format!("`{}=` cannot be applied to {s}", o.symbol()),
                    );
                }
                tv
            }
        };
        tast::Stmt::Assign {
            place: tp,
            op,
            value: tv,
            span,
        }
    }

    /// Checks a value assigned to the place `tp`; a mismatch also explains
    /// the place's type.
    fn expect_into(&mut self, tp: &tast::Expr, value: &ast::Expr) -> tast::Expr {
        let tv = self.value(value, Some(&tp.ty));
        let (found, errors) = (tv.ty.clone(), self.diags.len());
        let tv = self.coerce(tv, &tp.ty, value.span);
        if self.diags.len() > errors {
            if let Some(d) = self.diags.pop() {
                let d = self.explain_mismatch(d, tp, &found);
                self.diags.push(d);
            }
        }
        tv
    }

    fn check_assignable(&mut self, tp: &tast::Expr, place: &ast::Expr) {
        if let Some(gid) = root_global(tp) {
            if self.immutable_globals.contains(&gid) {
                let name = self.globals[gid]
                    .as_ref()
                    .map(|g| g.name.clone())
                    .unwrap_or_default();
                self.error(
                    Code::Immutable,
                    place.span,
                    format!("cannot assign to `{name}`, a `let` binding"),
                );
            }
        }
        if let Some(id) = root_local(tp) {
            if !self.local_mut[id] {
                let name = self.locals[id].name.clone();
                self.error(
                    Code::Immutable,
                    place.span,
                    format!("cannot assign to `{name}`, a `let` binding"),
                );
            }
        }
    }

    fn lookup_local(&self, n: &str) -> Option<(tast::LocalId, bool)> {
        self.scopes.iter().rev().find_map(|s| s.get(n).copied())
    }

    // ---------------------------------------------------------------- expressions

    /// Checks an expression that must produce a value.
    fn value(&mut self, e: &ast::Expr, expected: Option<&Ty>) -> tast::Expr {
        let te = self.expr(e, expected);
        if te.ty == Ty::Void {
            self.error(
                Code::VoidValue,
                e.span,
                "this call returns nothing and cannot be used as a value",
            );
            return err_expr(e.span);
        }
        te
    }

    /// Checks an expression against a required type.
    fn expect(&mut self, e: &ast::Expr, want: &Ty) -> tast::Expr {
        let te = self.value(e, Some(want));
        self.coerce(te, want, e.span)
    }

    fn coerce(&mut self, mut te: tast::Expr, want: &Ty, span: Span) -> tast::Expr {
        if te.ty == *want || te.ty.is_error() || want.is_error() {
            return te;
        }
        if te.ty == Ty::Null && matches!(want, Ty::Ptr(_) | Ty::Fn(_)) {
            te.ty = want.clone();
            return te;
        }
        let (w, f) = (self.show(want), self.show(&te.ty));
        let d = Diagnostic::new(
            Code::Mismatch,
            span,
            format!("mismatched types: expected {w}, found {f}"),
        );
        let d = self.explain_mismatch(d, &te, want);
        self.diags.push(d);
        err_expr(span)
    }

    /// Adds what helps with a mismatch between `te` and the type `other`:
    /// where a local's defaulted literal type comes from, or that a null
    /// pointer is `null`, not `0`.
    fn explain_mismatch(&self, d: Diagnostic, te: &tast::Expr, other: &Ty) -> Diagnostic {
        if let T::Local(id) = te.kind {
            if let Some((init, text)) = &self.local_defaulted[id] {
                let name = &self.locals[id].name;
                let t = self.show(&te.ty);
                let kw = if self.local_mut[id] { "var" } else { "let" };
                let kind = if te.ty.is_float() {
                    "a float"
                } else {
                    "an integer"
                };
                let mut d = d
                    .label(*init, format!("this literal has no type of its own, so `{name}` is {t}"))
                    .note(format!(
                        "an unsuffixed literal takes its type from context; without one, {kind} literal is {t}"
                    ));
                if other.is_numeric() {
                    d = d.note(format!(
                        "declare the type: `{kw} {name}: {} = {}`",
                        Display(other, self),
                        text.as_deref().unwrap_or("…")
                    ));
                }
                return d;
            }
        }
        if let (T::Const(ConstVal::Int(v)), true) = (&te.kind, te.ty.is_int()) {
            if matches!(other, Ty::Ptr(_) | Ty::Fn(_)) {
                return d.note(if *v == 0 {
                    "a null pointer is written `null`, not `0`"
                } else {
                    "an integer becomes a pointer only by a cast (`e as *T`)"
                });
            }
        }
        d
    }

    fn default_null(&mut self, mut te: tast::Expr) -> tast::Expr {
        if te.ty == Ty::Null {
            te.ty = Ty::Ptr(Box::new(Ty::Int(IntTy::U8)));
        }
        te
    }

    fn int_lit(
        &mut self,
        v: i128,
        suffix: Option<&'static str>,
        expected: Option<&Ty>,
        span: Span,
    ) -> tast::Expr {
        let ty = match (suffix, expected) {
            (Some(s), _) => Ty::Int(int_suffix_ty(s)),
            (None, Some(Ty::F32)) => {
                return mk(T::Const(ConstVal::Float(v as f32 as f64)), Ty::F32, span)
            }
            (None, Some(Ty::F64)) => return mk(T::Const(ConstVal::Float(v as f64)), Ty::F64, span),
            (None, Some(Ty::Int(i))) => Ty::Int(*i),
            _ => Ty::Int(IntTy::I64),
        };
        let it = ty.int().expect("int");
        if !it.fits(v) {
            let s = self.show(&ty);
            self.error(
                Code::LiteralOutOfRange,
                span,
                format!("literal `{v}` does not fit in {s}"),
            );
            return err_expr(span);
        }
        mk(T::Const(ConstVal::Int(it.wrap(v))), ty, span)
    }

    fn float_lit(
        &mut self,
        v: f64,
        suffix: Option<&'static str>,
        expected: Option<&Ty>,
        span: Span,
    ) -> tast::Expr {
        let ty = match (suffix, expected) {
            (Some("f32"), _) => Ty::F32,
            (Some(_), _) => Ty::F64,
            (None, Some(Ty::F32)) => Ty::F32,
            _ => Ty::F64,
        };
        let v = if ty == Ty::F32 { v as f32 as f64 } else { v };
        mk(T::Const(ConstVal::Float(v)), ty, span)
    }

    /// Checks an expression; `expected` is the type the context wants (used
    /// to type unsuffixed literals), not a requirement.
    fn expr(&mut self, e: &ast::Expr, expected: Option<&Ty>) -> tast::Expr {
        // Parentheses are not nodes of the checked program: they must not
        // change a function's size (its inlining estimate).
        if !matches!(e.kind, A::Paren(_)) {
            self.size += 1;
        }
        let span = e.span;
        match &e.kind {
            A::Int(i) => self.int_lit(i.value as i128, i.suffix, expected, span),
            A::Float(f) => self.float_lit(f.value, f.suffix, expected, span),
            A::Bool(b) => mk(T::Const(ConstVal::Bool(*b)), Ty::Bool, span),
            A::Char(c) => mk(T::Const(ConstVal::Int(*c as u64)), Ty::Int(IntTy::U8), span),
            A::Str(s) => mk(
                T::Const(ConstVal::Str(s.clone())),
                Ty::Ptr(Box::new(Ty::Int(IntTy::U8))),
                span,
            ),
            A::Null => {
                let ty = match expected {
                    Some(t @ (Ty::Ptr(_) | Ty::Fn(_))) => t.clone(),
                    _ => Ty::Null,
                };
                mk(T::Const(ConstVal::Null), ty, span)
            }
            A::Error => err_expr(span),
            A::Name(n) => self.name(n, span),
            A::Paren(inner) => self.expr(inner, expected),
            A::Unary(op, inner) => self.unary(*op, inner, expected, span),
            A::Binary(op, a, b) => self.binary(*op, a, b, expected, span),
            A::Cast(inner, t) => {
                let to = self.resolve_type(t);
                let te = self.value(inner, None);
                if to.is_error() || te.ty.is_error() {
                    return err_expr(span);
                }
                if !self.castable(&te.ty, &to) {
                    let (a, b) = (self.show(&te.ty), self.show(&to));
                    self.error(Code::BadCast, span, format!("cannot cast {a} to {b}"));
                    return err_expr(span);
                }
                if te.ty == to {
                    return te;
                }
                mk(T::Cast(Box::new(te)), to, span)
            }
            A::Call(callee, args) => self.call(callee, args, span),
            A::Index(base, idx) => {
                let tb = self.value(base, None);
                let ti = self.value(idx, None);
                if !ti.ty.is_int() && !ti.ty.is_error() {
                    let s = self.show(&ti.ty);
                    self.error(
                        Code::IndexNotInt,
                        idx.span,
                        format!("index must be an integer, found {s}"),
                    );
                }
                let (elem, len) = match &tb.ty {
                    Ty::Array(n, t) => ((**t).clone(), Some(*n)),
                    Ty::Ptr(t) => ((**t).clone(), None),
                    Ty::Error => return err_expr(span),
                    other => {
                        let s = self.show(other);
                        self.error(
                            Code::NotIndexable,
                            base.span,
                            format!("cannot index a value of type {s}"),
                        );
                        return err_expr(span);
                    }
                };
                if ti.ty.is_error() {
                    return err_expr(span);
                }
                mk(
                    T::Index {
                        base: Box::new(tb),
                        index: Box::new(ti),
                        len,
                    },
                    elem,
                    span,
                )
            }
            A::Field(base, f) => {
                let tb = self.value(base, None);
                let (sb, sid) = match &tb.ty {
                    Ty::Struct(id) => {
                        let id = *id;
                        (tb, id)
                    }
                    Ty::Ptr(inner) if matches!(**inner, Ty::Struct(_)) => {
                        let Ty::Struct(id) = **inner else {
                            unreachable!()
                        };
                        let bspan = tb.span;
                        (mk(T::Deref(Box::new(tb)), Ty::Struct(id), bspan), id)
                    }
                    Ty::Error => return err_expr(span),
                    other => {
                        let s = self.show(other);
                        self.error(
                            Code::FieldOnNonStruct,
                            f.span,
                            format!("no field `{}` on type {s}", f.name),
                        );
                        return err_expr(span);
                    }
                };
                let fields = self.fields(sid);
                match fields.iter().position(|(n, _)| *n == f.name) {
                    Some(i) => mk(T::Field(Box::new(sb), i), fields[i].1.clone(), span),
                    None => {
                        let s = self.struct_name(sid).to_string();
                        let mut d = Diagnostic::new(
                            Code::NoSuchField,
                            f.span,
                            format!("struct `{s}` has no field `{}`", f.name),
                        );
                        if let Some(c) =
                            suggest::closest(&f.name, fields.iter().map(|(n, _)| n.as_str()))
                        {
                            d = d.note(format!("did you mean `{c}`?"));
                        }
                        self.diags.push(d);
                        err_expr(span)
                    }
                }
            }
            A::Cond(c, a, b) => {
                let tc = self.value(c, Some(&Ty::Bool));
                if tc.ty != Ty::Bool && !tc.ty.is_error() {
                    let s = self.show(&tc.ty);
                    self.error(
                        Code::CondNotBool,
                        c.span,
                        format!("condition must be `bool`, found {s}"),
                    );
                }
                let (ta, tb) = self.pair(a, b, expected);
                let ty = if ta.ty.is_error() || tb.ty.is_error() {
                    Ty::Error
                } else if ta.ty != tb.ty {
                    let (x, y) = (self.show(&ta.ty), self.show(&tb.ty));
                    self.error(
                        Code::Mismatch,
                        b.span,
                        format!("mismatched types: the branches are {x} and {y}"),
                    );
                    Ty::Error
                } else {
                    ta.ty.clone()
                };
                let site = self.site(tast::SiteKind::Branch);
                mk(
                    T::Cond(Box::new(tc), Box::new(ta), Box::new(tb), site),
                    ty,
                    span,
                )
            }
            A::SizeOf(t) => {
                let ty = self.resolve_type(t);
                if ty.is_error() {
                    return err_expr(span);
                }
                let l = self.layout_of(&ty);
                mk(T::Const(ConstVal::Int(l.size)), Ty::Int(IntTy::U64), span)
            }
            A::Builtin(name, args) => self.builtin(name, args, expected, span),
            A::StructLit(name, fields) => self.struct_lit(name, fields, span),
            A::ArrayLit(elems) => self.array_lit(elems, expected, span),
        }
    }

    /// Checks two operands that must have one type; an operand whose type
    /// comes from context is checked after the other.
    fn pair(
        &mut self,
        a: &ast::Expr,
        b: &ast::Expr,
        expected: Option<&Ty>,
    ) -> (tast::Expr, tast::Expr) {
        if self.is_flexible(a) && !self.is_flexible(b) {
            let tb = self.value(b, expected);
            let ta = self.value(a, Some(&tb.ty));
            let ta = if ta.ty == Ty::Null {
                self.coerce(ta, &tb.ty, a.span)
            } else {
                ta
            };
            (ta, tb)
        } else {
            let ta = self.value(a, expected);
            let tb = self.value(b, Some(&ta.ty));
            let tb = if tb.ty == Ty::Null {
                self.coerce(tb, &ta.ty, b.span)
            } else {
                tb
            };
            (ta, tb)
        }
    }

    fn name(&mut self, n: &str, span: Span) -> tast::Expr {
        if let Some((id, _)) = self.lookup_local(n) {
            if self.in_const {
                self.error(
                    Code::NotConst,
                    span,
                    format!("local variable `{n}` cannot be used in a constant expression"),
                );
                return err_expr(span);
            }
            return mk(T::Local(id), self.locals[id].ty.clone(), span);
        }
        match self.names.get(n).copied() {
            Some((Decl::Func(id), _)) => {
                self.used_funcs.insert(id);
                self.sig(id);
                if self.sigs[id].as_ref().is_some_and(|s| s.variadic) {
                    self.error(
                        Code::BadExtern,
                        span,
                        format!("variadic function `{n}` cannot be used as a value"),
                    );
                    return err_expr(span);
                }
                mk(T::Const(ConstVal::Func(id)), self.fn_type(id), span)
            }
            Some((Decl::Const(i), _)) => match self.const_value(i) {
                Some((ty, v)) => mk(T::Const(v), ty, span),
                None => err_expr(span),
            },
            Some((Decl::Global(i), _)) => {
                if self.in_const {
                    self.error(
                        Code::NotConst,
                        span,
                        format!("global variable `{n}` cannot be used in a constant expression"),
                    );
                    return err_expr(span);
                }
                self.global(i);
                let ty = self.globals[i]
                    .as_ref()
                    .map(|g| g.ty.clone())
                    .unwrap_or(Ty::Error);
                mk(T::Global(i), ty, span)
            }
            Some((Decl::Struct(_), _)) => {
                self.error(
                    Code::UnknownName,
                    span,
                    format!("`{n}` is a struct type, not a value"),
                );
                err_expr(span)
            }
            None => {
                let mut d = Diagnostic::new(
                    Code::UnknownName,
                    span,
                    format!("cannot find `{n}` in this scope"),
                );
                if let Some(s) = self.similar_value(n) {
                    d = d.note(format!("did you mean `{s}`?"));
                }
                self.diags.push(d);
                err_expr(span)
            }
        }
    }

    /// A value in scope whose name is close to `n`.
    fn similar_value(&mut self, n: &str) -> Option<String> {
        if self.suggestions_left == 0 {
            return None;
        }
        self.suggestions_left -= 1;
        let locals = self.scopes.iter().rev().flat_map(|s| s.keys());
        let globals = self
            .names
            .iter()
            .filter(|(_, (d, _))| !matches!(d, Decl::Struct(_)))
            .map(|(k, _)| k);
        suggest::closest(n, locals.chain(globals).map(String::as_str)).map(str::to_string)
    }

    fn unary(
        &mut self,
        op: UnOp,
        inner: &ast::Expr,
        expected: Option<&Ty>,
        span: Span,
    ) -> tast::Expr {
        match op {
            UnOp::Neg => {
                // A negated literal is one literal (so `-128i8` fits);
                // `-(128)` is the negation of the literal `128`.
                if let A::Int(i) = &inner.kind {
                    if !matches!(expected, Some(Ty::F32 | Ty::F64)) || i.suffix.is_some() {
                        // A negative value does not fit an unsigned type: E0006
                        // (`-1u32` is rejected; write `0u32 - 1` to wrap).
                        return self.int_lit(-(i.value as i128), i.suffix, expected, span);
                    }
                }
                if let A::Float(f) = &inner.kind {
                    return self.float_lit(-f.value, f.suffix, expected, span);
                }
                let te = self.value(inner, expected);
                let ok = te.ty.is_numeric();
                self.simple_unary(op, te, ok, "a number", span)
            }
            UnOp::Not => {
                let te = self.value(inner, Some(&Ty::Bool));
                let ok = te.ty == Ty::Bool;
                self.simple_unary(op, te, ok, "a `bool`", span)
            }
            UnOp::BitNot => {
                let te = self.value(inner, expected);
                let ok = te.ty.is_int();
                self.simple_unary(op, te, ok, "an integer", span)
            }
            UnOp::Deref => {
                // No context flows inward: `*e` needs a pointer whatever the
                // context wants (and wrapping the context at every level
                // would make `****…e` quadratic).
                let te = self.value(inner, None);
                match &te.ty {
                    Ty::Ptr(t) => {
                        let t = (**t).clone();
                        mk(T::Deref(Box::new(te)), t, span)
                    }
                    Ty::Error => err_expr(span),
                    other => {
                        let s = self.show(other);
                        self.error(
                            Code::DerefNonPtr,
                            span,
                            format!("cannot dereference a value of type {s}"),
                        );
                        err_expr(span)
                    }
                }
            }
            UnOp::AddrOf => {
                let want = match expected {
                    Some(Ty::Ptr(t)) => Some((**t).clone()),
                    _ => None,
                };
                let te = self.value(inner, want.as_ref());
                if te.ty.is_error() {
                    return err_expr(span);
                }
                if !is_place(&te) {
                    self.error(
                        Code::NotPlace,
                        inner.span,
                        "cannot take the address of this expression",
                    );
                    return err_expr(span);
                }
                let ty = Ty::Ptr(Box::new(te.ty.clone()));
                mk(T::AddrOf(Box::new(te)), ty, span)
            }
        }
    }

    /// `-x`, `!b`, `~x`: the result has the operand's type when `ok`;
    /// otherwise E0201 saying what the operator needs.
    fn simple_unary(
        &mut self,
        op: UnOp,
        te: tast::Expr,
        ok: bool,
        needs: &str,
        span: Span,
    ) -> tast::Expr {
        if te.ty.is_error() {
            return err_expr(span);
        }
        if !ok {
            let sym = match op {
                UnOp::Neg => "-",
                UnOp::Not => "!",
                _ => "~",
            };
            let s = self.show(&te.ty);
            self.error(
                Code::BadOperand,
                span,
                format!("`{sym}` needs {needs}, found {s}"),
            );
            return err_expr(span);
        }
        let ty = te.ty.clone();
        mk(T::Unary(op, Box::new(te)), ty, span)
    }

    fn arith_ok(&self, op: BinOp, t: &Ty) -> bool {
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => t.is_numeric(),
            BinOp::Rem | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor | BinOp::Shl | BinOp::Shr => {
                t.is_int()
            }
            BinOp::Eq | BinOp::Ne => matches!(
                t,
                Ty::Int(_) | Ty::F32 | Ty::F64 | Ty::Bool | Ty::Ptr(_) | Ty::Fn(_)
            ),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => t.is_numeric() || t.is_ptr(),
            BinOp::And | BinOp::Or => *t == Ty::Bool,
        }
    }

    fn binary(
        &mut self,
        op: BinOp,
        a: &ast::Expr,
        b: &ast::Expr,
        expected: Option<&Ty>,
        span: Span,
    ) -> tast::Expr {
        match op {
            BinOp::And | BinOp::Or => {
                let ta = self.value(a, Some(&Ty::Bool));
                let tb = self.value(b, Some(&Ty::Bool));
                for (t, e) in [(&ta, a), (&tb, b)] {
                    if t.ty != Ty::Bool && !t.ty.is_error() {
                        let s = self.show(&t.ty);
                        self.error(
                            Code::BadOperand,
                            e.span,
                            format!("`{}` needs `bool` operands, found {s}", op.symbol()),
                        );
                    }
                }
                let site = self.site(tast::SiteKind::Branch);
                mk(
                    T::Logic(op, Box::new(ta), Box::new(tb), site),
                    Ty::Bool,
                    span,
                )
            }
            BinOp::Shl | BinOp::Shr => {
                let ta = self.value(a, expected.filter(|t| t.is_int()));
                let tb = self.value(b, None);
                if ta.ty.is_error() || tb.ty.is_error() {
                    return err_expr(span);
                }
                if !ta.ty.is_int() || !tb.ty.is_int() {
                    let (x, y) = (self.show(&ta.ty), self.show(&tb.ty));
                    self.error(
                        Code::BadOperand,
                        span,
                        format!(
                            "`{}` needs integer operands, found {x} and {y}",
                            op.symbol()
                        ),
                    );
                    return err_expr(span);
                }
                let ty = ta.ty.clone();
                mk(T::Binary(op, Box::new(ta), Box::new(tb)), ty, span)
            }
            _ => {
                let operand_expected = if op.is_comparison() {
                    None
                } else {
                    expected.filter(|t| t.is_numeric())
                };
                // Pointer arithmetic: the offset is an integer of any type.
                if matches!(op, BinOp::Add | BinOp::Sub) && !self.is_flexible(a) {
                    let ta = self.value(a, operand_expected);
                    if ta.ty.is_ptr() {
                        let tb = self.value(b, Some(&Ty::Int(IntTy::I64)));
                        return self.ptr_arith(op, ta, tb, b, span);
                    }
                    let tb = self.value(b, Some(&ta.ty));
                    let tb = if tb.ty == Ty::Null {
                        self.coerce(tb, &ta.ty, b.span)
                    } else {
                        tb
                    };
                    return self.finish_binary(op, ta, tb, b, span);
                }
                let (ta, tb) = self.pair(a, b, operand_expected);
                self.finish_binary(op, ta, tb, b, span)
            }
        }
    }

    fn ptr_arith(
        &mut self,
        op: BinOp,
        ta: tast::Expr,
        tb: tast::Expr,
        b: &ast::Expr,
        span: Span,
    ) -> tast::Expr {
        if tb.ty.is_error() {
            return err_expr(span);
        }
        if tb.ty.is_int() {
            let ty = ta.ty.clone();
            return mk(
                T::PtrOffset {
                    ptr: Box::new(ta),
                    offset: Box::new(tb),
                    negate: op == BinOp::Sub,
                },
                ty,
                span,
            );
        }
        if op == BinOp::Sub && tb.ty == ta.ty {
            return mk(
                T::PtrDiff(Box::new(ta), Box::new(tb)),
                Ty::Int(IntTy::I64),
                span,
            );
        }
        if op == BinOp::Sub && tb.ty.is_ptr() {
            let (x, y) = (self.show(&ta.ty), self.show(&tb.ty));
            self.error(
                Code::Mismatch,
                b.span,
                format!("mismatched types: cannot subtract {y} from {x}"),
            );
            return err_expr(span);
        }
        let (x, y) = (self.show(&ta.ty), self.show(&tb.ty));
        self.error(
            Code::BadOperand,
            span,
            format!("`{}` cannot be applied to {x} and {y}", op.symbol()),
        );
        err_expr(span)
    }

    fn finish_binary(
        &mut self,
        op: BinOp,
        ta: tast::Expr,
        tb: tast::Expr,
        b: &ast::Expr,
        span: Span,
    ) -> tast::Expr {
        if ta.ty.is_error() || tb.ty.is_error() {
            return err_expr(span);
        }
        if ta.ty != Ty::Null && !self.arith_ok(op, &ta.ty) {
            let s = self.show(&ta.ty);
            self.error(
                Code::BadOperand,
                span,
                format!("`{}` cannot be applied to {s}", op.symbol()),
            );
            return err_expr(span);
        }
        if ta.ty != tb.ty {
            let (x, y) = (self.show(&ta.ty), self.show(&tb.ty));
            let d = Diagnostic::new(
                Code::Mismatch,
                b.span,
                format!("mismatched types: `{}` between {x} and {y}", op.symbol()),
            );
            let d = self.explain_mismatch(d, &ta, &tb.ty);
            let d = self.explain_mismatch(d, &tb, &ta.ty);
            self.diags.push(d);
            return err_expr(span);
        }
        if ta.ty == Ty::Null && matches!(op, BinOp::Eq | BinOp::Ne) {
            let ty = Ty::Ptr(Box::new(Ty::Int(IntTy::U8)));
            let (mut ta, mut tb) = (ta, tb);
            ta.ty = ty.clone();
            tb.ty = ty;
            return mk(T::Binary(op, Box::new(ta), Box::new(tb)), Ty::Bool, span);
        }
        if !self.arith_ok(op, &ta.ty) {
            let s = self.show(&ta.ty);
            self.error(
                Code::BadOperand,
                span,
                format!("`{}` cannot be applied to {s}", op.symbol()),
            );
            return err_expr(span);
        }
        let ty = if op.is_comparison() {
            Ty::Bool
        } else {
            ta.ty.clone()
        };
        mk(T::Binary(op, Box::new(ta), Box::new(tb)), ty, span)
    }

    fn castable(&self, from: &Ty, to: &Ty) -> bool {
        if from == to {
            return true;
        }
        let ptr_int = |t: &Ty| matches!(t, Ty::Int(IntTy { bits: 64, .. }));
        let byte_ptr = |t: &Ty| *t == Ty::Ptr(Box::new(Ty::Int(IntTy::U8)));
        match (from, to) {
            (Ty::Int(_) | Ty::F32 | Ty::F64, Ty::Int(_) | Ty::F32 | Ty::F64) => true,
            (Ty::Bool, Ty::Int(_)) => true,
            (Ty::Ptr(_) | Ty::Null, Ty::Ptr(_)) => true,
            (Ty::Ptr(_), t) if ptr_int(t) => true,
            (t, Ty::Ptr(_)) if ptr_int(t) => true,
            (Ty::Fn(_), t) if byte_ptr(t) => true,
            (t, Ty::Fn(_)) if byte_ptr(t) => true,
            (Ty::Null, Ty::Fn(_)) => true,
            _ => false,
        }
    }

    fn call(&mut self, callee: &ast::Expr, args: &[ast::Expr], span: Span) -> tast::Expr {
        // A direct call of a named function (not shadowed by a local).
        let direct = match &callee.unparen().kind {
            A::Name(n) if self.lookup_local(n).is_none() => match self.names.get(n) {
                Some((Decl::Func(id), _)) => Some(*id),
                _ => None,
            },
            _ => None,
        };
        if self.in_const {
            self.error(
                Code::NotConst,
                span,
                "function calls are not constant expressions",
            );
            return err_expr(span);
        }
        let (c, params, ret, variadic) = match direct {
            Some(id) => {
                self.used_funcs.insert(id);
                self.sig(id);
                let s = self.sigs[id].as_ref().expect("sig");
                (
                    Callee::Direct(id),
                    s.params.clone(),
                    s.ret.clone(),
                    s.variadic,
                )
            }
            None => {
                let tc = self.value(callee, None);
                match &tc.ty {
                    Ty::Fn(sig) => {
                        let sig = sig.clone();
                        (
                            Callee::Indirect(Box::new(tc), self.site(tast::SiteKind::IndirectCall)),
                            sig.params.clone(),
                            sig.ret.clone(),
                            false,
                        )
                    }
                    Ty::Error => {
                        for a in args {
                            let _ = self.value(a, None);
                        }
                        return err_expr(span);
                    }
                    other => {
                        let s = self.show(other);
                        self.error(
                            Code::NotCallable,
                            callee.span,
                            format!("cannot call a value of type {s}"),
                        );
                        for a in args {
                            let _ = self.value(a, None);
                        }
                        return err_expr(span);
                    }
                }
            }
        };
        let count_ok = if variadic {
            args.len() >= params.len()
        } else {
            args.len() == params.len()
        };
        if !count_ok {
            self.error(
                Code::ArgCount,
                span,
                format!(
                    "this function takes {}{} argument{} but {} {} supplied",
                    if variadic { "at least " } else { "" },
                    params.len(),
                    if params.len() == 1 { "" } else { "s" },
                    args.len(),
                    if args.len() == 1 { "was" } else { "were" }
                ),
            );
        }
        let mut targs = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if let Some(p) = params.get(i) {
                targs.push(self.expect(a, p));
            } else if variadic {
                let ta = self.value(a, None);
                let ta = self.default_null(ta);
                targs.push(self.promote(ta));
            } else {
                let _ = self.value(a, None);
            }
        }
        if targs.iter().any(|a| a.ty.is_error()) || !count_ok {
            return mk(
                T::Const(ConstVal::Zero),
                if ret == Ty::Void { Ty::Void } else { Ty::Error },
                span,
            );
        }
        mk(T::Call(c, targs), ret, span)
    }

    /// C's default argument promotions for variadic arguments.
    fn promote(&mut self, te: tast::Expr) -> tast::Expr {
        let span = te.span;
        let to = match &te.ty {
            Ty::Int(i) if i.bits < 32 => Ty::Int(if i.signed { IntTy::I32 } else { IntTy::U32 }),
            Ty::Bool => Ty::Int(IntTy::I32),
            Ty::F32 => Ty::F64,
            t if t.is_aggregate() => {
                self.error(
                    Code::BadExtern,
                    span,
                    "structs and arrays cannot be passed to a variadic function; pass a pointer",
                );
                return err_expr(span);
            }
            _ => return te,
        };
        mk(T::Cast(Box::new(te)), to, span)
    }

    fn builtin(
        &mut self,
        name: &ast::Ident,
        args: &[ast::Expr],
        expected: Option<&Ty>,
        span: Span,
    ) -> tast::Expr {
        let Some(b) = Builtin::from_name(&name.name) else {
            self.error(
                Code::UnknownBuiltin,
                name.span,
                format!("unknown builtin `@{}`", name.name),
            );
            for a in args {
                let _ = self.value(a, None);
            }
            return err_expr(span);
        };
        if self.in_const {
            self.error(
                Code::NotConst,
                span,
                "builtins are not constant expressions",
            );
            return err_expr(span);
        }
        let arity = match b {
            Builtin::Fma => 3,
            Builtin::Min | Builtin::Max => 2,
            _ => 1,
        };
        if args.len() != arity {
            self.error(
                Code::BuiltinArgs,
                span,
                format!(
                    "`@{}` takes {arity} argument{}",
                    name.name,
                    if arity == 1 { "" } else { "s" }
                ),
            );
            for a in args {
                let _ = self.value(a, None);
            }
            return err_expr(span);
        }
        let targs: Vec<tast::Expr> = match b {
            Builtin::Min | Builtin::Max => {
                let (x, y) = self.pair(&args[0], &args[1], expected);
                vec![x, y]
            }
            Builtin::Fma => {
                let want = expected
                    .filter(|t| t.is_float())
                    .cloned()
                    .unwrap_or(Ty::F64);
                let first_fixed = args.iter().find(|a| !self.is_flexible(a));
                let want = match first_fixed {
                    Some(a) => {
                        let t = self.value(a, Some(&want));
                        t.ty
                    }
                    None => want,
                };
                args.iter().map(|a| self.expect(a, &want)).collect()
            }
            _ => {
                let want = expected.cloned();
                vec![self.value(&args[0], want.as_ref())]
            }
        };
        if targs.iter().any(|a| a.ty.is_error()) {
            return err_expr(span);
        }
        let t0 = targs[0].ty.clone();
        let ok = match b {
            Builtin::Popcount | Builtin::Clz | Builtin::Ctz | Builtin::Bswap => t0.is_int(),
            Builtin::Sqrt | Builtin::Fabs | Builtin::Floor | Builtin::Fma => t0.is_float(),
            Builtin::Min | Builtin::Max => t0.is_numeric() && targs[1].ty == t0,
        };
        if !ok {
            let s = match b {
                Builtin::Min | Builtin::Max if t0.is_numeric() => {
                    format!("{} and {}", self.show(&t0), self.show(&targs[1].ty))
                }
                _ => self.show(&t0),
            };
            let what = match b {
                Builtin::Popcount | Builtin::Clz | Builtin::Ctz | Builtin::Bswap => "an integer",
                Builtin::Sqrt | Builtin::Fabs | Builtin::Floor | Builtin::Fma => "`f32` or `f64`",
                Builtin::Min | Builtin::Max => "two numbers of one type",
            };
            self.error(
                Code::BuiltinArgs,
                span,
                format!("`@{}` needs {what}, found {s}", name.name),
            );
            return err_expr(span);
        }
        mk(T::Builtin(b, targs), t0, span)
    }

    fn struct_lit(
        &mut self,
        name: &ast::Ident,
        fields: &[(ast::Ident, ast::Expr)],
        span: Span,
    ) -> tast::Expr {
        let sid = match self.names.get(&name.name) {
            Some((Decl::Struct(id), _)) => *id,
            _ => {
                self.error(
                    Code::UnknownType,
                    name.span,
                    format!("unknown struct `{}`", name.name),
                );
                for (_, e) in fields {
                    let _ = self.value(e, None);
                }
                return err_expr(span);
            }
        };
        let decl_fields = self.fields(sid);
        let mut seen = vec![false; decl_fields.len()];
        let mut out = Vec::new();
        let mut bad = false;
        for (fname, e) in fields {
            match decl_fields.iter().position(|(n, _)| *n == fname.name) {
                Some(i) => {
                    let te = self.expect(e, &decl_fields[i].1);
                    if seen[i] {
                        self.error(
                            Code::StructLitFields,
                            fname.span,
                            format!("field `{}` is given twice", fname.name),
                        );
                        bad = true;
                    }
                    seen[i] = true;
                    bad |= te.ty.is_error();
                    out.push((i, te));
                }
                None => {
                    self.error(
                        Code::NoSuchField,
                        fname.span,
                        format!("struct `{}` has no field `{}`", name.name, fname.name),
                    );
                    let _ = self.value(e, None);
                    bad = true;
                }
            }
        }
        let missing: Vec<String> = decl_fields
            .iter()
            .zip(&seen)
            .filter(|(_, s)| !**s)
            .map(|((n, _), _)| format!("`{n}`"))
            .collect();
        if !missing.is_empty() {
            self.error(
                Code::StructLitFields,
                span,
                format!(
                    "missing field{} {} in `{}` literal",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", "),
                    name.name
                ),
            );
            bad = true;
        }
        if bad {
            return err_expr(span);
        }
        mk(T::StructLit(out), Ty::Struct(sid), span)
    }

    fn array_lit(&mut self, elems: &[ast::Expr], expected: Option<&Ty>, span: Span) -> tast::Expr {
        let (n, elem) = match expected {
            Some(Ty::Array(n, t)) => (Some(*n), (**t).clone()),
            _ => {
                let Some(first) = elems
                    .iter()
                    .find(|e| !self.is_flexible(e))
                    .or(elems.first())
                else {
                    self.error(
                        Code::CannotInfer,
                        span,
                        "cannot infer the element type of an empty array literal",
                    );
                    return err_expr(span);
                };
                let t = self.value(first, None);
                let t = self.default_null(t);
                (None, t.ty)
            }
        };
        if elem.is_error() {
            return err_expr(span);
        }
        let out: Vec<tast::Expr> = elems.iter().map(|e| self.expect(e, &elem)).collect();
        if let Some(n) = n {
            if n != elems.len() as u64 {
                self.error(
                    Code::ArrayLitLen,
                    span,
                    format!("expected {n} elements, found {}", elems.len()),
                );
                return err_expr(span);
            }
        }
        if out.iter().any(|e| e.ty.is_error()) {
            return err_expr(span);
        }
        let ty = Ty::Array(elems.len() as u64, Box::new(elem));
        mk(T::ArrayLit(out), ty, span)
    }

    // ---------------------------------------------------------------- constant folding

    fn fold(&self, e: &tast::Expr) -> Result<ConstVal, (Code, Span, String)> {
        let not_const = || {
            (
                Code::NotConst,
                e.span,
                "this is not a constant expression".to_string(),
            )
        };
        let overflow = |what: &str| (Code::ConstOverflow, e.span, what.to_string());
        Ok(match &e.kind {
            T::Const(v) => v.clone(),
            T::Unary(op, a) => {
                let v = self.fold(a)?;
                match (op, v, &a.ty) {
                    (UnOp::Not, ConstVal::Bool(b), _) => ConstVal::Bool(!b),
                    (UnOp::Neg, ConstVal::Float(f), _) => ConstVal::Float(-f),
                    (UnOp::Neg, ConstVal::Int(bits), Ty::Int(it)) => {
                        let r = -it.value(bits);
                        if !it.fits(r) && it.signed {
                            return Err(overflow("negation overflows in a constant"));
                        }
                        ConstVal::Int(it.wrap(r))
                    }
                    (UnOp::BitNot, ConstVal::Int(bits), Ty::Int(it)) => {
                        ConstVal::Int(it.wrap(!(bits as i128)))
                    }
                    _ => return Err(not_const()),
                }
            }
            T::Binary(op, a, b) | T::Logic(op, a, b, _) => {
                let (x, y) = (self.fold(a)?, self.fold(b)?);
                fold_binary(*op, &a.ty, &b.ty, x, y)
                    .map_err(|m| (Code::ConstOverflow, e.span, m))?
            }
            T::Cast(a) => {
                let v = self.fold(a)?;
                fold_cast(v, &a.ty, &e.ty).ok_or_else(not_const)?
            }
            T::Cond(c, a, b, _) => match self.fold(c)? {
                ConstVal::Bool(true) => self.fold(a)?,
                ConstVal::Bool(false) => self.fold(b)?,
                _ => return Err(not_const()),
            },
            T::StructLit(fields) => {
                let Ty::Struct(id) = e.ty else {
                    return Err(not_const());
                };
                let n = self.struct_fields[id]
                    .as_ref()
                    .map(|f| f.len())
                    .unwrap_or(0);
                let mut vals = vec![ConstVal::Zero; n];
                for (i, f) in fields {
                    vals[*i] = self.fold(f)?;
                }
                ConstVal::Struct(vals)
            }
            T::ArrayLit(elems) => ConstVal::Array(
                elems
                    .iter()
                    .map(|x| self.fold(x))
                    .collect::<Result<_, _>>()?,
            ),
            T::Field(s, i) => match self.fold(s)? {
                ConstVal::Struct(v) => v[*i].clone(),
                _ => return Err(not_const()),
            },
            _ => return Err(not_const()),
        })
    }
}

fn fold_binary(op: BinOp, ta: &Ty, _tb: &Ty, x: ConstVal, y: ConstVal) -> Result<ConstVal, String> {
    use ConstVal::*;
    let cmp = |o: std::cmp::Ordering| -> bool {
        match op {
            BinOp::Eq => o.is_eq(),
            BinOp::Ne => o.is_ne(),
            BinOp::Lt => o.is_lt(),
            BinOp::Le => o.is_le(),
            BinOp::Gt => o.is_gt(),
            BinOp::Ge => o.is_ge(),
            _ => false,
        }
    };
    match (ta, x, y) {
        (Ty::Bool, Bool(a), Bool(b)) => Ok(Bool(match op {
            BinOp::And => a && b,
            BinOp::Or => a || b,
            BinOp::Eq => a == b,
            BinOp::Ne => a != b,
            _ => return Err("invalid constant operation".into()),
        })),
        (Ty::Int(it), Int(a), Int(b)) => {
            let it = *it;
            let (a, bv) = (it.value(a), b);
            if matches!(op, BinOp::Shl | BinOp::Shr) {
                let amt = (bv as u32) & (it.bits - 1);
                let r = match op {
                    BinOp::Shl => (a << amt) as i128,
                    _ => a >> amt,
                };
                return Ok(Int(it.wrap(r)));
            }
            let b = it.value(bv);
            if op.is_comparison() {
                return Ok(Bool(cmp(a.cmp(&b))));
            }
            let r = match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div | BinOp::Rem => {
                    if b == 0 {
                        return Err("division by zero in a constant expression".into());
                    }
                    if op == BinOp::Div {
                        a / b
                    } else {
                        a % b
                    }
                }
                BinOp::BitAnd => a & b,
                BinOp::BitOr => a | b,
                BinOp::BitXor => a ^ b,
                _ => return Err("invalid constant operation".into()),
            };
            if matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor) {
                return Ok(Int(it.wrap(r)));
            }
            if !it.fits(r) {
                return Err(format!(
                    "constant arithmetic overflows `{}{}`",
                    if it.signed { "i" } else { "u" },
                    it.bits
                ));
            }
            Ok(Int(it.wrap(r)))
        }
        (Ty::F32 | Ty::F64, Float(a), Float(b)) => {
            if op.is_comparison() {
                return Ok(Bool(match op {
                    BinOp::Eq => a == b,
                    BinOp::Ne => a != b,
                    BinOp::Lt => a < b,
                    BinOp::Le => a <= b,
                    BinOp::Gt => a > b,
                    _ => a >= b,
                }));
            }
            let f32op = *ta == Ty::F32;
            let r = if f32op {
                let (a, b) = (a as f32, b as f32);
                (match op {
                    BinOp::Add => a + b,
                    BinOp::Sub => a - b,
                    BinOp::Mul => a * b,
                    BinOp::Div => a / b,
                    _ => return Err("invalid constant operation".into()),
                }) as f64
            } else {
                match op {
                    BinOp::Add => a + b,
                    BinOp::Sub => a - b,
                    BinOp::Mul => a * b,
                    BinOp::Div => a / b,
                    _ => return Err("invalid constant operation".into()),
                }
            };
            Ok(Float(r))
        }
        _ => Err("this operation is not allowed in a constant expression".into()),
    }
}

fn fold_cast(v: ConstVal, from: &Ty, to: &Ty) -> Option<ConstVal> {
    use ConstVal::*;
    Some(match (v, from, to) {
        (Int(bits), Ty::Int(f), Ty::Int(t)) => Int(t.wrap(f.value(bits))),
        (Int(bits), Ty::Int(f), Ty::F64) => Float(if f.signed {
            bits as i64 as f64
        } else {
            bits as f64
        }),
        (Int(bits), Ty::Int(f), Ty::F32) => Float(if f.signed {
            bits as i64 as f32 as f64
        } else {
            bits as f32 as f64
        }),
        (Float(x), _, Ty::F32) => Float(x as f32 as f64),
        (Float(x), _, Ty::F64) => Float(x),
        (Float(x), _, Ty::Int(t)) => {
            // Saturating, NaN to zero (as at run time).
            let v: i128 = if x.is_nan() {
                0
            } else if x >= t.max() as f64 {
                t.max()
            } else if x <= t.min() as f64 {
                t.min()
            } else {
                x.trunc() as i128
            };
            Int(t.wrap(v))
        }
        (Bool(b), Ty::Bool, Ty::Int(t)) => Int(t.wrap(b as i128)),
        (Null, _, Ty::Ptr(_) | Ty::Fn(_)) => Null,
        (v @ (Str(_) | Func(_)), _, Ty::Ptr(_) | Ty::Fn(_)) => v,
        _ => return None,
    })
}

/// True when the expression denotes a memory location that may be assigned.
fn is_place(e: &tast::Expr) -> bool {
    match &e.kind {
        T::Local(_) | T::Global(_) | T::Deref(_) => true,
        T::Index { base, len, .. } => len.is_none() || is_place(base),
        T::Field(base, _) => is_place(base),
        _ => false,
    }
}

/// The variable expression a place is part of, when it is not reached
/// through a pointer.
fn root_place(e: &tast::Expr) -> &tast::Expr {
    match &e.kind {
        T::Index {
            base, len: Some(_), ..
        } => root_place(base),
        T::Field(base, _) => root_place(base),
        _ => e,
    }
}

/// The local a place is part of, when it is not reached through a pointer.
fn root_local(e: &tast::Expr) -> Option<tast::LocalId> {
    match root_place(e).kind {
        T::Local(id) => Some(id),
        _ => None,
    }
}

/// The global a place is part of, when it is not reached through a pointer.
fn root_global(e: &tast::Expr) -> Option<tast::GlobalId> {
    match root_place(e).kind {
        T::Global(id) => Some(id),
        _ => None,
    }
}

/// True when control cannot fall off the end of the block.
fn diverges_block(b: &ast::Block) -> bool {
    b.stmts.iter().any(diverges)
}

fn diverges(s: &ast::Stmt) -> bool {
    match &s.kind {
        ast::StmtKind::Return(_) => true,
        ast::StmtKind::Block(b) => diverges_block(b),
        ast::StmtKind::If {
            then, els: Some(e), ..
        } => diverges_block(then) && diverges(e),
        ast::StmtKind::While { cond, body } => is_true(cond) && !breaks(body),
        ast::StmtKind::For { cond, body, .. } => cond.as_ref().is_none_or(is_true) && !breaks(body),
        _ => false,
    }
}

fn is_true(e: &ast::Expr) -> bool {
    matches!(e.unparen().kind, A::Bool(true))
}

/// True when the block contains a `break` that leaves this loop.
fn breaks(b: &ast::Block) -> bool {
    b.stmts.iter().any(stmt_breaks)
}

fn stmt_breaks(s: &ast::Stmt) -> bool {
    match &s.kind {
        ast::StmtKind::Break => true,
        ast::StmtKind::Block(b) => breaks(b),
        ast::StmtKind::If { then, els, .. } => {
            breaks(then) || els.as_ref().is_some_and(|e| stmt_breaks(e))
        }
        _ => false,
    }
}
