"""Coverage of the exact estimation path on random transport problems.

For each of N random selection diagrams with binary variables (tests/identification's generator:
a target, one or two sources, random selection sets, target observational data and source
experiments), identification runs; when it returns a formula, finite data are drawn from
each dataset's exact distribution of a random structural model that satisfies the stated
assumptions, the formula is evaluated per posterior draw (Dirichlet posteriors of the
counts), and the 95% interval is compared with the model's true target effect.

Then the assumption check: a two-population study whose outcome mechanism is declared
shared, simulated with a true difference of log-odds `shift` between LLMs and humans; how
often is it flagged as contradicted?

Run: python tests/benchmarks/bench_estimate_coverage.py [N]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from identification.binary_scm import BinaryModel  # noqa: E402
from identification.random_problems import random_problem  # noqa: E402

from transport.estimate.conjugate import dirichlet_draws  # noqa: E402
from transport.estimate.summary import hdi  # noqa: E402
from transport.estimate.tensor import Labelled, evaluate_draws  # noqa: E402
from transport.identification import identify  # noqa: E402

ROWS = 2000
DRAWS = 2000


def sampled_tables(model, problem, rng):
    """Posterior draws of each dataset's table from ROWS simulated rows."""
    out = {}
    for key, table in model.dataset_tables(problem.datasets).items():
        dims = tuple(c for c in table.columns if c != "p")
        do = [d for d in dims if d in key[1]]
        ordered = tuple(do) + tuple(d for d in dims if d not in do)
        probs = np.zeros((2,) * len(ordered))
        for row in table.itertuples(index=False):
            values = dict(zip(dims, row[:-1], strict=True))
            probs[tuple(values[d] for d in ordered)] += row[-1]
        rows_per_arm = ROWS // (2 ** len(do))
        flat = probs.reshape(2 ** len(do), -1)
        flat = flat / flat.sum(axis=1, keepdims=True)
        counts = np.stack([rng.multinomial(rows_per_arm, p) for p in flat])
        draws = dirichlet_draws(counts.reshape(probs.shape), len(do), DRAWS, rng)
        out[key] = Labelled(ordered, draws)
    return out


def coverage(n_problems: int) -> None:
    rng_py = random.Random(2026)
    covered, errors, used, tried, structural = 0, [], 0, 0, 0
    start = time.perf_counter()
    while used < n_problems and tried < 50 * n_problems:
        tried += 1
        problem = random_problem(rng_py, rng_py.choice([3, 4, 5]))
        if len(problem.treatment) != 1 or len(problem.outcome) != 1:
            continue
        result = identify(problem)
        if not result.transportable:
            continue
        rng = np.random.default_rng(tried)
        model = BinaryModel(problem, rng)
        (x,), (y,) = problem.treatment, problem.outcome
        truth = model.effect({y: 1}, {x: 1}) - model.effect({y: 1}, {x: 0})
        evaluated = evaluate_draws(result.estimand, sampled_tables(model, problem, rng), DRAWS)
        data = evaluated.data
        dims = list(evaluated.dims)
        for extra in [d for d in dims if d not in (x, y)]:
            data = np.take(data, 0, axis=1 + dims.index(extra))
            dims.remove(extra)
        if x not in dims:
            structural += 1  # y does not depend on x in the graph: the effect is exactly 0
            continue
        p1 = np.take(data, 1, axis=1 + dims.index(y))
        dims.remove(y)
        effect = np.take(p1, 1, axis=1 + dims.index(x)) - np.take(p1, 0, axis=1 + dims.index(x))
        if np.isnan(effect).any():
            continue
        low, high = hdi(effect)
        covered += low <= truth <= high
        errors.append(abs(effect.mean() - truth))
        used += 1
    seconds = time.perf_counter() - start
    print(f"random transport problems evaluated: {used} (of {tried} drawn; {structural} more "
          "had an effect that is zero by the graph; the rest were not transportable or not "
          "single-treatment)")
    print(f"95% interval coverage of the true target effect: {covered / used:.3f}")
    print(f"mean absolute error of the posterior mean: {np.mean(errors):.4f}")
    print(f"rows per dataset: {ROWS}, posterior draws: {DRAWS}, time: {seconds:.1f} s")


def flag_rate(repeats: int = 40) -> None:
    """How often the check flags `shared y` when humans truly differ by `shift` log-odds."""
    from shared_fixtures import write_shift_study

    from transport.api import load
    from transport.estimate.run import estimate_study

    for shift in (0.0, 0.5, 1.0, 2.0):
        flagged = 0
        for k in range(repeats):
            with tempfile.TemporaryDirectory() as folder:
                path = write_shift_study(Path(folder), shift, seed=1000 * k + 7,
                                         llm_rows=2000, human_rows=800)
                result = estimate_study(load(path), draws=500, robustness=False).to_json()
            verdicts = [c["verdict"] for c in result["assumption_checks"] if c["mechanism"] == "y"]
            flagged += verdicts == ["contradicted"]
        print(f"true log-odds difference {shift}: flagged as contradicted in "
              f"{flagged}/{repeats} simulated studies (2000 LLM rows, 800 human rows)")


if __name__ == "__main__":
    coverage(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    flag_rate()
