"""Do the assumption checks see a false `shared`, and leave a true one alone?

Simulated studies (tests/benchmarks/synthesis_sim.py), two categorical covariates of three
levels whose distribution differs between populations, the outcome mechanism `y` declared
`shared` for every source. Scenarios:

1. false sharing: one LLM experiment (2,000 rows) whose mechanism, applied to the human
   covariates, gives an effect 0.15 above the human one (below it where the human effect
   is too close to its ceiling); a human experiment of 1,000 rows.
   Goal: a `contradicted` verdict on y between llm and human in >= 90% of studies.
2. true sharing: the same with no gap. Goal: flagged in <= 5%.
3. two sources, both declared shared with the target, that contradict each other: `gpt`
   truly shares, `claude` has the 0.15 gap; 2,000 rows each; a human experiment of 1,000
   rows. Goal: flagged in >= 90% (counted both as "any contradicted verdict on y" and as
   "a contradicted verdict between gpt and claude").
4. the same two sources with no target outcome data (a human covariate survey of 2,000
   rows only): only the source-versus-source check can see it. Goal: >= 90%.
5. two truly sharing sources, survey target: the false alarm rate of the pair check.

A verdict counts as "between A and B" when the check's `between` field names A and B (a
check without `between` is read as source versus target).

Run: python tests/benchmarks/bench_assumption_checks.py [--studies N]   (100 for the record)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthesis_sim import (  # noqa: E402
    StudyText,
    contradicted_between,
    random_model,
    run_estimate,
    write_study,
)

LEVELS = (3, 3)
GAP = 0.15
DRAWS = 1000
SEEDS_FROM = 9200


def one_source(seed: int, gap: float) -> dict[str, bool]:
    rng = np.random.default_rng(seed)
    model = random_model(rng, LEVELS, {"llm": 2000}, 1000)
    model = model.with_gap("llm", gap, either_sign=True)
    result = _estimate(model, {"llm": "shared"}, rng, seed)
    return {"llm vs human": contradicted_between(result, "llm", "human"),
            "any on y": _any_on_y(result)}


def two_sources(seed: int, gap: float, target_design: str) -> dict[str, bool]:
    rng = np.random.default_rng(seed)
    target_rows = 1000 if target_design == "experiment" else 2000
    model = random_model(rng, LEVELS, {"gpt": 2000, "claude": 2000}, target_rows,
                         target_design=target_design)
    model = model.with_gap("claude", gap, either_sign=True)
    result = _estimate(model, {"gpt": "shared", "claude": "shared"}, rng, seed)
    return {"gpt vs claude": contradicted_between(result, "gpt", "claude"),
            "any on y": _any_on_y(result)}


def _any_on_y(result: dict) -> bool:
    return any(c.get("verdict") == "contradicted" and c.get("mechanism") == "y"
               for c in result.get("assumption_checks", []))


def _estimate(model, sharing, rng, seed) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = write_study(Path(folder), model, StudyText(sharing), rng)
        return run_estimate(path, seed=seed, draws=DRAWS, robustness=False)


SCENARIOS = (
    ("1. false shared, gap 0.15, 1,000 human rows (goal >= 0.90)",
     lambda seed: one_source(seed, GAP)),
    ("2. true shared, 1,000 human rows (goal <= 0.05)", lambda seed: one_source(seed, 0.0)),
    ("3. two sources 0.15 apart, 2,000 rows each, human experiment (goal >= 0.90)",
     lambda seed: two_sources(seed, GAP, "experiment")),
    ("4. two sources 0.15 apart, 2,000 rows each, no human outcome data (goal >= 0.90)",
     lambda seed: two_sources(seed, GAP, "survey")),
    ("5. two truly sharing sources, no human outcome data (goal <= 0.05)",
     lambda seed: two_sources(seed, 0.0, "survey")),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=20, help="studies per scenario (100)")
    args = parser.parse_args()
    seeds = range(SEEDS_FROM, SEEDS_FROM + args.studies)
    print(f"{args.studies} studies per scenario, seeds {seeds.start}..{seeds.stop - 1}, "
          f"covariate levels {LEVELS}, {DRAWS} draws")
    for label, scenario in SCENARIOS:
        start = time.perf_counter()
        counts: dict[str, int] = {}
        failures = []
        for seed in seeds:
            try:
                flags = scenario(seed)
            except Exception as error:  # a failure is a finding, reported below
                failures.append(f"seed {seed}: {type(error).__name__}: {error}"[:200])
                continue
            for key, flagged in flags.items():
                counts[key] = counts.get(key, 0) + flagged
        done = args.studies - len(failures)
        shares = ", ".join(f"{key}: {n}/{done} = {n / max(done, 1):.2f}"
                           for key, n in counts.items())
        print(f"{label}\n   contradicted -- {shares}   ({time.perf_counter() - start:.0f} s)")
        for failure in failures:
            print(f"   failed: {failure}")


if __name__ == "__main__":
    main()
