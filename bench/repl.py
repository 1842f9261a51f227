#!/usr/bin/env python3
"""REPL latency: `lljit repl` against `clang-repl-19`, per input and at start-up.

Both REPLs read their inputs from a non-terminal standard input, one input per
line (no prompts are printed then). A session is a preamble (`printf`'s
declaration and a session variable `n`) followed by K inputs of one workload:
  defcall  K definition + call pairs, each with a fresh name:
             LC:  fn fn_1(x: i32) -> i32 { return x * 1 + 1; }   printf("%d\\n", fn_1(1));
             C++: int fn_1(int x) { return x * 1 + 1; }          printf("%d\\n", fn_1(1));
           (the headline number: cost per pair, i.e. per definition plus its first call),
  def      K definitions only (lljit compiles a function when it is first called,
           so this is mostly its front end's share),
  expr     K statements printing an expression over the session variable:
             printf("%d\\n", n * 1 + 1);
Both sides print through C's printf, so they do the same work (clang-repl-19 cannot
show an expression's value: a bare `x` prints "Not implement yet.").

Whole sessions are timed (spawn to exit, stdin from a file, output to files), so
process start-up is in every sample; the per-input latency is the slope
    (median time(K) - median time(K=0)) / K
for every K of the sweep, and start-up is median time(K=0). Runs are interleaved
(lljit, clang-repl, lljit, clang-repl, ... over every workload and K, repeated
--reps times) and one warm-up session of each precedes them, because the machine
is noisy. Every session's output is checked: exit status 0, nothing on stderr,
and exactly the expected printf lines on stdout, so errors (clang-repl exits 0
after them) cannot be measured by mistake.

Memory of a fresh session: each REPL is started with stdin as a pipe and given one
trivial input (a printf followed by fflush(NULL)); once its line has arrived and
the process is idle (every thread asleep, CPU time not moving), VmHWM (peak RSS)
and VmRSS are read from /proc/PID/status, then stdin is closed. The peak RSS of
the largest defcall session (from wait4's rusage) is shown too.

Targets (the issue's): lljit <= 1 ms per definition + call, >= 3x faster per input
than clang-repl-19, fresh session peak RSS <= 40 MB; judged at the largest K.
If clang-repl is missing, lljit is still measured and the comparison is skipped.

Standard library only. Usage:
  repl.py [--lljit PATH] [--clang-repl clang-repl-19] [--clang-lang c++|c]
          [--reps 7] [--sizes 50,100] [--workloads defcall,def,expr]
          [--workdir DIR] [--out FILE]
"""
import argparse
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_LLJIT = os.path.join(HERE, "..", "target", "release", "lljit")
WORKLOADS = {
    "defcall": "definition + call, ms per pair",
    "def": "definition only, ms per definition",
    "expr": "printf of an expression, ms per input",
}
TARGET_MS, TARGET_RATIO, TARGET_RSS_MB = 1.0, 3.0, 40.0


# ---------------------------------------------------------------- inputs

class Lang:
    """How one REPL spells the benchmark's inputs."""

    def __init__(self, name, cmd, preamble, define, call, expr, mem_input):
        self.name, self.cmd = name, cmd
        self.preamble, self.define, self.call, self.expr = preamble, define, call, expr
        self.mem_input = mem_input


def lljit_lang(path):
    return Lang(
        "lljit", [path, "repl"],
        ["extern fn printf(fmt: *u8, ...) -> i32;", "var n: i32 = 10;"],
        lambda i: f"fn fn_{i}(x: i32) -> i32 {{ return x * {i} + 1; }}",
        lambda i: f'printf("%d\\n", fn_{i}({i}));',
        lambda i: f'printf("%d\\n", n * {i} + 1);',
        ["extern fn printf(fmt: *u8, ...) -> i32;", "extern fn fflush(f: *u8) -> i32;",
         'printf("%d\\n", 1 + 1);', "fflush(null);"],
    )


def clang_lang(path, lang):
    ext = 'extern "C" ' if lang == "c++" else ""
    cmd = [path] + (["-Xcc", "-xc"] if lang == "c" else [])
    return Lang(
        os.path.basename(path), cmd,
        [f"{ext}int printf(const char*, ...);", "int n = 10;"],
        lambda i: f"int fn_{i}(int x) {{ return x * {i} + 1; }}",
        lambda i: f'printf("%d\\n", fn_{i}({i}));',
        lambda i: f'printf("%d\\n", n * {i} + 1);',
        [f"{ext}int printf(const char*, ...);", f"{ext}int fflush(void*);",
         'printf("%d\\n", 1 + 1);', "fflush(0);"],
    )


def session(lang, workload, k):
    """(input text, expected stdout lines) of a session of k inputs of a workload."""
    lines, expected = list(lang.preamble), []
    for i in range(1, k + 1):
        if workload in ("defcall", "def"):
            lines.append(lang.define(i))
        if workload == "defcall":
            lines.append(lang.call(i))
            expected.append(str(i * i + 1))
        elif workload == "expr":
            lines.append(lang.expr(i))
            expected.append(str(10 * i + 1))
    return "\n".join(lines) + "\n", expected


# ---------------------------------------------------------------- measuring

def run_session(cmd, path, expected, workdir):
    """Runs one session from the input file: (wall seconds, peak RSS KB); checks the output."""
    out_path, err_path = os.path.join(workdir, "stdout"), os.path.join(workdir, "stderr")
    with open(path, "rb") as inp, open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=inp, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    check_output(cmd, path, p.returncode, out_path, err_path, expected)
    return wall, usage.ru_maxrss


def check_output(cmd, what, code, out_path, err_path, expected):
    with open(out_path, errors="replace") as f:
        got = [line.strip() for line in f if line.strip()]
    with open(err_path, errors="replace") as f:
        err = f.read()
    problem = None
    if code != 0:
        problem = f"exited with {code}"
    elif err.strip():
        problem = "wrote to stderr"
    elif got != expected:
        bad = next((i for i, (g, e) in enumerate(zip(got, expected)) if g != e),
                   min(len(got), len(expected)))
        problem = (f"printed {len(got)} result lines, expected {len(expected)}; first difference "
                   f"at result {bad + 1}: got {got[bad:bad+1]}, expected {expected[bad:bad+1]}")
    if problem:
        sys.exit(f"repl: `{' '.join(cmd)} < {what}` {problem}\n"
                 f"stderr (first 2000 chars):\n{err[:2000]}")


def cpu_ticks_and_idle(pid):
    """(utime + stime of the whole process, whether every thread is asleep)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    asleep = True
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            continue
        asleep = asleep and state in ("S", "I")
    return ticks, asleep


def fresh_memory(lang, settle, workdir, timeout=30.0):
    """VmHWM and VmRSS (KB) of a session that has run one trivial input and is idle."""
    err_path = os.path.join(workdir, "mem-stderr")
    with open(err_path, "wb") as err:
        p = subprocess.Popen(lang.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
        try:
            p.stdin.write(("\n".join(lang.mem_input) + "\n").encode())
            p.stdin.flush()
            # Wait for the result line (fflush pushes it through the pipe).
            buf, deadline = b"", time.monotonic() + timeout
            while b"2\n" not in buf:
                left = deadline - time.monotonic()
                if left <= 0 or p.poll() is not None:
                    break
                if select.select([p.stdout], [], [], left)[0]:
                    chunk = os.read(p.stdout.fileno(), 4096)
                    if not chunk:
                        break
                    buf += chunk
            if b"2\n" not in buf:
                sys.exit(f"repl: {lang.name} did not print the trivial input's result "
                         f"(got {buf[:200]!r}); see {err_path}")
            # Then until it is blocked reading stdin again: asleep, CPU time still.
            time.sleep(settle)
            last = None
            while time.monotonic() < deadline:
                now = cpu_ticks_and_idle(p.pid)
                if now[1] and last is not None and now[0] == last[0]:
                    break
                last = now
                time.sleep(0.1)
            status = {}
            with open(f"/proc/{p.pid}/status") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    status[key] = value.split()
            hwm, rss = int(status["VmHWM"][0]), int(status["VmRSS"][0])
        finally:
            p.stdin.close()
            rest = p.stdout.read()
            p.stdout.close()
            code = p.wait()
    out_path = os.path.join(workdir, "mem-stdout")
    with open(out_path, "wb") as f:
        f.write(buf + rest)
    check_output(lang.cmd, "one trivial input", code, out_path, err_path, ["2"])
    return hwm, rss


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--lljit", default=DEFAULT_LLJIT, help="the lljit binary (default: %(default)s)")
    ap.add_argument("--clang-repl", default="clang-repl-19",
                    help="clang-repl binary; '' to measure lljit only (default: %(default)s)")
    ap.add_argument("--clang-lang", choices=("c++", "c"), default="c++",
                    help="clang-repl's input language (c passes -Xcc -xc; default: %(default)s)")
    ap.add_argument("--reps", type=int, default=7, help="interleaved repetitions (default: %(default)s)")
    ap.add_argument("--sizes", default="50,100",
                    help="inputs per session K, besides K=0 (default: %(default)s)")
    ap.add_argument("--workloads", default="defcall,def,expr",
                    help=f"comma-separated, from {','.join(WORKLOADS)} (default: %(default)s)")
    ap.add_argument("--settle", type=float, default=0.3,
                    help="seconds to wait after the trivial input before reading memory")
    ap.add_argument("--workdir", help="where the session inputs are written (default: a temporary dir)")
    ap.add_argument("--out", help="also write the Markdown report here")
    a = ap.parse_args()

    sizes = sorted({int(s) for s in a.sizes.split(",") if int(s) > 0})
    workloads = [w for w in a.workloads.split(",") if w]
    if not sizes or any(w not in WORKLOADS for w in workloads):
        ap.error("--sizes needs a positive K; --workloads takes " + ",".join(WORKLOADS))
    if "defcall" not in workloads:
        workloads.insert(0, "defcall")
    if a.reps < 5:
        print(f"repl: warning: --reps {a.reps} < 5, medians will be unreliable", file=sys.stderr)
    if not os.access(a.lljit, os.X_OK):
        sys.exit(f"repl: lljit binary not found at {a.lljit} (build it or pass --lljit)")

    langs = [lljit_lang(os.path.abspath(a.lljit))]
    clang_path = shutil.which(a.clang_repl) if a.clang_repl else None
    clang_note = None
    if clang_path:
        langs.append(clang_lang(clang_path, a.clang_lang))
    else:
        clang_note = (f"`{a.clang_repl or 'clang-repl'}` not found: only lljit is measured. Install it "
                      "with `apt-get install clang-tools-19` (Debian) or pass --clang-repl PATH.")
        print(f"repl: {clang_note}", file=sys.stderr)

    tmp = None
    if a.workdir:
        workdir = a.workdir
        os.makedirs(workdir, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="lljit-repl-bench-")
        workdir = tmp.name

    # Every (workload, K) job; K=0 is the same session for every workload.
    jobs = [("base", 0)] + [(w, k) for w in workloads for k in sizes]
    files = {}
    for lang in langs:
        for w, k in jobs:
            text, expected = session(lang, "defcall" if w == "base" else w, k)
            path = os.path.join(workdir, f"{lang.name}-{w}-{k}.in")
            with open(path, "w") as f:
                f.write(text)
            files[lang.name, w, k] = (path, expected)

    def run(lang, w, k):
        path, expected = files[lang.name, w, k]
        return run_session(lang.cmd, path, expected, workdir)

    for lang in langs:  # warm-up: page cache, dynamic loader
        run(lang, "base", 0)
        run(lang, "defcall", sizes[0])
    samples = {key: [] for key in files}
    for rep in range(a.reps):
        t0 = time.perf_counter()
        for w, k in jobs:
            for lang in langs:
                samples[lang.name, w, k].append(run(lang, w, k))
        print(f"repl: rep {rep + 1}/{a.reps} took {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    def med_wall(name, w, k):
        return statistics.median(s[0] for s in samples[name, w, k])

    start = {l.name: med_wall(l.name, "base", 0) for l in langs}
    per = {(l.name, w, k): (med_wall(l.name, w, k) - start[l.name]) / k
           for l in langs for w in workloads for k in sizes}
    kmax = sizes[-1]
    peak_big = {l.name: statistics.median(s[1] for s in samples[l.name, "defcall", kmax]) for l in langs}
    mem = {l.name: fresh_memory(l, a.settle, workdir) for l in langs}

    # ------------------------------------------------------------ report
    names = [l.name for l in langs]
    two = len(langs) == 2
    head = "| | " + " | ".join(f"`{n}`" for n in names) + (" | clang / lljit |" if two else " |")
    lines = [head, "|---" + "|---:" * (len(names) + (1 if two else 0)) + "|"]

    def row(label, values, fmt, ratio=True):
        cells = [fmt.format(v) for v in values]
        if two:
            cells.append(f"{values[1] / values[0]:.1f}×" if ratio and values[0] > 0 else "")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("start-up (K=0 session, ms)", [start[n] * 1e3 for n in names], "{:.1f}")
    for w in workloads:
        for k in sizes:
            bold = "**" if (w, k) == ("defcall", kmax) else ""
            row(f"{bold}{WORKLOADS[w]} (K={k}){bold}",
                [per[n, w, k] * 1e3 for n in names], "{:.2f}")
    row("fresh session peak RSS, VmHWM (MB)", [mem[n][0] / 1024 for n in names], "{:.1f}")
    row("fresh session RSS, VmRSS (MB)", [mem[n][1] / 1024 for n in names], "{:.1f}")
    row(f"peak RSS after K={kmax} definition + call pairs (MB)",
        [peak_big[n] / 1024 for n in names], "{:.1f}")

    lj = per["lljit", "defcall", kmax] * 1e3
    verdicts = [f"- lljit per definition + call (K={kmax}): {lj:.2f} ms; target ≤ {TARGET_MS:g} ms: "
                f"{'met' if lj <= TARGET_MS else 'MISSED'}."]
    if two:
        ratio = per[names[1], "defcall", kmax] / per["lljit", "defcall", kmax]
        verdicts.append(f"- clang-repl / lljit per definition + call (K={kmax}): {ratio:.1f}×; "
                        f"target ≥ {TARGET_RATIO:g}×: {'met' if ratio >= TARGET_RATIO else 'MISSED'}.")
    else:
        verdicts.append(f"- clang-repl / lljit: not measured ({clang_note})")
    hwm = mem["lljit"][0] / 1024
    verdicts.append(f"- lljit fresh session peak RSS: {hwm:.1f} MB; target ≤ {TARGET_RSS_MB:g} MB: "
                    f"{'met' if hwm <= TARGET_RSS_MB else 'MISSED'}.")
    if len(sizes) > 1:
        lo = per["lljit", "defcall", sizes[0]]
        hi = per["lljit", "defcall", kmax]
        if hi > 1.5 * lo:
            verdicts.append(f"- note: lljit's cost per definition + call grows with the session "
                            f"({lo*1e3:.2f} ms at K={sizes[0]}, {hi*1e3:.2f} ms at K={kmax}).")

    intro = (f"{a.reps} interleaved repetitions of whole sessions (stdin from a file), medians; "
             f"per input = (time(K) − time(0)) / K. `{' '.join(langs[0].cmd)}`"
             + (f" against `{' '.join(langs[1].cmd)}` ({a.clang_lang} inputs)" if two else "")
             + ". Every session's results were checked. Memory: one trivial input, "
               "read from /proc/PID/status once idle.")
    report = "\n".join(lines + [""] + verdicts)
    print(report)
    if a.out:
        with open(a.out, "w") as f:
            f.write("# REPL latency\n\n" + intro + "\n\n" + report + "\n")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
