"""Evaluate an estimand for every posterior draw at once.

Each table is a labelled array: named axes, one per variable, after a leading axis of
draws. Probability terms become marginals and ratios of those arrays, products broadcast,
sums contract axes; the whole formula is a handful of numpy operations whatever the number
of draws, instead of a Python loop per draw and per cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from transport.identification.expr import Expr, One, Prob, Product, Quotient, Sum

TableKey = tuple[str, frozenset[str]]


@dataclass(frozen=True)
class Labelled:
    """`data` has shape (draws, *[size of each dim]); dims are variable names."""

    dims: tuple[str, ...]
    data: np.ndarray

    def marginal(self, keep: tuple[str, ...]) -> Labelled:
        """Sum out every dim not in `keep`; the result's dims follow `keep`'s order."""
        missing = [d for d in keep if d not in self.dims]
        if missing:
            raise KeyError(f"the table does not have {', '.join(missing)}")
        drop = tuple(1 + i for i, d in enumerate(self.dims) if d not in keep)
        data = self.data.sum(axis=drop) if drop else self.data
        remaining = [d for d in self.dims if d in keep]
        order = [0] + [1 + remaining.index(d) for d in keep]
        return Labelled(tuple(keep), np.transpose(data, order))

    def aligned(self, dims: tuple[str, ...]) -> np.ndarray:
        """The data reshaped to broadcast against an array with `dims` (a superset)."""
        order = [0] + [1 + self.dims.index(d) for d in dims if d in self.dims]
        data = np.transpose(self.data, order)
        shape = [data.shape[0]]
        k = 1
        for d in dims:
            if d in self.dims:
                shape.append(data.shape[k])
                k += 1
            else:
                shape.append(1)
        return data.reshape(shape)


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(d for d in b if d not in a)


def _multiply(left: Labelled, right: Labelled) -> Labelled:
    dims = _union(left.dims, right.dims)
    return Labelled(dims, left.aligned(dims) * right.aligned(dims))


def _divide(numerator: Labelled, denominator: Labelled) -> Labelled:
    dims = _union(numerator.dims, denominator.dims)
    top, bottom = numerator.aligned(dims), denominator.aligned(dims)
    top, bottom = np.broadcast_arrays(top, bottom)
    out = np.zeros(top.shape)
    np.divide(top, bottom, out=out, where=bottom > 0)
    out[(bottom <= 0) & (top != 0)] = np.nan
    return Labelled(dims, out)


@dataclass(frozen=True)
class ConditionalMean:
    """E_population[outcome | the other variables of the term it replaces, do(...)]: stands
    in for the one probability term of a continuous outcome, since the formula is linear in
    it (Σ_y y P(y, w | g) = P(w | g) E[Y | w, g])."""

    population: str
    outcome: str
    do: tuple[str, ...]
    conditions: tuple[str, ...]

    @property
    def key(self) -> tuple[str, frozenset[str], tuple[str, ...]]:
        return (self.population, frozenset(self.do), self.do + self.conditions)


def evaluate_draws(
    expr: Expr,
    tables: Mapping[TableKey, Labelled],
    draws: int,
    means: Mapping[tuple, Labelled] | None = None,
) -> Labelled:
    """The estimand as a labelled array over its free variables, per draw.

    `tables[(population, frozenset(do))]` holds, per draw, that population's distribution
    under do(...): for each value of the do-variables, a distribution over the rest.
    `means` holds the conditional means that ConditionalMean nodes read.
    """
    means = means or {}
    if isinstance(expr, One):
        return Labelled((), np.ones(draws))
    if isinstance(expr, Prob):
        key = (expr.population, frozenset(expr.do))
        if key not in tables:
            design = f" under do({', '.join(sorted(expr.do))})" if expr.do else ""
            raise KeyError(f"no data for {expr.population}{design}")
        table = tables[key]
        condition = tuple(expr.do) + tuple(expr.given)
        joint = table.marginal(condition + tuple(expr.vars))
        if not condition:
            return joint
        return _divide(joint, table.marginal(condition))
    if isinstance(expr, Product):
        result = evaluate_draws(expr.factors[0], tables, draws, means)
        for factor in expr.factors[1:]:
            result = _multiply(result, evaluate_draws(factor, tables, draws, means))
        return result
    if isinstance(expr, Quotient):
        return _divide(
            evaluate_draws(expr.numerator, tables, draws, means),
            evaluate_draws(expr.denominator, tables, draws, means),
        )
    if isinstance(expr, Sum):
        body = evaluate_draws(expr.body, tables, draws, means)
        keep = tuple(d for d in body.dims if d not in expr.over)
        result = body.marginal(keep) if len(keep) < len(body.dims) else body
        for absent in (d for d in expr.over if d not in body.dims):
            result = Labelled(result.dims, result.data * _size(absent, tables))
        return result
    if isinstance(expr, ConditionalMean):
        if expr.key not in means:
            raise KeyError(f"no data on the mean of {expr.outcome} in {expr.population}")
        return means[expr.key]
    raise TypeError(f"not an expression: {expr!r}")


def _size(dim: str, tables: Mapping[TableKey, Labelled]) -> int:
    for table in tables.values():
        if dim in table.dims:
            return table.data.shape[1 + table.dims.index(dim)]
    raise KeyError(f"no table gives the values of {dim}")
