"""Start-up cost of the commands that need no data (run: python tests/benchmarks/bench_startup.py).

Times `python -m transport COMMAND examples/framing/study.tdag` end to end (interpreter
start included) for check, graph (DOT), identify and fmt (--stdout), the median of `--runs`
runs each, interleaved so that a change in machine load hits every command alike, and
prints each median with its ratio to `check` and the goals: identify <= 1.5x check, graph
<= 1.3x check. Also prints the peak memory (max RSS) of one run of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "examples" / "framing" / "study.tdag"
COMMANDS = {
    "check": ["check"],
    "graph": ["graph"],
    "identify": ["identify"],
    "fmt": ["fmt", "--stdout"],
}
GOALS = {"identify": 1.5, "graph": 1.3}
# `python -m` puts the working folder first on sys.path: run from ROOT so that the tree
# measured is this one, not whatever the caller's folder holds
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def command(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "transport", *args, str(STUDY)]


def run_once(args: list[str]) -> float:
    """Wall seconds of one `python -m transport` run."""
    start = time.perf_counter()
    subprocess.run(command(args), env=ENV, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def peak_memory(args: list[str]) -> int:
    """Max RSS (KiB) of one run, measured in a fresh parent so no other child counts."""
    probe = ("import resource, subprocess, sys; "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *command(args)], env=ENV, cwd=ROOT,
                         check=True, capture_output=True, text=True)
    return int(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    memory: dict[str, int] = {}
    for name, args in COMMANDS.items():  # warms the bytecode caches too
        memory[name] = peak_memory(args)
    for _ in range(runs):
        for name, args in COMMANDS.items():
            times[name].append(run_once(args))
    base = statistics.median(times["check"])
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores, {runs} runs each")
    print(f"{'command':<14}{'median':>9}{'ratio':>8}{'goal':>8}{'max RSS':>10}")
    for name in COMMANDS:
        median = statistics.median(times[name])
        goal = f"<={GOALS[name]}" if name in GOALS else ""
        print(f"{name:<14}{median * 1000:>7.0f}ms{median / base:>8.2f}{goal:>8}"
              f"{memory[name] / 1024:>8.0f}MiB")


if __name__ == "__main__":
    main()
