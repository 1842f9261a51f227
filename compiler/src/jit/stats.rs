//! The JIT's counters, declared once: `--stats` prints them at exit, in
//! this order, with these descriptions.

use std::time::Duration;

macro_rules! counters {
    ($( $(#[doc = $doc:literal])* $name:ident, )*) => {
        /// Counts of what the JIT did in one session.
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct Stats {
            $( $(#[doc = $doc])* pub $name: u64, )*
        }

        impl Stats {
            /// (name, description, value) of every counter, in order.
            pub fn rows(&self) -> Vec<(&'static str, &'static str, u64)> {
                vec![$( (stringify!($name), concat!($($doc),*).trim_start(), self.$name), )*]
            }
        }
    };
}

counters! {
    /// functions compiled at tier 0, fast profiling code
    tier0_fast,
    /// functions compiled at tier 0, optimized profiling code (they loop, under --no-osr)
    tier0_optimized,
    /// tier-1 modules compiled (optimized with a profile; generic bodies included)
    tier1,
    /// functions compiled once, optimized, without tiering
    untiered,
    /// microseconds compiling tier 0
    tier0_us,
    /// functions whose tier-0 code was made ahead of their first call (in a compile server while other code compiled)
    tier0_ahead,
    /// first calls that waited for their tier-0 code from a compile server
    tier0_waits,
    /// microseconds those first calls waited (part of compile_ms)
    tier0_wait_us,
    /// microseconds compiling tier 1
    tier1_us,
    /// microseconds compiling without tiering
    untiered_us,
    /// tier-ups (profiling code reached the threshold)
    tier_ups,
    /// specialized bodies made (each with an entry guard)
    specializations,
    /// parameters specialized on a value
    specialized_params,
    /// generic bodies of specializations compiled (once guard misses were frequent)
    generic_bodies,
    /// specialized bodies copied, with their guards, into callers' tier 1
    specialized_copies,
    /// guarded calls that matched a specialization
    guard_hits,
    /// guarded calls that missed (and ran tier-0 code or the generic body)
    guard_misses,
    /// re-specializations after a phase change
    respecializations,
    /// specializations given up (generic body installed)
    give_ups,
    /// microseconds compiling specialized code later thrown away (re-specialized or given up)
    discarded_us,
    /// indirect-call sites promoted to a guarded direct call
    promoted_calls,
    /// branches compiled with weights from the profile
    weighted_branches,
    /// on-stack replacements: running calls moved from tier-0 code into a continuation at a hot loop
    osr_entries,
    /// continuations compiled (optimized, from a loop's head on)
    osr_compiles,
    /// locals a continuation's loop was versioned on (their values at the transition)
    osr_specialized,
    /// microseconds compiling continuations
    osr_us,
    /// session inputs compiled (REPL)
    inputs,
    /// functions whose code a redefinition invalidated (REPL)
    invalidations,
    /// compiled code dropped because a redefinition came before it was installed (REPL)
    stale_jobs,
    /// continuations withdrawn before a compile server started them (the call moved on to another loop)
    withdrawn_jobs,
    /// withdrawn continuations sent again as they were lowered (a call came back to the loop)
    resent_jobs,
    /// functions that started in the tier-1 code an earlier run left in the cache, without tier 0
    warm_starts,
    /// modules whose object came from the persistent code cache
    cache_hits,
    /// modules the cache had no object for (compiled, unless the job was withdrawn or dropped first)
    cache_misses,
    /// cache entries that failed their checksum (removed, and the module compiled)
    cache_corrupt,
    /// bytes read from the cache
    cache_read_bytes,
    /// bytes written to the cache
    cache_written_bytes,
}

impl Stats {
    /// Adds a specialization's guard counts (hits and misses so far).
    pub(super) fn count_guard(&mut self, guard: &super::profile::GuardBlock) {
        self.guard_hits += guard.calls() - guard.misses();
        self.guard_misses += guard.misses();
    }
}

/// `--stats`: every counter, then time spent compiling on the program's
/// thread (`compiling`) and in compile servers (`background`), against
/// running.
pub fn print(s: &Stats, compiling: Duration, background: Duration, total: Duration) {
    eprintln!("jit stats:");
    for (name, doc, v) in s.rows() {
        eprintln!("  {name:<20} {v:>12}  {doc}");
    }
    let run = total.saturating_sub(compiling);
    eprintln!(
        "  {:<20} {:>12.1}  milliseconds compiling on the program's thread (all tiers)",
        "compile_ms",
        compiling.as_secs_f64() * 1e3
    );
    eprintln!(
        "  {:<20} {:>12.1}  milliseconds compiling in compile servers, while the program ran",
        "background_ms",
        background.as_secs_f64() * 1e3
    );
    eprintln!(
        "  {:<20} {:>12.1}  milliseconds running compiled code",
        "run_ms",
        run.as_secs_f64() * 1e3
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_counter_has_a_description() {
        let rows = Stats::default().rows();
        assert!(rows.len() >= 10);
        for (name, doc, _) in rows {
            assert!(!doc.is_empty(), "{name}");
        }
    }
}
