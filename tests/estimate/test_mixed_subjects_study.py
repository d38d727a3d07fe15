"""Per-unit predictions in a study file reach PPI++ and its Bayesian counterpart through
`estimate`, with the clusters and weights the data statements name, and agree with the
numerical core run on the same CSVs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shared_fixtures import ROOT

from transport.api import load
from transport.estimate.mixed_subjects.inputs import MixedSubjectsData, Units
from transport.estimate.mixed_subjects.ppi import ppi_difference
from transport.estimate.run import estimate_study

CONJOINT = ROOT / "examples" / "conjoint"


@pytest.fixture(scope="module")
def estimated():
    return estimate_study(load(CONJOINT / "study.tdag"), draws=1000, robustness=False,
                          checks=False)


@pytest.fixture(scope="module")
def result(estimated) -> dict:
    return estimated.to_json()


def test_the_study_reports_per_unit_ppi_with_its_design(result: dict) -> None:
    ppi = result["ppi"]
    assert ppi["applies"] and ppi["kind"] == "per-unit predictions"
    assert ppi["predictor"] == "gpt4o" and ppi["cluster"] == "respondent_id"
    assert ppi["weighted"] is True and ppi["effective_human_n"] > ppi["n_labelled"]
    low, high = ppi["ci_95"]
    assert low < ppi["estimate"] < high
    bayes = result["bayes_ppi"]
    assert bayes["predictor"] == "gpt4o" and bayes["hdi_95"][0] < bayes["mean"] < \
        bayes["hdi_95"][1]


def test_the_study_level_ppi_equals_the_numerical_core_on_the_same_rows(result) -> None:
    def units(name: str, labelled: bool) -> Units:
        frame = pd.read_csv(CONJOINT / "data" / name)
        return Units(arm=frame["more"].to_numpy().astype(object),
                     predictions={"gpt4o": frame["gpt4o_saved"].to_numpy(float)},
                     outcome=frame["saved"].to_numpy(float) if labelled else None,
                     cluster=np.asarray([f"respondent_id={v}" for v in frame["respondent_id"]],
                                        dtype=object),
                     weight=frame["design_w"].to_numpy(float))

    direct = ppi_difference(MixedSubjectsData(units("labelled.csv", True),
                                              units("unlabelled.csv", False)), 1, 0)
    assert result["ppi"]["estimate"] == pytest.approx(direct.estimate, abs=1e-12)
    assert result["ppi"]["ci_95"] == pytest.approx(list(direct.ci), abs=1e-12)
    assert result["ppi"]["estimate"] == pytest.approx(0.152, abs=5e-4)  # the README's figure


def test_the_joint_model_uses_the_clusters_and_the_predictions(result) -> None:
    assert not any("share a cluster" in w for w in result["warnings"])
    entries = {e["mechanism"]: e for e in result["effective_samples"]}
    saved, age = entries["saved"], entries["age"]
    assert saved["cluster"]["columns"] == ["respondent_id"]
    assert saved["cluster"]["design_effect"] > 1.5
    powered = saved["prediction_powered"]
    assert powered["predictor"] == "gpt4o"
    assert powered["labelled_rows"] == 3600 and powered["unlabelled_rows"] == 13200
    # the predictions are worth something: more than the clustered labelled rows alone
    assert powered["effective_n"] > powered["labelled_effective_n"]
    # age is the respondent's: its 16,800 rows carry about one answer per respondent
    assert age["cluster"]["design_effect"] == pytest.approx(16800 / 1300, rel=0.05)


def test_the_text_says_what_the_rows_were_worth(estimated, result) -> None:
    from transport.render.estimate import estimate_text

    entries = {e["mechanism"]: e for e in result["effective_samples"]}
    saved = entries["saved"]
    text = estimate_text(estimated)
    assert "Rows at their effective size (clusters, per-unit predictions):" in text
    assert (f"  saved in human: 3600 rows worth {saved['effective_n']:.0f} observations; 300 "
            f"clusters of respondent_id, design effect {saved['cluster']['design_effect']:.2f}; "
            f"gpt4o's predictions on 13200 unlabelled rows raise it from "
            f"{saved['prediction_powered']['labelled_effective_n']:.0f}, assuming the labelled "
            "units are a random sample of the units with predictions, within each parent "
            "cell.") in text
