//! The execution modes of lljit's test and measuring tools, declared once:
//! the conformance suite (`lang-tests`), the differential tester
//! (`difftest`) and `lljit compare` each run a program in the modes of
//! [`MODES`] marked for them. A new tier or stress mode is one more row.
//! This crate depends on nothing, so every tool can use it.

/// How a mode runs a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// `lljit run ARGS FILE PROGRAM-ARGS`: the JIT.
    Run,
    /// The same run twice with one code cache (`LLJIT_CACHE_DIR`): the
    /// second run, which links the optimized code the first one left in
    /// the cache, is the one checked.
    RunWarm,
    /// `lljit aot ARGS FILE -o EXE`, then `EXE PROGRAM-ARGS`.
    Aot,
    /// Profile-guided and link-time optimized: `lljit aot --pgo-gen=DIR
    /// ARGS FILE -o EXE`, one training run of `EXE PROGRAM-ARGS`, then
    /// `lljit aot --pgo-use=DIR --lto ARGS FILE -o EXE` (only `lljit
    /// compare` makes training runs).
    AotPgoLto,
    /// Guided by a JIT run's profile: `lljit run --profile-out=FILE FILE
    /// PROGRAM-ARGS`, then `lljit aot --pgo-use=FILE --lto ARGS FILE -o
    /// EXE` (only `lljit compare`).
    AotJitProfile,
}

/// A tool that runs programs in several modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// The conformance suite: every case must behave alike in its modes.
    LangTests,
    /// The differential tester: every mode against a C twin.
    Difftest,
    /// `lljit compare`: every mode timed side by side.
    Compare,
}

/// One execution mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mode {
    /// Its name in reports, failure signatures and `LLJIT_MODES`.
    pub name: &'static str,
    /// How it runs.
    pub how: How,
    /// The options of `lljit run` or `lljit aot` (before the file).
    pub args: &'static [&'static str],
    /// The tools that run programs in it.
    pub tools: &'static [Tool],
}

impl Mode {
    /// True when `tool` runs programs in this mode.
    pub fn used_by(&self, tool: Tool) -> bool {
        self.tools.contains(&tool)
    }
}

/// The modes of `tool`, in table order.
pub fn modes_for(tool: Tool) -> impl Iterator<Item = &'static Mode> {
    MODES.iter().filter(move |m| m.used_by(tool))
}

use Tool::{Compare, Difftest, LangTests};

/// Every execution mode. The JIT modes cover every tier: the default, the
/// untiered baseline, tier-up after the first or second call (so tier 1
/// runs nearly everything, specialized on the first values), a guard that
/// always misses (the generic body, re-specialization and giving up run),
/// and specialization on whatever value came first; and on-stack
/// replacement off, at the first back edge of every loop (alone, and after
/// the callees tiered up), and with every versioned loop taking its generic
/// copy. Those stress modes compile on the program's thread, so optimized
/// code arrives at the same point of every run; the default modes compile
/// in the background, `jit-background-1` does so with every function and
/// loop hot at once (code arrives whenever it is ready), and
/// `jit-late-code` installs code a few JIT entries late and out of order,
/// the same way on every run. `jit-warm` and `jit-warm-1` (everything hot
/// at once) run with the code cache a first run of the same program and
/// flags filled; `lljit compare` times `jit` cold (no cache) and
/// `jit-warm`. Ahead-of-time modes build for the generic
/// x86-64 CPU unless their name says `host`. The first mode of each tool
/// is its default.
pub const MODES: &[Mode] = &[
    Mode {
        name: "jit",
        how: How::Run,
        args: &[],
        tools: &[LangTests, Difftest, Compare],
    },
    Mode {
        name: "jit-O0",
        how: How::Run,
        args: &["-O0"],
        tools: &[LangTests, Difftest],
    },
    Mode {
        name: "jit-O3",
        how: How::Run,
        args: &["-O3"],
        tools: &[Difftest],
    },
    Mode {
        name: "jit-no-tiering",
        how: How::Run,
        args: &["--no-tiering"],
        tools: &[LangTests, Difftest, Compare],
    },
    Mode {
        name: "jit-threshold-1",
        how: How::Run,
        args: &["--compile-threads=0", "--jit-threshold=1"],
        tools: &[LangTests, Difftest],
    },
    Mode {
        name: "jit-threshold-2",
        how: How::Run,
        args: &["--compile-threads=0", "--jit-threshold=2"],
        tools: &[LangTests],
    },
    Mode {
        name: "jit-guard-miss",
        how: How::Run,
        args: &[
            "--compile-threads=0",
            "--jit-threshold=1",
            "--jit-stress=guard-miss",
        ],
        tools: &[LangTests, Difftest],
    },
    Mode {
        name: "jit-first-values",
        how: How::Run,
        args: &[
            "--compile-threads=0",
            "--jit-threshold=2",
            "--jit-stress=first-values",
        ],
        tools: &[LangTests, Difftest],
    },
    Mode {
        name: "jit-no-osr",
        how: How::Run,
        args: &["--no-osr"],
        tools: &[LangTests],
    },
    Mode {
        name: "jit-osr-1",
        how: How::Run,
        args: &["--compile-threads=0", "--osr-threshold=1"],
        tools: &[LangTests, Difftest],
    },
    Mode {
        name: "jit-osr-2-threshold-2",
        how: How::Run,
        args: &[
            "--compile-threads=0",
            "--osr-threshold=2",
            "--jit-threshold=2",
        ],
        tools: &[LangTests],
    },
    Mode {
        name: "jit-osr-guard-miss",
        how: How::Run,
        args: &[
            "--compile-threads=0",
            "--osr-threshold=1",
            "--jit-stress=guard-miss",
        ],
        tools: &[LangTests, Difftest],
    },
    Mode {
        name: "jit-late-code",
        how: How::Run,
        args: &[
            "--jit-threshold=1",
            "--osr-threshold=1",
            "--jit-stress=late-code",
        ],
        tools: &[LangTests, Difftest],
    },
    Mode {
        name: "jit-background-1",
        how: How::Run,
        args: &[
            "--jit-threshold=1",
            "--osr-threshold=1",
            "--compile-threads=1",
        ],
        tools: &[LangTests, Difftest],
    },
    Mode {
        name: "jit-warm",
        how: How::RunWarm,
        args: &[],
        tools: &[LangTests, Compare],
    },
    Mode {
        name: "jit-warm-1",
        how: How::RunWarm,
        args: &[
            "--jit-threshold=1",
            "--osr-threshold=1",
            "--compile-threads=0",
        ],
        tools: &[LangTests, Difftest],
    },
    Mode {
        name: "aot-O0",
        how: How::Aot,
        args: &["-O0"],
        tools: &[LangTests, Difftest],
    },
    Mode {
        name: "aot-O2",
        how: How::Aot,
        args: &["-O2"],
        tools: &[LangTests, Difftest, Compare],
    },
    Mode {
        name: "aot-O3-lto",
        how: How::Aot,
        args: &["-O3", "--lto"],
        tools: &[Difftest],
    },
    Mode {
        name: "aot-O2-host",
        how: How::Aot,
        args: &["--target-cpu=host"],
        tools: &[Difftest],
    },
    Mode {
        name: "aot-O3-host",
        how: How::Aot,
        args: &["-O3", "--target-cpu=host"],
        tools: &[Compare],
    },
    Mode {
        name: "aot-pgo-lto",
        how: How::AotPgoLto,
        args: &["-O2"],
        tools: &[Compare],
    },
    Mode {
        name: "aot-jit-profile-host",
        how: How::AotJitProfile,
        args: &["-O2", "--target-cpu=host"],
        tools: &[Compare],
    },
    Mode {
        name: "aot-pgo-lto-host",
        how: How::AotPgoLto,
        args: &["-O2", "--target-cpu=host"],
        tools: &[Compare],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_fit_a_comma_separated_list() {
        for (i, m) in MODES.iter().enumerate() {
            assert!(
                MODES[..i].iter().all(|o| o.name != m.name),
                "{} twice",
                m.name
            );
            assert!(
                !m.name.is_empty() && !m.name.contains([',', ' ', ':', ';']),
                "{:?}",
                m.name
            );
        }
    }

    #[test]
    fn no_two_modes_run_the_same_command() {
        for (i, m) in MODES.iter().enumerate() {
            for o in &MODES[..i] {
                assert!(
                    (m.how, m.args) != (o.how, o.args),
                    "{} and {}",
                    m.name,
                    o.name
                );
            }
        }
    }

    #[test]
    fn every_tool_has_modes_and_only_compare_trains_a_profile() {
        for tool in [LangTests, Difftest, Compare] {
            assert!(modes_for(tool).count() > 0, "{tool:?}");
            assert_eq!(modes_for(tool).next().unwrap().name, "jit");
        }
        for m in MODES {
            assert!(!m.tools.is_empty(), "{} is used by no tool", m.name);
            if m.how == How::AotPgoLto {
                assert_eq!(m.tools, [Compare], "{}", m.name);
            }
        }
    }
}
