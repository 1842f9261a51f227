//! JIT profiles for ahead-of-time builds: what a JIT run observed (`lljit
//! run --profile-out=FILE`), written as text, read back by `lljit aot
//! --pgo-use=FILE` and turned into the plan that lowering already takes
//! from a tier-1 profile (branch weights, promoted indirect calls, calls of
//! functions never called marked cold). A PGO build without an
//! instrumented build and training run.
//!
//! The format, one item per line (`#` starts a comment):
//!
//! ```text
//! lljit-profile 1
//! fn NAME SHAPE CALLS        a function that ran profiling code
//! branch SITE TAKEN NOT      its branch or loop site's counts
//! call SITE TARGET COUNT     its indirect-call site's dominant target
//! never NAME                 a function the run never called
//! ```
//!
//! `SHAPE` is the function's parameter count and site kinds (`2:bli`): a
//! function whose shape changed since the run is left out with a warning,
//! as are names the program no longer defines.

use crate::codegen::TierPlan;
use crate::tast::{FuncId, Program, SiteKind};
use std::collections::HashMap;
use std::fmt::Write;
use std::path::Path;

/// The first line of a profile.
pub const MAGIC: &str = "lljit-profile 1";

/// What the run observed of one function.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FuncEntry {
    pub shape: String,
    pub calls: u64,
    /// (site, taken, not taken).
    pub branches: Vec<(u32, u64, u64)>,
    /// (site, target function, calls of it).
    pub targets: Vec<(u32, String, u64)>,
}

/// A JIT run's profile, by function name.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct JitProfile {
    pub funcs: Vec<(String, FuncEntry)>,
    pub never: Vec<String>,
}

/// Function `id`'s shape: its parameter count and site kinds.
pub fn shape(prog: &Program, id: FuncId) -> String {
    let f = &prog.funcs[id];
    let kinds: String = f
        .sites
        .iter()
        .map(|k| match k {
            SiteKind::Branch => 'b',
            SiteKind::Loop => 'l',
            SiteKind::IndirectCall => 'i',
        })
        .collect();
    format!("{}:{kinds}", f.params.len())
}

impl JitProfile {
    /// The profile as text.
    pub fn to_text(&self) -> String {
        let mut s = format!("{MAGIC}\n");
        for (name, e) in &self.funcs {
            let _ = writeln!(s, "fn {name} {} {}", e.shape, e.calls);
            for (site, t, n) in &e.branches {
                let _ = writeln!(s, "branch {site} {t} {n}");
            }
            for (site, g, c) in &e.targets {
                let _ = writeln!(s, "call {site} {g} {c}");
            }
        }
        for name in &self.never {
            let _ = writeln!(s, "never {name}");
        }
        s
    }

    /// Reads a profile; the error says which line is wrong.
    pub fn parse(text: &str) -> Result<JitProfile, String> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, l)) if l.trim() == MAGIC => {}
            _ => {
                return Err(format!(
                    "not a JIT profile (its first line is not `{MAGIC}`)"
                ))
            }
        }
        let mut p = JitProfile::default();
        for (i, line) in lines {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = || format!("line {}: cannot read `{line}`", i + 1);
            let w: Vec<&str> = line.split_whitespace().collect();
            let num = |s: &str| s.parse::<u64>().map_err(|_| bad());
            match w.as_slice() {
                ["fn", name, shape, calls] => p.funcs.push((
                    name.to_string(),
                    FuncEntry {
                        shape: shape.to_string(),
                        calls: num(calls)?,
                        ..FuncEntry::default()
                    },
                )),
                ["branch", site, t, n] => {
                    let e = &mut p.funcs.last_mut().ok_or_else(bad)?.1;
                    e.branches.push((num(site)? as u32, num(t)?, num(n)?));
                }
                ["call", site, g, c] => {
                    let e = &mut p.funcs.last_mut().ok_or_else(bad)?.1;
                    e.targets.push((num(site)? as u32, g.to_string(), num(c)?));
                }
                ["never", name] => p.never.push(name.to_string()),
                _ => return Err(bad()),
            }
        }
        Ok(p)
    }

    /// Reads the profile at `path`.
    pub fn read(path: &Path) -> Result<JitProfile, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the profile {}: {e}", path.display()))?;
        JitProfile::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The plan lowering takes from this profile for `prog`, and a warning
    /// per function left out (renamed, or changed since the run).
    pub fn plan(&self, prog: &Program) -> (TierPlan, Vec<String>) {
        let by_name: HashMap<&str, FuncId> = prog
            .funcs
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.is_extern())
            .map(|(i, f)| (f.name.as_str(), i))
            .collect();
        let mut plan = TierPlan::default();
        let mut warnings = Vec::new();
        for (name, e) in &self.funcs {
            let Some(&id) = by_name.get(name.as_str()) else {
                warnings.push(format!("the program defines no function `{name}`"));
                continue;
            };
            if shape(prog, id) != e.shape {
                warnings.push(format!("`{name}` changed since the profile was taken"));
                continue;
            }
            for &(site, t, n) in &e.branches {
                if t + n > 0 {
                    plan.weights
                        .insert((id, site), crate::jit::scaled_weights(t, n));
                }
            }
            let calls = prog.funcs[id].indirect_calls();
            for (site, g, _) in &e.targets {
                let Some(&g) = by_name.get(g.as_str()) else {
                    continue;
                };
                // Only a target of the call's own type can be called directly.
                let fits = calls
                    .iter()
                    .any(|(s, ty)| s == site && prog.funcs[g].fits(ty));
                if fits {
                    plan.targets.insert((id, *site), g);
                }
            }
        }
        for name in &self.never {
            if let Some(&id) = by_name.get(name.as_str()) {
                plan.cold.insert(id);
            }
        }
        (plan, warnings)
    }
}

/// True when `path` is a file that starts like a JIT profile.
pub fn is_jit_profile(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; MAGIC.len()];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|_| head == MAGIC.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::driver::checked;

    const PROG: &str = "fn inc(x: i64) -> i64 { return x + 1; }\n\
        fn dec(x: i64) -> i64 { return x - 1; }\n\
        fn f(g: fn(i64) -> i64, n: i64) -> i64 { var s: i64 = 0; \
        while (s < n) { s = g(s); if (s > 100) { return s; } } return s; }\n\
        fn main() -> i32 { return f(inc, 3) as i32; }\n";

    fn sample(prog: &Program) -> JitProfile {
        let f = prog.funcs.iter().position(|f| f.name == "f").unwrap();
        JitProfile {
            funcs: vec![(
                "f".into(),
                FuncEntry {
                    shape: shape(prog, f),
                    calls: 10,
                    branches: vec![(0, 30, 10), (2, 0, 30)],
                    targets: vec![(1, "inc".into(), 30)],
                },
            )],
            never: vec!["dec".into()],
        }
    }

    #[test]
    fn a_profile_reads_back_what_was_written() {
        let prog = checked(PROG);
        let p = sample(&prog);
        assert_eq!(shape(&prog, 2), "2:lib");
        assert_eq!(JitProfile::parse(&p.to_text()).unwrap(), p);
        assert!(JitProfile::parse("lljit-profile 1\nbranch 0 1 2\n").is_err());
        assert!(JitProfile::parse("something else\n").is_err());
    }

    #[test]
    fn the_plan_has_weights_promotions_and_cold_functions() {
        let prog = checked(PROG);
        let (plan, warnings) = sample(&prog).plan(&prog);
        assert!(warnings.is_empty(), "{warnings:?}");
        let id = |n: &str| prog.funcs.iter().position(|f| f.name == n).unwrap();
        assert_eq!(plan.weights.get(&(id("f"), 0)), Some(&(31, 11)));
        assert_eq!(plan.weights.get(&(id("f"), 2)), Some(&(1, 31)));
        assert_eq!(plan.targets.get(&(id("f"), 1)), Some(&id("inc")));
        assert!(plan.cold.contains(&id("dec")));
    }

    #[test]
    fn a_changed_or_missing_function_is_left_out_with_a_warning() {
        let prog = checked(PROG);
        let mut p = sample(&prog);
        p.funcs[0].1.shape = "2:l".into();
        p.funcs.push(("gone".into(), FuncEntry::default()));
        let (plan, warnings) = p.plan(&prog);
        assert!(plan.weights.is_empty() && plan.targets.is_empty());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }
}
