"""Evidence synthesis on the bundled examples, through the public API and the JSON contract:
the estimate does not depend on statement order, LLM runs declared `partial` sharpen a small
human experiment without losing the truth, and LLM data that the human data contradict are
flagged and discounted."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from shared_fixtures import EXAMPLES, ROOT
from tdag_permutations import kind, permuted_copy, permuted_text, statements

from transport.api import load
from transport.estimate.run import estimate_study

sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
from synthesis_sim import StudyText, random_model, write_study  # noqa: E402

BORROWING = ROOT / "examples" / "borrowing"
CONTRADICTED = ROOT / "examples" / "contradicted"
SEED = 11
# the examples with a continuous covariate (the joint model's splines and atoms, several
# seconds each) run in the slow set; zepid_generalize is left out of the permutations (its
# joint-model run is tested in tests/estimate/test_flexible.py) since persona_age already
# puts the same path through every permutation
SLOW = {"persona_age"}
LEFT_OUT = {"zepid_generalize"}


def estimate(path: Path, **options) -> dict:
    return estimate_study(load(path), **options).to_json()


def effect_numbers(result: dict) -> tuple[float, float, float]:
    low, high = result["effect"]["hdi_95"]
    return result["effect"]["mean"], low, high


def truth(folder: Path) -> float:
    return json.loads((folder / "truth.json").read_text())["true_effect"]


def example_cases() -> list:
    return [
        pytest.param(path, k, id=f"{path.parent.name}-{k}",
                     marks=[pytest.mark.slow] if path.parent.name in SLOW else [])
        for path in EXAMPLES if path.parent.name not in LEFT_OUT
        for k in (1, 2)
    ]


@pytest.fixture(scope="module")
def bundled():
    """Each example's estimate as bundled, computed once for the module."""
    cache: dict[Path, dict] = {}

    def get(path: Path) -> dict:
        if path not in cache:
            cache[path] = estimate(path, seed=SEED)
        return cache[path]

    return get


def test_permuted_text_has_the_same_statements_in_another_order() -> None:
    text = (ROOT / "examples" / "dictator" / "study.tdag").read_text()
    permuted = permuted_text(text, random.Random(3))
    assert permuted != text
    assert sorted(statements(permuted)[0]) == sorted(statements(text)[0])
    # every kind keeps its slots: only statements of one kind change places
    assert [kind(b) for b in statements(permuted)[0]] == [kind(b) for b in statements(text)[0]]


@pytest.mark.parametrize(("path", "k"), example_cases())
def test_statement_order_does_not_change_the_estimate(
    path: Path, k: int, bundled, tmp_path: Path
) -> None:
    copy = permuted_copy(path, tmp_path, seed=9300 + k, rows=False)
    assert copy.read_text() != path.read_text()
    assert effect_numbers(estimate(copy, seed=SEED)) == effect_numbers(
        bundled(path)
    )


@pytest.mark.parametrize(("path", "k"), example_cases()[::2])
def test_row_order_does_not_change_the_estimate_beyond_rounding(
    path: Path, k: int, bundled, tmp_path: Path
) -> None:
    # Shuffled CSV rows may change the order of floating-point sums, nothing more.
    copy = permuted_copy(path, tmp_path, seed=9400 + k, rows=True)
    assert effect_numbers(estimate(copy, seed=SEED)) == pytest.approx(
        effect_numbers(bundled(path)), abs=1e-12
    )


@pytest.fixture(scope="module")
def borrowing() -> tuple[dict, dict]:
    return (estimate(BORROWING / "study.tdag"), estimate(BORROWING / "human_only.tdag"))


def test_borrowing_narrows_the_human_interval_by_a_third_and_covers_the_truth(
    borrowing: tuple[dict, dict],
) -> None:
    joint, human_only = borrowing
    joint_low, joint_high = joint["effect"]["hdi_95"]
    alone_low, alone_high = human_only["effect"]["hdi_95"]
    # measured: 31% narrower (0.128 against 0.185), posterior weight 0.88 on the claim's core
    # component of the robust mixture whose spread is the stated sd 0.15
    assert joint_high - joint_low <= 0.7 * (alone_high - alone_low)
    assert joint_low <= truth(BORROWING) <= joint_high
    assert alone_low <= truth(BORROWING) <= alone_high
    (tie,) = joint["borrowing"]
    assert tie["checked_by_target_rows"] and 0.8 < tie["weight"] < 1.0


def test_borrowing_says_what_the_llm_runs_were_worth(borrowing: tuple[dict, dict]) -> None:
    joint, _ = borrowing
    (gpt,) = [c for c in joint["contributions"] if c["population"] == "gpt"]
    # Without gpt the estimate is the human-only one; gpt is worth more than the 300 people
    # the experiment had, since it narrows the interval by a third or more.
    assert gpt["effective_human_n"] > 300
    low, high = gpt["effect_without"]["hdi_95"]
    joint_low, joint_high = joint["effect"]["hdi_95"]
    assert high - low > joint_high - joint_low
    assert joint["prior_driven"] is False


@pytest.fixture(scope="module")
def contradicted() -> dict:
    return estimate(CONTRADICTED / "study.tdag")


@pytest.mark.parametrize("source", ["gpt", "llama"])
def test_contradicted_llm_is_flagged_against_the_human_data(
    contradicted: dict, source: str
) -> None:
    verdicts = [c["verdict"] for c in contradicted["assumption_checks"]
                if c["mechanism"] == "overclaims" and set(c["between"]) == {source, "human"}]
    assert verdicts == ["contradicted"]


def test_contradicted_llm_is_discounted(contradicted: dict) -> None:
    low, high = contradicted["effect"]["hdi_95"]
    assert low <= truth(CONTRADICTED) <= high
    # The LLMs' own effects (about -0.2) lie far outside the human interval: the estimate
    # did not follow them.
    for source in ("gpt", "llama"):
        assert not low <= contradicted["source_effects"][source]["mean"] <= high
    warnings = " ".join(contradicted["warnings"])
    assert "contradict" in warnings
    # gpt's `shared` tie is the one the human rows refute outright: its rows add nothing.
    (gpt,) = [c for c in contradicted["contributions"] if c["population"] == "gpt"]
    assert gpt["effective_human_n"] <= 1.05 * 800


def test_two_shared_sources_in_either_order_give_one_estimate(tmp_path: Path) -> None:
    # The case that once picked the first source in file order: two sources both declared
    # shared with the target, whose own data disagree.
    rng = np.random.default_rng(5)
    model = random_model(rng, (3,), {"gpt": 1500, "claude": 1500}, 1000,
                         target_design="survey").with_gap("claude", 0.15)
    path = write_study(tmp_path / "a", model, StudyText({"gpt": "shared", "claude": "shared"}),
                       rng)
    text = path.read_text()
    gpt_line = 'population gpt source "gpt"\n'
    claude_line = 'population claude source "claude"\n'
    swapped = text.replace(gpt_line, "@").replace(claude_line, gpt_line).replace("@", claude_line)
    assert swapped != text
    other = tmp_path / "a" / "swapped.tdag"
    other.write_text(swapped)
    assert effect_numbers(estimate(other, seed=SEED)) == effect_numbers(estimate(path, seed=SEED))


def test_an_edge_level_claim_the_joint_model_cannot_use_is_named(tmp_path: Path) -> None:
    # `shared z1 -> y for claude` ties a coefficient; the joint model ties whole mechanisms, and
    # claude's rows enter y only through a claim on the whole mechanism: the output says so
    # (and the estimate equals the one without the claim), instead of ignoring it silently.
    rng = np.random.default_rng(6)
    model = random_model(rng, (3,), {"gpt": 800, "claude": 800}, 600, target_design="survey")
    path = write_study(tmp_path / "edge", model,
                       StudyText({"gpt": "shared", "claude": "differs"}), rng)
    plain = estimate(path, seed=SEED)
    claimed = path.with_name("claimed.tdag")
    claimed.write_text(path.read_text() + 'shared z1 -> y for claude because "a slope"\n')
    result = estimate(claimed, seed=SEED)
    assert effect_numbers(result) == effect_numbers(plain)
    assert ("'shared z1 -> y for claude' is not used: the joint model ties whole mechanisms, "
            "not single coefficients, and claude's rows enter y's only through a `shared` or "
            "`partial y` claim") in result["warnings"]
    assert not any("is not used" in w for w in plain["warnings"])
