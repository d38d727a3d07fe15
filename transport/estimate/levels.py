"""The query's levels as positions and numbers, one definition for every estimation path:
where the contrast's two values sit among the treatment's levels, and the numeric values of
a discrete outcome's levels (an effect on a categorical outcome is not one number)."""

from __future__ import annotations

import numpy as np

from transport.errors import DataError
from transport.study import Study


def level_position(levels: tuple, value: object) -> int:
    """The index of `value` among `levels` (matched by value or by its text)."""
    for index, level in enumerate(levels):
        if level == value or str(level) == str(value):
            return index
    raise DataError(f"the contrast value {value!r} is not among the levels {levels}")


def contrast_positions(study: Study) -> tuple[int, int]:
    """Positions of the query's contrast (treated, control) among the treatment's levels;
    the last level against the first when the file names none."""
    levels = study.variable(study.query.treatment).levels
    treated, control = study.query.contrast or (levels[-1], levels[0])
    return level_position(levels, treated), level_position(levels, control)


def outcome_values(study: Study) -> np.ndarray | None:
    """Numeric values of a discrete outcome's levels (None for a continuous outcome)."""
    variable = study.variable(study.query.outcome)
    if not variable.discrete:
        return None
    try:
        return np.array([float(level) for level in variable.levels])
    except (TypeError, ValueError):
        raise DataError(
            f"the outcome '{variable.name}' is categorical with levels "
            f"{', '.join(map(str, variable.levels))}: an effect on it is not one number; "
            "declare it binary (one level against the rest) or ordinal"
        ) from None
