"""The columns of a data statement that are not variables: per-unit predictions
(`predictions { V by POP = "column" }`), cluster ids (`cluster "column"`) and weights
(`weight "column"`).

`split_design(spec, raw, study, where)` takes them out of the raw table before variables are
bound (so that no variable is ever bound to one automatically), validates them on every row
and returns them as typed arrays. Rows that loading later drops (`--drop-missing`) are
dropped here too with `DesignColumns.subset`, so the arrays stay aligned with the frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from transport.data.recode import FALSE_WORDS, TRUE_WORDS, cell_text, recode_values
from transport.data.validate import row_numbers, shown_values
from transport.errors import DataError, did_you_mean
from transport.study import DataSpec, Study, Variable


@dataclass(frozen=True, eq=False)
class PredictionColumn:
    """Source `source`'s prediction of `variable` for each row, as floats: a probability or
    0/1 label for a binary variable, the predicted value for ordinal, count and continuous
    variables, the index of the predicted level (in declared order) for a categorical."""

    variable: str
    source: str
    column: str
    values: np.ndarray


@dataclass(frozen=True, eq=False)
class ClusterColumn:
    """Cluster membership: `codes[i]` is row i's cluster, numbered 0.. in order of first
    appearance; `labels[k]` is cluster k's value as written in the file."""

    column: str
    codes: np.ndarray
    labels: tuple

    @property
    def count(self) -> int:
        return len(self.labels)


@dataclass(frozen=True, eq=False)
class WeightColumn:
    """Design or survey weights: finite, at least 0, not all 0."""

    column: str
    values: np.ndarray


@dataclass(frozen=True, eq=False)
class DesignColumns:
    """One data statement's non-variable columns, row-aligned with its loaded frame."""

    predictions: tuple[PredictionColumn, ...] = ()
    cluster: ClusterColumn | None = None
    weight: WeightColumn | None = None
    where: str = ""

    def prediction(self, variable: str, source: str) -> np.ndarray:
        """The prediction array of (variable, source); KeyError if the statement has none."""
        for item in self.predictions:
            if item.variable == variable and item.source == source:
                return item.values
        raise KeyError((variable, source))

    def sources_for(self, variable: str) -> tuple[str, ...]:
        """The sources that predict `variable` here, in the order the file lists them."""
        return tuple(p.source for p in self.predictions if p.variable == variable)

    def subset(self, keep: np.ndarray) -> DesignColumns:
        """The same columns for the rows where `keep` (a boolean mask) holds."""
        keep = np.asarray(keep, dtype=bool)
        cluster = None
        if self.cluster is not None:
            codes, uniques = pd.factorize(
                pd.Series([self.cluster.labels[c] for c in self.cluster.codes[keep]], dtype=object)
            )
            cluster = ClusterColumn(self.cluster.column, codes.astype(np.int64), tuple(uniques))
        weight = None
        if self.weight is not None:
            weight = WeightColumn(self.weight.column, self.weight.values[keep])
            if keep.any() and not (weight.values > 0).any():
                raise DataError(
                    f"{self.where}: column '{weight.column}' (weight): every weight of the "
                    "rows kept is 0"
                )
        return DesignColumns(
            tuple(
                PredictionColumn(p.variable, p.source, p.column, p.values[keep])
                for p in self.predictions
            ),
            cluster,
            weight,
            self.where,
        )


NO_DESIGN = DesignColumns()


def split_design(
    spec: DataSpec, raw: pd.DataFrame, study: Study, where: str
) -> tuple[pd.DataFrame, DesignColumns]:
    """The table without its design columns, and those columns validated and typed."""
    wanted = spec.design_columns()
    if not wanted:
        return raw, NO_DESIGN
    available = [str(c) for c in raw.columns]
    absent = [c for c in wanted if c not in available]
    if absent:
        raise DataError("\n".join(_absent(spec, c, available, where) for c in absent))
    table = raw.copy()
    table.columns = available
    predictions = tuple(
        PredictionColumn(
            p.variable, p.source, p.column,
            _prediction(table[p.column], study.variable(p.variable), spec, where),
        )
        for p in spec.predictions
    )
    cluster = _cluster(table[spec.cluster], where) if spec.cluster is not None else None
    weight = _weight(table[spec.weight], where) if spec.weight is not None else None
    rest = table.drop(columns=list(wanted))
    return rest, DesignColumns(predictions, cluster, weight, where)


def _absent(spec: DataSpec, column: str, available: list[str], where: str) -> str:
    roles = [f"{p.source}'s prediction of {p.variable}" for p in spec.predictions
             if p.column == column]
    roles += [role for role, name in (("the cluster column", spec.cluster),
                                      ("the weight column", spec.weight)) if name == column]
    hint = did_you_mean(column, available)
    return (f"{where}: column '{column}' ({', '.join(roles)}) is not in the file"
            + (f"; {hint}" if hint else ""))


def _missing(series: pd.Series, what: str, where: str) -> None:
    mask = series.isna().to_numpy()
    if mask.any():
        raise DataError(
            f"{where}: column '{series.name}' ({what}): {int(mask.sum())} cells are empty: "
            f"rows {row_numbers(mask)}"
        )


def _prediction(series: pd.Series, variable: Variable, spec: DataSpec, where: str) -> np.ndarray:
    what = f"prediction of {variable.name}"
    _missing(series, what, where)
    recode = spec.recode_for(variable.name)
    if recode is not None:  # the LLM answered in the same words as the people
        series = recode_values(series, recode)
    label = f"{where}: column '{series.name}' ({what}, {variable.kind})"
    if variable.kind == "categorical":
        levels = [str(level) for level in variable.levels]
        texts = series.map(cell_text)
        bad = ~texts.isin(levels).to_numpy()
        if bad.any():
            raise DataError(
                f"{label}: {int(bad.sum())} values are not among the declared levels "
                f"({', '.join(levels)}): rows {row_numbers(bad)} "
                f"(values {shown_values(series, bad)})"
            )
        position = {level: k for k, level in enumerate(levels)}
        return texts.map(position).to_numpy(dtype=float)
    if variable.kind == "binary":
        series = series.map(_binary_word)
    numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(numbers)
    if bad.any():
        raise DataError(
            f"{label}: {int(bad.sum())} values are not finite numbers: rows {row_numbers(bad)} "
            f"(values {shown_values(series, bad)})"
        )
    if variable.kind == "binary":
        bad = (numbers < 0) | (numbers > 1)
        if bad.any():
            raise DataError(
                f"{label}: a prediction of a binary variable is a probability or a 0/1 "
                f"label, from 0 to 1: rows {row_numbers(bad)} (values {shown_values(series, bad)})"
            )
    return numbers


def _binary_word(value: object) -> object:
    """yes/no, true/false and booleans as 1/0; anything else as it is."""
    if isinstance(value, bool | np.bool_):
        return int(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in TRUE_WORDS:
            return 1
        if text in FALSE_WORDS:
            return 0
    return value


def _cluster(series: pd.Series, where: str) -> ClusterColumn:
    _missing(series, "cluster", where)
    codes, uniques = pd.factorize(series)
    labels = tuple(u.item() if hasattr(u, "item") else u for u in uniques)
    return ClusterColumn(str(series.name), codes.astype(np.int64), labels)


def _weight(series: pd.Series, where: str) -> WeightColumn:
    label = f"{where}: column '{series.name}' (weight)"
    _missing(series, "weight", where)
    numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(numbers)
    if bad.any():
        raise DataError(
            f"{label}: {int(bad.sum())} values are not finite numbers: rows {row_numbers(bad)} "
            f"(values {shown_values(series, bad)})"
        )
    bad = numbers < 0
    if bad.any():
        raise DataError(
            f"{label}: weights must be at least 0: rows {row_numbers(bad)} "
            f"(values {shown_values(series, bad)})"
        )
    if not (numbers > 0).any():
        raise DataError(f"{label}: every weight is 0")
    return WeightColumn(str(series.name), numbers)
