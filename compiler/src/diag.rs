//! Diagnostics: the stable error codes (declared once, below) and reporting
//! through codespan-reporting.

use crate::source::{SourceMap, Span};
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
        let mut labels = vec![Label::primary(
            d.span.file,
            d.span.start as usize..d.span.end as usize,
        )];
        for (s, t) in &d.labels {
            labels.push(
                Label::secondary(s.file, s.start as usize..s.end as usize).with_message(t.clone()),
            );
        }
        let cs = CsDiagnostic::error()
            .with_code(d.code.as_str())
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(d.notes.clone());
        let _ = term::emit(&mut buffer, &config, sources, &cs);
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
