"""The exact Bayesian path: conjugate posteriors for every distribution the transport
formula reads, drawn independently, the formula evaluated per draw.

Discrete tables get a Dirichlet(1 + counts) posterior over their cells (one per value of
the randomized variables, for an experiment). A continuous or count outcome enters the
formula only through its conditional mean in one term, which gets the posterior of a
normal mean with unknown variance (Student-t, Jeffreys prior) per cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from transport.data.load import LoadedData
from transport.errors import DataError
from transport.estimate.cells import cell_moments, count_cells, is_discrete
from transport.estimate.tensor import ConditionalMean, Labelled, TableKey
from transport.identification.expr import Expr, Prob, Product, Quotient, Sum, leaves, terms
from transport.study import Study

DIRICHLET_PRIOR = 1.0


@dataclass(frozen=True)
class Reads:
    """What the formula reads from one population under one design."""

    key: TableKey
    variables: tuple[str, ...]


def mean_terms(expr: Expr) -> list[ConditionalMean]:
    return [t for t in leaves(expr) if isinstance(t, ConditionalMean)]


def reads(expr: Expr) -> list[Reads]:
    """Per (population, design): the variables its terms mention, in a stable order."""
    found: dict[TableKey, list[str]] = {}
    for term in terms(expr):
        names = found.setdefault((term.population, frozenset(term.do)), [])
        for name in (*term.do, *term.given, *term.vars):
            if name not in names:
                names.append(name)
    return [Reads(key, tuple(names)) for key, names in found.items()]


def replace_outcome_term(expr: Expr, outcome: str) -> Expr:
    """The formula with the one term that mentions a continuous outcome, P(y, w | g),
    replaced by P(w | g) E[y | w, g]. Raises ValueError when the formula is not linear in
    a single such term."""
    mentioning = [t for t in terms(expr) if outcome in (*t.vars, *t.given, *t.do)]
    if (len(mentioning) != 1 or outcome not in mentioning[0].vars
            or _in_denominator(expr, mentioning[0])):
        raise ValueError("the formula is not linear in one term of the outcome")
    term = mentioning[0]

    def rebuild(node: Expr) -> Expr:
        if node == term:
            rest = tuple(v for v in term.vars if v != outcome)
            mean = ConditionalMean(term.population, outcome, term.do, term.given + rest)
            if not rest:
                return mean
            return Product((Prob(term.population, rest, term.given, term.do), mean))
        if isinstance(node, Sum):
            return Sum(node.over, rebuild(node.body))
        if isinstance(node, Product):
            return Product(tuple(rebuild(f) for f in node.factors))
        if isinstance(node, Quotient):
            return Quotient(rebuild(node.numerator), rebuild(node.denominator))
        return node

    return rebuild(expr)


def _in_denominator(expr: Expr, term: Prob) -> bool:
    if isinstance(expr, Quotient):
        return term in terms(expr.denominator) or _in_denominator(expr.numerator, term)
    if isinstance(expr, Sum):
        return _in_denominator(expr.body, term)
    if isinstance(expr, Product):
        return any(_in_denominator(f, term) for f in expr.factors)
    return False


def find_dataset(
    key: TableKey, variables: Sequence[str], loaded: Sequence[LoadedData]
) -> pd.DataFrame:
    """The rows that give this population's distribution under this design: every data
    statement of that population and design that measures the variables, pooled (so the
    order of data statements cannot matter)."""
    population, experiment = key
    frames = [
        data.frame[list(variables)]
        for data in sorted(loaded, key=lambda d: (d.spec.path, d.spec.design()))
        if data.population == population
        and frozenset(data.spec.randomized) == experiment
        and set(variables) <= set(data.spec.measures)
    ]
    if frames:
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    design = f"experiment({', '.join(sorted(experiment))})" if experiment else "observational"
    raise DataError(
        f"the transport formula needs {population} {design} data measuring "
        f"{', '.join(variables)}, and no data statement provides it"
    )


def dirichlet_draws(
    counts: np.ndarray, condition_axes: int, draws: int, rng: np.random.Generator,
    prior: float = DIRICHLET_PRIOR,
) -> np.ndarray:
    """Posterior draws of a table: for each cell of the first `condition_axes` axes (the
    randomized variables), an independent Dirichlet(prior + counts) over the other cells."""
    shape = counts.shape
    rows = int(np.prod(shape[:condition_axes])) if condition_axes else 1
    flat = counts.reshape(rows, -1).astype(float) + prior
    gamma = rng.standard_gamma(np.broadcast_to(flat, (draws, *flat.shape)))
    gamma /= gamma.sum(axis=2, keepdims=True)
    return gamma.reshape((draws, *shape))


def mean_draws(
    n: np.ndarray, mean: np.ndarray, variance: np.ndarray, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """Posterior draws of each cell's mean: Student-t(n-1) around the cell mean with scale
    s/sqrt(n) under the Jeffreys prior; cells with one row borrow the pooled variance, empty
    cells get a vague normal around the overall mean (their weight is then small)."""
    seen = n > 0
    overall = float(np.sum(n * mean) / np.sum(n))
    pooled_df = float(np.sum(np.clip(n - 1, 0, None)))
    pooled = (
        float(np.nansum(np.where(n > 1, (n - 1) * variance, 0.0)) / pooled_df)
        if pooled_df > 0 else float(np.var(mean[seen]) or 1.0)
    )
    spread = max(pooled, float(np.sum(n * (mean - overall) ** 2) / np.sum(n)))
    out = np.empty((draws, n.size))
    for cell in range(n.size):
        if n[cell] > 1:
            scale = np.sqrt(max(variance[cell], 1e-12) / n[cell])
            out[:, cell] = mean[cell] + scale * rng.standard_t(n[cell] - 1, size=draws)
        elif n[cell] == 1:
            out[:, cell] = mean[cell] + np.sqrt(pooled) * rng.standard_normal(draws)
        else:
            out[:, cell] = overall + np.sqrt(spread) * 3 * rng.standard_normal(draws)
    return out


@dataclass(frozen=True)
class ConjugateInputs:
    tables: dict[TableKey, Labelled]
    means: dict[tuple, Labelled]
    rows: dict[TableKey, int]


def posterior_tables(
    formula: Expr,
    outcome: str,
    study: Study,
    loaded: Sequence[LoadedData],
    draws: int,
    rng: np.random.Generator,
    prior_only: bool = False,
) -> ConjugateInputs:
    """Posterior (or, with prior_only, prior) draws of every table the formula reads."""
    tables: dict[TableKey, Labelled] = {}
    means: dict[tuple, Labelled] = {}
    rows: dict[TableKey, int] = {}
    for item in reads(formula):
        frame = find_dataset(item.key, item.variables, loaded)
        ordered = _discrete_order(item.variables, item.key[1], study)
        counts = count_cells(frame, ordered, study)
        if prior_only:
            counts = np.zeros_like(counts)
        rows[item.key] = len(frame)
        do_count = sum(v in item.key[1] for v in ordered)
        tables[item.key] = Labelled(ordered, dirichlet_draws(counts, do_count, draws, rng))
    for term in mean_terms(formula):
        key = (term.population, frozenset(term.do))
        frame = find_dataset(key, (*term.do, *term.conditions, outcome), loaded)
        ordered = _discrete_order(term.do + term.conditions, key[1], study)
        n, mean, variance, shape = cell_moments(frame, ordered, outcome, study)
        if prior_only:
            values = np.asarray(frame[outcome], dtype=float)
            centre, spread = float(values.mean()), float(values.std() or 1.0)
            sampled = centre + 3 * spread * rng.standard_normal((draws, n.size))
        else:
            sampled = mean_draws(n, mean, variance, draws, rng)
        means[term.key] = Labelled(ordered, sampled.reshape((draws, *shape)))
    return ConjugateInputs(tables, means, rows)


def _discrete_order(
    variables: Sequence[str], do: frozenset[str], study: Study
) -> tuple[str, ...]:
    """The randomized variables first, then the rest; all must be discrete."""
    for name in variables:
        if not is_discrete(study.variable(name)):
            raise DataError(
                f"'{name}' is {study.variable(name).kind}: the exact path counts discrete "
                "variables only"
            )
    do_first = tuple(v for v in variables if v in do)
    return do_first + tuple(v for v in variables if v not in do)


def outcome_formula(formula: Expr, outcome: str, study: Study) -> Expr:
    """The formula ready for evaluation: unchanged for a discrete outcome, with the outcome's
    term replaced by its conditional mean for a continuous or count outcome."""
    if is_discrete(study.variable(outcome)):
        return formula
    try:
        return replace_outcome_term(formula, outcome)
    except ValueError:
        raise DataError(
            f"the transport formula for '{outcome}' is not linear in one term of the outcome, "
            "which the exact path needs for a continuous outcome; use the parametric model"
        ) from None
