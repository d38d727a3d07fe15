"""Rows to cell counts and cell summaries: after this, cost no longer depends on the number
of rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from transport.errors import DataError
from transport.study import Study, Variable


def is_discrete(variable: Variable) -> bool:
    return variable.kind in ("binary", "categorical", "ordinal")


def codes(series: pd.Series, variable: Variable) -> np.ndarray:
    """0-based positions of each value in the variable's declared domain."""
    if variable.kind == "categorical":
        return np.asarray(series.cat.codes, dtype=np.int64)
    low = variable.levels[0]
    return np.asarray(series, dtype=np.int64) - int(low)


def cell_index(
    frame: pd.DataFrame, names: Sequence[str], study: Study
) -> tuple[np.ndarray, tuple[int, ...]]:
    """A flat cell number per row for the discrete variables `names`, and the cell shape."""
    shape = tuple(len(study.variable(n).levels) for n in names)
    if not names:
        return np.zeros(len(frame), dtype=np.int64), ()
    columns = [codes(frame[n], study.variable(n)) for n in names]
    return np.ravel_multi_index(columns, shape), shape


# The largest table of cells the estimators count or draw over (about 40 MB of float64).
MAX_CELLS = 5_000_000


def count_cells(frame: pd.DataFrame, names: Sequence[str], study: Study) -> np.ndarray:
    """How many rows fall in each cell of the discrete variables `names` (an array of that
    shape)."""
    flat, shape = cell_index(frame, names, study)
    size = int(np.prod(shape)) if shape else 1
    if size > MAX_CELLS:
        raise DataError(
            f"the table over {', '.join(names)} has {size:,} cells: too many to count exactly; "
            "merge levels or variables so that fewer cells remain"
        )
    return np.bincount(flat, minlength=size).reshape(shape)


def cell_moments(
    frame: pd.DataFrame, names: Sequence[str], outcome: str, study: Study
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, ...]]:
    """Per cell of `names`: the row count, the mean and the (n-1) variance of `outcome`."""
    flat, shape = cell_index(frame, names, study)
    size = int(np.prod(shape)) if shape else 1
    values = np.asarray(frame[outcome], dtype=float)
    n = np.bincount(flat, minlength=size).astype(float)
    total = np.bincount(flat, weights=values, minlength=size)
    mean = np.divide(total, n, out=np.zeros(size), where=n > 0)
    squares = np.bincount(flat, weights=(values - mean[flat]) ** 2, minlength=size)
    variance = np.divide(squares, n - 1, out=np.full(size, np.nan), where=n > 1)
    return n, mean, variance, shape
