"""EstimateResult for ArviZ and pandas users: `idata` and `to_frame()`."""

from __future__ import annotations

import numpy as np
import pytest
from shared_fixtures import ROOT

from transport.api import load
from transport.estimate.run import estimate_study

FRAMING = ROOT / "examples" / "framing" / "study.tdag"


@pytest.fixture(scope="module")
def result():
    return estimate_study(load(FRAMING), robustness=False, draws=800)


def test_idata_keeps_chains_and_the_effect_draws(result) -> None:
    import arviz as az

    idata = result.idata
    assert {"posterior", "prior", "observed_data"} <= set(idata.groups())
    effect = idata.posterior["effect"]
    assert effect.sizes["chain"] == 4 and effect.sizes["draw"] == 200
    assert float(effect.mean()) == pytest.approx(result.effect.mean, abs=1e-12)
    summary = az.summary(idata, var_names=["effect", "effect_gpt"])
    assert list(summary.index) == ["effect", "effect_gpt"]
    assert summary.loc["effect", "mean"] == pytest.approx(result.effect.mean, abs=5e-4)
    rows = idata.observed_data["rows"]
    assert int(rows.sum()) == sum(d["rows_used"] for d in result.to_json()["data"])


def test_plot_trace_draws_the_effect(result) -> None:
    import arviz as az
    import matplotlib

    matplotlib.use("Agg")
    axes = az.plot_trace(result.idata, var_names=["effect"])
    assert np.asarray(axes).shape == (1, 2)


def test_to_frame_has_one_row_per_estimate_shown(result) -> None:
    frame = result.to_frame()
    first = frame.iloc[0]
    assert first["kind"] == "target" and first["label"] == "human (transported)"
    assert first["mean"] == pytest.approx(result.effect.mean)
    assert (first["lower_95"], first["upper_95"]) == result.effect.hdi_95
    assert set(frame.loc[frame.kind == "source", "label"]) == {"gpt: own effect",
                                                               "claude: own effect"}
    assert set(frame.loc[frame.kind == "without", "label"]) == {"without gpt",
                                                                "without claude"}
