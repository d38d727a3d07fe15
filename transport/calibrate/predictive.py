"""The predictive distribution of a human effect given an LLM effect: a mixture over
posterior draws of Normal(a + b x, sqrt(tau^2 + se^2)), with se = 0 for the true effect.

Intervals are central (equal-tailed) quantiles of that mixture, found by bisection on its
CDF: exact for the draws, with no Monte Carlo noise of their own."""

from __future__ import annotations

import numpy as np

from transport.calibrate.stats import normal_cdf

_STEPS = 60


def mixture_cdf(q: np.ndarray, mu: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """P(Y <= q) per column: `mu`, `sd` are (S, m), `q` is (m,); returns (m,)."""
    return normal_cdf((q[None, :] - mu) / sd).mean(axis=0)


def mixture_quantiles(mu: np.ndarray, sd: np.ndarray, p: float) -> np.ndarray:
    """The p-quantile per column of the equally weighted normal mixture (S, m)."""
    lo = (mu - 8 * sd).min(axis=0)
    hi = (mu + 8 * sd).max(axis=0)
    for _ in range(_STEPS):
        mid = 0.5 * (lo + hi)
        below = mixture_cdf(mid, mu, sd) < p
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return 0.5 * (lo + hi)


def interval(
    a: np.ndarray, b: np.ndarray, tau: np.ndarray, x: np.ndarray, se: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, lower and upper bound of the central `level` predictive interval for each new
    LLM effect x (m,); `se` (m,) is the sampling SE of the human estimate (NaN or 0: none).

    `a`, `b`, `tau` are (S,) or (S, m) draws."""
    x = np.asarray(x, dtype=float)[None, :]
    se = np.nan_to_num(np.asarray(se, dtype=float), nan=0.0)[None, :]
    a, b, tau = (np.asarray(v, dtype=float) for v in (a, b, tau))
    a, b, tau = (v[:, None] if v.ndim == 1 else v for v in (a, b, tau))
    mu = a + b * x
    sd = np.sqrt(tau**2 + se**2)
    tail = (1 - level) / 2
    return mu.mean(axis=0), mixture_quantiles(mu, sd, tail), mixture_quantiles(mu, sd, 1 - tail)
