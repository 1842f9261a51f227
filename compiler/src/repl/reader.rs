//! Reading inputs: with line editing (rustyline: history, completion of
//! names and commands, multi-line inputs validated by the parser) on a
//! terminal, or line by line, without prompts, from a pipe or a file. An
//! input ends at the first line where it is complete.

use super::{Session, COMMANDS};
use lljit_runtime::session_stdout;
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Editor, Helper};
use std::cell::RefCell;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::rc::Rc;

/// The prompt of a new input.
pub const PROMPT: &str = "lc> ";

/// The keywords and builtin types, completed like names.
const WORDS: &[&str] = &[
    "fn", "extern", "struct", "const", "var", "let", "if", "else", "while", "for", "break",
    "continue", "return", "as", "sizeof", "true", "false", "null", "import", "i8", "i16", "i32",
    "i64", "u8", "u16", "u32", "u64", "f32", "f64", "bool",
];

/// Completion and validation for the line editor.
struct LcHelper {
    /// The session's names, refreshed before each input.
    names: Rc<RefCell<Vec<String>>>,
}

impl Completer for LcHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .map_or(0, |i| i + 1);
        let word = &before[start..];
        let pair = |s: &str| Pair {
            display: s.to_string(),
            replacement: s.to_string(),
        };
        let mut out: Vec<Pair> = Vec::new();
        if word.starts_with(':') {
            if start == 0 {
                for c in COMMANDS {
                    let c = format!(":{}", c.name);
                    if c.starts_with(word) {
                        out.push(pair(&c));
                    }
                }
            }
        } else if !word.is_empty() {
            let names = self.names.borrow();
            let mut all: Vec<&str> = names.iter().map(String::as_str).collect();
            all.extend(WORDS);
            all.sort_unstable();
            all.dedup();
            out.extend(all.into_iter().filter(|n| n.starts_with(word)).map(pair));
        }
        Ok((start, out))
    }
}

impl Validator for LcHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if Session::incomplete(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Hinter for LcHelper {
    type Hint = String;
}

impl Highlighter for LcHelper {}

impl Helper for LcHelper {}

/// Where inputs come from.
pub struct Reader {
    editor: Option<(Editor<LcHelper, FileHistory>, Rc<RefCell<Vec<String>>>)>,
    history: Option<PathBuf>,
    stdin: std::io::StdinLock<'static>,
}

/// The history file: `lljit/history` in the user's data directory.
fn history_path() -> Option<PathBuf> {
    let dir = dirs::data_dir()?.join("lljit");
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir.join("history"))
}

impl Reader {
    /// A line editor when standard input and output are terminals, plain
    /// reading otherwise.
    pub fn new() -> Reader {
        let mut editor = None;
        let mut history = None;
        if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            if let Ok(mut ed) = Editor::<LcHelper, FileHistory>::new() {
                let names = Rc::new(RefCell::new(Vec::new()));
                ed.set_helper(Some(LcHelper {
                    names: Rc::clone(&names),
                }));
                history = history_path();
                if let Some(h) = &history {
                    let _ = ed.load_history(h);
                }
                editor = Some((ed, names));
            }
        }
        Reader {
            editor,
            history,
            stdin: std::io::stdin().lock(),
        }
    }

    /// True when a person types the inputs (a line editor on a terminal).
    pub fn interactive(&self) -> bool {
        self.editor.is_some()
    }

    /// Greets a person at a terminal (nothing when reading a pipe).
    pub fn banner(&self) {
        if self.interactive() {
            println!(
                "lljit {} REPL: LC definitions, statements and expressions. :help for help, Ctrl-D to quit.",
                env!("CARGO_PKG_VERSION")
            );
        }
    }

    /// The next whole input, or `None` at the end.
    pub fn read(&mut self, session: &mut Session) -> Option<String> {
        match &mut self.editor {
            Some((ed, names)) => {
                *names.borrow_mut() = session.names();
                loop {
                    // The prompt starts a line: the editor would overwrite
                    // the end of an unfinished one.
                    session_stdout::end_line();
                    match ed.readline(PROMPT) {
                        Ok(line) => {
                            if !line.trim().is_empty() {
                                let _ = ed.add_history_entry(line.as_str());
                                if let Some(h) = &self.history {
                                    let _ = ed.append_history(h);
                                }
                            }
                            return Some(line);
                        }
                        // Ctrl-C at the prompt drops the line.
                        Err(ReadlineError::Interrupted) => continue,
                        Err(_) => return None,
                    }
                }
            }
            None => {
                let mut text = String::new();
                loop {
                    let mut line = String::new();
                    match self.stdin.read_line(&mut line) {
                        Ok(0) | Err(_) => {
                            return (!text.trim().is_empty()).then_some(text);
                        }
                        Ok(_) => {}
                    }
                    if text.is_empty() && line.trim().is_empty() {
                        continue;
                    }
                    text.push_str(&line);
                    if !session.incomplete_here(&text) {
                        return Some(text);
                    }
                }
            }
        }
    }
}
