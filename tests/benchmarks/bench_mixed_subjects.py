"""Coverage of the mixed-subjects estimators (PPI++ and the Bayesian joint model) on simulated
conjoint studies with clustered sampling and informative weights.

Each study is drawn from examples/conjoint/generate.py's model: respondents answer paired-
profile tasks (the two rows of a task sum to 1, and a respondent's tasks share their taste),
GPT-4o predicts each answer, labelled respondents also have predicted-only tasks (labelled
and unlabelled rows in one cluster), and further respondents have predictions only.

* clustering: respondents sampled with the population's age shares (weights not needed);
  intervals that treat rows as independent against intervals with respondent clusters.
* weights: the young over-sampled, older respondents care more about numbers; coverage of the
  population (weighted) effect, with and without the design weights (clusters on).
* probabilities: GPT-4o reports its probability of sparing each profile, so the Bayesian path
  uses its regression model; clusters and weights on.
* against ppi_py: independent units, a predictor biased in its arm effect, λ = 1: the spread
  of the estimate (both compute the same one) against each package's standard error.

Run: python tests/benchmarks/bench_mixed_subjects.py [STUDIES] [SEED]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "examples" / "conjoint")]

from generate import POPULATION_SHARE, SAMPLED_SHARE, simulate, true_effect  # noqa: E402

from transport.estimate.mixed_subjects.bayes_ppi import bayes_ppi  # noqa: E402
from transport.estimate.mixed_subjects.inputs import MixedSubjectsData, Units  # noqa: E402
from transport.estimate.mixed_subjects.ppi import ppi_difference  # noqa: E402

LABELLED, UNLABELLED, TASKS = 100, 400, 6
DRAWS = 2000


def as_data(study: dict, clustered: bool, weighted: bool) -> MixedSubjectsData:
    def units(columns: dict) -> Units:
        return Units(arm=columns["more"], predictions={"gpt4o": columns["gpt4o_saved"]},
                     outcome=columns.get("saved"),
                     cluster=columns["respondent_id"] if clustered else None,
                     weight=columns["design_w"] if weighted else None)

    return MixedSubjectsData(units(study["labelled"]), units(study["unlabelled"]))


def run(studies: int, seed: int, shares: np.ndarray, variants: dict,
        probabilities: bool = False) -> dict:
    truth = true_effect("more")
    rng = np.random.default_rng(seed)
    hits = {name: 0 for name in variants}
    widths = {name: [] for name in variants}
    errors = {name: [] for name in variants}
    for index in range(studies):
        study = simulate(rng, "more", LABELLED, UNLABELLED, TASKS, shares=shares,
                         probabilities=probabilities)
        for name, (method, clustered, weighted) in variants.items():
            data = as_data(study, clustered, weighted)
            if method == "ppi":
                low, high = ppi_difference(data, 1, 0).ci
                centre = (low + high) / 2
            elif method == "human":
                low, high = ppi_difference(data, 1, 0).classical.ci
                centre = (low + high) / 2
            else:
                fit = bayes_ppi(data, 1, 0, draws=DRAWS, seed=index)
                low, high = fit.hdi_95
                centre = fit.mean
            hits[name] += low <= truth <= high
            widths[name].append(high - low)
            errors[name].append(centre - truth)
    return {name: (hits[name] / studies, float(np.mean(widths[name])),
                   float(np.mean(errors[name])), float(np.std(errors[name])))
            for name in variants}


def show(title: str, results: dict, studies: int) -> None:
    print(f"\n{title} ({studies} studies; Monte Carlo sd of a 0.95 coverage "
          f"{np.sqrt(0.95 * 0.05 / studies):.3f})")
    print(f"  {'interval':44s} coverage  mean width  bias     sd of estimate")
    for name, (coverage, width, bias, sd) in results.items():
        print(f"  {name:44s} {coverage:8.3f}  {width:10.4f}  {bias:+.4f}  {sd:.4f}")


def against_ppi_py(studies: int, seed: int) -> None:
    import ppi_py

    rng = np.random.default_rng(seed)
    estimates, ours, theirs = [], [], []

    def units(size: int):
        arm, z = rng.integers(0, 2, size), rng.normal(size=size)
        y = 0.3 * arm + z + rng.normal(size=size)
        return arm, z, y, 0.8 * y + 0.3 + 0.5 * arm + rng.normal(scale=0.8, size=size)

    for _ in range(studies):
        (arm, z, y, f), (arm_u, z_u, _, f_u) = units(300), units(3000)
        data = MixedSubjectsData(Units(arm, {"llm": f}, y, covariates=z),
                                 Units(arm_u, {"llm": f_u}, covariates=z_u))
        result = ppi_difference(data, 1, 0, adjust=True, lam=1.0)
        x = np.column_stack([np.ones(300), arm, z])
        x_u = np.column_stack([np.ones(3000), arm_u, z_u])
        low, high = ppi_py.ppi_ols_ci(x, y, f, x_u, f_u, alpha=0.05, lam=1.0)
        estimates.append(result.estimate)
        ours.append(result.se)
        theirs.append((high[1] - low[1]) / (2 * 1.959963984540054))
    print(f"\nagainst ppi_py ({studies} studies, biased predictor, lambda = 1, adjusted): sd of "
          f"the estimate {np.std(estimates):.4f}; mean standard error: this package "
          f"{np.mean(ours):.4f}, ppi_py {np.mean(theirs):.4f}")


def main() -> None:
    studies = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2026
    print(f"mixed subjects: {LABELLED} labelled respondents x {TASKS} paired tasks "
          f"(+2 predicted-only each), {UNLABELLED} unlabelled respondents x {TASKS}; "
          f"true effect {true_effect('more'):.4f}")
    start = time.perf_counter()
    clustering = run(studies, seed, POPULATION_SHARE, {
        "human only, rows independent": ("human", False, False),
        "human only, respondent clusters": ("human", True, False),
        "PPI++, rows independent": ("ppi", False, False),
        "PPI++, respondent clusters": ("ppi", True, False),
        "Bayesian joint model, rows independent": ("bayes", False, False),
        "Bayesian joint model, respondent clusters": ("bayes", True, False),
    })
    show("clustered sampling", clustering, studies)
    weighting = run(studies, seed + 1, SAMPLED_SHARE, {
        "PPI++, clusters, no weights": ("ppi", True, False),
        "PPI++, clusters and weights": ("ppi", True, True),
        "Bayesian joint model, clusters, no weights": ("bayes", True, False),
        "Bayesian joint model, clusters and weights": ("bayes", True, True),
    })
    show("informative weights (coverage of the population effect)", weighting, studies)
    probabilities = run(studies, seed + 2, SAMPLED_SHARE, {
        "PPI++, clusters and weights": ("ppi", True, True),
        "Bayesian regression model, clusters and weights": ("bayes", True, True),
    }, probabilities=True)
    show("GPT-4o's probabilities as predictions (clusters, weights)", probabilities, studies)
    against_ppi_py(studies, seed + 3)
    print(f"\n{time.perf_counter() - start:.1f} s in all")


if __name__ == "__main__":
    main()
