"""Garbage in calibration input is refused with a message, never a NaN estimate or an
internal error (issue 14, item 3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from transport.calibrate import calibrated_effect
from transport.calibrate.pairs import load_pairs
from transport.errors import DataError


def test_effects_too_large_for_the_model_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("l,h,s\n1e200,1,0.1\n2,2,0.1\n3,1,0.1\n-5e7,3,0.1\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_pairs(path, llm="l", human="h", se="s")
    assert str(caught.value) == (
        f"{path}: column 'l' has values beyond ±1e+06 in rows 1 ('1e200'), 4 ('-5e7'); "
        "effects and standard errors that large overflow the model: rescale the column")


def _calibration(a, b, tau) -> dict:
    return {"posterior": {"a": a, "b": b, "tau": tau}}


@pytest.mark.parametrize(("posterior", "message"), [
    (_calibration([0.1, float("nan")], [1.0, 1.0], [0.1, 0.1]),
     "the calibration's posterior draws of a are not all finite numbers: 1 of 2 (draws 2)"),
    (_calibration([0.1, 0.2], [float("inf")] * 2, [0.1, 0.1]),
     "the calibration's posterior draws of b are not all finite numbers: 2 of 2 (draws 1, 2)"),
    (_calibration([0.1, 0.2], [1.0, 1.0], [0.1, -0.1]),
     "the calibration's posterior draws of tau (a standard deviation) include negative values"),
    (_calibration(["x", 0.2], [1.0, 1.0], [0.1, 0.1]),
     "the calibration's posterior draws of a, b and tau are not numbers"),
])
def test_a_calibration_with_nan_draws_is_refused(posterior: dict, message: str) -> None:
    with pytest.raises(DataError) as caught:
        calibrated_effect(posterior, np.array([0.1, 0.2, 0.3]), np.random.default_rng(0))
    assert str(caught.value) == message
