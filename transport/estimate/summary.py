"""Summaries of posterior draws: mean, sd, highest-density interval, sign probability."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from transport.calibrate.stats import hdi

__all__ = ["DrawSummary", "describe", "hdi"]


@dataclass(frozen=True)
class DrawSummary:
    """Mean, sd, 95% highest-density interval and P(draw > null) of a vector of draws: what
    every estimate shown (the target's, a source's own, a calibrated one) is summarised by."""

    mean: float
    sd: float
    hdi_95: tuple[float, float]
    prob_positive: float

    def to_json(self) -> dict[str, object]:
        """{"mean", "sd", "hdi_95", "prob_positive"}."""
        return {"mean": self.mean, "sd": self.sd, "hdi_95": list(self.hdi_95),
                "prob_positive": self.prob_positive}


def describe(draws: np.ndarray, null: float = 0.0) -> DrawSummary:
    """The summary of a vector of draws, `prob_positive` being P(draw > null): 0 for a
    difference, 1 for a ratio or an odds ratio."""
    values = np.asarray(draws, dtype=float)
    low, high = hdi(values)
    return DrawSummary(
        mean=float(values.mean()),
        sd=float(values.std(ddof=1)) if len(values) > 1 else 0.0,
        hdi_95=(low, high),
        prob_positive=float((values > null).mean()),
    )
