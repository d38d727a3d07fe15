"""How informative each predictor is: its within-arm correlation with the human answer."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from transport.estimate.mixed_subjects.inputs import MixedSubjectsData


def within_arm_correlations(data: MixedSubjectsData, arms: Sequence[object]) -> dict[str, float]:
    """Per predictor: the weighted correlation of prediction and human answer among the
    labelled units in `arms`, after removing each arm's weighted mean from both (so that an
    arm effect shared by prediction and answer does not count as information about units)."""
    units = data.labelled
    keep = np.zeros(len(units), dtype=bool)
    for value in arms:
        keep |= units.arm == value
    w, arm = units.weights()[keep], units.arm[keep]

    def centred(values: np.ndarray) -> np.ndarray:
        out = values.copy()
        for value in arms:
            mask = arm == value
            if mask.any():
                out[mask] -= np.average(values[mask], weights=w[mask])
        return out

    y = centred(units.outcome[keep])
    out = {}
    for name in data.predictors:
        f = centred(units.predictions[name][keep])
        scale = np.sqrt((w * y * y).sum() * (w * f * f).sum())
        out[name] = float((w * y * f).sum() / scale) if scale > 0 else 0.0
    return out
