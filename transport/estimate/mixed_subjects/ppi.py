"""PPI++ (Angelopoulos, Duchi & Zrnic 2023) with per-unit predictions, clusters and weights.

Every target here is a contrast c'θ of a (weighted) least-squares coefficient θ of the human
outcome on a design x: the mean of one arm (x = arm dummies), the difference in means
(x = 1, arm dummies), or the regression-adjusted difference (x = 1, arm dummies, covariates).
For predictor weights λ_k the estimate is

    θ̂(λ) = β̂_L(y) + Σ_k λ_k [β̂_U(f_k) − β̂_L(f_k)],

β̂_S(v) the weighted least-squares fit of v on x in sample S (L labelled, U unlabelled).
It is consistent for every λ when the labelled units are a random sample of the
population of the unlabelled ones. Its linearisation is a sum of unit contributions,
which are summed per cluster (labelled and unlabelled rows of one cluster together), so
that the variance is a cluster-robust sandwich, quadratic in λ; λ minimises it.
docs/mixed_subjects.md derives it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from transport.estimate.mixed_subjects.diagnostics import within_arm_correlations
from transport.estimate.mixed_subjects.inputs import MixedSubjectsData, MixedSubjectsError
from transport.estimate.mixed_subjects.results import (
    ClassicalFit,
    PPIFit,
    PPIResult,
    uninformative_warning,
)

SMALLEST = "smallest"
COMBINED = "combined"


def ppi_difference(
    data: MixedSubjectsData,
    treated: object,
    control: object,
    *,
    adjust: bool = False,
    predictor: str = SMALLEST,
    level: float = 0.95,
    lam: float | None = None,
) -> PPIResult:
    """PPI++ for the difference in mean outcome between arm `treated` and arm `control`
    (an AMCE when the arm is a randomised attribute), adjusted for the covariates when
    `adjust` is true. `predictor`: a source name, "smallest" (the predictor with the
    narrowest interval; the default) or "combined" (the optimal combination). `lam`: a fixed
    λ for every single-predictor fit instead of power tuning (0: human only; 1: plain PPI);
    the combination is always tuned."""
    levels = _levels(data, (treated, control))
    others = [value for value in levels if value != control]

    def design(units) -> np.ndarray:
        columns = [np.ones(len(units))] + [(units.arm == value).astype(float) for value in others]
        if adjust and units.covariates is not None:
            columns.extend(units.covariates.T)
        return np.column_stack(columns)

    contrast = np.zeros(1 + len(others) + (_covariate_count(data) if adjust else 0))
    contrast[1 + others.index(treated)] = 1.0
    return _ppi(data, design(data.labelled), design(data.unlabelled), contrast, levels,
                predictor, level, lam)


def ppi_mean(
    data: MixedSubjectsData,
    arm: object,
    *,
    predictor: str = SMALLEST,
    level: float = 0.95,
    lam: float | None = None,
) -> PPIResult:
    """PPI++ for the mean outcome of the units in `arm`."""
    levels = _levels(data, (arm,))

    def design(units) -> np.ndarray:
        return np.column_stack([(units.arm == value).astype(float) for value in levels])

    contrast = np.zeros(len(levels))
    contrast[levels.index(arm)] = 1.0
    return _ppi(data, design(data.labelled), design(data.unlabelled), contrast, levels,
                predictor, level, lam)


def ppi_linear(
    data: MixedSubjectsData,
    x: np.ndarray,
    x_unlabelled: np.ndarray,
    contrast: np.ndarray,
    *,
    predictor: str = SMALLEST,
    level: float = 0.95,
    lam: float | None = None,
) -> PPIResult:
    """PPI++ for c'θ, θ the least-squares coefficient of the outcome on the design `x`
    (labelled rows) and `x_unlabelled` (unlabelled rows), c = `contrast`: any AMCE-style
    contrast of a conjoint design. The arms of `data` define the within-arm correlation."""
    x, x_unlabelled = np.asarray(x, dtype=float), np.asarray(x_unlabelled, dtype=float)
    contrast = np.asarray(contrast, dtype=float)
    for rows, units, name in ((x, data.labelled, "labelled"),
                              (x_unlabelled, data.unlabelled, "unlabelled")):
        if rows.shape != (len(units), len(contrast)):
            raise MixedSubjectsError(
                f"the {name} design must be a ({len(units)}, {len(contrast)}) array")
    levels = sorted(set(data.labelled.arm.tolist()), key=repr)
    return _ppi(data, x, x_unlabelled, contrast, levels, predictor, level, lam)


@dataclass(frozen=True)
class _Contributions:
    """Cluster sums of the linearised estimator: the human-only part a_g (G,) and each
    predictor's part B_g (G, K), so that θ̂(λ) − θ ≈ Σ_g (a_g + B_g λ)."""

    human: np.ndarray
    predictors: np.ndarray
    correction: float
    base: float
    shift: np.ndarray
    covariance: np.ndarray
    curvature: np.ndarray

    def variance(self, lam: np.ndarray) -> float:
        total = self.human + self.predictors @ lam
        return float(self.correction * total @ total)

    def estimate(self, lam: np.ndarray) -> float:
        return float(self.base + self.shift @ lam)


def _ppi(data: MixedSubjectsData, x_lab: np.ndarray, x_unl: np.ndarray, contrast: np.ndarray,
         levels: list, predictor: str, level: float, fixed: float | None) -> PPIResult:
    names = data.predictors
    if predictor not in (SMALLEST, COMBINED) and predictor not in names:
        raise MixedSubjectsError(
            f"no predictions from {predictor}; the data have {', '.join(names)}")
    if not 0 < level < 1:
        raise MixedSubjectsError("the interval level must be between 0 and 1")
    parts = _contributions(data, x_lab, x_unl, contrast)
    z = float(norm.ppf(0.5 + level / 2))
    classical_var = parts.variance(np.zeros(len(names)))
    n = len(data.labelled)
    correlations = within_arm_correlations(data, levels)

    def fit(label: str, lam: np.ndarray, correlation: float | None) -> PPIFit:
        estimate, se = parts.estimate(lam), np.sqrt(parts.variance(lam))
        effective = n * classical_var / se**2 if se > 0 else float("inf")
        return PPIFit(
            predictor=label, estimate=estimate, se=float(se),
            ci=(estimate - z * se, estimate + z * se),
            lam={name: float(value) for name, value in zip(names, lam, strict=True)
                 if label in (COMBINED, name)},
            effective_human_n=float(effective), within_arm_correlation=correlation,
            warning=None if correlation is None else uninformative_warning(label, correlation))

    fits = []
    for k, name in enumerate(names):
        lam = np.zeros(len(names))
        lam[k] = _tuned_single(parts, k) if fixed is None else fixed
        fits.append(fit(name, lam, correlations[name]))
    combined = fit(COMBINED, _tuned_all(parts), None) if len(names) > 1 else None
    if predictor == COMBINED:
        chosen, choice = combined or fits[0], COMBINED
    elif predictor == SMALLEST:
        chosen, choice = min(fits, key=lambda f: f.se), "smallest_interval"
    else:
        chosen, choice = fits[names.index(predictor)], "named"
    classical_se = float(np.sqrt(classical_var))
    return PPIResult(
        chosen=chosen, choice=choice, fits=tuple(fits), combined=combined,
        classical=ClassicalFit(parts.base, classical_se,
                               (parts.base - z * classical_se, parts.base + z * classical_se)),
        level=level, n_labelled=n, n_unlabelled=len(data.unlabelled),
        n_clusters=_cluster_count(data), weighted=data.weighted)


def _contributions(data: MixedSubjectsData, x_lab: np.ndarray, x_unl: np.ndarray,
                   contrast: np.ndarray) -> _Contributions:
    labelled, unlabelled = data.labelled, data.unlabelled
    names = data.predictors
    lab_values = np.column_stack([labelled.outcome] + [labelled.predictions[k] for k in names])
    unl_values = np.column_stack([unlabelled.predictions[k] for k in names])
    lab_fit, lab_influence = _wls_contrast(x_lab, lab_values, labelled.weights(), contrast)
    unl_fit, unl_influence = _wls_contrast(x_unl, unl_values, unlabelled.weights(), contrast)
    lab_codes, unl_codes, groups = data.cluster_codes()
    human = np.bincount(lab_codes, weights=lab_influence[:, 0], minlength=groups)
    predictors = np.column_stack([
        np.bincount(unl_codes, weights=unl_influence[:, k], minlength=groups)
        - np.bincount(lab_codes, weights=lab_influence[:, 1 + k], minlength=groups)
        for k in range(len(names))
    ])
    labelled_groups = len(np.unique(lab_codes))
    if labelled_groups < 2:
        raise MixedSubjectsError("the labelled units need at least 2 clusters")
    if data.clustered:
        covariance, curvature = -predictors.T @ human, predictors.T @ predictors
    else:
        covariance, curvature = _pooled_tuning(lab_influence, unl_influence)
    return _Contributions(
        human=human, predictors=predictors,
        correction=labelled_groups / (labelled_groups - 1),
        base=float(lab_fit[0]), shift=unl_fit - lab_fit[1:],
        covariance=covariance, curvature=curvature)


def _pooled_tuning(lab_influence: np.ndarray,
                   unl_influence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Without clusters, the terms of the variance that λ trades off, with the predictions'
    own variance estimated from the labelled and unlabelled units together (one population,
    so one variance; as ppi_py does): the covariance of the human and predicted parts, and
    Var(prediction part) = σ²_f (1/n + 1/N)."""
    n, big_n = len(lab_influence), len(unl_influence)
    human, predicted = lab_influence[:, 0], lab_influence[:, 1:]
    per_unit = np.vstack([n * predicted, big_n * unl_influence])
    pooled = per_unit.T @ per_unit / (n + big_n - 1)
    return predicted.T @ human, pooled * (1 / n + 1 / big_n)


def _wls_contrast(x: np.ndarray, values: np.ndarray, w: np.ndarray,
                  contrast: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """c'β̂(v) of the weighted least-squares fit of each column v of `values` on `x`, and each
    unit's contribution to c'β̂(v) − c'β(v): w_i (c'(X'WX)⁻¹x_i) r_i(v)."""
    gram = x.T @ (w[:, None] * x)
    if np.linalg.matrix_rank(gram) < gram.shape[0]:
        raise MixedSubjectsError(
            "the design is singular: an arm or covariate has no variation in some units")
    beta = np.linalg.solve(gram, x.T @ (w[:, None] * values))
    residuals = values - x @ beta
    leverage = x @ np.linalg.solve(gram, contrast)
    return contrast @ beta, (w * leverage)[:, None] * residuals


def _tuned_single(parts: _Contributions, k: int) -> float:
    """The λ in [0, 1] minimising the estimated variance with predictor k alone."""
    curvature = parts.curvature[k, k]
    if curvature <= 0:
        return 0.0
    return float(np.clip(parts.covariance[k] / curvature, 0.0, 1.0))


def _tuned_all(parts: _Contributions) -> np.ndarray:
    """The λ vector minimising the estimated variance with every predictor (unconstrained:
    a predictor may enter with a negative weight when it corrects the others)."""
    return np.linalg.lstsq(parts.curvature, parts.covariance, rcond=None)[0]


def _levels(data: MixedSubjectsData, needed: Sequence[object]) -> list:
    levels = sorted(set(data.labelled.arm.tolist()), key=repr)
    for value in needed:
        if value not in levels:
            raise MixedSubjectsError(f"no labelled unit is in arm {value!r}")
    unseen = set(data.unlabelled.arm.tolist()) - set(levels)
    if unseen:
        raise MixedSubjectsError(
            f"unlabelled units are in arms no labelled unit is in: "
            f"{', '.join(sorted(map(repr, unseen)))}")
    for value in levels:
        if np.count_nonzero(data.labelled.arm == value) < 2:
            raise MixedSubjectsError(f"arm {value!r} needs at least 2 labelled units")
    return levels


def _covariate_count(data: MixedSubjectsData) -> int:
    covariates = data.labelled.covariates
    return 0 if covariates is None else covariates.shape[1]


def _cluster_count(data: MixedSubjectsData) -> int | None:
    if not data.clustered:
        return None
    return int(data.cluster_codes()[2])
