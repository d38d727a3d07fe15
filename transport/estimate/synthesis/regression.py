"""Posterior draws of a mechanism with a continuous parent: a penalised regression.

The child's linear predictor is the design of design.py (a penalised spline for each
continuous parent unless a `model` statement says otherwise). A binary child is logistic, a
categorical or ordinal one is a chain of logistic sticks P(v = k | v >= k) (as discrete.py),
a continuous or count child is normal (in units of its pooled standard deviation, the
residual sd plugged in at its estimate). The coefficients' prior is Gaussian: a ridge of
scale 2.5 (5 for the intercept) plus lambda times the splines' second-difference penalty.
The posterior is the Laplace approximation at the MAP (Newton's method; exact for a normal
child), and lambda is chosen by maximising the Laplace approximation of the marginal
likelihood (empirical Bayes, as in Wood 2011's REML/ML smoothing selection).

Ties: a `shared` source's rows enter the fit as the target's own; under `partial V sd X`
the source's coefficients are the target's plus delta, delta ~ Normal(0, X^2) on every
coefficient (on the link scale: log-odds, or outcome sds), so the two are fitted jointly and
the target's coefficients keep a Gaussian posterior; a source left out of a borrowing
configuration is dropped (or, when the robust mixture names a looser fallback scale,
borrowed at that scale). Rows with identical parent values are merged into one weighted row
(the sufficient statistics of a logistic fit), so the cost follows the number of distinct
covariate values, not the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from transport.estimate.synthesis.borrowing import (
    Configuration,
    MechanismDraws,
    configurations,
    entering,
    mixture,
)
from transport.estimate.synthesis.design import Design
from transport.estimate.synthesis.discrete import from_sticks
from transport.estimate.synthesis.evidence import Group, MechanismEvidence

LOG_LAMBDA_BOUNDS = (-6.0, 12.0)
NEWTON_STEPS = 100
SELECT_STEPS = 50


@dataclass(frozen=True)
class RegressionSpec:
    """How the mechanism's rows become a fit: the design, the grid of parent values at which
    the child's distribution is evaluated for the g-formula (one row per cell of
    evidence.shape), and the child's standardisation when it is continuous."""

    design: Design
    grid: np.ndarray
    family: str  # "logistic" or "normal"
    centre: float = 0.0
    scale: float = 1.0
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def text(self) -> str:
        return " + ".join(
            " * ".join(_factor_text(f) for f in term.factors) for term in self.design.terms)


def _factor_text(f) -> str:
    if f.transform == "level" or f.transform == "linear":
        return f.variable
    if f.transform == "power":
        return f"{f.variable}^{f.degree}"
    return f"spline({f.variable}, {f.degree})"


@dataclass(frozen=True)
class Fit:
    """The Laplace posterior of the target's coefficients for one stick (or the mean)."""

    mean: np.ndarray
    cov: np.ndarray
    log_lambda: tuple[float, ...]
    sigma: float = 1.0


@dataclass(frozen=True)
class Block:
    """One group's rows for one stick: design rows, responses and weights, and the index of
    its shift block (None: the target's own coefficients)."""

    x: np.ndarray
    y: np.ndarray  # successes (logistic) or values (normal)
    n: np.ndarray  # trials (logistic) or weights (normal)
    shift: int | None


def _stacked(blocks: Sequence[Block], width: int, shifts: int) -> tuple[np.ndarray, ...]:
    rows = []
    for block in blocks:
        z = np.zeros((block.x.shape[0], width * (1 + shifts)))
        z[:, :width] = block.x
        if block.shift is not None:
            start = width * (1 + block.shift)
            z[:, start:start + width] = block.x
        rows.append(z)
    z = np.concatenate(rows) if rows else np.zeros((0, width * (1 + shifts)))
    y = np.concatenate([b.y for b in blocks]) if blocks else np.zeros(0)
    n = np.concatenate([b.n for b in blocks]) if blocks else np.zeros(0)
    return z, y, n


def _precision(ridge: np.ndarray, smooths: Sequence[np.ndarray], log_lambda: np.ndarray,
               shift_sds: Sequence[float]) -> np.ndarray:
    width = ridge.size
    size = width * (1 + len(shift_sds))
    out = np.zeros((size, size))
    out[:width, :width] = np.diag(ridge) + sum(
        (np.exp(ll) * smooth for ll, smooth in zip(log_lambda, smooths, strict=True)),
        np.zeros((width, width)))
    for i, sd in enumerate(shift_sds):
        start = width * (1 + i)
        out[start:start + width, start:start + width] = np.eye(width) / max(sd, 1e-6) ** 2
    return out


def _gram(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Z' diag(w) Z by einsum, not BLAS: for these small designs a threaded BLAS spends more
    time waking threads than computing (twenty times slower on a busy two-core machine)."""
    return np.einsum("ni,nj->ij", z * w[:, None], z)


def _logdet(matrix: np.ndarray) -> float:
    sign, value = np.linalg.slogdet(matrix)
    return float(value) if sign > 0 else -np.inf


def _logistic(z, s, n, precision, start) -> tuple[np.ndarray, np.ndarray, float]:
    """MAP, Hessian and Laplace log marginal likelihood of a penalised logistic fit."""
    theta = start.copy()

    def log_post(t):
        eta = z @ t
        return float(np.sum(s * eta - n * np.logaddexp(0.0, eta)) - 0.5 * t @ precision @ t)

    current = log_post(theta)
    for _ in range(NEWTON_STEPS):
        eta = z @ theta
        mu = special.expit(eta)
        grad = z.T @ (s - n * mu) - precision @ theta
        hessian = _gram(z, n * mu * (1 - mu)) + precision
        step = np.linalg.solve(hessian, grad)
        if float(grad @ step) < 1e-10:  # the Newton decrement: converged
            break
        scale = 1.0
        while scale > 1e-6:
            trial = theta + scale * step
            value = log_post(trial)
            if value >= current - 1e-12:
                break
            scale /= 2
        theta, current = trial, value
    mu = special.expit(z @ theta)
    hessian = _gram(z, n * mu * (1 - mu)) + precision
    log_ml = current + 0.5 * _logdet(precision) - 0.5 * _logdet(hessian)
    return theta, hessian, log_ml


def _normal(z, y, w, precision, sigma) -> tuple[np.ndarray, np.ndarray, float]:
    """The exact posterior and log marginal likelihood of a normal fit with sd sigma."""
    hessian = _gram(z, w) / sigma**2 + precision
    theta = np.linalg.solve(hessian, z.T @ (w * y) / sigma**2)
    resid = y - z @ theta
    log_lik = float(-0.5 * np.sum(w * resid**2) / sigma**2
                    - 0.5 * np.sum(w) * np.log(2 * np.pi * sigma**2))
    log_ml = log_lik - 0.5 * theta @ precision @ theta + 0.5 * (
        _logdet(precision) - _logdet(hessian))
    return theta, hessian, log_ml


def fit_blocks(blocks: Sequence[Block], ridge: np.ndarray, smooths: Sequence[np.ndarray],
               shift_sds: Sequence[float], family: str,
               log_lambda: Sequence[float] | None = None) -> Fit:
    """The target coefficients' Laplace posterior, each smoothing parameter by maximum
    marginal likelihood (or fixed at `log_lambda`)."""
    width = ridge.size
    z, y, n = _stacked(blocks, width, len(shift_sds))
    start = np.zeros(z.shape[1])
    if family == "logistic" and n.sum() > 0:
        start[0] = special.logit((y.sum() + 0.5) / (n.sum() + 1.0))
    state = {"theta": start}

    def solve(ll: np.ndarray, sigma: float):
        precision = _precision(ridge, smooths, ll, shift_sds)
        if family == "logistic":
            found = _logistic(z, y, n, precision, state["theta"])
        else:
            found = _normal(z, y, n, precision, sigma)
        state["theta"] = found[0]
        return found

    def sigma_at(ll: np.ndarray) -> float:
        s = 1.0
        for _ in range(4):  # the residual sd given lambda (the plug-in of a normal child)
            theta, hessian, _ = solve(ll, s)
            resid = y - z @ theta
            precision = _precision(ridge, smooths, ll, shift_sds)
            edf = float(np.trace(np.linalg.solve(hessian, hessian - precision)))
            dof = max(float(n.sum()) - edf, 1.0)
            s = float(np.sqrt(max(np.sum(n * resid**2) / dof, 1e-12)))
        return s

    if log_lambda is None:
        chosen = _select(smooths, len(y), ridge, shift_sds, solve, sigma_at, family)
    else:
        chosen = np.asarray(log_lambda, dtype=float)
    sigma = sigma_at(chosen) if family == "normal" and len(y) else 1.0
    theta, hessian, _ = solve(chosen, sigma)
    cov = np.linalg.inv(hessian)[:width, :width]
    return Fit(theta[:width], 0.5 * (cov + cov.T), tuple(float(v) for v in chosen), sigma)


def _select(smooths, rows, ridge, shift_sds, solve, sigma_at, family) -> np.ndarray:
    """The smoothing parameters that maximise the Laplace marginal likelihood, by the
    Fellner-Schall fixed point (Wood & Fasiolo 2017): at the optimum of each log lambda_j,
    tr(P^-1 S_j) - tr(H^-1 S_j) = beta' S_j beta, so lambda_j is multiplied by the ratio of
    the two sides until they agree. One penalised fit per step, a few steps in all."""
    chosen = np.zeros(len(smooths))
    if not smooths or not rows:
        return chosen
    width = ridge.size
    chosen[:] = 2.0
    low, high = LOG_LAMBDA_BOUNDS
    for _ in range(SELECT_STEPS):
        sigma = sigma_at(chosen) if family == "normal" else 1.0
        theta, hessian, _ = solve(chosen, sigma)
        prior = _precision(ridge, smooths, chosen, shift_sds)[:width, :width]
        inverse_prior = np.linalg.inv(prior)
        inverse = np.linalg.inv(hessian)[:width, :width]
        beta = theta[:width]
        updated = chosen.copy()
        for j, smooth in enumerate(smooths):
            numerator = float(np.sum(inverse_prior * smooth) - np.sum(inverse * smooth))
            denominator = float(beta @ smooth @ beta)
            if denominator <= 1e-12 or numerator <= 0:
                updated[j] = high if denominator <= 1e-12 else low
                continue
            updated[j] = chosen[j] + np.log(numerator / denominator)
        updated = np.clip(updated, low, high)
        if np.max(np.abs(updated - chosen)) < 0.01:
            return updated
        chosen = updated
    return chosen


def _merge(x: np.ndarray, y: np.ndarray, w: np.ndarray, family: str
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows with identical design rows merged: (successes, trials) for a logistic fit."""
    if family != "logistic" or not len(x):
        return x, y * 1.0, w
    unique, inverse = np.unique(x, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    s = np.bincount(inverse, weights=w * y, minlength=len(unique))
    n = np.bincount(inverse, weights=w, minlength=len(unique))
    return unique, s, n


def _group_rows(spec: RegressionSpec, group: Group) -> tuple[np.ndarray, np.ndarray,
                                                            np.ndarray]:
    table = group.table
    parents = len(spec.design.parents)
    x = spec.design.matrix(table[:, :parents])
    return x, table[:, parents], table[:, parents + 1]


def _stick_blocks(spec: RegressionSpec, members: Sequence[tuple[Group, int | None]],
                  stick: int | None) -> list[Block]:
    blocks = []
    for group, shift in members:
        x, y, w = _group_rows(spec, group)
        if stick is not None:
            keep = y >= stick
            x, y, w = x[keep], (y[keep] == stick).astype(float), w[keep]
        else:
            y = (y - spec.centre) / spec.scale
        x, y, n = _merge(x, y, w, spec.family)
        blocks.append(Block(x, y, n, shift))
    return blocks


def _fits(spec: RegressionSpec, evidence: MechanismEvidence,
          members: Sequence[tuple[Group, float | None]],
          log_lambdas: Sequence[float | None]) -> list[Fit]:
    shifted = [(g, sd) for g, sd in members if sd]
    index = {g.population: i for i, (g, _) in enumerate(shifted)}
    placed = [(g, index.get(g.population) if sd else None) for g, sd in members]
    ridge, smooths = spec.design.penalty()
    sds = [float(sd) for _, sd in shifted]
    sticks = list(range(evidence.levels - 1)) if spec.family == "logistic" else [None]
    return [fit_blocks(_stick_blocks(spec, placed, k), ridge, smooths, sds, spec.family, ll)
            for k, ll in zip(sticks, log_lambdas, strict=True)]


def smoothing(evidence: MechanismEvidence) -> list[tuple[float, ...]]:
    """The smoothing parameter of each stick, chosen once per mechanism by maximum marginal
    likelihood on every group's rows under the declared ties, and reused by every
    configuration and refit (so a tipping-point curve moves the tie, not the smoothness)."""
    spec: RegressionSpec = evidence.regression
    key = ("lambda", tuple((g.population, g.relation, float(g.sd or 0.0))
                           for g in evidence.groups))
    if key not in spec.cache:
        members = [(g, g.sd if g.relation == "partial" else None) for g in evidence.groups]
        sticks = evidence.levels - 1 if spec.family == "logistic" else 1
        fits = _fits(spec, evidence, members, [None] * sticks)
        spec.cache[key] = [f.log_lambda for f in fits]
    return spec.cache[key]


def regression_fits(evidence: MechanismEvidence,
                    members: Sequence[tuple[Group, float | None]]) -> list[Fit]:
    """One fit per stick (one for a normal child) of the target's coefficients from the
    given groups, each with its shift scale (None or 0: pooled as the target's own rows).
    Cached on the spec: every configuration and refit asks for the same few fits."""
    spec: RegressionSpec = evidence.regression
    key = tuple((g.population, g.relation, float(sd or 0.0)) for g, sd in members)
    if key not in spec.cache:
        spec.cache[key] = _fits(spec, evidence, members, smoothing(evidence))
    return spec.cache[key]


def _values(evidence: MechanismEvidence, fits: Sequence[Fit], draws: int,
            rng: np.random.Generator, prior: bool = False) -> np.ndarray:
    spec: RegressionSpec = evidence.regression
    grid = spec.design.matrix(spec.grid)
    out = []
    for fit in fits:
        if prior:
            ridge, smooths = spec.design.penalty()
            precision = _precision(ridge, smooths, np.asarray(fit.log_lambda), [])
            mean, cov = np.zeros(ridge.size), np.linalg.inv(precision)
        else:
            mean, cov = fit.mean, fit.cov
        theta = rng.multivariate_normal(mean, cov, size=draws, method="eigh")
        out.append(theta @ grid.T)
    if spec.family == "normal":
        return spec.centre + spec.scale * out[0]
    return from_sticks(special.expit(np.stack(out, axis=-1)))


def regression_draws(
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
    """Draws of the target's (or a population's own) mechanism at every grid cell:
    probabilities (draws x cells x levels), or means (draws x cells) for a normal child."""
    own = evidence.target
    borrowed = evidence.borrowed if groups is None else groups
    sds = sds or {}
    fallback = fallback_sds or {}
    configs = configurations(log_marginal or {}, len(borrowed), bool(log_marginal))

    def members(config: Configuration) -> list[tuple[Group, float | None]]:
        own_rows = [(own, None)] if own is not None else []
        return own_rows + entering(config, borrowed, sds, fallback)

    if prior_only:
        fits = regression_fits(evidence,
                               members(Configuration(tuple(range(len(borrowed))), 1.0)))
        values = _values(evidence, fits, draws, rng, prior=True)
        return MechanismDraws(values, (Configuration(tuple(range(len(borrowed))), 1.0),),
                              tuple(g.population for g in borrowed))

    def draw_one(config: Configuration, n: int) -> np.ndarray:
        return _values(evidence, regression_fits(evidence, members(config)), n, rng)

    return MechanismDraws(mixture(configs, draws, rng, draw_one), configs,
                          tuple(g.population for g in borrowed))
