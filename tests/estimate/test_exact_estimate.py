"""The exact estimation path end to end: known answers from the bundled examples, exact
posteriors against closed forms, assumption checks against simulated truths."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from shared_fixtures import EXAMPLES, ROOT, SHIFT_STUDY, write_shift_study

from transport.api import load
from transport.estimate.checks import loo_comparison
from transport.estimate.conjugate import dirichlet_draws, mean_draws
from transport.estimate.run import NotEstimable, estimate_study

# The simulated examples (those with a truth.json) the exact path serves; persona_age (a
# continuous covariate, served by the joint model's splines and atoms) is tested on its own
# in the slow set.
# zepid_generalize holds zEpid's data, not our simulation (see tests/estimate/test_frequentist.py).
# (the transport examples: a truth.json with the true effect and each source's naive one;
# the conjoint example's truth is tested with its mixed-subjects estimators)
SIMULATED = [p for p in EXAMPLES if (p.parent / "truth.json").is_file()
             and "naive_effect" in json.loads((p.parent / "truth.json").read_text())]
EXACT = [p for p in SIMULATED if p.parent.name != "persona_age"]
CONTINUOUS = [p for p in SIMULATED if p.parent.name == "persona_age"]


@pytest.fixture(scope="module")
def results() -> dict:
    return {p.parent.name: estimate_study(load(p)).to_json() for p in EXACT}


@pytest.mark.parametrize("path", EXACT, ids=[p.parent.name for p in EXACT])
def test_interval_covers_the_true_human_effect(path: Path, results: dict) -> None:
    truth = json.loads((path.parent / "truth.json").read_text())
    low, high = results[path.parent.name]["effect"]["hdi_95"]
    assert low <= truth["true_effect"] <= high


@pytest.mark.parametrize("path", EXACT, ids=[p.parent.name for p in EXACT])
def test_naive_source_effect_misses_the_truth(path: Path, results: dict) -> None:
    truth = json.loads((path.parent / "truth.json").read_text())
    naive = results[path.parent.name]["naive"]
    low, high = naive["hdi_95"]
    assert not low <= truth["true_effect"] <= high
    assert abs(naive["mean"] - truth["naive_effect"][naive["source"]]) < 0.05


@pytest.mark.slow
@pytest.mark.parametrize("path", CONTINUOUS, ids=[p.parent.name for p in CONTINUOUS])
def test_continuous_covariate_example_covers_the_truth_on_the_joint_model(path: Path) -> None:
    truth = json.loads((path.parent / "truth.json").read_text())
    result = estimate_study(load(path)).to_json()
    assert result["method"].startswith("joint model")
    low, high = result["effect"]["hdi_95"]
    assert low <= truth["true_effect"] <= high
    naive_low, naive_high = result["naive"]["hdi_95"]
    assert not naive_low <= truth["true_effect"] <= naive_high
    assert abs(result["naive"]["mean"] - truth["naive_effect"]["llm"]) < 0.05
    assert result["diagnostics"]["divergences"] == 0  # exact draws: nothing to diagnose
    assert result["robustness"]["applies"] and result["robustness"]["scale_at_flip"] is not None
    assert result == estimate_study(load(path)).to_json()  # same seed, same numbers


def test_json_contract_fields(results: dict) -> None:
    data = results["framing"]
    assert set(data["query"]) == {"treatment", "outcome", "population", "contrast", "generalize"}
    assert data["query"]["generalize"] is False
    assert set(data["effect"]) >= {"mean", "sd", "hdi_95", "prob_positive"}
    assert set(data["source_effects"]) == {"gpt", "claude"}
    assert set(data["naive"]) >= {"mean", "hdi_95"}
    assert set(data["diagnostics"]) >= {"rhat_max", "ess_bulk_min", "divergences"}
    assert set(data["robustness"]) >= {"scale_at_flip", "scales"}
    for check in results["minimum_wage"]["assumption_checks"]:
        assert set(check) >= {"mechanism", "source", "verdict", "elpd_diff", "elpd_se"}


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    study = load(EXAMPLES[0])
    first = estimate_study(study, seed=5, draws=500).to_json()
    again = estimate_study(study, seed=5, draws=500).to_json()
    other = estimate_study(study, seed=6, draws=500).to_json()
    assert first == again
    assert first["effect"]["mean"] != other["effect"]["mean"]


def test_dirichlet_posterior_matches_the_beta_closed_form() -> None:
    counts = np.array([[30, 10], [5, 55]])  # two arms of an experiment, outcome 0/1
    draws = dirichlet_draws(counts, 1, 200_000, np.random.default_rng(0))
    p1 = draws[:, :, 1]
    expected_mean = (counts[:, 1] + 1) / (counts.sum(axis=1) + 2)
    np.testing.assert_allclose(p1.mean(axis=0), expected_mean, atol=2e-3)
    a, b = counts[:, 1] + 1, counts[:, 0] + 1
    expected_sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    np.testing.assert_allclose(p1.std(axis=0), expected_sd, rtol=0.02)


def test_cell_mean_posterior_is_student_t() -> None:
    n, mean, variance = np.array([12.0]), np.array([3.0]), np.array([4.0])
    draws = mean_draws(n, mean, variance, 400_000, np.random.default_rng(0))[:, 0]
    assert abs(draws.mean() - 3.0) < 0.01
    expected_sd = np.sqrt(4.0 / 12.0) * np.sqrt(11 / 9)
    assert abs(draws.std() - expected_sd) / expected_sd < 0.02


def test_exact_loo_equals_brute_force() -> None:
    rng = np.random.default_rng(3)
    source = rng.integers(0, 5, size=(3, 2)).astype(float)
    cells = rng.integers(0, 3, size=25)
    values = rng.integers(0, 2, size=25)
    table = np.zeros((3, 2))
    np.add.at(table, (cells, values), 1)
    diff, _ = loo_comparison(source, cells, values, table)

    def predictive(counts: np.ndarray, cell: int, value: int) -> float:
        return (counts[cell, value] + 1) / (counts[cell].sum() + 2)

    brute = 0.0
    for i in range(25):
        held = table.copy()
        held[cells[i], values[i]] -= 1
        brute += np.log(predictive(source + held, cells[i], values[i]))
        brute -= np.log(predictive(held, cells[i], values[i]))
    assert abs(diff - brute) < 1e-9


CHECKED = SHIFT_STUDY


def _simulate(tmp_path: Path, human_shift: float) -> Path:
    return write_shift_study(tmp_path, human_shift, seed=11)


@pytest.mark.parametrize(("shift", "verdict"), [(0.0, "consistent"), (-2.0, "contradicted")])
def test_assumption_check_flags_a_mechanism_that_truly_differs(tmp_path, shift, verdict) -> None:
    result = estimate_study(load(_simulate(tmp_path, shift)), draws=1000).to_json()
    (check,) = [c for c in result["assumption_checks"] if c["mechanism"] == "y"]
    assert check["verdict"] == verdict
    if verdict == "contradicted":
        assert check["without"]["transportable"] is True
        assert any("contradict 'shared y'" in w for w in result["warnings"])


def test_robustness_intervals_widen_with_the_shift_scale(tmp_path) -> None:
    study = load(_simulate(tmp_path, 0.0))
    # drop the human outcome data so the formula must borrow y's mechanism from the LLMs
    text = CHECKED.replace('data human "human.csv" observational',
                           'data human "human.csv" observational measures(z)')
    (tmp_path / "study.tdag").write_text(text)
    study = load(tmp_path / "study.tdag")
    curve = estimate_study(study, draws=2000).to_json()["robustness"]
    widths = [high - low for low, high in curve["intervals"]]
    # wider with every scale until the effect's prior bounds it (then Monte Carlo noise)
    growing = [w for w in widths if w < 0.9 * max(widths)]
    assert growing == sorted(growing) and len(growing) >= 4
    assert curve["scale_at_flip"] in curve["scales"]
    (point,) = curve["tipping_points"]
    assert point["statement"] == "shared y for llm" and point["declared_sd"] == 0.0
    # the bisected tipping point lies below the first grid scale whose interval includes 0
    flip = curve["scales"].index(curve["scale_at_flip"])
    assert curve["scales"][flip - 1] < point["sd_at_flip"] <= curve["scale_at_flip"]
    assert curve["by_mechanism"] == {"y": point["sd_at_flip"]}
    assert 0 < point["effect_gap_at_flip"] < 1


def test_refuses_without_a_formula_or_anything_to_borrow(tmp_path) -> None:
    text = CHECKED.replace("shared y", "differs y").replace(
        'data human "human.csv" observational', 'data human "human.csv" observational measures(z)'
    )
    _simulate(tmp_path, 0.0)
    (tmp_path / "study.tdag").write_text(text)
    with pytest.raises(NotEstimable, match="no estimate: the effect is not transportable under "
                       r"the stated assumptions\. Nothing available constrains how y arises"):
        estimate_study(load(tmp_path / "study.tdag"))


def test_a_claim_the_data_contradict_on_the_exact_path_is_named_with_the_estimate_without_it(
    tmp_path: Path,
) -> None:
    # The minimum-wage study with budget and skill level confounded (so the joint model
    # cannot serve and the exact formula does), and the GPT employers' choices flipped: the
    # human experiment contradicts `shared hire_experienced`.
    import shutil

    import pandas as pd

    folder = tmp_path / "minimum_wage"
    shutil.copytree(ROOT / "examples" / "minimum_wage", folder)
    study = folder / "study.tdag"
    study.write_text(study.read_text().replace(
        "budget -> skill_level\n", "budget -> skill_level\nbudget <-> skill_level\n"))
    gpt = folder / "data" / "gpt_employers.csv"
    frame = pd.read_csv(gpt)
    frame["hire_experienced"] = 1 - frame["hire_experienced"]
    frame.to_csv(gpt, index=False)
    result = estimate_study(load(study), draws=400, robustness=False)
    assert result.method.startswith("exact conjugate")
    (check,) = [c for c in result.assumption_checks if c.mechanism == "hire_experienced"]
    assert check.verdict == "contradicted" and check.declared == "shared"
    assert check.without is not None and check.without.transportable
    assert (f"the data contradict 'shared hire_experienced' between human and gpt; without "
            f"it the estimate is {check.without.mean:.3f}") in result.warnings
