"""Check and code one column against its variable's declared type.

Each coder returns the coded values or a list of offending row numbers, so that the message
can name the file, the column and a few rows to look at.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from transport.errors import DataError
from transport.study import Variable

_TRUE = {"1", "true", "yes", "t", "y", "1.0"}
_FALSE = {"0", "false", "no", "f", "n", "0.0"}
_SHOW = 5
#: Counts above 2**53 are not whole numbers in floating point (and overflowed int64 before).
MAX_COUNT = 2**53
#: A continuous value whose square overflows a float breaks every variance.
MAX_CONTINUOUS = 1e150


def row_numbers(mask: np.ndarray) -> str:
    """The first few 1-based data rows where mask holds (row 1 is the first after the header)."""
    rows = np.flatnonzero(mask)[:_SHOW] + 1
    more = int(mask.sum()) - len(rows)
    return ", ".join(str(r) for r in rows) + (f" and {more} more" if more > 0 else "")


def shown_values(series: pd.Series, mask: np.ndarray) -> str:
    shown = pd.unique(series[mask])[:_SHOW]
    return ", ".join(_short(repr(v.item() if hasattr(v, "item") else v)) for v in shown)


def _short(text: str, limit: int = 40) -> str:
    """A value as shown in a message: at most `limit` characters (a 400-digit cell)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def code_column(series: pd.Series, variable: Variable, where: str) -> pd.Series:
    """The column coded for modelling: binary and ordinal as integers, categorical as a
    pandas Categorical with the declared levels, continuous as floats, counts as integers."""
    kind = variable.kind
    column = f"{where}: column '{series.name}' ({variable.name}, {kind})"
    if kind == "binary":
        return _binary(series, column)
    if kind == "categorical":
        return _categorical(series, variable, column)
    try:
        numeric = pd.to_numeric(series, errors="coerce")
    except OverflowError:  # a 400-digit number: read one by one (it becomes inf, refused)
        numeric = pd.Series([_number(v) for v in series], index=series.index, dtype=float)
    bad = numeric.isna().to_numpy()
    if bad.any():
        raise DataError(
            f"{column}: {int(bad.sum())} values are not numbers: rows {row_numbers(bad)} "
            f"(values {shown_values(series, bad)})"
        )
    values = numeric.to_numpy(dtype=float)
    if kind == "continuous":
        infinite = ~np.isfinite(values)
        if infinite.any():
            raise DataError(f"{column}: infinite values at rows {row_numbers(infinite)}")
        huge = np.abs(values) > MAX_CONTINUOUS
        if huge.any():
            raise DataError(
                f"{column}: values beyond ±{MAX_CONTINUOUS:g} at rows {row_numbers(huge)} (values "
                f"{shown_values(series, huge)}); their squares overflow: rescale the column"
            )
        return pd.Series(values, index=series.index, name=series.name)
    if kind == "count":
        with np.errstate(invalid="ignore"):
            bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values)) | (
                values > MAX_COUNT)
        if bad.any():
            raise DataError(
                f"{column}: counts must be whole numbers from 0 to {MAX_COUNT:,}: rows "
                f"{row_numbers(bad)} (values {shown_values(series, bad)})"
            )
        return pd.Series(values.astype(np.int64), index=series.index, name=series.name)
    low, high = variable.levels[0], variable.levels[-1]
    bad = (values != np.round(values)) | (values < low) | (values > high)
    if bad.any():
        raise DataError(
            f"{column}: values must be whole numbers from {low} to {high}: rows {row_numbers(bad)} "
            f"(values {shown_values(series, bad)})"
        )
    return pd.Series(values.astype(np.int64), index=series.index, name=series.name)


def _binary(series: pd.Series, column: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        return series.astype(np.int64)
    codes, uniques = pd.factorize(series)
    texts = [str(u).strip().lower() for u in uniques]
    one = np.array([t in _TRUE for t in texts] + [False])
    zero = np.array([t in _FALSE for t in texts] + [False])
    ones, zeros = one[codes], zero[codes]
    bad = ~(ones | zeros)
    if bad.any():
        raise DataError(
            f"{column}: {int(bad.sum())} values are not 0/1: rows {row_numbers(bad)} "
            f"(values {shown_values(series, bad)})"
        )
    return pd.Series(ones.astype(np.int64), index=series.index, name=series.name)


def _categorical(series: pd.Series, variable: Variable, column: str) -> pd.Series:
    levels = [str(level) for level in variable.levels]
    codes, uniques = pd.factorize(series)
    position = {level_key(level): k for k, level in enumerate(variable.levels)}
    mapped = np.array([position.get(level_key(u), -1) for u in uniques] + [-1])
    level_codes = mapped[codes]
    bad = level_codes < 0
    if bad.any():
        raise DataError(
            f"{column}: {int(bad.sum())} values are not among the declared levels "
            f"({', '.join(levels)}): rows {row_numbers(bad)} (values {shown_values(series, bad)})"
        )
    return pd.Series(
        pd.Categorical.from_codes(level_codes, categories=levels),
        index=series.index, name=series.name,
    )


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def level_key(value: object) -> str:
    """What a declared level and a data value are matched by: numbers by their value (a
    declared `3.0` matches `3` and `3.00` in the data, `1.50` matches `1.5`), text by
    itself without surrounding spaces."""
    if isinstance(value, bool | np.bool_):
        return str(value)
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    text = str(value).strip()
    if _NUMBER.fullmatch(text):
        return level_key(float(text))
    return text


def _number(value: object) -> float:
    """A cell as a float (NaN when it is not a number); huge integers become infinities."""
    try:
        return float(str(value).strip())
    except ValueError:
        return float("nan")

