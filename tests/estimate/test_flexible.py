"""Continuous covariates and parents in the joint model (synthesis/continuous.py,
regression.py, design.py, splines.py): known answers, pooling, order invariance, and the
examples that used to need PyMC."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from transport.api import load
from transport.data.load import load_study_data
from transport.estimate.run import estimate_study
from transport.estimate.scope import unsupported_reason
from transport.estimate.synthesis.continuous import Atoms
from transport.estimate.synthesis.joint import JointModel, effect_draws, mean_under
from transport.estimate.synthesis.regression import Block, fit_blocks, regression_fits
from transport.estimate.synthesis.splines import SplineBasis
from transport.schemas import validate

ROOT = Path(__file__).resolve().parents[2]

CONTINUOUS = """\
tdag 1
population trial source "trial"
population target target "target"
var A binary treatment
var Y continuous outcome
var W continuous
{{A W}} -> Y
{claim}
differs W
{model}
{data}
estimate effect of A on Y in target contrast 1 vs 0
"""


def curve(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """A smooth nonlinear outcome curve with a U-shaped treatment effect."""
    return np.sin(2 * w) + a * w**2


def write(folder: Path, *, claim: str = "shared Y", model: str = "",
          data: str | None = None, seed: int = 0, n: int = 1500, shuffle: bool = False
          ) -> Path:
    rng = np.random.default_rng(seed)
    w = rng.uniform(-2, 2, n)
    a = rng.integers(0, 2, n)
    y = curve(a, w) + rng.normal(0, 0.3, n)
    trial = pd.DataFrame({"A": a, "W": np.round(w, 4), "Y": y})
    target = pd.DataFrame({"W": np.round(rng.normal(0.5, 0.6, n), 4).clip(-2, 2)})
    if shuffle:
        trial = trial.sample(frac=1.0, random_state=1)
        target = target.sample(frac=1.0, random_state=2)
    trial.to_csv(folder / "trial.csv", index=False)
    target.to_csv(folder / "target.csv", index=False)
    data = data or ('data trial "trial.csv" experiment(A)\n'
                    'data target "target.csv" observational measures(W)')
    path = folder / "study.tdag"
    path.write_text(CONTINUOUS.format(claim=claim, model=model, data=data))
    return path


def model_of(path: Path, seed: int = 0) -> JointModel:
    study = load(path)
    return JointModel.build(study, load_study_data(study, False), seed=seed)


def test_spline_basis_is_a_partition_of_unity_and_extends_linearly() -> None:
    basis = SplineBasis.over(np.array([0.0, 1.0]), 8)
    x = np.linspace(-1.0, 2.0, 13)
    design = basis(x)
    assert np.allclose(design.sum(axis=1), 1.0)
    # coefficients linear in their index give a straight line, inside and outside the range,
    # and the second-difference penalty does not touch it
    line = design @ np.arange(8.0)
    assert np.allclose(np.diff(line, 2), 0.0, atol=1e-9)
    assert np.allclose(basis.penalty() @ np.arange(8.0), 0.0)


def test_atoms_are_exact_values_or_quantile_bin_means() -> None:
    exact = Atoms.of(np.array([3.0, 1.0, 2.0, 2.0]), 10)
    assert list(exact.values) == [1.0, 2.0, 3.0] and not exact.binned
    assert list(exact.index(np.array([1.0, 2.2, 2.9, 9.0]))) == [0, 1, 2, 2]
    values = np.arange(1000.0)
    binned = Atoms.of(values, 10)
    assert binned.binned and binned.values.size == 10
    assert np.allclose(binned.values, np.arange(10) * 100 + 49.5)
    assert np.bincount(binned.index(values)).tolist() == [100] * 10


def test_the_default_spline_recovers_a_known_curve(tmp_path: Path) -> None:
    joint = model_of(write(tmp_path))
    evidence = joint.evidence["Y"]
    assert evidence.regression is not None and evidence.parents == ("A", "W")
    (fit,) = regression_fits(evidence, [(g, None) for g in evidence.groups])
    spec = evidence.regression
    means = spec.centre + spec.scale * (spec.design.matrix(spec.grid) @ fit.mean)
    truth = curve(spec.grid[:, 0], spec.grid[:, 1])
    inside = np.abs(spec.grid[:, 1]) < 1.8
    assert np.max(np.abs(means - truth)[inside]) < 0.12


def test_continuous_outcome_effect_matches_the_truth(tmp_path: Path) -> None:
    path = write(tmp_path)
    joint = model_of(path)
    study = load(path)
    target = pd.read_csv(tmp_path / "target.csv").W.to_numpy()
    truth = float(np.mean(target**2))  # E_target[W^2], the sample's own mean
    effect = effect_draws(study, joint.draw(1000, 0))
    assert abs(effect.mean() - truth) < 3 * effect.std()
    assert effect.std() < 0.05


def test_a_linear_model_statement_misses_the_u_shape(tmp_path: Path) -> None:
    path = write(tmp_path, model="model Y ~ A * W")
    study = load(path)
    joint = model_of(path)
    evidence = joint.evidence["Y"]
    assert [t.factors[-1].transform for t in evidence.regression.design.terms] == [
        "level", "linear", "linear"]
    target = pd.read_csv(tmp_path / "target.csv").W.to_numpy()
    effect = effect_draws(study, joint.draw(1000, 0))
    # the straight line puts the trial's average effect (E W^2 = 4/3) everywhere
    assert abs(effect.mean() - np.mean(target**2)) > 0.5


def test_shared_pooling_equals_the_concatenated_rows(tmp_path: Path) -> None:
    pooled = tmp_path / "pooled"
    alone = tmp_path / "alone"
    pooled.mkdir()
    alone.mkdir()
    write(pooled)
    trial = pd.read_csv(pooled / "trial.csv")
    first, second = trial.iloc[:700], trial.iloc[700:]
    first.to_csv(pooled / "trial.csv", index=False)
    second.to_csv(pooled / "target_rows.csv", index=False)
    data = ('data trial "trial.csv" experiment(A)\n'
            'data target "target_rows.csv" experiment(A)\n'
            'data target "target.csv" observational measures(W)')
    path = pooled / "study.tdag"
    path.write_text(CONTINUOUS.format(claim="shared Y", model="", data=data))
    write(alone)
    trial.to_csv(alone / "target_rows.csv", index=False)
    data_alone = ('data target "target_rows.csv" experiment(A)\n'
                  'data target "target.csv" observational measures(W)')
    (alone / "study.tdag").write_text(
        CONTINUOUS.format(claim="", model="", data=data_alone))
    one, two = model_of(path), model_of(alone / "study.tdag")
    fit_one = regression_fits(one.evidence["Y"], [(g, None) for g in one.evidence["Y"].groups])
    fit_two = regression_fits(two.evidence["Y"], [(g, None) for g in two.evidence["Y"].groups])
    assert np.allclose(fit_one[0].mean, fit_two[0].mean, atol=1e-6)
    assert np.allclose(fit_one[0].cov, fit_two[0].cov, atol=1e-8)


def test_partial_with_a_tiny_scale_is_shared_and_a_huge_one_ignores_the_source() -> None:
    rng = np.random.default_rng(4)
    x = np.column_stack([np.ones(400), rng.normal(size=400)])
    y = (rng.random(400) < 1 / (1 + np.exp(-(0.3 + x[:, 1])))).astype(float)
    own, source = Block(x[:100], y[:100], np.ones(100), None), Block(x[100:], y[100:],
                                                                     np.ones(300), None)
    ridge = np.full(2, 1 / 2.5**2)
    shared = fit_blocks([own, source], ridge, [], [], "logistic")
    tight = fit_blocks([own, replace(source, shift=0)], ridge, [], [1e-4], "logistic")
    loose = fit_blocks([own, replace(source, shift=0)], ridge, [], [1e3], "logistic")
    alone = fit_blocks([own], ridge, [], [], "logistic")
    assert np.allclose(tight.mean, shared.mean, atol=1e-3)
    assert np.allclose(loose.mean, alone.mean, atol=1e-3)
    assert np.all(np.diag(loose.cov) > np.diag(shared.cov))


def test_order_of_statements_and_rows_does_not_change_the_numbers(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    swapped = ('data target "target.csv" observational measures(W)\n'
               'data trial "trial.csv" experiment(A)')
    study_one, study_two = write(first), write(second, data=swapped, shuffle=True)
    draws = []
    for path in (study_one, study_two):
        study = load(path)
        draws.append(effect_draws(study, model_of(path, seed=5).draw(500, 5)))
    assert np.allclose(draws[0], draws[1], atol=1e-9)


def test_all_discrete_studies_do_not_use_the_continuous_code() -> None:
    study = load(ROOT / "examples" / "framing" / "study.tdag")
    joint = JointModel.build(study, load_study_data(study, False), seed=1)
    for evidence in joint.evidence.values():
        assert evidence.regression is None and evidence.atoms is None
        assert all(g.table is None for g in evidence.groups)


def test_a_model_statement_on_discrete_parents_replaces_the_cell_model(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    n = 3000
    a, z = rng.integers(0, 2, n), rng.integers(0, 2, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(-0.5 + a + 0.8 * z)))).astype(int)
    pd.DataFrame({"A": a, "Z": z, "Y": y}).to_csv(tmp_path / "t.csv", index=False)
    text = """\
tdag 1
population gpt source
population human target
var A binary treatment
var Z binary
var Y binary outcome
{A Z} -> Y
model Y ~ A + Z
data human "t.csv" experiment(A)
estimate effect of A on Y in human contrast 1 vs 0
"""
    (tmp_path / "s.tdag").write_text(text)
    study = load(tmp_path / "s.tdag")
    joint = JointModel.build(study, load_study_data(study, False), seed=0)
    assert joint.evidence["Y"].regression is not None
    assert joint.evidence["Z"].regression is None
    treated = mean_under(study, joint.draw(2000, 0), 1).mean()
    control = mean_under(study, joint.draw(2000, 0), 0).mean()
    expected = np.mean([1 / (1 + np.exp(-(-0.5 + 1 + 0.8 * v))) - 1 / (1 + np.exp(
        -(-0.5 + 0.8 * v))) for v in (0, 1)])
    assert abs((treated - control) - expected) < 0.04


def test_refusals_name_the_reason(tmp_path: Path) -> None:
    text = """\
tdag 1
population gpt source
population human target
var A binary treatment
var U continuous
var V continuous
var W continuous
var Y binary outcome
{U V} -> W
{A W} -> Y
estimate effect of A on Y in human contrast 1 vs 0
"""
    (tmp_path / "s.tdag").write_text(text)
    assert unsupported_reason(load(tmp_path / "s.tdag")) == (
        "'W' is continuous with 2 continuous parents (U, V): the joint model's atoms keep a "
        "continuous covariate jointly with at most one continuous parent")
    (tmp_path / "s.tdag").write_text(text.replace("{U V} -> W\n{A W} -> Y",
                                                  "{A U V W} -> Y"))
    assert unsupported_reason(load(tmp_path / "s.tdag")) == (
        "'Y' has 3 continuous parents (U, V, W): the joint model's grid of atoms takes at "
        "most two")


def test_a_continuous_covariate_keeps_its_joint_distribution_with_a_continuous_parent(
        tmp_path: Path) -> None:
    rng = np.random.default_rng(9)
    n = 3000
    v = rng.normal(0, 1, n)
    w = v + rng.normal(0, 0.5, n)
    a = rng.integers(0, 2, n)
    y = np.sin(v) + a * v * w + rng.normal(0, 0.3, n)
    pd.DataFrame({"A": a, "V": v, "W": w, "Y": y}).to_csv(tmp_path / "h.csv", index=False)
    (tmp_path / "s.tdag").write_text("""\
tdag 1
population gpt source
population human target
var A binary treatment
var V continuous
var W continuous
var Y continuous outcome
V -> W
{A V W} -> Y
differs V, W, Y
model Y ~ A * V * W + spline(V)
data human "h.csv" experiment(A)
estimate effect of A on Y in human contrast 1 vs 0
""")
    study = load(tmp_path / "s.tdag")
    joint = JointModel.build(study, load_study_data(study, False), seed=0)
    assert joint.evidence["W"].atoms is not None and joint.evidence["W"].shape == (30,)
    effect = effect_draws(study, joint.draw(1000, 0))
    # E[V W] = 1 here (0 if V and W were taken as independent); 30 atoms each cost a little
    assert abs(effect.mean() - float(np.mean(v * w))) < 0.1
    assert effect.std() < 0.1


@pytest.mark.slow
def test_zepid_example_runs_on_the_joint_model_near_zepids_aipsw() -> None:
    result = estimate_study(load(ROOT / "examples" / "zepid_generalize" / "study.tdag"))
    data = result.to_json()
    assert data["method"].startswith("joint model")
    assert abs(data["effect"]["mean"] - 0.062) < 0.02
    validate(json.loads(json.dumps(data)), "estimate")


@pytest.mark.parametrize(("shift", "borrowed"), [(0.0, True), (1.0, False)])
def test_the_robust_mixture_weighs_a_regression_mechanism(tmp_path: Path, shift: float,
                                                          borrowed: bool) -> None:
    write(tmp_path, seed=3)
    rng = np.random.default_rng(8)
    trial = pd.read_csv(tmp_path / "trial.csv")
    trial["Y"] = trial["Y"] + shift * trial["A"]
    trial.to_csv(tmp_path / "trial.csv", index=False)
    n = 300
    w, a = rng.uniform(-2, 2, n), rng.integers(0, 2, n)
    pd.DataFrame({"A": a, "W": w, "Y": curve(a, w) + rng.normal(0, 0.3, n)}).to_csv(
        tmp_path / "human.csv", index=False)
    data = ('data trial "trial.csv" experiment(A)\n'
            'data target "human.csv" experiment(A)\n'
            'data target "target.csv" observational measures(W)')
    path = tmp_path / "study.tdag"
    path.write_text(CONTINUOUS.format(claim="shared Y", model="", data=data))
    joint = model_of(path)
    assert joint.conflicts["Y"] is not None
    weight = joint.draw(400, 0)["Y"].borrow_weight("trial")
    assert (weight > 0.8) if borrowed else (weight < 0.05)


def test_a_categorical_child_of_a_continuous_parent_is_a_chain_of_logistic_sticks(
        tmp_path: Path) -> None:
    rng = np.random.default_rng(6)
    n = 3000
    w = rng.normal(0, 1, n)
    # P(L = 0) = expit(w), then P(L = 1 | L >= 1) = 1/2: known probabilities per w
    first = rng.random(n) < 1 / (1 + np.exp(-w))
    level = np.where(first, 0, np.where(rng.random(n) < 0.5, 1, 2))
    a = rng.integers(0, 2, n)
    y = (rng.random(n) < 0.2 + 0.2 * a + 0.1 * level).astype(int)
    pd.DataFrame({"A": a, "W": w, "L": np.array(["a", "b", "c"])[level], "Y": y}).to_csv(
        tmp_path / "h.csv", index=False)
    (tmp_path / "s.tdag").write_text("""\
tdag 1
population gpt source
population human target
var A binary treatment
var W continuous
var L categorical(a, b, c)
var Y binary outcome
W -> L
{A L} -> Y
differs W, L, Y
data human "h.csv" experiment(A)
estimate effect of A on Y in human contrast 1 vs 0
""")
    study = load(tmp_path / "s.tdag")
    joint = JointModel.build(study, load_study_data(study, False), seed=0)
    evidence = joint.evidence["L"]
    assert evidence.regression is not None and evidence.shape == (100,)
    values = joint.draw(500, 0)["L"].values
    assert values.shape == (500, 100, 3) and np.allclose(values.sum(axis=-1), 1.0)
    atoms = evidence.regression.grid[:, 0]
    expected = 1 / (1 + np.exp(-atoms))
    middle = np.abs(atoms) < 1.5
    assert np.max(np.abs(values.mean(axis=0)[middle, 0] - expected[middle])) < 0.08
    assert np.max(np.abs(values.mean(axis=0)[middle, 1] - (1 - expected[middle]) / 2)) < 0.08


def test_a_target_beyond_the_fitted_range_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path)
    target = pd.read_csv(tmp_path / "target.csv")
    target["W"] = target["W"] + 1.5  # a third or so of the rows now lie beyond W = 2
    target.to_csv(tmp_path / "target.csv", index=False)
    result = estimate_study(load(path), draws=400, checks=False, robustness=False).to_json()
    assert result["method"].endswith("continuous covariates by Bayesian-bootstrap atoms")
    (note,) = [w for w in result["warnings"] if "extrapolated" in w]
    share = float(np.mean(target["W"] > trial_max(tmp_path)))
    assert note.startswith(f"{share:.0%} of the target rows have W outside the range")


def trial_max(folder: Path) -> float:
    return float(pd.read_csv(folder / "trial.csv").W.max())


def test_a_normal_childs_partial_tie_interpolates_between_pooled_and_alone() -> None:
    rng = np.random.default_rng(5)
    x = np.column_stack([np.ones(500), rng.normal(size=500)])
    y = 0.5 + 0.8 * x[:, 1] + rng.normal(0, 1, 500)
    y[100:] += 0.6  # the source's mechanism is shifted
    own = Block(x[:100], y[:100], np.ones(100), None)
    source = Block(x[100:], y[100:], np.ones(400), 0)
    ridge = np.full(2, 1 / 2.5**2)
    shared = fit_blocks([own, replace(source, shift=None)], ridge, [], [], "normal")
    alone = fit_blocks([own], ridge, [], [], "normal")
    middle = fit_blocks([own, source], ridge, [], [0.3], "normal")
    # the exact least-squares answers at the two ends
    pooled = np.linalg.lstsq(x, y, rcond=None)[0]
    own_only = np.linalg.lstsq(x[:100], y[:100], rcond=None)[0]
    assert np.allclose(shared.mean, pooled, atol=0.01)
    assert np.allclose(alone.mean, own_only, atol=0.02)
    assert min(shared.mean[0], alone.mean[0]) < middle.mean[0] < max(shared.mean[0],
                                                                     alone.mean[0])
    assert abs(shared.sigma - 1.0) < 0.15 and abs(alone.sigma - 1.0) < 0.2


def test_model_statements_the_estimate_cannot_use_are_reported(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    n = 200
    a, z = rng.integers(0, 2, n), rng.integers(0, 2, n)
    y = (rng.random(n) < 0.3 + 0.2 * a).astype(int)
    pd.DataFrame({"A": a, "Z": z, "Y": y}).to_csv(tmp_path / "t.csv", index=False)
    (tmp_path / "s.tdag").write_text("""\
tdag 1
population gpt source
population human target
var A binary treatment
var Z binary
var Y binary outcome
{A Z} -> Y
Z <-> Y
model Y ~ A + Z
data human "t.csv" experiment(A)
estimate effect of A on Y in human contrast 1 vs 0
""")
    result = estimate_study(load(tmp_path / "s.tdag"), draws=200, checks=False,
                            robustness=False).to_json()
    assert not result["method"].startswith("joint model")
    assert ("the model statements (model Y ~ A + Z) apply to the joint model only, which this "
            "study cannot use ('Y <-> Z' confounds variables the effect depends on): this "
            "estimate does not use them") in result["warnings"]


def test_clustered_rows_of_a_regression_mechanism_count_once(tmp_path: Path) -> None:
    # Every trial row twice, in clusters of two: the fit and the atoms' cells see 1,500
    # effective rows (not 3,000), so the interval is as wide as with the rows once.
    once = tmp_path / "once"
    once.mkdir()
    write(once, n=1500, seed=4)
    twice = tmp_path / "twice"
    twice.mkdir()
    trial = pd.read_csv(once / "trial.csv")
    doubled = pd.concat([trial, trial]).sort_index(kind="stable")
    doubled["pair"] = doubled.index
    doubled.to_csv(twice / "trial.csv", index=False)
    (twice / "target.csv").write_bytes((once / "target.csv").read_bytes())
    text = (once / "study.tdag").read_text()
    (twice / "study.tdag").write_text(text.replace(
        'data trial "trial.csv" experiment(A)', 'data trial "trial.csv" experiment(A) '
        'cluster "pair"'))
    naive = twice / "naive.tdag"
    naive.write_text(text)
    evidence = model_of(twice / "study.tdag").evidence["Y"]
    (trial_group,) = [g for g in evidence.groups if g.population == "trial"]
    assert trial_group.rows == 3000
    # 2 exactly for whole cells; on the 2 x 100 grid of arms and atoms each stratum holds
    # about 15 pairs, and the small-sample corrections make it a little conservative
    assert 2.0 <= trial_group.effective.cluster.pooled <= 2.3
    assert 1350 <= trial_group.effective.effective_n <= 1500
    assert trial_group.table[:, -1].sum() == pytest.approx(trial_group.effective.effective_n)
    widths = {}
    for name, path in (("once", once / "study.tdag"), ("clustered", twice / "study.tdag"),
                       ("naive", naive)):
        low, high = estimate_study(load(path), seed=3, draws=2000, checks=False,
                                   robustness=False).to_json()["effect"]["hdi_95"]
        widths[name] = high - low
    assert widths["clustered"] == pytest.approx(widths["once"], rel=0.1)
    # the rows taken twice as independent: narrower (the target's own covariate sample is
    # the same in all three, so not by the full square root of 2)
    assert widths["naive"] < 0.92 * widths["once"]
