"""Effect scales end to end: the same posterior on every scale, the null and the sign
probability on the stated scale, and every robustness curve judged against that null."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from shared_fixtures import ROOT

from transport.api import load
from transport.estimate.run import estimate_study
from transport.render.estimate import estimate_text

FRAMING = ROOT / "examples" / "framing" / "study.tdag"
QUERY = "estimate effect of loss_frame on choose_risky in human contrast 1 vs 0"
SEED, DRAWS = 5, 2000


def on_scale(tmp_path: Path, scale: str):
    folder = tmp_path / scale
    folder.mkdir()
    text = FRAMING.read_text(encoding="utf-8")
    assert QUERY in text
    if scale != "difference":
        text = text.replace(QUERY, f"{QUERY} scale {scale}")
    (folder / "data").symlink_to(FRAMING.parent / "data")
    (folder / "study.tdag").write_text(text, encoding="utf-8")
    return estimate_study(load(folder / "study.tdag"), seed=SEED, draws=DRAWS)


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("scales")
    return {s: on_scale(tmp, s) for s in ("difference", "ratio", "odds_ratio")}


def test_the_three_scales_are_one_posterior(results: dict) -> None:
    # Per draw, difference d = t - c and ratio r = t / c give c = d / (r - 1) and t = r c;
    # the odds ratio of the same t and c is the odds_ratio run's draw (same seed, same model).
    d = np.asarray(results["difference"].effect_draws)
    r = np.asarray(results["ratio"].effect_draws)
    odds = np.asarray(results["odds_ratio"].effect_draws)
    control = d / (r - 1)
    treated = r * control
    assert np.all((control > 0) & (control < 1) & (treated > 0) & (treated < 1))
    expected = treated / (1 - treated) / (control / (1 - control))
    np.testing.assert_allclose(odds, expected, rtol=1e-9)


@pytest.mark.parametrize("scale, null", [("difference", 0.0), ("ratio", 1.0),
                                         ("odds_ratio", 1.0)])
def test_null_and_sign_probability_are_on_the_stated_scale(results: dict, scale: str,
                                                           null: float) -> None:
    result = results[scale]
    effect = result.to_json()["effect"]
    assert effect["scale"] == scale and effect["null"] == null
    draws = np.asarray(result.effect_draws)
    assert effect["prob_positive"] == float((draws > null).mean())
    assert f"P(effect > {null:g}) = {effect['prob_positive']:.3f}" in estimate_text(result)


@pytest.mark.parametrize("scale", ["ratio", "odds_ratio"])
def test_robustness_is_judged_against_the_scale_null(results: dict, scale: str) -> None:
    robustness = results[scale].to_json()["robustness"]
    assert "below 1" in robustness["criterion"]
    assert robustness["applies"] and robustness["scales"]
    flip = robustness["scale_at_flip"]
    for s, (low, high), p in zip(robustness["scales"], robustness["intervals"],
                                 robustness["prob_positive"], strict=True):
        # on a ratio scale every draw is positive: a sign probability against 0 would be 1
        assert 0 < p <= 1
        if flip is None or s < flip:
            assert not low <= 1 <= high
    if flip is not None:
        low, high = robustness["intervals"][robustness["scales"].index(flip)]
        assert low <= 1 <= high
