"""The DoWhy bridge against the real DoWhy (skipped when the `dowhy` extra is not installed)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from transport.api import export_graph, load, loads
from transport.bridges.dowhy import population_graph, randomized_in
from transport.errors import UsageError

GRAPH_STUDY = """
population llm source "L"
population human target "H"
var z binary
var u latent
var x binary treatment
var y binary outcome
z -> x -> y
z -> y
u -> y
x <-> z
shared y
estimate effect of x on y in human
data llm "llm.csv" experiment(x) measures(z, x, y)
data human "human.csv" observational measures(z, x, y)
"""


def test_graph_has_latent_causes_and_cuts_randomised_edges() -> None:
    study = loads(GRAPH_STUDY)
    llm = population_graph(study, "llm")
    assert randomized_in(study, "llm") == ("x",)
    assert set(llm.edges) == {("x", "y"), ("z", "y"), ("u", "y"), ("U_x_z", "z")}
    assert llm.nodes["U_x_z"]["observed"] == "no" and llm.nodes["u"]["observed"] == "no"
    human = population_graph(study, "human")
    assert set(human.edges) == {("z", "x"), ("x", "y"), ("z", "y"), ("u", "y"),
                                ("U_x_z", "x"), ("U_x_z", "z")}


def test_unknown_population_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="'humans' is not a population of this study; "
                                         "did you mean 'human'"):
        population_graph(loads(GRAPH_STUDY), "humans")


dowhy = pytest.importorskip("dowhy") if importlib.util.find_spec("dowhy") else None
requires_dowhy = pytest.mark.skipif(importlib.util.find_spec("dowhy") is None,
                                    reason="the dowhy extra is not installed")


@requires_dowhy
def test_dot_export_parses_in_dowhy() -> None:
    study = loads('study "A titled study"\n' + GRAPH_STUDY)
    frame = pd.DataFrame({"z": [0, 1, 0, 1], "x": [0, 0, 1, 1], "y": [0, 1, 1, 1]})
    model = dowhy.CausalModel(data=frame, treatment="x", outcome="y",
                              graph=export_graph(study, "dot"))
    edges = set(model._graph._graph.edges)
    assert {("z", "x"), ("x", "y"), ("z", "y"), ("u", "y")} <= edges
    assert any(tail.startswith("S_llm_") for tail, _ in edges)


def _write_study(folder: Path, rows: int = 4000, seed: int = 1) -> Path:
    """An all-binary study where every mechanism is shared and the target measures
    everything: the human effect is identified from the human data by adjusting for z.
    P(y=1 | x, z) = 0.2 + 0.3 x + 0.2 z, so the risk difference is 0.3 in every stratum."""
    rng = np.random.default_rng(seed)

    def draw(n: int, pz: float) -> pd.DataFrame:
        z = rng.binomial(1, pz, n)
        x = rng.binomial(1, 0.3 + 0.4 * z)
        y = rng.binomial(1, 0.2 + 0.3 * x + 0.2 * z)
        return pd.DataFrame({"z": z, "x": x, "y": y})

    draw(rows, 0.5).to_csv(folder / "llm.csv", index=False)
    draw(rows, 0.5).to_csv(folder / "human.csv", index=False)
    path = folder / "study.tdag"
    path.write_text("""
population llm source "L"
population human target "H"
var z binary
var x binary treatment
var y binary outcome
z -> x -> y
z -> y
shared z, x, y because "same process"
estimate effect of x on y in human
data llm "llm.csv" observational measures(z, x, y)
data human "human.csv" observational measures(z, x, y)
""", encoding="utf-8")
    return path


@requires_dowhy
def test_our_adjustment_estimate_and_dowhys_agree(tmp_path: Path) -> None:
    from transport import to_dowhy
    from transport.api import estimate_study

    study = load(_write_study(tmp_path))
    model = to_dowhy(study, "human")
    estimand = model.identify_effect(proceed_when_unidentifiable=True)
    assert estimand.get_backdoor_variables() == ["z"]
    theirs = model.estimate_effect(estimand, method_name="backdoor.linear_regression",
                                   confidence_intervals=True)
    low, high = np.asarray(theirs.get_confidence_intervals()).ravel()
    ours = estimate_study(study, seed=0, checks=False, robustness=False)
    summary = ours.to_json()["effect"]
    our_low, our_high = summary["hdi_95"]
    assert low <= summary["mean"] <= high
    assert our_low <= theirs.value <= our_high
    assert abs(theirs.value - 0.3) < 0.05


@pytest.mark.slow  # DoWhy's kernel independence tests: ~45 s on 2 cores
@requires_dowhy
def test_distribution_change_finds_the_mechanism_that_differs(tmp_path: Path) -> None:
    from transport.bridges.dowhy import distribution_change

    rng = np.random.default_rng(3)
    n = 1500

    def draw(pz: float, y_shift: float) -> pd.DataFrame:
        z = rng.binomial(1, pz, n)
        x = rng.binomial(1, 0.5, n)
        y = rng.binomial(1, np.clip(0.2 + 0.3 * x + 0.2 * z + y_shift * x, 0, 1))
        return pd.DataFrame({"z": z, "x": x, "y": y})

    study = loads("""
population llm source "L"
population human target "H"
var z binary
var x binary treatment
var y binary outcome
z -> y
x -> y
differs z because "personas on a grid"
shared y because "learned from human text"
estimate effect of x on y in human
data llm "llm.csv" experiment(x) measures(z, x, y)
data human "human.csv" experiment(x) measures(z, x, y)
""")
    frames = {"llm": draw(0.2, 0.0), "human": draw(0.8, 0.3)}
    result = distribution_change(study, "llm", data=frames, seed=0, num_samples=200)
    by = {m.variable: m for m in result.mechanisms}
    assert by["z"].declared == "differs" and by["z"].changed
    assert by["y"].declared == "shared" and by["y"].changed
    assert result.disagreements() == (by["y"],)
    assert by["x"].declared == "randomized" and not by["x"].changed
    assert by["y"].parents == ("x", "z")
    assert set(result.to_json()) == {"source", "target", "outcome", "variables", "level",
                                     "seed", "mechanisms"}
