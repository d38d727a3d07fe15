"""The simulation library behind the evidence-synthesis benchmarks gives what it claims: exact
effects that finite samples converge to, effect gaps of the asked size, studies that check.
(If it were wrong, every benchmark figure would be.)"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from synthesis_sim import (  # noqa: E402
    StudyText,
    contradicted_between,
    random_model,
    study_text,
    write_study,
)

from transport.api import loads  # noqa: E402


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_effect_matches_a_large_sample(seed: int) -> None:
    rng = np.random.default_rng(seed)
    model = random_model(rng, (3, 2, 4), {"llm": 10}, 400_000)
    data = model.sample(model.target, rng)
    x, y = data["x"], data["y"]
    sample = y[x == 1].mean() - y[x == 0].mean()
    assert abs(sample - model.true_effect()) < 4 * np.sqrt(1 / 100_000)


@pytest.mark.parametrize("gap", [-0.1, 0.05, 0.15])
def test_gap_is_the_asked_difference_on_the_targets_covariates(gap: float) -> None:
    model = random_model(np.random.default_rng(7), (3, 3), {"llm": 10}, 10).with_gap("llm", gap)
    shift = model.population("llm").shift
    implied = model.effect(shift, model.target.covariate_probs)
    assert implied - model.true_effect() == pytest.approx(gap, abs=1e-9)
    assert model.true_effect() == model.effect(0.0, model.target.covariate_probs)


def test_an_unreachable_gap_is_refused_or_taken_with_the_other_sign() -> None:
    model = random_model(np.random.default_rng(7), (3,), {"llm": 10}, 10)
    with pytest.raises(ValueError, match="out of reach"):
        model.with_gap("llm", 1.5)
    probs, effect = model.target.covariate_probs, model.true_effect()
    headroom = model.effect(8.0, probs) - effect  # the most any shift can add
    gap = headroom + 0.01
    assert model.effect(-8.0, probs) < effect - gap  # ... while -gap is within reach
    flipped = model.with_gap("llm", gap, either_sign=True)
    implied = flipped.effect(flipped.population("llm").shift, probs)
    assert implied - effect == pytest.approx(-gap, abs=1e-9)


def test_written_study_checks_clean_and_states_the_sharing(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    model = random_model(rng, (2, 3), {"gpt": 50, "claude": 50}, 40, target_design="survey")
    text = StudyText({"gpt": "shared", "claude": "partial sd 0.3"})
    path = write_study(tmp_path, model, text, rng)
    study = loads(path.read_text(), str(path))
    kinds = {(row.sharing.status, row.source) for row in study.assumptions
             if getattr(row.mechanism, "variable", None) == "y"}
    assert kinds == {("shared", "gpt"), ("partial", "claude")}
    assert (tmp_path / "human.csv").read_text().splitlines()[0] == "z1,z2"
    assert (tmp_path / "gpt.csv").read_text().splitlines()[0] == "z1,z2,x,y"
    assert study_text(model, text) == path.read_text()


def test_contradicted_between_reads_between_and_falls_back_to_source() -> None:
    new = {"assumption_checks": [{"mechanism": "y", "verdict": "contradicted",
                                  "between": ["claude", "gpt"]}]}
    old = {"assumption_checks": [{"mechanism": "y", "verdict": "contradicted", "source": "gpt"}]}
    assert contradicted_between(new, "gpt", "claude")
    assert not contradicted_between(new, "gpt", "human")
    assert contradicted_between(old, "gpt", "human")
