"""Posterior draws of a continuous (or count) outcome's conditional mean E[v | parents],
normal and conjugate.

Each group of rows gives, per parent cell, a mean with variance sigma^2 / n (sigma the
group's pooled within-cell standard deviation). A `partial V sd X` source enters as a power
prior whose power makes its treatment contrast worth a Normal(0, X sigma) shift (the shift
is measured in outcome standard deviations). With two or more parents, the cell means
get a hierarchical prior N(x_j' beta, tau^2) around an additive model of the parents' main
effects, beta and tau by maximum marginal likelihood, beta's uncertainty carried into every
draw; with at most one parent the cells are estimated separately. The robust mixture follows
borrowing.py, its weights conflict.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from transport.estimate.synthesis.borrowing import (
    Configuration,
    MechanismDraws,
    configurations,
    mixture,
)
from transport.estimate.synthesis.discrete import design, saturated
from transport.estimate.synthesis.evidence import Group, MechanismEvidence

VAGUE_SCALE = 3.0


def group_sigma(stats: np.ndarray) -> float:
    """Pooled within-cell standard deviation of a group's rows."""
    n, total, squares = stats[:, 0], stats[:, 1], stats[:, 2]
    seen = n > 0
    within = float(np.sum(squares[seen] - total[seen] ** 2 / n[seen]))
    df = float(np.sum(n[seen] - 1))
    if df >= 2 and within > 0:
        return float(np.sqrt(within / df))
    rows = float(n.sum())
    if rows >= 2:
        mean = total.sum() / rows
        variance = (squares.sum() - rows * mean**2) / (rows - 1)
        if variance > 0:
            return float(np.sqrt(variance))
    return 1.0


@dataclass(frozen=True)
class CellMeans:
    """Per cell: an estimate of the mean and its variance (inf where the cell is empty)."""

    mean: np.ndarray
    variance: np.ndarray

    @staticmethod
    def of(group: Group, sigma: float) -> CellMeans:
        n, total = group.stats[:, 0], group.stats[:, 1]
        mean = np.divide(total, n, out=np.zeros_like(total), where=n > 0)
        variance = np.divide(sigma**2, n, out=np.full_like(n, np.inf), where=n > 0)
        return CellMeans(mean, variance)


def combine(items: list[CellMeans], cells: int) -> CellMeans:
    """Precision-weighted combination of independent estimates of the same cell means."""
    precision = np.zeros(cells)
    weighted = np.zeros(cells)
    for item in items:
        p = np.where(np.isfinite(item.variance), 1.0 / item.variance, 0.0)
        precision += p
        weighted += p * item.mean
    mean = np.divide(weighted, precision, out=np.zeros(cells), where=precision > 0)
    variance = np.divide(1.0, precision, out=np.full(cells, np.inf), where=precision > 0)
    return CellMeans(mean, variance)


def _hierarchical(
    combined: CellMeans, shape: tuple[int, ...], axis: int | None
) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """beta, its covariance, tau^2 and the design, by maximum marginal likelihood."""
    x = design(shape, axis)
    seen = np.isfinite(combined.variance)
    xs, ys, vs = x[seen], combined.mean[seen], combined.variance[seen]

    def gls(tau2: float) -> tuple[np.ndarray, np.ndarray, float]:
        w = 1.0 / (tau2 + vs)
        info = xs.T @ (xs * w[:, None]) + np.eye(x.shape[1]) * 1e-8
        beta = np.linalg.solve(info, xs.T @ (w * ys))
        resid = ys - xs @ beta
        loglik = -0.5 * np.sum(np.log(tau2 + vs) + w * resid**2)
        return beta, np.linalg.inv(info), float(loglik)

    spread = float(np.var(ys)) if ys.size > 1 else 1.0
    found = optimize.minimize_scalar(
        lambda lt: -gls(np.exp(lt))[2], bounds=(np.log(spread * 1e-6 + 1e-12),
                                                 np.log(spread * 10 + 1e-6)),
        method="bounded",
    )
    tau2 = float(np.exp(found.x))
    beta, cov, _ = gls(tau2)
    return beta, cov, tau2, x


def _mean_draws(
    combined: CellMeans, evidence: MechanismEvidence, draws: int, rng: np.random.Generator,
    sigma: float,
) -> np.ndarray:
    shape, axis = evidence.shape, evidence.treatment_axis
    seen = np.isfinite(combined.variance)
    cells = combined.mean.size
    if not seen.any():
        return rng.normal(0.0, VAGUE_SCALE * sigma * 10, size=(draws, cells))
    if saturated(shape, axis) or seen.sum() <= design(shape, axis).shape[1]:
        centre = float(np.average(combined.mean[seen], weights=1 / combined.variance[seen]))
        mean = np.where(seen, combined.mean, centre)
        sd = np.where(seen, np.sqrt(np.where(seen, combined.variance, 1.0)),
                      VAGUE_SCALE * sigma)
        return mean + sd * rng.standard_normal((draws, cells))
    beta, cov, tau2, x = _hierarchical(combined, shape, axis)
    betas = rng.multivariate_normal(beta, cov, size=draws, method="eigh")
    prior_mean = betas @ x.T
    precision = np.where(seen, 1.0 / np.where(seen, combined.variance, 1.0), 0.0) + 1 / tau2
    post_mean = (np.where(seen, combined.mean / np.where(seen, combined.variance, 1.0), 0.0)
                 + prior_mean / tau2) / precision
    return post_mean + rng.standard_normal((draws, cells)) / np.sqrt(precision)


def gaussian_draws(
    evidence: MechanismEvidence,
    draws: int,
    rng: np.random.Generator,
    *,
    groups: tuple[Group, ...] | None = None,
    sds: dict[str, float | None] | None = None,
    log_marginal: dict[tuple[int, ...], float] | None = None,
    fallback_sds: dict[str, float] | None = None,
    prior_only: bool = False,
) -> MechanismDraws:
    """Draws (draws x cells) of the target's (or a population's own) cell means."""
    own = evidence.target
    borrowed = evidence.borrowed if groups is None else groups
    sds = sds or {}
    cells = evidence.cells
    reference = group_sigma(own.stats) if own is not None else None
    if prior_only:
        every = [g.stats for g in (own, *borrowed) if g is not None]
        total = sum(every) if every else np.zeros((cells, 3))
        sigma = group_sigma(total)
        rows = max(float(total[:, 0].sum()), 1.0)
        centre = float(total[:, 1].sum() / rows)
        means = centre + VAGUE_SCALE * sigma * rng.standard_normal((draws, cells))
        return MechanismDraws(means, (Configuration(tuple(range(len(borrowed))), 1.0),),
                              tuple(g.population for g in borrowed))
    pieces, weaker = [], []
    fallback = fallback_sds or {}
    for group in borrowed:
        sigma = group_sigma(group.stats)
        sd = sds.get(group.population, group.sd)
        pieces.append(CellMeans.of(group, sigma) if not sd
                      else _shifted(group, sigma, reference or sigma, sd, evidence))
        loose = fallback.get(group.population)
        weaker.append(None if loose is None else
                      _shifted(group, sigma, reference or sigma, loose, evidence))
    own_means = CellMeans.of(own, reference) if own is not None else None
    configs = configurations(log_marginal or {}, len(pieces), bool(log_marginal))
    sigma = reference or (group_sigma(borrowed[0].stats) if borrowed else 1.0)

    def draw_one(config: Configuration, n: int) -> np.ndarray:
        items = [pieces[i] if i in config.used else weaker[i] for i in range(len(pieces))]
        items = [item for item in items if item is not None]
        if own_means is not None:
            items.append(own_means)
        return _mean_draws(combine(items, cells), evidence, n, rng, sigma)

    return MechanismDraws(mixture(configs, draws, rng, draw_one), configs,
                          tuple(g.population for g in borrowed))


def _shifted(
    group: Group, sigma: float, reference: float, sd: float, evidence: MechanismEvidence
) -> CellMeans:
    """A partial source's cell means as a power prior: their variances divided by
    v / (v + X^2), v the variance (in outcome sds) of the source's treatment contrast (or of
    its overall mean when the treatment is not a parent)."""
    plain = CellMeans.of(group, sigma)
    n = group.stats[:, 0]
    axis = evidence.treatment_axis
    if axis is None:
        variance = 1.0 / max(float(n.sum()), 1.0)
    else:
        other = tuple(i for i in range(len(evidence.shape)) if i != axis)
        per_level = n.reshape(evidence.shape).sum(axis=other)
        inverse = 1.0 / np.maximum(per_level, 1.0)
        variance = float(np.mean(inverse[0] + inverse[1:])) if inverse.size > 1 else inverse[0]
    variance *= (sigma / reference) ** 2
    weight = variance / (variance + sd**2)
    return CellMeans(plain.mean, plain.variance / weight)
