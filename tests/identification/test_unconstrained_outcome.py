"""A proof of non-transportability under partial observation: the outcome's mechanism
differs in every source and no target data observe the outcome or what it causes."""

from __future__ import annotations

import numpy as np
from identification.binary_scm import BinaryModel

from transport.identification import identify
from transport.identification.problem import Dataset, TransportProblem


def _problem(target_measures: frozenset[str], selection_on_y: bool = True) -> TransportProblem:
    return TransportProblem(
        nodes=("x", "z", "y", "w"),
        directed=(("z", "y"), ("x", "y"), ("y", "w")),
        bidirected=(),
        latent=frozenset(),
        target="human",
        sources=("llm",),
        selection={"llm": frozenset({"z", "y"} if selection_on_y else {"z"})},
        datasets=(
            Dataset("llm", frozenset({"x"}), frozenset({"x", "z", "y", "w"})),
            Dataset("human", frozenset(), target_measures),
        ),
        treatment=("x",),
        outcome=("y",),
    )


def test_unobserved_differing_outcome_is_proved_not_transportable() -> None:
    result = identify(_problem(frozenset({"z"})), suggestions=False)
    assert result.status == "not_transportable"
    assert result.witness.startswith("Nothing available constrains how y arises in human")


def test_two_models_agree_on_the_data_and_differ_on_the_effect() -> None:
    problem = _problem(frozenset({"z"}))
    model = BinaryModel(problem, np.random.default_rng(0))
    before = model.dataset_tables(problem.datasets)
    effect_before = model.effect({"y": 1}, {"x": 1}) - model.effect({"y": 1}, {"x": 0})
    model.tables["human"] = dict(model.tables["human"])
    model.tables["human"]["y"] = np.full_like(model.tables["human"]["y"], 0.5)
    after = model.dataset_tables(problem.datasets)
    for key in before:
        assert np.allclose(before[key]["p"].to_numpy(), after[key]["p"].to_numpy())
    effect_after = model.effect({"y": 1}, {"x": 1}) - model.effect({"y": 1}, {"x": 0})
    assert abs(effect_after) < 1e-12 and abs(effect_before) > 1e-3


def test_no_proof_when_a_descendant_is_observed_or_the_mechanism_is_shared() -> None:
    # w, a child of y, is observed in human: it constrains y's mechanism there, so the
    # argument does not apply; the target lacks x and y, so no formula is found either
    observed_child = identify(_problem(frozenset({"z", "w"})), suggestions=False)
    assert (observed_child.status, observed_child.witness) == ("not_found", None)
    assert observed_child.trace[-1].endswith("this is a limit of the search, not a proof.")
    shared = identify(_problem(frozenset({"z"}), selection_on_y=False), suggestions=False)
    assert shared.status == "transportable"
