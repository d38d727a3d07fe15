"""Sparse covariate cells: does transport over many cells with a few rows each stay unbiased?

Each simulated study (tests/benchmarks/synthesis_sim.py): four categorical covariates of
four levels (256 covariate cells), an LLM experiment whose outcome mechanism is truly and
declaredly `shared` with people, with 720 rows (a mean of under 3 rows per
covariate cell, under 1.5 per cell and treatment arm), and a human covariate survey of
2,000 rows whose covariate distribution differs. The effect is identified only by
transport, `sum_z P_llm(y | do(x), z) P_human(z)`, so every covariate cell enters the
formula. The true human effect is exact, from the generating model.

Printed: 95% interval coverage of the true effect (goal 0.93-0.97); the bias of the
posterior mean over studies (goal: |bias| < 0.01), with the median signed and the median
absolute error (one study's distance from the truth, precision included); mean width; and
the same for the naive alternative the result reports (`naive`: the LLM's own effect, not
transported).

Run: python tests/benchmarks/bench_sparse_cells.py [--studies N]   (200 for the record)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthesis_sim import StudyText, Tally, random_model, run_estimate, write_study  # noqa: E402

LEVELS = (4, 4, 4, 4)
CELLS = int(np.prod(LEVELS))
LLM_ROWS = 720  # 2.81 rows per covariate cell on average
HUMAN_ROWS = 2000
DRAWS = 2000
SEEDS_FROM = 9100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=20, help="simulated studies (200)")
    args = parser.parse_args()
    estimator, naive = Tally("estimate (effect)"), Tally("naive (LLM effect as is)")
    failures: list[str] = []
    start = time.perf_counter()
    for seed in range(SEEDS_FROM, SEEDS_FROM + args.studies):
        rng = np.random.default_rng(seed)
        model = random_model(rng, LEVELS, {"llm": LLM_ROWS}, HUMAN_ROWS, target_design="survey")
        truth = model.true_effect()
        with tempfile.TemporaryDirectory() as folder:
            path = write_study(Path(folder), model, StudyText({"llm": "shared"}), rng)
            try:
                result = run_estimate(path, seed=seed, draws=DRAWS, robustness=False)
            except Exception as error:  # a failure is a finding, reported below
                failures.append(f"seed {seed}: {type(error).__name__}: {error}"[:200])
                continue
        estimator.add_estimate(result["effect"], truth)
        if result.get("naive"):
            naive.add_estimate(result["naive"], truth)
    seconds = time.perf_counter() - start
    print(f"{args.studies} studies, seeds {SEEDS_FROM}..{SEEDS_FROM + args.studies - 1}; "
          f"{CELLS} covariate cells, {LLM_ROWS} LLM rows (mean {LLM_ROWS / CELLS:.2f} per "
          f"cell, {LLM_ROWS / CELLS / 2:.2f} per cell and arm), {HUMAN_ROWS} human survey rows, "
          f"{DRAWS} draws")
    print(estimator.line())
    if naive.covered:
        print(naive.line())
    print(f"estimation failed in {len(failures)} studies" + "".join(f"\n  {f}" for f in failures))
    print(f"time: {seconds:.1f} s ({seconds / max(args.studies, 1):.2f} s per study)")


if __name__ == "__main__":
    main()
