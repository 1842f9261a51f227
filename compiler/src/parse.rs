//! Parsing: runs the lexer and the lalrpop parser over one file, turns syntax
//! errors into diagnostics (the parser recovers and goes on), and rejects
//! trees nested too deeply for the later stages.

use crate::ast::*;
use crate::diag::{Code, Diagnostic};
use crate::lexer::{self, Tok};
use crate::source::{FileId, Span};
use lalrpop_util::{lalrpop_mod, ErrorRecovery, ParseError};

lalrpop_mod!(
    #[allow(clippy::all, unused, missing_docs)]
    grammar
);

/// Deepest expression or statement nesting accepted.
pub const MAX_DEPTH: usize = 10_000;

/// Parses one file. Never fails: gives the tree it could build plus diagnostics.
pub fn parse_file(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> File {
    let Some(tokens) = lexer::lex(file, text, diags) else {
        return File::default();
    };
    let mut recovered: Vec<ErrorRecovery<usize, Tok, ()>> = Vec::new();
    let parser = grammar::FileParser::new();
    let result = parser.parse(file, &mut recovered, tokens.into_iter().map(Ok::<_, ()>));
    for r in recovered {
        diags.push(syntax_error(file, text, r.error));
    }
    match result {
        Ok(f) => {
            check_depth(&f, diags);
            f
        }
        Err(e) => {
            diags.push(syntax_error(file, text, e));
            File::default()
        }
    }
}

fn describe_expected(expected: &[String]) -> String {
    let mut names: Vec<String> = expected
        .iter()
        .map(|e| e.trim_matches('"').replace("\\\"", "\""))
        .collect();
    names.sort();
    names.dedup();
    let names: Vec<String> = names
        .into_iter()
        .map(|n| match n.as_str() {
            "IDENT" => "identifier".to_string(),
            "NUMBER" => "number".to_string(),
            "STR" => "string".to_string(),
            "CHAR" => "character".to_string(),
            "BUILTIN" => "builtin".to_string(),
            other => format!("`{other}`"),
        })
        .collect();
    if names.is_empty() {
        String::new()
    } else if names.len() > 8 {
        format!(", expected one of {} or others", names[..8].join(", "))
    } else {
        format!(", expected {}", names.join(", "))
    }
}

fn syntax_error(file: FileId, text: &str, e: ParseError<usize, Tok, ()>) -> Diagnostic {
    match e {
        ParseError::InvalidToken { location } => Diagnostic::new(
            Code::Syntax,
            Span::new(file, location, location + 1),
            "invalid token",
        ),
        ParseError::UnrecognizedEof { location, expected } => Diagnostic::new(
            Code::UnexpectedEof,
            Span::new(file, location, location),
            format!("unexpected end of file{}", describe_expected(&expected)),
        ),
        ParseError::UnrecognizedToken {
            token: (l, _, r),
            expected,
        } => Diagnostic::new(
            Code::Syntax,
            Span::new(file, l, r),
            format!(
                "unexpected `{}`{}",
                text.get(l..r).unwrap_or("?"),
                describe_expected(&expected)
            ),
        ),
        ParseError::ExtraToken { token: (l, _, r) } => Diagnostic::new(
            Code::Syntax,
            Span::new(file, l, r),
            format!("unexpected `{}`", text.get(l..r).unwrap_or("?")),
        ),
        ParseError::User { .. } => {
            Diagnostic::new(Code::Syntax, Span::new(file, 0, 0), "syntax error")
        }
    }
}

fn check_depth(f: &File, diags: &mut Vec<Diagnostic>) {
    let mut reported = false;
    for item in &f.items {
        match item {
            Item::Fn(func) => {
                for s in &func.body.stmts {
                    stmt_depth(s, 1, diags, &mut reported);
                }
            }
            Item::Const(g) | Item::Global(g) => {
                if let Some(e) = &g.init {
                    expr_depth(e, 1, diags, &mut reported);
                }
            }
            _ => {}
        }
    }
}

fn too_deep(span: Span, diags: &mut Vec<Diagnostic>, reported: &mut bool) -> bool {
    if !*reported {
        diags.push(Diagnostic::new(
            Code::TooDeep,
            span,
            format!("code nested deeper than {MAX_DEPTH} levels"),
        ));
        *reported = true;
    }
    true
}

fn stmt_depth(s: &Stmt, d: usize, diags: &mut Vec<Diagnostic>, reported: &mut bool) {
    if *reported {
        return;
    }
    if d > MAX_DEPTH {
        too_deep(s.span, diags, reported);
        return;
    }
    let block = |b: &Block, diags: &mut Vec<Diagnostic>, reported: &mut bool| {
        for s in &b.stmts {
            stmt_depth(s, d + 1, diags, reported);
        }
    };
    match &s.kind {
        StmtKind::Local { init, .. } => {
            if let Some(e) = init {
                expr_depth(e, d + 1, diags, reported);
            }
        }
        StmtKind::Assign { place, value, .. } => {
            expr_depth(place, d + 1, diags, reported);
            expr_depth(value, d + 1, diags, reported);
        }
        StmtKind::Expr(e) => expr_depth(e, d + 1, diags, reported),
        StmtKind::Return(e) => {
            if let Some(e) = e {
                expr_depth(e, d + 1, diags, reported);
            }
        }
        StmtKind::If { cond, then, els } => {
            expr_depth(cond, d + 1, diags, reported);
            block(then, diags, reported);
            if let Some(e) = els {
                stmt_depth(e, d + 1, diags, reported);
            }
        }
        StmtKind::While { cond, body } => {
            expr_depth(cond, d + 1, diags, reported);
            block(body, diags, reported);
        }
        StmtKind::For {
            init,
            cond,
            step,
            body,
        } => {
            if let Some(s) = init {
                stmt_depth(s, d + 1, diags, reported);
            }
            if let Some(e) = cond {
                expr_depth(e, d + 1, diags, reported);
            }
            if let Some(s) = step {
                stmt_depth(s, d + 1, diags, reported);
            }
            block(body, diags, reported);
        }
        StmtKind::Block(b) => block(b, diags, reported),
        StmtKind::Break | StmtKind::Continue | StmtKind::Error => {}
    }
}

fn expr_depth(e: &Expr, d: usize, diags: &mut Vec<Diagnostic>, reported: &mut bool) {
    if *reported {
        return;
    }
    if d > MAX_DEPTH {
        too_deep(e.span, diags, reported);
        return;
    }
    let d = d + 1;
    match &e.kind {
        ExprKind::Unary(_, a)
        | ExprKind::Paren(a)
        | ExprKind::Cast(a, _)
        | ExprKind::Field(a, _) => {
            expr_depth(a, d, diags, reported)
        }
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
            expr_depth(a, d, diags, reported);
            expr_depth(b, d, diags, reported);
        }
        ExprKind::Call(f, args) => {
            expr_depth(f, d, diags, reported);
            for a in args {
                expr_depth(a, d, diags, reported);
            }
        }
        ExprKind::Cond(a, b, c) => {
            expr_depth(a, d, diags, reported);
            expr_depth(b, d, diags, reported);
            expr_depth(c, d, diags, reported);
        }
        ExprKind::Builtin(_, args) | ExprKind::ArrayLit(args) => {
            for a in args {
                expr_depth(a, d, diags, reported);
            }
        }
        ExprKind::StructLit(_, fields) => {
            for (_, a) in fields {
                expr_depth(a, d, diags, reported);
            }
        }
        _ => {}
    }
}
