//! The driver: runs the pipeline top to bottom. Loads the root file and its
//! imports, parses and checks them, then hands the checked program to the
//! JIT (`run`) or stops (`check`).

use crate::ast;
use crate::check;
use crate::diag::{self, Code, Diagnostic};
use crate::jit::{Jit, JitError, JitOptions};
use crate::libs::{self, Libraries, LinkOptions};
use crate::parse;
use crate::source::{SourceMap, Span, MAX_SOURCE_BYTES};
use crate::tast::Program;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The front end's result: the sources, the checked program (when there
/// were no errors) and the diagnostics.
pub struct Frontend {
    pub sources: SourceMap,
    pub program: Option<Program>,
    pub diags: Vec<Diagnostic>,
}

/// Reads files for the front end (the file system, or memory in tests).
pub trait FileReader {
    /// The bytes of `path`, or an error message.
    fn read(&mut self, path: &Path) -> Result<Vec<u8>, String>;
    /// The key under which `path` is loaded once.
    fn canonical(&mut self, path: &Path) -> PathBuf;
}

/// Reads from the file system.
pub struct FsReader;

impl FileReader for FsReader {
    fn read(&mut self, path: &Path) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| e.to_string())
    }
    fn canonical(&mut self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Serves one in-memory file; imports fail.
pub struct MemoryReader {
    pub name: PathBuf,
    pub bytes: Vec<u8>,
}

impl FileReader for MemoryReader {
    fn read(&mut self, path: &Path) -> Result<Vec<u8>, String> {
        if path == self.name {
            Ok(std::mem::take(&mut self.bytes))
        } else {
            Err("not found".into())
        }
    }
    fn canonical(&mut self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}

/// Adds a file's bytes to the source map, checking size and encoding.
fn add_source(
    sources: &mut SourceMap,
    name: String,
    key: PathBuf,
    bytes: Vec<u8>,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    if bytes.len() > MAX_SOURCE_BYTES {
        // The first line (cut short), so the message shows where the file
        // starts.
        let first = &bytes[..bytes.len().min(200)];
        let first = first.split(|&b| b == b'\n').next().unwrap_or_default();
        let first = String::from_utf8_lossy(first).into_owned();
        let id = sources.add(name.clone(), key, first);
        diags.push(Diagnostic::new(
            Code::FileTooLarge,
            Span::new(id, 0, 0),
            format!(
                "`{name}` is {} bytes; the limit is {MAX_SOURCE_BYTES}",
                bytes.len()
            ),
        ));
        return None;
    }
    // A UTF-8 byte order mark (some editors write one) is not source text.
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(sources.add(name, key, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let lossy_at = String::from_utf8_lossy(&e.as_bytes()[..at]).len();
            let id = sources.add(name, key, text);
            diags.push(Diagnostic::new(
                Code::NotUtf8,
                Span::new(id, lossy_at, lossy_at + 1),
                format!("source is not valid UTF-8 (invalid byte at offset {at})"),
            ));
            None
        }
    }
}

/// Loads, parses and checks a program whose root file is `root`.
pub fn frontend(root: &Path, reader: &mut dyn FileReader) -> Frontend {
    // Lets the test suite prove that a compiler bug is reported as one.
    if std::env::var_os("LLJIT_TEST_INTERNAL_ERROR").is_some() {
        panic!("internal error requested by LLJIT_TEST_INTERNAL_ERROR");
    }
    let mut sources = SourceMap::default();
    let mut diags = Vec::new();
    let files = match load_files(root, None, reader, &mut sources, &mut diags) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            // `lljit run prog` for `prog.lc`.
            let with_lc = root.with_extension("lc");
            if root.extension().is_none() && !root.exists() && with_lc.is_file() {
                eprintln!("note: did you mean `{}`?", with_lc.display());
            }
            return Frontend {
                sources,
                program: None,
                diags: vec![],
            };
        }
    };
    check_files(sources, files, diags)
}

/// Loads and parses `root` and every file it imports, transitively (each
/// once), into `sources`; the root first. `from` is the import that names
/// `root`, if any. Gives the files, or why the root cannot be read.
pub fn load_files(
    root: &Path,
    from: Option<Span>,
    reader: &mut dyn FileReader,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<ast::File>, String> {
    let mut files: Vec<ast::File> = Vec::new();
    let mut queue: Vec<(PathBuf, Option<Span>)> = vec![(root.to_path_buf(), from)];
    let mut loaded: Vec<PathBuf> = Vec::new();
    while let Some((path, from)) = queue.pop() {
        let key = reader.canonical(&path);
        if loaded.contains(&key) {
            continue;
        }
        loaded.push(key.clone());
        let bytes = match reader.read(&path) {
            Ok(b) => b,
            Err(e) => {
                match from {
                    Some(span) => diags.push(Diagnostic::new(
                        Code::ImportFailed,
                        span,
                        format!("cannot read imported file `{}`: {e}", path.display()),
                    )),
                    None => return Err(format!("cannot read `{}`: {e}", path.display())),
                }
                continue;
            }
        };
        let Some(id) = add_source(sources, path.display().to_string(), key, bytes, diags) else {
            continue;
        };
        let file = parse::parse_file(id, &sources.file(id).text, diags);
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for item in file.items.iter().rev() {
            if let ast::Item::Import(imp) = item {
                let rel = String::from_utf8_lossy(&imp.path).into_owned();
                if rel.is_empty() {
                    diags.push(Diagnostic::new(
                        Code::ImportFailed,
                        imp.span,
                        "import path is empty",
                    ));
                    continue;
                }
                queue.push((dir.join(rel), Some(imp.span)));
            }
        }
        files.push(file);
    }
    Ok(files)
}

/// Checks loaded files (when they could be read whole).
fn check_files(sources: SourceMap, files: Vec<ast::File>, mut diags: Vec<Diagnostic>) -> Frontend {
    if files.is_empty() {
        return Frontend {
            sources,
            program: None,
            diags,
        };
    }
    // A file that could not be read whole (too large, not UTF-8, nested too
    // deeply) would only produce follow-on errors in the checker.
    if diags
        .iter()
        .any(|d| matches!(d.code, Code::TooDeep | Code::FileTooLarge | Code::NotUtf8))
    {
        return Frontend {
            sources,
            program: None,
            diags,
        };
    }
    let syntax_errors = diags
        .iter()
        .any(|d| matches!(d.code, Code::Syntax | Code::UnexpectedEof));
    let mut check_diags = Vec::new();
    let program = check::check(&files, &mut check_diags);
    // Items the parser skipped may include `main`; do not report it missing.
    check_diags.retain(|d| !(syntax_errors && d.code == Code::NoMain));
    diags.append(&mut check_diags);
    let program = if diags.is_empty() { program } else { None };
    Frontend {
        sources,
        program,
        diags,
    }
}

/// `lljit check`: runs the front end, checks the externs the program uses
/// against the libraries, and reports; gives the exit status.
pub fn check_command(path: &Path, link: &LinkOptions) -> i32 {
    let fe = frontend(path, &mut FsReader);
    if !fe.diags.is_empty() {
        diag::emit(&fe.sources, &fe.diags);
        return 1;
    }
    let Some(program) = fe.program else { return 1 };
    if externs_unresolved(&program, &fe.sources, link) {
        return 1;
    }
    0
}

/// Reports the externs `program` uses that no library defines (or why the
/// libraries cannot be opened); true when there was anything to report.
pub fn externs_unresolved(program: &Program, sources: &SourceMap, link: &LinkOptions) -> bool {
    match Libraries::open(link) {
        Ok(libraries) => report_unresolved(program, sources, &libraries),
        Err(e) => {
            eprintln!("error: {e}");
            true
        }
    }
}

/// Reports the externs `program` uses that none of `libraries` defines;
/// true when there was any.
fn report_unresolved(program: &Program, sources: &SourceMap, libraries: &Libraries) -> bool {
    let unresolved = libs::check_externs(program, libraries);
    if !unresolved.is_empty() {
        diag::emit(sources, &unresolved);
    }
    !unresolved.is_empty()
}

/// `lljit run`: compiles lazily and runs; gives the exit status.
pub fn run_command(path: &Path, args: &[String], opts: JitOptions) -> Result<i32, JitError> {
    // Before the front end: the server warms up while it runs.
    let early = crate::jit::prestart_server(&opts);
    let fe = frontend(path, &mut FsReader);
    if !fe.diags.is_empty() {
        diag::emit(&fe.sources, &fe.diags);
        return Ok(1);
    }
    let Some(program) = fe.program else {
        return Ok(1);
    };
    let mut argv = vec![path.display().to_string()];
    argv.extend(args.iter().cloned());
    let program = Rc::new(program);
    let sources = Rc::new(fe.sources);
    let mut jit = Jit::new(Rc::clone(&program), Rc::clone(&sources), opts, early)?;
    if report_unresolved(&program, &sources, jit.libraries()) {
        return Ok(1);
    }
    let status = jit.run(&argv)?;
    Ok(status)
}

/// `lljit aot`: builds an executable (or `--emit` output); gives the exit status.
pub fn aot_command(path: &Path, opts: &crate::aot::AotOptions) -> i32 {
    let fe = frontend(path, &mut FsReader);
    if !fe.diags.is_empty() {
        diag::emit(&fe.sources, &fe.diags);
        return 1;
    }
    let Some(program) = fe.program else { return 1 };
    if externs_unresolved(&program, &fe.sources, &opts.link) {
        return 1;
    }
    match crate::aot::build(&program, &fe.sources, opts) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// The checked program of one source text (for unit tests of the stages
/// after the front end); panics when it has diagnostics.
#[cfg(test)]
pub(crate) fn checked(src: &str) -> Program {
    let name = PathBuf::from("test.lc");
    let mut reader = MemoryReader {
        name: name.clone(),
        bytes: src.as_bytes().to_vec(),
    };
    let fe = frontend(&name, &mut reader);
    let messages: Vec<&str> = fe.diags.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.is_empty(), "diagnostics: {messages:?}");
    fe.program.expect("a checked program")
}
