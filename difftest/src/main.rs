//! `difftest`: the command line of the random differential tester.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use difftest::campaign::{self, Config};
use difftest::gen::{generate, Options};
use difftest::modes::modes;
use difftest::run::{Tools, LC_FILE};
use difftest::{emit_c, emit_lc};

const USAGE: &str = "\
usage: difftest [--count N] [--seed S] [--jobs J] [--keep DIR] [options]
       difftest --show SEED [--c]
  --count N         programs to test (default 100)
  --seed S          campaign seed, decimal or 0x-hex (default: random, printed)
  --jobs J          parallel workers (default: number of cores)
  --keep DIR        write failing programs, reduced reproducers and details to DIR
  --batch B         programs per clang invocation (default 8)
  --no-reduce       do not reduce failures
  --reduce-secs T   time budget to reduce one failure (default 120)
  --reduce-max N    distinct failure signatures to reduce (default 5)
  --avoid LIST      leave out features: fn-globals, fn-identity, traps, neg-literal
  --lljit PATH      the lljit binary (default: next to this executable)
  --timeout T       seconds one process may run (default 20)
  --show SEED       print the program for a program seed (its C twin with --c)
  --one SEED        test one program seed (reduced into --keep DIR when it fails)";

fn main() -> ExitCode {
    match real_main() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("difftest: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse_u64(s: &str) -> Result<u64, String> {
    let r = match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16),
        None => s.parse(),
    };
    r.map_err(|_| format!("not a number: `{s}`"))
}

fn real_main() -> Result<ExitCode, String> {
    let jobs = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let mut cfg = Config {
        count: 100,
        seed: random_seed(),
        jobs,
        batch: 8,
        keep: None,
        reduce: true,
        reduce_budget: Duration::from_secs(120),
        reduce_max: 5,
        opts: Options::default(),
    };
    let mut lljit = None;
    let mut timeout = 20;
    let mut show = None;
    let mut show_c = false;
    let mut one = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--count" => cfg.count = parse_u64(&val("--count")?)? as usize,
            "--seed" => cfg.seed = parse_u64(&val("--seed")?)?,
            "--jobs" => cfg.jobs = parse_u64(&val("--jobs")?)?.max(1) as usize,
            "--batch" => cfg.batch = parse_u64(&val("--batch")?)?.max(1) as usize,
            "--keep" => cfg.keep = Some(PathBuf::from(val("--keep")?)),
            "--no-reduce" => cfg.reduce = false,
            "--reduce-max" => cfg.reduce_max = parse_u64(&val("--reduce-max")?)? as usize,
            "--reduce-secs" => {
                cfg.reduce_budget = Duration::from_secs(parse_u64(&val("--reduce-secs")?)?)
            }
            "--avoid" => cfg.opts = Options::parse_avoid(&val("--avoid")?)?,
            "--lljit" => lljit = Some(PathBuf::from(val("--lljit")?)),
            "--timeout" => timeout = parse_u64(&val("--timeout")?)?,
            "--show" => show = Some(parse_u64(&val("--show")?)?),
            "--c" => show_c = true,
            "--one" => one = Some(parse_u64(&val("--one")?)?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            _ => return Err(format!("unknown argument `{a}`")),
        }
    }
    if let Some(seed) = show {
        let p = generate(seed, &cfg.opts);
        let lc = emit_lc::emit(&p);
        if show_c {
            print!("{}", emit_c::emit(&p, &lc, LC_FILE, "main"));
        } else {
            print!("{}", lc.text);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let lljit = match lljit {
        Some(p) => p,
        None => std::env::current_exe()
            .map_err(|e| e.to_string())?
            .with_file_name("lljit"),
    };
    if !lljit.exists() {
        return Err(format!(
            "no lljit at {} (build it, or pass --lljit)",
            lljit.display()
        ));
    }
    let tools = Tools {
        lljit,
        clang: "clang-19".into(),
        timeout: Duration::from_secs(timeout),
    };
    let modes = modes();
    if let Some(seed) = one {
        return Ok(campaign::one(&cfg, &tools, &modes, seed));
    }
    eprintln!(
        "difftest: seed {:#x}, {} programs, {} jobs, {} modes + C twin (reproduce with --seed {:#x})",
        cfg.seed,
        cfg.count,
        cfg.jobs,
        modes.len(),
        cfg.seed
    );
    let report = campaign::run(&cfg, &tools, &modes);
    let secs = report.elapsed.as_secs_f64();
    println!(
        "difftest: {} programs in {:.1}s ({:.2} programs/s), {} trapping in the C twin, {} failing",
        report.programs,
        secs,
        report.programs as f64 / secs.max(1e-9),
        report.traps,
        report.failures.len()
    );
    for (sig, seeds) in campaign::by_signature(&report) {
        let list: Vec<String> = seeds.iter().take(5).map(|s| format!("{s:#x}")).collect();
        println!(
            "  {:4}  {sig}  (seeds {}{})",
            seeds.len(),
            list.join(" "),
            if seeds.len() > 5 { " …" } else { "" }
        );
    }
    if !report.failures.is_empty() {
        println!("difftest: show a program with `difftest --show SEED`; rerun the campaign with --seed {:#x}", cfg.seed);
    }
    campaign::keep_failures(&cfg, &tools, &modes, &report);
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A seed from the clock and the process id (printed, so it reproduces).
fn random_seed() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    difftest::rng::mix64(t ^ ((std::process::id() as u64) << 32))
}
