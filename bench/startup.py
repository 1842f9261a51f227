#!/usr/bin/env python3
"""Start-up sweep: how `lljit run` and `lljit aot` scale with code that never runs.

For each N it writes a file with N trivial functions of which `main` calls one
(and a C file of the same shape), then measures, interleaved:
  - `lljit check FILE`   the front end alone,
  - `lljit run --no-cache FILE`  the whole JIT run, cold (front end, JIT set-up,
                         compiling main; nothing from the code cache),
  - the peak resident memory of each (from wait4's rusage),
  - `lljit aot -O2 FILE` and `clang-19 -O2 FILE.c` build times (fewer runs; they are slow).
It writes a Markdown table to the output file and checks the targets:
  run(N=1000) <= 1.5 x run(hello), run - check < 300 ms at the largest N,
  and the memory growth per uncalled function of run (and of check, the front end's share) in KB.

Standard library only. Usage:
  startup.py --lljit PATH --cc clang-19 --workdir DIR --out FILE [--runs N] [--sizes 0,100,...]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def lc_source(n):
    out = ["extern fn printf(fmt: *u8, ...) -> i32;"]
    out += [f"fn fn_{i}(x: i64) -> i64 {{ return x * {i} + 1; }}" for i in range(n)]
    call = "fn_0(41)" if n > 0 else "41"
    out.append(f'fn main() -> i32 {{ printf("%lld\\n", {call}); return 0; }}')
    return "\n".join(out) + "\n"


def c_source(n):
    out = ["#include <stdio.h>", "#include <stdint.h>"]
    out += [f"int64_t fn_{i}(int64_t x) {{ return x * {i} + 1; }}" for i in range(n)]
    call = "fn_0(41)" if n > 0 else "41"
    out.append(f'int main(void) {{ printf("%lld\\n", (long long){call}); return 0; }}')
    return "\n".join(out) + "\n"


def measure(cmd):
    """Runs cmd once: (wall seconds, peak RSS in KB). Fails on a non-zero exit."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"startup: {' '.join(cmd)} exited with {p.returncode}:\n{err}")
    return wall, usage.ru_maxrss


def interleaved(cmds, runs):
    """Runs every command `runs` times, interleaved; medians of wall and RSS."""
    samples = {k: [] for k in cmds}
    for k, c in cmds.items():  # warm-up
        measure(c)
    for _ in range(runs):
        for k, c in cmds.items():
            samples[k].append(measure(c))
    return {
        k: (statistics.median(w for w, _ in s), statistics.median(r for _, r in s))
        for k, s in samples.items()
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lljit", required=True)
    ap.add_argument("--cc", default="clang-19")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--hello", required=True, help="the hello-world program")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--build-runs", type=int, default=3)
    ap.add_argument("--sizes", default="0,100,1000,10000,30000")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    os.makedirs(a.workdir, exist_ok=True)
    rows = []
    hello = interleaved({"run": [a.lljit, "run", "--no-cache", a.hello]}, a.runs * 2)["run"]
    for n in sizes:
        lc = os.path.join(a.workdir, f"n{n}.lc")
        c = os.path.join(a.workdir, f"n{n}.c")
        with open(lc, "w") as f:
            f.write(lc_source(n))
        with open(c, "w") as f:
            f.write(c_source(n))
        fe = interleaved(
            {"check": [a.lljit, "check", lc], "run": [a.lljit, "run", "--no-cache", lc]}, a.runs
        )
        builds = interleaved(
            {
                "aot": [a.lljit, "aot", "-O2", lc, "-o", os.path.join(a.workdir, f"n{n}.aot")],
                "clang": [a.cc, "-O2", c, "-o", os.path.join(a.workdir, f"n{n}.clang")],
            },
            a.build_runs,
        )
        rows.append((n, os.path.getsize(lc), fe["check"], fe["run"], builds["aot"], builds["clang"]))
        print(f"startup: N={n} check {fe['check'][0]*1e3:.1f} ms, run {fe['run'][0]*1e3:.1f} ms, "
              f"aot {builds['aot'][0]:.2f} s, clang {builds['clang'][0]:.2f} s", file=sys.stderr)

    base = rows[0]
    lines = [
        "| N functions | source | check (ms) | run (ms) | run − check (ms) | run / hello "
        "| run RSS (MB) | RSS growth per function, run / check (KB) | aot -O2 (s) | clang-19 -O2 (s) | aot / clang |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, size, chk, run, aot, clang in rows:
        per_fn = ""
        if n > base[0]:
            grow_run = run[1] - base[3][1]
            grow_check = chk[1] - base[2][1]
            per_fn = f"{grow_run / (n - base[0]):.2f} / {grow_check / (n - base[0]):.2f}"
        lines.append(
            f"| {n} | {size / 1024:.0f} KB | {chk[0]*1e3:.1f} | {run[0]*1e3:.1f} | "
            f"{(run[0]-chk[0])*1e3:.1f} | {run[0]/hello[0]:.2f} | {run[1]/1024:.1f} | {per_fn} | "
            f"{aot[0]:.2f} | {clang[0]:.2f} | {aot[0]/clang[0]:.2f} |"
        )
    verdicts = []
    at1000 = [r for r in rows if r[0] == 1000]
    if at1000:
        ratio = at1000[0][3][0] / hello[0]
        verdicts.append(f"- N=1000: `run` is {ratio:.2f}× hello-world's start-up "
                        f"({hello[0]*1e3:.1f} ms); target ≤ 1.5×: {'met' if ratio <= 1.5 else 'MISSED'}.")
    big = rows[-1]
    beyond = (big[3][0] - big[2][0]) * 1e3
    verdicts.append(f"- N={big[0]}: `run` takes {beyond:.0f} ms beyond the front end's own time; "
                    f"target < 300 ms: {'met' if beyond < 300 else 'MISSED'}.")
    with open(a.out, "w") as f:
        f.write("# Start-up sweep\n\n")
        f.write(f"Written by `scripts/bench` (bench/startup.py): {a.runs} interleaved runs of "
                f"`lljit check` and `lljit run --no-cache` (cold) per size, {a.build_runs} of the "
                f"builds; medians. "
                f"Each file defines N trivial functions and `main` calls one of them; the C "
                f"file has the same shape. Hello-world (`bench/programs/hello.lc`): "
                f"{hello[0]*1e3:.1f} ms, {hello[1]/1024:.1f} MB.\n\n")
        f.write("\n".join(lines) + "\n\n" + "\n".join(verdicts) + "\n")
    print("\n".join(lines + [""] + verdicts))


if __name__ == "__main__":
    main()
