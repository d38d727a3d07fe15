"""Effect scales: the target effect as a difference, a ratio or an odds ratio of the two
arms' means, one definition for every estimation path, with the value meaning "no effect"
that robustness criteria and sign probabilities compare against."""

from __future__ import annotations

import numpy as np

from transport.study import Study

DESCRIPTIONS = {
    "difference": "difference in probability",
    "ratio": "ratio of probabilities (risk ratio)",
    "odds_ratio": "odds ratio",
}


def scale_of(study: Study) -> str:
    """The query's scale (`difference` unless the file says otherwise)."""
    return getattr(study.query, "scale", None) or "difference"


def null_value(scale: str) -> float:
    """The effect that means "no effect" on a scale: 0 for a difference, 1 for ratios."""
    return 0.0 if scale == "difference" else 1.0


def on_scale(treated: np.ndarray, control: np.ndarray, scale: str) -> np.ndarray:
    """Per draw: the contrast of the arms' means on the scale."""
    if scale == "ratio":
        return treated / control
    if scale == "odds_ratio":
        return (treated / (1 - treated)) / (control / (1 - control))
    return treated - control


def describe_scale(study: Study) -> str:
    """Words for the effect's scale, as the output prints them."""
    variable = study.variable(study.query.outcome)
    scale = scale_of(study)
    if variable.kind == "binary":
        return DESCRIPTIONS[scale]
    return f"difference in means of {variable.name}"
