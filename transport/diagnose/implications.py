"""The graph against the data: every independence the graph implies among the variables a
dataset measures, tested in that dataset, with Holm's correction over all the tests.

A dataset sees the study's graph with the variables it does not measure made latent and,
when it is an experiment, with the edges into its randomized variables removed (so an
experiment also tests its randomization: the treatment independent of the covariates).
Independences of the whole graph that no dataset can test are listed as `not_testable`.
A violated independence between two variables the graph does not join comes with the line
that would join them.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from transport.data.load import LoadedData
from transport.diagnose.independence import TestResult, independence_test
from transport.graph.diagram import causal_graph
from transport.graph.implications import Independence, edge_to_add, implied_independencies
from transport.study import DataSpec, Study

Verdict = Literal["consistent", "violated", "not_testable"]
ALPHA = 0.05


@dataclass(frozen=True)
class ImplicationTest:
    """One implied independence in one dataset (or in none: `population` is None), its test,
    Holm-adjusted p-value and verdict."""

    independence: Independence
    population: str | None
    data: str | None
    result: TestResult | None
    p_holm: float | None
    verdict: Verdict
    fix: str | None = None

    @property
    def statement(self) -> str:
        return self.independence.statement

    @property
    def p_value(self) -> float | None:
        return None if self.result is None else self.result.p_value

    @property
    def reason(self) -> str | None:
        """Why the implication could not be tested."""
        if self.result is None:
            return f"no dataset measures {', '.join(self.independence.variables)} together"
        return self.result.reason

    def to_json(self) -> dict[str, Any]:
        """{statement, population, p_value, verdict} and the test's details."""
        result = self.result
        return {
            "statement": self.statement,
            "population": self.population,
            "p_value": self.p_value,
            "verdict": self.verdict,
            "p_holm": self.p_holm,
            "data": self.data,
            "test": None if result is None else result.test,
            "statistic": None if result is None else result.statistic,
            "df": None if result is None else result.df,
            "n": None if result is None else result.n,
            "reason": self.reason if self.verdict == "not_testable" else None,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class ImplicationReport:
    """Every implication tested, in a stable order (dataset, then statement)."""

    tests: tuple[ImplicationTest, ...]
    alpha: float = ALPHA

    @property
    def violated(self) -> tuple[ImplicationTest, ...]:
        return tuple(t for t in self.tests if t.verdict == "violated")

    @property
    def tested(self) -> tuple[ImplicationTest, ...]:
        return tuple(t for t in self.tests if t.verdict != "not_testable")

    def to_json(self) -> list[dict[str, Any]]:
        return [t.to_json() for t in self.tests]


def dataset_implications(study: Study, spec: DataSpec) -> tuple[Independence, ...]:
    """The independencies one data statement's rows should show."""
    graph = causal_graph(study).restricted(spec.measures, spec.randomized)
    return implied_independencies(graph)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def _seed(seed: int, *parts: str) -> int:
    """A seed for one test that depends on what is tested, not on the order of statements."""
    return zlib.crc32("\0".join(parts).encode()) ^ seed


def _fix(study: Study, spec: DataSpec, independence: Independence) -> str:
    a, b = independence.first, independence.second
    randomized = [v for v in (a, b) if v in spec.randomized]
    if randomized:
        other = b if randomized[0] == a else a
        return (f"{randomized[0]} is declared randomized in {spec.path} but depends on "
                f"{other}: check the randomization, or declare the data observational")
    return edge_to_add(causal_graph(study), a, b)


def implication_tests(
    study: Study, data: Sequence[LoadedData], alpha: float = ALPHA, seed: int = 0
) -> ImplicationReport:
    """Test every implied independence in every loaded dataset that measures its variables;
    Holm's correction runs over all the tests together."""
    variables = {v.name: v for v in study.variables}
    runs: list[tuple[LoadedData, Independence, TestResult]] = []
    for loaded in sorted(data, key=lambda d: (d.population, d.spec.path, d.spec.design())):
        for independence in dataset_implications(study, loaded.spec):
            result = independence_test(
                loaded.frame, variables, independence.first, independence.second,
                independence.given,
                seed=_seed(seed, loaded.spec.path, independence.statement),
            )
            runs.append((loaded, independence, result))
    tested = [i for i, (_, _, r) in enumerate(runs) if r.testable]
    adjusted = dict(zip(tested, holm([runs[i][2].p_value for i in tested]), strict=True))
    tests = []
    for index, (loaded, independence, result) in enumerate(runs):
        p_holm = adjusted.get(index)
        if p_holm is None:
            verdict: Verdict = "not_testable"
        else:
            verdict = "violated" if p_holm < alpha else "consistent"
        fix = _fix(study, loaded.spec, independence) if verdict == "violated" else None
        tests.append(ImplicationTest(independence, loaded.population, loaded.spec.path,
                                     result, p_holm, verdict, fix))
    covered = {(t.independence.first, t.independence.second) for t in tests}
    for independence in implied_independencies(causal_graph(study)):
        if (independence.first, independence.second) not in covered:
            tests.append(ImplicationTest(independence, None, None, None, None, "not_testable"))
    return ImplicationReport(tuple(tests), alpha)
