"""Effects from the exact path: the target effect through the transport formula, each
source's own experimental effect, and the prior version of both."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from transport.data.load import LoadedData
from transport.errors import DataError
from transport.estimate.conjugate import ConjugateInputs, outcome_formula, posterior_tables
from transport.estimate.levels import contrast_positions, outcome_values
from transport.estimate.scales import null_value, on_scale, scale_of
from transport.estimate.tensor import Labelled, evaluate_draws
from transport.identification.expr import Expr, Prob
from transport.study import Study


def effect_from(result: Labelled, study: Study) -> np.ndarray:
    """E[Y | do(a)] against E[Y | do(b)] per draw from the evaluated formula, on the
    query's scale."""
    query = study.query
    treatment, outcome = query.treatment, query.outcome
    data = result.data
    dims = list(result.dims)
    for extra in [d for d in dims if d not in (treatment, outcome)]:
        # A formula may keep a free variable it does not depend on (the napkin's r).
        axis = 1 + dims.index(extra)
        chosen = 0
        for index in range(data.shape[axis]):
            if not np.isnan(np.take(data, index, axis=axis)).any():
                chosen = index
                break
        data = np.take(data, chosen, axis=axis)
        dims.remove(extra)
    values = outcome_values(study)
    if values is not None:
        if outcome not in dims:
            raise DataError("the transport formula does not mention the outcome")
        axis = 1 + dims.index(outcome)
        shape = [1] * data.ndim
        shape[axis] = len(values)
        data = (data * values.reshape(shape)).sum(axis=axis)
        dims.remove(outcome)
    scale = scale_of(study)
    if treatment not in dims:
        return np.full(data.shape[0], null_value(scale))
    a, b = contrast_positions(study)
    axis = 1 + dims.index(treatment)
    return on_scale(np.take(data, a, axis=axis), np.take(data, b, axis=axis), scale)


def formula_effect(
    formula: Expr,
    study: Study,
    loaded: Sequence[LoadedData],
    draws: int,
    rng: np.random.Generator,
    prior_only: bool = False,
) -> tuple[np.ndarray, ConjugateInputs]:
    """Draws of the effect that a formula defines, and the tables it read."""
    outcome = study.query.outcome
    ready = outcome_formula(formula, outcome, study)
    inputs = posterior_tables(ready, outcome, study, loaded, draws, rng, prior_only)
    result = evaluate_draws(ready, inputs.tables, draws, inputs.means)
    effect = effect_from(result, study)
    if np.isnan(effect).any():
        raise DataError(
            "the transport formula is undefined for some posterior draws (a conditioning "
            "cell has no probability); the data do not cover the target's covariate values"
        )
    return effect, inputs


def experiment_formula(study: Study, population: str) -> Expr:
    """P_population(outcome | do(treatment)): a population's own experimental effect."""
    return Prob(population, (study.query.outcome,), (), (study.query.treatment,))


def has_experiment(study: Study, population: str) -> bool:
    query = study.query
    return any(
        spec.population == population
        and spec.randomized == (query.treatment,)
        and query.outcome in spec.measures
        for spec in study.data
    )
