//! The REPL: an interactive LC session on the tiered JIT.
//!
//! A session keeps its definitions (items and session variables) in a
//! stable order and checks them again, with the new input, at every input
//! ([`crate::check::check_session`]). A definition whose name is already
//! defined replaces the old one in place; a `var`/`let` at the top level of
//! an input declares a session variable (a global the session gives storage
//! to), and an expression ending the input without `;` is stored in a
//! `result` global and shown. Statements run as a function of their own,
//! compiled at the fast tier. The JIT keeps one slot per function position:
//! a function whose checked form changed, and every function that copied it
//! in, is reset to its lazy stub ([`Jit::update`]), so every caller reaches
//! the new definition at its next call. A redefinition that breaks other
//! definitions is rejected with their diagnostics, and nothing changes.
//! Runtime errors and Ctrl-C return to the prompt ([`lljit_runtime::recover`]).

mod interrupt;
mod reader;
mod value;

use crate::ast;
use crate::check::{self, SessionInput, SessionVar};
use crate::diag::{self, Code, Diagnostic};
use crate::driver::{self, FsReader};
use crate::jit::{Jit, JitOptions, Stop};
use crate::source::Span;
use crate::tast::{FuncId, Program};
use crate::types::{Display, Ty};
use lljit_runtime::session_stdout;
use std::cell::Cell;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Functions a session can hold at once (slots are reserved up front).
const CAPACITY: usize = 1 << 14;

/// A command of the session (`:name`).
pub struct Command {
    pub name: &'static str,
    /// The other names it answers to, shown by `:help`.
    pub also: &'static [&'static str],
    /// What it takes after its name, if anything.
    pub arg: Option<Arg>,
    /// Its help line.
    pub what: &'static str,
}

/// What a command takes after its name.
pub struct Arg {
    /// As `:help` shows it (`EXPR`).
    pub shown: &'static str,
    /// As its usage error names it (`an expression`).
    pub noun: &'static str,
    /// An example, for its usage error.
    pub example: &'static str,
}

const fn arg(shown: &'static str, noun: &'static str, example: &'static str) -> Option<Arg> {
    Some(Arg {
        shown,
        noun,
        example,
    })
}

/// The commands, in the order `:help` lists them.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "help",
        also: &["h", "?"],
        arg: None,
        what: "show this help",
    },
    Command {
        name: "type",
        also: &["t"],
        arg: arg("EXPR", "an expression", "1 + 2"),
        what: "show the type of an expression without running it",
    },
    Command {
        name: "ir",
        also: &[],
        arg: arg("NAME", "a function's name", "main"),
        what: "show the LLVM IR of a function's current code",
    },
    Command {
        name: "asm",
        also: &[],
        arg: arg("NAME", "a function's name", "main"),
        what: "show the assembly of a function's current code",
    },
    Command {
        name: "stats",
        also: &[],
        arg: None,
        what: "show the JIT's counters",
    },
    Command {
        name: "list",
        also: &["l"],
        arg: None,
        what: "list what is defined",
    },
    Command {
        name: "load",
        also: &[],
        arg: arg("FILE.lc", "a file", "lib.lc"),
        what: "load a file's definitions (as `import \"FILE.lc\";`)",
    },
    Command {
        name: "reset",
        also: &[],
        arg: None,
        what: "forget everything",
    },
    Command {
        name: "undo",
        also: &[],
        arg: None,
        what: "undo the last input that defined something",
    },
    Command {
        name: "time",
        also: &[],
        arg: arg("INPUT", "an input", "fib(30)"),
        what: "run an input and show how long checking, compiling and running took",
    },
    Command {
        name: "quit",
        also: &["q", "exit"],
        arg: None,
        what: "leave (also Ctrl-D)",
    },
];

/// The command called `word` (its name or another name it answers to).
fn find_command(word: &str) -> Option<&'static Command> {
    COMMANDS
        .iter()
        .find(|c| c.name == word || c.also.contains(&word))
}

/// One definition of the session.
#[derive(Clone)]
struct Def {
    name: String,
    what: What,
    /// Unique per definition: what code that uses a global depends on.
    serial: u64,
    /// A global's storage, once it has some.
    storage: Option<usize>,
    /// Where it was defined (`<repl:3>` or a file).
    origin: String,
}

#[derive(Clone)]
enum What {
    Item(Rc<ast::Item>),
    Var(SessionVar),
}

/// A session: its definitions and the JIT that runs them.
pub struct Session {
    jit: Jit,
    opts: JitOptions,
    defs: Vec<Def>,
    /// Definitions before each input that changed them, and what it did.
    undo: Vec<(String, Vec<Def>)>,
    serial: u64,
    inputs: usize,
    /// What each function's checked form was in the current program.
    fingerprints: Vec<Rc<str>>,
    /// Each struct's definition in the current program, by id.
    structs: Vec<String>,
    /// Storage of each global of the current program, by id.
    placed: Vec<usize>,
    /// The parse of the next input (with its file), made when it was
    /// found complete.
    parsed: Option<(String, usize, crate::parse::ParsedInput, Vec<Diagnostic>)>,
    /// Whether an input failed (a diagnostic, a runtime error, an
    /// interrupt, a command's error): a session reading a pipe then exits
    /// with status 1.
    failed: Cell<bool>,
}

/// What the session wants the loop to do next.
#[derive(PartialEq, Eq)]
pub enum Next {
    Continue,
    Quit,
}

fn item_name(item: &ast::Item) -> Option<&str> {
    Some(match item {
        ast::Item::Fn(d) => &d.name.name,
        ast::Item::Extern(d) => &d.name.name,
        ast::Item::Struct(d) => &d.name.name,
        ast::Item::Const(d) | ast::Item::Global(d) => &d.name.name,
        ast::Item::Import(_) => return None,
    })
}

/// Where an item is written (a function with its body).
fn item_span(item: &ast::Item) -> Span {
    match item {
        ast::Item::Fn(d) => d.span.to(d.body.span),
        ast::Item::Extern(d) => d.span,
        ast::Item::Struct(d) => d.span,
        ast::Item::Const(d) | ast::Item::Global(d) => d.span,
        ast::Item::Import(d) => d.span,
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A checked input, ready to commit and run.
struct Checked {
    prog: Program,
    info: Option<check::InputInfo>,
    defs: Vec<Def>,
    /// A description of what the input defined, for `:undo`.
    defined: Vec<String>,
    /// How many of the first functions were reused as checked before.
    reused: usize,
}

impl Session {
    /// A new, empty session.
    pub fn new(opts: JitOptions) -> Result<Session, String> {
        let empty = Program {
            structs: Vec::new(),
            globals: Vec::new(),
            funcs: Vec::new(),
            main: None,
            used_externs: Vec::new(),
        };
        let mut jit = Jit::with_capacity(
            Rc::new(empty),
            Rc::new(Default::default()),
            opts.clone(),
            CAPACITY,
        )
        .map_err(|e| e.to_string())?;
        jit.keep_ir();
        jit.place_globals(Vec::new());
        Ok(Session {
            jit,
            opts,
            defs: Vec::new(),
            undo: Vec::new(),
            serial: 0,
            inputs: 0,
            fingerprints: Vec::new(),
            structs: Vec::new(),
            placed: Vec::new(),
            parsed: None,
            failed: Cell::new(false),
        })
    }

    /// The names defined now (for completion).
    pub fn names(&self) -> Vec<String> {
        self.defs.iter().map(|d| d.name.clone()).collect()
    }

    fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// True when `text` is an unfinished input: more lines would complete
    /// it (commands are one line). Keeps the parse of a complete input for
    /// [`Session::eval`] (each line is parsed to know whether the input
    /// goes on: the last parse is the input's).
    pub fn incomplete_here(&mut self, text: &str) -> bool {
        if text.trim_start().starts_with(':') {
            return false;
        }
        let file = self.jit.sources().files().len();
        let mut diags = Vec::new();
        let parsed = crate::parse::parse_input(file, text, &mut diags);
        if parsed.incomplete {
            return true;
        }
        self.parsed = Some((text.to_string(), file, parsed, diags));
        false
    }

    /// Runs one input (definitions, statements, an expression, or a
    /// command); prints what it shows.
    pub fn eval(&mut self, text: &str) -> Next {
        let t = text.trim();
        if let Some(cmd) = t.strip_prefix(':') {
            return self.command(cmd);
        }
        if t.is_empty() {
            return Next::Continue;
        }
        self.input(text, false);
        Next::Continue
    }

    /// Adds `text` as input number n (`<repl:n>`) and runs it.
    fn input(&mut self, text: &str, time: bool) {
        let t0 = Instant::now();
        self.inputs += 1;
        let name = format!("<repl:{}>", self.inputs);
        let file = self
            .jit
            .sources_mut()
            .add(name.clone(), name.clone().into(), text.to_string());
        let (parsed, diags) = match self.parsed.take() {
            Some((t, f, parsed, diags)) if t == text && f == file => (parsed, diags),
            _ => {
                let mut diags = Vec::new();
                let parsed = crate::parse::parse_input(file, text, &mut diags);
                (parsed, diags)
            }
        };
        if !diags.is_empty() {
            self.emit(&diags);
            return;
        }
        let mut input = parsed.input;
        let items = std::mem::take(&mut input.items);
        let Some(checked) = self.check_input(items, &input, file, &name) else {
            return;
        };
        let t_check = t0.elapsed();
        let Some((prog, info)) = self.commit(checked) else {
            return;
        };
        let Some(info) = info else {
            if time {
                println!("check {:.2} ms", ms(t_check));
            }
            return;
        };
        let run = match self.jit.run_input(info.func) {
            Ok(run) => run,
            Err(crate::jit::JitError::Environment(e)) => {
                self.error(format_args!("{e}"));
                return;
            }
            Err(crate::jit::JitError::Bug(e)) => {
                self.error(format_args!("internal compiler error: {e}"));
                return;
            }
        };
        // An interrupt not taken before the input ended still stops it.
        let late = interrupt::arrived_late();
        let outcome = match run.outcome {
            Ok(()) if late => Err(Stop::Interrupt),
            other => other,
        };
        match outcome {
            Ok(()) => {
                if let Some(gid) = info.result {
                    let g = &prog.globals[gid];
                    let addr = self.global_addr(gid);
                    let jit = &self.jit;
                    let func_at = |a: usize| jit.func_at(a).map(|f| prog.funcs[f].name.clone());
                    // SAFETY: the input stored a value of the global's type there.
                    let shown = unsafe { value::show(&prog, &g.ty, addr, &func_at) };
                    session_stdout::end_line();
                    println!("{shown}");
                }
            }
            Err(Stop::Error) => self.failed.set(true),
            Err(Stop::Interrupt) => {
                self.failed.set(true);
                session_stdout::end_line();
                eprintln!("interrupted");
            }
        }
        if time {
            session_stdout::end_line();
            println!(
                "check {:.2} ms, compile {:.2} ms, run {:.2} ms",
                ms(t_check),
                ms(run.compile),
                ms(run.run)
            );
        }
    }

    fn global_addr(&self, gid: usize) -> usize {
        self.placed[gid]
    }

    fn emit(&self, diags: &[Diagnostic]) {
        if !diags.is_empty() {
            self.failed.set(true);
            session_stdout::end_line();
        }
        diag::emit(self.jit.sources(), diags);
    }

    /// Prints `error: <msg>`; the input failed.
    fn error(&self, msg: impl std::fmt::Display) {
        self.failed.set(true);
        session_stdout::end_line();
        eprintln!("error: {msg}");
    }

    /// True when an input failed.
    pub fn failed(&self) -> bool {
        self.failed.get()
    }

    /// The definitions with `input`'s applied, checked with its statements.
    fn check_input(
        &mut self,
        items: Vec<ast::Item>,
        input: &ast::Input,
        file: usize,
        origin: &str,
    ) -> Option<Checked> {
        let mut diags = Vec::new();
        let mut new: Vec<(Rc<ast::Item>, String)> = Vec::new();
        for item in items {
            if let ast::Item::Import(imp) = &item {
                let path = String::from_utf8_lossy(&imp.path).into_owned();
                self.load_into(Path::new(&path), Some(imp.span), &mut new, &mut diags);
            } else {
                new.push((Rc::new(item), origin.to_string()));
            }
        }
        if !diags.is_empty() {
            self.emit(&diags);
            return None;
        }
        let mut defs = self.defs.clone();
        let mut defined = Vec::new();
        let mut seen: HashMap<String, Span> = HashMap::new();
        for (item, from) in new {
            let Some(name) = item_name(&item).map(str::to_string) else {
                continue;
            };
            let span = item_span(&item);
            if let Some(prev) = seen.get(&name) {
                diags.push(
                    Diagnostic::new(
                        Code::Duplicate,
                        span,
                        format!("`{name}` is defined more than once in this input"),
                    )
                    .label(*prev, "first defined here"),
                );
                continue;
            }
            seen.insert(name.clone(), span);
            defined.push(format!("{} `{name}`", kind(&item)));
            let def = Def {
                name: name.clone(),
                what: What::Item(item),
                serial: self.next_serial(),
                storage: None,
                origin: from,
            };
            match defs.iter().position(|d| d.name == name) {
                Some(i) => defs[i] = def,
                None => defs.push(def),
            }
        }
        if !diags.is_empty() {
            self.emit(&diags);
            return None;
        }
        // A session variable declared again is a new variable.
        for s in &input.stmts {
            if let ast::StmtKind::Local { name, .. } = &s.kind {
                defs.retain(|d| d.name != name.name);
            }
        }
        let session_input =
            (!input.stmts.is_empty() || input.result.is_some()).then(|| SessionInput {
                name: format!("input.{}", self.inputs),
                stmts: &input.stmts,
                result: input.result.as_ref(),
                span: Span::new(file, 0, self.jit.sources().file(file).text.len()),
            });
        // Definitions only added (no replacement, no removal, no global
        // that would renumber the session variables): the functions
        // checked before are what they were.
        let appended = defs.len() >= self.defs.len()
            && self
                .defs
                .iter()
                .zip(&defs)
                .all(|(a, b)| a.serial == b.serial)
            && defs[self.defs.len()..]
                .iter()
                .all(|d| !matches!(&d.what, What::Item(i) if matches!(**i, ast::Item::Global(_))));
        let reused = if appended { self.old_funcs() } else { 0 };
        let (prog, info) = self.check(&defs, reused, session_input.as_ref())?;
        // The input's variables join the definitions.
        if let Some(info) = &info {
            for (_, v) in &info.new_vars {
                defs.retain(|d| d.name != v.name);
                defined.push(format!(
                    "{} `{}`",
                    if v.mutable { "var" } else { "let" },
                    v.name
                ));
                let serial = self.next_serial();
                defs.push(Def {
                    name: v.name.clone(),
                    what: What::Var(v.clone()),
                    serial,
                    storage: None,
                    origin: origin.to_string(),
                });
            }
        }
        Some(Checked {
            prog,
            info,
            defs,
            defined,
            reused,
        })
    }

    /// The number of functions the session's definitions declare (the
    /// first ids of its program; an input's function follows them).
    fn old_funcs(&self) -> usize {
        self.defs
            .iter()
            .filter(|d| {
                matches!(&d.what, What::Item(i)
                    if matches!(**i, ast::Item::Fn(_) | ast::Item::Extern(_)))
            })
            .count()
    }

    /// Loads a file's definitions (and its imports') into `items`.
    fn load_into(
        &mut self,
        path: &Path,
        from: Option<Span>,
        items: &mut Vec<(Rc<ast::Item>, String)>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let files =
            match driver::load_files(path, from, &mut FsReader, self.jit.sources_mut(), diags) {
                Ok(files) => files,
                Err(e) => {
                    self.error(&e);
                    diags.push(Diagnostic::new(
                        Code::ImportFailed,
                        from.unwrap_or_default(),
                        e,
                    ));
                    return;
                }
            };
        for f in files {
            for item in f.items {
                if matches!(item, ast::Item::Import(_)) {
                    continue;
                }
                let origin = self.jit.sources().file(item_span(&item).file).name.clone();
                items.push((Rc::new(item), origin));
            }
        }
    }

    /// Checks `defs` (and an input); reports errors, naming the definitions
    /// they are in when those are not new.
    fn check(
        &self,
        defs: &[Def],
        reuse: usize,
        input: Option<&SessionInput>,
    ) -> Option<(Program, Option<check::InputInfo>)> {
        let items: Vec<&ast::Item> = defs
            .iter()
            .filter_map(|d| match &d.what {
                What::Item(i) => Some(&**i),
                What::Var(_) => None,
            })
            .collect();
        let vars: Vec<SessionVar> = defs
            .iter()
            .filter_map(|d| match &d.what {
                What::Var(v) => Some(v.clone()),
                What::Item(_) => None,
            })
            .collect();
        let mut diags = Vec::new();
        let reuse = &self.jit.program().funcs[..reuse];
        match check::check_session(&items, &vars, reuse, input, &mut diags) {
            // An extern the session now uses that no library defines is
            // refused as a compile error is: nothing changes. (The reused
            // functions' externs were checked when they were defined.)
            Some(r) => {
                let unresolved = crate::libs::check_externs(&r.0, self.jit.libraries());
                if unresolved.is_empty() {
                    Some(r)
                } else {
                    self.emit(&unresolved);
                    None
                }
            }
            None => {
                self.emit(&diags);
                // Errors inside definitions this input did not make: the
                // input broke them.
                let mut broken: Vec<String> = Vec::new();
                for d in &diags {
                    for def in defs {
                        let What::Item(item) = &def.what else {
                            continue;
                        };
                        let old = self.defs.iter().any(|o| o.serial == def.serial);
                        if old && contains(item_span(item), d.span) && !broken.contains(&def.name) {
                            broken.push(def.name.clone());
                        }
                    }
                }
                if !broken.is_empty() {
                    let names: Vec<String> = broken.iter().map(|n| format!("`{n}`")).collect();
                    eprintln!(
                        "note: nothing was changed: the new definitions break {}",
                        names.join(", ")
                    );
                }
                None
            }
        }
    }

    /// Makes a checked program the session's: finds what changed, resets
    /// it in the JIT, gives every global its storage, and keeps the new
    /// definitions. Gives the program and the input's information.
    fn commit(&mut self, c: Checked) -> Option<(Rc<Program>, Option<check::InputInfo>)> {
        let Checked {
            prog,
            info,
            mut defs,
            defined,
            reused,
        } = c;
        // The serial of each global's definition, by id: item globals in
        // definition order, then session variables, then the input's new
        // variables and its result.
        let mut serials: Vec<u64> = Vec::new();
        let mut owner: Vec<Option<usize>> = Vec::new();
        for (i, d) in defs.iter().enumerate() {
            if let What::Item(item) = &d.what {
                if matches!(**item, ast::Item::Global(_)) {
                    serials.push(d.serial);
                    owner.push(Some(i));
                }
            }
        }
        let old_vars: Vec<usize> = defs
            .iter()
            .enumerate()
            .filter(|(_, d)| matches!(d.what, What::Var(_)) && !self.is_new_var(&info, d))
            .map(|(i, _)| i)
            .collect();
        for i in old_vars {
            serials.push(defs[i].serial);
            owner.push(Some(i));
        }
        if let Some(info) = &info {
            for (gid, v) in &info.new_vars {
                debug_assert_eq!(*gid, serials.len());
                // A variable declared twice in one input: the last one stays.
                let i = defs
                    .iter()
                    .position(|d| d.name == v.name && matches!(d.what, What::Var(_)));
                let last = info.new_vars.iter().rposition(|(_, w)| w.name == v.name);
                let serial = self.next_serial();
                serials.push(serial);
                owner.push(if last.map(|l| info.new_vars[l].0) == Some(*gid) {
                    i
                } else {
                    None
                });
            }
            if info.result.is_some() {
                let serial = self.next_serial();
                serials.push(serial);
                owner.push(None);
            }
        }
        debug_assert_eq!(serials.len(), prog.globals.len());
        // What changed: a function whose checked form, or a global it uses,
        // is not what it was.
        // A struct added at the end changes no code compiled before; one
        // changed, removed or renumbered may change every function's.
        let structs: Vec<String> = prog
            .structs
            .iter()
            .map(|s| format!("{:?}", (&s.name, &s.fields, &s.offsets)))
            .collect();
        let structs_changed = !structs.starts_with(&self.structs);
        let fingerprints: Vec<Rc<str>> = prog
            .funcs
            .iter()
            .enumerate()
            .map(|(id, f)| match self.fingerprints.get(id) {
                Some(fp) if id < reused => Rc::clone(fp),
                _ => fingerprint(f, &serials).into(),
            })
            .collect();
        let changed: Vec<FuncId> = (0..prog.funcs.len())
            .filter(|&id| {
                structs_changed
                    || !self.fingerprints.get(id).is_some_and(|old| {
                        Rc::ptr_eq(old, &fingerprints[id]) || *old == fingerprints[id]
                    })
            })
            .collect();
        // Fresh zeroed storage before anything changes: a variable too large
        // to store refuses the input.
        let mut fresh: Vec<Option<usize>> = Vec::with_capacity(serials.len());
        for (gid, g) in prog.globals.iter().enumerate() {
            let has_storage = owner[gid].and_then(|i| defs[i].storage).is_some();
            if has_storage || g.init != crate::tast::ConstVal::Zero {
                fresh.push(None);
                continue;
            }
            match zeroed(&prog, g) {
                Ok(a) => fresh.push(Some(a)),
                Err(e) => {
                    for a in fresh.into_iter().flatten() {
                        // SAFETY: allocated by `zeroed` above, not used yet.
                        unsafe { libc::free(a as *mut libc::c_void) };
                    }
                    self.error(e);
                    return None;
                }
            }
        }
        let prog = Rc::new(prog);
        let new_types = structs != self.structs;
        let invalidated = match self.jit.update(Rc::clone(&prog), &changed, new_types) {
            Ok(v) => v,
            Err(e) => {
                self.error(format_args!("{e}; use :reset"));
                return None;
            }
        };
        if self.opts.trace && !invalidated.is_empty() {
            let names: Vec<&str> = invalidated
                .iter()
                .filter(|&&id| id < prog.funcs.len() && !prog.funcs[id].name.starts_with("input."))
                .map(|&id| prog.funcs[id].name.as_str())
                .collect();
            if !names.is_empty() {
                eprintln!("jit: invalidated {}", names.join(", "));
            }
        }
        self.fingerprints = fingerprints;
        self.structs = structs;
        // Storage: a definition keeps its own; a new one gets fresh storage.
        let mut placed = Vec::with_capacity(serials.len());
        for gid in 0..serials.len() {
            let existing = owner[gid].and_then(|i| defs[i].storage);
            let addr = match existing {
                Some(a) => a,
                None => {
                    let a = if let Some(a) = fresh[gid] {
                        a
                    } else {
                        match self.jit.global_storage(gid) {
                            Ok(a) => a,
                            Err(e) => {
                                self.error(format_args!("internal compiler error: {e}"));
                                return None;
                            }
                        }
                    };
                    if let Some(i) = owner[gid] {
                        defs[i].storage = Some(a);
                    }
                    a
                }
            };
            placed.push(addr);
        }
        self.jit.place_globals(placed.clone());
        self.placed = placed;
        if !defined.is_empty() {
            let old = std::mem::replace(&mut self.defs, defs);
            self.undo.push((defined.join(", "), old));
        } else {
            self.defs = defs;
        }
        Some((prog, info))
    }

    fn is_new_var(&self, info: &Option<check::InputInfo>, d: &Def) -> bool {
        !self.defs.iter().any(|o| o.serial == d.serial)
            && info
                .as_ref()
                .is_some_and(|i| i.new_vars.iter().any(|(_, v)| v.name == d.name))
    }

    /// Checks the definitions `defs` alone and makes them the session's
    /// (after `:undo`).
    fn rebuild(&mut self, defs: Vec<Def>) -> bool {
        let Some((prog, _)) = self.check(&defs, 0, None) else {
            return false;
        };
        self.commit(Checked {
            prog,
            info: None,
            defs,
            defined: Vec::new(),
            reused: 0,
        })
        .is_some()
    }

    // ------------------------------------------------------------ commands

    fn command(&mut self, line: &str) -> Next {
        session_stdout::end_line();
        let (word, arg) = match line.split_once(char::is_whitespace) {
            Some((n, a)) => (n, a.trim()),
            None => (line, ""),
        };
        let Some(cmd) = find_command(word) else {
            self.error(format_args!(
                "unknown command `:{word}`; :help lists the commands"
            ));
            return Next::Continue;
        };
        match (&cmd.arg, arg.is_empty()) {
            (Some(a), true) => {
                self.error(format_args!(
                    ":{} needs {}, e.g. `:{} {}`",
                    cmd.name, a.noun, cmd.name, a.example
                ));
                return Next::Continue;
            }
            (None, false) => {
                self.error(format_args!(
                    ":{} takes nothing after it (found `{arg}`)",
                    cmd.name
                ));
                return Next::Continue;
            }
            _ => {}
        }
        match cmd.name {
            "help" => help(),
            "quit" => return Next::Quit,
            "type" => self.type_of(arg),
            "time" => self.input(arg, true),
            "ir" | "asm" => self.show_code(cmd.name, arg),
            "stats" => {
                for (n, what, v) in self.jit.stats().rows() {
                    println!("{v:>10}  {n:<20} {what}");
                }
                println!(
                    "{:>10.2}  compile_ms            time spent compiling",
                    ms(self.jit.compile_time())
                );
            }
            "list" => self.list(),
            "load" => {
                let text = format!("import {:?};", arg);
                self.input(&text, false);
            }
            "reset" => match Session::new(self.opts.clone()) {
                Ok(s) => {
                    let failed = self.failed.get();
                    *self = s;
                    self.failed.set(failed);
                    println!("session reset");
                }
                Err(e) => self.error(e),
            },
            "undo" => match self.undo.pop() {
                Some((what, defs)) => {
                    if self.rebuild(defs) {
                        println!("undid {what}");
                    } else {
                        self.error(format_args!("cannot undo {what}"));
                    }
                }
                None => self.error("nothing to undo"),
            },
            other => unreachable!("command `{other}` has no implementation"),
        }
        Next::Continue
    }

    fn type_of(&mut self, text: &str) {
        self.inputs += 1;
        let name = format!("<repl:{}>", self.inputs);
        let file = self
            .jit
            .sources_mut()
            .add(name.clone(), name.into(), text.to_string());
        let mut diags = Vec::new();
        let expr = crate::parse::parse_expr(file, &self.jit.sources().file(file).text, &mut diags);
        let Some(expr) = expr.filter(|_| diags.is_empty()) else {
            self.emit(&diags);
            return;
        };
        let input = SessionInput {
            name: format!("input.{}", self.inputs),
            stmts: &[],
            result: Some(&expr),
            span: expr.span,
        };
        let defs = self.defs.clone();
        let reuse = self.old_funcs();
        if let Some((prog, Some(info))) = self.check(&defs, reuse, Some(&input)) {
            match info.result {
                Some(gid) => println!(
                    "{} : {}",
                    text.trim(),
                    Display(&prog.globals[gid].ty, &prog)
                ),
                None => println!("{} : void", text.trim()),
            }
        }
    }

    fn show_code(&mut self, what: &str, name: &str) {
        let prog = self.jit.program();
        let Some(id) = prog.funcs.iter().position(|f| f.name == name) else {
            self.error(format_args!("no function `{name}` is defined"));
            return;
        };
        if prog.funcs[id].is_extern() {
            self.error(format_args!(
                "`{name}` is an extern function: its code is not the JIT's"
            ));
            return;
        }
        let code = if what == "ir" {
            Ok(self.jit.ir(id))
        } else {
            self.jit.asm(id)
        };
        match code {
            Ok(Some(text)) => print!("{text}"),
            Ok(None) => println!("`{name}` has no code yet: it is compiled when first called"),
            Err(e) => self.error(e),
        }
    }

    fn list(&self) {
        let prog = self.jit.program();
        if self.defs.is_empty() {
            println!("nothing is defined");
            return;
        }
        for d in &self.defs {
            let what = match &d.what {
                What::Var(v) => format!(
                    "{} {}: {}",
                    if v.mutable { "var" } else { "let" },
                    d.name,
                    Display(&v.ty, prog)
                ),
                What::Item(item) => match &**item {
                    ast::Item::Fn(_) | ast::Item::Extern(_) => {
                        match prog.funcs.iter().find(|f| f.name == d.name) {
                            Some(f) => {
                                let params: Vec<String> = f
                                    .params
                                    .iter()
                                    .map(|t| Display(t, prog).to_string())
                                    .collect();
                                let mut s = format!(
                                    "{}fn {}({}{})",
                                    if f.is_extern() { "extern " } else { "" },
                                    d.name,
                                    params.join(", "),
                                    if f.variadic { ", ..." } else { "" }
                                );
                                if f.ret != Ty::Void {
                                    s.push_str(&format!(" -> {}", Display(&f.ret, prog)));
                                }
                                s
                            }
                            None => format!("fn {}", d.name),
                        }
                    }
                    ast::Item::Struct(_) => match prog.structs.iter().find(|s| s.name == d.name) {
                        Some(s) => {
                            let fields: Vec<String> = s
                                .fields
                                .iter()
                                .map(|(n, t)| format!("{n}: {}", Display(t, prog)))
                                .collect();
                            format!("struct {} {{ {} }}", d.name, fields.join(", "))
                        }
                        None => format!("struct {}", d.name),
                    },
                    ast::Item::Const(_) => format!("const {}", d.name),
                    ast::Item::Global(_) => match prog.globals.iter().find(|g| g.name == d.name) {
                        Some(g) => format!("var {}: {}", d.name, Display(&g.ty, prog)),
                        None => format!("var {}", d.name),
                    },
                    ast::Item::Import(_) => continue,
                },
            };
            println!("{what:<40} {}", d.origin);
        }
    }
}

/// `:help`: what an input is, and the commands with their other names.
fn help() {
    println!("Type LC definitions, statements or an expression (its value is shown).");
    println!("An input continues on the next line (`...`) while it is unfinished.");
    for c in COMMANDS {
        let usage = match &c.arg {
            Some(a) => format!(":{} {}", c.name, a.shown),
            None => format!(":{}", c.name),
        };
        let also: Vec<String> = c.also.iter().map(|a| format!(":{a}")).collect();
        println!("  {usage:<16} {:<9} {}", also.join(" "), c.what);
    }
}

fn kind(item: &ast::Item) -> &'static str {
    match item {
        ast::Item::Fn(_) => "fn",
        ast::Item::Extern(_) => "extern fn",
        ast::Item::Struct(_) => "struct",
        ast::Item::Const(_) => "const",
        ast::Item::Global(_) => "var",
        ast::Item::Import(_) => "import",
    }
}

/// What a function's code depends on: its checked form and the
/// definitions of the globals it uses.
fn fingerprint(f: &crate::tast::Func, serials: &[u64]) -> String {
    let mut globals = Vec::new();
    f.each_expr(|e| {
        if let crate::tast::ExprKind::Global(g) = e.kind {
            globals.push(serials.get(g).copied().unwrap_or(0));
        }
    });
    let locals: Vec<(&str, &Ty)> = f.locals.iter().map(|l| (l.name.as_str(), &l.ty)).collect();
    format!(
        "{}|{:?}|{:?}|{}|{:?}|{:?}|{:?}|{:?}",
        f.name, f.params, f.ret, f.variadic, f.span, locals, globals, f.body
    )
}

/// Fresh zeroed storage for global `g`, never freed (unless the input
/// that needed it is refused); an error when it cannot be had.
fn zeroed(prog: &Program, g: &crate::tast::GlobalDef) -> Result<usize, String> {
    let size = crate::types::layout_of(&g.ty, &|id| prog.structs[id].layout).size;
    let ty = Display(&g.ty, prog);
    if size > isize::MAX as u64 {
        // `layout_of` saturates: the size may be anything from here on.
        return Err(format!(
            "`{}` is too large: its type `{ty}` takes more than {} bytes",
            g.name,
            isize::MAX
        ));
    }
    // calloc's memory is aligned for every LC type (at most 8 bytes).
    // SAFETY: a plain allocation; null is checked.
    let p = unsafe { libc::calloc(1, size.max(1) as usize) };
    if p.is_null() {
        return Err(format!(
            "cannot allocate {size} bytes for `{}` (of type `{ty}`)",
            g.name
        ));
    }
    Ok(p as usize)
}

/// `lljit repl`: runs a session on standard input; gives the exit status:
/// 1 when standard input is not a terminal and an input failed, else 0.
pub fn main(opts: JitOptions) -> i32 {
    let mut session = match Session::new(opts) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    interrupt::install();
    session_stdout::install();
    let start = Instant::now();
    let mut input = reader::Reader::new();
    input.banner();
    while let Some(text) = input.read(&mut session) {
        if session.eval(&text) == Next::Quit {
            break;
        }
    }
    if session.opts.stats {
        session.jit.print_stats(start.elapsed());
    }
    if let Err(e) = session.jit.write_profile() {
        eprintln!("error: {e}");
        return 1;
    }
    if session.failed() && !input.interactive() {
        1
    } else {
        0
    }
}
