"""Suggestions: the smallest changes to assumptions or data that make the effect transportable.

Three kinds, each searched by increasing set size with identification re-run on every
candidate: "share" (declare more of a source's mechanisms equal to the target's, i.e. remove
nodes from its selection set), "measure" (a population also measures more variables in all
its datasets) and "experiment" (a population runs a new experiment randomizing a set of
variables and measuring everything observed). For each kind and population only the minimal
size that works is reported. The search is bounded (`max_size`, `budget` re-runs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import combinations

from .problem import Dataset, TransportProblem

Decider = Callable[[TransportProblem], bool]


@dataclass(frozen=True)
class Suggestion:
    """One way to make the effect transportable."""

    kind: str  # "share" | "measure" | "experiment"
    population: str
    variables: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """{"kind", "population", "variables"}."""
        return {"kind": self.kind, "population": self.population,
                "variables": list(self.variables)}


class _Budget:
    def __init__(self, total: int) -> None:
        self.left = total

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


def _smallest(candidates: Iterable[str], max_size: int, works: Callable[[frozenset[str]], bool],
              budget: _Budget, max_hits: int) -> list[tuple[str, ...]]:
    """All minimal-size subsets (up to max_hits) of `candidates` for which `works` holds."""
    pool = sorted(set(candidates))
    for k in range(1, min(max_size, len(pool)) + 1):
        hits: list[tuple[str, ...]] = []
        for combo in combinations(pool, k):
            if not budget.spend():
                return hits
            if works(frozenset(combo)):
                hits.append(combo)
                if len(hits) >= max_hits:
                    break
        if hits:
            return hits
    return []


def share_suggestions(problem: TransportProblem, decide: Decider, budget: _Budget,
                      max_size: int, max_hits: int) -> Iterator[Suggestion]:
    """Mechanisms whose sharing (removal from a source's selection set) suffices."""
    for source in problem.sources:
        differing = problem.selection.get(source, frozenset())

        def works(shared: frozenset[str], source: str = source,
                  differing: frozenset[str] = differing) -> bool:
            selection = dict(problem.selection)
            selection[source] = differing - shared
            return decide(replace(problem, selection=selection))

        for combo in _smallest(differing, max_size, works, budget, max_hits):
            yield Suggestion("share", source, combo)


def measure_suggestions(problem: TransportProblem, decide: Decider, budget: _Budget,
                        max_size: int, max_hits: int) -> Iterator[Suggestion]:
    """Extra variables a population could measure (in all its datasets)."""
    observed = [v for v in problem.nodes if v not in problem.latent]
    populations = dict.fromkeys(ds.population for ds in problem.datasets)
    for population in populations:
        mine = [ds for ds in problem.datasets if ds.population == population]
        missing = {v for ds in mine for v in observed if v not in ds.measured | ds.experiment}

        def works(extra: frozenset[str], population: str = population) -> bool:
            datasets = tuple(
                replace(ds, measured=ds.measured | extra) if ds.population == population else ds
                for ds in problem.datasets)
            return decide(replace(problem, datasets=datasets))

        for combo in _smallest(missing, max_size, works, budget, max_hits):
            yield Suggestion("measure", population, combo)


def experiment_suggestions(problem: TransportProblem, decide: Decider, budget: _Budget,
                           max_size: int, max_hits: int,
                           candidates: Iterable[str]) -> Iterator[Suggestion]:
    """New experiments (randomizing a set, measuring every observed variable)."""
    observed = frozenset(v for v in problem.nodes if v not in problem.latent)
    pool = sorted(set(candidates))
    for population in (problem.target, *problem.sources):

        def works(z: frozenset[str], population: str = population) -> bool:
            new = Dataset(population, z, observed)
            return decide(replace(problem, datasets=(*problem.datasets, new)))

        for combo in _smallest(pool, max_size, works, budget, max_hits):
            yield Suggestion("experiment", population, combo)


def suggest(problem: TransportProblem, decide: Decider, experiment_candidates: Iterable[str],
            max_size: int = 2, budget: int = 400, max_hits: int = 5) -> tuple[Suggestion, ...]:
    """All three kinds of suggestions; each kind may re-run identification `budget` // 3 times."""
    part = max(1, budget // 3)
    out: list[Suggestion] = []
    out.extend(share_suggestions(problem, decide, _Budget(part), max_size + 1, max_hits))
    out.extend(measure_suggestions(problem, decide, _Budget(part), max_size + 1, max_hits))
    out.extend(experiment_suggestions(problem, decide, _Budget(part), max_size, max_hits,
                                      experiment_candidates))
    return tuple(out)
