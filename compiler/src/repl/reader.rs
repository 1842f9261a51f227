//! Reading inputs: with line editing (rustyline: history, completion of
//! names and commands) on a terminal, or without prompts from a pipe or a
//! file. Either way inputs are read line by line, and an input ends at the
//! first line where the parser finds it complete; on a terminal its next
//! lines are prompted with `... `. Lines that arrive together (a paste, keys
//! typed ahead while an input runs) are queued, never dropped.

use super::{Session, COMMANDS};
use lljit_runtime::session_stdout;
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::rc::Rc;

/// The prompt of a new input.
pub const PROMPT: &str = "lc> ";
/// The prompt of each further line of an unfinished input.
pub const CONTINUATION: &str = "... ";

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

/// Enter always ends the line: the reader, not the editor, decides whether
/// the input goes on (and prompts for its next line).
impl Validator for LcHelper {}

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
    /// Lines the editor gave at once (a paste, a history entry of several
    /// lines) not read yet.
    queued: VecDeque<String>,
}

/// What reading one line gave.
enum Line {
    Text(String),
    /// Ctrl-C at a prompt: the unfinished input is dropped.
    Interrupted,
    End,
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
            queued: VecDeque::new(),
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

    /// The next whole input, or `None` at the end. Blank lines between
    /// inputs are skipped; at the end, an unfinished input is given as it
    /// is (its diagnostics say what is missing).
    pub fn read(&mut self, session: &mut Session) -> Option<String> {
        if let Some((_, names)) = &self.editor {
            *names.borrow_mut() = session.names();
        }
        let mut text = String::new();
        loop {
            let prompt = if text.is_empty() {
                PROMPT
            } else {
                CONTINUATION
            };
            match self.line(prompt) {
                Line::Text(line) => {
                    if text.is_empty() && line.trim().is_empty() {
                        continue;
                    }
                    text.push_str(&line);
                    text.push('\n');
                    if !session.incomplete_here(&text) {
                        self.remember(&text);
                        return Some(text);
                    }
                }
                Line::Interrupted => text.clear(),
                Line::End => {
                    if text.trim().is_empty() {
                        return None;
                    }
                    self.remember(&text);
                    return Some(text);
                }
            }
        }
    }

    /// The next line, without its end: queued, from the editor (prompted
    /// with `prompt`), or from standard input.
    fn line(&mut self, prompt: &str) -> Line {
        if let Some(line) = self.queued.pop_front() {
            return Line::Text(line);
        }
        let Some((ed, _)) = &mut self.editor else {
            let mut line = String::new();
            return match self.stdin.read_line(&mut line) {
                Ok(0) | Err(_) => Line::End,
                Ok(_) => {
                    if line.ends_with('\n') {
                        line.pop();
                    }
                    Line::Text(line)
                }
            };
        };
        // The prompt starts a line: the editor would overwrite the end of
        // an unfinished one.
        session_stdout::end_line();
        match ed.readline(prompt) {
            Ok(text) => {
                self.queued.extend(text.split('\n').map(str::to_string));
                Line::Text(self.queued.pop_front().unwrap_or_default())
            }
            Err(ReadlineError::Interrupted) => Line::Interrupted,
            Err(_) => Line::End,
        }
    }

    /// Adds a whole input to the history (on a terminal).
    fn remember(&mut self, text: &str) {
        let Some((ed, _)) = &mut self.editor else {
            return;
        };
        let _ = ed.add_history_entry(text.trim_end());
        if let Some(h) = &self.history {
            let _ = ed.append_history(h);
        }
    }
}
