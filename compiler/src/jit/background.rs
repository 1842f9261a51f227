//! Background compilation: tier-1 code (optimized bodies, specializations,
//! their generic bodies, OSR continuations) compiled while the program
//! keeps running the code it has, and tier-0 code of functions ahead of
//! their first call (`ahead.rs`: fast jobs, no optimization pipeline).
//!
//! The program's thread plans and lowers a job (a small share of its cost)
//! and hands the module, as bitcode, to a *compile server*: a second
//! `lljit` process (`lljit __compile-server`) with an LLVM context and
//! target machine of its own, which optimizes it and gives back an object
//! file. Compilation runs in another process, not another thread, because
//! the program's process must stay single-threaded: once a second thread
//! exists, glibc's allocator takes locks on every call, and an
//! allocation-heavy program (binarytrees) ran 1.8 times slower. A server
//! also never shares LLVM's state with the program's exit.
//!
//! Jobs wait in a queue ordered by urgency (loops waiting for their
//! continuations first, the latest first, then by how hot the function
//! is; the session computes it), and each server
//! takes one at a time, so a job is only sent when a server is free and a
//! stale one can still be dropped. Results are read without blocking, at
//! the program's entries into the JIT (tier-0 code that keeps running
//! enters it again while its code is on its way), and installed there. A
//! server that cannot be started, or that fails, leaves the job to the
//! program's thread.

use inkwell::context::Context;
use inkwell::memory_buffer::MemoryBuffer;
use inkwell::module::Module;
use inkwell::targets::{FileType, InitializationConfig, Target};
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The hidden subcommand that runs a compile server.
pub const SERVER_COMMAND: &str = "__compile-server";

const REQUEST_MAGIC: u32 = 0x4c4a_5251;
/// A request's header: magic, job number, flags (bit 0: keep the IR, bit
/// 1: fast code), bitcode length.
const REQUEST_HEAD: usize = 21;
const RESPONSE_MAGIC: u32 = 0x4c4a_5253;

/// A job: a lowered module, as bitcode.
pub struct Request {
    /// The session's number for the job (its pending record).
    pub seq: u64,
    /// Larger first.
    pub urgency: u64,
    pub bitcode: Vec<u8>,
    /// Give the optimized module back, as bitcode (a session's `:ir`).
    pub keep_ir: bool,
    /// Fast code (tier 0 ahead of its first call): generated without the
    /// optimization pipeline, as the program's thread would.
    pub fast: bool,
    /// The code cache's entry to store the object in (written by the
    /// server, so the program's thread does not).
    pub store: Option<std::path::PathBuf>,
}

impl PartialEq for Request {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}
impl Eq for Request {}
impl PartialOrd for Request {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Request {
    /// Most urgent first; among equals, the oldest.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.urgency
            .cmp(&other.urgency)
            .then(other.seq.cmp(&self.seq))
    }
}

/// A server's result.
pub struct Compiled {
    pub seq: u64,
    /// The object file, or why there is none.
    pub object: Result<Vec<u8>, String>,
    /// The optimized module's bitcode, when asked for.
    pub ir: Option<Vec<u8>>,
    pub optimize: Duration,
    pub codegen: Duration,
    /// CPU time the server spent on the job (against `optimize + codegen`
    /// of wall time: how much of a core it had).
    pub cpu: Duration,
    /// Bytes the server wrote to the code cache for it (0: none).
    pub stored: u64,
}

/// How servers compile.
#[derive(Clone)]
pub struct Config {
    /// The pass pipeline's optimization level (0–3).
    pub opt_level: u8,
    /// Print each module's optimized IR to standard error.
    pub print_ir: bool,
    /// Stop handing jobs over when servers get too little of a core (the
    /// number of servers was not given).
    pub adaptive: bool,
}

/// One compile server and the job it has.
struct Server {
    /// Its process (0 once killed and left to the system to reap).
    pid: libc::pid_t,
    /// Requests go in here (the server's standard input)...
    to: File,
    /// ...and results come out here (its standard output; non-blocking).
    from: File,
    /// Bytes read and not yet a whole response.
    buf: Vec<u8>,
    /// The job it is compiling, kept until its result arrives (it goes
    /// back to the caller if the server fails).
    busy: Option<Request>,
}

/// The compile servers of one session and their queue.
pub struct Background {
    config: Config,
    /// How many servers to run.
    wanted: usize,
    servers: Vec<Server>,
    queue: BinaryHeap<Request>,
    /// A server failed to start or died: no more are started.
    broken: bool,
    /// When results were last looked for.
    polled: Instant,
    /// Results received: a server has started up once one has.
    delivered: u64,
    /// The share of a core the last jobs had (CPU time over wall time).
    shares: Vec<f64>,
    /// Servers get too little of a core: jobs stay on the program's thread.
    contended: bool,
}

/// Below this share of a core (the mean of the last two jobs of at least
/// [`MIN_JOB`]), a server competes with the program for one core: the
/// program would wait for it as long as for compiling itself, running
/// slow code meanwhile at half speed.
pub const MIN_SHARE: f64 = 0.6;
const MIN_JOB: Duration = Duration::from_millis(2);

/// Results are looked for at most this often (entries into the JIT can
/// come every few nanoseconds while code is on its way).
const POLL_INTERVAL: Duration = Duration::from_micros(50);

impl Background {
    /// Compiles with up to `servers` servers, started when the first job
    /// comes (a program that never tiers up starts none).
    pub fn new(servers: usize, config: Config) -> Background {
        Background {
            config,
            wanted: servers.max(1),
            servers: Vec::new(),
            queue: BinaryHeap::new(),
            broken: false,
            polled: Instant::now(),
            delivered: 0,
            shares: Vec::new(),
            contended: false,
        }
    }

    /// The mean share of a core of the last jobs, once servers were found
    /// to get too little of one (jobs then stay on the program's thread).
    pub fn contended(&self) -> Option<f64> {
        self.contended
            .then(|| self.shares.iter().sum::<f64>() / self.shares.len().max(1) as f64)
    }

    /// True once a server has sent a result: servers are up, and a job a
    /// server has is worth waiting for (before, it may wait for the
    /// server's own start-up, several milliseconds).
    pub fn warmed_up(&self) -> bool {
        self.delivered > 0
    }

    /// Notes the share of a core job `c` had.
    fn measure(&mut self, c: &Compiled) {
        self.delivered += 1;
        let wall = c.optimize + c.codegen;
        if !self.config.adaptive || wall < MIN_JOB {
            return;
        }
        self.shares.push(c.cpu.as_secs_f64() / wall.as_secs_f64());
        if self.shares.len() > 2 {
            self.shares.remove(0);
        }
        let mean = self.shares.iter().sum::<f64>() / self.shares.len() as f64;
        if self.shares.len() == 2 && mean < MIN_SHARE {
            self.contended = true;
        }
    }

    /// True when a job can be handed over now (else the caller compiles
    /// it).
    pub fn usable(&self) -> bool {
        !self.broken && !self.contended && self.queue.len() < MAX_QUEUED
    }

    /// Takes job `seq` back if no server has started it; `None` when one
    /// has (or it is done).
    pub fn withdraw(&mut self, seq: u64) -> Option<Request> {
        let (taken, rest): (Vec<Request>, Vec<Request>) = std::mem::take(&mut self.queue)
            .into_vec()
            .into_iter()
            .partition(|r| r.seq == seq);
        self.queue = rest.into();
        taken.into_iter().next()
    }

    /// Starts a server now, before any job, when none runs: `early`
    /// when one was forked for the session ([`Prestarted`]).
    pub fn prestart(&mut self, early: Option<Prestarted>) {
        if let Some(Prestarted(s)) = early {
            self.servers.push(s);
            return;
        }
        if self.servers.is_empty() && !self.broken && self.wanted > 0 {
            match start_server(&self.config) {
                Ok(s) => self.servers.push(s),
                Err(_) => self.broken = true,
            }
        }
    }

    /// Queues a job and hands it to a free server.
    pub fn submit(&mut self, r: Request) -> Vec<Request> {
        self.queue.push(r);
        self.dispatch()
    }

    /// Hands queued jobs to free servers (starting servers as needed).
    /// Gives back jobs no server can take (the caller compiles them).
    fn dispatch(&mut self) -> Vec<Request> {
        let mut failed = Vec::new();
        while !self.queue.is_empty() {
            let free = self.servers.iter().position(|s| s.busy.is_none());
            let i = match free {
                Some(i) => i,
                None if !self.broken && self.servers.len() < self.wanted => {
                    match start_server(&self.config) {
                        Ok(s) => {
                            self.servers.push(s);
                            self.servers.len() - 1
                        }
                        Err(_) => {
                            self.broken = true;
                            continue;
                        }
                    }
                }
                None if self.servers.is_empty() => {
                    failed.extend(self.queue.drain());
                    break;
                }
                None => break,
            };
            let r = self.queue.pop().expect("not empty");
            let s = &mut self.servers[i];
            match send(&mut s.to, &r) {
                Ok(()) => s.busy = Some(r),
                Err(_) => {
                    failed.push(r);
                    self.retire(i, &mut failed);
                }
            }
        }
        failed
    }

    /// Stops server `i` (it failed); its job goes to `failed`.
    fn retire(&mut self, i: usize, failed: &mut Vec<Request>) {
        let mut s = self.servers.swap_remove(i);
        failed.extend(s.busy.take());
        self.broken = true;
    }

    /// The results that arrived (looked for at most every
    /// [`POLL_INTERVAL`] unless `now`), and the jobs of servers that
    /// failed (the caller compiles them).
    pub fn poll(&mut self, now: bool) -> (Vec<Compiled>, Vec<Request>) {
        let mut done = Vec::new();
        let mut failed = Vec::new();
        if self.servers.iter().all(|s| s.busy.is_none())
            || (!now && self.polled.elapsed() < POLL_INTERVAL)
        {
            return (done, failed);
        }
        self.polled = Instant::now();
        let mut i = 0;
        while i < self.servers.len() {
            let s = &mut self.servers[i];
            if s.busy.is_none() {
                i += 1;
                continue;
            }
            match read_available(&mut s.from, &mut s.buf) {
                Ok(()) => {}
                Err(_) => {
                    self.retire(i, &mut failed);
                    continue;
                }
            }
            match take_response(&mut s.buf) {
                Ok(Some(c)) if Some(c.seq) == s.busy.as_ref().map(|r| r.seq) => {
                    s.busy = None;
                    self.measure(&c);
                    done.push(c);
                }
                Ok(None) => {}
                // A response that is not the job's: the server is broken.
                Ok(Some(_)) | Err(_) => {
                    self.retire(i, &mut failed);
                    continue;
                }
            }
            i += 1;
        }
        failed.extend(self.dispatch());
        (done, failed)
    }

    /// Drops every job and stops the servers (the program is over, and
    /// lljit exits next): killed, not waited for (the system reaps them
    /// once lljit has exited; waiting cost a run a quarter of a
    /// millisecond).
    pub fn stop(&mut self) {
        self.queue.clear();
        for mut s in self.servers.drain(..) {
            // SAFETY: signals this server's own child process.
            unsafe { libc::kill(s.pid, libc::SIGKILL) };
            s.pid = 0;
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Drop for Server {
    /// Stops the server (killed: a job it has is of no use any more) and
    /// reaps it.
    fn drop(&mut self) {
        if self.pid <= 0 {
            return;
        }
        // SAFETY: signals and reaps this server's own child process.
        unsafe {
            libc::kill(self.pid, libc::SIGKILL);
            libc::waitpid(self.pid, std::ptr::null_mut(), 0);
        }
    }
}

/// A compile server forked when `lljit run` starts, before the front end
/// runs, for the session that follows. A fork of the process while it is
/// still small is ready in a few milliseconds (its own target machines,
/// warmed up while the program's thread reads and checks the program); a
/// new process takes longer before it can compile (loading lljit and
/// LLVM, 7 ms and more). Later servers are new processes: a fork of a
/// running program would copy its page tables and make its every first
/// write to an old page a copy.
pub struct Prestarted(Server);

impl Prestarted {
    /// Forks a server compiling as `config` says; `None` when the system
    /// cannot (the session starts one as usual).
    pub fn fork(config: &Config) -> Option<Prestarted> {
        let (requests_in, requests_out) = pipe()?;
        let (results_in, results_out) = pipe()?;
        // Nothing is buffered for standard output or error that the child
        // could write again: it writes only through descriptors below.
        // SAFETY: the process has one thread (lljit's invariant), so the
        // child may run any code; it never returns from this block.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            return None;
        }
        if pid == 0 {
            // SAFETY: the child's own descriptors and signal dispositions;
            // it leaves with `_exit`, running none of the parent's exit
            // handlers and flushing none of its buffers.
            unsafe {
                libc::dup2(requests_in.as_raw_fd(), 0);
                libc::dup2(results_out.as_raw_fd(), 1);
                libc::_exit(child_main(config))
            }
        }
        drop((requests_in, results_out));
        Some(Prestarted(Server::over(pid, requests_out, results_in)))
    }
}

/// A pipe: (read end, write end), closed on exec.
fn pipe() -> Option<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: `pipe2` fills both descriptors, which are ours to own.
    unsafe {
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            return None;
        }
        Some((OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])))
    }
}

/// A forked server's life: in its own process group (an interrupt at
/// the terminal is the program's alone), with C's default signal
/// dispositions instead of the program's trap handlers, `SIGPIPE`
/// ignored (a write to a program that ended is an error, and the server
/// stops), and LLVM's fatal errors ending it at once. Gives its exit
/// status.
///
/// # Safety
/// Only in the child of `fork`, once.
unsafe fn child_main(config: &Config) -> i32 {
    libc::setpgid(0, 0);
    for sig in 1..32 {
        if sig != libc::SIGKILL && sig != libc::SIGSTOP {
            libc::signal(sig, libc::SIG_DFL);
        }
    }
    libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    let mut none: libc::sigset_t = std::mem::zeroed();
    libc::sigemptyset(&mut none);
    libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
    extern "C" fn fatal(reason: *const std::ffi::c_char) {
        // SAFETY: LLVM passes a NUL-terminated message.
        let reason = unsafe { std::ffi::CStr::from_ptr(reason) };
        eprintln!("error: compile server: {}", reason.to_string_lossy());
        // SAFETY: ends this process without the parent's exit handlers.
        unsafe { libc::_exit(1) }
    }
    llvm_sys::error_handling::LLVMInstallFatalErrorHandler(Some(fatal));
    std::panic::catch_unwind(|| run_server(config)).unwrap_or(101)
}

/// Jobs waiting beyond this many are compiled on the program's thread.
pub const MAX_QUEUED: usize = 64;

/// Starts a server: this executable (or `LLJIT_COMPILE_SERVER`, for
/// testing what happens when a server misbehaves), in its own process
/// group (so an interrupt at the terminal is the program's alone).
fn start_server(config: &Config) -> std::io::Result<Server> {
    use std::os::unix::process::CommandExt;
    let exe = match std::env::var_os("LLJIT_COMPILE_SERVER") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::env::current_exe()?,
    };
    let mut cmd = Command::new(exe);
    cmd.arg(SERVER_COMMAND)
        .arg(format!("-O{}", config.opt_level))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .process_group(0);
    if config.print_ir {
        cmd.arg("--print-ir");
    }
    let mut child = cmd.spawn()?;
    let to = OwnedFd::from(child.stdin.take().expect("piped"));
    let from = OwnedFd::from(child.stdout.take().expect("piped"));
    // Reaped when the server is dropped.
    Ok(Server::over(child.id() as libc::pid_t, to, from))
}

impl Server {
    /// The server with process `pid`, which reads requests from `to` and
    /// writes results to `from`.
    fn over(pid: libc::pid_t, to: OwnedFd, from: OwnedFd) -> Server {
        // SAFETY: plain fcntl calls on descriptors this value owns.
        unsafe {
            let fd = from.as_raw_fd();
            let flags = libc::fcntl(fd, libc::F_GETFL);
            libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
            // Room for a whole module in the pipe, where the system allows.
            libc::fcntl(to.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20);
        }
        Server {
            pid,
            to: File::from(to),
            from: File::from(from),
            buf: Vec::new(),
            busy: None,
        }
    }
}

/// Sends job `r`. A server that died makes the write fail with `EPIPE`;
/// the `SIGPIPE` that comes with it would end the program (it runs with
/// C's default disposition), so it is blocked meanwhile and taken off if
/// it came.
fn send(to: &mut File, r: &Request) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(REQUEST_HEAD);
    head.extend_from_slice(&REQUEST_MAGIC.to_le_bytes());
    head.extend_from_slice(&r.seq.to_le_bytes());
    head.push(r.keep_ir as u8 | (r.fast as u8) << 1 | (r.store.is_some() as u8) << 2);
    head.extend_from_slice(&(r.bitcode.len() as u64).to_le_bytes());
    if let Some(path) = &r.store {
        let path = path.as_os_str().as_encoded_bytes();
        head.extend_from_slice(&(path.len() as u64).to_le_bytes());
        head.extend_from_slice(path);
    }
    without_sigpipe(|| {
        to.write_all(&head)?;
        to.write_all(&r.bitcode)?;
        to.flush()
    })
}

/// Runs `f` with `SIGPIPE` blocked on this thread, and discards one that
/// `f` raised.
fn without_sigpipe<R>(f: impl FnOnce() -> R) -> R {
    // SAFETY: signal-mask calls on this thread's mask and pending set.
    unsafe {
        let mut pipe: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut pipe);
        libc::sigaddset(&mut pipe, libc::SIGPIPE);
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::pthread_sigmask(libc::SIG_BLOCK, &pipe, &mut old);
        let r = f();
        let mut pending: libc::sigset_t = std::mem::zeroed();
        libc::sigpending(&mut pending);
        if libc::sigismember(&pending, libc::SIGPIPE) == 1 {
            let zero = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            libc::sigtimedwait(&pipe, std::ptr::null_mut(), &zero);
        }
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        r
    }
}

/// Reads what the pipe has now (never blocks); an error when it is
/// closed. The bytes go straight into `buf`'s spare room: the program's
/// thread polls often, and zeroing a scratch buffer each time cost it
/// milliseconds a run.
fn read_available(from: &mut File, buf: &mut Vec<u8>) -> std::io::Result<()> {
    loop {
        buf.reserve(1 << 16);
        let spare = buf.spare_capacity_mut();
        // SAFETY: `read` writes at most `spare.len()` bytes into `spare`,
        // and only the bytes it wrote are added to the vector's length.
        let n = unsafe {
            libc::read(
                from.as_raw_fd(),
                spare.as_mut_ptr() as *mut libc::c_void,
                spare.len(),
            )
        };
        match n {
            0 => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the compile server stopped",
                ))
            }
            n if n > 0 => {
                // SAFETY: the first `n` spare bytes were written by `read`.
                unsafe { buf.set_len(buf.len() + n as usize) }
            }
            _ => {
                let e = std::io::Error::last_os_error();
                match e.kind() {
                    std::io::ErrorKind::WouldBlock => return Ok(()),
                    std::io::ErrorKind::Interrupted => {}
                    _ => return Err(e),
                }
            }
        }
    }
}

/// A reader of little-endian fields; `None` when `buf` ends first.
struct Fields<'a> {
    buf: &'a [u8],
    at: usize,
}

impl Fields<'_> {
    fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let b = self.buf.get(self.at..end)?;
        self.at = end;
        Some(b)
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }
    fn blob(&mut self) -> Option<Vec<u8>> {
        let n = self.u64()? as usize;
        Some(self.bytes(n)?.to_vec())
    }
}

/// The first whole response in `buf`, removed from it; an error when the
/// bytes are not a response.
fn take_response(buf: &mut Vec<u8>) -> Result<Option<Compiled>, ()> {
    let mut f = Fields { buf, at: 0 };
    let Some(magic) = f.u32() else {
        return Ok(None);
    };
    if magic != RESPONSE_MAGIC {
        return Err(());
    }
    let parsed = (|| {
        let seq = f.u64()?;
        let ok = f.u8()?;
        let optimize = Duration::from_nanos(f.u64()?);
        let codegen = Duration::from_nanos(f.u64()?);
        let cpu = Duration::from_nanos(f.u64()?);
        let stored = f.u64()?;
        let body = f.blob()?;
        let has_ir = f.u8()?;
        let ir = if has_ir == 1 { Some(f.blob()?) } else { None };
        let object = if ok == 1 {
            Ok(body)
        } else {
            Err(String::from_utf8_lossy(&body).into_owned())
        };
        Some(Compiled {
            seq,
            object,
            ir,
            optimize,
            codegen,
            cpu,
            stored,
        })
    })();
    match parsed {
        Some(c) => {
            let used = f.at;
            buf.drain(..used);
            Ok(Some(c))
        }
        None => Ok(None),
    }
}

/// `lljit __compile-server -ON [--print-ir]`: reads jobs from standard
/// input and writes their results to standard output until standard input
/// closes. Gives the exit status.
pub fn serve(args: &[String]) -> i32 {
    let mut config = Config {
        opt_level: 2,
        print_ir: false,
        adaptive: false,
    };
    for a in args {
        match a.as_str() {
            "--print-ir" => config.print_ir = true,
            _ => match a.strip_prefix("-O").and_then(|l| l.parse().ok()) {
                Some(l) => config.opt_level = l,
                None => {
                    eprintln!("error: {SERVER_COMMAND}: unknown argument `{a}`");
                    return 2;
                }
            },
        }
    }
    run_server(&config)
}

/// A server's work: reads jobs from standard input and writes results to
/// standard output until standard input closes; gives the exit status.
fn run_server(config: &Config) -> i32 {
    // Descriptors the program had open are not the server's.
    // SAFETY: closes descriptors this process does not use.
    unsafe { libc::close_range(3, u32::MAX, 0) };
    if Target::initialize_native(&InitializationConfig::default()).is_err() {
        return 1;
    }
    let Ok(tm) = super::tier1_machine(config.opt_level) else {
        return 1;
    };
    let context = Context::create();
    // Both machines make their subtarget at their first function: done
    // now, before the first job, which is awaited. The fast one compiles
    // representative tier-0 code, so that the first functions sent ahead
    // of their first call do not pay for LLVM's first use of its code
    // and data either (a forked server has the time while the front end
    // runs).
    let fast_emitter = super::target_machine(inkwell::OptimizationLevel::None)
        .and_then(super::emitter::Emitter::new)
        .ok();
    if let (Some(e), Ok(m)) = (&fast_emitter, warm_up_tier0(&context)) {
        e.emit(&m);
    }
    if let Ok(m) = warm_up_module(&context) {
        let _ = tm.write_to_memory_buffer(&m, FileType::Object);
    }
    // Descriptors 0 and 1, not Rust's standard streams: a forked server
    // has a copy of whatever the program had buffered there.
    // SAFETY: the process's standard input and output, used only here
    // (never closed: the process ends with this function).
    let mut input = std::io::BufReader::with_capacity(1 << 16, unsafe { File::from_raw_fd(0) });
    let mut output = std::mem::ManuallyDrop::new(unsafe { File::from_raw_fd(1) });
    loop {
        let mut head = [0u8; REQUEST_HEAD];
        if input.read_exact(&mut head).is_err() {
            return 0;
        }
        let mut f = Fields { buf: &head, at: 0 };
        let (Some(magic), Some(seq), Some(flags), Some(len)) = (f.u32(), f.u64(), f.u8(), f.u64())
        else {
            return 1;
        };
        if magic != REQUEST_MAGIC || flags > 7 {
            return 1;
        }
        let (keep_ir, fast) = (flags & 1 == 1, flags & 2 == 2);
        let store = if flags & 4 == 4 {
            let mut n = [0u8; 8];
            if input.read_exact(&mut n).is_err() {
                return 1;
            }
            let mut path = vec![0u8; u64::from_le_bytes(n) as usize];
            if input.read_exact(&mut path).is_err() {
                return 1;
            }
            use std::os::unix::ffi::OsStringExt;
            Some(std::path::PathBuf::from(std::ffi::OsString::from_vec(path)))
        } else {
            None
        };
        let mut bitcode = vec![0u8; len as usize];
        if input.read_exact(&mut bitcode).is_err() {
            return 1;
        }
        let cpu = cpu_time();
        let t = Instant::now();
        let result = if fast {
            read_back(&context, &bitcode).map(|m| (m, None))
        } else {
            optimize(&context, &tm, &config, &bitcode, keep_ir)
        };
        let optimize_time = t.elapsed();
        let t = Instant::now();
        let result = result.and_then(|(m, ir)| {
            if fast {
                let e = fast_emitter
                    .as_ref()
                    .ok_or("the compile server has no fast code generator")?;
                return Ok((e.emit(&m).as_slice().to_vec(), None));
            }
            let obj = tm
                .write_to_memory_buffer(&m, FileType::Object)
                .map_err(|e| e.to_string())?;
            Ok((obj.as_slice().to_vec(), ir))
        });
        let codegen_time = t.elapsed();
        let cpu = cpu_time().saturating_sub(cpu);
        let mut out = Vec::new();
        out.extend_from_slice(&RESPONSE_MAGIC.to_le_bytes());
        out.extend_from_slice(&seq.to_le_bytes());
        let (ok, body, ir) = match result {
            Ok((obj, ir)) => (1u8, obj, ir),
            Err(e) => (0u8, e.into_bytes(), None),
        };
        let stored = match &store {
            Some(path) if ok == 1 => super::cache::write_entry(path, &body).unwrap_or(0),
            _ => 0,
        };
        out.push(ok);
        out.extend_from_slice(&(optimize_time.as_nanos() as u64).to_le_bytes());
        out.extend_from_slice(&(codegen_time.as_nanos() as u64).to_le_bytes());
        out.extend_from_slice(&(cpu.as_nanos() as u64).to_le_bytes());
        out.extend_from_slice(&stored.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&body);
        match ir {
            Some(ir) => {
                out.push(1);
                out.extend_from_slice(&(ir.len() as u64).to_le_bytes());
                out.extend_from_slice(&ir);
            }
            None => out.push(0),
        }
        if output.write_all(&out).and_then(|_| output.flush()).is_err() {
            return 0;
        }
    }
}

/// The CPU time this process has used.
fn cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: writes the clock's value into `ts`.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Tier-0 code of a few small functions (`warm_up.ll`), for the host.
fn warm_up_tier0(context: &Context) -> Result<Module<'_>, String> {
    let ir = MemoryBuffer::create_from_memory_range(include_bytes!("warm_up.ll"), "warm-up");
    let m = context
        .create_module_from_ir(ir)
        .map_err(|e| e.to_string())?;
    m.set_triple(&inkwell::targets::TargetMachine::get_default_triple());
    Ok(m)
}

/// A module with one empty function carrying the attributes lowered
/// functions have that choose a subtarget (`codegen::SUBTARGET_ATTRIBUTES`).
fn warm_up_module(context: &Context) -> Result<Module<'_>, String> {
    let m = context.create_module("warm-up");
    let f = m.add_function(
        "lljit.warm_up",
        context.void_type().fn_type(&[], false),
        None,
    );
    for (k, v) in crate::codegen::SUBTARGET_ATTRIBUTES {
        let attr = context.create_string_attribute(k, v);
        f.add_attribute(inkwell::attributes::AttributeLoc::Function, attr);
    }
    let b = context.create_builder();
    b.position_at_end(context.append_basic_block(f, "entry"));
    b.build_return(None).map_err(|e| e.to_string())?;
    Ok(m)
}

/// Reads a job's module back and verifies it.
fn read_back<'c>(context: &'c Context, bitcode: &[u8]) -> Result<Module<'c>, String> {
    let buffer = MemoryBuffer::create_from_memory_range(bitcode, "job");
    let m = Module::parse_bitcode_from_buffer(&buffer, context)
        .map_err(|e| format!("cannot read back a module: {e}"))?;
    if let Err(e) = m.verify() {
        let name = m.get_name().to_string_lossy().into_owned();
        return Err(format!("invalid IR in `{name}`: {e}"));
    }
    Ok(m)
}

/// Reads a job's module back, verifies and optimizes it.
fn optimize<'c>(
    context: &'c Context,
    tm: &inkwell::targets::TargetMachine,
    config: &Config,
    bitcode: &[u8],
    keep_ir: bool,
) -> Result<(Module<'c>, Option<Vec<u8>>), String> {
    let m = read_back(context, bitcode)?;
    let passes = format!("default<O{}>", config.opt_level.min(3));
    m.run_passes(&passes, tm, crate::codegen::pass_options(config.opt_level))
        .map_err(|e| e.to_string())?;
    if config.print_ir {
        eprint!("{}", m.print_to_string().to_string());
    }
    let ir = keep_ir.then(|| m.write_bitcode_to_memory().as_slice().to_vec());
    Ok((m, ir))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(wall_ms: u64, cpu_ms: u64) -> Compiled {
        Compiled {
            seq: 0,
            object: Ok(Vec::new()),
            ir: None,
            optimize: Duration::from_millis(wall_ms / 2),
            codegen: Duration::from_millis(wall_ms - wall_ms / 2),
            cpu: Duration::from_millis(cpu_ms),
            stored: 0,
        }
    }

    fn background(adaptive: bool) -> Background {
        Background::new(
            1,
            Config {
                opt_level: 2,
                print_ir: false,
                adaptive,
            },
        )
    }

    #[test]
    fn servers_with_half_a_core_leave_jobs_to_the_programs_thread() {
        let mut b = background(true);
        b.measure(&job(20, 19));
        b.measure(&job(20, 9));
        // The mean of the last two: 0.7.
        assert_eq!(b.contended(), None);
        assert!(b.usable());
        // Tiny jobs say nothing.
        b.measure(&job(1, 0));
        assert_eq!(b.contended(), None);
        b.measure(&job(40, 18));
        let share = b.contended().expect("contended");
        assert!((share - 0.45).abs() < 0.01, "{share}");
        assert!(!b.usable());
    }

    #[test]
    fn a_number_of_servers_given_is_kept_whatever_their_share() {
        let mut b = background(false);
        for _ in 0..4 {
            b.measure(&job(20, 5));
        }
        assert_eq!(b.contended(), None);
        assert!(b.usable());
    }

    #[test]
    fn writing_to_a_server_that_died_is_an_error_not_the_end_of_the_program() {
        // SAFETY: a pipe, a signal disposition and writes of this test's own.
        unsafe {
            let mut fds = [0; 2];
            assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
            libc::close(fds[0]);
            // What the program runs with: SIGPIPE ends the process.
            let old = libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            let r = without_sigpipe(|| libc::write(fds[1], b"x".as_ptr().cast(), 1));
            let err = std::io::Error::last_os_error();
            libc::signal(libc::SIGPIPE, old);
            libc::close(fds[1]);
            assert_eq!(r, -1);
            assert_eq!(err.raw_os_error(), Some(libc::EPIPE));
        }
    }

    #[test]
    fn responses_are_read_whole_and_in_order() {
        let mut buf = Vec::new();
        for (seq, ok, body) in [(3u64, 1u8, &b"obj"[..]), (4, 0, &b"bad"[..])] {
            buf.extend_from_slice(&RESPONSE_MAGIC.to_le_bytes());
            buf.extend_from_slice(&seq.to_le_bytes());
            buf.push(ok);
            for ns in [5u64, 6, 7, 8] {
                buf.extend_from_slice(&ns.to_le_bytes());
            }
            buf.extend_from_slice(&(body.len() as u64).to_le_bytes());
            buf.extend_from_slice(body);
            buf.push(0);
        }
        let whole = buf.len();
        let mut part = buf[..whole - 3].to_vec();
        let first = take_response(&mut part).unwrap().unwrap();
        assert_eq!((first.seq, first.object.unwrap()), (3, b"obj".to_vec()));
        assert_eq!((first.cpu, first.stored), (Duration::from_nanos(7), 8));
        // The second is not whole yet.
        assert!(take_response(&mut part).unwrap().is_none());
        let mut rest = buf[whole - part.len() - 3..].to_vec();
        let second = take_response(&mut rest).unwrap().unwrap();
        assert_eq!(second.seq, 4);
        assert_eq!(second.object.unwrap_err(), "bad");
        assert!(rest.is_empty());
        assert!(take_response(&mut vec![0u8; 8]).is_err());
    }
}
