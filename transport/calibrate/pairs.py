"""Reading and validating a CSV of paired effects (and of new LLM effects to translate).

Rows are reported by their data-row number: the first row after the header is row 1, so
in a plain CSV, row N is on line N + 1 of the file.

What "duplicated" means: `id` names the *study* a contrast comes from, and a study may hold
several contrasts (the bundled data have 469 contrasts from 70 studies), so repeated ids are
expected. A row is a duplicate when another row has the same id (when `id` is given), the
same group (when `by` is given) and the same LLM effect, human effect and standard error:
the same contrast pasted twice, which would count its evidence double.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from transport.errors import DataError, UsageError, did_you_mean

MIN_PAIRS = 3
#: Effects and standard errors beyond this overflow the model's squares and its sampler.
MAX_MAGNITUDE = 1e6
_SHOWN = 5


@dataclass(frozen=True)
class Pairs:
    """Validated paired effects: one entry per contrast, in file order.

    `study` labels the unit left out in leave-one-study-out checks (the id column, or the
    row number when there is none); `group` is the `by` value (all "" without `by`)."""

    path: str
    x: np.ndarray
    y: np.ndarray
    se: np.ndarray
    study: tuple[str, ...]
    group: tuple[str, ...]
    rows: tuple[int, ...]

    @property
    def n(self) -> int:
        return len(self.x)

    @property
    def studies(self) -> tuple[str, ...]:
        """Distinct studies in order of first appearance."""
        return tuple(dict.fromkeys(self.study))

    @property
    def groups(self) -> tuple[str, ...]:
        """Distinct `by` groups in order of first appearance."""
        return tuple(dict.fromkeys(self.group))

    def group_index(self) -> np.ndarray:
        order = {g: k for k, g in enumerate(self.groups)}
        return np.array([order[g] for g in self.group], dtype=int)


@dataclass(frozen=True)
class NewEffects:
    """LLM effects to translate: `se` is NaN where a row gives no standard error."""

    x: np.ndarray
    se: np.ndarray
    ids: tuple[str | int, ...]
    group: tuple[str | None, ...]


def read_csv(path: str | Path) -> pd.DataFrame:
    """The CSV as text columns; UsageError when the file is missing, DataError when unreadable."""
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"{file}: file not found")
    try:
        return pd.read_csv(file, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise DataError(f"{file}: the file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataError(f"{file}: cannot be read: {first}") from None


def _rows_text(rows: list[int], values: list[str] | None = None) -> str:
    shown = rows[:_SHOWN]
    if values is None:
        text = ", ".join(str(r) for r in shown)
    else:
        text = ", ".join(f"{r} ({v!r})" for r, v in zip(shown, values[:_SHOWN], strict=False))
    more = f" and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
    return text + more


def require_columns(frame: pd.DataFrame, where: str, wanted: dict[str, str]) -> None:
    """DataError naming every missing column (role and name), with a did-you-mean hint."""
    present = [str(c) for c in frame.columns]
    problems = []
    for role, name in wanted.items():
        if name not in present:
            hint = did_you_mean(name, present)
            problems.append(f"no column '{name}' (--{role})" + (f"; {hint}" if hint else ""))
    if problems:
        raise DataError(
            f"{where}: " + "; ".join(problems) + f". The columns are: {', '.join(present)}"
        )


def numeric_column(
    frame: pd.DataFrame, where: str, column: str, *, allow_empty: bool = False
) -> np.ndarray:
    """A column as floats; DataError listing the rows with empty or non-numeric values."""
    text = frame[column].str.strip()
    values = np.array(pd.to_numeric(text, errors="coerce"), dtype=float)
    empty = (text == "").to_numpy()
    bad = ~np.isfinite(values) & ~empty
    if bad.any():
        rows = [int(i) + 1 for i in np.flatnonzero(bad)]
        raise DataError(
            f"{where}: column '{column}' has non-numeric values in rows "
            f"{_rows_text(rows, [str(text.iloc[r - 1]) for r in rows])}"
        )
    if empty.any() and not allow_empty:
        rows = [int(i) + 1 for i in np.flatnonzero(empty)]
        raise DataError(f"{where}: column '{column}' is empty in rows {_rows_text(rows)}")
    huge = np.abs(np.where(np.isfinite(values), values, 0)) > MAX_MAGNITUDE
    if huge.any():
        rows = [int(i) + 1 for i in np.flatnonzero(huge)]
        raise DataError(
            f"{where}: column '{column}' has values beyond ±{MAX_MAGNITUDE:g} in rows "
            f"{_rows_text(rows, [str(text.iloc[r - 1]) for r in rows])}; effects and standard "
            "errors that large overflow the model: rescale the column"
        )
    values[empty] = np.nan
    return values


def positive_se(values: np.ndarray, where: str, column: str) -> None:
    """DataError for zero or negative standard errors (NaN, meaning none given, is fine)."""
    bad = np.flatnonzero(values <= 0)
    if len(bad):
        rows = [int(i) + 1 for i in bad]
        raise DataError(
            f"{where}: column '{column}' must hold standard errors > 0; rows "
            f"{_rows_text(rows, [f'{values[r - 1]:g}' for r in rows])} are not"
        )


def _duplicates(keys: list[tuple]) -> list[tuple[int, int]]:
    seen: dict[tuple, int] = {}
    pairs = []
    for row, key in enumerate(keys, start=1):
        if key in seen:
            pairs.append((seen[key], row))
        else:
            seen[key] = row
    return pairs


def load_pairs(
    path: str | Path, *, llm: str, human: str, se: str, id: str | None = None,
    by: str | None = None,
) -> Pairs:
    """Read and validate paired effects: the checks and messages of docs/calibration.md."""
    frame = read_csv(path)
    where = str(path)
    wanted = {"llm": llm, "human": human, "se": se}
    wanted |= {k: v for k, v in (("id", id), ("by", by)) if v is not None}
    require_columns(frame, where, wanted)
    x = numeric_column(frame, where, llm)
    y = numeric_column(frame, where, human)
    s = numeric_column(frame, where, se)
    positive_se(s, where, se)
    rows = tuple(range(1, len(frame) + 1))
    study = tuple(frame[id].str.strip()) if id else tuple(f"row {r}" for r in rows)
    group = tuple(frame[by].str.strip()) if by else ("",) * len(frame)
    if by and any(g == "" for g in group):
        empty = [r for r, g in zip(rows, group, strict=True) if g == ""]
        raise DataError(f"{where}: column '{by}' is empty in rows {_rows_text(empty)}")
    keys = [
        ((study[i] if id else None), group[i], x[i], y[i], s[i]) for i in range(len(frame))
    ]
    dupes = _duplicates(keys)
    if dupes:
        shown = ", ".join(f"{b} repeats {a}" for a, b in dupes[:_SHOWN])
        key = "id, " if id else ""
        key += "group, " if by else ""
        raise DataError(
            f"{where}: duplicated pairs (same {key}{llm}, {human} and {se}): rows {shown}"
            + (f" and {len(dupes) - _SHOWN} more" if len(dupes) > _SHOWN else "")
        )
    if len(frame) < MIN_PAIRS:
        raise DataError(f"{where}: {len(frame)} pair(s); calibration needs at least {MIN_PAIRS}")
    if np.ptp(x) == 0:
        raise DataError(f"{where}: every value of '{llm}' is the same; the slope is undefined")
    return Pairs(where, x, y, s, study, group, rows)


def load_new_effects(
    path: str | Path, *, llm: str, se: str, id: str | None = None, by: str | None = None
) -> NewEffects:
    """New LLM effects to translate: the `llm` column is required; the `se`, `id` and `by`
    columns are used when the file has them (an empty SE cell means none given)."""
    frame = read_csv(path)
    where = str(path)
    require_columns(frame, where, {"llm": llm})
    x = numeric_column(frame, where, llm)
    if se in frame.columns:
        s = numeric_column(frame, where, se, allow_empty=True)
        positive_se(s, where, se)
    else:
        s = np.full(len(frame), np.nan)
    ids: tuple[str | int, ...]
    ids = tuple(frame[id].str.strip()) if id and id in frame.columns else tuple(
        range(1, len(frame) + 1)
    )
    group: tuple[str | None, ...] = (None,) * len(frame)
    if by and by in frame.columns:
        group = tuple((g.strip() or None) for g in frame[by])
    return NewEffects(x, s, ids, group)
