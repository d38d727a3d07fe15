"""Prediction-powered sufficient statistics for one mechanism of the target: a Bayesian
PPI posterior per parent cell, moment-matched to the counts (or n, sum, sum of squares)
whose conjugate posterior in the joint model has the same mean and variance.

Per parent cell the model is the stratified one of Bayesian prediction-powered inference
(Hofer et al. 2024): the units' predictions are cut into bins (their distinct values when
there are at most MAX_BINS, else quantile bins of the labelled units' predictions), the
bins' shares P(bin | cell) are Dirichlet from every unit with a prediction, labelled or
not, and the answer given the bin, P(v | bin, cell), is Dirichlet (a discrete variable) or
normal (a continuous one) from the labelled units alone; the cell's distribution is
sum_b P(bin) P(v | bin). Its posterior mean and variance are exact (Dirichlet moments, no
draws). Clusters enter as a design effect (clusters.py) on the influence function of the
same stratified estimator, so a respondent's labelled and unlabelled rows count as one
cluster. Valid when the labelled units are a random sample of all the units with
predictions (within each parent cell); nothing is assumed about the predictions: useless
ones give about the labelled units' own information, perfect ones about all units'.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from transport.estimate.synthesis.clusters import design_effects

PRIOR = 0.5  # Jeffreys pseudo-counts for bin shares and answers given a bin
MAX_BINS = 10
LABELLED_PER_BIN = 20  # quantile bins: at least this many labelled rows per bin and cell


@dataclass(frozen=True)
class PredictionRows:
    """Every unit with one source's prediction: its cell, prediction, weight and cluster
    code; `value` is the answer (level index, or number) where `labelled`, else unused."""

    cell: np.ndarray
    prediction: np.ndarray
    weight: np.ndarray
    cluster: np.ndarray
    labelled: np.ndarray
    value: np.ndarray


@dataclass(frozen=True)
class PoweredStatistics:
    """The effective statistics per cell, their effective n per cell and the bins used."""

    stats: np.ndarray
    effective_n: np.ndarray
    bins: int


def prediction_bins(rows: PredictionRows) -> tuple[np.ndarray, int]:
    """Each unit's bin and the number of bins."""
    distinct = np.unique(rows.prediction)
    if len(distinct) <= MAX_BINS:
        return np.searchsorted(distinct, rows.prediction), len(distinct)
    labelled = rows.prediction[rows.labelled]
    occupied = max(len(np.unique(rows.cell[rows.labelled])), 1)
    count = int(np.clip(len(labelled) // (LABELLED_PER_BIN * occupied), 2, MAX_BINS))
    edges = np.unique(np.quantile(labelled, np.linspace(0, 1, count + 1)[1:-1]))
    return np.searchsorted(edges, rows.prediction, side="right"), len(edges) + 1


def _share_moments(alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and second-moment matrix E[pi pi'] of Dirichlet(alpha)."""
    total = alpha.sum()
    second = (np.outer(alpha, alpha) + np.diag(alpha)) / (total * (total + 1.0))
    return alpha / total, second


def _discrete_cell(shares: np.ndarray, answers: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                        np.ndarray]:
    """Mean and variance per level of sum_b pi_b theta_b, and E[theta_b] (bins x levels)."""
    e_pi, second = _share_moments(PRIOR + shares)
    beta = PRIOR + answers
    b0 = beta.sum(axis=1, keepdims=True)
    e_theta = beta / b0
    e_theta2 = beta * (beta + 1.0) / (b0 * (b0 + 1.0))
    mean = e_pi @ e_theta
    square = np.einsum("ab,ak,bk->k", second, e_theta, e_theta)
    square += np.diag(second) @ (e_theta2 - e_theta**2)
    return mean, np.maximum(square - mean**2, 0.0), e_theta


def _gaussian_cell(shares: np.ndarray, n: np.ndarray, means: np.ndarray, sigma2: float
                   ) -> tuple[float, float]:
    """Mean and variance of sum_b pi_b mu_b, mu_b ~ N(mean_b, sigma2 / n_b)."""
    e_pi, second = _share_moments(PRIOR + shares)
    variance_b = sigma2 / np.maximum(n, 1.0)
    mean = float(e_pi @ means)
    square = float(means @ second @ means + np.diag(second) @ variance_b)
    return mean, max(square - mean**2, 0.0)


def _pooled_sigma2(cell_bin: np.ndarray, values: np.ndarray, weight: np.ndarray) -> float:
    """The labelled answers' variance within the groups `cell_bin` names, pooled."""
    keys, inverse = np.unique(cell_bin, return_inverse=True)
    inverse = inverse.ravel()
    w = np.bincount(inverse, weights=weight)
    mean = np.bincount(inverse, weights=weight * values) / np.maximum(w, 1e-300)
    within = float(np.sum(weight * (values - mean[inverse]) ** 2))
    df = float(weight.sum() - len(keys))
    if df > 1 and within > 0:
        return within / df
    spread = float(np.var(values))
    return spread if spread > 0 else 1.0


def powered_statistics(rows: PredictionRows, kind: str, levels: int, cells: int,
                       shape: tuple[int, ...] = (), treatment_axis: int | None = None
                       ) -> PoweredStatistics:
    """The prediction-powered effective statistics of every cell (zero where no unit with
    a prediction falls); `shape` and `treatment_axis` as in clusters.design_effects."""
    bin_of, bins = prediction_bins(rows)
    lab = rows.labelled
    shares = np.zeros((cells, bins))
    np.add.at(shares, (rows.cell, bin_of), rows.weight)
    width = levels if kind == "discrete" else 1
    means = np.zeros((cells, width))
    variances = np.zeros((cells, width))
    psi = np.zeros((len(rows.cell), width))
    occupied = shares.sum(axis=1) > 0
    if kind == "discrete":
        answers = np.zeros((cells, bins, levels))
        value = rows.value[lab].astype(np.int64)
        np.add.at(answers, (rows.cell[lab], bin_of[lab], value), rows.weight[lab])
        fitted = np.zeros((cells, bins, levels))
        for c in np.flatnonzero(occupied):
            present = (shares[c] > 0) | (answers[c].sum(axis=1) > 0)
            mean, variance, e_theta = _discrete_cell(shares[c, present], answers[c, present])
            means[c], variances[c] = mean, variance
            fitted[c, present] = e_theta
        own = fitted[rows.cell, bin_of]
        onehot = np.eye(levels)[np.where(lab, rows.value, 0).astype(np.int64)]
        labelled_total = answers.sum(axis=2)
    else:
        n_lab = np.zeros((cells, bins))
        totals = np.zeros((cells, bins))
        np.add.at(n_lab, (rows.cell[lab], bin_of[lab]), rows.weight[lab])
        np.add.at(totals, (rows.cell[lab], bin_of[lab]), rows.weight[lab] * rows.value[lab])
        sigma2 = _pooled_sigma2(rows.cell[lab] * bins + bin_of[lab], rows.value[lab],
                                rows.weight[lab])
        overall = float(np.average(rows.value[lab], weights=rows.weight[lab]))
        fitted = np.where(n_lab > 0, totals / np.maximum(n_lab, 1e-300), overall)
        for c in np.flatnonzero(occupied):
            present = (shares[c] > 0) | (n_lab[c] > 0)
            mean, variance = _gaussian_cell(shares[c, present], n_lab[c, present],
                                            fitted[c, present], sigma2)
            means[c, 0], variances[c, 0] = mean, variance
        own = fitted[rows.cell, bin_of][:, None]
        onehot = np.where(lab, rows.value, 0.0)[:, None]
        labelled_total = n_lab
    # influence of each unit on its cell's estimate: through the bin shares (every unit)
    # and through the answers given the bin (labelled units)
    cell_total = shares.sum(axis=1)
    psi += rows.weight[:, None] * (own - means[rows.cell]) / np.maximum(
        cell_total[rows.cell], 1e-300)[:, None]
    share_of = shares[rows.cell, bin_of] / np.maximum(cell_total[rows.cell], 1e-300)
    answer_total = labelled_total[rows.cell, bin_of]
    psi += np.where(lab, rows.weight * share_of / np.maximum(answer_total, 1e-300),
                    0.0)[:, None] * (onehot - own)
    deff = design_effects(psi, rows.cell, rows.cluster, cells, shape=shape,
                          treatment_axis=treatment_axis, sizes=np.ones(cells)).per_cell
    variances = variances * deff[:, None]
    if kind == "discrete":
        stats, effective = _matched_counts(means, variances, occupied)
    else:
        spread = _pooled_sigma2(rows.cell[lab], rows.value[lab], rows.weight[lab])
        stats, effective = _matched_moments(means[:, 0], variances[:, 0], occupied, spread)
    return PoweredStatistics(stats, effective, bins)


def _matched_counts(means: np.ndarray, variances: np.ndarray, occupied: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Counts c whose flat-Dirichlet posterior Dirichlet(1 + c) has the given means and the
    given total variance: concentration A = (1 - sum m^2) / sum var - 1, c = m A - 1."""
    cells, levels = means.shape
    counts = np.zeros((cells, levels))
    effective = np.zeros(cells)
    for c in np.flatnonzero(occupied):
        total_var = float(variances[c].sum())
        spread = 1.0 - float(means[c] @ means[c])
        if total_var <= 0 or spread <= 0:
            continue
        concentration = spread / total_var - 1.0
        counts[c] = np.maximum(means[c] * concentration - 1.0, 0.0)
        effective[c] = counts[c].sum()
    return counts, effective


def _matched_moments(means: np.ndarray, variances: np.ndarray, occupied: np.ndarray,
                     sigma2: float) -> tuple[np.ndarray, np.ndarray]:
    """n, sum and sum of squares whose cell mean has the given mean and variance sigma2 / n,
    with within-cell variance sigma2 (the labelled answers' own, pooled over cells: what the
    joint model's normal draws read as the outcome's spread)."""
    cells = means.size
    stats = np.zeros((cells, 3))
    effective = np.zeros(cells)
    for c in np.flatnonzero(occupied):
        if variances[c] <= 0:
            continue
        n = sigma2 / variances[c]
        stats[c] = (n, n * means[c], max(n - 1.0, 0.0) * sigma2 + n * means[c] ** 2)
        effective[c] = n
    return stats, effective
