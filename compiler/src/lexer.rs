//! The lexer: logos turns source text into tokens; literal bodies are decoded
//! here and bad ones become diagnostics (the token stream stays usable).

use crate::ast::{FloatLit, IntLit};
use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};
use logos::Logos;

/// Deepest bracket nesting accepted, and the longest run of prefix
/// operators (both nest the parser's stack; error recovery costs grow with
/// its square).
pub const MAX_NESTING: usize = 256;

/// A token.
#[derive(Logos, Debug, Clone, PartialEq)]
#[logos(skip r"[ \t\r\n\x0C]+")]
#[logos(skip r"//[^\n]*")]
pub enum Tok {
    #[token("fn")]
    Fn,
    #[token("extern")]
    Extern,
    #[token("struct")]
    Struct,
    #[token("const")]
    Const,
    #[token("var")]
    Var,
    #[token("let")]
    Let,
    #[token("if")]
    If,
    #[token("else")]
    Else,
    #[token("while")]
    While,
    #[token("for")]
    For,
    #[token("break")]
    Break,
    #[token("continue")]
    Continue,
    #[token("return")]
    Return,
    #[token("as")]
    As,
    #[token("sizeof")]
    Sizeof,
    #[token("true")]
    True,
    #[token("false")]
    False,
    #[token("null")]
    Null,
    #[token("import")]
    Import,
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice().to_string())]
    Ident(String),
    #[regex(r"@[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice()[1..].to_string())]
    Builtin(String),
    #[regex(r"[0-9][0-9A-Za-z_]*", |lex| number(lex.slice()))]
    #[regex(r"[0-9][0-9_]*\.[0-9][0-9A-Za-z_]*", |lex| number(lex.slice()))]
    #[regex(r"[0-9][0-9_]*(\.[0-9][0-9_]*)?[eE][+-][0-9][0-9A-Za-z_]*", |lex| number(lex.slice()))]
    Number(NumTok),
    #[token("\"", string)]
    Str(LitTok<Vec<u8>>),
    #[token("'", char_lit)]
    Char(LitTok<u8>),
    #[token("/*", block_comment)]
    BlockComment(bool),
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token(":")]
    Colon,
    #[token(".")]
    Dot,
    #[token("...")]
    Ellipsis,
    #[token("->")]
    Arrow,
    #[token("?")]
    Question,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("&")]
    Amp,
    #[token("|")]
    Pipe,
    #[token("^")]
    Caret,
    #[token("~")]
    Tilde,
    #[token("!")]
    Bang,
    #[token("<<")]
    Shl,
    #[token(">>")]
    Shr,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token("==")]
    EqEq,
    #[token("!=")]
    Ne,
    #[token("<")]
    Lt,
    #[token("<=")]
    Le,
    #[token(">")]
    Gt,
    #[token(">=")]
    Ge,
    #[token("=")]
    Assign,
    #[token("+=")]
    PlusEq,
    #[token("-=")]
    MinusEq,
    #[token("*=")]
    StarEq,
    #[token("/=")]
    SlashEq,
    #[token("%=")]
    PercentEq,
    #[token("&=")]
    AmpEq,
    #[token("|=")]
    PipeEq,
    #[token("^=")]
    CaretEq,
    #[token("<<=")]
    ShlEq,
    #[token(">>=")]
    ShrEq,
}

/// A number token: a decoded literal or the reason it is malformed.
#[derive(Debug, Clone, PartialEq)]
pub enum NumTok {
    Int(IntLit),
    Float(FloatLit),
    /// Code, message, and a note saying what to write instead.
    Bad(Code, String, Option<String>),
}

/// A string or character literal: its value, or the errors in it
/// (code, message, byte offset within the token, length).
#[derive(Debug, Clone, PartialEq)]
pub enum LitTok<T> {
    Ok(T),
    Bad(Vec<(Code, String, usize, usize)>),
}

const INT_SUFFIXES: [&str; 8] = ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];

fn number(text: &str) -> NumTok {
    let (radix, body) =
        if let Some(rest) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            (16, rest)
        } else if let Some(rest) = text.strip_prefix("0b").or_else(|| text.strip_prefix("0B")) {
            (2, rest)
        } else if let Some(rest) = text.strip_prefix("0o").or_else(|| text.strip_prefix("0O")) {
            (8, rest)
        } else {
            (10, text)
        };
    let bad = |m: String| NumTok::Bad(Code::BadNumber, m, None);
    if radix != 10 {
        let end = body
            .find(|c: char| !(c.is_digit(radix) || c == '_'))
            .unwrap_or(body.len());
        let (digits, suffix) = body.split_at(end);
        let digits: String = digits.chars().filter(|&c| c != '_').collect();
        if digits.is_empty() {
            return bad(format!("`{text}` has no digits"));
        }
        let suffix = match int_suffix(suffix) {
            Ok(s) => s,
            Err(()) => return bad(format!("invalid suffix `{suffix}` on integer literal")),
        };
        return match u64::from_str_radix(&digits, radix) {
            Ok(value) => NumTok::Int(IntLit { value, suffix }),
            Err(_) => NumTok::Bad(
                Code::LiteralOutOfRange,
                format!("integer literal `{text}` is too large"),
                None,
            ),
        };
    }
    // Decimal: digits [. digits] [e [+-] digits] suffix
    let bytes = body.as_bytes();
    let mut i = 0;
    let digit_run = |i: &mut usize| {
        while *i < bytes.len() && (bytes[*i].is_ascii_digit() || bytes[*i] == b'_') {
            *i += 1;
        }
    };
    digit_run(&mut i);
    let mut is_float = false;
    if i < bytes.len() && bytes[i] == b'.' {
        is_float = true;
        i += 1;
        digit_run(&mut i);
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        if j < bytes.len() && bytes[j].is_ascii_digit() {
            is_float = true;
            i = j;
            digit_run(&mut i);
        }
    }
    let (num, suffix) = body.split_at(i);
    let clean: String = num.chars().filter(|&c| c != '_').collect();
    if is_float || suffix == "f32" || suffix == "f64" {
        let suffix = match suffix {
            "" => None,
            "f32" => Some("f32"),
            "f64" => Some("f64"),
            s => return bad(format!("invalid suffix `{s}` on float literal")),
        };
        return match clean.parse::<f64>() {
            Ok(value) => NumTok::Float(FloatLit { value, suffix }),
            Err(_) => bad(format!("malformed float literal `{text}`")),
        };
    }
    let suffix = match int_suffix(suffix) {
        Ok(s) => s,
        Err(()) => return bad(format!("invalid suffix `{suffix}` on integer literal")),
    };
    // C reads `0755` as octal; LC would silently read 755: neither.
    if clean.len() > 1 && clean.starts_with('0') {
        let digits = clean.trim_start_matches('0');
        let note = if !digits.is_empty() && digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            format!("C octal? write `0o{digits}`; decimal is `{digits}`")
        } else {
            format!(
                "decimal is `{}`",
                if digits.is_empty() { "0" } else { digits }
            )
        };
        return NumTok::Bad(
            Code::BadNumber,
            format!("integer literal `{text}` has a leading zero"),
            Some(note),
        );
    }
    match clean.parse::<u64>() {
        Ok(value) => NumTok::Int(IntLit { value, suffix }),
        Err(_) => NumTok::Bad(
            Code::LiteralOutOfRange,
            format!("integer literal `{text}` is too large"),
            None,
        ),
    }
}

fn int_suffix(s: &str) -> Result<Option<&'static str>, ()> {
    if s.is_empty() {
        return Ok(None);
    }
    INT_SUFFIXES
        .iter()
        .find(|&&x| x == s)
        .map(|&x| Some(x))
        .ok_or(())
}

/// Decodes one escape after a backslash at `rest[0]`; gives the byte and the
/// number of bytes consumed after the backslash.
fn escape(rest: &[u8]) -> Result<(u8, usize), usize> {
    match rest.first() {
        Some(b'n') => Ok((b'\n', 1)),
        Some(b't') => Ok((b'\t', 1)),
        Some(b'r') => Ok((b'\r', 1)),
        Some(b'0') => Ok((0, 1)),
        Some(b'\\') => Ok((b'\\', 1)),
        Some(b'\'') => Ok((b'\'', 1)),
        Some(b'"') => Ok((b'"', 1)),
        Some(b'x') => {
            let hex = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16));
            match (hex(rest.get(1)), hex(rest.get(2))) {
                (Some(h), Some(l)) => Ok(((h * 16 + l) as u8, 3)),
                _ => Err(1),
            }
        }
        Some(c) => Err(utf8_len(*c)),
        None => Err(0),
    }
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// A quoted literal's body, decoded up to the closing `quote`.
struct Quoted {
    bytes: Vec<u8>,
    errors: Vec<(Code, String, usize, usize)>,
    /// False when the line or input ended first.
    terminated: bool,
    /// Bytes consumed after the opening quote (including the closing one).
    len: usize,
}

fn scan_quoted(rest: &[u8], quote: u8) -> Quoted {
    let mut q = Quoted {
        bytes: Vec::new(),
        errors: Vec::new(),
        terminated: false,
        len: 0,
    };
    let mut i = 0;
    loop {
        match rest.get(i) {
            None | Some(b'\n') => break,
            Some(&b) if b == quote => {
                q.terminated = true;
                i += 1;
                break;
            }
            Some(b'\\') => match escape(&rest[i + 1..]) {
                Ok((b, n)) => {
                    q.bytes.push(b);
                    i += 1 + n;
                }
                Err(n) => {
                    // Offsets are relative to the token, which starts at the opening quote.
                    q.errors.push((
                        Code::BadEscape,
                        "invalid escape sequence".into(),
                        i + 1,
                        1 + n,
                    ));
                    i += 1 + n.max(1).min(rest.len() - i - 1);
                    q.bytes.push(0);
                }
            },
            Some(&b) => {
                q.bytes.push(b);
                i += 1;
            }
        }
    }
    q.len = i;
    q
}

fn string(lex: &mut logos::Lexer<Tok>) -> LitTok<Vec<u8>> {
    let q = scan_quoted(lex.remainder().as_bytes(), b'"');
    lex.bump(q.len);
    if !q.terminated {
        return LitTok::Bad(vec![(
            Code::UnterminatedString,
            "unterminated string literal".into(),
            0,
            1,
        )]);
    }
    if q.errors.is_empty() {
        LitTok::Ok(q.bytes)
    } else {
        LitTok::Bad(q.errors)
    }
}

fn char_lit(lex: &mut logos::Lexer<Tok>) -> LitTok<u8> {
    let q = scan_quoted(lex.remainder().as_bytes(), b'\'');
    lex.bump(q.len);
    if !q.terminated {
        return LitTok::Bad(vec![(
            Code::BadCharLiteral,
            "unterminated character literal".into(),
            0,
            1,
        )]);
    }
    if !q.errors.is_empty() {
        return LitTok::Bad(q.errors);
    }
    match q.bytes.as_slice() {
        [b] => LitTok::Ok(*b),
        [] => LitTok::Bad(vec![(
            Code::BadCharLiteral,
            "empty character literal".into(),
            0,
            q.len + 1,
        )]),
        _ => LitTok::Bad(vec![(
            Code::BadCharLiteral,
            "character literal must hold exactly one byte".into(),
            0,
            q.len + 1,
        )]),
    }
}

fn block_comment(lex: &mut logos::Lexer<Tok>) -> Result<bool, ()> {
    match lex.remainder().find("*/") {
        Some(i) => {
            lex.bump(i + 2);
            Ok(true)
        }
        None => {
            let n = lex.remainder().len();
            lex.bump(n);
            Ok(false)
        }
    }
}

/// Tokens of one file as `(start, token, end)` triples, plus the lexical
/// diagnostics. Comments are dropped; malformed literals become placeholder
/// tokens so parsing can go on. Returns `None` for the tokens when nesting
/// is deeper than [`MAX_NESTING`] (the file is not parsed further).
pub fn lex(
    file: FileId,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<(usize, Tok, usize)>> {
    let mut out = Vec::new();
    let mut lexer = Tok::lexer(text);
    let mut depth = 0usize;
    // Consecutive prefix-operator tokens: each nests one level (`- - - x`).
    let mut prefix_run = 0usize;
    while let Some(res) = lexer.next() {
        let r = lexer.span();
        let span = Span::new(file, r.start, r.end);
        let tok = match res {
            Err(()) => {
                let ch = text[r.start..].chars().next().unwrap_or('?');
                diags.push(Diagnostic::new(
                    Code::UnknownChar,
                    span,
                    format!("unknown character `{}`", ch.escape_debug()),
                ));
                continue;
            }
            Ok(Tok::BlockComment(true)) => continue,
            Ok(Tok::BlockComment(false)) => {
                diags.push(Diagnostic::new(
                    Code::UnterminatedComment,
                    Span::new(file, r.start, r.start + 2),
                    "unterminated block comment",
                ));
                continue;
            }
            Ok(Tok::Number(NumTok::Bad(code, msg, note))) => {
                let d = Diagnostic::new(code, span, msg);
                diags.push(match note {
                    Some(n) => d.note(n),
                    None => d,
                });
                Tok::Number(NumTok::Int(IntLit {
                    value: 0,
                    suffix: None,
                }))
            }
            Ok(Tok::Str(LitTok::Bad(errs))) => {
                push_lit_errors(file, r.start, r.end, errs, diags);
                Tok::Str(LitTok::Ok(Vec::new()))
            }
            Ok(Tok::Char(LitTok::Bad(errs))) => {
                push_lit_errors(file, r.start, r.end, errs, diags);
                Tok::Char(LitTok::Ok(0))
            }
            Ok(t) => t,
        };
        match tok {
            Tok::LParen | Tok::LBrace | Tok::LBracket => {
                depth += 1;
                if depth > MAX_NESTING {
                    diags.push(
                        Diagnostic::new(
                            Code::TooDeep,
                            span,
                            format!("brackets nested deeper than {MAX_NESTING} levels"),
                        )
                        .note("the rest of this file is not compiled"),
                    );
                    return None;
                }
            }
            Tok::RParen | Tok::RBrace | Tok::RBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
        if matches!(
            tok,
            Tok::Minus | Tok::Bang | Tok::Tilde | Tok::Star | Tok::Amp | Tok::AndAnd
        ) {
            prefix_run += 1;
            if prefix_run > MAX_NESTING {
                diags.push(
                    Diagnostic::new(
                        Code::TooDeep,
                        span,
                        format!("more than {MAX_NESTING} prefix operators in a row"),
                    )
                    .note("the rest of this file is not compiled"),
                );
                return None;
            }
        } else {
            prefix_run = 0;
        }
        out.push((r.start, tok, r.end));
    }
    Some(out)
}

fn push_lit_errors(
    file: FileId,
    start: usize,
    end: usize,
    errs: Vec<(Code, String, usize, usize)>,
    diags: &mut Vec<Diagnostic>,
) {
    for (code, msg, off, len) in errs {
        let s = (start + off).min(end.max(start + 1));
        let e = (s + len.max(1)).min(end.max(s + 1));
        diags.push(Diagnostic::new(code, Span::new(file, s, e), msg));
    }
}
