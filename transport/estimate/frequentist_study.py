"""The frequentist cross-check for a study: decide whether its identified formula is an
adjustment form, gather the trial and the target sample from the loaded data, and run
IPSW, g-transport and AIPSW (transport.estimate.frequentist) on them.

An adjustment form is `Σ_Z P_s(y | do(x), Z) · Π_k P_target(Z_k | ...)` with `s` a source
population whose data randomize `x` and measure y and Z, and target factors that read
only Z from observational target data. The estimators use the target sample's joint
covariate distribution, which equals the formula's factorization whenever the graph's
independencies hold (`transport check --data` tests them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from transport.data.load import LoadedData
from transport.estimate.frequentist import (
    FrequentistCheck,
    Scale,
    TransportSample,
    cross_check,
    default_terms,
)
from transport.identification.expr import Expr, Prob, Product, Sum
from transport.study import Study


@dataclass(frozen=True)
class AdjustmentForm:
    """Σ_covariates P_source(outcome | do(treatment), covariates) · P_target(covariates)."""

    source: str
    treatment: str
    outcome: str
    covariates: tuple[str, ...]


def adjustment_form(study: Study, estimand: Expr | None) -> AdjustmentForm | None:
    """The adjustment form the estimand has, or None when it has another shape."""
    if estimand is None:
        return None
    x, y, target = study.query.treatment, study.query.outcome, study.query.population
    over: tuple[str, ...] = ()
    body = estimand
    if isinstance(body, Sum):
        over, body = body.over, body.body
    factors = body.factors if isinstance(body, Product) else (body,)
    if not all(isinstance(f, Prob) for f in factors):
        return None
    z = set(over)
    trial = [f for f in factors if f.population != target]
    rest = [f for f in factors if f.population == target]
    if len(trial) != 1:
        return None
    term = trial[0]
    if term.vars != (y,) or term.do != (x,) or set(term.given) != z:
        return None
    covered: list[str] = []
    for factor in rest:
        if factor.do or not set(factor.vars) | set(factor.given) <= z:
            return None
        covered += factor.vars
    if sorted(covered) != sorted(z):
        return None
    return AdjustmentForm(term.population, x, y, tuple(sorted(z)))


def _pooled(data: Sequence[LoadedData], columns: Sequence[str]) -> pd.DataFrame | None:
    parts = [d.frame[list(columns)] for d in sorted(data, key=lambda d: d.spec.path)]
    return pd.concat(parts, ignore_index=True) if parts else None


def frequentist_cross_check(
    study: Study, data: Sequence[LoadedData], estimand: Expr | None = None, *,
    generalize: bool = False, scale: Scale = "difference", bootstrap: int = 500,
    seed: int = 0,
) -> FrequentistCheck | None:
    """IPSW and AIPSW (and g-transport) estimates of the study's effect with bootstrap
    intervals, or None when the formula is not an adjustment form, the data lack a trial
    or a target sample, or the outcome is categorical. `estimand` defaults to the study's
    identified formula. `generalize=True`: the target is everyone sampled."""
    if estimand is None:
        from transport.identification import identify
        from transport.identification.from_study import problem_from_study

        estimand = identify(problem_from_study(study), suggestions=False).estimand
    form = adjustment_form(study, estimand)
    outcome = study.variable(study.query.outcome)
    if form is None or outcome.kind == "categorical":
        return None
    needed = {form.treatment, form.outcome, *form.covariates}
    trials = [d for d in data if d.population == form.source
              and d.spec.randomized == (form.treatment,) and needed <= set(d.spec.measures)]
    targets = [d for d in data if d.population == study.query.population
               and not d.spec.randomized and set(form.covariates) <= set(d.spec.measures)]
    if not trials or not targets:
        return None
    treatment = study.variable(form.treatment)
    first, second = _contrast(study, treatment)
    trial = _pooled(trials, [form.treatment, form.outcome, *form.covariates])
    trial = trial[trial[form.treatment].isin([first, second])].reset_index(drop=True)
    target = _pooled(targets, list(form.covariates))
    frame = pd.concat([trial[list(form.covariates)], target], ignore_index=True)
    n_trial = len(trial)
    in_trial = np.arange(len(frame)) < n_trial
    treated = np.zeros(len(frame))
    treated[:n_trial] = (trial[form.treatment] == first).to_numpy(dtype=float)
    y = np.zeros(len(frame))
    y[:n_trial] = trial[form.outcome].to_numpy(dtype=float)
    columns, numeric = _covariate_columns(study, frame, form.covariates)
    name = _free_name(form.treatment, columns)
    sample = TransportSample(in_trial, treated, y, columns, name, outcome.kind == "binary")
    sampling, outcome_terms = default_terms(form.covariates, numeric, name)
    result = cross_check(sample, sampling, outcome_terms, generalize=generalize, scale=scale,
                         bootstrap=bootstrap, seed=seed)
    return replace(result, source=form.source, covariates=form.covariates)


def _contrast(study: Study, treatment) -> tuple:
    if study.query.contrast is not None:
        first, second = study.query.contrast
    elif treatment.kind == "binary":
        first, second = 1, 0
    else:
        first, second = treatment.levels[-1], treatment.levels[0]
    if treatment.kind == "categorical":
        return str(first), str(second)
    return first, second


def _covariate_columns(study: Study, frame: pd.DataFrame, names: Sequence[str]
                       ) -> tuple[dict[str, np.ndarray], list[str]]:
    """Numeric covariates standardised (the fits do not change; the Newton steps are better
    conditioned); categorical ones as indicator blocks without their first level."""
    columns: dict[str, np.ndarray] = {}
    numeric: list[str] = []
    for name in names:
        variable = study.variable(name)
        series = frame[name]
        if variable.kind == "categorical":
            codes = series.cat.codes.to_numpy()
            levels = len(series.cat.categories)
            columns[name] = (codes[:, None] == np.arange(1, levels)[None, :]).astype(float)
            continue
        values = series.to_numpy(dtype=float)
        if variable.kind != "binary":
            numeric.append(name)
            spread = values.std()
            values = (values - values.mean()) / (spread if spread > 0 else 1.0)
        columns[name] = values
    return columns, numeric


def _free_name(treatment: str, columns: dict[str, np.ndarray]) -> str:
    name = treatment
    while name in columns:
        name += "_"
    return name
