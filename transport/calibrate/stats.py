"""Plain summaries: HDIs, the naive comparison numbers, and the error-corrected correlation."""

from __future__ import annotations

import numpy as np

HDI_MASS = 0.95


def hdi(draws: np.ndarray, mass: float = HDI_MASS) -> tuple[float, float]:
    """The narrowest interval holding `mass` of the draws (the toolkit's one HDI: the
    estimate stage's summaries use it too)."""
    values = np.sort(np.asarray(draws, dtype=float).ravel())
    n = len(values)
    if n == 0:
        raise ValueError("the highest-density interval of no draws is undefined")
    width = int(np.ceil(mass * n))
    if width >= n:
        return float(values[0]), float(values[-1])
    spans = values[width - 1 :] - values[: n - width + 1]
    start = int(np.argmin(spans))
    return float(values[start]), float(values[start + width - 1])


def summary(draws: np.ndarray) -> dict[str, object]:
    """{"mean", "hdi"} (95% HDI) of a vector of draws; None for both when undefined (a
    correlation within a group of one pair)."""
    values = np.asarray(draws, dtype=float).ravel()
    if not np.isfinite(values).all():
        return {"mean": None, "hdi": None}
    low, high = hdi(values)
    return {"mean": float(values.mean()), "hdi": [low, high]}


def pearson_r(x: np.ndarray, y: np.ndarray) -> float:
    """The plain correlation of LLM and observed human effects (sampling error ignored)."""
    return float(np.corrcoef(x, y)[0, 1])


def ols_slope(x: np.ndarray, y: np.ndarray) -> float:
    """The least-squares slope of human effects on LLM effects."""
    xc = x - x.mean()
    return float(np.dot(xc, y - y.mean()) / np.dot(xc, xc))


def sign_agreement(x: np.ndarray, y: np.ndarray) -> float:
    """Share of pairs whose LLM and human effects have the same sign (a zero matches only
    a zero)."""
    return float(np.mean(np.sign(x) == np.sign(y)))


def corrected_correlation(b: np.ndarray, tau: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Per draw, the correlation of LLM effects with *true* human effects:
    b sd(x) / sqrt(b^2 var(x) + tau^2), sampling error of the human effects removed."""
    sx = float(np.std(x, ddof=1))
    b, tau = np.asarray(b, dtype=float), np.asarray(tau, dtype=float)
    return b * sx / np.sqrt(b**2 * sx**2 + tau**2)


def normal_logpdf(y: np.ndarray, mu: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """log N(y | mu, sd), broadcast."""
    z = (y - mu) / sd
    return -0.5 * z**2 - np.log(sd) - 0.5 * np.log(2 * np.pi)


def normal_cdf(z: np.ndarray) -> np.ndarray:
    """The standard normal CDF (SciPy, a PyMC dependency, imported when needed)."""
    from scipy.special import ndtr

    return ndtr(np.asarray(z, dtype=float))
