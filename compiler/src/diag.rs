//! Diagnostics: the stable error codes (declared once, below) and reporting
//! through codespan-reporting.

use crate::source::{FileId, SourceMap, Span};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::term::{self, termcolor};

macro_rules! diagnostic_codes {
    ($($name:ident = $code:literal : $summary:literal,)*) => {
        /// A stable diagnostic code; tests match on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($name,)* }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The code as printed, e.g. `E0200`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $code,)* }
            }

            /// A one-line summary of what the code means.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$name => $summary,)* }
            }
        }
    };
}

diagnostic_codes! {
    UnknownChar = "E0001": "unknown character",
    UnterminatedString = "E0002": "unterminated string literal",
    UnterminatedComment = "E0003": "unterminated block comment",
    BadEscape = "E0004": "invalid escape sequence",
    BadNumber = "E0005": "malformed number literal",
    LiteralOutOfRange = "E0006": "integer literal out of range for its type",
    BadCharLiteral = "E0007": "invalid character literal",
    NotUtf8 = "E0008": "source is not valid UTF-8",
    FileTooLarge = "E0009": "source file too large",
    Syntax = "E0010": "syntax error",
    UnexpectedEof = "E0011": "unexpected end of file",
    TooDeep = "E0012": "nesting too deep",
    UnknownName = "E0100": "unknown name",
    UnknownType = "E0101": "unknown type",
    Duplicate = "E0102": "duplicate top-level definition",
    DuplicateField = "E0103": "duplicate struct field",
    DuplicateParam = "E0104": "duplicate parameter",
    ImportFailed = "E0105": "cannot read imported file",
    RecursiveStruct = "E0106": "struct contains itself by value",
    NoMain = "E0107": "no `main` function",
    BadMain = "E0108": "invalid signature for `main`",
    NoSuchField = "E0109": "no such field",
    Redeclared = "E0110": "name already declared in this scope",
    ConstCycle = "E0111": "constant defined in terms of itself",
    Mismatch = "E0200": "mismatched types",
    BadOperand = "E0201": "operator cannot be applied to this type",
    BadCast = "E0202": "invalid cast",
    ArgCount = "E0203": "wrong number of arguments",
    NotCallable = "E0204": "called value is not a function",
    NotPlace = "E0205": "not a place",
    Immutable = "E0206": "assignment to an immutable binding or constant",
    CondNotBool = "E0207": "condition must be `bool`",
    FieldOnNonStruct = "E0208": "field access on a non-struct",
    NotIndexable = "E0209": "cannot index this type",
    IndexNotInt = "E0210": "index must be an integer",
    DerefNonPtr = "E0211": "cannot dereference a non-pointer",
    MissingReturn = "E0212": "not all paths return a value",
    ReturnMismatch = "E0213": "return does not match the function's return type",
    BreakOutsideLoop = "E0214": "`break` or `continue` outside a loop",
    VoidValue = "E0215": "a call that returns nothing used as a value",
    StructLitFields = "E0216": "struct literal: missing or repeated field",
    ArrayLitLen = "E0217": "array literal has the wrong number of elements",
    NotConst = "E0218": "not a constant expression",
    BadArrayLen = "E0219": "invalid array length",
    CannotInfer = "E0220": "cannot infer a type",
    UnknownBuiltin = "E0221": "unknown builtin",
    BuiltinArgs = "E0222": "wrong arguments to a builtin",
    ConstOverflow = "E0223": "constant expression overflows or divides by zero",
    BadExtern = "E0224": "unsupported extern signature or use",
    TooLarge = "E0225": "type or static data too large",
    UnresolvedExtern = "E0226": "no library defines an extern function",
}

/// One compile error.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub span: Span,
    /// Secondary spans with their notes.
    pub labels: Vec<(Span, String)>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error with a primary span.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            span,
            labels: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds a secondary label.
    pub fn label(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        self.labels.push((span, text.into()));
        self
    }

    /// Adds a note.
    pub fn note(mut self, text: impl Into<String>) -> Diagnostic {
        self.notes.push(text.into());
        self
    }
}

/// Collected diagnostics of one compilation.
#[derive(Default)]
pub struct Diagnostics {
    pub list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error.
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    /// Records an error with just a message.
    pub fn error(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::new(code, span, message));
    }

    /// True when there are errors.
    pub fn has_errors(&self) -> bool {
        !self.list.is_empty()
    }
}

/// At most this many diagnostics are printed; the count of the rest follows.
pub const MAX_PRINTED: usize = 50;

/// Prints diagnostics to standard error, rustc style (buffered: one write).
pub fn emit(sources: &SourceMap, diags: &[Diagnostic]) {
    let choice = if std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stderr())
    {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let writer = termcolor::BufferWriter::stderr(choice);
    let mut buffer = writer.buffer();
    let config = term::Config::default();
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| (d.span.file, d.span.start));
    for d in sorted.iter().take(MAX_PRINTED) {
        let spans: Vec<Span> = std::iter::once(d.span)
            .chain(d.labels.iter().map(|(s, _)| *s))
            .collect();
        let excerpt = Excerpt::new(sources, &spans);
        let range =
            |s: &Span| excerpt.map(s.file, s.start as usize)..excerpt.map(s.file, s.end as usize);
        let mut labels = vec![Label::primary(d.span.file, range(&d.span))];
        for (s, t) in &d.labels {
            labels.push(Label::secondary(s.file, range(s)).with_message(t.clone()));
        }
        let cs = CsDiagnostic::error()
            .with_code(d.code.as_str())
            .with_message(shorten_quoted(&d.message))
            .with_labels(labels)
            .with_notes(d.notes.iter().map(|n| shorten_quoted(n)).collect());
        let _ = term::emit(&mut buffer, &config, &excerpt, &cs);
    }
    let _ = writer.print(&buffer);
    let n = diags.len();
    if n > MAX_PRINTED {
        eprintln!("error: {} more errors not shown", n - MAX_PRINTED);
    }
    if n > 0 {
        eprintln!(
            "error: could not compile due to {n} previous error{}",
            if n == 1 { "" } else { "s" }
        );
    }
}

/// A name quoted in a message (between backticks) longer than this many
/// characters is shortened.
pub const MAX_QUOTED_CHARS: usize = 80;

/// `text` with every backtick-quoted part longer than [`MAX_QUOTED_CHARS`]
/// cut to its start and end around `…`, with its length, so a message stays
/// one readable line whatever the names in it.
pub fn shorten_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(1024));
    let mut cut = None;
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if let Some(n) = cut.take() {
            out.push_str(&format!(" ({n} characters)"));
        }
        let n = part.chars().count();
        // Odd parts are between backticks.
        if i % 2 == 1 && n > MAX_QUOTED_CHARS {
            out.extend(part.chars().take(MAX_QUOTED_CHARS / 2));
            out.push('…');
            out.extend(part.chars().skip(n - MAX_QUOTED_CHARS / 4));
            cut = Some(n);
        } else {
            out.push_str(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quoted_names_are_shortened() {
        let long = "x".repeat(100_000);
        let s = shorten_quoted(&format!("cannot find `{long}` in this scope"));
        assert!(s.starts_with("cannot find `xxx"), "{s}");
        assert!(s.ends_with("xx` (100000 characters) in this scope"), "{s}");
        assert!(s.len() < 200, "{s}");
        let short = "mismatched types: expected `i32`, found `*u8`";
        assert_eq!(shorten_quoted(short), short);
    }
}

/// Source lines longer than this many characters are shortened in snippets.
pub const MAX_LINE_CHARS: usize = 200;
/// Of a shortened line, this many characters before the span are shown…
const WINDOW_BEFORE: usize = 60;
/// …and this many in all.
const WINDOW_CHARS: usize = 160;

/// What one diagnostic shows of the sources: a file with an overlong line
/// under one of its spans is replaced by a copy of the lines the spans
/// cover, each overlong one cut to a window around its span (`…` marks
/// what is cut), and so is a file with an invisible character on such a
/// line (shown as `�`). Names, line and column numbers are the original's.
struct Excerpt<'s> {
    sources: &'s SourceMap,
    files: Vec<ExcerptFile>,
}

struct ExcerptFile {
    file: FileId,
    /// Index of the first line copied.
    first_line: usize,
    /// The copied lines, shortened.
    text: String,
    /// One per copied line.
    lines: Vec<ExcerptLine>,
}

struct ExcerptLine {
    /// Where the line starts in `text`.
    start: usize,
    /// Where the line starts in the original.
    orig_start: usize,
    /// The part of the original shown: `window.start..window.end`.
    window: std::ops::Range<usize>,
    /// Bytes of `…` before the window (0 when nothing is cut there).
    prefix: usize,
}

impl<'s> Excerpt<'s> {
    fn new(sources: &'s SourceMap, spans: &[Span]) -> Excerpt<'s> {
        let mut files = Vec::new();
        for (i, s) in spans.iter().enumerate() {
            if spans[..i].iter().any(|p| p.file == s.file) {
                continue;
            }
            let mine: Vec<&Span> = spans.iter().filter(|p| p.file == s.file).collect();
            if let Some(f) = ExcerptFile::new(sources, s.file, &mine) {
                files.push(f);
            }
        }
        Excerpt { sources, files }
    }

    fn file(&self, id: FileId) -> Option<&ExcerptFile> {
        self.files.iter().find(|f| f.file == id)
    }

    /// The byte offset in what is shown for an original offset.
    fn map(&self, id: FileId, offset: usize) -> usize {
        let Some(f) = self.file(id) else {
            return offset;
        };
        let line = f
            .lines
            .partition_point(|l| l.orig_start <= offset)
            .saturating_sub(1);
        let Some(l) = f.lines.get(line) else {
            return 0;
        };
        if offset < l.window.start {
            l.start
        } else {
            l.start + l.prefix + (offset.min(l.window.end) - l.window.start)
        }
    }
}

/// Characters that take no column (a byte order mark, zero-width spaces
/// and joiners): shown as `�`, so a caret can point at them. Each is three
/// bytes in UTF-8, as `�` is, so offsets do not move.
const INVISIBLE: [char; 5] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];

/// `text` with every [`INVISIBLE`] character replaced by `�`.
fn visible(text: &str) -> String {
    text.replace(INVISIBLE, "\u{FFFD}")
}

impl ExcerptFile {
    /// The excerpt of `file` for these spans, or `None` when no line they
    /// touch is too long to show whole or holds an invisible character.
    fn new(sources: &SourceMap, file: FileId, spans: &[&Span]) -> Option<ExcerptFile> {
        use codespan_reporting::files::Files;
        let text = sources.source(file).ok()?;
        let line_of = |o: u32| {
            sources
                .line_index(file, (o as usize).min(text.len()))
                .unwrap_or(0)
        };
        let range_of = |l: usize| sources.line_range(file, l).unwrap_or(0..0);
        let too_long = |l: usize| {
            let r = range_of(l);
            r.len() > MAX_LINE_CHARS && text[r].chars().count() > MAX_LINE_CHARS
        };
        let invisible = |l: usize| text[range_of(l)].contains(INVISIBLE);
        let touched: Vec<usize> = spans
            .iter()
            .flat_map(|s| [line_of(s.start), line_of(s.end)])
            .collect();
        if !touched.iter().any(|&l| too_long(l) || invisible(l)) {
            return None;
        }
        let first_line = *touched.iter().min()?;
        let last_line = *touched.iter().max()?;
        let mut excerpt = ExcerptFile {
            file,
            first_line,
            text: String::new(),
            lines: Vec::new(),
        };
        for l in first_line..=last_line {
            let r = range_of(l);
            let body = text[r.clone()].trim_end_matches(['\n', '\r']);
            let end = r.start + body.len();
            let start = excerpt.text.len();
            let mut line = ExcerptLine {
                start,
                orig_start: r.start,
                window: r.start..end,
                prefix: 0,
            };
            if too_long(l) {
                // Centre on the first span that starts on this line (or
                // ends on it, for a span from an earlier line).
                let anchor = spans
                    .iter()
                    .map(|s| s.start as usize)
                    .filter(|o| (r.start..=end).contains(o))
                    .min()
                    .or_else(|| {
                        spans
                            .iter()
                            .map(|s| s.end as usize)
                            .filter(|o| (r.start..=end).contains(o))
                            .min()
                    })
                    .unwrap_or(r.start);
                let back = |from: usize, n: usize| {
                    text[r.start..from]
                        .char_indices()
                        .rev()
                        .nth(n.saturating_sub(1))
                        .map_or(r.start, |(i, _)| r.start + i)
                };
                let forward = |from: usize, n: usize| {
                    text[from..end]
                        .char_indices()
                        .nth(n)
                        .map_or(end, |(i, _)| from + i)
                };
                let w_start = back(anchor, WINDOW_BEFORE);
                let w_end = forward(w_start, WINDOW_CHARS);
                line.window = w_start..w_end;
                if w_start > r.start {
                    excerpt.text.push('…');
                    line.prefix = '…'.len_utf8();
                }
                excerpt.text.push_str(&visible(&text[w_start..w_end]));
                if w_end < end {
                    excerpt.text.push('…');
                }
            } else {
                excerpt.text.push_str(&visible(body));
            }
            excerpt.text.push_str(&text[end..r.end]);
            excerpt.lines.push(line);
        }
        Some(excerpt)
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpt<'_> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.sources.name(id)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        match self.file(id) {
            Some(f) => Ok(&f.text),
            None => self.sources.source(id),
        }
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        match self.file(id) {
            Some(f) => Ok(f.first_line
                + f.lines
                    .partition_point(|l| l.start <= byte)
                    .saturating_sub(1)),
            None => self.sources.line_index(id, byte),
        }
    }

    fn line_range(
        &'a self,
        id: FileId,
        line: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        let Some(f) = self.file(id) else {
            return self.sources.line_range(id, line);
        };
        let k = line.wrapping_sub(f.first_line);
        let l = f
            .lines
            .get(k)
            .ok_or(codespan_reporting::files::Error::LineTooLarge {
                given: line,
                max: f.first_line + f.lines.len(),
            })?;
        let end = f.lines.get(k + 1).map_or(f.text.len(), |n| n.start);
        Ok(l.start..end)
    }

    fn column_number(
        &'a self,
        id: FileId,
        line: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let Some(f) = self.file(id) else {
            return self.sources.column_number(id, line, byte);
        };
        let l = f.lines.get(line.wrapping_sub(f.first_line)).ok_or(
            codespan_reporting::files::Error::LineTooLarge {
                given: line,
                max: f.first_line + f.lines.len(),
            },
        )?;
        // Back to the original offset, then count characters there.
        let shown = byte.saturating_sub(l.start + l.prefix);
        let orig = (l.window.start + shown).min(l.window.end);
        let text = self.sources.source(id)?;
        Ok(text[l.orig_start..orig].chars().count() + 1)
    }
}
