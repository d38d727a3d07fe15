"""Exact binary structural models for a TransportProblem, used to check estimands numerically.

Every node (observed, latent, and one fresh latent per bidirected edge) is binary with a
random conditional table given its parents. Each source population copies the target's
tables except at the nodes its selection set names, which get fresh random tables.
Distributions are computed exactly by enumerating all joint assignments.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from transport.identification.problem import Dataset, TransportProblem


class BinaryModel:
    """A binary causal model over `nodes` with tables per population."""

    def __init__(self, problem: TransportProblem, rng: np.random.Generator,
                 low: float = 0.1, high: float = 0.9) -> None:
        self.problem = problem
        parents: dict[str, list[str]] = {v: [] for v in problem.nodes}
        for a, b in problem.directed:
            parents[b].append(a)
        extra = []
        for i, (a, b) in enumerate(problem.bidirected):
            u = f"_U{i}"
            extra.append(u)
            parents[u] = []
            parents[a].append(u)
            parents[b].append(u)
        self.nodes = list(problem.nodes) + extra
        self.parents = parents
        self.observed = [v for v in problem.nodes if v not in problem.latent]
        self.index = {v: i for i, v in enumerate(self.nodes)}
        self.assignments = np.array(list(itertools.product((0, 1), repeat=len(self.nodes))),
                                    dtype=np.int8)

        def table(v: str) -> np.ndarray:
            return rng.uniform(low, high, size=2 ** len(parents[v]))

        base = {v: table(v) for v in self.nodes}
        self.tables = {problem.target: base}
        for src in problem.sources:
            changed = problem.selection.get(src, frozenset())
            self.tables[src] = {v: (table(v) if v in changed else base[v]) for v in self.nodes}

    def _joint(self, population: str, do: dict[str, int]) -> np.ndarray:
        """Probability of each full assignment under do(do) in the population."""
        tabs = self.tables[population]
        a = self.assignments
        p = np.ones(len(a))
        for v in self.nodes:
            col = a[:, self.index[v]]
            if v in do:
                p *= (col == do[v])
                continue
            pa = self.parents[v]
            code = np.zeros(len(a), dtype=np.int64)
            for q in pa:
                code = code * 2 + a[:, self.index[q]]
            p1 = tabs[v][code]
            p *= np.where(col == 1, p1, 1.0 - p1)
        return p

    def table(self, population: str, experiment: frozenset[str] = frozenset(),
              columns: frozenset[str] | None = None) -> pd.DataFrame:
        """P_population(columns | do(experiment)) for every value of the experiment variables,
        as a table with the experiment's columns and p scaled by 1/2^|experiment|."""
        cols = sorted(set(columns if columns is not None else self.observed) | set(experiment))
        exp = sorted(experiment)
        frames = []
        for values in itertools.product((0, 1), repeat=len(exp)):
            do = dict(zip(exp, values, strict=True))
            p = self._joint(population, do) / (2 ** len(exp))
            df = pd.DataFrame(self.assignments[:, [self.index[c] for c in cols]], columns=cols)
            df["p"] = p
            frames.append(df.groupby(cols, as_index=False)["p"].sum())
        return pd.concat(frames, ignore_index=True)

    def dataset_tables(self, datasets: tuple[Dataset, ...]) -> dict:
        """The table each dataset provides, restricted to its measured variables."""
        out = {}
        for ds in datasets:
            key = (ds.population, frozenset(ds.experiment))
            cols = frozenset(ds.measured) & frozenset(self.observed)
            if key in out:
                cols |= frozenset(c for c in out[key].columns if c != "p")
            out[key] = self.table(ds.population, frozenset(ds.experiment), cols)
        return out

    def effect(self, outcome: dict[str, int], treatment: dict[str, int],
               population: str | None = None) -> float:
        """The true P_population(outcome | do(treatment))."""
        pop = population or self.problem.target
        p = self._joint(pop, treatment)
        mask = np.ones(len(p), dtype=bool)
        for v, val in outcome.items():
            mask &= self.assignments[:, self.index[v]] == val
        return float(p[mask].sum())


def all_values(names: tuple[str, ...]) -> list[dict[str, int]]:
    """Every binary assignment of the given variables."""
    return [dict(zip(names, vals, strict=True))
            for vals in itertools.product((0, 1), repeat=len(names))]


def check_estimand(problem: TransportProblem, estimand, seed: int = 0, tol: float = 1e-9) -> None:
    """Assert the estimand equals the true target effect on a random model of the problem,
    using only the tables the datasets provide (restricted to their measured variables)."""
    from transport.identification.evaluate import evaluate

    model = BinaryModel(problem, np.random.default_rng(seed))
    tables = model.dataset_tables(problem.datasets)
    for xv in all_values(tuple(problem.treatment)):
        for yv in all_values(tuple(problem.outcome)):
            got = evaluate(estimand, tables, {**xv, **yv})
            want = model.effect(yv, xv)
            assert abs(got - want) <= tol, (got, want, xv, yv)
