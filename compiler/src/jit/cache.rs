//! The persistent code cache: object files kept across runs, so
//! a second run of a program links the code the first one compiled instead
//! of compiling it again.
//!
//! An entry is keyed by what decides its bits: the lowered module's
//! bitcode (lowering names the JIT's memory by symbol, so the same plan
//! gives the same bitcode in every run, and every decision the profile
//! made is in it) and the machine that compiles it (lljit's build, LLVM's
//! version, the optimization level, the host CPU and its features). A key
//! therefore never names stale code: a changed source, flag, profile
//! decision or CPU is a different key, a miss. Entries are files named by
//! their key in `$LLJIT_CACHE_DIR`, else `$XDG_CACHE_HOME/lljit`, else
//! `~/.cache/lljit`; each holds a header, a checksum and the object. One is
//! written to a temporary file and renamed into place, so concurrent runs
//! never see half an entry; a truncated or corrupted one fails its checksum
//! and is removed (the code is compiled again). Reading an entry touches
//! it; when a run that wrote entries ends and the cache is over its size,
//! the least recently used entries go.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What every entry file starts with (the format's version is its last
/// byte).
const MAGIC: &[u8; 8] = b"LLJITOB1";
/// Magic, payload length, checksum.
const HEADER: usize = 8 + 8 + 32;
/// The default size limit: 256 MiB (`LLJIT_CACHE_MAX_MB`).
const DEFAULT_LIMIT_MB: u64 = 256;

/// An entry's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl Key {
    /// 64 hex digits.
    pub fn to_hex(self) -> String {
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
    }

    pub fn from_hex(hex: &str) -> Option<Key> {
        blake3::Hash::from_hex(hex).ok().map(|h| Key(*h.as_bytes()))
    }

    fn file_name(&self) -> String {
        self.to_hex()
    }
}

/// The cache's directory: `LLJIT_CACHE_DIR`, else the user's cache
/// directory's `lljit` (`None` when there is none).
pub fn default_dir() -> Option<PathBuf> {
    match std::env::var_os("LLJIT_CACHE_DIR") {
        Some(d) if !d.is_empty() => Some(PathBuf::from(d)),
        _ => dirs::cache_dir().map(|d| d.join("lljit")),
    }
}

/// The size limit in bytes (`LLJIT_CACHE_MAX_MB`).
fn limit() -> u64 {
    std::env::var("LLJIT_CACHE_MAX_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(DEFAULT_LIMIT_MB)
        .saturating_mul(1 << 20)
}

/// What a session's cache did, for `--stats`.
#[derive(Clone, Copy, Debug, Default)]
pub struct CacheCounts {
    pub hits: u64,
    pub misses: u64,
    pub read_bytes: u64,
    pub written_bytes: u64,
    /// Entries that failed their checksum (removed).
    pub corrupt: u64,
}

/// The cache as one session uses it.
pub struct CodeCache {
    dir: PathBuf,
    /// Hash of what the compiling machine is (see [`machine_identity`]).
    machine: blake3::Hash,
    pub counts: CacheCounts,
}

impl CodeCache {
    /// The cache in `dir`, for code compiled by `machine` (a description
    /// of everything besides the module that decides the object).
    pub fn new(dir: PathBuf, machine: &str) -> CodeCache {
        CodeCache {
            dir,
            machine: blake3::hash(machine.as_bytes()),
            counts: CacheCounts::default(),
        }
    }

    /// The key of what `parts` say (a module's bitcode and how it is
    /// compiled) for this cache's machine.
    pub fn key(&self, parts: &[&[u8]]) -> Key {
        let mut h = blake3::Hasher::new();
        h.update(self.machine.as_bytes());
        for p in parts {
            // Lengths first: ("ab", "c") is not ("a", "bc").
            h.update(&(p.len() as u64).to_le_bytes());
            h.update(p);
        }
        Key(*h.finalize().as_bytes())
    }

    /// The file that holds (or would hold) the entry of `key`.
    pub fn path(&self, key: &Key) -> PathBuf {
        self.dir.join(key.file_name())
    }

    /// The object stored under `key`, if a whole one is.
    pub fn get(&mut self, key: &Key) -> Option<Vec<u8>> {
        let object = self.read(key);
        match object {
            Some(_) => self.counts.hits += 1,
            None => self.counts.misses += 1,
        }
        object
    }

    /// The bytes stored under `key`, if a whole entry is (a damaged one is
    /// removed); not counted as a hit or miss (the warm-start record).
    pub fn read(&mut self, key: &Key) -> Option<Vec<u8>> {
        let path = self.path(key);
        let bytes = fs::read(&path).ok()?;
        match payload(&bytes) {
            Some(object) => {
                self.counts.read_bytes += bytes.len() as u64;
                // Recently used: the last to be evicted.
                if let Ok(f) = fs::File::options().append(true).open(&path) {
                    let _ = f.set_modified(SystemTime::now());
                }
                Some(object.to_vec())
            }
            None => {
                self.counts.corrupt += 1;
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores `object` under `key`. The cache is an optimization: a
    /// directory that cannot be written leaves it as it was.
    pub fn put(&mut self, key: &Key, object: &[u8]) {
        if let Some(n) = write_entry(&self.path(key), object) {
            self.counts.written_bytes += n;
        }
    }

    /// After a session that wrote entries: evicts the least recently used
    /// entries while the cache is over its size limit.
    pub fn trim(&self) {
        if self.counts.written_bytes > 0 {
            trim(&self.dir, limit());
        }
    }
}

/// Writes `object` as the entry file `path` (in the cache's directory,
/// made if needed): to a temporary file renamed into place, so a reader
/// never sees part of it. Gives the bytes written; `None` when the
/// directory cannot be written (a compile server stores what it compiled
/// with this, the session with [`CodeCache::put`]).
pub fn write_entry(path: &Path, object: &[u8]) -> Option<u64> {
    let dir = path.parent()?;
    fs::create_dir_all(dir).ok()?;
    let mut tmp = tempfile::NamedTempFile::with_prefix_in(".tmp", dir).ok()?;
    let mut entry = Vec::with_capacity(HEADER + object.len());
    entry.extend_from_slice(MAGIC);
    entry.extend_from_slice(&(object.len() as u64).to_le_bytes());
    entry.extend_from_slice(blake3::hash(object).as_bytes());
    entry.extend_from_slice(object);
    tmp.write_all(&entry).ok()?;
    tmp.persist(path).ok()?;
    Some(entry.len() as u64)
}

/// The object in entry file `bytes`, if the file is whole.
fn payload(bytes: &[u8]) -> Option<&[u8]> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return None;
    }
    let len = u64::from_le_bytes(bytes[8..16].try_into().ok()?);
    let object = &bytes[HEADER..];
    (object.len() as u64 == len && blake3::hash(object).as_bytes() == &bytes[16..48])
        .then_some(object)
}

/// The entries in `dir`: (path, bytes, last used).
fn entries(dir: &Path) -> Vec<(PathBuf, u64, SystemTime)> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    rd.filter_map(|e| {
        let e = e.ok()?;
        let name = e.file_name();
        let name = name.to_str()?;
        // Entries only: 64 hex digits (not a temporary file, nor anything
        // else someone put there).
        if name.len() != 64 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let m = e.metadata().ok()?;
        Some((e.path(), m.len(), m.modified().ok()?))
    })
    .collect()
}

/// Evicts the least recently used entries of `dir` until they fit in
/// `limit` bytes.
fn trim(dir: &Path, limit: u64) {
    let mut all = entries(dir);
    let mut total: u64 = all.iter().map(|e| e.1).sum();
    if total <= limit {
        return;
    }
    all.sort_by_key(|e| e.2);
    for (path, len, _) in all {
        if total <= limit {
            break;
        }
        if fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

/// `lljit cache stats`: the directory, its entries and their size.
pub fn describe(dir: &Path) -> String {
    let all = entries(dir);
    let bytes: u64 = all.iter().map(|e| e.1).sum();
    format!(
        "cache directory: {}\nentries: {}\nsize: {:.1} KiB (limit {} MiB, LLJIT_CACHE_MAX_MB)\n",
        dir.display(),
        all.len(),
        bytes as f64 / 1024.0,
        limit() >> 20
    )
}

/// `lljit cache clear`: removes every entry (and leftover temporary
/// files); gives how many entries went.
pub fn clear(dir: &Path) -> std::io::Result<usize> {
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut n = 0;
    for e in rd {
        let e = e?;
        let name = e.file_name();
        let name = name.to_string_lossy();
        let entry = name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit());
        if entry || name.starts_with(".tmp") {
            fs::remove_file(e.path())?;
            n += usize::from(entry);
        }
    }
    Ok(n)
}

/// Everything besides a module that decides the object LLVM makes of it
/// here: lljit's build (its version, and the executable's size and time,
/// so a rebuilt lljit never reads an older one's code), LLVM's version,
/// the optimization level, and the host CPU with its features.
pub fn machine_identity(opt_level: u8) -> String {
    let exe = std::env::current_exe()
        .and_then(fs::metadata)
        .map(|m| {
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{} {t}", m.len())
        })
        .unwrap_or_default();
    let (major, minor, patch) = inkwell::support::get_llvm_version();
    format!(
        "lljit {} ({exe}); llvm {major}.{minor}.{patch}; -O{opt_level}; {} {} {}",
        env!("CARGO_PKG_VERSION"),
        inkwell::targets::TargetMachine::get_default_triple(),
        inkwell::targets::TargetMachine::get_host_cpu_name(),
        inkwell::targets::TargetMachine::get_host_cpu_features(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(dir: &Path) -> CodeCache {
        CodeCache::new(dir.to_path_buf(), "test machine")
    }

    #[test]
    fn an_entry_reads_back_and_a_damaged_one_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = cache(dir.path());
        let k = c.key(&[b"module"]);
        assert_eq!(c.get(&k), None);
        c.put(&k, b"object bytes");
        assert_eq!(c.get(&k).as_deref(), Some(&b"object bytes"[..]));
        // Another machine: another key.
        let other = CodeCache::new(dir.path().to_path_buf(), "another cpu");
        assert_ne!(other.key(&[b"module"]), k);
        assert_ne!(c.key(&[b"mod", b"ule"]), k);
        // Truncated, then one byte changed: misses, and the file goes.
        let path = c.path(&k);
        let whole = fs::read(&path).unwrap();
        fs::write(&path, &whole[..whole.len() - 1]).unwrap();
        assert_eq!(c.get(&k), None);
        assert!(!path.exists());
        let mut bad = whole.clone();
        *bad.last_mut().unwrap() ^= 1;
        fs::write(&path, &bad).unwrap();
        assert_eq!(c.get(&k), None);
        assert_eq!(c.counts.corrupt, 2);
        assert_eq!(c.counts.hits, 1);
        assert_eq!(c.counts.misses, 3);
    }

    #[test]
    fn trimming_evicts_the_least_recently_used() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = cache(dir.path());
        let keys: Vec<Key> = (0..4u8).map(|i| c.key(&[&[i]])).collect();
        let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        for (i, k) in keys.iter().enumerate() {
            c.put(k, &[0u8; 1000]);
            let f = fs::File::options().append(true).open(c.path(k)).unwrap();
            f.set_modified(old + std::time::Duration::from_secs(i as u64))
                .unwrap();
        }
        // The oldest, read now, becomes the newest.
        assert!(c.get(&keys[0]).is_some());
        trim(dir.path(), 2 * (HEADER as u64 + 1000));
        let left: Vec<bool> = keys.iter().map(|k| c.path(k).exists()).collect();
        assert_eq!(left, [true, false, false, true]);
        assert_eq!(clear(dir.path()).unwrap(), 2);
        assert_eq!(entries(dir.path()).len(), 0);
    }
}
