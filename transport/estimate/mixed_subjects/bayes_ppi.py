"""Bayesian prediction-powered inference (in the spirit of Hofer, Maynez, Dhingra, Fisch,
Globerson & Cohen 2024, "Bayesian Prediction-Powered Inference", arXiv:2405.06034): a joint
model of the predictions on all units and of the human answer given the prediction on the
labelled units, per arm; the arm mean is E[y | arm] = Σ_f E[y | f, arm] P(f | arm).

Two models, both drawn exactly (no MCMC):

* "discrete" (binary outcome, predictions with at most `max_levels` values): P(f | arm) is
  Dirichlet and P(y = 1 | f, arm) Beta, the conjugate posteriors with a Jeffreys prior
  (all pseudo-counts `prior`), from weighted counts.
* "regression" (otherwise): E[y | f, arm] = α + β f fitted on the labelled units and E[f | arm]
  on all units, so the arm mean is α + β E[f | arm].

Clusters and weights enter through one device, the weighted Bayesian bootstrap over clusters:
every draw gives each cluster an Exp(1) weight (shared by its labelled and unlabelled rows)
that multiplies each row's design weight. For the discrete model the cell counts are these
weighted sums plus Gamma(prior) draws, so with no clusters and no weights each draw is
exactly one from the conjugate Dirichlet–Beta posterior (a sum of independent Exp(1) is
Gamma(count), normalised Gammas are Dirichlet); with clusters the spread grows by the
within-cluster dependence as a cluster random effect would make it, without a parametric
form for it; with weights each draw is the posterior of the weighted (Hájek) population
functional. docs/mixed_subjects.md gives the reasoning.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from transport.estimate.mixed_subjects.diagnostics import within_arm_correlations
from transport.estimate.mixed_subjects.inputs import MixedSubjectsData, MixedSubjectsError
from transport.estimate.mixed_subjects.results import (
    BayesPPIResult,
    BayesPredictorFit,
    uninformative_warning,
)

SMALLEST = "smallest"
JEFFREYS = 0.5
BLOCK_SIZE = 2_000_000  # cluster weights drawn per block of draws: memory stays bounded


def bayes_ppi(
    data: MixedSubjectsData,
    treated: object,
    control: object | None = None,
    *,
    predictor: str = SMALLEST,
    draws: int = 4000,
    seed: int = 0,
    prior: float = JEFFREYS,
    max_levels: int = 10,
) -> BayesPPIResult:
    """Posterior draws of E[y | treated] − E[y | control] (of E[y | treated] when `control`
    is None) from the joint model, for each predictor; the reported one is `predictor`, or
    by default the one with the narrowest 95% HDI. Same data and seed give the same draws."""
    names = data.predictors
    if predictor != SMALLEST and predictor not in names:
        raise MixedSubjectsError(
            f"no predictions from {predictor}; the data have {', '.join(names)}")
    if draws < 100:
        raise MixedSubjectsError("needs at least 100 draws")
    arms = [treated] if control is None else [treated, control]
    for arm in arms:
        if np.count_nonzero(data.labelled.arm == arm) < 2:
            raise MixedSubjectsError(f"arm {arm!r} needs at least 2 labelled units")
    lab_codes, unl_codes, groups = data.cluster_codes()
    correlations = within_arm_correlations(data, arms)
    models = {name: _model_for(data, name, max_levels) for name in names}
    statistics = {
        (name, position): _arm_statistics(data, name, arm, models[name], lab_codes, unl_codes,
                                          groups)
        for name in names for position, arm in enumerate(arms)
    }
    priors = {key: np.random.default_rng([seed, zlib.crc32(key[0].encode()), key[1]])
              for key in statistics}
    rng = np.random.default_rng(seed)
    block = max(1, min(draws, BLOCK_SIZE // groups))
    parts: dict[tuple[str, int], list[np.ndarray]] = {key: [] for key in statistics}
    for start in range(0, draws, block):
        cluster_weights = rng.standard_exponential((min(block, draws - start), groups))
        for key, stats in statistics.items():
            parts[key].append(_arm_means(stats, cluster_weights @ stats.sums, prior,
                                         priors[key]))
    fits = []
    for name in names:
        means = [np.concatenate(parts[name, position]) for position in range(len(arms))]
        effect = means[0] if control is None else means[0] - means[1]
        fits.append(BayesPredictorFit(
            predictor=name, model=models[name], draws=effect,
            within_arm_correlation=correlations[name],
            warning=uninformative_warning(name, correlations[name])))
    if predictor == SMALLEST:
        chosen = min(fits, key=lambda fit: fit.hdi_95[1] - fit.hdi_95[0])
        choice = "smallest_interval"
    else:
        chosen, choice = fits[names.index(predictor)], "named"
    return BayesPPIResult(chosen=chosen, choice=choice, fits=tuple(fits),
                          n_clusters=groups if data.clustered else None,
                          weighted=data.weighted)


def _model_for(data: MixedSubjectsData, name: str, max_levels: int) -> str:
    outcome = data.labelled.outcome
    binary = bool(np.all((outcome == 0) | (outcome == 1)))
    values = np.concatenate([data.labelled.predictions[name], data.unlabelled.predictions[name]])
    return "discrete" if binary and len(np.unique(values)) <= max_levels else "regression"


@dataclass(frozen=True)
class _ArmStatistics:
    """Per cluster, the weighted sums the arm's model needs: for "discrete", the counts of
    each prediction level on all units, then of y = 1 and y = 0 per level on the labelled
    ones; for "regression", Σw, Σwf, Σwf², Σwy, Σwfy on the labelled and Σw, Σwf on all."""

    model: str
    sums: np.ndarray
    levels: int


def _arm_statistics(data: MixedSubjectsData, name: str, arm: object, model: str,
                    lab_codes: np.ndarray, unl_codes: np.ndarray, groups: int) -> _ArmStatistics:
    labelled, unlabelled = data.labelled, data.unlabelled
    in_lab, in_unl = labelled.arm == arm, unlabelled.arm == arm
    f_lab = labelled.predictions[name][in_lab]
    f_unl = unlabelled.predictions[name][in_unl]
    y = labelled.outcome[in_lab]
    w_lab, w_unl = labelled.weights()[in_lab], unlabelled.weights()[in_unl]
    codes_lab, codes_unl = lab_codes[in_lab], unl_codes[in_unl]

    def lab_sum(values: np.ndarray) -> np.ndarray:
        return np.bincount(codes_lab, weights=w_lab * values, minlength=groups)

    def all_sum(values_lab: np.ndarray, values_unl: np.ndarray) -> np.ndarray:
        return lab_sum(values_lab) + np.bincount(codes_unl, weights=w_unl * values_unl,
                                                 minlength=groups)

    if model == "discrete":
        levels = np.unique(np.concatenate([f_lab, f_unl]))
        columns = ([all_sum(f_lab == v, f_unl == v) for v in levels]
                   + [lab_sum((f_lab == v) * y) for v in levels]
                   + [lab_sum((f_lab == v) * (1 - y)) for v in levels])
        return _ArmStatistics(model, np.column_stack(columns), len(levels))
    columns = [lab_sum(v) for v in (np.ones_like(y), f_lab, f_lab**2, y, f_lab * y)]
    columns += [all_sum(np.ones_like(f_lab), np.ones_like(f_unl)), all_sum(f_lab, f_unl)]
    return _ArmStatistics(model, np.column_stack(columns), 0)


def _arm_means(stats: _ArmStatistics, totals: np.ndarray, prior: float,
               prior_rng: np.random.Generator) -> np.ndarray:
    """Draws of E[y | arm] from the cluster-weighted totals (one row per draw)."""
    if stats.model == "discrete":
        size = stats.levels
        pseudo = prior_rng.gamma(prior, size=totals.shape)
        counts = totals + pseudo
        p_level = counts[:, :size] / counts[:, :size].sum(axis=1, keepdims=True)
        yes, no = counts[:, size:2 * size], counts[:, 2 * size:]
        return (p_level * yes / (yes + no)).sum(axis=1)
    s0, s_f, s_ff, s_y, s_fy, t0, t_f = totals.T
    mean_f_lab, mean_y = s_f / s0, s_y / s0
    spread = s_ff / s0 - mean_f_lab**2
    slope = np.where(spread > 1e-12 * (1 + mean_f_lab**2),
                     (s_fy / s0 - mean_f_lab * mean_y) / np.maximum(spread, 1e-300), 0.0)
    return mean_y + slope * (t_f / t0 - mean_f_lab)
