#!/usr/bin/env python3
"""Writes bench/results/latest.md from the JSON that scripts/bench leaves in bench/build/json/.

Per program NAME it reads:
  NAME.compare.json  from `lljit compare --json=...` (the lljit modes)
  NAME.c.json        from hyperfine (clang-O2, clang-O3, clang-pgo in that order)
and hello.startup.json from hyperfine (`lljit run hello.lc` warm, the C -O2 hello, then
`lljit run --no-cache hello.lc`, cold).

Standard library only.
"""
import argparse
import json
import math
import os
import sys

LLJIT_MODES = [
    ("jit", "jit"),
    ("jit-warm", "jit-warm"),
    ("jit-no-tiering", "jit-untiered"),
    ("aot-O2", "aot-O2-generic"),
    ("aot-O3-host", "aot-O3-host"),
    ("aot-pgo-lto", "aot-pgo+lto-generic"),
    ("aot-jit-profile-host", "aot-jit-profile-host"),
    ("aot-pgo-lto-host", "aot-pgo+lto-host"),
]
C_MODES = [("clang-O2", "clang-O2"), ("clang-O3", "clang-O3"), ("clang-pgo", "clang-pgo+lto")]
AOT_KEYS = ["aot-O2-generic", "aot-O3-host", "aot-pgo+lto-generic", "aot-pgo+lto-host"]

# (column title, numerator, denominator); denominator None = best of the AOT modes.
RATIOS = [
    ("jit / untiered", "jit", "jit-untiered"),
    ("jit-warm / jit", "jit-warm", "jit"),
    ("jit / aot-O2", "jit", "aot-O2-generic"),
    ("aot-O2 / clang-O2", "aot-O2-generic", "clang-O2"),
    ("aot-O2 / aot-pgo+lto", "aot-O2-generic", "aot-pgo+lto-generic"),
    ("jit / best aot", "jit", None),
    ("jit / aot-pgo+lto-host", "jit", "aot-pgo+lto-host"),
    ("jit-profile / pgo+lto host", "aot-jit-profile-host", "aot-pgo+lto-host"),
]


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"report: cannot read {path}: {e}")


def compare_medians(path):
    data = load(path)
    by_name = {m["name"]: m for m in data.get("modes", [])}
    out = {}
    for name, key in LLJIT_MODES:
        if name not in by_name:
            sys.exit(f"report: {path} has no mode `{name}`")
        out[key] = float(by_name[name]["median_s"])
    # The time the tiered JIT spent compiling during a run (part of its wall time).
    out["jit-compile"] = float(by_name["jit"].get("compile_in_run_s") or float("nan"))
    return out


def hyperfine_medians(path, expected):
    results = load(path).get("results", [])
    if len(results) != len(expected):
        sys.exit(f"report: {path} has {len(results)} results, expected {len(expected)}")
    out = {}
    for r, (name, key) in zip(results, expected):
        if r.get("command") not in (name, None):
            sys.exit(f"report: {path}: expected command `{name}`, found `{r.get('command')}`")
        out[key] = float(r["median"])
    return out


def ratio(m, num, den):
    d = min(m[k] for k in AOT_KEYS) if den is None else m[den]
    return m[num] / d if d > 0 else float("nan")


def geomean(xs):
    xs = [x for x in xs if x > 0 and math.isfinite(x)]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def args_of(progdir, name):
    try:
        with open(os.path.join(progdir, name + ".args")) as f:
            return f.readline().strip()
    except OSError:
        return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    for opt in ("json-dir", "progdir", "out", "date", "cpu", "nproc", "kernel", "commit",
                "cc", "hyperfine", "command"):
        ap.add_argument("--" + opt, required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--hello-runs", type=int, required=True)
    ap.add_argument("programs", nargs="*")
    a = ap.parse_args()

    rows = []
    for p in a.programs:
        m = compare_medians(os.path.join(a.json_dir, p + ".compare.json"))
        m.update(hyperfine_medians(os.path.join(a.json_dir, p + ".c.json"), C_MODES))
        rows.append((p, m, [ratio(m, n, d) for _, n, d in RATIOS]))
    hello = hyperfine_medians(os.path.join(a.json_dir, "hello.startup.json"),
                              [("lljit run hello.lc", "lljit"), ("clang-O2 hello", "c"),
                               ("lljit run --no-cache hello.lc", "cold")])

    L = []
    L.append("# lljit benchmark results")
    L.append("")
    L.append(f"- date: {a.date}")
    L.append(f"- machine: {a.cpu}, nproc {a.nproc}, {a.kernel}")
    L.append(f"- lljit: commit {a.commit}")
    L.append(f"- C compiler: {a.cc}; every C build uses `-ffp-contract=off`")
    L.append(f"- timing: `lljit compare --runs {a.runs}` for the lljit modes (interleaved runs); "
             f"{a.hyperfine} `--warmup 1 --runs {a.runs}` for the C binaries; "
             f"startup: hyperfine `--warmup 3 --runs {a.hello_runs}`")
    L.append(f"- command: `{a.command}`")
    L.append("")
    L.append("Columns (all times are median wall time in seconds; lower is better):")
    L.append("")
    L.append("- **jit**: `lljit run -O2 prog.lc args`, the tiered JIT, cold (no code cache), so "
             "compile time (parse, check, LLVM, every tier) is included.")
    L.append("- **jit-warm**: the same with the code cache that one earlier run of the same "
             "command filled: optimized code is linked, not compiled, when its module is the "
             "same as in that run.")
    L.append("- **jit-untiered**: `lljit run -O2 --no-tiering`: every function compiled once, "
             "optimized, no profile.")
    L.append("- **jit-compile**: seconds the tiered JIT spent compiling during one run "
             "(`--stats`), part of its wall time.")
    L.append("- **aot-O2-generic**: `lljit aot -O2` for baseline x86-64 (`--target-cpu=generic`); "
             "build time is not included here or in the other AOT columns.")
    L.append("- **aot-O3-host**: `lljit aot -O3 --target-cpu=host`.")
    L.append("- **aot-pgo+lto-generic**: `lljit aot -O2 --lto` with a profile from one training "
             "run (same args) of a `--pgo-gen` build, baseline x86-64.")
    L.append("- **aot-jit-profile-host**: `lljit aot -O2 --lto --target-cpu=host` guided by the "
             "profile of one `lljit run --profile-out` with the same args (no instrumented build).")
    L.append("- **aot-pgo+lto-host**: the same as aot-pgo+lto-generic with `--target-cpu=host`.")
    L.append("- **clang-O2**, **clang-O3**: the C twin with `clang -O2` / `-O3` "
             "`-ffp-contract=off` (baseline x86-64).")
    L.append("- **clang-pgo+lto**: the C twin with `-O2 -ffp-contract=off -fprofile-use -flto "
             "-fuse-ld=lld`, profile from one `-fprofile-generate` training run with the same args.")
    L.append("- **jit / untiered**: what the tiers (profiling, specialization) win or cost "
             "against compiling once.")
    L.append("- **jit / aot-O2**: the tiered JIT against the generic ahead-of-time build.")
    L.append("- **aot-O2 / clang-O2**: the LC front end's code quality against clang on the same "
             "algorithm, both at -O2 for baseline x86-64 (target ≤ 1.05).")
    L.append("- **aot-O2 / aot-pgo+lto**: the PGO+LTO gain, generic CPU both sides "
             "(> 1 means PGO+LTO is faster).")
    L.append("- **jit / best aot**: the JIT against the fastest of the four AOT columns.")
    L.append("- **jit / aot-pgo+lto-host**: the JIT against the best-informed ahead-of-time "
             "build (below 1 means the JIT is faster).")
    L.append("")
    L.append("The lljit columns come from `lljit compare` (its own timer, stdout read through a "
             "pipe, modes interleaved); the clang columns from hyperfine (stdout to /dev/null). "
             "Before timing, `lljit compare` checked that its six modes print the same bytes, "
             "and the script checked each clang binary's output byte for byte against "
             "`lljit run`'s.")
    L.append("")

    if rows:
        time_keys = [k for _, k in LLJIT_MODES] + ["jit-compile"] + [k for _, k in C_MODES]
        head = ["program"] + time_keys + [t for t, _, _ in RATIOS]
        L.append("| " + " | ".join(head) + " |")
        L.append("|---|" + "|".join(["---:"] * (len(head) - 1)) + "|")
        for p, m, rs in rows:
            cells = [p] + [f"{m[k]:.3f}" for k in time_keys] + [f"{r:.2f}" for r in rs]
            L.append("| " + " | ".join(cells) + " |")
        geos = [geomean([r[2][i] for r in rows]) for i in range(len(RATIOS))]
        cells = ["**geometric mean**"] + [""] * len(time_keys) + [f"**{g:.2f}**" for g in geos]
        L.append("| " + " | ".join(cells) + " |")
        L.append("")
        L.append("Arguments: " + "; ".join(f"{p} `{args_of(a.progdir, p)}`" for p, _, _ in rows)
                 + ".")
    else:
        L.append("No programs were measured in this run (startup only).")
    L.append("")
    L.append(f"Startup (hello world): `lljit run hello.lc` **{hello['lljit'] * 1000:.1f} ms** "
             f"median warm (its code from the cache), {hello['cold'] * 1000:.1f} ms cold "
             f"(`--no-cache`); C binary (clang -O2) {hello['c'] * 1000:.1f} ms.")
    L.append("")
    if rows:
        L.append("Charts (`lljit compare --plot`, the lljit modes with min–max bars): "
                 + ", ".join(f"[{p}]({p}.png)" for p, _, _ in rows) + ".")
        L.append("")

    text = "\n".join(L)
    with open(a.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
