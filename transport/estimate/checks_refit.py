"""Checking a sharing assumption that involves continuous variables: fit the parametric
model as the file states it and again with the mechanism declared differing, and compare
how well each predicts the target's observations of that mechanism (PSIS-LOO)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from transport.data.load import LoadedData
from transport.errors import DataError
from transport.study import Assumption, Sharing, Study

CHECK_DRAWS = 500
CHECK_CHAINS = 2


def without(study: Study, row: Assumption) -> Study:
    """The study with one shared mechanism declared differing instead."""
    rows = tuple(
        dataclasses.replace(r, sharing=Sharing("differs")) if r == row else r
        for r in study.assumptions
    )
    return dataclasses.replace(study, assumptions=rows)


def refit_comparison(
    row: Assumption, study: Study, loaded: Sequence[LoadedData], seed: int
) -> tuple[float, float, float]:
    """(elpd difference shared − not shared, its se, the worst Pareto k) on the target's
    observations of the mechanism; DataError when the model cannot be fitted."""
    from transport.estimate import arviz_backend
    from transport.estimate.parametric import fit_parametric

    variable = row.mechanism.variable
    target = study.target.name
    options = dict(draws=CHECK_DRAWS, tune=CHECK_DRAWS, chains=CHECK_CHAINS, seed=seed,
                   sampler=study.fit.sampler, cores=study.fit.cores)
    shared = fit_parametric(study, loaded, **options)
    separate = fit_parametric(without(study, row), loaded, **options)
    if target not in shared.spec.mechanisms.get(variable).cells:
        raise DataError(f"no {target} data inform the mechanism of '{variable}'")
    return arviz_backend.loo_difference(
        shared.log_likelihood_of(variable, target), separate.log_likelihood_of(variable, target)
    )
