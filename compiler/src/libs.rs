//! The libraries an `extern fn` may come from, the same in every mode: libc,
//! libm and the shared libraries the user names with `-l NAME` (searched in
//! the `-L DIR`s, then the system's directories). The JIT searches exactly
//! these (never whatever else the lljit process has loaded), executables
//! link exactly these, and every extern the program uses is checked
//! against them before anything runs.

use crate::diag::{Code, Diagnostic};
use crate::tast::Program;
use std::ffi::{c_char, c_void, CStr, CString};
use std::path::{Path, PathBuf};

/// The libraries options of `run`, `aot`, `compare` and `repl`.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct LinkOptions {
    /// Let `extern fn`s come from the shared library libNAME.so too (libc and
    /// libm are always there); may repeat
    #[arg(short = 'l', value_name = "NAME")]
    pub libs: Vec<String>,
    /// Look for -l libraries in DIR before the system's directories; may
    /// repeat
    #[arg(short = 'L', value_name = "DIR")]
    pub lib_dirs: Vec<PathBuf>,
}

impl LinkOptions {
    /// The options again, as command-line words (for a child `lljit`).
    pub fn to_args(&self) -> Vec<String> {
        let mut out = Vec::new();
        for d in &self.lib_dirs {
            out.push(format!("-L{}", d.display()));
        }
        for l in &self.libs {
            out.push(format!("-l{l}"));
        }
        out
    }
}

/// Where the linker and the JIT look for `-l` libraries after the `-L`
/// directories (Debian's multiarch layout first).
const SYSTEM_DIRS: &[&str] = &[
    "/usr/local/lib/x86_64-linux-gnu",
    "/usr/local/lib",
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
    "/lib64",
    "/usr/lib64",
    "/lib",
    "/usr/lib",
];

/// One library, opened.
struct Library {
    /// How messages name it: `libc`, `libm`, `-lz`.
    shown: String,
    /// What the JIT loads: a soname for libc and libm, a path for the rest.
    load: PathBuf,
    handle: *mut c_void,
}

/// The opened libraries, in search order.
pub struct Libraries {
    libs: Vec<Library>,
}

impl Libraries {
    /// Opens libc, libm and every `-l` library; fails with a plain message
    /// when a library cannot be found or loaded.
    pub fn open(opts: &LinkOptions) -> Result<Libraries, String> {
        let mut libs = Vec::new();
        for (shown, soname) in [("libc", "libc.so.6"), ("libm", "libm.so.6")] {
            libs.push(Library::open(shown.into(), PathBuf::from(soname))?);
        }
        for name in &opts.libs {
            let path = find(name, &opts.lib_dirs)?;
            libs.push(Library::open(format!("-l{name}"), path)?);
        }
        Ok(Libraries { libs })
    }

    /// What the JIT loads, in search order.
    pub fn load_paths(&self) -> impl Iterator<Item = &Path> {
        self.libs.iter().map(|l| l.load.as_path())
    }

    /// The address of `name` in the first library that defines it.
    pub fn lookup(&self, name: &str) -> Option<usize> {
        let c = CString::new(name).ok()?;
        self.libs.iter().find_map(|l| {
            // SAFETY: `handle` is a live handle from dlopen (libraries are
            // never closed) and `c` is a NUL-terminated name.
            let p = unsafe { libc::dlsym(l.handle, c.as_ptr()) };
            (!p.is_null()).then_some(p as usize)
        })
    }

    /// How messages name the libraries: `libc, libm and -lz`.
    fn shown(&self) -> String {
        let names: Vec<&str> = self.libs.iter().map(|l| l.shown.as_str()).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.join(""),
        }
    }

    /// Every function the libraries export (for suggestions).
    fn exported_functions(&self) -> Vec<String> {
        let mut out = Vec::new();
        for l in &self.libs {
            if let Some(path) = l.file() {
                out.extend(exported_functions(&path));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl Library {
    fn open(shown: String, load: PathBuf) -> Result<Library, String> {
        let c = CString::new(load.as_os_str().as_encoded_bytes()).map_err(|_| {
            format!(
                "cannot load `{}`: the path holds a NUL byte",
                load.display()
            )
        })?;
        // SAFETY: `c` is a NUL-terminated path; the handle is kept for the
        // process's lifetime (the JIT and checks use it until exit).
        let handle = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_LAZY | libc::RTLD_LOCAL) };
        if handle.is_null() {
            // SAFETY: dlerror gives the last failure as a C string, or null.
            let why = unsafe {
                let e = libc::dlerror();
                if e.is_null() {
                    "unknown error".to_string()
                } else {
                    CStr::from_ptr(e).to_string_lossy().into_owned()
                }
            };
            return Err(format!("cannot load {shown} (`{}`): {why}", load.display()));
        }
        Ok(Library {
            shown,
            load,
            handle,
        })
    }

    /// The file the dynamic loader opened for this library.
    fn file(&self) -> Option<PathBuf> {
        /// The head of glibc's `struct link_map` (what `RTLD_DI_LINKMAP` gives).
        #[repr(C)]
        struct LinkMap {
            l_addr: usize,
            l_name: *const c_char,
        }
        let mut map: *const LinkMap = std::ptr::null();
        // SAFETY: `handle` is live; RTLD_DI_LINKMAP stores a pointer to the
        // loader's link map, valid while the library stays loaded (always).
        let ok = unsafe {
            libc::dlinfo(
                self.handle,
                libc::RTLD_DI_LINKMAP,
                &mut map as *mut *const LinkMap as *mut c_void,
            )
        };
        if ok != 0 || map.is_null() {
            return None;
        }
        // SAFETY: a non-null link map from the loader; `l_name` is a
        // NUL-terminated path or null.
        let name = unsafe { (*map).l_name };
        if name.is_null() {
            return None;
        }
        // SAFETY: as above.
        let s = unsafe { CStr::from_ptr(name) }
            .to_string_lossy()
            .into_owned();
        (!s.is_empty()).then(|| PathBuf::from(s))
    }
}

/// The file of `-l name`: `libNAME.so` in the `-L` directories, then the
/// system's.
fn find(name: &str, dirs: &[PathBuf]) -> Result<PathBuf, String> {
    let file = format!("lib{name}.so");
    let system = SYSTEM_DIRS.iter().map(PathBuf::from);
    for dir in dirs.iter().cloned().chain(system) {
        let p = dir.join(&file);
        if p.is_file() {
            return Ok(p);
        }
    }
    let mut msg = format!("cannot find the library `-l{name}`: no `{file}` in ");
    if dirs.is_empty() {
        msg.push_str("the system's directories (name another directory with -L DIR)");
    } else {
        let shown: Vec<String> = dirs.iter().map(|d| format!("`{}`", d.display())).collect();
        msg.push_str(&format!("{} or the system's directories", shown.join(", ")));
    }
    Err(msg)
}

/// The names of the functions a shared library exports (its dynamic symbol
/// table); none when the file cannot be read.
fn exported_functions(path: &Path) -> Vec<String> {
    use object::{Object, ObjectSymbol, SymbolKind};
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let Ok(file) = object::File::parse(&*bytes) else {
        return Vec::new();
    };
    file.dynamic_symbols()
        .filter(|s| s.is_definition() && s.kind() == SymbolKind::Text)
        .filter_map(|s| s.name().ok())
        // Versioned internals (`__libc_…`, `_IO_…`) are never what was meant.
        .filter(|n| !n.starts_with('_'))
        .map(str::to_string)
        .collect()
}

/// E0226 for every extern function the program uses (calls or takes the
/// address of) that none of `libs` defines: at its declaration, with the
/// closest exported name when one is close.
/// The uses are the checker's ([`Program::used_externs`]): in a session,
/// those of the code an input added or changed.
pub fn check_externs(prog: &Program, libs: &Libraries) -> Vec<Diagnostic> {
    let missing: Vec<usize> = prog
        .used_externs
        .iter()
        .copied()
        .filter(|&id| libs.lookup(&prog.funcs[id].name).is_none())
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let exported = libs.exported_functions();
    let declared: Vec<&str> = prog.funcs.iter().map(|f| f.name.as_str()).collect();
    missing
        .into_iter()
        .map(|id| {
            let f = &prog.funcs[id];
            let mut d = Diagnostic::new(
                Code::UnresolvedExtern,
                f.span,
                format!(
                    "no library defines the extern function `{}` (searched {})",
                    f.name,
                    libs.shown()
                ),
            );
            let candidates = exported
                .iter()
                .map(String::as_str)
                .chain(declared.iter().copied());
            if let Some(s) = crate::suggest::closest(&f.name, candidates) {
                d = d.note(format!("did you mean `{s}`?"));
            } else {
                d = d.note("a function from another shared library needs `-l NAME`");
            }
            d
        })
        .collect()
}
