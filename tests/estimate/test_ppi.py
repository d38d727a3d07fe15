"""PPI++ for mixed subjects: valid intervals whatever the predictor, narrower with a good one."""

from __future__ import annotations

import numpy as np
import pytest
from shared_fixtures import ROOT

from transport.api import load
from transport.data.load import load_study_data
from transport.estimate.ppi import ppi_difference, ppi_estimate


def _simulate(rng, n: int, big_n: int, quality: float):
    """Units with a covariate z; the truth E[Y | z, arm]; a predictor that is the truth plus
    noise (quality 1: perfect, 0: useless). The true effect is 0.3."""
    def outcome(z, arm):
        return 0.2 + 0.3 * arm + 1.5 * z + rng.normal(0, 0.3, len(z))

    def predict(z, arm):
        signal = 0.2 + 0.3 * arm + 1.5 * z
        return quality * signal + (1 - quality) * rng.normal(0.4, 0.2, len(z))

    z_unl = rng.random(big_n)
    z1, z0 = rng.random(n // 2), rng.random(n // 2)
    return (outcome(z1, 1), predict(z1, 1), outcome(z0, 0), predict(z0, 0),
            predict(z_unl, 1) - predict(z_unl, 0))


@pytest.mark.parametrize("quality", [1.0, 0.5, 0.0])
def test_interval_covers_the_true_effect_about_95_percent(quality: float) -> None:
    rng = np.random.default_rng(7)
    hits = 0
    runs = 800
    for _ in range(runs):
        low, high = ppi_difference(*_simulate(rng, 200, 5000, quality)).ci_95
        hits += low <= 0.3 <= high
    assert 0.92 <= hits / runs <= 0.975  # 95% up to Monte Carlo error (sd 0.008)


def test_good_predictions_are_worth_more_humans_than_useless_ones() -> None:
    rng = np.random.default_rng(8)
    good = ppi_difference(*_simulate(rng, 200, 5000, 1.0))
    useless = ppi_difference(*_simulate(rng, 200, 5000, 0.0))
    assert good.effective_n > 2 * 200
    assert useless.effective_n < 240


def test_lambda_zero_is_the_difference_in_means() -> None:
    rng = np.random.default_rng(9)
    y1, f1, y0, f0, unlabelled = _simulate(rng, 100, 1000, 0.0)
    result = ppi_difference(y1, f1, y0, f0, unlabelled)
    assert result.classical.estimate == pytest.approx(y1.mean() - y0.mean())


def test_minimum_wage_example_uses_the_llm_predictions() -> None:
    study = load(ROOT / "examples" / "minimum_wage" / "study.tdag")
    result = ppi_estimate(study, load_study_data(study))
    assert result.applies and result.fit.n_unlabelled == 20000
    assert result.ci_95[0] <= 0.283731 <= result.ci_95[1]
    assert result.se < result.classical.se


def test_framing_example_says_why_it_does_not_apply() -> None:
    study = load(ROOT / "examples" / "framing" / "study.tdag")
    result = ppi_estimate(study, load_study_data(study))
    assert result.to_json() == {
        "applies": False,
        "reason": "needs a human experiment on loss_frame that measures choose_risky",
    }
