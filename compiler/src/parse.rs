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

/// A syntax error the parser recovered from, and where the statement or
/// item it was reading starts (for hints).
pub struct Recovered {
    pub error: ErrorRecovery<usize, Tok, ()>,
    pub start: usize,
    /// True when recovery skipped whole items (at top level).
    pub item: bool,
}

impl Recovered {
    /// An error recovered from inside a statement starting at `start`.
    pub fn stmt(error: ErrorRecovery<usize, Tok, ()>, start: usize) -> Recovered {
        Recovered {
            error,
            start,
            item: false,
        }
    }
}

/// Parses one file. Never fails: gives the tree it could build plus diagnostics.
pub fn parse_file(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> File {
    let parsed = parse_with(file, text, diags, |tokens, recovered| {
        grammar::FileParser::new().parse(file, recovered, tokens)
    });
    let Some((mut f, errors, syntax)) = parsed.tree else {
        return File::default();
    };
    for item in &mut f.items {
        mark_recovered(item, &errors, &syntax);
    }
    check_depth(&f.items, &[], diags);
    f
}

/// Parses one expression (a REPL's `:type`).
pub fn parse_expr(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Expr> {
    let parsed = parse_with(file, text, diags, |tokens, recovered| {
        grammar::ExprParser::new().parse(file, recovered, tokens)
    });
    let (e, _, _) = parsed.tree?;
    expr_depth(&e, 1, diags, &mut false);
    Some(e)
}

/// What parsing an interactive session's input gave.
pub struct ParsedInput {
    pub input: Input,
    /// True when the text ends inside an unfinished construct (open
    /// brackets, a statement without its `;`, a block comment): more
    /// lines would complete it. Its diagnostics are then only provisional.
    pub incomplete: bool,
}

/// Parses one input of an interactive session.
pub fn parse_input(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> ParsedInput {
    let first = diags.len();
    let parsed = parse_with(file, text, diags, |tokens, recovered| {
        grammar::InputParser::new().parse(file, recovered, tokens)
    });
    let brackets = brackets(file, text);
    if let Brackets::Unmatched(Some(at)) = &brackets {
        stray_bracket(file, text, at.clone(), &mut diags[first..]);
    }
    let incomplete = diags[first..]
        .iter()
        .any(|d| d.code == Code::UnterminatedComment)
        || match brackets {
            Brackets::Open => true,
            Brackets::Unmatched(_) => false,
            Brackets::Balanced => parsed.at_eof,
        };
    let Some((mut input, errors, syntax)) = parsed.tree else {
        return ParsedInput {
            input: Input::default(),
            incomplete,
        };
    };
    for item in &mut input.items {
        mark_recovered(item, &errors, &syntax);
    }
    if !errors.is_empty() {
        syntax.fill_error_decls(&mut input.stmts);
    }
    check_depth(&input.items, &input.stmts, diags);
    if let Some(e) = &input.result {
        expr_depth(e, 1, diags, &mut false);
    }
    ParsedInput { input, incomplete }
}

/// How the brackets of a text nest.
enum Brackets {
    Balanced,
    /// Some are still open at the end.
    Open,
    /// A closing bracket (this token, when the text lexes) closes nothing,
    /// or the wrong kind.
    Unmatched(Option<(usize, Tok, usize)>),
}

fn brackets(file: FileId, text: &str) -> Brackets {
    let mut scratch = Vec::new();
    let Some(tokens) = lexer::lex(file, text, &mut scratch) else {
        return Brackets::Unmatched(None);
    };
    let mut open = Vec::new();
    for (l, t, r) in &tokens {
        match t {
            Tok::LParen | Tok::LBracket | Tok::LBrace => open.push(t.clone()),
            Tok::RParen | Tok::RBracket | Tok::RBrace => {
                let want = match t {
                    Tok::RParen => Tok::LParen,
                    Tok::RBracket => Tok::LBracket,
                    _ => Tok::LBrace,
                };
                if open.pop() != Some(want) {
                    return Brackets::Unmatched(Some((*l, t.clone(), *r)));
                }
            }
            _ => {}
        }
    }
    if open.is_empty() {
        Brackets::Balanced
    } else {
        Brackets::Open
    }
}

/// An input with a closing bracket `at` that closes nothing ends there, but
/// the parser's recovery may skip the bracket looking for a `;` and then
/// report the end of the text (E0011). The error is the bracket: reported
/// at it, with what the text before it expects, as a file's would be.
fn stray_bracket(file: FileId, text: &str, at: (usize, Tok, usize), diags: &mut [Diagnostic]) {
    let earlier = diags
        .iter()
        .any(|d| d.code != Code::UnexpectedEof && d.span.start as usize <= at.0);
    let Some(eof) = diags.iter_mut().find(|d| d.code == Code::UnexpectedEof) else {
        return;
    };
    if earlier {
        return;
    }
    let mut scratch = Vec::new();
    let (Some(tokens), Some(before)) = (
        lexer::lex(file, text, &mut scratch),
        lexer::lex(file, &text[..at.0], &mut scratch),
    ) else {
        return;
    };
    // What the text before the bracket expects next: the error at its end.
    let mut recovered: Vec<Recovered> = Vec::new();
    let ok: fn((usize, Tok, usize)) -> Result<(usize, Tok, usize), ()> = Ok;
    let result =
        grammar::InputParser::new().parse(file, &mut recovered, before.into_iter().map(ok));
    let expected = recovered
        .into_iter()
        .map(|r| r.error.error)
        .chain(result.err())
        .find_map(|e| match e {
            ParseError::UnrecognizedEof { expected, .. } => Some(expected),
            _ => None,
        })
        .unwrap_or_default();
    let syntax = Syntax {
        file,
        text,
        tokens,
        unterminated: Vec::new(),
    };
    let error = ParseError::UnrecognizedToken {
        token: at,
        expected,
    };
    if let Some(d) = syntax.diagnostic(&error, 0) {
        *eof = d;
    }
}

/// A parse: the tree (with where the errors recovered from are, and the
/// text for more diagnostics), and whether an error was the end of the
/// text.
struct Parsed<'a, T> {
    tree: Option<(T, Vec<usize>, Syntax<'a>)>,
    at_eof: bool,
}

type Tokens<'t> = std::iter::Map<
    std::iter::Cloned<std::slice::Iter<'t, (usize, Tok, usize)>>,
    fn((usize, Tok, usize)) -> Result<(usize, Tok, usize), ()>,
>;

/// Runs the lexer and `parse` over `text`, turning the syntax errors into
/// diagnostics.
fn parse_with<'a, T>(
    file: FileId,
    text: &'a str,
    diags: &mut Vec<Diagnostic>,
    parse: impl for<'t> FnOnce(Tokens<'t>, &mut Vec<Recovered>) -> Result<T, ParseError<usize, Tok, ()>>,
) -> Parsed<'a, T> {
    let lexer_errors = diags.len();
    let Some(tokens) = lexer::lex(file, text, diags) else {
        return Parsed {
            tree: None,
            at_eof: false,
        };
    };
    let unterminated = diags[lexer_errors..]
        .iter()
        .filter(|d| d.code == Code::UnterminatedString)
        .map(|d| d.span.start as usize)
        .collect();
    let mut recovered: Vec<Recovered> = Vec::new();
    let ok: fn((usize, Tok, usize)) -> Result<(usize, Tok, usize), ()> = Ok;
    let result = parse(tokens.iter().cloned().map(ok), &mut recovered);
    let syntax = Syntax {
        file,
        text,
        tokens,
        unterminated,
    };
    // Unfinished text: the first error is the end of the text (an earlier
    // error stands whatever follows).
    let first_at_eof = recovered
        .first()
        .map(|r| matches!(r.error.error, ParseError::UnrecognizedEof { .. }));
    // A second error in a statement that already had one is a follow-on
    // of the first: not reported.
    let mut previous: Option<usize> = None;
    for r in &recovered {
        let at = error_location(&r.error.error);
        if r.item || previous.is_none_or(|p| r.start >= p) {
            diags.extend(syntax.diagnostic(&r.error.error, r.start));
        }
        previous = Some(at);
    }
    match result {
        Ok(tree) => {
            let errors: Vec<usize> = recovered
                .iter()
                .map(|r| error_location(&r.error.error))
                .collect();
            Parsed {
                tree: Some((tree, errors, syntax)),
                at_eof: first_at_eof.unwrap_or(false),
            }
        }
        Err(e) => {
            let at_eof = first_at_eof.unwrap_or(matches!(e, ParseError::UnrecognizedEof { .. }));
            diags.extend(syntax.diagnostic(&e, 0));
            Parsed { tree: None, at_eof }
        }
    }
}

/// Marks a function whose body had a syntax error recovered from (so the
/// checker does not judge what its body does on every path).
fn mark_recovered(item: &mut Item, errors: &[usize], syntax: &Syntax) {
    if let Item::Fn(func) = item {
        let body = func.body.span;
        func.recovered = errors
            .iter()
            .any(|&at| body.start as usize <= at && at <= body.end as usize);
        if func.recovered {
            syntax.fill_error_decls(&mut func.body.stmts);
        }
    }
}

fn error_location(e: &ParseError<usize, Tok, ()>) -> usize {
    match e {
        ParseError::InvalidToken { location } | ParseError::UnrecognizedEof { location, .. } => {
            *location
        }
        ParseError::UnrecognizedToken { token, .. } | ParseError::ExtraToken { token } => token.0,
        ParseError::User { .. } => 0,
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

fn expects(expected: &[String], token: &str) -> bool {
    expected.iter().any(|e| e.trim_matches('"') == token)
}

/// One file's text and tokens, for turning parse errors into diagnostics.
struct Syntax<'a> {
    file: FileId,
    text: &'a str,
    tokens: Vec<(usize, Tok, usize)>,
    /// Where the unterminated string literals the lexer reported start.
    unterminated: Vec<usize>,
}

impl Syntax<'_> {
    fn span(&self, l: usize, r: usize) -> Span {
        Span::new(self.file, l, r)
    }

    /// The index of the token starting at `offset` (or the next one).
    fn index_at(&self, offset: usize) -> usize {
        self.tokens.partition_point(|t| t.0 < offset)
    }

    /// The token `k` places before token `i`.
    fn before(&self, i: usize, k: usize) -> Option<&(usize, Tok, usize)> {
        i.checked_sub(k).and_then(|j| self.tokens.get(j))
    }

    /// True when the token before token `i` is an unterminated string: the
    /// lexer reported it, and what follows on the next line is no news.
    fn after_unterminated(&self, i: usize) -> bool {
        self.before(i, 1)
            .is_some_and(|t| matches!(t.1, Tok::Str(_)) && self.unterminated.contains(&t.0))
    }

    /// The diagnostic for a syntax error, or `None` when an earlier lexer
    /// error already explains it. `start` is where the statement or item
    /// being read starts.
    fn diagnostic(&self, e: &ParseError<usize, Tok, ()>, start: usize) -> Option<Diagnostic> {
        Some(match e {
            ParseError::InvalidToken { location } => Diagnostic::new(
                Code::Syntax,
                self.span(*location, location + 1),
                "invalid token",
            ),
            ParseError::UnrecognizedEof { location, expected } => {
                if self.after_unterminated(self.tokens.len()) {
                    return None;
                }
                Diagnostic::new(
                    Code::UnexpectedEof,
                    self.span(*location, *location),
                    format!("unexpected end of file{}", describe_expected(expected)),
                )
            }
            ParseError::UnrecognizedToken {
                token: (l, _, r),
                expected,
            } => {
                let i = self.index_at(*l);
                if self.after_unterminated(i) {
                    return None;
                }
                let found = self.text.get(*l..*r).unwrap_or("?");
                let prev = self.before(i, 1);
                let missing_semi = expects(expected, ";")
                    && prev.is_some_and(|p| {
                        self.text.get(p.2..*l).is_some_and(|gap| gap.contains('\n'))
                    });
                let mut d = match prev {
                    Some(p) if missing_semi => Diagnostic::new(
                        Code::Syntax,
                        self.span(p.0, p.2),
                        format!("expected `;` after this, found `{found}`"),
                    )
                    .label(self.span(*l, *r), format!("unexpected `{found}`")),
                    _ => Diagnostic::new(
                        Code::Syntax,
                        self.span(*l, *r),
                        format!("unexpected `{found}`{}", describe_expected(expected)),
                    ),
                };
                if let Some(hint) = self.hint(i, start) {
                    d = d.note(hint);
                }
                d
            }
            ParseError::ExtraToken { token: (l, _, r) } => Diagnostic::new(
                Code::Syntax,
                self.span(*l, *r),
                format!("unexpected `{}`", self.text.get(*l..*r).unwrap_or("?")),
            ),
            ParseError::User { .. } => {
                Diagnostic::new(Code::Syntax, self.span(0, 0), "syntax error")
            }
        })
    }

    /// A note for the C habits that cause a syntax error at token `i`.
    fn hint(&self, i: usize, start: usize) -> Option<String> {
        let tok = &self.tokens.get(i)?.1;
        let next = |k: usize| self.tokens.get(i + k);
        let ident = |t: Option<&(usize, Tok, usize)>| match t {
            Some((_, Tok::Ident(n), _)) => n.clone(),
            _ => "x".to_string(),
        };
        let adjacent =
            |a: Option<&(usize, Tok, usize)>, b: Option<&(usize, Tok, usize)>| match (a, b) {
                (Some(a), Some(b)) => a.2 == b.0,
                _ => false,
            };
        let here = self.tokens.get(i);
        // The statement starts with the identifier `word`, then `then`.
        let starts_with = |word: &str, then: Tok| {
            let k = self.index_at(start);
            matches!(self.tokens.get(k), Some((_, Tok::Ident(n), _)) if n == word)
                && self.tokens.get(k + 1).is_some_and(|t| t.1 == then)
        };
        if *tok == Tok::Plus {
            let prev = self.before(i, 1);
            if prev.is_some_and(|p| p.1 == Tok::Plus) && adjacent(prev, here) {
                return Some(format!(
                    "LC has no `++`: write `{} += 1`",
                    ident(self.before(i, 2))
                ));
            }
            if next(1).is_some_and(|n| n.1 == Tok::Plus) && adjacent(here, next(1)) {
                return Some(format!("LC has no `++`: write `{} += 1`", ident(next(2))));
            }
        }
        let (m1, m2) = (self.before(i, 1), self.before(i, 2));
        if m1.is_some_and(|t| t.1 == Tok::Minus)
            && m2.is_some_and(|t| t.1 == Tok::Minus)
            && adjacent(m2, m1)
        {
            return Some(format!(
                "LC has no `--`: write `{} -= 1`",
                ident(self.before(i, 3))
            ));
        }
        match tok {
            Tok::Arrow if i > 0 => Some(format!(
                "LC has no `->`: `.` reaches a field through a pointer too (`{}.{}`)",
                ident(self.before(i, 1)),
                ident(next(1)),
            )),
            Tok::Assign => Some(
                "`=` assigns, and an assignment is a statement, not a value; to compare, write `==`"
                    .to_string(),
            ),
            Tok::Comma if self.tokens.get(self.index_at(start)).is_some_and(|t| t.1 == Tok::For) => Some(
                "LC has no comma operator: each part of a `for` header is one statement; declare other variables before the loop".to_string(),
            ),
            Tok::Const => Some(
                "`const` declares a global: inside a function, use `let`; or is a `}` missing before it?"
                    .to_string(),
            ),
            Tok::Fn | Tok::Struct | Tok::Extern | Tok::Import => Some(
                "a declaration cannot appear inside another: is a `}` missing before it?"
                    .to_string(),
            ),
            _ if starts_with("switch", Tok::LParen) => {
                Some("LC has no `switch`: use `if` and `else if`".to_string())
            }
            _ if starts_with("do", Tok::LBrace) => Some(
                "LC has no `do … while`: write `while (true) { …; if (!c) { break; } }`"
                    .to_string(),
            ),
            _ => None,
        }
    }

    /// Records in each unreadable statement the names its text declares.
    fn fill_error_decls(&self, stmts: &mut [Stmt]) {
        for s in stmts {
            let span = s.span;
            match &mut s.kind {
                StmtKind::Error(names) => {
                    // `let x`, `var x`, and C's `var x = 0, y = 1` up to `;`.
                    let first = self.index_at(span.start as usize);
                    let toks = &self.tokens[first..];
                    let mut declaring = false;
                    for w in toks.windows(2) {
                        if w[0].0 >= span.end as usize {
                            break;
                        }
                        match (&w[0].1, &w[1].1) {
                            (Tok::Let | Tok::Var, Tok::Ident(n)) => {
                                declaring = true;
                                names.push(Ident {
                                    name: n.clone(),
                                    span: self.span(w[1].0, w[1].2),
                                });
                            }
                            (Tok::Comma, Tok::Ident(n)) if declaring => names.push(Ident {
                                name: n.clone(),
                                span: self.span(w[1].0, w[1].2),
                            }),
                            (Tok::Semi, _) => declaring = false,
                            _ => {}
                        }
                    }
                }
                StmtKind::If { then, els, .. } => {
                    self.fill_error_decls(&mut then.stmts);
                    if let Some(e) = els {
                        self.fill_error_decls(std::slice::from_mut(&mut **e));
                    }
                }
                StmtKind::While { body, .. } => self.fill_error_decls(&mut body.stmts),
                StmtKind::For { init, body, .. } => {
                    if let Some(i) = init {
                        self.fill_error_decls(std::slice::from_mut(&mut **i));
                    }
                    self.fill_error_decls(&mut body.stmts);
                }
                StmtKind::Block(b) => self.fill_error_decls(&mut b.stmts),
                _ => {}
            }
        }
    }
}

fn check_depth(items: &[Item], stmts: &[Stmt], diags: &mut Vec<Diagnostic>) {
    let mut reported = false;
    for s in stmts {
        stmt_depth(s, 1, diags, &mut reported);
    }
    for item in items {
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
        StmtKind::Break | StmtKind::Continue | StmtKind::Error(_) => {}
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
        | ExprKind::Field(a, _) => expr_depth(a, d, diags, reported),
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
