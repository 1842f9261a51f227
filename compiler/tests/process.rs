//! The process a program runs in under `lljit run`: it starts with the
//! default signal dispositions, as an ahead-of-time build does.

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

const PRINT_FOREVER: &str = r#"
extern fn printf(fmt: *u8, ...) -> i32;
extern fn fflush(f: *u8) -> i32;
fn main() -> i32 {
    for (var i: i64 = 0; i < 1000000000; i += 1) { printf("%lld\n", i); fflush(null); }
    return 0;
}
"#;

/// `lljit run p.lc | head -1`: once the reader is gone the program is
/// killed by SIGPIPE (status 141 in a shell) instead of running on with
/// write errors.
#[test]
fn a_closed_stdout_pipe_kills_the_program_with_sigpipe() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("forever.lc");
    std::fs::write(&p, PRINT_FOREVER).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lljit"))
        .arg("run")
        .arg(&p)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "0\n");
    // The reader is dropped here: the pipe closes.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the program kept running after its stdout was closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.signal(), Some(libc::SIGPIPE), "{status:?}");
}
