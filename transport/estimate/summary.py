"""Summaries of posterior draws: mean, sd, highest-density interval, sign probability."""

from __future__ import annotations

import numpy as np


def hdi(draws: np.ndarray, mass: float = 0.95) -> tuple[float, float]:
    """The narrowest interval holding `mass` of the draws."""
    values = np.sort(np.asarray(draws, dtype=float))
    n = len(values)
    if n == 0:
        raise ValueError("the highest-density interval of no draws is undefined")
    width = int(np.ceil(mass * n))
    if width >= n:
        return float(values[0]), float(values[-1])
    spans = values[width - 1 :] - values[: n - width + 1]
    start = int(np.argmin(spans))
    return float(values[start]), float(values[start + width - 1])


def describe(draws: np.ndarray) -> dict[str, object]:
    """{"mean", "sd", "hdi_95", "prob_positive"} of a vector of draws."""
    values = np.asarray(draws, dtype=float)
    low, high = hdi(values)
    return {
        "mean": float(values.mean()),
        "sd": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
        "hdi_95": [low, high],
        "prob_positive": float((values > 0).mean()),
    }
