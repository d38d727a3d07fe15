"""Summaries of posterior draws: mean, sd, highest-density interval, sign probability."""

from __future__ import annotations

import numpy as np

from transport.calibrate.stats import hdi

__all__ = ["describe", "hdi"]


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
