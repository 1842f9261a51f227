//! The checked program: names resolved, every expression typed, constants
//! folded. This is what lowering consumes; of the AST it shares only the
//! operator enums (`ast::BinOp`, `ast::UnOp`), never a syntax node.

pub mod visit;

use crate::ast::{BinOp, UnOp};
use crate::source::Span;
use crate::types::{Layout, StructId, StructNames, Ty};

/// Index of a function (LC or extern) in [`Program::funcs`].
pub type FuncId = usize;
/// Index of a global variable in [`Program::globals`].
pub type GlobalId = usize;
/// Index of a local (parameters first) in [`Func::locals`].
pub type LocalId = usize;
/// Index of a profiling site in [`Func::sites`]: a two-way branch, a loop
/// or an indirect call. The checker numbers them, so every compilation of a
/// function (every tier) refers to one site by one id.
pub type SiteId = u32;

/// What a profiling site is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    /// A two-way decision: `if`, `?:`, `&&`, `||`.
    Branch,
    /// A `while` or `for` loop: its condition and its back edge.
    Loop,
    /// A call through a function pointer.
    IndirectCall,
}

/// A whole checked program.
pub struct Program {
    pub structs: Vec<StructDef>,
    pub globals: Vec<GlobalDef>,
    /// Shared, so an interactive session's next program can reuse the
    /// functions an input did not change.
    pub funcs: Vec<std::rc::Rc<Func>>,
    /// The entry point (none in an interactive session).
    pub main: Option<FuncId>,
    /// The extern functions the checked code calls or takes as a value,
    /// sorted (in a session: the code this input checked, not the
    /// functions it reused), recorded as names are resolved.
    pub used_externs: Vec<FuncId>,
}

/// A struct with its C layout.
pub struct StructDef {
    pub name: String,
    pub fields: Vec<(String, Ty)>,
    /// Byte offset of each field.
    pub offsets: Vec<u64>,
    pub layout: Layout,
}

/// A global variable.
pub struct GlobalDef {
    pub name: String,
    pub ty: Ty,
    pub init: ConstVal,
    pub span: Span,
}

/// A function definition or an extern declaration.
pub struct Func {
    pub name: String,
    pub params: Vec<Ty>,
    pub ret: Ty,
    pub variadic: bool,
    /// `None` for externs.
    pub body: Option<Block>,
    /// Every local, parameters first.
    pub locals: Vec<Local>,
    pub span: Span,
    /// Number of AST nodes in the body (an inlining size estimate).
    pub size: usize,
    /// The body's profiling sites, by [`SiteId`].
    pub sites: Vec<SiteKind>,
}

impl Func {
    /// True for `extern fn` declarations.
    pub fn is_extern(&self) -> bool {
        self.body.is_none()
    }
}

/// A local variable or parameter.
pub struct Local {
    pub name: String,
    pub ty: Ty,
}

/// A compile-time value.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstVal {
    /// Integer bits: sign-extended for signed types, zero-extended otherwise.
    Int(u64),
    Float(f64),
    Bool(bool),
    Null,
    /// A string literal (pointer to static bytes).
    Str(Vec<u8>),
    /// The address of a function.
    Func(FuncId),
    /// Struct fields in declaration order.
    Struct(Vec<ConstVal>),
    Array(Vec<ConstVal>),
    /// All-zero bits of the type.
    Zero,
}

/// `{ ... }`.
#[derive(Debug, Clone)]
pub struct Block {
    pub stmts: Vec<Stmt>,
}

/// A checked statement.
#[derive(Debug, Clone)]
pub enum Stmt {
    /// Declares a local; `None` initialiser means zero.
    Local(LocalId, Option<Expr>),
    /// `place = value` or `place op= value` (the place is evaluated once).
    Assign {
        place: Expr,
        op: Option<BinOp>,
        value: Expr,
        span: Span,
    },
    Expr(Expr),
    If(Expr, Block, Option<Box<Stmt>>, SiteId),
    While(Expr, Block, SiteId),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Block,
        SiteId,
    ),
    Break,
    Continue,
    Return(Option<Expr>),
    Block(Block),
}

/// A checked expression.
#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Ty,
    pub span: Span,
}

/// The builtins (`@name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// The builtin named `name` (without `@`).
    pub fn from_name(name: &str) -> Option<Builtin> {
        Some(match name {
            "popcount" => Builtin::Popcount,
            "clz" => Builtin::Clz,
            "ctz" => Builtin::Ctz,
            "bswap" => Builtin::Bswap,
            "sqrt" => Builtin::Sqrt,
            "fabs" => Builtin::Fabs,
            "floor" => Builtin::Floor,
            "fma" => Builtin::Fma,
            "min" => Builtin::Min,
            "max" => Builtin::Max,
            _ => return None,
        })
    }
}

/// What a call calls.
#[derive(Debug, Clone)]
pub enum Callee {
    /// A named LC function or extern.
    Direct(FuncId),
    /// A function-pointer value, at an indirect-call site.
    Indirect(Box<Expr>, SiteId),
}

/// The expression forms after checking.
#[derive(Debug, Clone)]
pub enum ExprKind {
    Const(ConstVal),
    Local(LocalId),
    Global(GlobalId),
    /// Arithmetic, bitwise and comparison operators on scalars.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `&&` or `||` (short-circuit: a branch site).
    Logic(BinOp, Box<Expr>, Box<Expr>, SiteId),
    /// `-x`, `!b`, `~x` (deref and address-of have their own forms).
    Unary(UnOp, Box<Expr>),
    /// `p + i` / `p - i`, scaled by the element size.
    PtrOffset {
        ptr: Box<Expr>,
        offset: Box<Expr>,
        negate: bool,
    },
    /// `p - q` in elements.
    PtrDiff(Box<Expr>, Box<Expr>),
    Cast(Box<Expr>),
    Deref(Box<Expr>),
    AddrOf(Box<Expr>),
    /// `a[i]` on an array (checked against `len`) or a pointer (`len` None).
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
        len: Option<u64>,
    },
    /// Field `index` of a struct value (pointer bases are wrapped in `Deref`).
    Field(Box<Expr>, usize),
    /// Arguments are already promoted for variadic calls.
    Call(Callee, Vec<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>, SiteId),
    Builtin(Builtin, Vec<Expr>),
    /// `(field index, value)` in source order (the evaluation order).
    StructLit(Vec<(usize, Expr)>),
    ArrayLit(Vec<Expr>),
}

impl StructNames for Program {
    fn struct_name(&self, id: StructId) -> &str {
        &self.structs[id].name
    }
}
