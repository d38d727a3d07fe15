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
statistics.

When the treatment is one of the parents, the statistic the effect reads is the treatment
contrast, so the ratio is that of the contrasts of each arm's cell mean with the first
arm's, per stratum of the other parents, and every cell of the stratum gets it: a
respondent answering in both arms is a within-respondent comparison (their own level
cancels, the ratio can be near or below 1), a respondent in one arm is a cluster of that
arm's mean. This is Kish's design effect for a cluster sample, estimated from the data,
not a random-effects model: the dependence that a cluster spanning several strata creates
between them is not represented (docs/estimation.md says when that matters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PRIOR_CLUSTERS = 10.0


@dataclass(frozen=True)
class DesignEffects:
    """Per parent cell: the design effect (>= 1) and the clusters its statistic's rows span;
    `pooled` is the mechanism-level ratio (floored at 1) the cells were shrunk towards."""

    per_cell: np.ndarray
    clusters_per_cell: np.ndarray
    pooled: float
    clusters: int


def _corrected(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    factor = np.divide(count, count - 1.0, out=np.zeros_like(total), where=count > 1)
    return total * factor


def _ratios(parts: np.ndarray, stratum: np.ndarray, cluster: np.ndarray, strata: int
            ) -> tuple[np.ndarray, np.ndarray, float]:
    """Per stratum: the shrunk cluster / row sandwich ratio of the summed `parts`, the
    clusters in the stratum, and the pooled ratio."""
    rows = np.bincount(stratum, minlength=strata).astype(float)
    row_sum = np.bincount(stratum, weights=(parts**2).sum(axis=1), minlength=strata)
    pair = np.asarray(cluster, dtype=np.int64) * strata + stratum
    keys, inverse = np.unique(pair, return_inverse=True)
    summed = np.zeros((len(keys), parts.shape[1]))
    np.add.at(summed, inverse.ravel(), parts)
    pair_stratum = keys % strata
    groups = np.bincount(pair_stratum, minlength=strata).astype(float)
    cluster_sum = np.bincount(pair_stratum, weights=(summed**2).sum(axis=1), minlength=strata)
    naive = _corrected(row_sum, rows)
    robust = _corrected(cluster_sum, groups)
    usable = (groups > 1) & (naive > 0)
    pooled = float(robust[usable].sum() / naive[usable].sum()) if usable.any() else 1.0
    own = np.divide(robust, naive, out=np.full(strata, pooled), where=usable)
    weight = np.where(usable, groups, 0.0)
    shrunk = (weight * own + PRIOR_CLUSTERS * pooled) / (weight + PRIOR_CLUSTERS)
    return shrunk, groups, pooled


def design_effects(residuals: np.ndarray, cell: np.ndarray, cluster: np.ndarray,
                   cells: int, *, shape: tuple[int, ...] = (),
                   treatment_axis: int | None = None,
                   sizes: np.ndarray | None = None) -> DesignEffects:
    """Design effects from per-row residual vectors `residuals` (rows x D, each row's
    weighted deviation from its cell's mean), each row's cell and integer cluster code.

    With `treatment_axis` (the treatment is a parent; `shape` the parents' grid, `sizes`
    each cell's weighted size), the effect-relevant statistic is the treatment contrast:
    every cell of a stratum of the other parents gets the design effect of the contrasts
    of each arm's mean with the first arm's in that stratum. A cluster that spans the arms
    then counts as the within-cluster comparison it is (its own level cancels), and a
    cluster nested in one arm as before."""
    residuals = np.asarray(residuals, dtype=float).reshape(len(cell), -1)
    count = int(len(np.unique(cluster)))
    if count == len(cell):  # every row its own cluster: nothing to correct
        ones = np.ones(cells)
        return DesignEffects(ones, np.bincount(cell, minlength=cells).astype(float), 1.0,
                             count)
    if treatment_axis is None or sizes is None or shape[treatment_axis] < 2:
        shrunk, groups, pooled = _ratios(residuals, cell, cluster, cells)
        return DesignEffects(np.maximum(shrunk, 1.0), groups, max(pooled, 1.0), count)
    grid = np.unravel_index(cell, shape)
    arm = grid[treatment_axis]
    others = tuple(size for axis, size in enumerate(shape) if axis != treatment_axis)
    stratum = (np.ravel_multi_index(tuple(g for axis, g in enumerate(grid)
                                          if axis != treatment_axis), others)
               if others else np.zeros(len(cell), dtype=np.int64))
    strata = int(np.prod(others)) if others else 1
    influence = residuals / np.maximum(np.asarray(sizes, dtype=float)[cell], 1e-300)[:, None]
    arms = shape[treatment_axis]
    parts = np.zeros((len(cell), influence.shape[1] * (arms - 1)))
    for k in range(1, arms):
        sign = np.where(arm == k, 1.0, np.where(arm == 0, -1.0, 0.0))
        parts[:, (k - 1) * influence.shape[1]:k * influence.shape[1]] = influence * sign[:, None]
    shrunk, groups, pooled = _ratios(parts, stratum, cluster, strata)
    cell_grid = np.unravel_index(np.arange(cells), shape)
    cell_stratum = (np.ravel_multi_index(tuple(g for axis, g in enumerate(cell_grid)
                                               if axis != treatment_axis), others)
                    if others else np.zeros(cells, dtype=np.int64))
    return DesignEffects(np.maximum(shrunk[cell_stratum], 1.0), groups[cell_stratum],
                         max(pooled, 1.0), count)
