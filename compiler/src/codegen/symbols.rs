//! Symbol names, declared once: what lowering, the JIT and ahead-of-time
//! builds call each piece of code and data, so a name in one place (a
//! trace, `--emit`, an object file) is the name everywhere.

use crate::tast::SiteId;

/// Symbol of an LC function's body (ahead of time, and a function's code
/// compiled once in the JIT).
pub fn body_symbol(name: &str) -> String {
    format!("lc.{name}")
}

/// Symbol of a global variable.
pub fn global_symbol(name: &str) -> String {
    format!("lc.g.{name}")
}

/// Symbol of the `n`th storage a session made, here for global `name`
/// (a session variable's or a redefined global's initial value).
pub fn session_global_symbol(name: &str, n: u32) -> String {
    format!("lc.g.{name}.s{n}")
}

/// Symbol of the string literal with bytes `s`: every literal with the
/// same bytes is one object in every module of a program (`linkonce_odr`,
/// so each module may define it and the linker keeps one). Named by a hash
/// of its bytes, not by the order literals were first lowered in: code a
/// warm start links from an earlier run names the same literal.
pub fn string_symbol(s: &[u8]) -> String {
    format!("lc.str.{}", &blake3::hash(s).to_hex()[..32])
}

/// Symbol of the program entry wrapper `int32_t lc.start(int32_t, char **)`.
pub const START_SYMBOL: &str = "lc.start";

/// The JIT's hooks, which compiled code calls by these names (the JIT
/// defines them when it starts): `void tier_up(const void *target)`,
/// `void guard_miss(const void *target)`, and `uint64_t osr(const void
/// *target, uint32_t site, uint64_t *frame)`.
pub const TIER_UP_HOOK: &str = "lljit_jit_tier_up";
pub const GUARD_MISS_HOOK: &str = "lljit_jit_guard_miss";
pub const OSR_HOOK: &str = "lljit_jit_osr";

/// The JIT's memory that compiled code names (`AddrNames`): the slot
/// table, the generic slots, the entry stubs, and what the lazy stubs and
/// hooks are given for each function (its `LazyTarget`), each indexed by
/// function.
pub const SLOTS_SYMBOL: &str = "lljit.slots";
pub const GENERIC_SLOTS_SYMBOL: &str = "lljit.generic_slots";
pub const ENTRIES_SYMBOL: &str = "lljit.entries";
pub const TARGETS_SYMBOL: &str = "lljit.targets";

/// The symbol of a function's profile words (from its stem).
pub fn profile_symbol(stem: &str) -> String {
    format!("lljit.profile.{stem}")
}

/// The symbol of the counters of the guard of a function's version `n`.
pub fn guard_symbol(stem: &str, n: u32) -> String {
    format!("lljit.guard.{stem}.v{n}")
}

/// The stem of a function's symbols in a JIT session: its name, and how
/// many times a redefinition reset it (`f.r2`), so new code never clashes
/// with code compiled for an older definition.
pub fn stem(name: &str, resets: u32) -> String {
    match resets {
        0 => name.to_string(),
        n => format!("{name}.r{n}"),
    }
}

/// A piece of a function's code in the JIT, named from its stem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code<'a> {
    /// Compiled once (untiered, a session input): `lc.f`.
    Once(&'a str),
    /// Tier-0 profiling code: `lc.f.t0`.
    Tier0(&'a str),
    /// Tier-1 version `n`, the slot's code (a guard, for a specialization):
    /// `lc.f.vN`.
    Version(&'a str, u32),
    /// The specialized body behind version `n`'s guard: `lc.f.vN.special`.
    Special(&'a str, u32),
    /// What version `n`'s guard runs on a miss (through the generic slot):
    /// `lc.f.vN.generic.slot`.
    GenericSlot(&'a str, u32),
    /// The generic body of the specializations, made at version `n`:
    /// `lc.f.vN.generic`.
    Generic(&'a str, u32),
    /// The continuation entering the loop at a site: `lc.f.osrS`.
    Continuation(&'a str, SiteId),
    /// In a copy of a specialized callee: the forwarder through its slot
    /// (`lc.g.slot`) and its specialized body (`lc.g.special`), local to
    /// the module that holds the copy.
    CopySlot(&'a str),
    CopySpecial(&'a str),
}

impl Code<'_> {
    /// The symbol.
    pub fn symbol(&self) -> String {
        match *self {
            Code::Once(s) => format!("lc.{s}"),
            Code::Tier0(s) => format!("lc.{s}.t0"),
            Code::Version(s, n) => format!("lc.{s}.v{n}"),
            Code::Special(s, n) => format!("lc.{s}.v{n}.special"),
            Code::GenericSlot(s, n) => format!("lc.{s}.v{n}.generic.slot"),
            Code::Generic(s, n) => format!("lc.{s}.v{n}.generic"),
            Code::Continuation(s, site) => format!("lc.{s}.osr{site}"),
            Code::CopySlot(s) => format!("lc.{s}.slot"),
            Code::CopySpecial(s) => format!("lc.{s}.special"),
        }
    }

    /// The name of the module that defines this code: `fn.` and the
    /// symbol without its `lc.` (what `--emit` and the REPL's `:ir` show).
    pub fn module_name(&self) -> String {
        let symbol = self.symbol();
        format!("fn.{}", symbol.strip_prefix("lc.").unwrap_or(&symbol))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_and_module_names() {
        let f = stem("f", 0);
        assert_eq!(Code::Tier0(&f).symbol(), "lc.f.t0");
        assert_eq!(Code::Tier0(&f).module_name(), "fn.f.t0");
        let g = stem("g", 2);
        assert_eq!(Code::Version(&g, 3).symbol(), "lc.g.r2.v3");
        assert_eq!(Code::GenericSlot(&g, 3).symbol(), "lc.g.r2.v3.generic.slot");
        assert_eq!(Code::Continuation(&f, 4).module_name(), "fn.f.osr4");
        assert_eq!(body_symbol("main"), "lc.main");
    }
}
