//! Tier 0 ahead of the first call: while the program's thread generates
//! a function's tier-0 code, a compile server generates the tier-0 code of
//! the functions it calls or takes as values, so most of them are ready
//! (linked and in their slots) when they are first called.
//!
//! Only the first code of a function moves: lowering stays on the
//! program's thread (it needs the session's program and profiles), and the
//! module goes to a server as fast code, the most urgent job. When it
//! arrives, its code is installed as if its lazy stub had compiled it, and
//! the functions *it* uses are sent in turn, so compilation runs ahead of
//! the program along its call graph. A first call that finds its code
//! still on its way takes the job back if no server has started it (and
//! compiles it here, from the same bitcode), or waits for it, at most
//! [`WAIT_LIMIT`], once servers are up (before, a server may still be
//! starting: the function compiles here). A function that is never called costs only its
//! lowering on the program's thread; at most [`PER_FUNCTION`] functions
//! are sent for one function, and at most [`OUTSTANDING`] are on their way
//! at once.

use super::background::Request;
use super::{Codegen, Jit, Tier};
use crate::tast::FuncId;
use inkwell::memory_buffer::MemoryBuffer;
use std::time::{Duration, Instant};

/// Functions sent ahead for one function's code, in the order its body
/// first uses them.
const PER_FUNCTION: usize = 8;
/// Tier-0 jobs on their way at once.
const OUTSTANDING: usize = 16;
/// How long a first call waits for code a server has started before it
/// compiles the function itself.
const WAIT_LIMIT: Duration = Duration::from_millis(50);

/// `FuncState::ahead` of a function whose tier-0 code came from the cache
/// and waits in a [`Ready`] list to be linked (no job has this number).
const READY: u64 = u64::MAX;

/// A function's tier-0 code on its way from a compile server.
pub(super) struct Ahead {
    pub id: FuncId,
    pub symbol: String,
    /// The module as sent (compiled here if the server does not deliver).
    pub bitcode: Vec<u8>,
    /// When it was lowered, and how long that took.
    pub start: Instant,
    pub lower: Duration,
}

/// Tier-0 code ready to be linked once the caller's module is (it may use
/// the program's globals, which the first module defines).
pub(super) struct Ready {
    id: FuncId,
    symbol: String,
    object: MemoryBuffer<'static>,
    start: Instant,
    lower: Duration,
}

impl Jit {
    /// Sends the tier-0 code of the functions `id`'s body uses that have
    /// no code yet to a compile server. Gives the ones the code cache
    /// already had, for [`Jit::link_ahead`] once `id`'s own module is
    /// linked. The caller counts the time (its lowering of them) in
    /// `compile_ms`: a compile of `id` does, with its own.
    pub(super) fn send_ahead(&mut self, id: FuncId) -> Result<Vec<Ready>, String> {
        let mut ready = Vec::new();
        if !self.ahead_on {
            return Ok(ready);
        }
        let prog = std::rc::Rc::clone(&self.prog);
        let mut sent = 0;
        for c in prog.funcs[id].functions_used() {
            if sent == PER_FUNCTION || self.ahead.len() >= OUTSTANDING {
                break;
            }
            if c == id || !self.wants_ahead(c) {
                continue;
            }
            if !self.background.as_ref().is_some_and(|bg| bg.usable()) {
                break;
            }
            sent += 1;
            let start = Instant::now();
            let (m, symbol, _) = self.lower_profiling(c, false)?;
            self.orc.prepare(&m);
            self.names_through_got(&m);
            let bitcode = m.write_bitcode_to_memory().as_slice().to_vec();
            drop(m);
            let lower = start.elapsed();
            let key = self.cache_key(&bitcode, Codegen::Fast);
            if let Some(object) = key.and_then(|k| self.cached(&k)) {
                // Lowered once: not sent again before it is linked.
                self.funcs[c].ahead = Some(READY);
                ready.push(Ready {
                    id: c,
                    symbol,
                    object,
                    start,
                    lower,
                });
                continue;
            }
            let seq = self.next_job;
            self.next_job += 1;
            self.funcs[c].ahead = Some(seq);
            let r = Request {
                seq,
                // Before every tier-1 job, the first sent first.
                urgency: u64::MAX - seq,
                bitcode: bitcode.clone(),
                keep_ir: false,
                fast: true,
                store: key.map(|k| self.entry_path(&k)),
            };
            self.ahead.insert(
                seq,
                Ahead {
                    id: c,
                    symbol,
                    bitcode,
                    start,
                    lower,
                },
            );
            let bg = self.background.as_mut().expect("usable above");
            for failed in bg.submit(r) {
                // No server took it: the function compiles at its first
                // call, as without servers.
                match self.ahead.remove(&failed.seq) {
                    Some(a) => self.funcs[a.id].ahead = None,
                    None => {
                        self.compile_here(failed)?;
                    }
                }
            }
        }
        Ok(ready)
    }

    /// Links and installs tier-0 code that [`Jit::send_ahead`] found in
    /// the cache.
    pub(super) fn link_ahead(&mut self, ready: Vec<Ready>) -> Result<(), String> {
        for r in ready {
            self.funcs[r.id].ahead = None;
            let t = Instant::now();
            self.orc.add_object(r.object)?;
            let addr = self.orc.lookup(&r.symbol)?;
            self.compiling += t.elapsed();
            let times = [r.lower, Duration::ZERO, r.start.elapsed() - r.lower];
            self.install_ahead(r.id, addr, r.start, times, "from the code cache")?;
        }
        Ok(())
    }

    /// True when `c`'s first code can be made ahead: a function with a
    /// body and no code, never lowered, not on its way, whose first tier is fast
    /// profiling code, and that no warm start would skip tier 0 for.
    fn wants_ahead(&self, c: FuncId) -> bool {
        let f = &self.prog.funcs[c];
        let st = &self.funcs[c];
        // A profile means its tier 0 was lowered already (it is being
        // compiled: a caller's cached code may be linked before the
        // function's own slot is set): lowering it again would free the
        // profile that code counts in.
        st.tier == Tier::Lazy
            && st.ahead.is_none()
            && st.profile.is_none()
            && !f.is_extern()
            && self.prog.main != Some(c)
            && self.policy.first_tier(&self.prog, c) == (Tier::Profiling { optimized: false })
            && !self
                .warm
                .as_ref()
                .is_some_and(|(_, record, _)| record.get(&f.name).is_some())
    }

    /// Tier-0 code made ahead has arrived (job `a`, taken from
    /// `Jit::ahead`): linked and installed.
    pub(super) fn arrived_ahead(
        &mut self,
        a: Ahead,
        object: Result<Vec<u8>, String>,
        times: [Duration; 2],
    ) -> Result<(), String> {
        self.funcs[a.id].ahead = None;
        let t = Instant::now();
        let addr = self.link_arrived(&object?, &a.symbol)?;
        self.compiling += t.elapsed();
        let times = [a.lower, times[0], times[1]];
        self.install_ahead(a.id, addr, a.start, times, "in a compile server")
    }

    /// Compiles here the tier-0 job `a`, taken from `Jit::ahead` (its
    /// server failed, or the first call came first).
    pub(super) fn compile_ahead_here(&mut self, a: Ahead) -> Result<(), String> {
        self.funcs[a.id].ahead = None;
        let t = Instant::now();
        let (t_opt, t_cg) = self.emit_bitcode(&a.bitcode, Codegen::Fast)?;
        let addr = self.orc.lookup(&a.symbol)?;
        self.compiling += t.elapsed();
        self.stats.tier0_us += t.elapsed().as_micros() as u64;
        self.install_ahead(
            a.id,
            addr,
            a.start,
            [a.lower, t_opt, t_cg],
            "on the program's thread after all",
        )
    }

    /// The first call of `id`, whose tier-0 code is job `seq`: takes the
    /// job back and compiles it here if no server has started it, else
    /// waits for it (at most [`WAIT_LIMIT`], then compiles it here) once
    /// servers are up; before, the server may still be starting, and the
    /// function compiles here at once (its late result is dropped). Gives
    /// the code's address.
    pub(super) fn await_ahead(&mut self, id: FuncId, seq: u64) -> Result<usize, String> {
        if seq == READY {
            return Err(format!(
                "`{}` was called before its code was linked",
                self.prog.funcs[id].name
            ));
        }
        let t = Instant::now();
        let (withdrawn, worth_waiting) = match self.background.as_mut() {
            Some(bg) => (bg.withdraw(seq).is_some(), bg.warmed_up()),
            None => (false, false),
        };
        if !withdrawn && worth_waiting {
            self.stats.tier0_waits += 1;
            while self.funcs[id].ahead == Some(seq) && t.elapsed() < WAIT_LIMIT {
                self.collect(true)?;
                if self.funcs[id].ahead == Some(seq) {
                    std::thread::sleep(Duration::from_micros(20));
                }
            }
            self.compiling += t.elapsed();
            self.stats.tier0_wait_us += t.elapsed().as_micros() as u64;
        }
        if let Some(a) = self.ahead.remove(&seq) {
            self.compile_ahead_here(a)?;
        }
        Ok(self.stubs.current(id))
    }

    /// Installs `id`'s tier-0 code made ahead of its first call, unless
    /// the function has code by now; then sends what it uses in turn.
    fn install_ahead(
        &mut self,
        id: FuncId,
        addr: usize,
        start: Instant,
        [t_lower, t_opt, t_cg]: [Duration; 3],
        how: &str,
    ) -> Result<(), String> {
        if self.funcs[id].tier != Tier::Lazy {
            return Ok(());
        }
        self.funcs[id].tier = Tier::Profiling { optimized: false };
        // Until a generic body exists, guards that miss run this.
        self.stubs.install_generic(id, addr);
        self.stubs.install(id, addr);
        self.stats.tier0_ahead += 1;
        self.record.compiled.push(id);
        self.deps.record(id, &[], true);
        if self.opts.trace {
            eprintln!(
                "jit: compiled {} at tier 0 (fast, profiling) ahead of its first call, {how} (lower {:.2}, optimize {:.2}, codegen {:.2}; installed {:.2} ms after it was lowered)",
                self.prog.funcs[id].name,
                super::ms(t_lower),
                super::ms(t_opt),
                super::ms(t_cg),
                super::ms(start.elapsed()),
            );
        }
        let t = Instant::now();
        let ready = self.send_ahead(id)?;
        self.compiling += t.elapsed();
        self.link_ahead(ready)
    }
}
