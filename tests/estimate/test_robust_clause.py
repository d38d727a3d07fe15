"""`robust W` on a `shared` or `partial` claim: the stated prior probability that the claim
fails, in place of the default 0.1 of the robust mixture (docs/estimation.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from shared_fixtures import ROOT

from transport.api import load
from transport.data.load import load_study_data
from transport.estimate.run import estimate_study
from transport.estimate.summary import describe
from transport.estimate.synthesis.joint import JointModel, effect_draws

BORROWING = ROOT / "examples" / "borrowing"
CONTRADICTED = ROOT / "examples" / "contradicted"
CLAIM = "partial choose_target sd 0.15\n"
GPT_CLAIM = "shared overclaims for gpt\n"


def with_claim(tmp_path: Path, example: Path, old: str, new: str) -> Path:
    """A copy of an example whose claim line `old` reads `new`."""
    folder = tmp_path / f"{example.name}-{abs(hash(new))}"
    shutil.copytree(example, folder)
    path = folder / "study.tdag"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def width(result: dict) -> float:
    low, high = result["effect"]["hdi_95"]
    return high - low


def test_robust_zero_uses_the_partial_claim_exactly_as_stated(tmp_path: Path) -> None:
    path = with_claim(tmp_path, BORROWING, CLAIM, "partial choose_target sd 0.15 robust 0\n")
    result = estimate_study(load(path)).to_json()
    (tie,) = result["borrowing"]
    assert tie["weight"] == 1.0 and tie["prior_weight"] == 1.0
    assert tie["statement"] == "partial choose_target sd 0.15 robust 0 for gpt"
    # the same posterior as the mixture-free normal shift of sd 0.15 (other random draws)
    study = load(path)
    model = JointModel.build(study, load_study_data(study, False), seed=1)
    plain = describe(effect_draws(study, model.draw(20000, 5, robust=False)))
    assert result["effect"]["mean"] == pytest.approx(plain.mean, abs=0.002)
    assert width(result) == pytest.approx(plain.hdi_95[1] - plain.hdi_95[0], rel=0.05)
    # the claim alone is worth more than with the default doubt about it: 35% narrower
    # than the human data alone (measured 0.650) against 31% (0.69)
    default = estimate_study(load(BORROWING / "study.tdag")).to_json()
    alone = estimate_study(load(BORROWING / "human_only.tdag")).to_json()
    assert width(result) < width(default) < width(alone)
    assert width(result) / width(alone) == pytest.approx(0.65, abs=0.02)


@pytest.mark.parametrize("weights", [(0.02, 0.1, 0.4)])
def test_more_doubt_about_a_contradicted_claim_borrows_less(tmp_path: Path,
                                                            weights: tuple[float, ...]) -> None:
    found = []
    for w in weights:
        path = with_claim(tmp_path, CONTRADICTED, GPT_CLAIM,
                          f"shared overclaims robust {w:g} for gpt\n")
        result = estimate_study(load(path), robustness=False).to_json()
        (gpt,) = [b for b in result["borrowing"] if b["population"] == "gpt"]
        assert gpt["statement"] == f"shared overclaims robust {w:g} for gpt"
        assert gpt["prior_weight"] == pytest.approx(1 - w)
        found.append(gpt["weight"])
    # a `shared` claim's marginal likelihoods do not depend on W, so the posterior odds of
    # the claim are the prior odds (1 - W) / W times one Bayes factor
    odds = [f / (1 - f) for f in found]
    factors = [o / ((1 - w) / w) for o, w in zip(odds, weights, strict=True)]
    assert found[0] > found[1] > found[2]
    assert np.allclose(factors, factors[1], rtol=1e-6)


def test_the_default_weight_is_robust_0_1(tmp_path: Path) -> None:
    stated = with_claim(tmp_path, CONTRADICTED, GPT_CLAIM,
                        "shared overclaims robust 0.1 for gpt\n")
    a = estimate_study(load(stated), robustness=False).to_json()
    b = estimate_study(load(CONTRADICTED / "study.tdag"), robustness=False).to_json()
    assert a["effect"] == b["effect"]
    assert [x["weight"] for x in a["borrowing"]] == [x["weight"] for x in b["borrowing"]]
    assert [x["prior_weight"] for x in b["borrowing"]] == [0.9, 0.9]


def test_without_target_rows_to_weigh_it_a_claim_is_used_as_stated(tmp_path: Path) -> None:
    # no human outcome rows: nothing weighs the claim, whatever its robust weight
    path = with_claim(tmp_path, CONTRADICTED, GPT_CLAIM, "shared overclaims robust 0.3 for gpt\n")
    text = path.read_text(encoding="utf-8")
    start = text.index('data human "data/human_')
    line = text[start:text.index("\n", start)]
    path.write_text(text.replace(line, line.replace("experiment(reminder)", "observational "
                                                    "measures(age_group, religiosity)")),
                    encoding="utf-8")
    result = estimate_study(load(path), robustness=False, checks=False).to_json()
    gpt = next(b for b in result["borrowing"] if b["population"] == "gpt")
    assert (gpt["weight"], gpt["prior_weight"], gpt["checked_by_target_rows"]) == (1.0, 1.0,
                                                                                  False)


def test_a_path_without_the_robust_mixture_says_it_uses_the_claim_as_stated(
        tmp_path: Path) -> None:
    # `reminder <-> age_group` keeps the joint model out: the exact formula path serves
    path = with_claim(tmp_path, CONTRADICTED, GPT_CLAIM, "shared overclaims robust 0.3 for gpt\n")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("reminder -> overclaims\n",
                                 "reminder -> overclaims\nreminder <-> age_group\n"),
                    encoding="utf-8")
    assert "reminder <-> age_group" in path.read_text(encoding="utf-8")
    result = estimate_study(load(path), robustness=False, checks=False).to_json()
    assert ("the `robust` weights (on overclaims for gpt) apply to the joint model's robust "
            "mixture only, which this study cannot use ('age_group <-> reminder' confounds "
            "variables the effect depends on): this estimate uses those claims as stated"
            ) in result["warnings"]
