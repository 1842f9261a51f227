//! The `lljit` command line: `run`, `check`, and help.

use lljit::driver;
use lljit::jit::JitOptions;
use std::path::PathBuf;

const USAGE: &str = "\
usage: lljit <command> [options] FILE.lc [ARGS...]

commands:
  run FILE.lc [ARGS...]   compile lazily with the JIT and run main(argc, argv)
  aot FILE.lc [-o OUT]    compile ahead of time to a native executable
  compare FILE.lc [-- ARGS...]
                          build and run FILE in every mode (JIT, AOT levels, PGO+LTO),
                          check they agree, and report their times side by side
  check FILE.lc           run the front end only and report diagnostics

run options:
  -O0 | -O1 | -O2 | -O3   LLVM optimization level for JIT-compiled functions (default -O2)
  --emit=llvm-ir          print the IR of each compiled module to standard error
  --trace-jit             print one line per compiled function to standard error

aot options:
  -o OUT                  output path (default: FILE without .lc; with --emit, FILE.ll/.s/.o)
  -O0 | -O1 | -O2 | -O3   optimization level (default -O2)
  --target-cpu=CPU        generic (default, portable x86-64), host, or an LLVM CPU name
  --emit=llvm-ir|asm|obj  write optimized IR, assembly or an object file instead of linking
  --lto                   link the program's modules before optimizing (full LTO)
  --pgo-gen=DIR           build an instrumented executable whose runs write profiles into DIR
  --pgo-use=PATH          optimize with a profile: a directory of .profraw files or a .profdata file
  -v, --verbose           print each build step and its time

compare options:
  --runs N                timed runs per mode, interleaved (default 5)
  --json[=FILE]           write the results as JSON to FILE (or standard output) instead of a table
  --plot OUT.png          also draw the results as a bar chart
";

/// Stack for the front end and lowering (reserved, committed as touched).
const FRONT_END_STACK: usize = 512 << 20;

/// Exit status for an internal compiler error.
const ICE_STATUS: i32 = 70;

fn install_ice_hook() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal compiler error: {info}");
        eprintln!("note: this is a bug in lljit; please report it with the input that caused it");
        std::process::exit(ICE_STATUS);
    }));
}

fn real_main(args: Vec<String>) -> i32 {
    let mut it = args.into_iter().skip(1);
    let Some(cmd) = it.next() else {
        eprint!("{USAGE}");
        return 2;
    };
    match cmd.as_str() {
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            0
        }
        "-V" | "--version" => {
            println!("lljit {}", env!("CARGO_PKG_VERSION"));
            0
        }
        "check" => {
            let files: Vec<String> = it.collect();
            if files.len() != 1 {
                eprintln!("error: `lljit check` takes one file\n\n{USAGE}");
                return 2;
            }
            driver::check_command(&PathBuf::from(&files[0]))
        }
        "aot" => aot_main(it.collect()),
        "compare" => compare_main(it.collect()),
        "run" => {
            let mut opts = JitOptions::default();
            let mut file = None;
            let mut rest = Vec::new();
            for a in it {
                if file.is_some() {
                    rest.push(a);
                    continue;
                }
                match a.as_str() {
                    "-O0" | "-O1" | "-O2" | "-O3" => opts.opt_level = a.as_bytes()[2] - b'0',
                    "--emit=llvm-ir" => opts.emit_ir = true,
                    "--trace-jit" => opts.trace = true,
                    s if s.starts_with('-') && s.len() > 1 => {
                        eprintln!("error: unknown option `{s}`\n\n{USAGE}");
                        return 2;
                    }
                    _ => file = Some(a),
                }
            }
            let Some(file) = file else {
                eprintln!("error: `lljit run` needs a file\n\n{USAGE}");
                return 2;
            };
            match driver::run_command(&PathBuf::from(&file), &rest, opts) {
                Ok(status) => status,
                Err(e) => {
                    eprintln!("error: internal compiler error: {e}");
                    eprintln!("note: this is a bug in lljit; please report it with the input that caused it");
                    ICE_STATUS
                }
            }
        }
        other => {
            eprintln!("error: unknown command `{other}`\n\n{USAGE}");
            2
        }
    }
}

fn aot_main(args: Vec<String>) -> i32 {
    use lljit::aot::{AotOptions, Emit, TargetCpu};
    let mut opts = AotOptions::default();
    let mut file: Option<String> = None;
    let mut output: Option<String> = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-O0" | "-O1" | "-O2" | "-O3" => opts.opt_level = a.as_bytes()[2] - b'0',
            "--lto" => opts.lto = true,
            "-v" | "--verbose" => opts.verbose = true,
            "-o" => match it.next() {
                Some(o) => output = Some(o),
                None => {
                    eprintln!("error: `-o` needs a path");
                    return 2;
                }
            },
            s if s.starts_with("--target-cpu=") => {
                opts.target_cpu = TargetCpu::parse(&s["--target-cpu=".len()..])
            }
            s if s.starts_with("--emit=") => {
                opts.emit = Some(match &s["--emit=".len()..] {
                    "llvm-ir" => Emit::LlvmIr,
                    "asm" => Emit::Asm,
                    "obj" => Emit::Obj,
                    other => {
                        eprintln!("error: unknown --emit kind `{other}` (llvm-ir, asm or obj)");
                        return 2;
                    }
                })
            }
            s if s.starts_with("--pgo-gen=") => {
                opts.pgo_gen = Some(PathBuf::from(&s["--pgo-gen=".len()..]))
            }
            s if s.starts_with("--pgo-use=") => {
                opts.pgo_use = Some(PathBuf::from(&s["--pgo-use=".len()..]))
            }
            s if s.starts_with('-') && s.len() > 1 => {
                eprintln!("error: unknown option `{s}`\n\n{USAGE}");
                return 2;
            }
            _ if file.is_none() => file = Some(a),
            _ => {
                eprintln!("error: `lljit aot` takes one file\n\n{USAGE}");
                return 2;
            }
        }
    }
    let Some(file) = file else {
        eprintln!("error: `lljit aot` needs a file\n\n{USAGE}");
        return 2;
    };
    if opts.pgo_gen.is_some() && opts.pgo_use.is_some() {
        eprintln!("error: --pgo-gen and --pgo-use cannot be combined");
        return 2;
    }
    let path = PathBuf::from(&file);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "a".into());
    opts.output = PathBuf::from(output.unwrap_or_else(|| match opts.emit {
        None => stem,
        Some(Emit::LlvmIr) => format!("{stem}.ll"),
        Some(Emit::Asm) => format!("{stem}.s"),
        Some(Emit::Obj) => format!("{stem}.o"),
    }));
    driver::aot_command(&path, &opts)
}

fn compare_main(args: Vec<String>) -> i32 {
    use lljit::compare::{self, CompareOptions};
    let mut opts = CompareOptions {
        runs: 5,
        ..Default::default()
    };
    let mut file: Option<String> = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--" => {
                opts.args = it.by_ref().collect();
            }
            "--runs" => match it
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|&n| n > 0)
            {
                Some(n) => opts.runs = n,
                None => {
                    eprintln!("error: `--runs` needs a positive number");
                    return 2;
                }
            },
            "--json" => opts.json = Some(PathBuf::from("-")),
            s if s.starts_with("--json=") => opts.json = Some(PathBuf::from(&s["--json=".len()..])),
            "--plot" => match it.next() {
                Some(p) => opts.plot = Some(PathBuf::from(p)),
                None => {
                    eprintln!("error: `--plot` needs an output path");
                    return 2;
                }
            },
            s if s.starts_with("--plot=") => opts.plot = Some(PathBuf::from(&s["--plot=".len()..])),
            s if s.starts_with('-') && s.len() > 1 => {
                eprintln!("error: unknown option `{s}`\n\n{USAGE}");
                return 2;
            }
            _ if file.is_none() => file = Some(a),
            _ => opts.args.push(a),
        }
    }
    let Some(file) = file else {
        eprintln!("error: `lljit compare` needs a file\n\n{USAGE}");
        return 2;
    };
    let path = PathBuf::from(&file);
    let results = match compare::compare(&path, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    if let Some(plot) = &opts.plot {
        if let Err(e) = lljit::plot::bar_chart(plot, &file, &results) {
            eprintln!("error: cannot draw {}: {e}", plot.display());
            return 1;
        }
    }
    match &opts.json {
        Some(j) => {
            let text = compare::json(&path, &opts.args, &results);
            if j.as_os_str() == "-" {
                print!("{text}");
            } else if let Err(e) = std::fs::write(j, text) {
                eprintln!("error: cannot write {}: {e}", j.display());
                return 1;
            }
            if j.as_os_str() != "-" {
                print!("{}", compare::table(&results, opts.runs));
            }
        }
        None => print!("{}", compare::table(&results, opts.runs)),
    }
    0
}

fn main() {
    install_ice_hook();
    let args: Vec<String> = std::env::args().collect();
    // The front end recurses over the tree; give it a deep stack. No thread:
    // the program later runs in this process, which must stay single-threaded.
    let status = match lljit_runtime::start::GuardedStack::new(FRONT_END_STACK, 64 << 10) {
        Some(stack) => stack.run(move || real_main(args)),
        None => {
            eprintln!("error: cannot reserve the compiler's stack");
            ICE_STATUS
        }
    };
    std::process::exit(status);
}
