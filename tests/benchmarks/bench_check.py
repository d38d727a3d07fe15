"""Timing of the `.tdag` front end: `transport check` as users run it, and a large study.

Prints
  (a) the wall time of `transport check examples/<each>/study.tdag` as a subprocess,
      interpreter start included (median of 10 runs);
  (b) the modules imported on that path, and whether any heavy one (PyMC, PyTensor,
      ArviZ, DoWhy, matplotlib, pandas, ...) is among them;
  (c) parse and check time of a generated study with 2,000 variables and 6,000 edges
      (acyclic, two sources and a target, assumptions, data, an estimate statement), in
      process and through the CLI.

Run from the repository root:  /work/venv/bin/python tests/benchmarks/bench_check.py
Options: --runs N (default 10), --variables N (default 2000), --edges N (default 6000).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HEAVY = (
    "pymc",
    "pytensor",
    "arviz",
    "dowhy",
    "matplotlib",
    "pandas",
    "numpy",
    "scipy",
    "networkx",
    "y0",
    "sympy",
)


def transport_command() -> list[str]:
    script = BIN / "transport"
    return [str(script)] if script.exists() else [sys.executable, "-m", "transport"]


def wall(command: list[str], runs: int) -> tuple[float, float, int]:
    """Median and minimum seconds over `runs`, and the last exit code."""
    times, code = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        code = subprocess.run(command, capture_output=True, cwd=ROOT).returncode
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), code


def imported_modules(path: Path) -> list[str]:
    """Top-level packages in sys.modules after `transport check PATH` in a fresh interpreter."""
    probe = (
        "import sys, io, contextlib\n"
        "from transport.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['check', {str(path)!r}])\n"
        "import json\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def generate(n_vars: int, n_edges: int, seed: int = 1) -> str:
    """A large acyclic study: edges only go from lower to higher index."""
    rng = random.Random(seed)
    names = [f"v{i:05d}" for i in range(n_vars)]
    lines = [
        "tdag 1",
        'study "Generated benchmark" { question "How fast is check?" }',
        'population gpt source "A"',
        'population claude source "B"',
        'population human target "People"',
    ]
    kinds = ["binary", "continuous", "count", "ordinal(1..5)", "categorical(a, b, c)"]
    for i, name in enumerate(names):
        kind = "binary" if i in (0, n_vars - 1) else rng.choice(kinds)
        role = " treatment" if i == 0 else " outcome" if i == n_vars - 1 else ""
        lines.append(f'var {name} {kind} "Variable {i}"{role}')
    edges: set[tuple[int, int]] = {(i, i + 1) for i in range(n_vars - 1)}  # one long path
    while len(edges) < n_edges:
        a, b = sorted(rng.sample(range(n_vars), 2))
        edges.add((a, b))
    for a, b in sorted(edges):
        lines.append(f"{names[a]} -> {names[b]}")
    for k in range(0, 40, 2):  # a few confounding arcs
        lines.append(f"{names[k + 1]} <-> {names[k + 2]}")
        lines.append(f'differs {names[k + 1]} <-> {names[k + 2]} because "unmeasured"')
    for i, name in enumerate(names[1:], start=1):
        pick = i % 4
        if pick == 0:
            lines.append(f'shared {name} because "stated" cite "Someone 2024"')
        elif pick == 1:
            lines.append(f'differs {name} because "personas"')
        elif pick == 2:
            lines.append(f'partial {name} sd 0.5 because "drift"')
        else:
            lines.append(f"shared {name} for gpt, claude")
    lines.append(f"shared {names[0]} -> {names[1]} for gpt")
    lines.append(f'data gpt "gpt.csv" experiment({names[0]})')
    lines.append(f'data human "human.csv" observational measures({", ".join(names[:50])})')
    lines.append(f"estimate effect of {names[0]} on {names[-1]} in human contrast 1 vs 0")
    lines.append("fit chains 4 draws 1000 seed 1")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description="Time the .tdag front end.")
    options.add_argument("--runs", type=int, default=10)
    options.add_argument("--variables", type=int, default=2000)
    options.add_argument("--edges", type=int, default=6000)
    args = options.parse_args(argv)
    command = transport_command()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )
    print(f"\n(a) `transport check` per example, subprocess, median (min) of {args.runs}")
    baseline, _, _ = wall([sys.executable, "-c", "pass"], args.runs)
    print(f"  {'python -c pass':32} {baseline * 1000:7.0f} ms  (interpreter start alone)")
    examples = sorted(ROOT.glob("examples/*/study.tdag"))
    for path in examples:
        median, best, code = wall([*command, "check", str(path)], args.runs)
        print(
            f"  {str(path.relative_to(ROOT)):32} {median * 1000:7.0f} ms "
            f"({best * 1000:.0f})  exit {code}"
        )

    print("\n(b) modules imported by `transport check`")
    modules = imported_modules(examples[0])
    heavy = [m for m in HEAVY if m in modules]
    print(
        f"  {len(modules)} top-level modules; third-party among them: "
        + ", ".join(m for m in modules if m in ("lark", *HEAVY))
    )
    print(f"  heavy modules imported: {', '.join(heavy) if heavy else 'none'}")
    for name in ("pymc", "pytensor", "arviz", "dowhy", "matplotlib", "pandas"):
        print(f"    {name:12} {'IMPORTED' if name in modules else 'not imported'}")

    print(f"\n(c) generated study: {args.variables} variables, {args.edges} edges")
    text = generate(args.variables, args.edges)
    print(f"  {len(text.splitlines())} lines, {len(text) / 1024:.0f} KiB")
    from transport.api import check_source, parse
    from transport.source import Source
    from transport.syntax.grammar import parser

    started = time.perf_counter()
    parser()
    print(f"  build the LALR parser (once per process): {time.perf_counter() - started:.3f} s")
    source = Source(text, "generated.tdag")
    timings: dict[str, list[float]] = {"parse": [], "parse+check": []}
    for _ in range(3):
        started = time.perf_counter()
        parse(source)
        timings["parse"].append(time.perf_counter() - started)
        started = time.perf_counter()
        result = check_source(source)
        timings["parse+check"].append(time.perf_counter() - started)
    codes = sorted({d.code for d in result.diagnostics})
    print(f"  diagnostics: {len(result.errors)} errors, {len(result.warnings)} warnings {codes}")
    for key, values in timings.items():
        print(f"  {key:12} median {statistics.median(values):.3f} s  (of 3)")
    check_only = statistics.median(timings["parse+check"]) - statistics.median(timings["parse"])
    print(f"  {'check alone':12} ~{check_only:.3f} s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.tdag"
        path.write_text(text, encoding="utf-8")
        runs = max(3, args.runs // 3)
        median, best, code = wall([*command, "check", str(path)], runs)
        print(
            f"  CLI `transport check generated.tdag`: median {median:.3f} s "
            f"(min {best:.3f}) of {runs}, exit {code}"
        )
        probe = subprocess.run(
            [*command, "check", "--format", "json", str(path)], capture_output=True, text=True
        )
        report = json.loads(probe.stdout)
        print(f"  CLI report: {report['errors']} errors, {report['warnings']} warnings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
