//! A campaign: many generated programs tested in parallel, in batches that
//! share one clang invocation for their C twins; failures grouped by
//! signature, reduced and kept.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::gen::{generate, Options};
use crate::modes::Mode;
use crate::outcome::Status;
use crate::rng::mix64;
use crate::run::{compile_twins, evaluate, test_program, Failure, Tools, LC_FILE};
use crate::{emit_c, emit_lc, reduce};

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// How many programs.
    pub count: usize,
    /// The campaign seed; program `i`'s seed is derived from it.
    pub seed: u64,
    /// Worker threads.
    pub jobs: usize,
    /// Programs per batch (one clang invocation).
    pub batch: usize,
    /// Where failing programs (original and reduced) are written.
    pub keep: Option<PathBuf>,
    /// Whether to reduce failures.
    pub reduce: bool,
    /// Time budget for reducing one failure.
    pub reduce_budget: Duration,
    /// How many distinct signatures to reduce.
    pub reduce_max: usize,
    /// Generator options.
    pub opts: Options,
}

/// One failing program.
#[derive(Clone, Debug)]
pub struct Found {
    /// The program's seed.
    pub seed: u64,
    /// How it failed.
    pub failure: Failure,
}

/// What a campaign found.
#[derive(Debug, Default)]
pub struct Report {
    /// Programs tested.
    pub programs: usize,
    /// Programs whose C twin trapped (exit 101).
    pub traps: usize,
    /// Failing programs.
    pub failures: Vec<Found>,
    /// Wall time.
    pub elapsed: Duration,
}

/// The seed of program `i` of the campaign seeded `seed`.
pub fn program_seed(seed: u64, i: usize) -> u64 {
    mix64(seed ^ mix64(i as u64 + 1))
}

/// Runs the campaign, printing each failure as it is found.
pub fn run(cfg: &Config, tools: &Tools, modes: &[Mode]) -> Report {
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let report = Mutex::new(Report::default());
    let batches = cfg.count.div_ceil(cfg.batch);
    std::thread::scope(|s| {
        for _ in 0..cfg.jobs.max(1) {
            s.spawn(|| loop {
                let b = next.fetch_add(1, Ordering::SeqCst);
                if b >= batches {
                    break;
                }
                let lo = b * cfg.batch;
                let hi = (lo + cfg.batch).min(cfg.count);
                let results = run_batch(cfg, tools, modes, lo..hi);
                let mut r = report.lock().unwrap();
                for (seed, trapped, f) in results {
                    r.programs += 1;
                    r.traps += trapped as usize;
                    if let Some(failure) = f {
                        eprintln!("difftest: FAIL seed {seed:#x}: {}", failure.signature);
                        r.failures.push(Found { seed, failure });
                    }
                }
                let n = done.fetch_add(hi - lo, Ordering::SeqCst) + hi - lo;
                if n * 10 / cfg.count != (n - (hi - lo)) * 10 / cfg.count {
                    eprintln!(
                        "difftest: {n}/{} programs, {} failing, {:.1}s",
                        cfg.count,
                        r.failures.len(),
                        start.elapsed().as_secs_f64()
                    );
                }
            });
        }
    });
    let mut r = report.into_inner().unwrap();
    r.failures.sort_by_key(|f| f.seed);
    r.elapsed = start.elapsed();
    r
}

/// Tests programs `range` of the campaign: `(seed, twin trapped, failure)`.
fn run_batch(
    cfg: &Config,
    tools: &Tools,
    modes: &[Mode],
    range: std::ops::Range<usize>,
) -> Vec<(u64, bool, Option<Failure>)> {
    let dir = tempfile::Builder::new()
        .prefix("difftest-")
        .tempdir()
        .expect("temp dir");
    let mut progs = vec![];
    let mut twins = vec![];
    for (k, i) in range.enumerate() {
        let seed = program_seed(cfg.seed, i);
        let p = generate(seed, &cfg.opts);
        let lc = emit_lc::emit(&p);
        let entry = format!("dt_prog_{k}");
        twins.push((entry.clone(), emit_c::emit(&p, &lc, LC_FILE, &entry)));
        let pd = dir.path().join(format!("p{k}"));
        fs::create_dir(&pd).expect("program dir");
        fs::write(pd.join(LC_FILE), &lc.text).expect("write program");
        progs.push((seed, pd));
    }
    let exe = match compile_twins(tools, dir.path(), &twins) {
        Ok(e) => e,
        Err(msg) => {
            // A generator bug: find which twins do not compile, one by one.
            return progs
                .into_iter()
                .enumerate()
                .map(|(k, (seed, _))| {
                    let one = dir.path().join(format!("one{k}"));
                    fs::create_dir(&one).unwrap();
                    let ok = compile_twins(tools, &one, &twins[k..=k]).is_ok();
                    let f = (!ok).then(|| Failure {
                        signature: "twin: does not compile".into(),
                        details: msg.clone(),
                    });
                    (seed, false, f)
                })
                .collect();
        }
    };
    progs
        .into_iter()
        .enumerate()
        .map(|(k, (seed, pd))| {
            let (f, want) = test_program(tools, modes, &pd, &exe, Some(k));
            (seed, want.status == Status::Exit(101), f)
        })
        .collect()
}

/// Tests the program of one seed, printing its failure; reduces and keeps
/// it as [`keep_failures`] does.
pub fn one(cfg: &Config, tools: &Tools, modes: &[Mode], seed: u64) -> ExitCode {
    let dir = tempfile::Builder::new()
        .prefix("difftest-")
        .tempdir()
        .expect("temp dir");
    let p = generate(seed, &cfg.opts);
    match evaluate(tools, modes, &p, dir.path()) {
        None => {
            println!("difftest: seed {seed:#x} passes");
            ExitCode::SUCCESS
        }
        Some(failure) => {
            println!(
                "difftest: FAIL seed {seed:#x}: {}\n{}",
                failure.signature, failure.details
            );
            let r = Report {
                programs: 1,
                failures: vec![Found { seed, failure }],
                ..Report::default()
            };
            keep_failures(cfg, tools, modes, &r);
            ExitCode::FAILURE
        }
    }
}

/// Failures grouped by signature (first seed first).
pub fn by_signature(r: &Report) -> BTreeMap<String, Vec<u64>> {
    let mut m: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for f in &r.failures {
        m.entry(f.failure.signature.clone())
            .or_default()
            .push(f.seed);
    }
    m
}

/// Reduces the first program of each signature and writes original and
/// reduced program (LC, C twin, details) to the keep directory. Returns the
/// paths of the reduced programs.
pub fn keep_failures(cfg: &Config, tools: &Tools, modes: &[Mode], r: &Report) -> Vec<PathBuf> {
    let Some(keep) = &cfg.keep else { return vec![] };
    fs::create_dir_all(keep).expect("create --keep directory");
    let mut paths = vec![];
    for (n, (sig, seeds)) in by_signature(r).into_iter().enumerate() {
        let seed = seeds[0];
        let f = r.failures.iter().find(|f| f.seed == seed).unwrap();
        let p = generate(seed, &cfg.opts);
        let name = format!("{seed:016x}");
        write_program(keep, &name, &p, &format!("{sig}\n\n{}", f.failure.details));
        if cfg.reduce && n < cfg.reduce_max {
            eprintln!("difftest: reducing seed {seed:#x} ({sig})");
            let (small, failure) = reduce::reduce(tools, modes, &p, &f.failure, cfg.reduce_budget);
            let path = write_program(
                keep,
                &format!("{name}.reduced"),
                &small,
                &format!("{}\n\n{}", failure.signature, failure.details),
            );
            eprintln!("difftest: reduced to {}", path.display());
            paths.push(path);
        }
    }
    paths
}

fn write_program(
    dir: &std::path::Path,
    name: &str,
    p: &crate::ast::Program,
    details: &str,
) -> PathBuf {
    let lc = emit_lc::emit(p);
    let path = dir.join(format!("{name}.lc"));
    fs::write(&path, &lc.text).expect("write kept program");
    fs::write(
        dir.join(format!("{name}.c")),
        emit_c::emit(p, &lc, LC_FILE, "main"),
    )
    .expect("write kept twin");
    fs::write(dir.join(format!("{name}.txt")), details).expect("write details");
    path
}
