"""The bundled conjoint example: its data are what generate.py says, its truth is the
model's, and the estimators find what its README reports. (Its study file uses the
Version 2 syntax and is not parsed here.)"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from shared_fixtures import ROOT

EXAMPLE = ROOT / "examples" / "conjoint"
sys.path.insert(0, str(EXAMPLE))
from analyse import conjoint_data, read  # noqa: E402
from generate import DIMENSIONS, SAMPLED_SHARE, SEED, simulate, true_effect  # noqa: E402

from transport.estimate.mixed_subjects.bayes_ppi import bayes_ppi  # noqa: E402
from transport.estimate.mixed_subjects.ppi import ppi_difference  # noqa: E402

TRUTH = json.loads((EXAMPLE / "truth.json").read_text(encoding="utf-8"))


def test_the_csvs_are_the_seeded_simulation() -> None:
    rng = np.random.default_rng(SEED)
    for dimension in DIMENSIONS:
        study = simulate(rng, dimension, labelled_respondents=300, unlabelled_respondents=1000)
        prefix = "" if dimension == "more" else "young_"
        for part in ("labelled", "unlabelled"):
            written = read(EXAMPLE / "data" / f"{prefix}{part}.csv")
            for column, values in study[part].items():
                np.testing.assert_allclose(written[column], values, rtol=1e-5,
                                           err_msg=f"{part}: {column}")


def test_truth_is_the_models() -> None:
    for dimension in DIMENSIONS:
        assert TRUTH[dimension]["true_effect"] == pytest.approx(true_effect(dimension))
        assert TRUTH[dimension]["true_effect_unweighted_sample"] == pytest.approx(
            true_effect(dimension, SAMPLED_SHARE))
    assert TRUTH["more"]["true_effect"] > TRUTH["more"]["true_effect_unweighted_sample"] + 0.05


def test_ppi_on_the_example_gains_for_more_and_warns_for_young() -> None:
    more = ppi_difference(conjoint_data("more"), 1, 0)
    low, high = more.ci
    assert low <= TRUTH["more"]["true_effect"] <= high
    assert (round(more.estimate, 3), round(low, 3), round(high, 3)) == (0.152, 0.084, 0.220)
    assert more.chosen.effective_human_n > 1.4 * more.n_labelled
    assert more.warnings == () and more.n_clusters == 1300 and more.weighted
    young = ppi_difference(conjoint_data("young"), 1, 0)
    assert len(young.warnings) == 1 and "0.04 (below 0.1)" in young.warnings[0]
    naive = ppi_difference(conjoint_data("more", clustered=False, weighted=False), 1, 0)
    assert more.se > 2 * naive.se * 0.9


def test_bayes_on_the_example_reports_the_readme_figures() -> None:
    fit = bayes_ppi(conjoint_data("more"), 1, 0, draws=4000, seed=1)
    assert fit.chosen.model == "discrete"
    assert tuple(round(v, 3) for v in (fit.mean, *fit.hdi_95)) == (0.133, 0.059, 0.200)
