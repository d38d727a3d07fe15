"""Assumption checks for mechanisms with continuous variables: two parametric fits compared
by PSIS-LOO on the target's observations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from transport.api import load
from transport.data.load import load_study_data
from transport.estimate.checks import check_assumption

STUDY = """
population llm source "L"
population human target "H"
var age continuous
var appeal binary treatment
var donate binary outcome
age -> donate
appeal -> donate
shared donate
differs age
data llm "llm.csv" experiment(appeal)
data human "human.csv" experiment(appeal)
estimate effect of appeal on donate in human
fit chains 2 draws 400 tune 400 seed 3 sampler nutpie
"""


def _write(folder: Path, human_shift: float) -> Path:
    rng = np.random.default_rng(5)

    def draw(n: int, mean: float, shift: float) -> pd.DataFrame:
        age = rng.normal(mean, 10, n)
        appeal = rng.integers(0, 2, n)
        a = (age - 40) / 10
        logit = -0.5 + 0.3 * a + appeal * (0.6 + 0.4 * a + shift)
        donate = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
        return pd.DataFrame({"age": age.round(1), "appeal": appeal, "donate": donate})

    draw(2000, 35, 0.0).to_csv(folder / "llm.csv", index=False)
    draw(1000, 45, human_shift).to_csv(folder / "human.csv", index=False)
    (folder / "study.tdag").write_text(STUDY)
    return folder / "study.tdag"


@pytest.mark.slow
@pytest.mark.parametrize(("shift", "verdict"), [(0.0, "consistent"), (-2.5, "contradicted")])
def test_refit_check_flags_a_continuous_mechanism_that_differs(tmp_path, shift, verdict):
    study = load(_write(tmp_path, shift))
    (row,) = [r for r in study.assumptions if r.sharing.status == "shared"]
    check = check_assumption(row, study, load_study_data(study), np.random.default_rng(0))
    assert check.verdict == verdict
    assert check.elpd_se is not None and check.elpd_se > 0
    assert check.reason.startswith("PSIS-LOO of two parametric fits")


def test_verdict_follows_the_refit_comparison(tmp_path, monkeypatch):
    """The wiring, with the two fits replaced by a known answer (the fits are tested above)."""
    import transport.estimate.checks_refit as refit

    monkeypatch.setattr(refit, "refit_comparison", lambda *args: (-12.0, 3.0, 0.2))
    study = load(_write(tmp_path, 0.0))
    (row,) = [r for r in study.assumptions if r.sharing.status == "shared"]
    check = check_assumption(row, study, load_study_data(study), np.random.default_rng(0))
    assert (check.verdict, check.elpd_diff, check.elpd_se) == ("contradicted", -12.0, 3.0)
