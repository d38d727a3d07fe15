"""Borrowing strength: how much do LLM runs narrow a small human experiment's interval, and
does borrowing shrink when the LLM data contradict the human data?

Each simulated study (tests/benchmarks/synthesis_sim.py): two categorical covariates of
three levels whose distribution differs, a human experiment of 300 rows and an LLM
experiment of 3,000 rows, the outcome mechanism declared `partial y sd SD` (or `shared`).
Every study is estimated twice with the same data and seed: as declared (the joint fit)
and with `differs y` (the human data alone). Scenarios:

1. the LLM truly shares the outcome mechanism, declared `partial sd SD`: the interval
   should be much narrower than the human-only one (the bundled example asks >= 30%) and
   still cover;
2. the LLM's mechanism gives an effect 0.15 above the human one (below it where that is out
   of reach; contradicted), declared
   `partial sd SD`: borrowing should shrink, the interval widen back towards the
   human-only one, and coverage hold;
3. the same contradicted LLM declared `shared`;
4. the claim itself true: the LLM's treatment log-odds coefficient is the human one plus a
   shift drawn from Normal(0, SD) per study, declared `partial sd SD` (a Bayesian estimate
   under the right prior should cover 95% here, averaged over the shifts).

Printed per scenario: coverage and bias of both fits, the median ratio of interval widths
joint / human-only, and the share of studies with a `contradicted` check on y.

Run: python tests/benchmarks/bench_borrowing.py [--studies N] [--sd X]   (100 for the record)
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
    Tally,
    contradicted_between,
    random_model,
    run_estimate,
    study_text,
    write_study,
)

LEVELS = (3, 3)
HUMAN_ROWS = 300
LLM_ROWS = 3000
GAP = 0.15
DRAWS = 2000
SEEDS_FROM = 9400


def scenario(label: str, gap: float, declared: str, seeds: range,
             shift_sd: float | None = None) -> None:
    joint, alone = Tally("  joint (as declared)"), Tally("  human data alone ")
    ratios, flagged, failures = [], 0, []
    start = time.perf_counter()
    for seed in seeds:
        rng = np.random.default_rng(seed)
        model = random_model(rng, LEVELS, {"llm": LLM_ROWS}, HUMAN_ROWS)
        if shift_sd is None:
            model = model.with_gap("llm", gap, either_sign=True)
        else:
            model = model.with_shift("llm", float(rng.normal(0.0, shift_sd)))
        truth = model.true_effect()
        with tempfile.TemporaryDirectory() as folder:
            path = write_study(Path(folder), model, StudyText({"llm": declared}), rng)
            human_only = path.with_name("human_only.tdag")
            human_only.write_text(study_text(model, StudyText({"llm": "differs"})),
                                  encoding="ascii")
            try:
                result = run_estimate(path, seed=seed, draws=DRAWS, robustness=False)
                reference = run_estimate(human_only, seed=seed, draws=DRAWS, robustness=False,
                                         checks=False)
            except Exception as error:  # a failure is a finding, reported below
                failures.append(f"seed {seed}: {type(error).__name__}: {error}"[:200])
                continue
        joint.add_estimate(result["effect"], truth)
        alone.add_estimate(reference["effect"], truth)
        ratios.append(joint.widths[-1] / alone.widths[-1])
        flagged += contradicted_between(result, "llm", "human")
    done = len(ratios)
    print(f"{label}  ({time.perf_counter() - start:.0f} s)")
    print(joint.line())
    print(alone.line())
    print(f"  interval width joint / human alone: median {np.median(ratios):.3f} "
          f"(quartiles {np.quantile(ratios, 0.25):.3f}-{np.quantile(ratios, 0.75):.3f}); "
          f"contradicted check on y in {flagged}/{done}")
    for failure in failures:
        print(f"  failed: {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=20, help="studies per scenario (100)")
    parser.add_argument("--sd", type=float, default=0.2, help="the partial statement's sd")
    parser.add_argument("--robust", type=float, default=None,
                        help="a `robust W` clause on both claims (default: none, W = 0.1)")
    parser.add_argument("--scenarios", default="1234", help="which scenarios to run (1234)")
    args = parser.parse_args()
    robust = "" if args.robust is None else f" robust {args.robust:g}"
    seeds = range(SEEDS_FROM, SEEDS_FROM + args.studies)
    print(f"{args.studies} studies per scenario, seeds {seeds.start}..{seeds.stop - 1}; "
          f"{HUMAN_ROWS} human rows, {LLM_ROWS} LLM rows, covariate levels {LEVELS}, "
          f"{DRAWS} draws")
    partial = f"partial sd {args.sd:g}{robust}"
    shared = f"shared{robust}"
    if "1" in args.scenarios:
        scenario(f"1. LLM truly shares y, declared `{partial}`", 0.0, partial, seeds)
    if "2" in args.scenarios:
        scenario(f"2. LLM effect {GAP} off, declared `{partial}`", GAP, partial, seeds)
    if "3" in args.scenarios:
        scenario(f"3. LLM effect {GAP} off, declared `{shared}`", GAP, shared, seeds)
    if "4" in args.scenarios:
        scenario(f"4. LLM's treatment log-odds shifted by Normal(0, {args.sd:g}) draws, "
                 f"declared `{partial}`", 0.0, partial, seeds, shift_sd=args.sd)


if __name__ == "__main__":
    main()
