"""The estimate stage's messages as a user reads them: the warnings and the lines that say
what carries the estimate, for studies built to trigger each one."""

from __future__ import annotations

import re

import numpy as np
import pytest
from synthesis_study import rows, write_study

from transport.api import load
from transport.estimate.run import estimate_study
from transport.render.estimate import estimate_text

LLM = 'data llm "llm.csv" experiment(x)'
HUMAN_EXPERIMENT = 'data human "human.csv" experiment(x)'
HUMAN_COVARIATES = 'data human "human_z.csv" observational measures(z)'
NUMBER = r"[+-]?\d+\.\d+"


def _text(tmp_path, claim: str, data: str, **options) -> tuple[dict, list[str]]:
    result = estimate_study(load(write_study(tmp_path, claim, data, **options)), draws=1000)
    return result.to_json(), estimate_text(result).splitlines()


def test_a_partial_claim_no_human_row_can_check_is_called_prior_driven(tmp_path):
    data, lines = _text(tmp_path, "partial y sd 0.5 for llm", f"{LLM}\n{HUMAN_COVARIATES}")
    assert data["prior_driven"] is True
    assert data["basis"]["label"] == "transported"
    assert ("  identified by: no nonparametric formula (not transportable from the data "
            "statements alone); the estimate rests on the `partial` claims") in lines
    assert ("  carried by: source data, through the sharing claims; prior-driven where only "
            "`partial` claims inform a mechanism") in lines
    assert "  rests on: partial y sd 0.5 for llm (no human rows can check it)" in lines
    assert ("  without llm: not estimable; the effect cannot be estimated without these rows: "
            "they carry it") in lines
    assert ("  y: human vs llm (partial sd 0.5): not testable (no human data observe 'y' "
            "unrandomised with its parents)") in lines
    assert data["warnings"] == [
        "prior-driven: the target's mechanism of y is informed only through `partial` claims "
        "that no human rows can check, so the interval's width there comes from the stated "
        "shift scale, not from data"
    ]
    # never the reassurance that nothing can fail while a partial claim enters
    assert not any("no sharing claim can fail" in line for line in lines)


def test_a_contradicted_shared_claim_is_discounted_and_said_so(tmp_path):
    data, lines = _text(tmp_path, "shared y for llm", f"{LLM}\n{HUMAN_EXPERIMENT}", shift=-1.5)
    (weight,) = [b["weight"] for b in data["borrowing"]]
    assert weight < 0.01
    assert "  rests on: shared y for llm (checked by human rows, borrowing weight 0.00)" in lines
    assert data["warnings"][0] == (
        "borrowing discounted: the human rows conflict with 'shared y for llm', so llm's rows "
        "enter y with posterior weight 0.00")
    assert re.fullmatch(r"the data contradict 'shared y' between human and llm; without it "
                        rf"the estimate is {NUMBER}", data["warnings"][1])
    check = data["assumption_checks"][0]
    assert check["between"] == ["human", "llm"] and check["verdict"] == "contradicted"
    assert re.fullmatch(rf"  y: human vs llm \(shared\): contradicted \(gap {NUMBER} "
                        rf"\[{NUMBER}, {NUMBER}\], p = {NUMBER}, log BF\(separate\) {NUMBER}\)",
                        lines[lines.index("Sharing claims against the data:") + 1])


def test_a_source_whose_rows_enter_nothing_is_named_and_the_word_transported_is_not_used(
        tmp_path):
    data, lines = _text(tmp_path, "differs y for llm", f"{LLM}\n{HUMAN_EXPERIMENT}")
    assert data["basis"] == {"label": "human data alone", "sources_used": [],
                             "carried_by": "human data only", "prior_driven": False}
    assert "  carried by: human data only" in lines
    assert data["warnings"] == [
        "llm's rows do not enter this estimate: no mechanism the effect depends on is declared "
        "shared or partial for llm with rows that measure it and its parents"]
    assert data["robustness"]["note"] == (
        "no source's rows enter the estimate through a shared or partial claim, so the "
        "estimate rests on the target's own rows and no sharing claim can fail")


def test_two_sources_that_must_agree_but_do_not_are_flagged_without_human_outcomes(tmp_path):
    path = write_study(tmp_path, "shared y", f"{LLM}\n{HUMAN_COVARIATES}")
    text = path.read_text().replace("population llm   source",
                                    "population llm   source\npopulation other source")
    other = 'data other "other.csv" experiment(x)'
    rows(2000, -1.5, np.random.default_rng(9)).to_csv(tmp_path / "other.csv", index=False)
    path.write_text(text.replace(LLM, f"{LLM}\n{other}"))
    data = estimate_study(load(path), draws=1000).to_json()
    (pair,) = [c for c in data["assumption_checks"] if c["between"] == ["llm", "other"]]
    assert pair["verdict"] == "contradicted"
    assert ("the data contradict 'shared y' between llm and other (both declared with human, "
            "so they must agree)") in data["warnings"]


def test_scales_other_than_the_difference_are_refused_where_only_the_parametric_model_serves(
        tmp_path):
    from transport.errors import DataError

    # a continuous covariate with two continuous parents: the joint model's grid of atoms
    # would be too large (evidence.unsupported_reason), so only the parametric model serves
    path = write_study(tmp_path, "shared y for llm", LLM + "\n"
                       + HUMAN_COVARIATES.replace("measures(z)", "measures(z, v, u)"))
    text = path.read_text().replace(
        "var z categorical(a, b, c)",
        "var z continuous\nvar v continuous\nvar u continuous\n{v u} -> z\ndiffers v, u")
    (tmp_path / "llm.csv").write_text("u,v,z,x,y\n" + "\n".join(
        f"{i % 5}.75,{i % 3}.25,{i % 7}.5,{i % 2},{(i // 3) % 2}" for i in range(60)) + "\n")
    (tmp_path / "human_z.csv").write_text("u,v,z\n" + "\n".join(
        f"{i % 6}.75,{i % 4}.25,{i % 5}.0" for i in range(40)))
    path.write_text(text.replace("estimate effect of x on y in human",
                                 "estimate effect of x on y in human scale ratio"))
    with pytest.raises(DataError, match=re.escape(
            "scale ratio needs the joint or the exact model, and this study needs the "
            "parametric one (the joint model cannot serve it: 'z' is continuous with 2 "
            "continuous parents (u, v): the joint model's atoms keep a continuous covariate "
            "jointly with at most one continuous parent); estimate the difference instead")):
        estimate_study(load(path), draws=200)
