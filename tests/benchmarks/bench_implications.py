"""Type-I error and power of `transport check --data`'s implication tests.

The study of tests/diagnose/simulated.py: a target survey (age, income, region, smoker) and
a source experiment (treat randomized, outcome), 13 implied independencies tested (Fisher
z, canonical-correlation and G-tests; permutation G-tests in the small samples). For each
setting, R simulated studies:

1. the graph is true: the share of single tests with p < 0.05 (per-test type-I error) and
   the share of studies with no violated implication after Holm (family-wise pass rate);
2. the graph omits a true `age -> income` of strength b (income = ... + b·age + noise):
   the share of studies where `age _||_ income` is violated in the target sample (power)
   and where the fix line names the pair.

Run: python tests/benchmarks/bench_implications.py [R]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "diagnose")]

from simulated import write_study  # noqa: E402

from transport.api import load  # noqa: E402
from transport.diagnose import check_data  # noqa: E402

FIX = "add `age -> income` or `age <-> income`"


def run(reps: int, n: int, age_income: float, folder: Path) -> dict[str, float]:
    single = rejected = passed = detected = fixed = 0
    for seed in range(reps):
        path = write_study(folder / f"{n}_{age_income}_{seed}", seed, age_income=age_income,
                           n_target=n, n_source=n)
        report = check_data(load(path)).implications
        tested = report.tested
        single += len(tested)
        rejected += sum(t.p_value < 0.05 for t in tested)
        passed += not report.violated
        hit = [t for t in report.violated
               if t.statement == "age _||_ income" and t.population == "human"]
        detected += bool(hit)
        fixed += bool(hit) and hit[0].fix == FIX
    return {"per_test": rejected / single, "pass": passed / reps, "power": detected / reps,
            "fix": fixed / reps}


def main() -> None:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"R = {reps} simulated studies per row, alpha 0.05")
        print("true graph:")
        for n in (60, 300, 1000):
            r = run(reps, n, 0.0, folder)
            print(f"  n = {n:>4} per dataset: per-test type-I error {r['per_test']:.3f}, "
                  f"studies with no violation (Holm) {r['pass']:.3f}")
        print("graph missing age -> income (coefficient b):")
        for n in (300, 1000):
            for b in (0.05, 0.1, 0.2, 0.3):
                r = run(reps, n, b, folder)
                print(f"  n = {n:>4}, b = {b:.2f}: detected {r['power']:.3f} "
                      f"(fix line printed {r['fix']:.3f})")
    print(f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
