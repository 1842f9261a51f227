//! The abstract syntax tree the parser produces: every node carries its span.

use crate::source::Span;

/// A parsed source file.
#[derive(Debug, Default)]
pub struct File {
    /// Top-level items in source order.
    pub items: Vec<Item>,
}

/// One input of an interactive session: its items, its statements in
/// order, and a trailing expression written without `;`.
#[derive(Debug, Default)]
pub struct Input {
    pub items: Vec<Item>,
    pub stmts: Vec<Stmt>,
    pub result: Option<Expr>,
}

/// A name with the span where it is written.
#[derive(Debug, Clone)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// A top-level declaration.
#[derive(Debug)]
pub enum Item {
    /// `fn name(params) -> ret { body }`.
    Fn(FnDecl),
    /// `extern fn name(params, ...) -> ret;`.
    Extern(ExternDecl),
    /// `struct Name { fields }`.
    Struct(StructDecl),
    /// `const NAME: T = e;`.
    Const(GlobalDecl),
    /// `var name: T = e;`.
    Global(GlobalDecl),
    /// `import "path";`.
    Import(ImportDecl),
}

/// A function definition.
#[derive(Debug)]
pub struct FnDecl {
    pub name: Ident,
    pub params: Vec<Param>,
    pub ret: Option<TypeExpr>,
    pub body: Block,
    pub span: Span,
    /// True when the parser recovered from a syntax error inside the body
    /// (so what the body does on every path is not known).
    pub recovered: bool,
}

/// An external (C ABI) function declaration.
#[derive(Debug)]
pub struct ExternDecl {
    pub name: Ident,
    pub params: Vec<Param>,
    pub variadic: bool,
    pub ret: Option<TypeExpr>,
    pub span: Span,
}

/// A parameter or struct field: `name: T`.
#[derive(Debug)]
pub struct Param {
    pub name: Ident,
    pub ty: TypeExpr,
}

/// A struct declaration.
#[derive(Debug)]
pub struct StructDecl {
    pub name: Ident,
    pub fields: Vec<Param>,
    pub span: Span,
}

/// A `const` or global `var` declaration.
#[derive(Debug)]
pub struct GlobalDecl {
    pub name: Ident,
    pub ty: Option<TypeExpr>,
    pub init: Option<Expr>,
    pub span: Span,
}

/// `import "path";`.
#[derive(Debug)]
pub struct ImportDecl {
    pub path: Vec<u8>,
    pub span: Span,
}

/// A type as written.
#[derive(Debug, Clone)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    pub span: Span,
}

/// The shapes of written types.
#[derive(Debug, Clone)]
pub enum TypeExprKind {
    /// A primitive or struct name.
    Named(String),
    /// `*T`.
    Ptr(Box<TypeExpr>),
    /// `[N]T`.
    Array(Box<Expr>, Box<TypeExpr>),
    /// `fn(T, U) -> R`.
    Fn(Vec<TypeExpr>, Option<Box<TypeExpr>>),
}

/// `{ stmts }`.
#[derive(Debug, Clone)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

/// A statement.
#[derive(Debug, Clone)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

/// The statement forms.
#[derive(Debug, Clone)]
pub enum StmtKind {
    /// `let`/`var` binding.
    Local {
        mutable: bool,
        name: Ident,
        ty: Option<TypeExpr>,
        init: Option<Expr>,
    },
    /// `place = e` or `place op= e`.
    Assign {
        op: Option<BinOp>,
        place: Expr,
        value: Expr,
    },
    /// `e;`.
    Expr(Expr),
    /// `if (c) {..} else ..`.
    If {
        cond: Expr,
        then: Block,
        els: Option<Box<Stmt>>,
    },
    /// `while (c) {..}`.
    While { cond: Expr, body: Block },
    /// `for (init; cond; step) {..}`.
    For {
        init: Option<Box<Stmt>>,
        cond: Option<Expr>,
        step: Option<Box<Stmt>>,
        body: Block,
    },
    /// `break;`.
    Break,
    /// `continue;`.
    Continue,
    /// `return;` / `return e;`.
    Return(Option<Expr>),
    /// `{ .. }`.
    Block(Block),
    /// A statement the parser could not read (already reported), with the
    /// names its text declares (`let x`, `var y`), so later uses of them are
    /// not reported as unknown.
    Error(Vec<Ident>),
}

/// An expression.
#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// An integer literal as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntLit {
    /// The value (literals above `u64::MAX` were already rejected).
    pub value: u64,
    /// Explicit type suffix.
    pub suffix: Option<&'static str>,
}

/// A float literal as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloatLit {
    pub value: f64,
    pub suffix: Option<&'static str>,
}

/// The expression forms.
#[derive(Debug, Clone)]
pub enum ExprKind {
    Int(IntLit),
    Float(FloatLit),
    Bool(bool),
    Char(u8),
    Str(Vec<u8>),
    Null,
    Name(String),
    /// `(e)`: kept so that `-(5)` is negation, not the literal `-5`.
    Paren(Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Cast(Box<Expr>, TypeExpr),
    Call(Box<Expr>, Vec<Expr>),
    Index(Box<Expr>, Box<Expr>),
    Field(Box<Expr>, Ident),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    SizeOf(TypeExpr),
    Builtin(Ident, Vec<Expr>),
    StructLit(Ident, Vec<(Ident, Expr)>),
    ArrayLit(Vec<Expr>),
    /// An expression the parser could not read (already reported).
    Error,
}

impl Expr {
    /// The expression inside any parentheses.
    pub fn unparen(&self) -> &Expr {
        let mut e = self;
        while let ExprKind::Paren(inner) = &e.kind {
            e = inner;
        }
        e
    }
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
    BitNot,
    Deref,
    AddrOf,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Shl,
    Shr,
    BitAnd,
    BitXor,
    BitOr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            Mul => "*",
            Div => "/",
            Rem => "%",
            Add => "+",
            Sub => "-",
            Shl => "<<",
            Shr => ">>",
            BitAnd => "&",
            BitXor => "^",
            BitOr => "|",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            And => "&&",
            Or => "||",
        }
    }

    /// True for `== != < <= > >=`.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }
}
