"""The frequentist cross-check against zEpid on zEpid's own generalizability data (vendored
under tests/fixtures/zepid), its double robustness in simulation, and the study-level
function on the bundled zEpid example."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from transport.api import load
from transport.data import load_study_data
from transport.estimate.frequentist import (
    TransportSample,
    aipsw_means,
    cross_check,
    default_terms,
    design_matrix,
    fit_logistic,
    g_transport_means,
    ipsw_means,
    on_scale,
    outcome_predictions,
    point_estimates,
    sampling_probabilities,
)
from transport.estimate.frequentist_study import (
    AdjustmentForm,
    adjustment_form,
    frequentist_cross_check,
)
from transport.identification.expr import prob, product, summation

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "zepid" / "generalize_rct.csv"
EXAMPLE = ROOT / "examples" / "zepid_generalize"
SAMPLING = (("L",), ("W",), ("L", "W"))                                   # 'L + W + L:W'
OUTCOME = (("A",), ("L",), ("L", "A"), ("W",), ("W", "A"), ("W", "A", "L"))  # zEpid's docs


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    df = pd.read_csv(FIXTURE)
    df["id"] = df.index
    return df


@pytest.fixture(scope="module")
def sample(frame: pd.DataFrame) -> TransportSample:
    return TransportSample(frame.S.to_numpy() == 1, np.nan_to_num(frame.A.to_numpy()),
                           np.nan_to_num(frame.Y.to_numpy()),
                           {"L": frame.L.to_numpy(float), "W": frame.W.to_numpy()}, "A", True)


def _zepid(frame: pd.DataFrame, generalize: bool) -> dict[str, object]:
    """zEpid's three estimators with the models of its documentation (importing zEpid takes
    seconds: the tests that call it are in the slow set)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from zepid.causal.generalize import AIPSW, IPSW, GTransportFormula

        ipsw = IPSW(frame, exposure="A", outcome="Y", selection="S", generalize=generalize)
        ipsw.sampling_model("L + W + L:W", print_results=False)
        ipsw.fit()
        gtf = GTransportFormula(frame, exposure="A", outcome="Y", selection="S",
                                generalize=generalize)
        gtf.outcome_model("A + L + L:A + W + W:A + W:A:L", print_results=False)
        gtf.fit()
        aipsw = AIPSW(frame, exposure="A", outcome="Y", selection="S", generalize=generalize)
        aipsw.sampling_model("L + W + L:W", print_results=False)
        aipsw.outcome_model("A + L + L:A + W + W:A + W:A:L", print_results=False)
        aipsw.fit()
    return {"ipsw": ipsw, "g": gtf, "aipsw": aipsw}


@pytest.mark.slow
@pytest.mark.parametrize("generalize", [False, True])
def test_ipsw_and_g_transport_agree_with_zepid_to_3_decimals(frame, sample, generalize) -> None:
    theirs = _zepid(frame, generalize)
    ours = point_estimates(sample, SAMPLING, OUTCOME, generalize=generalize)
    assert round(ours["ipsw"], 3) == round(theirs["ipsw"].risk_difference, 3)
    assert round(ours["g_transport"], 3) == round(theirs["g"].risk_difference, 3)
    assert ours["ipsw"] == pytest.approx(theirs["ipsw"].risk_difference, abs=1e-8)
    assert ours["g_transport"] == pytest.approx(theirs["g"].risk_difference, abs=1e-8)
    ratio = point_estimates(sample, SAMPLING, OUTCOME, generalize=generalize, scale="ratio")
    assert ratio["ipsw"] == pytest.approx(theirs["ipsw"].risk_ratio, abs=1e-8)
    assert ratio["g_transport"] == pytest.approx(theirs["g"].risk_ratio, abs=1e-8)


def test_zepids_documented_transport_numbers(sample) -> None:
    ours = point_estimates(sample, SAMPLING, OUTCOME)
    assert round(ours["ipsw"], 3) == 0.099
    assert round(ours["g_transport"], 3) == 0.061


def _zepid_weighting(sample: TransportSample, generalize: bool) -> float:
    """zEpid 0.9.1's AIPSW formula on our fitted models: residuals weighted by stabilized
    sampling weights, not divided by the arm probability."""
    p = sampling_probabilities(sample, SAMPLING)
    m1, m0 = outcome_predictions(sample, OUTCOME)
    s, n = sample.in_trial, len(sample.in_trial)
    share = s.mean()
    w = share / p if generalize else (1 - p) / p * share / (1 - share)
    means = []
    for arm, m in ((1, m1), (0, m0)):
        rows = s & (sample.treated == arm)
        residual = np.sum(np.where(rows, w * (sample.outcome - m), 0))
        means.append((m.sum() + residual) / n if generalize
                     else (m[~s].sum() + residual) / (~s).sum())
    return means[0] - means[1]


def test_zepids_documented_aipsw_is_its_weighting_of_our_fits(sample) -> None:
    """zEpid documents AIPSW 0.062 for transport; its weighting of our models gives that.
    Our AIPSW (Dahabreh et al. 2020) normalises the weights in each arm instead: 0.067."""
    assert round(_zepid_weighting(sample, False), 3) == 0.062
    p = sampling_probabilities(sample, SAMPLING)
    m1, m0 = outcome_predictions(sample, OUTCOME)
    assert round(on_scale(*aipsw_means(sample, p, m1, m0)), 3) == 0.067
    assert round(on_scale(*aipsw_means(sample, p, m1, m0, generalize=True)), 3) == 0.070


@pytest.mark.slow
@pytest.mark.parametrize("generalize", [False, True])
def test_zepids_aipsw_is_its_weighting_of_the_same_fits(frame, sample, generalize) -> None:
    theirs = _zepid(frame, generalize)["aipsw"].risk_difference
    assert _zepid_weighting(sample, generalize) == pytest.approx(theirs, abs=1e-8)


def test_logistic_fit_matches_statsmodels(frame) -> None:
    import statsmodels.api as sm

    x = design_matrix({"L": frame.L.to_numpy(float), "W": frame.W.to_numpy()}, SAMPLING)
    ours = fit_logistic(x, frame.S.to_numpy(float))
    theirs = sm.GLM(frame.S.to_numpy(float), x, family=sm.families.Binomial()).fit().params
    assert ours == pytest.approx(np.asarray(theirs), abs=1e-7)


def _simulate(rng: np.random.Generator, n: int = 4000) -> tuple[TransportSample, float]:
    """Trial membership depends on z²; the effect on z too. Returns the sample and the true
    transported risk difference (by the outcome model averaged over the target rows)."""
    z = rng.normal(size=n)
    in_trial = rng.random(n) < 1 / (1 + np.exp(-(-1.0 + 0.8 * z * z - 0.5 * z)))
    treated = np.where(in_trial, rng.integers(0, 2, n), 0).astype(float)

    def risk(a: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-(-0.5 + 0.6 * z + a * (0.3 + 0.7 * z * z))))

    y = np.where(in_trial, rng.random(n) < risk(treated), 0).astype(float)
    truth = float(np.mean((risk(np.ones(n)) - risk(np.zeros(n)))[~in_trial]))
    return TransportSample(in_trial, treated, y, {"z": z}, "a", True), truth


def test_aipsw_is_doubly_robust() -> None:
    right_sampling, wrong_sampling = (("z",), ("z", "z")), ()
    right_outcome = (("a",), ("z",), ("a", "z"), ("a", "z", "z"))
    wrong_outcome = (("a",),)
    errors: dict[str, list[float]] = {k: [] for k in ("ipsw", "aipsw_s", "aipsw_o", "g")}
    for seed in range(20):
        sample, truth = _simulate(np.random.default_rng(seed))
        p_right = sampling_probabilities(sample, right_sampling)
        p_wrong = sampling_probabilities(sample, wrong_sampling)
        m_right = outcome_predictions(sample, right_outcome)
        m_wrong = outcome_predictions(sample, wrong_outcome)
        errors["ipsw"].append(on_scale(*ipsw_means(sample, p_wrong)) - truth)
        errors["g"].append(on_scale(*g_transport_means(sample, *m_wrong)) - truth)
        errors["aipsw_s"].append(on_scale(*aipsw_means(sample, p_right, *m_wrong)) - truth)
        errors["aipsw_o"].append(on_scale(*aipsw_means(sample, p_wrong, *m_right)) - truth)
    bias = {k: float(np.mean(v)) for k, v in errors.items()}
    assert abs(bias["ipsw"]) > 0.05 and abs(bias["g"]) > 0.05  # each wrong model is biased
    assert abs(bias["aipsw_s"]) < 0.015  # right sampling model rescues a wrong outcome model
    assert abs(bias["aipsw_o"]) < 0.015  # and the other way round


def test_bootstrap_is_seeded_and_covers_the_estimate(sample) -> None:
    first = cross_check(sample, SAMPLING, OUTCOME, bootstrap=60, seed=3)
    again = cross_check(sample, SAMPLING, OUTCOME, bootstrap=60, seed=3)
    assert first == again
    for estimate in (first.ipsw, first.aipsw, first.g_transport):
        low, high = estimate.ci_95
        assert low < estimate.estimate < high and high - low < 0.4
    assert first.to_json()["ipsw"] == {"estimate": first.ipsw.estimate,
                                       "ci_95": list(first.ipsw.ci_95)}
    assert (first.n_trial, first.n_target, first.bootstrap_failed) == (486, 2514, 0)


def test_the_zepid_example_is_an_adjustment_form_and_gives_the_default_models() -> None:
    study = load(EXAMPLE / "study.tdag")
    estimand = summation(["L", "W"], product([
        prob("target", ["L"]), prob("target", ["W"]),
        prob("trial", ["Y"], ["L", "W"], ["A"])]))
    assert adjustment_form(study, estimand) == AdjustmentForm("trial", "A", "Y", ("L", "W"))
    assert adjustment_form(study, prob("trial", ["Y"], ["L"], ["A"])) is None
    assert adjustment_form(study, prob("target", ["Y"], [], ["A"])) is None
    data = load_study_data(study)
    result = frequentist_cross_check(study, data, bootstrap=40, seed=1)
    assert (result.source, result.covariates, result.n_trial) == ("trial", ("L", "W"), 486)
    frame = pd.read_csv(FIXTURE)
    w = frame.W.to_numpy()
    order = np.argsort(~(frame.S.to_numpy() == 1), kind="stable")
    raw = TransportSample(frame.S.to_numpy()[order] == 1, np.nan_to_num(frame.A.to_numpy())[order],
                          np.nan_to_num(frame.Y.to_numpy())[order],
                          {"L": frame.L.to_numpy(float)[order], "W": w[order]}, "A", True)
    sampling, outcome = default_terms(("L", "W"), ("W",), "A")
    expected = point_estimates(raw, sampling, outcome)
    assert result.ipsw.estimate == pytest.approx(expected["ipsw"], abs=1e-9)
    assert result.aipsw.estimate == pytest.approx(expected["aipsw"], abs=1e-9)
    generalized = frequentist_cross_check(study, data, bootstrap=10, generalize=True)
    assert generalized.generalize
    assert generalized.g_transport.estimate == pytest.approx(
        point_estimates(raw, sampling, outcome, generalize=True)["g_transport"], abs=1e-9)


def test_statement_order_does_not_change_the_numbers(tmp_path: Path) -> None:
    copy = tmp_path / "zepid"
    shutil.copytree(EXAMPLE, copy)
    text = (copy / "study.tdag").read_text()
    lines = text.splitlines()
    trial = next(line for line in lines if line.startswith("data trial"))
    target = next(line for line in lines if line.startswith("data target"))
    swapped = text.replace(trial, "\0").replace(target, trial).replace("\0", target)
    (copy / "study.tdag").write_text(swapped)
    results = []
    for path in (EXAMPLE / "study.tdag", copy / "study.tdag"):
        study = load(path)
        results.append(frequentist_cross_check(study, load_study_data(study), bootstrap=30))
    assert results[0] == results[1]


def test_no_cross_check_without_an_adjustment_form() -> None:
    study = load(ROOT / "examples" / "minimum_wage" / "study.tdag")
    assert frequentist_cross_check(study, load_study_data(study), bootstrap=5) is None
