//! REPL transcripts: `repl/*.lcr` files of inputs with the expected output
//! inline, fed to `lljit repl` through standard input (so prompts are off)
//! in every JIT mode. Standard output and standard error are one stream, so
//! results, diagnostics and runtime errors interleave as a person sees them.
//!
//! ```text
//! ## comment
//! ##@ options: --trace-jit   extra `lljit repl` options (the file then
//!                            runs in the default mode only)
//! ##@ status: 0              the exit status expected (by default 1 when
//!                            an expected line starts with `error`,
//!                            `runtime error:` or `interrupted`, else 0)
//! lc> fn sq(x: i32) -> i32 {     the first line of an input
//! ...   return x * x; }          a continuation line of the same input
//! lc> sq(7)
//! = 49 : i32                     expected output (any other line)
//! ```

use super::{spawn_with_timeout, Env, RUN_TIMEOUT};
use std::fs;
use std::path::Path;
use std::process::Command;

/// A parsed transcript.
pub struct Transcript {
    /// What is fed to standard input.
    pub input: String,
    /// The expected output lines.
    pub output: Vec<String>,
    pub options: Vec<String>,
    /// The exit status expected.
    pub status: i32,
}

/// Parses a transcript file.
pub fn parse(text: &str) -> Result<Transcript, String> {
    let mut t = Transcript {
        input: String::new(),
        output: Vec::new(),
        options: Vec::new(),
        status: 0,
    };
    let mut status = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("##@ options:") {
            t.options.extend(rest.split_whitespace().map(String::from));
        } else if let Some(rest) = line.strip_prefix("##@ status:") {
            let n = rest.trim().parse().map_err(|_| "bad `##@ status:`")?;
            status = Some(n);
        } else if line.starts_with("##") {
            continue;
        } else if let Some(input) = line
            .strip_prefix("lc> ")
            .or_else(|| line.strip_prefix("..."))
        {
            let input = input.strip_prefix(' ').unwrap_or(input);
            t.input.push_str(input);
            t.input.push('\n');
        } else if line == "lc>" {
            t.input.push('\n');
        } else {
            t.output.push(line.to_string());
        }
    }
    if t.input.is_empty() {
        return Err("no input lines (`lc> ...`)".into());
    }
    // A piped session exits with 1 when an input failed.
    let failed = |l: &String| {
        l.starts_with("error") || l.starts_with("runtime error:") || l == "interrupted"
    };
    t.status = status.unwrap_or(if t.output.iter().any(failed) { 1 } else { 0 });
    Ok(t)
}

/// Runs a transcript with `lljit repl MODE_OPTIONS OPTIONS`.
pub fn run(env: &Env, rel: &Path, mode_options: &[&str]) -> Result<(), String> {
    let text = fs::read_to_string(env.root.join(rel)).map_err(|e| format!("cannot read: {e}"))?;
    let t = parse(&text).map_err(|e| format!("bad transcript: {e}"))?;
    let name: String = rel
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let stdin = env.tmp.join(format!(
        "{name}{}.in",
        mode_options.join("").replace(['-', '='], "_")
    ));
    fs::write(&stdin, &t.input).map_err(|e| format!("cannot write {}: {e}", stdin.display()))?;
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(r#"in="$1"; shift; exec "$LLJIT_BIN" repl "$@" < "$in" 2>&1"#)
        .arg("repl")
        .arg(&stdin)
        .args(mode_options)
        .args(&t.options)
        .current_dir(&env.root)
        .env("LLJIT_BIN", &env.lljit)
        .env("NO_COLOR", "1");
    let out = spawn_with_timeout(&mut cmd, RUN_TIMEOUT)?;
    if out.timed_out {
        return Err(format!("timed out after {} s", RUN_TIMEOUT.as_secs()));
    }
    if out.code != Some(t.status) {
        return Err(format!(
            "expected exit status {}, got {} (output: {:?})",
            t.status,
            out.status(),
            out.stdout.lines().rev().take(3).collect::<Vec<_>>()
        ));
    }
    match super::diff_stdout(&t.output, &out.stdout) {
        None => Ok(()),
        Some(d) => Err(d.replacen("stdout", "output", 1)),
    }
}
