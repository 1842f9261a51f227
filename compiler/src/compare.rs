//! `lljit compare`: builds one program in every execution mode (the JIT and
//! the ahead-of-time baselines), checks that every mode prints the same
//! bytes, runs them interleaved and reports build time, time to first
//! output and wall time side by side.

use crate::aot::{self, AotOptions, TargetCpu};
use crate::driver;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How one mode runs the program.
#[derive(Clone, Debug)]
pub enum ModeKind {
    /// `lljit run -O<n>` (compiles while it runs).
    Jit { opt: u8 },
    /// An executable from `lljit aot`.
    Aot {
        opt: u8,
        cpu: TargetCpu,
        pgo_lto: bool,
    },
}

/// One execution mode.
#[derive(Clone, Debug)]
pub struct Mode {
    pub name: &'static str,
    pub kind: ModeKind,
}

/// The modes compared, in table order. The first AOT mode is the baseline.
pub fn modes() -> Vec<Mode> {
    vec![
        Mode {
            name: "jit",
            kind: ModeKind::Jit { opt: 2 },
        },
        Mode {
            name: "aot -O2 generic",
            kind: ModeKind::Aot {
                opt: 2,
                cpu: TargetCpu::Generic,
                pgo_lto: false,
            },
        },
        Mode {
            name: "aot -O3 host",
            kind: ModeKind::Aot {
                opt: 3,
                cpu: TargetCpu::Host,
                pgo_lto: false,
            },
        },
        Mode {
            name: "aot pgo+lto generic",
            kind: ModeKind::Aot {
                opt: 2,
                cpu: TargetCpu::Generic,
                pgo_lto: true,
            },
        },
        Mode {
            name: "aot pgo+lto host",
            kind: ModeKind::Aot {
                opt: 2,
                cpu: TargetCpu::Host,
                pgo_lto: true,
            },
        },
    ]
}

/// The baseline every mode's speed is relative to.
pub const BASELINE: &str = "aot -O2 generic";

/// Options of `lljit compare`. Each field but `args` is one command-line
/// option (its doc comment is the help text).
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct CompareOptions {
    /// Timed runs per mode, interleaved
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub runs: usize,
    /// Write the results as JSON to FILE (the table still goes to standard
    /// output) or, without =FILE, print only the JSON
    #[arg(long, value_name = "FILE", num_args = 0..=1, require_equals = true,
          default_missing_value = "-")]
    pub json: Option<PathBuf>,
    /// Draw a bar chart (median with min-max whiskers) into OUT.png
    #[arg(long, value_name = "OUT.png")]
    pub plot: Option<PathBuf>,
    /// The program's arguments.
    #[arg(skip)]
    pub args: Vec<String>,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            runs: 5,
            json: None,
            plot: None,
            args: Vec::new(),
        }
    }
}

/// Measurements of one mode.
#[derive(Clone, Debug)]
pub struct ModeResult {
    pub name: String,
    /// Build time (for PGO: instrumented build + training run + final build).
    pub build: Option<Duration>,
    /// Time to the first byte on standard output, per run.
    pub first_output: Vec<Duration>,
    /// Wall time per run.
    pub wall: Vec<Duration>,
}

fn median(v: &[Duration]) -> Duration {
    let mut s = v.to_vec();
    s.sort();
    if s.is_empty() {
        Duration::ZERO
    } else if s.len() % 2 == 1 {
        s[s.len() / 2]
    } else {
        (s[s.len() / 2 - 1] + s[s.len() / 2]) / 2
    }
}

impl ModeResult {
    pub fn median(&self) -> Duration {
        median(&self.wall)
    }
    pub fn min(&self) -> Duration {
        self.wall.iter().min().copied().unwrap_or_default()
    }
    pub fn max(&self) -> Duration {
        self.wall.iter().max().copied().unwrap_or_default()
    }
    pub fn first_output_median(&self) -> Duration {
        median(&self.first_output)
    }
}

struct RunOutcome {
    stdout: Vec<u8>,
    status: Option<i32>,
    first_output: Duration,
    wall: Duration,
}

fn run_once(mut cmd: Command) -> Result<RunOutcome, String> {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let mut out = child.stdout.take().expect("piped stdout");
    let mut stdout = Vec::new();
    let mut first = None;
    let mut buf = [0u8; 65536];
    loop {
        match out.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if first.is_none() {
                    first = Some(start.elapsed());
                }
                stdout.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.to_string()),
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let wall = start.elapsed();
    Ok(RunOutcome {
        stdout,
        status: status.code(),
        first_output: first.unwrap_or(wall),
        wall,
    })
}

/// Runs the comparison; gives the results in mode order.
pub fn compare(file: &Path, opts: &CompareOptions) -> Result<Vec<ModeResult>, String> {
    let lljit = std::env::current_exe().map_err(|e| e.to_string())?;
    let fe = driver::frontend(file, &mut driver::FsReader);
    if !fe.diags.is_empty() {
        crate::diag::emit(&fe.sources, &fe.diags);
        return Err("the program has errors".into());
    }
    let prog = fe.program.ok_or("the program has errors")?;
    let work = std::env::temp_dir().join(format!("lljit-compare-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let cleanup = Cleanup(work.clone());
    let modes = modes();
    let mut commands: Vec<Box<dyn Fn() -> Command>> = Vec::new();
    let mut results = Vec::new();
    for (i, mode) in modes.iter().enumerate() {
        eprintln!(
            "compare: [{}/{}] building {}",
            i + 1,
            modes.len(),
            mode.name
        );
        let args = opts.args.clone();
        match &mode.kind {
            ModeKind::Jit { opt } => {
                let (lljit, file, opt) = (lljit.clone(), file.to_path_buf(), *opt);
                commands.push(Box::new(move || {
                    let mut c = Command::new(&lljit);
                    c.arg("run").arg(format!("-O{opt}")).arg(&file).args(&args);
                    c
                }));
                results.push(ModeResult {
                    name: mode.name.into(),
                    build: None,
                    first_output: vec![],
                    wall: vec![],
                });
            }
            ModeKind::Aot { opt, cpu, pgo_lto } => {
                let exe = work.join(format!("mode{i}"));
                let start = Instant::now();
                let mut o = AotOptions {
                    opt_level: *opt,
                    target_cpu: cpu.clone(),
                    output: exe.clone(),
                    ..Default::default()
                };
                if *pgo_lto {
                    let profdir = work.join(format!("profile{i}"));
                    let _ = std::fs::remove_dir_all(&profdir);
                    o.pgo_gen = Some(profdir.clone());
                    aot::build(&prog, &fe.sources, &o)?;
                    eprintln!(
                        "compare: [{}/{}] training run of {}",
                        i + 1,
                        modes.len(),
                        mode.name
                    );
                    let mut c = Command::new(&exe);
                    c.args(&opts.args);
                    // argv[0] must name the source, as under the JIT.
                    let train = run_once(argv0(c, &exe, file))?;
                    if train.status.is_none() {
                        return Err(format!(
                            "the training run of {} was killed by a signal",
                            mode.name
                        ));
                    }
                    o.pgo_gen = None;
                    o.pgo_use = Some(profdir);
                    o.lto = true;
                    aot::build(&prog, &fe.sources, &o)?;
                } else {
                    aot::build(&prog, &fe.sources, &o)?;
                }
                let build = start.elapsed();
                let file = file.to_path_buf();
                commands.push(Box::new(move || {
                    let mut c = Command::new(&exe);
                    c.args(&args);
                    argv0(c, &exe, &file)
                }));
                results.push(ModeResult {
                    name: mode.name.into(),
                    build: Some(build),
                    first_output: vec![],
                    wall: vec![],
                });
            }
        }
    }
    // Correctness first: every mode prints the same bytes with the same status.
    let mut reference: Option<(Vec<u8>, Option<i32>)> = None;
    for (i, make) in commands.iter().enumerate() {
        let r = run_once(make())?;
        match &reference {
            None => reference = Some((r.stdout, r.status)),
            Some((out, status)) => {
                if *out != r.stdout || *status != r.status {
                    return Err(format!(
                        "`{}` differs from `{}`: exit status {:?} vs {:?}, output {} vs {} bytes{}",
                        modes[i].name,
                        modes[0].name,
                        r.status,
                        status,
                        r.stdout.len(),
                        out.len(),
                        first_difference(out, &r.stdout)
                    ));
                }
            }
        }
    }
    let runs = opts.runs.max(1);
    for round in 0..runs {
        eprintln!("compare: run {}/{} of every mode", round + 1, runs);
        for (i, make) in commands.iter().enumerate() {
            let r = run_once(make())?;
            results[i].wall.push(r.wall);
            results[i].first_output.push(r.first_output);
        }
    }
    drop(cleanup);
    Ok(results)
}

/// Runs an executable with `argv[0]` set to the source path (as `lljit run` does).
fn argv0(mut c: Command, _exe: &Path, file: &Path) -> Command {
    use std::os::unix::process::CommandExt;
    c.arg0(file);
    c
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let line = a
        .iter()
        .zip(b)
        .take_while(|(x, y)| x == y)
        .filter(|(x, _)| **x == b'\n')
        .count()
        + 1;
    format!(" (first difference on line {line})")
}

struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The results as a text table.
pub fn table(results: &[ModeResult], runs: usize) -> String {
    let base = results
        .iter()
        .find(|r| r.name == BASELINE)
        .map(|r| r.median())
        .unwrap_or_default();
    let mut s = format!(
        "{:<22} {:>9} {:>12} {:>9} {:>9} {:>9} {:>9}\n",
        "mode", "build s", "1st out ms", "median s", "min s", "max s", "speed"
    );
    for r in results {
        let build = r
            .build
            .map(|b| format!("{:.2}", secs(b)))
            .unwrap_or_else(|| "(in run)".into());
        let speed = if r.median().is_zero() {
            0.0
        } else {
            secs(base) / secs(r.median())
        };
        s.push_str(&format!(
            "{:<22} {:>9} {:>12.1} {:>9.3} {:>9.3} {:>9.3} {:>8.2}x\n",
            r.name,
            build,
            secs(r.first_output_median()) * 1e3,
            secs(r.median()),
            secs(r.min()),
            secs(r.max()),
            speed
        ));
    }
    s.push_str(&format!(
        "({runs} interleaved runs per mode; speed = median of `{BASELINE}` / median of the mode)\n"
    ));
    s
}

fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// The results as JSON.
pub fn json(file: &Path, args: &[String], results: &[ModeResult]) -> String {
    let base = results
        .iter()
        .find(|r| r.name == BASELINE)
        .map(|r| r.median())
        .unwrap_or_default();
    let list = |v: &[Duration]| {
        v.iter()
            .map(|d| format!("{:.6}", secs(*d)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = format!(
        "{{\n  \"program\": {},\n  \"args\": [{}],\n  \"baseline\": {},\n  \"modes\": [\n",
        json_str(&file.display().to_string()),
        args.iter()
            .map(|a| json_str(a))
            .collect::<Vec<_>>()
            .join(", "),
        json_str(BASELINE)
    );
    for (i, r) in results.iter().enumerate() {
        s.push_str(&format!(
            "    {{\"name\": {}, \"build_s\": {}, \"first_output_s\": [{}], \"wall_s\": [{}], \"median_s\": {:.6}, \"min_s\": {:.6}, \"max_s\": {:.6}, \"speed_vs_baseline\": {:.4}}}{}\n",
            json_str(&r.name),
            r.build.map(|b| format!("{:.6}", secs(b))).unwrap_or_else(|| "null".into()),
            list(&r.first_output),
            list(&r.wall),
            secs(r.median()),
            secs(r.min()),
            secs(r.max()),
            if r.median().is_zero() { 0.0 } else { secs(base) / secs(r.median()) },
            if i + 1 == results.len() { "" } else { "," }
        ));
    }
    s.push_str("  ]\n}\n");
    s
}
