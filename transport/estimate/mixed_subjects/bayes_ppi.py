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
    rng = np.random.default_rng(seed)
    lab_codes, unl_codes, groups = data.cluster_codes()
    cluster_weights = rng.standard_exponential((draws, groups))
    prior_rng = np.random.default_rng([seed, 1])
    correlations = within_arm_correlations(data, arms)
    fits = []
    for name in names:
        model = _model_for(data, name, max_levels)
        means = [
            _arm_draws(data, name, arm, model, cluster_weights, lab_codes, unl_codes,
                       prior, prior_rng)
            for arm in arms
        ]
        effect = means[0] if control is None else means[0] - means[1]
        fits.append(BayesPredictorFit(
            predictor=name, model=model, draws=effect,
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


def _arm_draws(data: MixedSubjectsData, name: str, arm: object, model: str,
               cluster_weights: np.ndarray, lab_codes: np.ndarray, unl_codes: np.ndarray,
               prior: float, prior_rng: np.random.Generator) -> np.ndarray:
    """Draws of E[y | arm] under the model."""
    labelled, unlabelled = data.labelled, data.unlabelled
    groups = cluster_weights.shape[1]
    in_lab, in_unl = labelled.arm == arm, unlabelled.arm == arm
    f_lab = labelled.predictions[name][in_lab]
    f_unl = unlabelled.predictions[name][in_unl]
    y = labelled.outcome[in_lab]
    w_lab, w_unl = labelled.weights()[in_lab], unlabelled.weights()[in_unl]
    codes_lab, codes_unl = lab_codes[in_lab], unl_codes[in_unl]

    def per_cluster(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=values, minlength=groups)

    if model == "discrete":
        levels = np.unique(np.concatenate([f_lab, f_unl]))
        draws = cluster_weights.shape[0]
        shape = (draws, len(levels))
        level_counts = np.column_stack([
            per_cluster(codes_lab, w_lab * (f_lab == v)) + per_cluster(codes_unl,
                                                                       w_unl * (f_unl == v))
            for v in levels])
        ones = np.column_stack([per_cluster(codes_lab, w_lab * (f_lab == v) * y)
                                for v in levels])
        zeros = np.column_stack([per_cluster(codes_lab, w_lab * (f_lab == v) * (1 - y))
                                 for v in levels])
        p_level = cluster_weights @ level_counts + prior_rng.gamma(prior, size=shape)
        p_level /= p_level.sum(axis=1, keepdims=True)
        yes = cluster_weights @ ones + prior_rng.gamma(prior, size=shape)
        no = cluster_weights @ zeros + prior_rng.gamma(prior, size=shape)
        return (p_level * yes / (yes + no)).sum(axis=1)
    stats_lab = np.column_stack([per_cluster(codes_lab, w_lab * v)
                                 for v in (np.ones_like(y), f_lab, f_lab**2, y, f_lab * y)])
    stats_all = np.column_stack([
        per_cluster(codes_lab, w_lab) + per_cluster(codes_unl, w_unl),
        per_cluster(codes_lab, w_lab * f_lab) + per_cluster(codes_unl, w_unl * f_unl)])
    s0, s_f, s_ff, s_y, s_fy = (cluster_weights @ stats_lab).T
    t0, t_f = (cluster_weights @ stats_all).T
    mean_f_lab, mean_y = s_f / s0, s_y / s0
    spread = s_ff / s0 - mean_f_lab**2
    slope = np.where(spread > 1e-12 * (1 + mean_f_lab**2),
                     (s_fy / s0 - mean_f_lab * mean_y) / np.maximum(spread, 1e-300), 0.0)
    return mean_y + slope * (t_f / t0 - mean_f_lab)
