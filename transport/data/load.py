"""Read the files that data statements name, relative to the `.tdag` file; input files are
only ever read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from transport.data.columns import bind_columns
from transport.data.design_columns import NO_DESIGN, DesignColumns, split_design
from transport.data.file_checks import (
    READERS,
    duplicated_headers,
    is_missing_path,
    missing_mask,
    path_problem,
    unsupported_type,
    utf8_problem,
)
from transport.data.recode import apply_recodes
from transport.data.validate import code_column
from transport.errors import DataError
from transport.study import DataSpec, Study


@dataclass(frozen=True)
class LoadedData:
    """One data statement's rows, one column per measured variable, coded by type."""

    spec: DataSpec
    path: Path
    frame: pd.DataFrame
    columns: dict[str, str]
    rows_read: int
    rows_dropped: int
    design: DesignColumns = NO_DESIGN

    @property
    def population(self) -> str:
        return self.spec.population


def resolve(spec: DataSpec, study: Study) -> Path:
    path = Path(spec.path)
    return path if path.is_absolute() else study.base_dir / path


def missing_files(study: Study) -> list[Path]:
    """The data files that do not exist yet (fine while planning a study); a path that
    exists but is no file (a folder, a FIFO, a looping link) is not missing: reading it
    says what it is."""
    return [resolve(s, study) for s in study.data if is_missing_path(resolve(s, study))]


def read_table(path: Path) -> pd.DataFrame:
    """A CSV, TSV or Parquet file as a DataFrame; DataError for anything unreadable."""
    problem = unsupported_type(path) or path_problem(path)
    if problem is not None:
        raise DataError(problem)
    kind = READERS[path.suffix.lower()]
    try:
        if kind == "parquet":
            return pd.read_parquet(path)
        frame = pd.read_csv(path, sep="\t" if kind == "tsv" else ",", low_memory=False,
                            keep_default_na=False, na_values=[""])
    except ImportError as error:
        raise DataError(f"{path}: reading Parquet needs pyarrow ({error})") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty") from None
    except UnicodeDecodeError:
        raise DataError(utf8_problem(path)) from None
    except (pd.errors.ParserError, ValueError, OSError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataError(f"{path}: cannot be read: {first}") from None
    return frame


def load_data(spec: DataSpec, study: Study, drop_missing: bool = False) -> LoadedData:
    """One data statement's file, bound, validated and coded."""
    path = resolve(spec, study)
    raw = read_table(path)
    where = str(path)
    raw, design = split_design(spec, raw, study, where)
    columns = bind_columns(spec, [str(c) for c in raw.columns], where)
    twice = duplicated_headers(path, READERS[path.suffix.lower()])
    used = {name: twice[name] for name in columns.values() if name in twice}
    if used:  # pandas reads the second `x` as `x.1`: which one was meant is unknowable
        listed = "; ".join(f"'{name}' (columns {', '.join(map(str, numbers))})"
                           for name, numbers in used.items())
        raise DataError(f"{where}: the header names a column more than once: {listed}; "
                        "name each column once")
    frame = raw[[columns[v] for v in spec.measures]].copy()
    frame.columns = list(spec.measures)
    frame = apply_recodes(spec, frame.reset_index(drop=True), study, columns, where)
    missing = np.column_stack([
        missing_mask(frame[v], [str(level) for level in study.variable(v).levels])
        for v in spec.measures
    ]) if spec.measures else np.zeros((len(frame), 0), dtype=bool)
    frame = frame.mask(missing)
    dropped = 0
    if missing.any():
        if not drop_missing:
            parts = []
            for index, variable in enumerate(spec.measures):
                mask = missing[:, index]
                if mask.any():
                    rows = ", ".join(str(r + 1) for r in np.flatnonzero(mask)[:5])
                    parts.append(f"'{columns[variable]}' {int(mask.sum())} (rows {rows})")
            raise DataError(
                f"{where}: missing values: {'; '.join(parts)}. Drop those rows explicitly "
                "with --drop-missing (the count dropped is reported)"
            )
        keep = ~missing.any(axis=1)
        dropped = int((~keep).sum())
        frame = frame[keep].reset_index(drop=True)
        design = design.subset(keep)
    if frame.empty:
        raise DataError(f"{where}: no rows to use")
    coded = {}
    for variable in spec.measures:
        series = frame[variable].rename(columns[variable])
        coded[variable] = code_column(series, study.variable(variable), where).rename(variable)
    frame = pd.DataFrame(coded)
    for variable in spec.randomized:
        if frame[variable].nunique() < 2:
            value = frame[variable].iloc[0]
            value = value.item() if hasattr(value, "item") else value
            raise DataError(
                f"{where}: '{columns[variable]}' is declared randomized (experiment({variable})) "
                f"but every row has the value {value!r}"
            )
    return LoadedData(spec, path, frame, columns, len(raw), dropped, design)


def load_study_data(study: Study, drop_missing: bool = False) -> tuple[LoadedData, ...]:
    """Every data statement's file; one message listing all files that are missing."""
    absent = missing_files(study)
    if absent:
        listed = "\n".join(f"  {p}" for p in absent)
        raise DataError(f"data files not found (paths are relative to the .tdag file):\n{listed}")
    return tuple(_load_cited(spec, study, drop_missing) for spec in study.data)


def _load_cited(spec: DataSpec, study: Study, drop_missing: bool) -> LoadedData:
    """`load_data`, its errors prefixed with the `.tdag` line of the data statement."""
    try:
        return load_data(spec, study, drop_missing)
    except DataError as error:
        if error.span is not None or spec.span is None:
            raise
        shown = study.path.name if study.path is not None else "<input>"
        raise DataError(f"{shown}:{spec.span.line}: data {spec.population}: {error}",
                        spec.span) from None
