"""Order invariance: does reordering a study's statements or data rows change its estimate?

For every example under examples/*/study.tdag: the estimate of the file as bundled, and of
N random reorderings (tests/tdag_permutations.py: `population`, `var`, edge, assumption and
`data` statements shuffled among their slots, and the rows of every CSV shuffled), all with
the same seed. Printed per example: the largest absolute difference from the bundled file's
effect mean and 95% interval ends over the reorderings (goal: 0), which other fields of the
JSON result differ in value, and which lists hold the same items in another order.

Run: python tests/benchmarks/bench_order_invariance.py [--studies N]   (N reorderings per
example; 5 for the record) [--no-rows] (keep the CSV rows in order)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "benchmarks")]

from synthesis_sim import run_estimate  # noqa: E402
from tdag_permutations import permuted_copy  # noqa: E402

SEED = 11
PERMUTATION_SEEDS_FROM = 9300


def effect_numbers(result: dict) -> tuple[float, float, float]:
    effect = result["effect"]
    return (float(effect["mean"]), *(float(v) for v in effect["hdi_95"]))


def other_differences(first: dict, second: dict) -> tuple[set[str], set[str]]:
    """Top-level JSON fields other than `effect` that differ in value, and list fields that
    hold the same items in another order (`data` lists files, whose paths point at the
    copy, so it is left out)."""
    values, order = set(), set()
    for key in first:
        if key in ("effect", "data") or first[key] == second.get(key):
            continue
        if isinstance(first[key], list) and _sorted(first[key]) == _sorted(second[key]):
            order.add(key)
        else:
            values.add(key)
    return values, order


def _sorted(items: list) -> list[str]:
    return sorted(json.dumps(item, sort_keys=True) for item in items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=2, help="reorderings per example (5)")
    parser.add_argument("--no-rows", action="store_true", help="do not shuffle CSV rows")
    args = parser.parse_args()
    examples = sorted(ROOT.glob("examples/*/study.tdag"))
    print(f"{len(examples)} examples, {args.studies} reorderings each (seeds "
          f"{PERMUTATION_SEEDS_FROM}..{PERMUTATION_SEEDS_FROM + args.studies - 1}), estimate "
          f"seed {SEED}, CSV rows {'kept' if args.no_rows else 'shuffled'}")
    worst_overall = 0.0
    for study in examples:
        start = time.perf_counter()
        bundled = run_estimate(study, seed=SEED, draws=None)
        base = effect_numbers(bundled)
        worst = [0.0, 0.0, 0.0]
        values: set[str] = set()
        order: set[str] = set()
        for k in range(args.studies):
            with tempfile.TemporaryDirectory() as folder:
                path = permuted_copy(study, Path(folder), PERMUTATION_SEEDS_FROM + k,
                                     rows=not args.no_rows)
                result = run_estimate(path, seed=SEED, draws=None)
            worst = [max(w, abs(a - b))
                     for w, a, b in zip(worst, effect_numbers(result), base, strict=True)]
            differ, reordered = other_differences(bundled, result)
            values.update(differ)
            order.update(reordered)
        worst_overall = max(worst_overall, *worst)
        print(f"{study.parent.name:14s} effect {base[0]:+.4f} [{base[1]:+.4f}, {base[2]:+.4f}]; "
              f"max |difference|: mean {worst[0]:.2e}, low {worst[1]:.2e}, high {worst[2]:.2e}; "
              f"other fields that differ: {', '.join(sorted(values)) or 'none'}; lists only "
              f"reordered: {', '.join(sorted(order)) or 'none'} "
              f"({time.perf_counter() - start:.0f} s)")
    print(f"largest difference over every example: {worst_overall:.2e} (goal 0)")


if __name__ == "__main__":
    main()
