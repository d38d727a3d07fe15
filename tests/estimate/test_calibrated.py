"""Calibration statements: a source's own effect translated through an empirical calibration,
beside the assumption-based estimate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from shared_fixtures import ROOT

from transport.api import load
from transport.cli import main
from transport.estimate.run import estimate_study

FRAMING = ROOT / "examples" / "framing"
PAIRS = ROOT / "examples" / "paired_effects" / "survey_experiments_llm_predictions.csv"


def test_framing_shows_the_calibrated_estimate_beside_the_transported_one() -> None:
    result = estimate_study(load(FRAMING / "study.tdag"), draws=2000).to_json()
    (calibrated,) = result["calibrated"]
    truth = json.loads((FRAMING / "truth.json").read_text())["true_effect"]
    assert calibrated["applies"] and calibrated["source"] == "gpt"
    assert calibrated["hdi_95"][0] <= truth <= calibrated["hdi_95"][1]
    # the calibration shrinks GPT's effect by its slope (about 0.53)
    naive = result["source_effects"]["gpt"]
    assert calibrated["mean"] == pytest.approx(
        calibrated["intercept"]["mean"] + calibrated["slope"]["mean"] * naive["mean"], abs=0.01
    )
    # a calibrated effect is a prediction of a new study's human effect: its spread holds the
    # between-study residual tau on top of the line's and GPT's own uncertainty, so it is at
    # least sqrt(E[tau^2]) and wider than GPT's own interval shrunk by the slope
    posterior = json.loads((FRAMING / "gpt4_calibration.json").read_text())["posterior"]
    tau = np.asarray(posterior["tau"])
    assert calibrated["sd"] >= np.sqrt(np.mean(tau**2)) * 0.97
    own_width = naive["hdi_95"][1] - naive["hdi_95"][0]
    width = calibrated["hdi_95"][1] - calibrated["hdi_95"][0]
    assert width > calibrated["slope"]["mean"] * own_width


def test_calibrated_effect_arithmetic() -> None:
    from transport.calibrate import calibrated_effect

    calibration = {"posterior": {"a": [0.1, 0.1], "b": [0.5, 0.5], "tau": [0.0, 0.0]}}
    draws = calibrated_effect(calibration, np.array([0.2, 0.4]), np.random.default_rng(0))
    assert draws.tolist() == pytest.approx([0.2, 0.3])


def test_missing_calibration_file_is_reported_without_stopping_the_estimate(
    tmp_path: Path,
) -> None:
    shutil.copytree(FRAMING, tmp_path / "framing")
    (tmp_path / "framing" / "gpt4_calibration.json").unlink()
    result = estimate_study(load(tmp_path / "framing" / "study.tdag"), draws=500).to_json()
    (calibrated,) = result["calibrated"]
    assert not calibrated["applies"]
    assert calibrated["reason"].endswith("gpt4_calibration.json: calibration file not found")
    assert any(w.startswith("calibration gpt4_calibration.json not applied") for w in
               result["warnings"])
    assert result["effect"]["mean"] > 0


@pytest.mark.parametrize(
    "extra", [["--level", "1.5"], ["-o", "EXISTING"]], ids=["bad-level", "existing-output"]
)
def test_calibrate_usage_errors_exit_2_before_any_sampling(tmp_path, extra, capsys) -> None:
    existing = tmp_path / "calib.json"
    existing.write_text("keep me")
    args = [a if a != "EXISTING" else str(existing) for a in extra]
    code = main(["calibrate", str(PAIRS), "--llm", "pred:gpt-4", "--human", "human_effect",
                 "--se", "human_se", *args])
    assert code == 2
    assert existing.read_text() == "keep me"
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.slow
def test_csv_calibration_statement_fits_on_the_fly(tmp_path: Path) -> None:
    shutil.copytree(FRAMING, tmp_path / "framing")
    shutil.copy(PAIRS, tmp_path / "framing" / "pairs.csv")
    study_file = tmp_path / "framing" / "study.tdag"
    text = study_file.read_text().replace(
        'calibration "gpt4_calibration.json" for gpt',
        'calibration "pairs.csv" for gpt columns { llm = "pred:gpt-4", human = "human_effect", '
        'se = "human_se", id = "study" }',
    )
    study_file.write_text(text)
    (calibrated,) = estimate_study(load(study_file), draws=1000).to_json()["calibrated"]
    assert calibrated["applies"] and 0.45 < calibrated["slope"]["mean"] < 0.6
