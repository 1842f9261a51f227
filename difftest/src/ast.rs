//! The generator's own small program AST: typed, so both emitters (LC and C)
//! and the reducer work on one representation that is valid by construction.
//! It shares nothing with the compiler's `ast`/`tast` on purpose: the tester
//! must not inherit a bug from the code it tests.

/// An LC integer type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntTy {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

/// Every integer type, for uniform choice.
pub const INT_TYS: [IntTy; 8] = [
    IntTy::I8,
    IntTy::I16,
    IntTy::I32,
    IntTy::I64,
    IntTy::U8,
    IntTy::U16,
    IntTy::U32,
    IntTy::U64,
];

impl IntTy {
    /// Width in bits.
    pub fn bits(self) -> u32 {
        match self {
            IntTy::I8 | IntTy::U8 => 8,
            IntTy::I16 | IntTy::U16 => 16,
            IntTy::I32 | IntTy::U32 => 32,
            IntTy::I64 | IntTy::U64 => 64,
        }
    }

    /// Whether the type is signed.
    pub fn signed(self) -> bool {
        matches!(self, IntTy::I8 | IntTy::I16 | IntTy::I32 | IntTy::I64)
    }

    /// The LC spelling (`i32`), also the literal suffix.
    pub fn lc(self) -> &'static str {
        match self {
            IntTy::I8 => "i8",
            IntTy::I16 => "i16",
            IntTy::I32 => "i32",
            IntTy::I64 => "i64",
            IntTy::U8 => "u8",
            IntTy::U16 => "u16",
            IntTy::U32 => "u32",
            IntTy::U64 => "u64",
        }
    }

    /// The smallest value.
    pub fn min(self) -> i128 {
        if self.signed() {
            -(1i128 << (self.bits() - 1))
        } else {
            0
        }
    }

    /// The largest value.
    pub fn max(self) -> i128 {
        if self.signed() {
            (1i128 << (self.bits() - 1)) - 1
        } else {
            (1i128 << self.bits()) - 1
        }
    }

    /// Wraps `v` into the type's range (two's complement).
    pub fn wrap(self, v: i128) -> i128 {
        let m = 1i128 << self.bits();
        let mut x = v.rem_euclid(m);
        if self.signed() && x > self.max() {
            x -= m;
        }
        x
    }
}

/// A function-pointer signature. Parameters and results are scalars.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sig {
    /// Parameter types.
    pub params: Vec<Ty>,
    /// Result type; `None` returns nothing.
    pub ret: Option<Box<Ty>>,
}

/// An LC type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// An integer type.
    Int(IntTy),
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// `*T`.
    Ptr(Box<Ty>),
    /// `[N]T`.
    Array(u32, Box<Ty>),
    /// A struct, by index into [`Program::structs`].
    Struct(usize),
    /// `fn(..) -> R`.
    Fn(Sig),
}

impl Ty {
    /// `*u8`, the type of string literals.
    pub fn bytes() -> Ty {
        Ty::Ptr(Box::new(Ty::Int(IntTy::U8)))
    }

    /// The integer type, if this is one.
    pub fn int(&self) -> Option<IntTy> {
        match self {
            Ty::Int(t) => Some(*t),
            _ => None,
        }
    }

    /// Whether this is `f32` or `f64`.
    pub fn is_float(&self) -> bool {
        matches!(self, Ty::F32 | Ty::F64)
    }
}

/// A unary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// `-x`.
    Neg,
    /// `~x`.
    BitNot,
    /// `!b`.
    Not,
}

/// A binary operator. `+`/`-` also cover pointer arithmetic, told apart by
/// the operand types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
    Xor,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    LAnd,
    LOr,
}

impl BinOp {
    /// The operator's spelling (the same in LC and C).
    pub fn text(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::And => "&",
            BinOp::Or => "|",
            BinOp::Xor => "^",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::LAnd => "&&",
            BinOp::LOr => "||",
        }
    }

    /// Whether the result is `bool` (comparisons and logical operators).
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq
                | BinOp::Ne
                | BinOp::Lt
                | BinOp::Le
                | BinOp::Gt
                | BinOp::Ge
                | BinOp::LAnd
                | BinOp::LOr
        )
    }
}

/// A builtin (`@name`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Popcount,
    Clz,
    Ctz,
    Bswap,
    Sqrt,
    Fabs,
    Floor,
    Fma,
    Min,
    Max,
}

impl Builtin {
    /// The LC name without `@`.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Popcount => "popcount",
            Builtin::Clz => "clz",
            Builtin::Ctz => "ctz",
            Builtin::Bswap => "bswap",
            Builtin::Sqrt => "sqrt",
            Builtin::Fabs => "fabs",
            Builtin::Floor => "floor",
            Builtin::Fma => "fma",
            Builtin::Min => "min",
            Builtin::Max => "max",
        }
    }
}

/// Identifies an AST node that can trap, so the C twin reports the position
/// the LC emitter wrote it at.
pub type NodeId = u32;

/// A typed expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// Unique within the program (positions of traps are keyed by it).
    pub id: NodeId,
    /// The expression's type.
    pub ty: Ty,
    /// What it is.
    pub kind: ExprKind,
}

/// The expression forms.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// An integer literal of `ty`.
    Int(i128),
    /// A float literal of `ty` (`f32` values are stored widened, exactly).
    Float(f64),
    /// `true` / `false`.
    Bool(bool),
    /// A string literal (`*u8`); ASCII without quotes or backslashes.
    Str(String),
    /// `null` of a pointer or function-pointer type.
    Null,
    /// A local, parameter or global.
    Var(String),
    /// A function's name used as a value.
    FnRef(String),
    /// `sizeof(T)` (`u64`): the C layout, so the twin's `sizeof` checks it.
    SizeOf(Ty),
    /// A unary operation.
    Unary(UnOp, Box<Expr>),
    /// A binary operation (arithmetic, pointer arithmetic, comparison, logic).
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `c ? a : b`.
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `e as ty`.
    Cast(Box<Expr>),
    /// `a[i]` on an array (bounds-checked).
    Index(Box<Expr>, Box<Expr>),
    /// `p[i]` on a pointer (unchecked).
    PtrIndex(Box<Expr>, Box<Expr>),
    /// `s.f` on a struct value or a pointer to a struct; the field's index.
    Field(Box<Expr>, usize),
    /// `*p`.
    Deref(Box<Expr>),
    /// `&place`.
    AddrOf(Box<Expr>),
    /// A call: the callee is a [`ExprKind::FnRef`] (direct) or any
    /// function-pointer value.
    Call(Box<Expr>, Vec<Expr>),
    /// `@name(args)`.
    Builtin(Builtin, Vec<Expr>),
    /// `S { f: e, .. }`, every field in order.
    StructLit(Vec<Expr>),
    /// `[a, b, ..]`.
    ArrayLit(Vec<Expr>),
}

/// A statement.
#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    /// `var name: ty = init;` (`let` when not mutable).
    Let {
        name: String,
        ty: Ty,
        mutable: bool,
        init: Option<Expr>,
    },
    /// `place = value;` or `place op= value;`; `id` positions a trap of `/=`, `%=`.
    Assign {
        id: NodeId,
        place: Expr,
        op: Option<BinOp>,
        value: Expr,
    },
    /// Adds a value to the checksum (a call of the prelude's `mix*`).
    Mix(Expr),
    /// A call whose result, if any, is dropped.
    Call(Expr),
    /// `if (c) { .. } else { .. }`.
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `for (var v: i64 = 0; v < count; v += 1) { .. }`, or with `while_loop`
    /// `var v: i64 = -1; while (v < count - 1) { v += 1; .. }`.
    For {
        var: String,
        count: u32,
        body: Vec<Stmt>,
        while_loop: bool,
    },
    /// `break;`.
    Break,
    /// `continue;`.
    Continue,
    /// `return;` / `return e;`.
    Return(Option<Expr>),
    /// Prints the checksum so far (`printf`).
    Print,
}

/// A struct declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    /// Its name.
    pub name: String,
    /// Field names and types, in order.
    pub fields: Vec<(String, Ty)>,
}

/// A global `var`.
#[derive(Clone, Debug, PartialEq)]
pub struct Global {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Ty,
    /// A constant initialiser (zero when absent).
    pub init: Option<Expr>,
}

/// A function definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Func {
    /// Its name (`main` for the entry point).
    pub name: String,
    /// Parameter names and types.
    pub params: Vec<(String, Ty)>,
    /// Result type; `None` returns nothing.
    pub ret: Option<Ty>,
    /// The body; ends in a `return` when `ret` is set.
    pub body: Vec<Stmt>,
}

/// A whole generated program (the fixed prelude of checksum helpers is added
/// by the emitters).
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// The seed it was generated from.
    pub seed: u64,
    /// Struct declarations; a struct refers only to earlier ones.
    pub structs: Vec<StructDef>,
    /// Global variables.
    pub globals: Vec<Global>,
    /// Functions; `main` is last.
    pub funcs: Vec<Func>,
}

impl Program {
    /// The signature of function `name`.
    pub fn sig_of(&self, name: &str) -> Option<Sig> {
        self.funcs.iter().find(|f| f.name == name).map(|f| Sig {
            params: f.params.iter().map(|p| p.1.clone()).collect(),
            ret: f.ret.clone().map(Box::new),
        })
    }
}

/// Visits every expression of a statement list, outermost first, mutably.
pub fn walk_stmts_mut(stmts: &mut [Stmt], f: &mut dyn FnMut(&mut Expr)) {
    for s in stmts {
        match s {
            Stmt::Let { init, .. } => {
                if let Some(e) = init {
                    walk_expr_mut(e, f)
                }
            }
            Stmt::Assign { place, value, .. } => {
                walk_expr_mut(place, f);
                walk_expr_mut(value, f);
            }
            Stmt::Mix(e) | Stmt::Call(e) => walk_expr_mut(e, f),
            Stmt::If(c, a, b) => {
                walk_expr_mut(c, f);
                walk_stmts_mut(a, f);
                walk_stmts_mut(b, f);
            }
            Stmt::For { body, .. } => walk_stmts_mut(body, f),
            Stmt::Return(Some(e)) => walk_expr_mut(e, f),
            Stmt::Return(None) | Stmt::Break | Stmt::Continue | Stmt::Print => {}
        }
    }
}

/// Visits `e` and its subexpressions, outermost first, mutably.
pub fn walk_expr_mut(e: &mut Expr, f: &mut dyn FnMut(&mut Expr)) {
    f(e);
    for c in children_mut(e) {
        walk_expr_mut(c, f);
    }
}

/// The direct subexpressions of `e`.
pub fn children_mut(e: &mut Expr) -> Vec<&mut Expr> {
    match &mut e.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Bool(_)
        | ExprKind::Str(_)
        | ExprKind::Null
        | ExprKind::Var(_)
        | ExprKind::FnRef(_)
        | ExprKind::SizeOf(_) => vec![],
        ExprKind::Unary(_, a)
        | ExprKind::Cast(a)
        | ExprKind::Field(a, _)
        | ExprKind::Deref(a)
        | ExprKind::AddrOf(a) => {
            vec![a.as_mut()]
        }
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) | ExprKind::PtrIndex(a, b) => {
            vec![a.as_mut(), b.as_mut()]
        }
        ExprKind::Cond(c, a, b) => vec![c.as_mut(), a.as_mut(), b.as_mut()],
        ExprKind::Call(c, args) => {
            let mut v = vec![c.as_mut()];
            v.extend(args.iter_mut());
            v
        }
        ExprKind::Builtin(_, args) | ExprKind::StructLit(args) | ExprKind::ArrayLit(args) => {
            args.iter_mut().collect()
        }
    }
}
