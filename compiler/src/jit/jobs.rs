//! A tier-1 job's life after planning (`plan.rs`): lowered on the
//! program's thread, compiled there or by a compile server
//! (`background.rs`), then installed (slots, the function's state, stats,
//! trace, the record of copies), or dropped when a definition it copied
//! changed before it arrived. Under `--jit-stress=late-code` compiled code
//! waits a few entries into the JIT before it is installed, in a shuffled
//! order.

use super::background::{Compiled, Request};
use super::payload::{self, Specialization};
use super::plan::{self, Lowered, PlanInputs, Tier1Job};
use super::profile::GuardBlock;
use super::tiers::Stress;
use super::{ms, Codegen, Jit, Tier, Tier1};
use crate::codegen::{self, Code, Guard};
use crate::tast::{FuncId, Program, SiteId};
use inkwell::module::Module;
use std::rc::Rc;
use std::time::{Duration, Instant};

impl Jit {
    /// Tier 1: optimized with `id`'s profile (and its callees'): `kind`
    /// says which code (specialized on `values`, behind a guard, for
    /// [`Tier1::Specialized`]). Three steps: plan (`plan.rs`: what to
    /// compile, from the profiles as they are now), compile (lowering
    /// here, LLVM here or in a compile server), install
    /// ([`Jit::install_tier1`]: slots, the function's state, stats, trace).
    /// Gives the code's address when it is installed now; `None` when it
    /// is on its way (the current code runs until it arrives).
    pub(super) fn compile_optimized(
        &mut self,
        id: FuncId,
        values: &[(usize, u64)],
        kind: Tier1,
        why: &str,
    ) -> Result<Option<usize>, String> {
        let start = Instant::now();
        let observed = self.deps.copies_in(id).to_vec();
        let inputs = PlanInputs {
            prog: &self.prog,
            policy: &self.policy,
            funcs: &self.funcs,
            links: &self.links,
            observed: &observed,
            base: self.base(id),
        };
        let mut job = plan::plan_tier1(inputs, id, values, kind);
        self.stats.promoted_calls += job.plan.targets.len() as u64;
        self.stats.weighted_branches += job.plan.weights.len() as u64;
        // A continuation runs beside the function's code, not instead.
        if !matches!(kind, Tier1::Continuation(_)) {
            self.funcs[id].tier = Tier::Optimized {
                version: job.version,
            };
        }
        let globals = self.first_module();
        let (module, guard, special_copies) = self.lower_tier1(&mut job, globals)?;
        // Until the code is installed, a redefinition of a copy must reach
        // this function too.
        self.deps.record(id, &job.inlined, false);
        let assumes = std::iter::once(id)
            .chain(job.inlined.iter().copied())
            .map(|c| (c, self.resets[c]))
            .collect();
        let mut lowered = Lowered {
            job,
            guard,
            special_copies,
            why: why.to_string(),
            start,
            lower: start.elapsed(),
            delayed: false,
            assumes,
            key: None,
        };
        let late = self.policy.stress == Some(Stress::LateCode);
        let to_server = !late && self.background.as_ref().is_some_and(|bg| bg.usable());
        lowered.delayed = late || to_server;
        if to_server {
            // Compiled by a server while the program runs on.
            self.orc.prepare(&module);
            let bitcode = module.write_bitcode_to_memory().as_slice().to_vec();
            drop(module);
            lowered.key = self.cache_key(&bitcode, Codegen::Optimized);
            if let Some(object) = lowered.key.and_then(|k| self.cached(&k)) {
                // Compiled in an earlier run: installed now.
                lowered.delayed = false;
                self.orc.add_object(object)?;
                let addr = self.orc.lookup(&lowered.job.symbol)?;
                self.compiling += start.elapsed();
                let times = [
                    lowered.lower,
                    Duration::ZERO,
                    start.elapsed() - lowered.lower,
                ];
                self.install_tier1(lowered, addr, times);
                return Ok(Some(addr));
            }
            self.compiling += start.elapsed();
            return self.send(lowered, bitcode);
        }
        let lower = lowered.lower;
        let (t_opt, t_cg) = self.emit(module, Codegen::Optimized)?;
        lowered.key = self.last_key.take();
        let addr = self.orc.lookup(&lowered.job.symbol)?;
        self.compiling += start.elapsed();
        let times = [lower, t_opt, t_cg];
        if late {
            let wait = (self.next_random() % 4) as u32;
            self.awaiting(&lowered);
            self.late.push((wait, lowered, addr, times));
            return Ok(None);
        }
        self.install_tier1(lowered, addr, times);
        Ok(Some(addr))
    }

    /// Hands a lowered job to the compile servers (with its module's
    /// bitcode); gives its address when it was compiled here after all
    /// (no server could take it).
    fn send(&mut self, lowered: Lowered, bitcode: Vec<u8>) -> Result<Option<usize>, String> {
        let t = Instant::now();
        let seq = self.next_job;
        self.next_job += 1;
        let urgency = self.urgency(&lowered, seq);
        let store = lowered.key.map(|k| self.entry_path(&k));
        self.awaiting(&lowered);
        self.pending.insert(seq, lowered);
        let Some(bg) = self.background.as_mut() else {
            return Err("no compile server for a job".into());
        };
        let failed = bg.submit(Request {
            seq,
            urgency,
            bitcode,
            keep_ir: self.keep_ir,
            fast: false,
            store,
        });
        // Compiled here, a failed job counts its own time.
        self.compiling += t.elapsed();
        let mut here = None;
        for r in failed {
            let s = r.seq;
            let addr = self.compile_here(r)?;
            if s == seq {
                here = addr;
            }
        }
        Ok(here)
    }

    /// Sends again the continuation of `id` at loop `site` that was
    /// withdrawn, when it was versioned on these `values` and nothing it
    /// assumed has changed: `None` when there is no such job (the caller
    /// plans and lowers one), else what [`Self::send`] gives.
    pub(super) fn send_shelved(
        &mut self,
        id: FuncId,
        site: SiteId,
        values: &[(usize, u64)],
    ) -> Result<Option<Option<usize>>, String> {
        let Some((lowered, r)) = self.shelved.remove(&(id, site)) else {
            return Ok(None);
        };
        let usable = self.background.as_ref().is_some_and(|bg| bg.usable());
        if !usable || lowered.job.values != values || self.is_stale(&lowered) {
            return Ok(None);
        }
        self.stats.resent_jobs += 1;
        self.send(lowered, r.bitcode).map(Some)
    }

    /// How soon job `seq`'s code is wanted: a loop waiting for its
    /// continuation first (the latest first: the calls that asked earlier
    /// may have left their loops), then by how hot the function is.
    fn urgency(&self, l: &Lowered, seq: u64) -> u64 {
        const LOOPS: u64 = 1 << 63;
        let id = l.job.id;
        let heat = self.funcs[id]
            .profile
            .as_ref()
            .map_or(0, |p| p.calls().saturating_add(p.back_edges()));
        match l.job.kind {
            Tier1::Continuation(_) => LOOPS.saturating_add(seq),
            _ => heat.min(LOOPS - 1),
        }
    }

    /// Marks the code `l` makes as on its way.
    fn awaiting(&mut self, l: &Lowered) {
        let st = &mut self.funcs[l.job.id];
        match l.job.kind {
            Tier1::Optimized | Tier1::Specialized => st.replacing = true,
            Tier1::Generic => st.generic_pending = true,
            Tier1::Continuation(site) => {
                st.osr_pending.insert(site);
            }
        }
    }

    /// The stress generator (xorshift): reproducible from run to run.
    fn next_random(&mut self) -> u64 {
        let mut x = self.shuffle;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.shuffle = x;
        x
    }

    /// `--jit-stress=late-code`, at each entry into the JIT: the code whose
    /// wait is over is installed, in a shuffled order.
    pub(super) fn tick_late(&mut self) -> Result<(), String> {
        if self.late.is_empty() {
            return Ok(());
        }
        let mut due = Vec::new();
        let mut i = 0;
        while i < self.late.len() {
            if self.late[i].0 == 0 {
                due.push(self.late.swap_remove(i));
            } else {
                self.late[i].0 -= 1;
                i += 1;
            }
        }
        for k in (1..due.len()).rev() {
            let j = (self.next_random() % (k as u64 + 1)) as usize;
            due.swap(k, j);
        }
        for (_, lowered, addr, times) in due {
            if self.is_stale(&lowered) {
                self.dropped(&lowered);
            } else {
                self.install_tier1(lowered, addr, times);
            }
        }
        Ok(())
    }

    /// True when a redefinition reset the function or a copy since `l` was
    /// planned.
    fn is_stale(&self, l: &Lowered) -> bool {
        l.assumes
            .iter()
            .any(|&(c, r)| self.resets.get(c).copied() != Some(r))
    }

    /// A stale job's code is never installed.
    fn dropped(&mut self, l: &Lowered) {
        self.stats.stale_jobs += 1;
        if self.opts.trace {
            eprintln!(
                "jit: dropped stale code of {}: a redefinition since it was planned",
                self.prog.funcs[l.job.id].name
            );
        }
    }

    /// Installs the code compile servers made (looked for at most every
    /// few tens of microseconds, unless `now`), and compiles here the jobs
    /// of a server that failed.
    pub(super) fn collect(&mut self, now: bool) -> Result<(), String> {
        let Some(bg) = self.background.as_mut() else {
            return Ok(());
        };
        let (done, failed) = bg.poll(now);
        let was_contended = self.contended;
        self.contended = bg.contended().is_some();
        if self.contended && !was_contended && self.opts.trace {
            eprintln!(
                "jit: compile servers had {:.0}% of a core: compiling on the program's thread from now on",
                100.0 * bg.contended().unwrap_or(0.0)
            );
        }
        for c in done {
            self.arrived(c)?;
        }
        for r in failed {
            self.compile_here(r)?;
        }
        Ok(())
    }

    /// Withdraws the queued continuations of `id` (a server has not
    /// started them); false when one is being compiled.
    pub(super) fn withdraw_continuations(&mut self, id: FuncId) -> bool {
        let Some(bg) = self.background.as_mut() else {
            return false;
        };
        let jobs: Vec<(u64, SiteId)> = self
            .pending
            .iter()
            .filter_map(|(&seq, l)| match l.job.kind {
                Tier1::Continuation(site) if l.job.id == id => Some((seq, site)),
                _ => None,
            })
            .collect();
        let mut all = true;
        for (seq, site) in jobs {
            if let Some(r) = bg.withdraw(seq) {
                if let Some(l) = self.pending.remove(&seq) {
                    self.shelved.insert((id, site), (l, r));
                }
                self.funcs[id].osr_pending.remove(&site);
                self.stats.withdrawn_jobs += 1;
            } else {
                all = false;
            }
        }
        all
    }

    /// A server's result, installed.
    fn arrived(&mut self, c: Compiled) -> Result<(), String> {
        self.stored(c.stored);
        if let Some(a) = self.ahead.remove(&c.seq) {
            self.background_time += c.optimize + c.codegen;
            return self.arrived_ahead(a, c.object, [c.optimize, c.codegen]);
        }
        let Some(lowered) = self.pending.remove(&c.seq) else {
            return Ok(());
        };
        self.background_time += c.optimize + c.codegen;
        let object = c.object?;
        if self.is_stale(&lowered) {
            self.dropped(&lowered);
            return Ok(());
        }
        let t = Instant::now();
        let addr = self.link_arrived(&object, &lowered.job.symbol)?;
        if let Some(ir) = c.ir {
            let buffer = inkwell::memory_buffer::MemoryBuffer::create_from_memory_range(&ir, "ir");
            let m = Module::parse_bitcode_from_buffer(&buffer, self.orc.context())
                .map_err(|e| e.to_string())?;
            self.last_ir.replace(Some((Rc::new(m), Codegen::Optimized)));
        }
        // Linking is the program's thread's share.
        self.compiling += t.elapsed();
        let times = [lowered.lower, c.optimize, c.codegen];
        self.install_tier1(lowered, addr, times);
        Ok(())
    }

    /// Links an object a server compiled (and stored in the cache) and
    /// gives the address of `symbol` in it.
    pub(super) fn link_arrived(&mut self, object: &[u8], symbol: &str) -> Result<usize, String> {
        let object =
            inkwell::memory_buffer::MemoryBuffer::create_from_memory_range_copy(object, symbol);
        self.orc.add_object(object)?;
        self.orc.lookup(symbol)
    }

    /// Compiles here a module sent to a server as `bitcode` (read back
    /// into the session's context), cached under the key of `bitcode`.
    pub(super) fn emit_bitcode(
        &mut self,
        bitcode: &[u8],
        how: Codegen,
    ) -> Result<(Duration, Duration), String> {
        let buffer = inkwell::memory_buffer::MemoryBuffer::create_from_memory_range(bitcode, "job");
        let m = Module::parse_bitcode_from_buffer(&buffer, self.orc.context())
            .map_err(|e| format!("cannot read back a module: {e}"))?;
        self.emit_keyed(m, how, Some(bitcode))
    }

    /// Compiles job `r` on the program's thread (its server failed, or
    /// none could start) and installs it; gives its address, `None` when
    /// it is stale.
    pub(super) fn compile_here(&mut self, r: Request) -> Result<Option<usize>, String> {
        if let Some(a) = self.ahead.remove(&r.seq) {
            self.compile_ahead_here(a)?;
            return Ok(None);
        }
        let Some(mut lowered) = self.pending.remove(&r.seq) else {
            return Ok(None);
        };
        if self.is_stale(&lowered) {
            self.dropped(&lowered);
            return Ok(None);
        }
        let t = Instant::now();
        let (t_opt, t_cg) = self.emit_bitcode(&r.bitcode, Codegen::Optimized)?;
        lowered.key = self.last_key.take();
        let addr = self.orc.lookup(&lowered.job.symbol)?;
        self.compiling += t.elapsed();
        let times = [lowered.lower, t_opt, t_cg];
        self.install_tier1(lowered, addr, times);
        Ok(Some(addr))
    }

    /// Lowers a tier-1 job into a module: the entry (and for a
    /// specialization its guard, specialized body and generic-slot
    /// forwarder, for a continuation the rest of the call), and the
    /// copies of callees, guarded where the callee is specialized. Gives
    /// the module, the guard, and how many copies are specialized.
    fn lower_tier1(
        &self,
        job: &mut Tier1Job,
        globals: bool,
    ) -> Result<(Module<'static>, Option<GuardBlock>, u64), String> {
        let prog: &Program = &self.prog;
        let (id, kind, values) = (job.id, job.kind, &job.values);
        let f = &prog.funcs[id];
        let (base, version) = (&job.base, job.version);
        let mut ml = self.module(&job.code().module_name(), globals);
        ml.plan = std::mem::take(&mut job.plan);
        let guard = (kind == Tier1::Specialized).then(|| GuardBlock::new(&f.params));
        if let Some(g) = &guard {
            let (start, len) = g.memory();
            self.name_memory(&codegen::guard_symbol(base, version), start, len)?;
        }
        let entry = match kind {
            Tier1::Continuation(_) => ml.declare_continuation(id, &job.symbol),
            _ => ml.declare_named(id, &job.symbol, false),
        };
        for &c in &job.inlined {
            ml.declare_body(c, true);
        }
        // Self-calls: an unspecialized body calls itself directly; the
        // generic body of specializations calls through the slot (so a
        // recursion that left the specialized values never meets a guard of
        // an older version again), and the specialized body calls its guard.
        match &guard {
            None if matches!(kind, Tier1::Continuation(_)) => {
                let Tier1::Continuation(site) = kind else {
                    unreachable!()
                };
                let entry_at = codegen::OsrEntry {
                    site,
                    consts: values.to_vec(),
                    always_miss: self.policy.stress == Some(Stress::GuardMiss),
                    versioned: f.continuation_uses(site).outer_loops,
                };
                ml.gen_continuation(id, entry, entry_at)?;
            }
            None => {
                if kind == Tier1::Optimized {
                    ml.define_as(id, entry);
                }
                ml.gen_body(id, entry, &[]);
            }
            Some(g) => {
                ml.define_as(id, entry);
                let special = ml.declare_named(id, &Code::Special(base, version).symbol(), true);
                ml.gen_body(id, special, &payload::consts(values, f.params.len()));
                // A miss runs what the generic slot holds: the tier-0 code,
                // then the generic body once misses are frequent (every
                // specialization of the function shares it).
                let generic =
                    ml.declare_named(id, &Code::GenericSlot(base, version).symbol(), true);
                ml.gen_slot_forwarder(id, generic, self.stubs.generic_slot_addr(id));
                let spec = self.guard(id, values, g);
                ml.gen_guard(id, entry, special, generic, &spec);
            }
        }
        // Copies of callees with an active specialization are guarded
        // specialized bodies, so the constants reach this function's code.
        let mut special_copies = 0;
        for &c in &job.inlined {
            match &self.funcs[c].spec {
                Some(spec) => {
                    let cf = &prog.funcs[c];
                    // A miss goes through the slot to the callee's own
                    // guard and generic body: no second generic copy here.
                    let wrapper = ml.declare_body(c, true);
                    let forward = ml.declare_named(c, &Code::CopySlot(&cf.name).symbol(), true);
                    let special = ml.declare_named(c, &Code::CopySpecial(&cf.name).symbol(), true);
                    ml.gen_slot_forwarder(c, forward, self.links.slot(c));
                    ml.gen_body(c, special, &spec.consts(cf.params.len()));
                    let g = Guard {
                        forward_misses: true,
                        ..self.guard(c, &spec.params, &spec.guard)
                    };
                    ml.gen_guard(c, wrapper, special, forward, &g);
                    special_copies += 1;
                    job.notes.push(format!("{} inlined specialized", cf.name));
                }
                None => {
                    ml.gen_function(c, true);
                }
            }
        }
        Ok((ml.into_module(), guard, special_copies))
    }

    /// Installs a tier-1 job's code at `addr`: a body that replaces the
    /// slot's code (with its specialization and guard), the generic body
    /// (also in the slot once specialization was given up), or a
    /// continuation; then its counters, its trace line (the decision's
    /// evidence, the times `[lower, optimize, codegen]`), the function's
    /// IR, and the record of the copies its code now holds.
    pub(super) fn install_tier1(&mut self, l: Lowered, addr: usize, times: [Duration; 3]) {
        let Lowered {
            job,
            guard,
            special_copies,
            why,
            start,
            delayed,
            key,
            ..
        } = l;
        let Tier1Job {
            id,
            kind,
            values,
            version,
            inlined,
            notes,
            symbol,
            ..
        } = job;
        let us = times.iter().sum::<Duration>().as_micros() as u64;
        self.stats.specialized_copies += special_copies;
        match kind {
            Tier1::Optimized | Tier1::Specialized => {
                self.funcs[id].replacing = false;
                // A specialization replaced by another was a bet that lost.
                if let Some(old) = self.funcs[id].spec.take() {
                    self.retire(old, true);
                }
                let st = &mut self.funcs[id];
                // A later run may start in a plain optimized body.
                st.replayable = match key {
                    Some(key) if guard.is_none() && special_copies == 0 => {
                        Some(payload::Replayable {
                            key,
                            symbol,
                            version,
                            copies: inlined.clone(),
                        })
                    }
                    _ => None,
                };
                if let Some(guard) = guard {
                    st.specs += 1;
                    st.spec = Some(Specialization {
                        params: values.clone(),
                        guard,
                        compile_us: us,
                    });
                }
                self.stubs.install(id, addr);
            }
            Tier1::Generic => {
                let st = &mut self.funcs[id];
                st.generic_pending = false;
                st.generic = Some(addr);
                self.stubs.install_generic(id, addr);
                if st.gave_up {
                    self.stubs.install(id, addr);
                }
            }
            Tier1::Continuation(site) => {
                let st = &mut self.funcs[id];
                st.osr_pending.remove(&site);
                st.osr.insert(site, addr);
            }
        }
        let name = &self.prog.funcs[id].name;
        match kind {
            Tier1::Continuation(_) => {
                self.stats.osr_compiles += 1;
                self.stats.osr_us += us;
                self.stats.osr_specialized += values.len() as u64;
            }
            _ => {
                self.stats.tier1 += 1;
                self.stats.tier1_us += us;
            }
        }
        match kind {
            Tier1::Specialized => {
                self.stats.specializations += 1;
                self.stats.specialized_params += values.len() as u64;
            }
            Tier1::Generic => self.stats.generic_bodies += 1,
            Tier1::Optimized | Tier1::Continuation(_) => {}
        }
        if self.opts.trace {
            let mut line = match kind {
                Tier1::Generic => format!("jit: tier1 {name} generic body: {why}"),
                Tier1::Continuation(_) => format!("jit: osr {name}: {why}"),
                _ => format!("jit: tier1 {name}: {why}"),
            };
            for n in &notes {
                line.push_str("; ");
                line.push_str(n);
            }
            line.push_str(match kind {
                Tier1::Specialized => " → specialized",
                Tier1::Optimized => " → optimized",
                Tier1::Continuation(_) => " → continuation",
                Tier1::Generic => "",
            });
            let version = match kind {
                Tier1::Continuation(_) => String::new(),
                _ => format!("v{version}, "),
            };
            let [t_lower, t_opt, t_cg] = times;
            // Code that did not arrive at once says when it did.
            let arrived = if delayed {
                format!(
                    ", installed {:.2} ms after it was planned",
                    ms(start.elapsed())
                )
            } else {
                String::new()
            };
            eprintln!(
                "{line} ({version}{:.2} ms: lower {:.2}, optimize {:.2}, codegen {:.2}{arrived})",
                ms(t_lower + t_opt + t_cg),
                ms(t_lower),
                ms(t_opt),
                ms(t_cg)
            );
        }
        self.record.compiled.push(id);
        let replaces = matches!(kind, Tier1::Optimized | Tier1::Specialized);
        if let Some(ir) = self.last_ir.take() {
            // The generic body is what misses run, and a continuation what
            // one call runs, not the slot's code.
            if replaces {
                self.ir.insert(id, ir);
            }
        }
        // The copies in every piece of code of the function: a
        // redefinition of one of them invalidates it all.
        self.deps.record(id, &inlined, replaces);
    }
}
