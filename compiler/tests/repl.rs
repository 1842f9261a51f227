//! `lljit repl` beyond the transcripts (`lang-tests/repl`): what prints
//! timings, addresses or machine code (`:ir`, `:asm`, `:stats`, `:time`,
//! the JIT trace of an invalidation, a `*u8` with its string), the exit
//! status, Ctrl-C while an input runs, and the terminal path (a
//! pseudo-terminal: prompt, continuation lines, type-ahead, completion,
//! history).

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn repl(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lljit"))
        .arg("repl")
        .args(args)
        .env("NO_COLOR", "1")
        // Traces come at the same point of every session when code is
        // compiled on the program's thread.
        .env("LLJIT_COMPILE_THREADS", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn ir_and_asm_show_the_current_code() {
    let out = repl(
        &[],
        "fn add1(x: i64) -> i64 { return x + 1; }\n:ir add1\nadd1(2)\n:ir add1\n:asm add1\n:ir nope\n:asm printf\nextern fn printf(f: *u8, ...) -> i32;\n:ir printf\n",
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(
        stdout.contains("`add1` has no code yet"),
        "before the first call: {stdout}"
    );
    assert!(stdout.contains("= 3 : i64"), "{stdout}");
    assert!(
        stdout.contains("define") && stdout.contains("@\"lc.add1.t0\"")
            || stdout.contains("@lc.add1.t0"),
        "the IR of tier 0: {stdout}"
    );
    assert!(
        stdout.contains("lc.add1.t0:") || stdout.contains("\"lc.add1.t0\":"),
        "assembly with the function's label: {stdout}"
    );
    assert!(stderr.contains("no function `nope` is defined"), "{stderr}");
    assert!(
        stderr.contains("no function `printf` is defined"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`printf` is an extern function"),
        "{stderr}"
    );
}

#[test]
fn a_u8_pointer_shows_the_string_it_points_to() {
    let out = repl(
        &[],
        "\"hello\"\n\"tab\\there \\\"q\\\" \\xff \u{e9}\"\n\
         \"0123456789012345678901234567890123456789012345678901234567890123456789\"\n\
         var p: *u8 = null;\np\n",
    );
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let shown = |i: usize, tail: &str| {
        let line = lines.get(i).copied().unwrap_or_default();
        let rest = line
            .strip_prefix("= 0x")
            .unwrap_or_else(|| panic!("an address: {line:?}"));
        let (hex, after) = rest.split_once(' ').unwrap_or_default();
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit()), "{line:?}");
        assert_eq!(after, tail, "{stdout}");
    };
    shown(0, "\"hello\" : *u8");
    shown(1, "\"tab\\there \\\"q\\\" \\xff \u{e9}\" : *u8");
    shown(
        2,
        "\"0123456789012345678901234567890123456789012345678901234567890123\"… : *u8",
    );
    assert_eq!(lines.get(3), Some(&"= null : *u8"), "{stdout}");
    assert!(out.status.success(), "{:?}", out.status);
}

#[test]
fn a_piped_session_exits_with_1_when_an_input_failed() {
    let ok = repl(&[], "1 + 1\n:list\n");
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    for failing in ["nope\n1 + 1\n", "1 / 0\n", ":nope\n", "1 +\n", ":q now\n"] {
        let out = repl(&[], failing);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{failing:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_redefinition_invalidates_the_code_that_inlined_it() {
    let input = "fn step(x: i64) -> i64 { return x + 1; }\n\
        fn run(n: i64) -> i64 { var s = 0; for (var i = 0; i < n; i += 1) { s = step(s); } return s; }\n\
        run(10)\n\
        run(10)\n\
        fn step(x: i64) -> i64 { return x + 2; }\n\
        run(10)\n\
        :stats\n";
    // At its second call `run` tiers up, with a copy of `step` to inline.
    let out = repl(&["--trace-jit", "--jit-threshold=2"], input);
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(
        stdout.contains("= 10 : i64") && stdout.contains("= 20 : i64"),
        "{stdout}"
    );
    assert!(stderr.contains("jit: tier1 run:"), "{stderr}");
    assert!(stderr.contains("jit: invalidated step, run"), "{stderr}");
    let count = |name: &str| -> u64 {
        stdout
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in :stats: {stdout}"))
    };
    assert_eq!(count("invalidations"), 2, "{stdout}");
    assert_eq!(count("inputs"), 3, "{stdout}");
    assert!(stdout.contains("compile_ms"), "{stdout}");
}

#[test]
fn code_planned_before_a_redefinition_is_dropped_not_installed() {
    let input = "fn step(x: i64) -> i64 { return x + 1; }\n\
        fn run(n: i64) -> i64 { var s = 0; for (var i = 0; i < n; i += 1) { s = step(s); } return s; }\n\
        run(10)\n\
        fn step(x: i64) -> i64 { return x + 2; }\n\
        run(1000)\n\
        :stats\n";
    // Tier 1 of `step` is planned at its first call, to be installed only
    // a few entries into the JIT later: after `step` is redefined, when it
    // would bring the old `step` back (the new one's tier-0 code enters the
    // JIT every 64 calls past the threshold).
    let out = repl(
        &["--trace-jit", "--jit-threshold=1", "--jit-stress=late-code"],
        input,
    );
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(
        stdout.contains("= 10 : i64") && stdout.contains("= 2000 : i64"),
        "{stdout}"
    );
    assert!(
        stderr.contains("jit: dropped stale code of step"),
        "{stderr}"
    );
    let stale = stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("stale_jobs"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no stale_jobs in :stats: {stdout}"));
    assert!(stale >= 1, "{stdout}");
}

#[test]
fn a_new_struct_invalidates_nothing_and_a_changed_one_its_users() {
    let input = "struct A { x: i32 }\n\
        fn ax(a: A) -> i32 { return a.x; }\n\
        fn one() -> i32 { return 1; }\n\
        ax(A { x: 5 }) + one()\n\
        struct B { y: i64 }\n\
        ax(A { x: 6 }) + one()\n\
        struct A { w: i64, x: i32 }\n\
        ax(A { w: 9, x: 7 }) + one()\n";
    let out = repl(&["--trace-jit"], input);
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(stdout, "= 6 : i32\n= 7 : i32\n= 8 : i32\n", "{stderr}");
    // Only the redefinition of `A` invalidates, and everything compiled
    // (its layout may be anywhere).
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("jit: invalidated"))
        .collect();
    assert_eq!(lines, ["jit: invalidated ax, one"], "{stderr}");
}

#[test]
fn a_long_loop_typed_at_the_prompt_moves_into_optimized_code() {
    let input = "var s: i64 = 0;\n\
        for (var i: i64 = 0; i < 50000; i += 1) { s += i % 7; }\n\
        s\n\
        :stats\n";
    let out = repl(&["--trace-jit"], input);
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(stdout.contains("= 149997 : i64"), "{stdout}");
    assert!(
        stderr.contains("jit: osr input.2: at <repl:2>:1:"),
        "{stderr}"
    );
    let entries = stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("osr_entries"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(entries, "1", "{stdout}");
}

#[test]
fn time_shows_check_compile_and_run_apart() {
    let out = repl(
        &[],
        "fn spin(n: i64) -> i64 { var s = 0; for (var i = 0; i < n; i += 1) { s += i; } return s; }\n:time spin(1000)\n:time\n",
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("= 499500 : i64"), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("check "))
        .unwrap_or_else(|| panic!("no timing line: {stdout}"));
    for part in ["check ", " ms, compile ", " ms, run ", " ms"] {
        assert!(line.contains(part), "{line}");
    }
    assert!(text(&out.stderr).contains(":time needs an input"));
}

/// Waits until `out` (read on another thread into the shared buffer)
/// contains `what`.
fn wait_for(buf: &std::sync::Arc<std::sync::Mutex<Vec<u8>>>, what: &str, from: usize) -> usize {
    let start = Instant::now();
    loop {
        {
            let b = buf.lock().unwrap();
            let s = String::from_utf8_lossy(&b[from.min(b.len())..]).into_owned();
            if let Some(i) = s.find(what) {
                return from + i + what.len();
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting for {what:?}; got {s:?}"
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn collect(mut r: impl Read + Send + 'static) -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let b = buf.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = r.read(&mut chunk) {
            if n == 0 {
                break;
            }
            b.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    buf
}

fn interrupt(child: &Child) {
    // SAFETY: signalling our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
}

#[test]
fn ctrl_c_interrupts_a_running_input_and_the_session_goes_on() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lljit"))
        .arg("repl")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let out = collect(child.stdout.take().unwrap());
    let err = collect(child.stderr.take().unwrap());
    // A loop in an input, and one in a function calling C each time.
    stdin
        .write_all(b"var n = 0;\nfn forever() { while (true) { n += 1; } }\n1 + 1\n")
        .unwrap();
    wait_for(&out, "= 2 : i64", 0);
    stdin.write_all(b"while (true) { n += 1; }\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    interrupt(&child);
    wait_for(&err, "interrupted", 0);
    stdin.write_all(b"n > 0\n").unwrap();
    wait_for(&out, "= true : bool", 0);
    stdin.write_all(b"forever();\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    interrupt(&child);
    let at = wait_for(&err, "interrupted", 0);
    wait_for(&err, "interrupted", at - "interrupted".len() + 1);
    stdin
        .write_all(b"extern fn usleep(us: u32) -> i32;\nwhile (true) { usleep(1000); }\n")
        .unwrap();
    // Always inside C: the second Ctrl-C stops it there.
    std::thread::sleep(Duration::from_millis(300));
    interrupt(&child);
    std::thread::sleep(Duration::from_millis(100));
    interrupt(&child);
    std::thread::sleep(Duration::from_millis(200));
    stdin.write_all(b"40 + 2\n").unwrap();
    wait_for(&out, "= 42 : i64", 0);
    drop(stdin);
    let status = child.wait().unwrap();
    // An interrupted input failed.
    assert_eq!(status.code(), Some(1), "{status:?}");
    let errors = String::from_utf8_lossy(&err.lock().unwrap()).into_owned();
    assert_eq!(errors.matches("interrupted").count(), 3, "{errors}");
}

#[test]
fn ctrl_c_in_a_c_call_stops_the_input_when_it_is_back_in_its_own_code() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lljit"))
        .arg("repl")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let out = collect(child.stdout.take().unwrap());
    let err = collect(child.stderr.take().unwrap());
    stdin
        .write_all(b"extern fn usleep(us: u32) -> i32;\nextern fn printf(f: *u8, ...) -> i32;\n1\n")
        .unwrap();
    wait_for(&out, "= 1 : i64", 0);
    // After the sleep the loop moves into optimized code that finishes at
    // once: the millisecond checks all land in the compiler or in C.
    stdin
        .write_all(
            b"usleep(600000); printf(\"after sleep\\n\"); var k = 0; \
              for (var i = 0; i < 100000000; i += 1) { k += 1; } printf(\"after loop\\n\");\n",
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    interrupt(&child);
    let at = wait_for(&err, "interrupted", 0);
    // An input that ends in C before it is back in its own code.
    stdin
        .write_all(b"usleep(600000); printf(\"after the second sleep\\n\");\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    interrupt(&child);
    wait_for(&err, "interrupted", at);
    stdin.write_all(b"k < 100000000\n").unwrap();
    wait_for(&out, "= true : bool", 0);
    drop(stdin);
    child.wait().unwrap();
    let printed = String::from_utf8_lossy(&out.lock().unwrap()).into_owned();
    assert!(printed.contains("after sleep"), "{printed}");
    assert!(!printed.contains("after loop"), "{printed}");
}

/// As [`collect`], for a terminal's controller: answers cursor-position
/// queries as a terminal would (at column 1).
fn collect_answering(mut r: std::fs::File) -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let b = buf.clone();
    let mut w = r.try_clone().unwrap();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = r.read(&mut chunk) {
            if n == 0 {
                break;
            }
            if chunk[..n].windows(4).any(|x| x == b"\x1b[6n") {
                let _ = w.write_all(b"\x1b[1;1R");
            }
            b.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    buf
}

/// What a terminal shows of `raw`, roughly: without escape sequences
/// (`ESC [ … letter`) and carriage returns.
fn screen_text(raw: &[u8]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == 0x1b && raw.get(i + 1) == Some(&b'[') {
            i += 2;
            while i < raw.len() && !raw[i].is_ascii_alphabetic() && raw[i] != b'~' {
                i += 1;
            }
        } else if raw[i] != b'\r' {
            out.push(raw[i]);
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Opens a pseudo-terminal: (controller, the terminal side).
fn pty() -> (std::fs::File, OwnedFd) {
    let (mut controller, mut terminal) = (0, 0);
    // SAFETY: openpty fills in two new descriptors.
    let r = unsafe {
        libc::openpty(
            &mut controller,
            &mut terminal,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(r, 0, "openpty failed");
    // SAFETY: fresh descriptors we own.
    unsafe {
        (
            std::fs::File::from_raw_fd(controller),
            OwnedFd::from_raw_fd(terminal),
        )
    }
}

#[test]
fn the_terminal_has_prompts_continuation_lines_completion_and_history() {
    let data = std::env::temp_dir().join(format!("lljit-repl-pty-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).unwrap();
    let (mut controller, terminal) = pty();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lljit"))
        .env("XDG_DATA_HOME", &data)
        .env("TERM", "xterm")
        .stdin(Stdio::from(terminal.try_clone().unwrap()))
        .stdout(Stdio::from(terminal.try_clone().unwrap()))
        .stderr(Stdio::from(terminal))
        .spawn()
        .unwrap();
    let out = collect_answering(controller.try_clone().unwrap());
    // `lljit` alone on a terminal starts a session.
    let mut at = wait_for(&out, "lc> ", 0);
    controller
        .write_all(b"fn square_it(x: i32) -> i32 {\r")
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    controller.write_all(b"return x * x; }\r").unwrap();
    at = wait_for(&out, "x * x; }", at);
    at = wait_for(&out, "lc> ", at);
    std::thread::sleep(Duration::from_millis(100));
    // Completion of a name the session defined.
    let mut typed = |keys: &[u8]| {
        controller.write_all(keys).unwrap();
        std::thread::sleep(Duration::from_millis(150));
    };
    typed(b"squ");
    typed(b"\t");
    typed(b"(9)\r");
    at = wait_for(&out, "= 81 : i32", at);
    // Lines that arrive at once, typed ahead or pasted without bracketed
    // paste: every one is an input.
    typed(b"10+1\r20+2\r30+3\r");
    at = wait_for(&out, "= 33 : i64", at);
    // A bracketed paste of several inputs, then Enter.
    typed(b"\x1b[200~40+4\r50+5\x1b[201~\r");
    at = wait_for(&out, "= 55 : i64", at);
    typed(b":qu");
    typed(b"\t");
    typed(b"\r");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let shown = screen_text(&out.lock().unwrap());
    assert!(shown.contains("REPL"), "a banner: {shown:?}");
    assert!(shown.contains("lc> square_it"), "completed: {shown:?}");
    // The continuation line of the unfinished definition, prompted.
    assert!(
        shown.contains("lc> fn square_it(x: i32) -> i32 {\n... return x * x; }\n"),
        "{shown:?}"
    );
    for value in ["= 11 : i64", "= 22 : i64", "= 33 : i64", "= 44 : i64"] {
        assert!(shown.contains(value), "{value}: {shown:?}");
    }
    assert!(at > 0);
    let history = std::fs::read_to_string(data.join("lljit/history")).unwrap();
    assert!(history.contains("square_it(9)"), "{history:?}");
    assert!(history.contains(":quit"), "{history:?}");
}
