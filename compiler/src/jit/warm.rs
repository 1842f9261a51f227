//! Warm start: what an earlier run of the same program tiered up starts in
//! its tier-1 code, without tier 0. At the end of a run the session writes
//! a record into the code cache, keyed by the program (every source file's
//! name and text), the flags that change code, and the machine: for each
//! function whose slot held tier-1 code, that code's cache key, symbol and
//! version, the callees copied into it, and the function's profile words.
//! A later run with the same key links that object at the function's first
//! call (if the cache still has it) instead of compiling profiling code, and
//! gives the function its recorded profile, so the callers' later plans see
//! it as hot, as the earlier run did.
//!
//! Only plain optimized bodies are replayed: a specialization needs its
//! guard's counters and a generic fallback, and one holding a guarded copy
//! of a specialized callee names that callee's guard. Those, `main` (whose
//! module starts the program) and continuations are compiled as in a cold
//! run, whose optimized modules the cache also holds.

use super::cache::Key;
use std::collections::HashMap;
use std::fmt::Write;

/// The first line of a record (its format's version).
const MAGIC: &str = "lljit-warm 1";

/// One function's tier-1 code in an earlier run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarmFunc {
    pub version: u32,
    /// The cache key of its object, and the symbol of its entry.
    pub key: Key,
    pub symbol: String,
    /// The callees copied into it, by name.
    pub copies: Vec<String>,
    /// The function's profile words when the run ended.
    pub profile: Vec<u64>,
}

/// The record of a run, by function name.
pub type WarmRecord = HashMap<String, WarmFunc>;

/// The record as text (sorted by name, so the same record is the same
/// bytes).
pub fn to_text(record: &WarmRecord) -> String {
    let mut names: Vec<&String> = record.keys().collect();
    names.sort();
    let mut out = format!("{MAGIC}\n");
    for name in names {
        let f = &record[name];
        let copies = if f.copies.is_empty() {
            "-".to_string()
        } else {
            f.copies.join(",")
        };
        let words: Vec<String> = f.profile.iter().map(|w| w.to_string()).collect();
        let _ = writeln!(
            out,
            "fn {name} {} {} {} {copies} {}",
            f.version,
            f.symbol,
            f.key.to_hex(),
            if words.is_empty() {
                "-".to_string()
            } else {
                words.join(",")
            }
        );
    }
    out
}

/// A record read back (`None`: not one).
pub fn parse(text: &str) -> Option<WarmRecord> {
    let mut lines = text.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let mut record = WarmRecord::new();
    for line in lines {
        let w: Vec<&str> = line.split(' ').collect();
        let [kw, name, version, symbol, key, copies, profile] = w[..] else {
            return None;
        };
        if kw != "fn" {
            return None;
        }
        let list = |s: &str| -> Vec<String> {
            if s == "-" {
                Vec::new()
            } else {
                s.split(',').map(String::from).collect()
            }
        };
        let profile = list(profile)
            .iter()
            .map(|w| w.parse::<u64>().ok())
            .collect::<Option<Vec<u64>>>()?;
        record.insert(
            name.to_string(),
            WarmFunc {
                version: version.parse().ok()?,
                key: Key::from_hex(key)?,
                symbol: symbol.to_string(),
                copies: list(copies),
                profile,
            },
        );
    }
    Some(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_written() {
        let mut r = WarmRecord::new();
        r.insert(
            "sum".into(),
            WarmFunc {
                version: 1,
                key: Key::from_hex(&"ab".repeat(32)).unwrap(),
                symbol: "lc.sum.v1".into(),
                copies: vec!["scale".into(), "twice".into()],
                profile: vec![1000, 24451, 0, 7],
            },
        );
        r.insert(
            "leaf".into(),
            WarmFunc {
                version: 2,
                key: Key::from_hex(&"01".repeat(32)).unwrap(),
                symbol: "lc.leaf.v2".into(),
                copies: vec![],
                profile: vec![],
            },
        );
        let text = to_text(&r);
        assert!(text.starts_with("lljit-warm 1\nfn leaf 2 "), "{text}");
        assert_eq!(parse(&text), Some(r));
        assert_eq!(parse("lljit-warm 2\n"), None);
        assert_eq!(parse(&text.replace("lc.sum.v1 ", "")), None);
        assert_eq!(parse(&text.replace("24451", "x")), None);
    }
}
