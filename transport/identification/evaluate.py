"""Numeric evaluation of estimands on probability (or count) tables.

A table is a pandas DataFrame with one column per variable and a column "p" holding the
joint probability of each row. `tables[(population, frozenset(experiment))]` is the
distribution of that population under do(experiment): its rows include the experiment's
variables, and for each value of them the rows give the distribution of the rest (rows
may be scaled by the randomization probability; only ratios within one do-value are used).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING

from transport.errors import ProblemError

from .expr import Expr, One, Prob, Product, Quotient, Sum, free_vars

if TYPE_CHECKING:  # pandas only for the annotations: `transport identify` never loads it
    import pandas as pd

TableKey = tuple[str, frozenset[str]]


class _Marginals:
    """Memoized marginal sums of each table over column subsets."""

    def __init__(self, tables: Mapping[TableKey, pd.DataFrame]) -> None:
        self.tables = tables
        self.cache: dict[tuple[TableKey, tuple[str, ...]], dict[tuple, float]] = {}
        self.domains: dict[str, list[Hashable]] = {}
        for df in tables.values():
            for col in df.columns:
                if col == "p":
                    continue
                vals = self.domains.setdefault(col, [])
                for v in df[col].unique():
                    if v not in vals:
                        vals.append(v)

    def mass(self, key: TableKey, cols: tuple[str, ...], values: tuple) -> float:
        table_key = (key, cols)
        sums = self.cache.get(table_key)
        if sums is None:
            if key not in self.tables:
                raise ProblemError(f"no table for population {key[0]!r} with do({sorted(key[1])})")
            df = self.tables[key]
            if not cols:
                sums = {(): float(df["p"].sum())}
            else:
                grouped = df.groupby(list(cols), sort=False)["p"].sum()
                sums = {}
                for idx, val in grouped.items():
                    sums[idx if isinstance(idx, tuple) else (idx,)] = float(val)
            self.cache[table_key] = sums
        return sums.get(values, 0.0)


def evaluate(expr: Expr, tables: Mapping[TableKey, pd.DataFrame],
             assignment: Mapping[str, Hashable]) -> float:
    """The value of `expr` at `assignment` (values of its free variables, e.g. x and y).

    Summed variables range over the values seen for them in any table. An identification
    formula may keep free variables other than treatment and outcome (the r of the napkin
    formula): it has the same value for every value of them, so when they are not assigned
    the first value combination giving a defined (non-NaN) result is used.
    """
    m = _Marginals(tables)
    env = dict(assignment)
    missing = sorted(free_vars(expr) - set(env))
    if not missing:
        return _eval(expr, m, env)
    for v in missing:
        if v not in m.domains:
            raise ProblemError(f"no value assigned to variable {v!r}")
    result = float("nan")
    for values in itertools.product(*(m.domains[v] for v in missing)):
        env.update(zip(missing, values, strict=True))
        result = _eval(expr, m, env)
        if not math.isnan(result):
            return result
    return result


def _eval(e: Expr, m: _Marginals, env: dict[str, Hashable]) -> float:
    if isinstance(e, One):
        return 1.0
    if isinstance(e, Prob):
        return _prob(e, m, env)
    if isinstance(e, Product):
        total = 1.0
        for f in e.factors:
            total *= _eval(f, m, env)
            if total == 0.0:
                return 0.0
        return total
    if isinstance(e, Quotient):
        num = _eval(e.numerator, m, env)
        if num == 0.0:
            return 0.0
        den = _eval(e.denominator, m, env)
        return num / den if den != 0.0 else float("nan")
    if isinstance(e, Sum):
        domains = []
        for v in e.over:
            if v not in m.domains:
                raise ProblemError(f"no table gives the values of summed variable {v!r}")
            domains.append(m.domains[v])
        total = 0.0
        inner = dict(env)
        for values in itertools.product(*domains):
            inner.update(zip(e.over, values, strict=True))
            total += _eval(e.body, m, inner)
        return total
    raise TypeError(f"not an expression: {e!r}")


def _prob(e: Prob, m: _Marginals, env: dict[str, Hashable]) -> float:
    key = (e.population, frozenset(e.do))
    try:
        do_vals = tuple(env[v] for v in e.do)
        cond_cols = e.do + e.given
        cond_vals = do_vals + tuple(env[v] for v in e.given)
        joint_vals = cond_vals + tuple(env[v] for v in e.vars)
    except KeyError as err:
        raise ProblemError(f"no value assigned to variable {err.args[0]!r}") from None
    num = m.mass(key, cond_cols + e.vars, joint_vals)
    if num == 0.0:
        return 0.0
    den = m.mass(key, cond_cols, cond_vals)
    return num / den


def tables_from_counts(counts: Mapping[TableKey, pd.DataFrame],
                       column: str = "n") -> dict[TableKey, pd.DataFrame]:
    """Turn count tables (a column `column` of counts) into probability tables (column "p")."""
    out = {}
    for key, df in counts.items():
        total = float(df[column].sum())
        if total <= 0:
            raise ProblemError(f"table {key} has no observations")
        new = df.drop(columns=[column]).copy()
        new["p"] = df[column].astype(float) / total
        out[key] = new
    return out


def evaluate_counts(expr: Expr, counts: Mapping[TableKey, pd.DataFrame],
                    assignment: Mapping[str, Hashable], column: str = "n") -> float:
    """`evaluate` on empirical frequencies computed from count tables (plug-in estimate)."""
    return evaluate(expr, tables_from_counts(counts, column), assignment)
