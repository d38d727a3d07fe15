"""Real fits (slow: nutpie compiles the grouped model, ~10-30 s the first time in a
process): recovery of a, b, tau on simulated data, determinism for a seed, the bundled
headline; the exact ungrouped posterior agrees with NUTS on the bundled pairs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from transport.calibrate import run_calibration

from .conftest import GPT4, pairs_csv_text, simulate_pairs

pytestmark = pytest.mark.slow
COLS = {"llm": "llm", "human": "human", "se": "se", "id": "study"}


def inside(summary: dict, value: float) -> bool:
    lo, hi = summary["hdi"]
    return lo <= value <= hi


def test_recovers_a_b_tau(write_csv):
    x, y, se, study = simulate_pairs(400, a=0.02, b=0.5, tau=0.03, seed=11, studies=80)
    result = run_calibration(write_csv(pairs_csv_text(x, y, se, study)), **COLS, draws=500,
                             chains=2, seed=1)
    assert inside(result.intercept, 0.02)
    assert inside(result.slope, 0.5)
    assert inside(result.tau, 0.03)
    # without groups the posterior is exact: independent draws, nothing for R-hat to check
    assert result.sampler["name"] == "exact" and result.loo.exact
    assert result.convergence["max_rhat"] is None and result.convergence["divergences"] == 0
    assert 0.8 <= result.loo_coverage <= 0.97


def test_deterministic_for_a_seed(write_csv, tmp_path):
    x, y, se, study = simulate_pairs(60, a=0.0, b=0.8, tau=0.02, seed=2, studies=20)
    path = write_csv(pairs_csv_text(x, y, se, study))
    new = write_csv("study,llm\nq,0.1\n", name="new.csv")
    runs = [run_calibration(path, **COLS, predict=new, draws=200, chains=2, seed=5)
            for _ in range(2)]
    other = run_calibration(path, **COLS, predict=new, draws=200, chains=2, seed=6)
    assert json.dumps(runs[0].to_json()) == json.dumps(runs[1].to_json())
    assert runs[0].to_json()["posterior"] != other.to_json()["posterior"]


def test_grouped_recovers_group_slopes(write_csv):
    rows = ["study,model,llm,human,se"]
    truth = {"m1": 0.4, "m2": 0.9, "m3": 0.6}
    for k, (model, b) in enumerate(truth.items()):
        x, y, se, study = simulate_pairs(150, a=0.0, b=b, tau=0.02, seed=20 + k, studies=30)
        rows += [f"{s},{model},{float(xi)!r},{float(yi)!r},{float(si)!r}"
                 for s, xi, yi, si in zip(study, x, y, se, strict=True)]
    path = write_csv("\n".join(rows) + "\n")
    result = run_calibration(path, **COLS, by="model", draws=500, chains=2, seed=3)
    out = result.to_json()
    for model, b in truth.items():
        assert inside(out["groups"][model]["slope"], b), (model, out["groups"][model]["slope"])
    assert np.isfinite(out["loo_coverage"])


def test_bundled_headline(bundled):
    result = run_calibration(bundled, **GPT4, draws=500, chains=2, seed=0)
    assert round(result.pearson_r, 2) == 0.79 and round(result.ols_slope, 2) == 0.52
    assert 0.48 < result.slope["mean"] < 0.57
    assert 0.8 < result.corrected_correlation["mean"] < 0.88
    assert 0.85 <= result.loo_coverage <= 0.95
