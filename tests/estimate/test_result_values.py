"""The estimate stage's typed values: every value's `to_json()` holds only JSON-native
values (dicts with string keys, lists, strings, numbers, booleans, null: no tuples, numpy
scalars or objects), and the estimate JSON of every bundled example, built from those values
at the edge, follows the published schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shared_fixtures import ROOT

from transport.api import load
from transport.diagnose.implications import ImplicationTest
from transport.diagnose.independence import TestResult
from transport.estimate.calibrated import CalibratedEstimate
from transport.estimate.checks import AssumptionCheck
from transport.estimate.diagnostics import Diagnostics
from transport.estimate.effects import (
    DecisionOutcome,
    EffectSummary,
    EffectWithout,
    NaiveEstimate,
    PriorSummary,
    SourceEffect,
)
from transport.estimate.frequentist import FrequentistCheck, FrequentistEstimate
from transport.estimate.mixed_subjects.from_study import BayesPPIEstimate, PredictionsPPI
from transport.estimate.mixed_subjects.results import (
    BayesPPIResult,
    BayesPredictorFit,
    ClassicalFit,
    PPIFit,
    PPIResult,
)
from transport.estimate.ppi import CellMeansPPI, PPIDifference, PPINotApplied
from transport.estimate.result import Basis, DataSummary
from transport.estimate.robustness_value import Robustness, TogetherCurve
from transport.estimate.run import estimate_study
from transport.estimate.summary import DrawSummary
from transport.estimate.synthesis.contributions import Contribution
from transport.estimate.synthesis.effective import (
    ClusterSummary,
    Effective,
    EffectiveSample,
    PredictionPowered,
)
from transport.estimate.synthesis.pair_checks import PairCheck
from transport.estimate.synthesis.path import Borrowing
from transport.estimate.synthesis.sensitivity import TippingPoint
from transport.graph.implications import Independence
from transport.json_text import json_text
from transport.schemas import validate
from transport.study import Decision

BUNDLED = sorted(ROOT.glob("examples/*/*.tdag"))


def non_native(value: Any, where: str = "") -> list[str]:
    """Where `value` holds something JSON cannot hold as it is (exact types: a numpy
    float is a float subclass, and a tuple reads back as a list)."""
    if isinstance(value, dict):
        found = [f"{where} (key {k!r})" for k in value if type(k) is not str]
        for key, item in value.items():
            found += non_native(item, f"{where}.{key}")
        return found
    if type(value) is list:
        return [w for i, item in enumerate(value) for w in non_native(item, f"{where}[{i}]")]
    if value is None or type(value) in (str, int, float, bool):
        return []
    return [f"{where}: {type(value).__name__}"]


def assert_json_native(value: Any) -> None:
    document = value.to_json()
    assert non_native(document) == []
    assert json.loads(json_text(document).text) == document


# --- strategies ---------------------------------------------------------------------------

numbers = st.floats(-1e6, 1e6, allow_nan=False)
positive = st.floats(0.0, 1e6, allow_nan=False)
maybe = st.none() | numbers
names = st.text("abcxyz_", min_size=1, max_size=6)
words = st.text(max_size=20)
intervals = st.tuples(numbers, numbers)
counts = st.integers(0, 10_000)


def draw_summaries() -> st.SearchStrategy[DrawSummary]:
    return st.builds(DrawSummary, numbers, positive, intervals, st.floats(0, 1))


decisions = st.builds(Decision, names, st.sampled_from([">", "<"]), numbers,
                      st.sampled_from([">", ">="]), st.floats(0, 1))
tipping = st.builds(TippingPoint, words, names, names, positive, st.none() | words, maybe,
                    maybe, st.lists(positive, max_size=3).map(tuple),
                    st.lists(intervals, max_size=3).map(tuple))
curves = st.builds(TogetherCurve, st.lists(positive, max_size=4).map(tuple),
                   st.lists(intervals, max_size=4).map(tuple),
                   st.lists(st.floats(0, 1), max_size=4).map(tuple), maybe)
robustness = st.builds(
    Robustness, words, st.booleans(), st.none() | words, st.none() | words, st.none() | curves,
    st.dictionaries(names, maybe, max_size=3), st.lists(names, max_size=3).map(tuple),
    st.none() | st.lists(tipping, max_size=2).map(tuple))
diagnostics = st.builds(Diagnostics, maybe, maybe, maybe, counts, st.none() | words,
                        st.none() | names, st.none() | st.booleans())
classical = st.builds(ClassicalFit, numbers, positive, intervals)
ppi_difference = st.builds(PPIDifference, numbers, positive, intervals, st.floats(0, 1),
                           classical, counts, counts, positive)
ppi_fits = st.builds(PPIFit, names, numbers, positive, intervals,
                     st.dictionaries(names, st.floats(0, 1), max_size=2), positive,
                     maybe, st.none() | words)
ppi_results = st.builds(PPIResult, ppi_fits, st.sampled_from(["smallest_interval", "named"]),
                        st.lists(ppi_fits, max_size=2).map(tuple), st.none() | ppi_fits,
                        classical, st.floats(0.5, 0.99), counts, counts, st.none() | counts,
                        st.booleans())
draws = st.lists(numbers, min_size=2, max_size=8).map(np.asarray)
bayes_fits = st.builds(BayesPredictorFit, names, words, draws, st.floats(-1, 1),
                       st.none() | words)
bayes_results = st.builds(BayesPPIResult, bayes_fits, names,
                          st.lists(bayes_fits, max_size=2).map(tuple), st.none() | counts,
                          st.booleans())
effective = st.builds(
    Effective, positive, positive,
    st.none() | st.builds(ClusterSummary, st.lists(names, max_size=2).map(tuple), counts,
                          positive, positive, positive),
    st.none() | st.builds(PredictionPowered, names,
                          st.lists(st.tuples(names, positive), max_size=2).map(tuple), counts,
                          counts, counts, positive, positive))
frequentist_estimates = st.builds(FrequentistEstimate, numbers, intervals)
implication_tests = st.builds(
    ImplicationTest, st.builds(Independence, names, names, st.lists(names, max_size=2).map(tuple)),
    st.none() | names, st.none() | words,
    st.none() | st.builds(TestResult, names, counts, maybe, maybe, maybe, st.none() | words),
    maybe, st.sampled_from(["consistent", "violated", "not_testable"]), st.none() | words)
withouts = st.none() | st.builds(EffectWithout, st.booleans(), maybe, st.none() | intervals)

VALUES = {
    "DrawSummary": draw_summaries(),
    "EffectSummary": st.builds(EffectSummary, numbers, positive, intervals, st.floats(0, 1),
                               st.sampled_from(["difference", "ratio"]),
                               st.sampled_from([0.0, 1.0])),
    "SourceEffect": st.builds(SourceEffect, numbers, positive, intervals),
    "NaiveEstimate": st.builds(NaiveEstimate, names, numbers, intervals),
    "EffectWithout": st.builds(EffectWithout, st.booleans(), maybe, st.none() | intervals),
    "PriorSummary": st.builds(PriorSummary, maybe, maybe),
    "DecisionOutcome": st.builds(DecisionOutcome, decisions, st.floats(0, 1), st.booleans()),
    "Robustness": robustness,
    "TogetherCurve": curves,
    "Diagnostics": diagnostics,
    "DataSummary": st.builds(DataSummary, names, words, words, counts, counts, counts),
    "Basis": st.builds(Basis, words, st.lists(names, max_size=3).map(tuple), words,
                       st.booleans()),
    "PPINotApplied": st.builds(PPINotApplied, words, st.none() | words),
    "PPIDifference": ppi_difference,
    "CellMeansPPI": st.builds(CellMeansPPI, ppi_difference, names, words, words, words, words),
    "PredictionsPPI": st.builds(PredictionsPPI, ppi_results, st.none() | words, words),
    "BayesPPIEstimate": st.builds(BayesPPIEstimate, bayes_results, numbers, intervals),
    "CalibratedEstimate": st.builds(
        CalibratedEstimate, st.none() | names, words, st.booleans(), st.none() | words,
        st.none() | draw_summaries(), st.none() | st.fixed_dictionaries({"mean": numbers}),
        st.none() | st.fixed_dictionaries({"mean": numbers}),
        st.none() | st.fixed_dictionaries({"mean": numbers})),
    "EffectiveSample": st.builds(EffectiveSample, names, names, counts, effective),
    "Contribution": st.builds(Contribution, names, st.none() | st.tuples(numbers, intervals),
                              maybe, words),
    "Borrowing": st.builds(Borrowing, names, names, words, st.floats(0, 1), st.booleans()),
    "TippingPoint": tipping,
    "AssumptionCheck": st.builds(
        lambda stats, **kw: AssumptionCheck(*kw.pop("head"), *stats, **kw),
        st.just((None, None, None)) | st.tuples(numbers, positive, maybe),
        head=st.tuples(names, names, names, st.sampled_from(["consistent", "contradicted"])),
        reason=words, without=withouts, target=names),
    "PairCheck": st.builds(
        lambda stats, **kw: PairCheck(*kw.pop("head"), *stats, **kw),
        st.just((None, None, None, None)) | st.tuples(numbers, intervals, numbers, maybe),
        head=st.tuples(names, st.tuples(names, names), words,
                       st.sampled_from(["consistent", "not_testable"])),
        reason=words, without=withouts),
    "FrequentistCheck": st.builds(FrequentistCheck, frequentist_estimates,
                                  frequentist_estimates, frequentist_estimates,
                                  st.just("difference"), st.booleans(), counts, counts, counts,
                                  counts, st.none() | names,
                                  st.lists(names, max_size=2).map(tuple)),
    "ImplicationTest": implication_tests,
}


@pytest.mark.parametrize("name", sorted(VALUES))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_every_value_gives_json_native_values(name: str, data) -> None:
    assert_json_native(data.draw(VALUES[name]))


def test_robustness_that_does_not_apply_has_empty_curves() -> None:
    value = Robustness("criterion", False, note="nothing can fail", tipping_points=())
    assert value.to_json() == {
        "criterion": "criterion", "applies": False, "note": "nothing can fail", "scales": [],
        "scale_at_flip": None, "intervals": [], "prob_positive": [], "by_mechanism": {},
        "mechanisms": [], "beyond_range": False, "tipping_points": []}


def test_robustness_beyond_the_range_when_the_interval_never_includes_the_null() -> None:
    curve = TogetherCurve((0.0, 1.0), ((0.1, 0.3), (0.05, 0.4)), (1.0, 0.99), None)
    value = Robustness("criterion", True, units="sd", together=curve,
                       by_mechanism={"y": None}, mechanisms=("y",))
    assert value.beyond_range and value.scales == (0.0, 1.0)
    assert value.to_json() == {
        "criterion": "criterion", "applies": True, "units": "sd", "scales": [0.0, 1.0],
        "scale_at_flip": None, "intervals": [[0.1, 0.3], [0.05, 0.4]],
        "prob_positive": [1.0, 0.99], "by_mechanism": {"y": None}, "mechanisms": ["y"],
        "beyond_range": True}


def test_diagnostics_json_has_the_note_or_the_sampler() -> None:
    assert Diagnostics.exact(400).to_json() == {
        "rhat_max": None, "ess_bulk_min": 400.0, "ess_tail_min": 400.0, "divergences": 0,
        "note": "independent draws from exact posteriors: no MCMC to diagnose"}
    mcmc = Diagnostics(1.01, 500.0, 450.0, 2, sampler="nutpie", ok=False)
    assert list(mcmc.to_json()) == ["rhat_max", "ess_bulk_min", "ess_tail_min", "divergences",
                                    "sampler", "ok"]
    assert dict(mcmc.statistics()) == mcmc.to_json()


@pytest.fixture(scope="module", params=BUNDLED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def bundled(request) -> tuple[Path, object]:
    return request.param, estimate_study(load(request.param), draws=400)


def test_every_bundled_example_runs_on_the_joint_model(bundled) -> None:
    path, result = bundled
    assert result.method.startswith("joint model of every population's mechanisms"), path


def test_bundled_estimate_json_is_native_and_follows_the_schema(bundled) -> None:
    _, result = bundled
    document = result.to_json()
    assert non_native(document) == []
    validate(document, "estimate")
    assert document["robustness"] == result.robustness.to_json()
    assert document["effect"]["mean"] == result.effect.mean
    assert document["basis"] == result.basis().to_json()
