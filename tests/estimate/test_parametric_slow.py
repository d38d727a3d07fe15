"""Real sampling of the bundled examples (slow: run with `pytest -m slow`)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pymc")
pytest.importorskip("nutpie")

import transport  # noqa: E402
from transport.data.load import load_study_data  # noqa: E402
from transport.estimate.parametric import fit_parametric  # noqa: E402

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SETTINGS = {"draws": 1000, "tune": 1000, "chains": 2, "cores": 2}
_FITS: dict = {}


def _study(name):
    study = transport.load(EXAMPLES / name / "study.tdag")
    return study, load_study_data(study)


def _truth(name) -> float:
    return json.loads((EXAMPLES / name / "truth.json").read_text())["true_effect"]


def _fit(name, sampler, seed=2026):
    key = (name, sampler, seed)
    if key not in _FITS:
        study, loaded = _study(name)
        start = time.perf_counter()
        fit = fit_parametric(study, loaded, seed=seed, sampler=sampler, with_prior=True,
                             **SETTINGS)
        print(f"\n{name} {sampler}: {time.perf_counter() - start:.1f}s "
              f"(sampling incl. compile {fit.wall_time:.1f}s)")
        _FITS[key] = fit
    return _FITS[key]


@pytest.mark.parametrize(("name", "sampler"),
                         [("minimum_wage", "pymc"), ("dictator", "nutpie"), ("framing", "nutpie")])
def test_interval_covers_the_true_effect(name, sampler):
    fit = _fit(name, sampler)
    lo, hi = fit.interval(0.95)
    assert lo < _truth(name) < hi, (lo, hi, _truth(name))
    conv = fit.convergence()
    assert conv.max_rhat < 1.02 and conv.divergences == 0, conv


def test_sources_own_effects_are_their_naive_effects():
    fit = _fit("dictator", "nutpie")
    naive = json.loads((EXAMPLES / "dictator" / "truth.json").read_text())["naive_effect"]
    for source, value in naive.items():
        draws = fit.source_effects[source]
        assert np.quantile(draws, 0.005) < value < np.quantile(draws, 0.995)


def test_same_seed_same_numbers():
    study, loaded = _study("minimum_wage")
    settings = {**SETTINGS, "draws": 300, "tune": 300}
    a = fit_parametric(study, loaded, seed=7, sampler="nutpie", **settings)
    b = fit_parametric(study, loaded, seed=7, sampler="nutpie", **settings)
    np.testing.assert_array_equal(a.effect, b.effect)
    for source in a.source_effects:
        np.testing.assert_array_equal(a.source_effects[source], b.source_effects[source])
    c = fit_parametric(study, loaded, seed=7, sampler="pymc", **settings)
    d = fit_parametric(study, loaded, seed=7, sampler="pymc", **settings)
    np.testing.assert_array_equal(c.effect, d.effect)


def test_nutpie_and_pymc_agree_within_monte_carlo_error():
    a = _fit("minimum_wage", "pymc")
    b = _fit("minimum_wage", "nutpie")
    (mcse_a, _), (mcse_b, _) = a.mcse(), b.mcse()
    assert abs(a.mean - b.mean) < 4 * np.hypot(mcse_a, mcse_b)
    assert np.std(a.effect) == pytest.approx(np.std(b.effect), rel=0.15)


def test_log_likelihood_and_loo_for_both_samplers():
    for sampler in ("pymc", "nutpie"):
        fit = _fit("minimum_wage", sampler)
        assert "log_likelihood" in fit.idata.groups()
        ll = fit.log_likelihood_of("hire_experienced", "human")
        assert ll.shape == (2, 1000, 500)
        elpd = fit.elpd_of("hire_experienced", "human")
        assert elpd.n == 500 and elpd.max_pareto_k < 0.7
        # the cell-level log-likelihood PyMC computed sums to the same total
        cells = fit.idata.log_likelihood["obs__hire_experienced__human"].values
        np.testing.assert_allclose(cells.sum(axis=-1), ll.sum(axis=-1), rtol=1e-6)
        summary = fit.summary()
        assert {"r_hat", "ess_bulk", "ess_tail"} <= set(summary.columns)


def test_posterior_contracts_from_the_prior():
    fit = _fit("dictator", "nutpie")
    assert fit.prior_effect is not None and fit.prior_effect.shape == fit.effect.shape
    assert np.std(fit.effect) < np.std(fit.prior_effect) / 10
    assert "prior" in fit.idata.groups()


def test_robustness_shift_widens_the_interval():
    study, loaded = _study("minimum_wage")
    base = _fit("minimum_wage", "nutpie")
    relaxed = fit_parametric(study, loaded, seed=2026, sampler="nutpie", shift_scale=1.0,
                             **SETTINGS)
    assert np.std(relaxed.effect) > 1.2 * np.std(base.effect)
    assert "hire_experienced__gpt__alpha_shift" in relaxed.free_parameters()
