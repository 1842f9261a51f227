//! Robustness: pushes more than 10,000 generated and mutated inputs through
//! the front end (`lljit check` in-process) and requires that none panics
//! and none takes long. Deterministic: a fixed-seed generator mutates the
//! conformance cases, the realistic programs and the benchmarks.

use lljit::driver::{frontend, MemoryReader};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Inputs checked in total (seeds × mutations + generated token soup).
const TOTAL: usize = 10_500;
/// Longest a single input may take to check.
const PER_INPUT_LIMIT: Duration = Duration::from_secs(2);

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const FRAGMENTS: &[&str] = &[
    "fn",
    "extern",
    "struct",
    "const",
    "var",
    "let",
    "if",
    "else",
    "while",
    "for",
    "break",
    "continue",
    "return",
    "as",
    "sizeof",
    "true",
    "false",
    "null",
    "import",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ";",
    ":",
    ".",
    "...",
    "->",
    "?",
    "+",
    "-",
    "*",
    "/",
    "%",
    "&",
    "|",
    "^",
    "~",
    "!",
    "<<",
    ">>",
    "&&",
    "||",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "+=",
    "<<=",
    "x",
    "main",
    "i32",
    "u8",
    "*u8",
    "[4]i64",
    "fn(i32) -> i32",
    "0",
    "1",
    "255u8",
    "0x7fffffffffffffff",
    "18446744073709551616",
    "1.5e300",
    "'a'",
    "'\\x41'",
    "\"s\\n\"",
    "@popcount",
    "@min",
    "@fma",
    "@nope",
    "/*",
    "*/",
    "//",
    "\n",
    " ",
    "\"unterminated",
    "'",
    "\\q",
    "\u{e9}",
    "\u{0}",
    "Point { x: 1 }",
    "[1, 2, 3]",
    "a[i]",
    "p.x",
    "&x",
    "*p",
    "f(1, 2)",
    "x as f64",
    "c ? a : b",
];

fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![
        root.join("lang-tests/cases"),
        root.join("lang-tests/programs"),
        root.join("bench/programs"),
    ];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "lc") {
                out.push(std::fs::read(&p).unwrap());
            }
        }
    }
    assert!(
        out.len() > 100,
        "expected the conformance suite as seeds, found {} files",
        out.len()
    );
    out
}

fn mutate(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
    let mut v = src.to_vec();
    let rounds = 1 + rng.below(6);
    for _ in 0..rounds {
        let len = v.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                v[i] = rng.next() as u8;
            }
            1 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below(20.min(len - i));
                v.drain(i..i + n);
            }
            2 => {
                let i = rng.below(len + 1);
                let f = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                v.splice(i..i, f.iter().copied());
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(200)).min(len);
                let chunk: Vec<u8> = v[a..b].to_vec();
                let i = rng.below(len + 1);
                v.splice(i..i, chunk);
            }
            4 => v.truncate(rng.below(len + 1)),
            5 => {
                // Deep nesting of one bracket kind or operator.
                let open = ["(", "[", "{", "-", "!", "*", "&"][rng.below(7)];
                let n = [10, 300, 5_000, 20_000][rng.below(4)];
                let i = rng.below(len + 1);
                let s = open.repeat(n);
                v.splice(i..i, s.into_bytes());
            }
            6 => {
                // A long left-associative chain.
                let n = [100, 2_000, 30_000][rng.below(3)];
                let mut s = b"fn main() -> i32 { let x = 1".to_vec();
                for _ in 0..n {
                    s.extend_from_slice(b" + 1");
                }
                s.extend_from_slice(b"; return 0; }\n");
                v.extend_from_slice(&s);
            }
            7 if len > 0 => {
                // Swap two lines.
                let text = v.clone();
                let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
                let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                lines.swap(a, b);
                v = lines.join(&b'\n');
            }
            _ => {
                let i = rng.below(len + 1);
                let bytes: Vec<u8> = (0..1 + rng.below(8)).map(|_| rng.next() as u8).collect();
                v.splice(i..i, bytes);
            }
        }
    }
    v
}

fn soup(rng: &mut Rng) -> Vec<u8> {
    let n = 1 + rng.below(200);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
        s.push(' ');
    }
    s.into_bytes()
}

fn check_all() {
    let seeds = seeds();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut inputs = 0usize;
    let mut slowest = Duration::ZERO;
    let mut diagnosed = 0usize;
    while inputs < TOTAL {
        let input = if inputs % 10 == 9 {
            soup(&mut rng)
        } else {
            let s = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, s)
        };
        let start = Instant::now();
        let name = PathBuf::from("fuzz.lc");
        let mut reader = MemoryReader {
            name: name.clone(),
            bytes: input.clone(),
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            frontend(&name, &mut reader)
        }));
        let took = start.elapsed();
        match result {
            Ok(fe) => {
                if !fe.diags.is_empty() {
                    diagnosed += 1;
                }
                // Diagnostics must point into the file.
                for d in &fe.diags {
                    let len = fe.sources.file(d.span.file).text.len() as u32;
                    assert!(
                        d.span.start <= d.span.end && d.span.end <= len,
                        "span out of range for input #{inputs}"
                    );
                }
            }
            Err(_) => {
                let path = std::env::temp_dir().join(format!("lljit-robustness-{inputs}.lc"));
                std::fs::write(&path, &input).unwrap();
                panic!(
                    "the front end panicked on input #{inputs} (saved to {})",
                    path.display()
                );
            }
        }
        if took > slowest {
            slowest = took;
            if std::env::var_os("LLJIT_ROBUSTNESS_SAVE_SLOWEST").is_some() {
                std::fs::write(
                    std::env::temp_dir().join("lljit-robustness-slowest.lc"),
                    &input,
                )
                .unwrap();
            }
        }
        assert!(took < PER_INPUT_LIMIT, "input #{inputs} took {took:?}");
        inputs += 1;
    }
    assert!(
        diagnosed > TOTAL / 2,
        "most mutated inputs should be diagnosed, only {diagnosed} were"
    );
    eprintln!("robustness: {inputs} inputs, {diagnosed} with diagnostics, slowest {slowest:?}");
}

#[test]
fn ten_thousand_mutated_inputs_never_crash_or_hang() {
    // The compiler runs its front end on a 512 MiB stack; do the same here.
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(check_all)
        .unwrap()
        .join()
        .unwrap();
}
