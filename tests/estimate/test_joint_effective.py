"""Effective statistics in the joint model: clustered rows count at their effective sample
size, and the target's per-unit predictions become prediction-powered statistics, with
known answers (singleton clusters change nothing, duplicated rows count once, useless
predictions add nothing, perfect ones count every unit)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pytest

from transport.api import load
from transport.data.load import load_study_data
from transport.estimate.synthesis.clusters import design_effects
from transport.estimate.synthesis.evidence import mechanism_evidence
from transport.estimate.synthesis.predicted import (
    PredictionRows,
    _discrete_cell,
    _matched_counts,
    powered_statistics,
)
from transport.schemas import validate

HEADER = """\
population llm   source
population human target
var z binary
var x binary treatment
var y binary outcome
{z x} -> y
differs z
shared y for llm
"""


def _frame(n: int, rng: np.random.Generator) -> pd.DataFrame:
    z = rng.integers(0, 2, n)
    x = rng.integers(0, 2, n)
    y = rng.binomial(1, 1 / (1 + np.exp(-(-0.3 + 0.6 * z + 0.8 * x))))
    return pd.DataFrame({"z": z, "x": x, "y": y})


def _study(folder: Path, human: pd.DataFrame, llm: pd.DataFrame, human_clause: str = "",
           llm_clause: str = "", extra_data: str = ""):
    human.to_csv(folder / "human.csv", index=False)
    llm.to_csv(folder / "llm.csv", index=False)
    text = (HEADER
            + f'data llm "llm.csv" experiment(x) measures(z, x, y) {llm_clause}\n'
            + f'data human "human.csv" experiment(x) measures(z, x, y) {human_clause}\n'
            + extra_data + "estimate effect of x on y in human\n")
    (folder / "study.tdag").write_text(text)
    study = load(folder / "study.tdag")
    return study, load_study_data(study)


def _groups(study, loaded, variable: str = "y") -> dict:
    return {g.population: g for g in mechanism_evidence(study, loaded, variable).groups}


# --- design effects on their own --------------------------------------------------------

def test_rows_that_are_their_own_clusters_give_a_design_effect_of_exactly_one() -> None:
    rng = np.random.default_rng(0)
    residuals = rng.normal(size=(50, 2))
    found = design_effects(residuals, rng.integers(0, 4, 50), np.arange(50), 4)
    assert np.array_equal(found.per_cell, np.ones(4)) and found.pooled == 1.0


def test_every_row_duplicated_into_a_cluster_of_two_gives_a_design_effect_of_two() -> None:
    rng = np.random.default_rng(1)
    n = 400
    residuals = rng.normal(size=(n, 1))
    cell = rng.integers(0, 3, n)
    found = design_effects(np.repeat(residuals, 2, axis=0), np.repeat(cell, 2), np.repeat(
        np.arange(n), 2), 3)
    # exactly 2 up to the clusters' and rows' n/(n-1) corrections
    assert found.per_cell == pytest.approx(2.0, rel=0.01)
    assert found.pooled == pytest.approx(2.0, rel=0.01)


def test_a_sparse_cell_is_shrunk_towards_the_mechanism_and_floored_at_one() -> None:
    rng = np.random.default_rng(2)
    residuals = np.concatenate([np.repeat(rng.normal(size=(200, 1)), 3, axis=0),
                                rng.normal(size=(3, 1))])
    cell = np.concatenate([np.zeros(600, int), np.ones(3, int)])
    cluster = np.concatenate([np.repeat(np.arange(200), 3), [200, 201, 201]])
    found = design_effects(residuals, cell, cluster, 2)
    assert found.per_cell[0] == pytest.approx(3.0, rel=0.05)
    # the two-cluster cell's own ratio is noise; it is pulled most of the way to ~3
    assert 2.0 < found.per_cell[1] < 3.1
    assert np.all(found.per_cell >= 1.0)


def test_with_the_treatment_a_parent_the_contrast_decides_the_design_effect() -> None:
    rng = np.random.default_rng(13)
    n, shape = 300, (2, 2)  # parents (z, x), the treatment x on axis 1
    level = rng.normal(size=n)
    z = rng.integers(0, 2, n)
    # each cluster: two rows in each arm, all four sharing the cluster's level
    residuals = np.repeat(level, 4)[:, None]
    cell = np.ravel_multi_index((np.repeat(z, 4), np.tile([0, 0, 1, 1], n)), shape)
    cluster = np.repeat(np.arange(n), 4)
    sizes = np.bincount(cell, minlength=4).astype(float)
    per_cell = design_effects(residuals, cell, cluster, 4)
    spanning = design_effects(residuals, cell, cluster, 4, shape=shape, treatment_axis=1,
                              sizes=sizes)
    # each arm's mean has a design effect of 2, but the level cancels in the contrast
    assert per_cell.per_cell == pytest.approx(2.0, rel=0.05)
    assert np.array_equal(spanning.per_cell, np.ones(4))
    # clusters nested in one arm: the contrast is inflated like each arm's mean
    arm = np.repeat(rng.integers(0, 2, n), 4)
    nested_cell = np.ravel_multi_index((np.repeat(z, 4), arm), shape)
    nested = design_effects(residuals, nested_cell, cluster, 4, shape=shape,
                            treatment_axis=1,
                            sizes=np.bincount(nested_cell, minlength=4).astype(float))
    assert nested.per_cell == pytest.approx(4.0, rel=0.05)


# --- through the evidence of a study ----------------------------------------------------

def test_a_cluster_column_of_unique_ids_changes_no_statistic(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    human, llm = _frame(300, rng), _frame(800, rng)
    plain = _groups(*_study(tmp_path, human, llm))
    human["id"] = np.arange(len(human))
    clustered = _groups(*_study(tmp_path, human, llm, 'cluster "id"'))
    assert np.array_equal(plain["human"].stats, clustered["human"].stats)
    assert plain["human"].effective is None
    assert clustered["human"].effective.cluster.pooled == 1.0


def test_duplicated_rows_in_clusters_of_two_halve_the_effective_n(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    human, llm = _frame(400, rng), _frame(800, rng)
    plain = _groups(*_study(tmp_path, human, llm))
    twice = pd.concat([human, human]).sort_index(kind="stable")
    twice["pair"] = twice.index
    doubled = _groups(*_study(tmp_path, twice, llm, 'cluster "pair"'))
    assert doubled["human"].rows == 800
    assert doubled["human"].stats == pytest.approx(plain["human"].stats, rel=0.03)
    assert doubled["human"].effective.effective_n == pytest.approx(400, rel=0.02)
    assert doubled["human"].effective.weighted_n == 800
    assert doubled["human"].effective.cluster.pooled == pytest.approx(2.0, rel=0.02)
    # the source's rows are untouched: it declares no cluster
    assert np.array_equal(doubled["llm"].stats, plain["llm"].stats)


def test_a_source_clustered_by_persona_enters_at_its_effective_size(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    human, llm = _frame(300, rng), _frame(200, rng)
    runs = pd.concat([llm] * 5).sort_index(kind="stable")
    runs["persona"] = runs.index
    found = _groups(*_study(tmp_path, human, runs, llm_clause='cluster "persona"'))
    assert found["llm"].effective.effective_n == pytest.approx(200, rel=0.03)
    assert found["llm"].effective.cluster.columns == ("persona",)
    assert found["llm"].effective.cluster.clusters == 200


def test_statement_order_does_not_change_the_effective_statistics(tmp_path: Path) -> None:
    rng = np.random.default_rng(6)
    human, llm = _frame(300, rng), _frame(600, rng)
    human["r"] = np.arange(len(human)) // 3
    extra = _frame(90, rng)
    extra["r"] = np.arange(len(extra)) // 3
    extra.to_csv(tmp_path / "more.csv", index=False)
    first = 'data human "more.csv" experiment(x) measures(z, x, y) cluster "r"\n'
    one = _groups(*_study(tmp_path, human, llm, 'cluster "r"', extra_data=first))
    text = (tmp_path / "study.tdag").read_text().splitlines(keepends=True)
    moved = [line for line in text if "more.csv" in line]
    rest = [line for line in text if "more.csv" not in line]
    (tmp_path / "study.tdag").write_text("".join(rest[:8] + moved + rest[8:]))
    study = load(tmp_path / "study.tdag")
    two = _groups(study, load_study_data(study))
    assert np.array_equal(one["human"].stats, two["human"].stats)


# --- prediction-powered statistics ------------------------------------------------------

def _prediction_rows(y: np.ndarray, f: np.ndarray, labelled: int) -> PredictionRows:
    n = len(y)
    flags = np.arange(n) < labelled
    return PredictionRows(np.zeros(n, dtype=np.int64), f.astype(float), np.ones(n),
                          np.arange(n), flags, np.where(flags, y, np.nan))


def test_the_stratified_posterior_moments_are_exact() -> None:
    shares = np.array([30.0, 12.0, 5.0])
    answers = np.array([[20.0, 6.0], [3.0, 4.0], [0.0, 2.0]])
    mean, variance, _ = _discrete_cell(shares, answers)
    rng = np.random.default_rng(7)
    pi = rng.dirichlet(0.5 + shares, 400_000)
    theta = np.stack([rng.dirichlet(0.5 + a, 400_000) for a in answers], axis=1)
    p = np.einsum("db,dbk->dk", pi, theta)
    assert mean == pytest.approx(p.mean(axis=0), abs=1e-3)
    assert variance == pytest.approx(p.var(axis=0), rel=0.02)


def test_matched_counts_reproduce_the_posterior_mean_and_variance() -> None:
    means = np.array([[0.3, 0.7]])
    variances = np.array([[0.001, 0.001]])
    counts, effective = _matched_counts(means, variances, np.array([True]))
    a, b = 1 + counts[0, 0], 1 + counts[0, 1]
    assert a / (a + b) == pytest.approx(0.3)
    assert a * b / ((a + b) ** 2 * (a + b + 1)) == pytest.approx(0.001)
    assert effective[0] == pytest.approx(counts.sum())


def test_useless_predictions_add_no_more_than_noise_to_the_labelled_n() -> None:
    found = []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        y = rng.binomial(1, 0.4, 2400)
        f = rng.binomial(1, 0.5, 2400)  # independent of the answer
        stats = powered_statistics(_prediction_rows(y, f, 400), "discrete", 2, 1)
        found.append(stats.effective_n.sum())
    assert 400 * 0.97 < np.mean(found) < 400 * 1.03
    assert max(found) < 400 * 1.05


def test_perfect_predictions_count_every_unit() -> None:
    rng = np.random.default_rng(8)
    y = rng.binomial(1, 0.4, 2400)
    found = [powered_statistics(_prediction_rows(y, y, labelled), "discrete", 2, 1)
             .effective_n.sum() for labelled in (400, 1600)]
    # short of 2,400 only by what the labelled units leave uncertain about P(y | prediction)
    # (Beta(0.5 + n, 0.5) is not a point mass): 5% with 400 labelled, under 2% with 1,600
    assert 0.93 * 2400 < found[0] < found[1] < 1.001 * 2400
    assert found[1] > 0.98 * 2400


def test_continuous_perfect_predictions_approach_every_unit_through_bins() -> None:
    rng = np.random.default_rng(9)
    y = rng.normal(size=5000)
    stats = powered_statistics(_prediction_rows(y, y, 1000), "gaussian", 1, 1)
    assert stats.bins == 10
    # ten quantile bins of a perfect prediction leave some of the outcome's variance within
    # bins, which only the 1,000 labelled units measure: about 82% of the 5,000 units
    assert stats.effective_n.sum() > 0.75 * 5000
    mean = stats.stats[0, 1] / stats.stats[0, 0]
    assert mean == pytest.approx(y.mean(), abs=0.01)


PREDICTIONS = """\
population llm   source
population human target
var z binary
var x binary treatment
var y binary outcome
{z x} -> y
differs z
partial y sd 0.5 for llm
data llm "llm.csv" experiment(x) measures(z, x, y)
data human "lab.csv" experiment(x) measures(z, x, y) predictions { y by llm = "f" }
data human "unl.csv" experiment(x) measures(z, x) predictions { y by llm = "f" }
estimate effect of x on y in human
"""


def _powered_study(folder: Path, accuracy: float, seed: int = 10):
    rng = np.random.default_rng(seed)
    every = _frame(3000, rng)
    every["f"] = np.where(rng.random(3000) < accuracy, every["y"], 1 - every["y"])
    every.iloc[:400].to_csv(folder / "lab.csv", index=False)
    every.iloc[400:].drop(columns="y").to_csv(folder / "unl.csv", index=False)
    _frame(500, rng).to_csv(folder / "llm.csv", index=False)
    (folder / "study.tdag").write_text(PREDICTIONS)
    study = load(folder / "study.tdag")
    return study, load_study_data(study)


def test_the_target_mechanism_uses_the_predictions_of_unlabelled_rows(tmp_path) -> None:
    study, loaded = _powered_study(tmp_path, 0.9)
    human = _groups(study, loaded)["human"]
    powered = human.effective.prediction
    assert powered.predictor == "llm" and powered.labelled_rows == 400
    assert powered.unlabelled_rows == 2600 and powered.bins == 2
    assert powered.labelled_effective_n == pytest.approx(400)
    assert 400 < powered.effective_n < 3000
    # the prediction-powered proportions agree with the labelled rows' within noise
    plain = human.stats.sum()
    assert plain == pytest.approx(powered.effective_n)
    # mechanisms the predictions do not speak to are untouched
    assert _groups(study, loaded, "z")["human"].effective is None


def test_the_estimate_reports_the_prediction_powered_mechanism(tmp_path) -> None:
    from transport.estimate.run import estimate_study

    study, _ = _powered_study(tmp_path, 0.9)
    result = estimate_study(study, draws=500, checks=False, robustness=False).to_json()
    entries = {e["mechanism"]: e for e in result["effective_samples"]}
    entry = entries["y"]
    assert entry["population"] == "human" and entry["cluster"] is None
    assert entry["prediction_powered"]["predictor"] == "llm"
    assert entry["prediction_powered"]["effective_n_by_predictor"] == {
        "llm": pytest.approx(entry["effective_n"])}
    assert "z" not in entries
    validate(json.loads(json.dumps(result)), "estimate")
    broken = json.loads(json.dumps(result))
    broken["effective_samples"][0]["cluster"] = {"columns": ["r"], "clusters": 3,
                                                 "design_effect": 0.5,
                                                 "design_effect_range": [0.5, 0.5]}
    with pytest.raises(jsonschema.ValidationError):
        validate(broken, "estimate")


TWO_PREDICTORS = """\
population good  source
population bad   source
population human target
var z binary
var x binary treatment
var y binary outcome
{z x} -> y
differs z
data human "lab.csv" experiment(x) measures(z, x, y) predictions { y by good = "g", y by bad = "b" }
data human "unl.csv" experiment(x) measures(z, x) predictions { y by good = "g", y by bad = "b" }
data human "plain.csv" experiment(x) measures(z, x, y)
estimate effect of x on y in human
"""


def test_the_predictor_with_the_largest_effective_n_is_used_and_plain_rows_add(tmp_path
                                                                               ) -> None:
    rng = np.random.default_rng(12)
    every = _frame(2000, rng)
    every["g"] = np.where(rng.random(2000) < 0.95, every["y"], 1 - every["y"])
    every["b"] = rng.integers(0, 2, 2000)
    every.iloc[:300].to_csv(tmp_path / "lab.csv", index=False)
    every.iloc[300:].drop(columns="y").to_csv(tmp_path / "unl.csv", index=False)
    _frame(200, rng).to_csv(tmp_path / "plain.csv", index=False)
    (tmp_path / "study.tdag").write_text(TWO_PREDICTORS)
    study = load(tmp_path / "study.tdag")
    human = _groups(study, load_study_data(study))["human"]
    powered = human.effective.prediction
    by = dict(powered.candidates)
    assert powered.predictor == "good" and by["good"] > 2 * by["bad"]
    assert by["bad"] < 300 * 1.1
    # the 200 rows without predictions are added at their own size
    assert human.stats.sum() == pytest.approx(powered.effective_n + 200)
    assert human.rows == 500


CONTINUOUS = """\
population llm   source
population human target
var z binary
var x binary treatment
var y continuous outcome
{z x} -> y
differs z
shared y for llm
data llm "llm.csv" experiment(x) measures(z, x, y)
data human "human.csv" experiment(x) measures(z, x, y) cluster "pair"
estimate effect of x on y in human
"""


def test_a_continuous_outcome_duplicated_into_pairs_counts_once(tmp_path: Path) -> None:
    rng = np.random.default_rng(14)
    n = 400
    human = pd.DataFrame({"z": rng.integers(0, 2, n), "x": rng.integers(0, 2, n)})
    human["y"] = 0.5 * human["x"] + human["z"] + rng.normal(size=n)
    twice = pd.concat([human, human]).sort_index(kind="stable")
    twice["pair"] = twice.index
    twice.to_csv(tmp_path / "human.csv", index=False)
    human.iloc[:100].to_csv(tmp_path / "llm.csv", index=False)
    (tmp_path / "study.tdag").write_text(CONTINUOUS)
    study = load(tmp_path / "study.tdag")
    group = _groups(study, load_study_data(study))["human"]
    n_cell, total, squares = group.stats.T
    plain = np.zeros((4, 3))
    cell = human["x"].to_numpy() * 2 + human["z"].to_numpy()  # parents sorted: (x, z)
    for power in range(3):
        plain[:, power] = np.bincount(cell, weights=human["y"].to_numpy() ** power,
                                      minlength=4)
    assert n_cell == pytest.approx(plain[:, 0], rel=0.03)
    # the cell means and within-cell spread are kept; only their weight is halved
    assert total / n_cell == pytest.approx(plain[:, 1] / plain[:, 0], rel=1e-9)
    assert squares / n_cell == pytest.approx(plain[:, 2] / plain[:, 0], rel=1e-9)


def test_a_sources_worth_is_counted_in_the_targets_effective_observations(tmp_path) -> None:
    # Every human row twice, in clusters of two: 800 rows worth 400 independent ones. The
    # LLM's worth is counted against those 400 (the variance ratio is the same), not the 800.
    from transport.estimate.synthesis.contributions import contributions
    from transport.estimate.synthesis.joint import JointModel, effect_draws

    rng = np.random.default_rng(4)
    human, llm = _frame(400, rng), _frame(800, rng)
    twice = pd.concat([human, human]).sort_index(kind="stable")
    twice["pair"] = twice.index
    worth = {}
    for name, rows, clause in (("plain", human, ""), ("pairs", twice, 'cluster "pair"')):
        folder = tmp_path / name
        folder.mkdir()
        study, loaded = _study(folder, rows, llm, clause)
        model = JointModel.build(study, loaded, seed=3)
        effect = effect_draws(study, model.draw(4000, 3))
        (found,) = contributions(model, effect, 4000, 3)
        worth[name] = found
    assert worth["pairs"].effective_human_n == pytest.approx(worth["plain"].effective_human_n,
                                                             rel=0.08)
    assert "independent human observations" in worth["pairs"].note
    observed = float(re.search(r"on the (\d+) observed", worth["pairs"].note).group(1))
    assert observed == pytest.approx(400, rel=0.02)
    assert "human participants (" in worth["plain"].note and "on the 400 observed" in \
        worth["plain"].note
