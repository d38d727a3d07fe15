"""The ungrouped calibration model without a sampler: REML, and the exact posterior.

The model (docs/calibration.md) is a linear regression with known, heteroscedastic
variances once tau is fixed:

    y_i ~ Normal(a + b x_i, v_i),   v_i = se_i^2 + tau^2,   (a, b) ~ Normal(m0, S0)

so given tau the posterior of beta = (a, b) is Normal (conjugate), and the marginal
likelihood p(y | tau) is closed-form. What is left is one dimension: tau's posterior
density p(tau | y) ∝ HalfNormal(tau; tau_sd) p(y | tau) is evaluated on a grid that covers
its mass (a coarse pass over [0, 8 tau_sd], then GRID points over the region holding all
but ~1e-12 of it), integrated with the trapezoid rule, and sampled by inverting its
piecewise-linear CDF; each tau draw then gets one exact draw of (a, b) given tau. The
draws are independent, so there is nothing to converge; quadrature error in tau's CDF is
below 1e-6 with the default grid (the tests compare it to NUTS on the bundled pairs).

`reml` is the restricted-maximum-likelihood fit of the same model (flat prior on beta, no
prior on tau), by Fisher scoring on tau^2 with O(n) sums: an instant preview, and the
point estimate the tests check against a direct numerical maximisation.

Pairs with weight 0 are left out (leave-one-study-out refits use the same code).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from transport.calibrate.posterior import Draws
from transport.calibrate.priors import Priors

GRID = 1001  # tau grid points over the posterior's mass
COARSE = 401  # points of the first pass over [0, 8 tau_sd]
RANGE_SDS = 8.0
LOO_GRID = 201  # leave-out posteriors are only integrated (trapezoid), never sampled
MASS_CUT = 1e-12  # the refined grid drops tails below this share of the peak density


@dataclass(frozen=True)
class RemlFit:
    """The REML estimates: tau, and the GLS line given it with its covariance."""

    a: float
    b: float
    tau: float
    cov: np.ndarray  # (2, 2) covariance of (a, b) given tau
    iterations: int

    def to_json(self) -> dict:
        return {"a": self.a, "b": self.b, "tau": self.tau,
                "se_a": float(np.sqrt(self.cov[0, 0])), "se_b": float(np.sqrt(self.cov[1, 1]))}


def _weights(n: int, keep: np.ndarray | None) -> np.ndarray:
    return np.ones(n) if keep is None else np.asarray(keep, dtype=float)


def _moments(x, y, inv_v, w):
    """Weighted sums over pairs for every row of inv_v: the 2x2 X'V^-1 X and X'V^-1 y."""
    wv = inv_v * w
    s0, s1, s2 = wv.sum(-1), (wv * x).sum(-1), (wv * x * x).sum(-1)
    t0, t1 = (wv * y).sum(-1), (wv * x * y).sum(-1)
    return s0, s1, s2, t0, t1


def _solve2(p00, p01, p11, r0, r1):
    """Solution and determinant of the symmetric 2x2 system [[p00, p01], [p01, p11]] z = r."""
    det = p00 * p11 - p01 * p01
    return (p11 * r0 - p01 * r1) / det, (p00 * r1 - p01 * r0) / det, det


def restricted_loglik(tau: float, x, y, se, keep=None) -> float:
    """The REML log-likelihood of tau (up to a constant), in O(n)."""
    w = _weights(len(x), keep)
    v = se**2 + tau**2
    inv_v = 1.0 / v
    s0, s1, s2, t0, t1 = _moments(x, y, inv_v, w)
    a, b, det = _solve2(s0, s1, s2, t0, t1)
    r = y - a - b * x
    return float(-0.5 * ((w * np.log(v)).sum() + np.log(det) + (w * inv_v * r * r).sum()))


def reml(x: np.ndarray, y: np.ndarray, se: np.ndarray, keep: np.ndarray | None = None,
         tol: float = 1e-12, max_iter: int = 200) -> RemlFit:
    """REML by Fisher scoring on tau^2 (truncated at 0), with the O(n) score

        U = (y'PPy - tr P) / 2,   I = tr(PP) / 2,   P = V^-1 - V^-1 X (X'V^-1 X)^-1 X'V^-1,

    then the GLS line given tau. Needs at least 3 pairs in the fit."""
    x, y, se = (np.asarray(v, dtype=float) for v in (x, y, se))
    w = _weights(len(x), keep)
    if w.sum() < 3:
        raise ValueError("REML needs at least 3 pairs")
    kept = w > 0
    t2 = max(float(np.var(y[kept], ddof=1) - np.mean(se[kept] ** 2)), 0.0)
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        inv_v = 1.0 / (se**2 + t2)
        s0, s1, s2, t0, t1 = _moments(x, y, inv_v, w)
        a, b, det = _solve2(s0, s1, s2, t0, t1)
        i00, i01, i11 = s2 / det, -s1 / det, s0 / det  # (X'V^-1 X)^-1
        u2 = (w * inv_v**2).sum(), (w * inv_v**2 * x).sum(), (w * inv_v**2 * x * x).sum()
        # tr(A^-1 B) for A = X'V^-1 X and B = X'V^-2 X, and tr((A^-1 B)^2)
        m00 = i00 * u2[0] + i01 * u2[1]
        m01 = i00 * u2[1] + i01 * u2[2]
        m10 = i01 * u2[0] + i11 * u2[1]
        m11 = i01 * u2[1] + i11 * u2[2]
        tr_ab = m00 + m11
        tr_abab = m00 * m00 + 2 * m01 * m10 + m11 * m11
        u3 = (w * inv_v**3).sum(), (w * inv_v**3 * x).sum(), (w * inv_v**3 * x * x).sum()
        tr_ac = i00 * u3[0] + 2 * i01 * u3[1] + i11 * u3[2]
        tr_p = (w * inv_v).sum() - tr_ab
        tr_pp = (w * inv_v**2).sum() - 2 * tr_ac + tr_abab
        py = w * inv_v * (y - a - b * x)
        score = 0.5 * ((py * py).sum() - tr_p)
        step = score / (0.5 * tr_pp)
        new = max(t2 + step, 0.0)
        done = abs(new - t2) <= tol * max(1.0, t2) or (new == 0.0 and t2 == 0.0)
        t2 = new
        if done:
            break
    inv_v = 1.0 / (se**2 + t2)
    s0, s1, s2, t0, t1 = _moments(x, y, inv_v, w)
    a, b, det = _solve2(s0, s1, s2, t0, t1)
    cov = np.array([[s2, -s1], [-s1, s0]]) / det
    return RemlFit(float(a), float(b), float(np.sqrt(t2)), cov, iterations)


# --- the exact posterior ------------------------------------------------------------------


def _columns(x, y, w):
    return np.stack([w, w * x, w * x * x, w * y, w * x * y, w * y * y], axis=1)


def _sums(taus, x, y, se, w, with_log: bool = True):
    """For every tau (G,): the weighted sums over pairs of 1, x, x^2, y, xy, y^2 times
    1/v_i, as one (G, n) x (n, 6) product, and (optionally) the sum of w_i log(1/v_i)."""
    inv_v = 1.0 / (se[None, :] ** 2 + taus[:, None] ** 2)
    sums = inv_v @ _columns(x, y, w)
    return sums, (np.log(inv_v) @ w if with_log else None)


def _conditional(sums, priors: Priors):
    """The posterior of (a, b) given each tau from the sums: precision entries and mean,
    and the quadratic form and determinant the marginal likelihood needs."""
    s0, s1, s2, t0, t1, syy = sums.T
    l0, l1 = 1.0 / priors.a_sd**2, 1.0 / priors.b_sd**2  # prior precisions (diagonal)
    m0 = (priors.a_mean, 0.0)
    p00, p01, p11 = s0 + l0, s1, s2 + l1
    r0, r1 = t0 + l0 * m0[0], t1 + l1 * m0[1]
    mean_a, mean_b, det = _solve2(p00, p01, p11, r0, r1)
    quad = syy + l0 * m0[0] ** 2 + l1 * m0[1] ** 2 - (mean_a * r0 + mean_b * r1)
    return (p00, p01, p11, mean_a, mean_b), quad, det


def _log_posterior(taus, sums, log_inv_v, priors: Priors):
    """log p(tau | y) up to a constant on a grid (G,):

        log p(y | tau) = -(sum log v_i + log|S0| + log|P| + y'V^-1 y + m0'S0^-1 m0
                           - m'P m) / 2 + const,

    with P and m the conditional posterior precision and mean of (a, b)."""
    _, quad, det = _conditional(sums, priors)
    l0, l1 = 1.0 / priors.a_sd**2, 1.0 / priors.b_sd**2
    log_ml = 0.5 * (log_inv_v + np.log(l0 * l1) - np.log(det) - quad)
    return log_ml - 0.5 * (taus / priors.tau_sd) ** 2


def _log_posterior_tau(taus, x, y, se, w, priors: Priors):
    return _log_posterior(taus, *_sums(taus, x, y, se, w), priors)


def _mass_range(taus, logp):
    """The grid interval holding all but a MASS_CUT share of the peak density (one
    point of margin each side)."""
    inside = np.flatnonzero(logp - logp.max() > np.log(MASS_CUT))
    return taus[max(inside[0] - 1, 0)], taus[min(inside[-1] + 1, len(taus) - 1)]


def tau_grid(x, y, se, priors: Priors, keep=None, points: int = GRID):
    """(taus, density) with the density normalised to integrate to 1 (trapezoid)."""
    x, y, se = (np.asarray(v, dtype=float) for v in (x, y, se))
    w = _weights(len(x), keep)
    coarse = np.linspace(0.0, RANGE_SDS * priors.tau_sd, COARSE)
    lo, hi = _mass_range(coarse, _log_posterior_tau(coarse, x, y, se, w, priors))
    taus = np.linspace(lo, hi, points)
    logp = _log_posterior_tau(taus, x, y, se, w, priors)
    density = np.exp(logp - logp.max())
    density /= np.trapezoid(density, taus)
    return taus, density


def _sample_tau(taus, density, u):
    """Inverse of the piecewise-linear density's CDF at uniforms `u`."""
    h = np.diff(taus)
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * h * (density[1:] + density[:-1]))])
    target = u * cdf[-1]
    j = np.clip(np.searchsorted(cdf, target, side="right") - 1, 0, len(h) - 1)
    f0, hj = density[j], h[j]
    slope = (density[j + 1] - f0) / hj
    need = target - cdf[j]  # mass to cover inside interval j
    # t in [0, hj] with f0 t + slope t^2 / 2 = need (the stable root of the quadratic)
    root = 2 * need / (f0 + np.sqrt(np.maximum(f0 * f0 + 2 * slope * need, 0.0)))
    return taus[j] + np.clip(np.nan_to_num(root), 0.0, hj)


def exact_posterior(x: np.ndarray, y: np.ndarray, se: np.ndarray, priors: Priors, *,
                    draws: int, seed: int, keep: np.ndarray | None = None,
                    points: int = GRID) -> Draws:
    """`draws` independent draws of (a, b, tau) from the exact posterior (see the module
    docstring); deterministic for a seed."""
    x, y, se = (np.asarray(v, dtype=float) for v in (x, y, se))
    w = _weights(len(x), keep)
    taus, density = tau_grid(x, y, se, priors, keep, points)
    rng = np.random.default_rng([int(seed), 20261202])
    tau = _sample_tau(taus, density, rng.random(draws))
    (p00, p01, p11, mean_a, mean_b), *_ = _conditional(
        _sums(tau, x, y, se, w, with_log=False)[0], priors)
    # (a, b) | tau ~ Normal(mean, P^-1); P^-1 = L L' by the 2x2 Cholesky factor
    det = p00 * p11 - p01 * p01
    c00, c01, c11 = p11 / det, -p01 / det, p00 / det
    l00 = np.sqrt(c00)
    l10 = c01 / l00
    l11 = np.sqrt(np.maximum(c11 - l10 * l10, 0.0))
    z = rng.standard_normal((2, draws))
    a = mean_a + l00 * z[0]
    b = mean_b + l10 * z[0] + l11 * z[1]
    return Draws(a=a, b=b, tau=tau)


def posterior_moments(x, y, se, priors: Priors, keep=None, points: int = GRID) -> dict:
    """Posterior means and sds of a, b, tau by quadrature (no draws): for tests and the
    preview. E[beta] and Var[beta] mix the conditional moments over tau's density."""
    x, y, se = (np.asarray(v, dtype=float) for v in (x, y, se))
    w = _weights(len(x), keep)
    taus, density = tau_grid(x, y, se, priors, keep, points)
    (p00, p01, p11, mean_a, mean_b), *_ = _conditional(
        _sums(taus, x, y, se, w, with_log=False)[0], priors)
    det = p00 * p11 - p01 * p01
    var_a, var_b = p11 / det, p00 / det

    def integral(f):
        return float(np.trapezoid(f * density, taus))

    out = {}
    for name, mean, var in (("a", mean_a, var_a), ("b", mean_b, var_b),
                            ("tau", taus, np.zeros_like(taus))):
        m = integral(mean)
        out[name] = {"mean": m, "sd": float(np.sqrt(integral(var + mean**2) - m * m))}
    return out


# --- exact leave-one-study-out ----------------------------------------------------------


def loo_pit(x: np.ndarray, y: np.ndarray, se: np.ndarray, priors: Priors,
            members: list[np.ndarray], points: int = LOO_GRID) -> np.ndarray:
    """The leave-one-study-out probability integral transform of every pair, exactly (by
    quadrature over tau, no importance weights): for pair i of study s,

        PIT_i = integral p(tau | y_-s) Phi((y_i - m_i(tau)) / sqrt(se_i^2 + tau^2 + q_i(tau)))

    with m_i, q_i the mean and variance of a + b x_i given tau and the other studies.
    The sums over the other studies are the full sums minus study s's, so all studies
    together cost about one fit. `members` are boolean masks, one per study. The
    trapezoid rule on a smooth, fast-decaying density converges faster than any power of
    the spacing, so LOO_GRID points suffice (the tests compare with a 20x finer grid)."""
    from transport.calibrate.stats import normal_cdf

    x, y, se = (np.asarray(v, dtype=float) for v in (x, y, se))
    w = np.ones(len(x))

    z = np.stack(members, axis=1).astype(float)  # (n, studies) membership
    cols = _columns(x, y, w)
    by_study = (cols[:, None, :] * z[:, :, None]).reshape(len(x), -1)  # (n, studies * 6)

    def left_out(taus):
        """(mask, sums, log term) of the data without each study, for every tau."""
        inv_v = 1.0 / (se[None, :] ** 2 + taus[:, None] ** 2)
        log_inv_v = np.log(inv_v)
        sums, logs = inv_v @ cols, log_inv_v @ w
        parts = (inv_v @ by_study).reshape(len(taus), len(members), 6)
        part_logs = log_inv_v @ z
        for k, mask in enumerate(members):
            yield mask, sums - parts[:, k], logs - part_logs[:, k]

    # one grid for every study: the union of the leave-out posteriors' mass regions
    coarse = np.linspace(0.0, RANGE_SDS * priors.tau_sd, COARSE)
    ranges = [_mass_range(coarse, _log_posterior(coarse, s_, l_, priors))
              for _, s_, l_ in left_out(coarse)]
    taus = np.linspace(min(r[0] for r in ranges), max(r[1] for r in ranges), points)
    h = np.diff(taus)
    trapezoid = np.concatenate([[h[0] / 2], (h[1:] + h[:-1]) / 2, [h[-1] / 2]])
    pit = np.empty(len(x))
    for mask, sums, log_inv_v in left_out(taus):
        logp = _log_posterior(taus, sums, log_inv_v, priors)
        weight = np.exp(logp - logp.max()) * trapezoid
        weight /= weight.sum()
        (p00, p01, p11, mean_a, mean_b), *_ = _conditional(sums, priors)
        det = p00 * p11 - p01 * p01
        c00, c01, c11 = p11 / det, -p01 / det, p00 / det
        xi = x[mask][None, :]
        mean = mean_a[:, None] + mean_b[:, None] * xi
        var = (c00[:, None] + 2 * c01[:, None] * xi + c11[:, None] * xi**2
               + se[mask][None, :] ** 2 + taus[:, None] ** 2)
        pit[mask] = weight @ normal_cdf((y[mask][None, :] - mean) / np.sqrt(var))
    return pit
