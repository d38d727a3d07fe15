"""Posterior draws of a discrete mechanism P(v | parents), exact and conjugate.

A distribution over K levels is written as K - 1 binary "sticks": P(v = k | v >= k).
Independent Beta posteriors on the sticks are conjugate to counts, and with Beta(1, 1)
sticks they reproduce a flat Dirichlet exactly, so every tie (pooled counts, power-
discounted counts of a `partial` source, the robust mixture) is applied stick by stick.

Sparse cells: with two or more parents, the cells are not given independent flat priors
(with three rows a cell a flat prior drags every cell towards 1/2). Each stick's cells get
a Beta(kappa m_j, kappa (1 - m_j)) prior centred on an additive logistic model of the
parents' main effects, m_j = logistic(x_j' beta), with beta and kappa set by maximising the
beta-binomial marginal likelihood (empirical Bayes) and beta's uncertainty carried into
every draw through its Laplace approximation. Where the data show interactions, kappa comes
out small and the cells follow their own counts; where they do not, the cells borrow from
each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from transport.estimate.synthesis.borrowing import (
    Configuration,
    MechanismDraws,
    configurations,
    mixture,
)
from transport.estimate.synthesis.evidence import Group, MechanismEvidence

FLAT = 1.0
BETA_PRIOR_SD = 2.5
LOG_KAPPA_PRIOR = (np.log(20.0), 2.0)


def sticks(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per stick (columns): successes and failures of each cell (rows)."""
    remaining = np.cumsum(counts[:, ::-1], axis=1)[:, ::-1]
    successes = counts[:, :-1]
    failures = remaining[:, 1:]
    return successes, failures


def from_sticks(values: np.ndarray) -> np.ndarray:
    """Probabilities (..., K) from stick fractions (..., K - 1)."""
    rest = np.cumprod(1.0 - values, axis=-1)
    first = values[..., :1]
    middle = values[..., 1:] * rest[..., :-1]
    return np.concatenate([first, middle, rest[..., -1:]], axis=-1)


def logit_variance(successes: np.ndarray, failures: np.ndarray) -> np.ndarray:
    """The approximate variance of a log-odds estimate (with half a row added)."""
    return 1.0 / (successes + 0.5) + 1.0 / (failures + 0.5)


def contrast_variance(per_level: np.ndarray) -> np.ndarray:
    """Given (levels x sticks) variances of each treatment level's log-odds, the variance
    of a contrast with the first level, averaged over the other levels."""
    if per_level.shape[0] < 2:
        return per_level[0]
    return np.mean(per_level[0][None, :] + per_level[1:], axis=0)


def power(
    group: Group, sd: float | None, shape: tuple[int, ...], treatment_axis: int | None
) -> np.ndarray:
    """The power (per stick) that turns `partial sd X` into a power prior: v / (v + X^2),
    v the variance of the source's estimate of the mechanism's effect-relevant coefficient
    (the treatment's log-odds contrast when the treatment is a parent, else the overall
    log-odds), so the source tells the target that coefficient to within sqrt(v + X^2)
    however many rows it has (the commensurate prior on that coefficient)."""
    successes, failures = sticks(group.stats)
    if sd is None or sd <= 0:
        return np.ones(successes.shape[1])
    sticks_count = successes.shape[1]
    if treatment_axis is None:
        variance = logit_variance(successes.sum(axis=0), failures.sum(axis=0))
    else:
        grid = (*shape, sticks_count)
        other = tuple(i for i in range(len(shape)) if i != treatment_axis)
        s = successes.reshape(grid).sum(axis=other)
        f = failures.reshape(grid).sum(axis=other)
        variance = contrast_variance(logit_variance(s, f))
    return variance / (variance + sd**2)


def discount(
    group: Group, sd: float | None, shape: tuple[int, ...], treatment_axis: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """A borrowed group's successes and failures per stick, power-discounted for `partial`."""
    successes, failures = sticks(group.stats)
    weight = power(group, sd, shape, treatment_axis)
    return successes * weight, failures * weight


def design(shape: tuple[int, ...], treatment_axis: int | None = None) -> np.ndarray:
    """Intercept, one-hot main effects (first level dropped) for every parent, and the
    treatment's interactions with every other parent: the lower-order model that sparse cells
    shrink towards keeps effect modification, which transport depends on."""
    cells = int(np.prod(shape)) if shape else 1
    columns = [np.ones(cells)]
    if not shape:
        return np.column_stack(columns)
    grids = np.unravel_index(np.arange(cells), shape)
    main: dict[int, list[np.ndarray]] = {}
    for axis, size in enumerate(shape):
        main[axis] = [(grids[axis] == level).astype(float) for level in range(1, size)]
        columns.extend(main[axis])
    if treatment_axis is not None:
        for axis in main:
            if axis != treatment_axis:
                for a in main[treatment_axis]:
                    columns.extend(a * b for b in main[axis])
    return np.column_stack(columns)


def saturated(shape: tuple[int, ...], treatment_axis: int | None = None) -> bool:
    """True when the lower-order model has as many parameters as there are cells."""
    return design(shape, treatment_axis).shape[1] >= (int(np.prod(shape)) if shape else 1)


@dataclass(frozen=True)
class BaseFit:
    """The empirical-Bayes prior of one stick: beta, log kappa and their covariance."""

    mean: np.ndarray
    cov: np.ndarray


def _objective(theta: np.ndarray, x: np.ndarray, s: np.ndarray, f: np.ndarray):
    beta, log_kappa = theta[:-1], theta[-1]
    kappa = np.exp(log_kappa)
    m = special.expit(x @ beta)
    a, b = kappa * m, kappa * (1 - m)
    t = s + f
    value = np.sum(special.gammaln(kappa) - special.gammaln(kappa + t)
                   + special.gammaln(a + s) - special.gammaln(a)
                   + special.gammaln(b + f) - special.gammaln(b))
    centre, spread = LOG_KAPPA_PRIOR
    value -= 0.5 * np.sum(beta**2) / BETA_PRIOR_SD**2
    value -= 0.5 * (log_kappa - centre) ** 2 / spread**2
    dm = kappa * (special.digamma(a + s) - special.digamma(a)
                  - special.digamma(b + f) + special.digamma(b))
    grad_beta = x.T @ (dm * m * (1 - m)) - beta / BETA_PRIOR_SD**2
    dk = np.sum(special.digamma(kappa) - special.digamma(kappa + t)
                + m * (special.digamma(a + s) - special.digamma(a))
                + (1 - m) * (special.digamma(b + f) - special.digamma(b)))
    grad_kappa = dk * kappa - (log_kappa - centre) / spread**2
    return -value, -np.append(grad_beta, grad_kappa)


def fit_base(x: np.ndarray, s: np.ndarray, f: np.ndarray) -> BaseFit:
    """Maximise the beta-binomial marginal likelihood over (beta, log kappa); the Laplace
    covariance comes from a finite-difference Hessian of the analytic gradient."""
    rows = (s + f) > 0
    x, s, f = x[rows], s[rows], f[rows]
    start = np.zeros(x.shape[1] + 1)
    total = s.sum() + f.sum()
    start[0] = special.logit((s.sum() + 0.5) / (total + 1.0))
    start[-1] = LOG_KAPPA_PRIOR[0]
    found = optimize.minimize(_objective, start, args=(x, s, f), jac=True, method="BFGS")
    theta = found.x
    size = theta.size
    hessian = np.empty((size, size))
    step = 1e-4
    for i in range(size):
        up, down = theta.copy(), theta.copy()
        up[i] += step
        down[i] -= step
        hessian[:, i] = (_objective(up, x, s, f)[1] - _objective(down, x, s, f)[1]) / (2 * step)
    hessian = 0.5 * (hessian + hessian.T)
    values, vectors = np.linalg.eigh(hessian)
    values = np.clip(values, 1e-6, None)
    cov = (vectors / values) @ vectors.T
    return BaseFit(theta, cov)


def _stick_draws(
    s: np.ndarray, f: np.ndarray, evidence: MechanismEvidence, draws: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Draws (draws x cells) of one stick's fractions given pooled (pseudo-)counts."""
    shape, axis = evidence.shape, evidence.treatment_axis
    if saturated(shape, axis) or (s.sum() + f.sum()) == 0:
        return rng.beta(FLAT + s, FLAT + f, size=(draws, s.size))
    x = design(shape, axis)
    base = fit_base(x, s, f)
    theta = rng.multivariate_normal(base.mean, base.cov, size=draws, method="eigh")
    m = special.expit(theta[:, :-1] @ x.T)
    kappa = np.exp(theta[:, -1:])
    a = np.clip(kappa * m, 1e-6, None) + s
    b = np.clip(kappa * (1 - m), 1e-6, None) + f
    return rng.beta(a, b)


def discrete_draws(
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
    """The target's (or a population's own) mechanism: its own rows, plus every borrowed
    group's rows as its tie allows, mixed over borrowing configurations (weighted by
    `log_marginal` when given, see conflict.py; else every group borrowed). A group left out
    of a configuration is dropped, or, when `fallback_sds` names it (a `partial` claim's
    robust alternative), borrowed with that looser shift scale."""
    own = evidence.target
    borrowed = evidence.borrowed if groups is None else groups
    sds = sds or {}
    cells, k = evidence.cells, evidence.levels
    zero = np.zeros((cells, k - 1))
    if own is not None and not prior_only:
        own_s, own_f = sticks(own.stats)
    else:
        own_s, own_f = zero, zero
    pieces, weaker = [], []
    fallback = fallback_sds or {}
    if not prior_only:
        for group in borrowed:
            pieces.append(discount(group, sds.get(group.population, group.sd),
                                   evidence.shape, evidence.treatment_axis))
            loose = fallback.get(group.population)
            weaker.append(None if loose is None else
                          discount(group, loose, evidence.shape, evidence.treatment_axis))
    configs = configurations(log_marginal or {}, len(pieces), bool(log_marginal))

    def draw_one(config: Configuration, n: int) -> np.ndarray:
        chosen = [pieces[i] if i in config.used else weaker[i] for i in range(len(pieces))]
        s = own_s + sum((c[0] for c in chosen if c is not None), zero)
        f = own_f + sum((c[1] for c in chosen if c is not None), zero)
        values = np.stack([_stick_draws(s[:, j], f[:, j], evidence, n, rng)
                           for j in range(k - 1)], axis=-1)
        return from_sticks(values)

    return MechanismDraws(mixture(configs, draws, rng, draw_one), configs,
                          tuple(g.population for g in borrowed))
