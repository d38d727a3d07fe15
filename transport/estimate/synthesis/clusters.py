"""Design effects of clustered rows, per parent cell, for the joint model's sufficient
statistics.

Rows that share a cluster (a respondent, a persona, a prompt variant) are not independent,
so a cell's counts (or n, sum, sum of squares) overstate what the cell's rows know. The
design effect of a cell is the ratio of two sandwich variances of the cell's mean (the
proportion of each level for a discrete variable, the mean for a continuous one): one
summing each cluster's residuals before squaring, one squaring each row's residual
(both with the usual n / (n - 1) correction, clusters and rows respectively):

    deff_c = [G_c / (G_c - 1)] sum_g |sum_{i in g, c} u_i|^2 / ([n_c / (n_c - 1)] sum_i |u_i|^2)

with u_i = w_i (y_i - mean_c) (y_i the row's one-hot level for a discrete variable), w_i
the row's weight. Rows that are their own cluster give exactly 1; every row duplicated into
a cluster of two gives 2. A cell's ratio is shrunk towards the mechanism's pooled ratio
(all cells' sums) in proportion to its number of clusters (the pooled ratio counts as
PRIOR_CLUSTERS clusters), then floored at 1: dividing the cell's statistics by it gives
an effective sample size, and the conjugate draws stay exact given the effective
statistics. This is Kish's design effect for a cluster sample, estimated from the data,
not a random-effects model: the dependence between cells that a cluster spanning several
cells creates is not represented (docs/estimation.md says when that matters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PRIOR_CLUSTERS = 10.0


@dataclass(frozen=True)
class DesignEffects:
    """Per parent cell: the design effect (>= 1) and the clusters the cell's rows span;
    `pooled` is the mechanism-level ratio (floored at 1) the cells were shrunk towards."""

    per_cell: np.ndarray
    clusters_per_cell: np.ndarray
    pooled: float
    clusters: int


def _corrected(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    factor = np.divide(count, count - 1.0, out=np.zeros_like(total), where=count > 1)
    return total * factor


def design_effects(residuals: np.ndarray, cell: np.ndarray, cluster: np.ndarray,
                   cells: int) -> DesignEffects:
    """Design effects from per-row residual vectors `residuals` (rows x D, each row's
    weighted deviation from its cell's mean), each row's cell and integer cluster code."""
    residuals = np.asarray(residuals, dtype=float).reshape(len(cell), -1)
    count = int(len(np.unique(cluster)))
    if count == len(cell):  # every row its own cluster: nothing to correct
        ones = np.ones(cells)
        return DesignEffects(ones, np.bincount(cell, minlength=cells).astype(float), 1.0,
                             count)
    rows = np.bincount(cell, minlength=cells).astype(float)
    row_sum = np.bincount(cell, weights=(residuals**2).sum(axis=1), minlength=cells)
    pair = np.asarray(cluster, dtype=np.int64) * cells + cell
    keys, inverse = np.unique(pair, return_inverse=True)
    inverse = inverse.ravel()
    summed = np.zeros((len(keys), residuals.shape[1]))
    np.add.at(summed, inverse, residuals)
    pair_cell = keys % cells
    groups = np.bincount(pair_cell, minlength=cells).astype(float)
    cluster_sum = np.bincount(pair_cell, weights=(summed**2).sum(axis=1), minlength=cells)
    naive = _corrected(row_sum, rows)
    robust = _corrected(cluster_sum, groups)
    usable = (groups > 1) & (naive > 0)
    pooled = float(robust[usable].sum() / naive[usable].sum()) if usable.any() else 1.0
    own = np.divide(robust, naive, out=np.full(cells, pooled), where=usable)
    weight = np.where(usable, groups, 0.0)
    shrunk = (weight * own + PRIOR_CLUSTERS * pooled) / (weight + PRIOR_CLUSTERS)
    return DesignEffects(np.maximum(shrunk, 1.0), groups, max(pooled, 1.0), count)
