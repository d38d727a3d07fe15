"""The result without sampling: known posterior draws are passed to `summarise`, so the JSON
contract, the text, predictions, LOO coverage, propagation and the plot are tested fast."""

from __future__ import annotations

import json
from statistics import NormalDist

import numpy as np
import pytest

from transport.calibrate import calibrated_effect, plot_calibration
from transport.calibrate.loo import loo_check
from transport.calibrate.pairs import load_new_effects, load_pairs
from transport.calibrate.posterior import Draws
from transport.calibrate.predictive import interval
from transport.calibrate.priors import scaled_priors
from transport.calibrate.run import summarise
from transport.calibrate.stats import corrected_correlation, hdi

from .conftest import GPT4

S = 4000
COLUMNS = {**GPT4, "by": None}


def known_draws(seed: int = 1) -> Draws:
    """Draws near the bundled data's posterior (a, b, tau = -0.010, 0.525, 0.058)."""
    rng = np.random.default_rng(seed)
    return Draws(
        a=rng.normal(-0.010, 0.003, S),
        b=rng.normal(0.525, 0.018, S),
        tau=np.abs(rng.normal(0.058, 0.0024, S)),
    )


@pytest.fixture
def result(bundled, write_csv):
    pairs = load_pairs(bundled, **GPT4)
    new = write_csv("study,pred:gpt-4,human_se\nN1,0.2,0.02\nN2,-0.1,\n", name="new.csv")
    return summarise(
        pairs, known_draws(), columns=COLUMNS, level=0.9, seed=0,
        priors=scaled_priors(pairs.x, pairs.y),
        new=load_new_effects(new, llm="pred:gpt-4", se="human_se", id="study"),
    )


def test_json_contract(result):
    out = json.loads(json.dumps(result.to_json(), allow_nan=False))
    for key in ("intercept", "slope", "tau", "corrected_correlation"):
        assert set(out[key]) == {"mean", "hdi"} and len(out[key]["hdi"]) == 2
        assert out[key]["hdi"][0] <= out[key]["mean"] <= out[key]["hdi"][1]
    for key in ("sign_agreement", "loo_coverage", "pearson_r", "ols_slope", "level"):
        assert isinstance(out[key], float)
    assert out["n_pairs"] == 469 and out["n_studies"] == 70 and out["level"] == 0.9
    assert [set(p) >= {"id", "mean", "lo", "hi"} for p in out["predictions"]] == [True, True]
    assert [p["id"] for p in out["predictions"]] == ["N1", "N2"]
    assert {k: len(v) for k, v in out["posterior"].items()} == {"a": 1000, "b": 1000, "tau": 1000}
    assert "groups" not in out
    assert round(out["pearson_r"], 2) == 0.79 and round(out["ols_slope"], 2) == 0.52


def test_summaries_match_the_draws(result):
    draws = known_draws()
    assert result.slope["mean"] == pytest.approx(draws.b.mean())
    assert result.slope["hdi"] == list(hdi(draws.b))
    corr = corrected_correlation(draws.b, draws.tau, result.pairs.x)
    assert result.corrected_correlation["mean"] == pytest.approx(corr.mean())
    assert 0.8 < corr.mean() < 0.87


def test_corrected_correlation_formula():
    x = np.array([-1.0, 0.0, 1.0, 2.0])
    sx = np.std(x, ddof=1)
    got = corrected_correlation(np.array([2.0]), np.array([0.5]), x)
    assert got[0] == pytest.approx(2 * sx / np.sqrt(4 * sx**2 + 0.25))
    assert corrected_correlation(np.array([1.0]), np.array([0.0]), x)[0] == pytest.approx(1.0)


def test_prediction_interval_single_draw_is_normal():
    z = NormalDist().inv_cdf(0.95)
    mean, lo, hi = interval(np.array([0.1]), np.array([0.5]), np.array([0.03]),
                            np.array([0.2, 0.2]), np.array([0.04, np.nan]), 0.9)
    np.testing.assert_allclose(mean, [0.2, 0.2])
    np.testing.assert_allclose(hi - mean, [z * 0.05, z * 0.03], rtol=1e-9)
    np.testing.assert_allclose(mean - lo, [z * 0.05, z * 0.03], rtol=1e-9)


def test_predictions_include_sampling_error_when_given(result):
    n1, n2 = result.predictions
    assert n1["se"] == 0.02 and n2["se"] is None
    assert n1["mean"] == pytest.approx(-0.010 + 0.525 * 0.2, abs=1e-3)
    width = n1["hi"] - n1["lo"]
    expected = 2 * NormalDist().inv_cdf(0.95) * np.sqrt(0.058**2 + 0.02**2)
    assert width == pytest.approx(expected, rel=0.03)
    mean, lo, hi = result.predict([0.2], se=[0.02])
    assert (mean[0], lo[0], hi[0]) == pytest.approx((n1["mean"], n1["lo"], n1["hi"]))


def test_loo_coverage_on_simulated_truth():
    """With the true parameters as a point posterior, LOO intervals are exact: coverage of
    many simulated pairs is close to the level."""
    from transport.calibrate.pairs import Pairs

    rng = np.random.default_rng(3)
    n = 4000
    x, se = rng.normal(0, 0.1, n), rng.uniform(0.01, 0.04, n)
    y = 0.01 + 0.5 * x + np.sqrt(0.05**2 + se**2) * rng.standard_normal(n)
    pairs = Pairs("sim", x, y, se, tuple(f"s{i}" for i in range(n)), ("",) * n,
                  tuple(range(1, n + 1)))
    ones = np.ones(200)
    check = loo_check(pairs, Draws(0.01 * ones, 0.5 * ones, 0.05 * ones), 0.9, None)
    assert check.coverage == pytest.approx(0.9, abs=0.015)
    assert check.refitted == ()


def test_text_rendering(result):
    text = result.to_text()
    assert text.startswith("Calibration of 'pred:gpt-4' against 'human_effect' (SE 'human_se')")
    assert "469 pairs from 70 studies" in text
    assert "plain Pearson r         0.789" in text
    assert "OLS slope               0.522" in text
    assert "N1" in text and "(observed, SE 0.0200)" in text


def test_calibrated_effect_arithmetic():
    calib = {"posterior": {"a": [0.0, 1.0], "b": [2.0, 3.0], "tau": [0.5, 0.0]}}
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    got = calibrated_effect(calib, x, np.random.default_rng(7))
    rng = np.random.default_rng(7)
    pick = rng.integers(0, 2, size=5)
    e = rng.standard_normal(5)
    a, b, tau = np.array([0.0, 1.0]), np.array([2.0, 3.0]), np.array([0.5, 0.0])
    np.testing.assert_array_equal(got, a[pick] + b[pick] * x + tau[pick] * e)


def test_calibrated_effect_without_noise_is_the_line():
    calib = {"posterior": {"a": [0.1] * 3, "b": [0.5] * 3, "tau": [0.0] * 3}}
    x = np.linspace(-1, 1, 11)
    got = calibrated_effect(calib, x, np.random.default_rng(0))
    np.testing.assert_allclose(got, 0.1 + 0.5 * x)


def test_calibrated_effect_groups_and_errors():
    from transport.errors import DataError

    calib = {"posterior": {"a": [0.0], "b": [1.0], "tau": [0.0]},
             "groups": {"gpt": {"posterior": {"a": [1.0], "b": [2.0], "tau": [0.0]}}}}
    got = calibrated_effect(calib, np.array([1.0]), np.random.default_rng(0), group="gpt")
    assert got[0] == 3.0
    with pytest.raises(DataError, match="the calibration has no group 'claude' \\(groups: gpt\\)"):
        calibrated_effect(calib, np.array([1.0]), np.random.default_rng(0), group="claude")
    with pytest.raises(DataError, match="no posterior draws"):
        calibrated_effect({}, np.array([1.0]), np.random.default_rng(0))


def test_calibrated_effect_round_trips_the_json(result):
    calib = json.loads(json.dumps(result.to_json()))
    draws = calibrated_effect(calib, np.full(20000, 0.2), np.random.default_rng(0))
    assert draws.mean() == pytest.approx(-0.010 + 0.525 * 0.2, abs=2e-3)
    assert draws.std() == pytest.approx(np.sqrt(0.058**2 + (0.018 * 0.2) ** 2), rel=0.05)


@pytest.mark.slow  # 9-12 s (matplotlib, two renders)
def test_plot_is_an_svg_and_deterministic(result, tmp_path):
    first = plot_calibration(result, tmp_path / "a.svg").read_text(encoding="utf-8")
    second = plot_calibration(result, tmp_path / "b.svg").read_text(encoding="utf-8")
    assert first.lstrip().startswith("<?xml") and "<svg" in first
    assert first == second


def test_grouped_result(bundled):
    pairs = load_pairs(bundled, **GPT4, by="published_by_2021")
    rng = np.random.default_rng(0)
    g = len(pairs.groups)
    draws = Draws(
        a=rng.normal(-0.01, 0.003, S), b=rng.normal(0.5, 0.02, S),
        tau=np.abs(rng.normal(0.058, 0.003, S)),
        a_g=rng.normal(-0.01, 0.003, (S, g)), b_g=rng.normal(0.5, 0.02, (S, g)),
        tau_g=np.abs(rng.normal(0.058, 0.003, (S, g))),
        sigma_a=np.abs(rng.normal(0, 0.01, S)), sigma_b=np.abs(rng.normal(0, 0.1, S)),
        sigma_log_tau=np.abs(rng.normal(0, 0.2, S)),
    )
    result = summarise(pairs, draws, columns={**COLUMNS, "by": "published_by_2021"}, level=0.9,
                       seed=0, priors=scaled_priors(pairs.x, pairs.y))
    out = json.loads(json.dumps(result.to_json(), allow_nan=False))
    assert set(out["groups"]) == {"False", "True"}
    assert sum(v["n_pairs"] for v in out["groups"].values()) == 469
    assert len(out["groups"]["True"]["posterior"]["b"]) == 1000
    assert "by 'published_by_2021'" in result.to_text()


def test_import_transport_stays_light():
    import subprocess
    import sys

    code = ("import sys, transport, transport.calibrate; "
            "print(sorted(m for m in ('pymc', 'arviz', 'nutpie', 'matplotlib', 'pytensor') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
