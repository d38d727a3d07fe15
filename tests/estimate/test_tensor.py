"""The vectorised evaluator agrees with the truth on random transport problems: for every
formula the identification algorithms return, evaluating it on the exact distributions a
random binary model gives equals the model's true P*(y | do(x))."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from identification.binary_scm import BinaryModel, all_values
from identification.random_problems import random_problem

from transport.estimate.tensor import Labelled, evaluate_draws
from transport.identification import identify


def _labelled(table: pd.DataFrame) -> Labelled:
    dims = tuple(c for c in table.columns if c != "p")
    data = np.zeros((1,) + (2,) * len(dims))
    for row in table.itertuples(index=False):
        values = row[:-1]
        data[(0, *values)] += row[-1]
    return Labelled(dims, data)


def _transportable_problems(count: int) -> list[tuple[int, object, object]]:
    """The first `count` random single-treatment problems that identification answers."""
    found, seed = [], 0
    while len(found) < count:
        rng = random.Random(seed)
        problem = random_problem(rng, rng.choice([3, 4, 5]))
        if len(problem.treatment) == 1 and len(problem.outcome) == 1:
            result = identify(problem, suggestions=False)
            if result.transportable:
                found.append((seed, problem, result))
        seed += 1
    return found


@pytest.mark.parametrize(("seed", "problem", "result"), _transportable_problems(30),
                         ids=lambda value: str(value) if isinstance(value, int) else "")
def test_formula_evaluated_per_draw_equals_the_true_effect(seed, problem, result) -> None:
    model = BinaryModel(problem, np.random.default_rng(seed))
    tables = {k: _labelled(t) for k, t in model.dataset_tables(problem.datasets).items()}
    evaluated = evaluate_draws(result.estimand, tables, draws=1)
    (x,), (y,) = problem.treatment, problem.outcome
    for values in all_values((x, y)):
        index = [0]
        for dim in evaluated.dims:
            index.append(values.get(dim, 0))
        got = float(evaluated.data[tuple(index)])
        want = model.effect({y: values[y]}, {x: values[x]})
        assert abs(got - want) < 1e-9


def test_batches_of_draws_are_evaluated_independently() -> None:
    rng = np.random.default_rng(1)
    joint = rng.dirichlet(np.ones(8), size=5).reshape(5, 2, 2, 2)  # (draws, z, x, y)
    from transport.identification.expr import Prob, Product, Sum

    formula = Sum(("z",), Product((Prob("h", ("y",), ("x", "z")), Prob("h", ("z",)))))
    result = evaluate_draws(formula, {("h", frozenset()): Labelled(("z", "x", "y"), joint)}, 5)
    assert result.dims == ("y", "x") or set(result.dims) == {"x", "y"}
    for d in range(5):
        p = joint[d]
        pz = p.sum(axis=(1, 2))
        want = sum(p[z, 1, 1] / p[z, 1].sum() * pz[z] for z in range(2))
        got = result.marginal(("x", "y")).data[d, 1, 1]
        assert abs(got - want) < 1e-12
