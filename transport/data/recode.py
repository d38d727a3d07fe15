"""`recode V { "raw" = value, ... }`: map a file's cell strings to a variable's values before
the column is validated and coded.

A cell matches a key when its text equals it (surrounding spaces ignored; a number read as
`1.0` is the text `1`). Cells that match no key are kept when they are already a valid value
of the variable; any other cell is a data error naming the file, the column, the rows and the
unmapped strings, so that a raw answer never silently becomes missing or wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from transport.errors import DataError
from transport.study import DataSpec, Recode, Study, Variable

TRUE_WORDS = frozenset({"1", "true", "yes", "t", "y", "1.0"})
FALSE_WORDS = frozenset({"0", "false", "no", "f", "n", "0.0"})
_SHOW = 5


def cell_text(value: object) -> str:
    """A cell as the text recode keys are compared with."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _lookup(recode: Recode) -> dict[str, int | float | str]:
    return {key.strip(): value for key, value in recode.mapping}


def recode_values(series: pd.Series, recode: Recode) -> pd.Series:
    """The column with every cell that matches a key replaced by its value."""
    table = _lookup(recode)
    return series.map(
        lambda v: v if _is_missing(v) else table.get(cell_text(v), v)
    ).rename(series.name)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def valid_value(value: object, variable: Variable) -> bool:
    """Whether a cell is already a value of the variable's declared type."""
    kind = variable.kind
    if kind == "binary":
        if isinstance(value, bool | np.bool_):
            return True
        return cell_text(value).lower() in TRUE_WORDS | FALSE_WORDS
    if kind == "categorical":
        return cell_text(value) in {str(level) for level in variable.levels}
    try:
        number = float(cell_text(value))
    except ValueError:
        return False
    if not np.isfinite(number):
        return False
    if kind == "continuous":
        return True
    if not number.is_integer():
        return False
    if kind == "count":
        return number >= 0
    return variable.levels[0] <= number <= variable.levels[-1]  # ordinal


def apply_recodes(
    spec: DataSpec, frame: pd.DataFrame, study: Study, columns: dict[str, str], where: str
) -> pd.DataFrame:
    """`frame` (one column per measured variable, raw cells) with each recode applied."""
    if not spec.recodes:
        return frame
    out = frame.copy()
    for recode in spec.recodes:
        if recode.variable not in out.columns:
            continue  # the checker rejects a recode of a variable the statement does not measure
        variable = study.variable(recode.variable)
        series = out[recode.variable]
        table = _lookup(recode)
        present = ~series.map(_is_missing).to_numpy(dtype=bool)
        texts = series.map(cell_text)
        matched = texts.isin(list(table)).to_numpy(dtype=bool)
        kept = np.array([valid_value(v, variable) for v in series], dtype=bool)
        bad = present & ~matched & ~kept
        if bad.any():
            rows = np.flatnonzero(bad)[:_SHOW] + 1
            more = int(bad.sum()) - len(rows)
            shown = ", ".join(str(r) for r in rows) + (f" and {more} more" if more > 0 else "")
            unmapped = ", ".join(repr(t) for t in pd.unique(texts[bad])[:_SHOW])
            raise DataError(
                f"{where}: column '{columns.get(recode.variable, recode.variable)}' "
                f"({recode.variable}, {variable.kind}): {int(bad.sum())} cells are neither "
                f"recoded nor a value of {recode.variable}: rows {shown} (unmapped: {unmapped}); "
                f"add them to recode {recode.variable} {{ ... }}"
            )
        out[recode.variable] = recode_values(series, recode)
    return out
