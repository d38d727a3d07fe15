"""Warnings about what the data can support, computed from the loaded files alone.

- **Positivity**: a transport formula such as `Σ_z P_gpt(y | do(x), z) P_human(z)` needs the
  source to have seen every covariate stratum the target has. Target rows in a stratum the
  source never has get their effect from the prior and the model's extrapolation, not from
  data; the answer can look confident and be unsupported.
- **Tiny files**: a data file with a handful of rows (a 1-row human survey) gives a
  posterior that mostly restates the model; its interval may look narrow for no good reason.

Each warning names the file, the columns, the levels and the rows to look at. Both
functions are pure: the estimate stage decides where the warnings are shown.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from transport.data.load import LoadedData
from transport.study import Study, VariableMechanism

#: Fewer rows than this in one data file earn a warning.
MIN_ROWS = 30
_SHOWN = 3


def positivity_warnings(study: Study, loaded: Sequence[LoadedData],
                        variables: Collection[str] | None = None) -> tuple[str, ...]:
    """One warning per (target file, source file) pair where target rows fall in strata of
    their common discrete covariates (all but the treatment and the outcome; only
    `variables` when given, e.g. the formula's adjustment set) that the source file never
    has, nor any other file with outcome rows on those covariates (the target's own
    experiment, another source): only there does the effect come from the model alone."""
    query = study.query
    exclude = {query.treatment, query.outcome}
    targets = [d for d in loaded if d.population == query.population]
    sources = [d for d in loaded if d.population != query.population]
    warnings = []
    for target in targets:
        for source in sources:
            common = [v for v in target.spec.measures
                      if v in source.spec.measures and v not in exclude
                      and study.variable(v).discrete and (variables is None or v in variables)]
            if common:
                others = [d for d in loaded if d is not source and d is not target
                          and query.outcome in d.spec.measures
                          and all(v in d.spec.measures for v in common)
                          and (d.population == query.population
                               or _tied(study, d.population, query.outcome))]
                if query.outcome in target.spec.measures:
                    others.append(target)
                found = _unsupported(target, source, common, others)
                if found:
                    warnings.append(found)
    return tuple(warnings)


def _tied(study: Study, source: str, outcome: str) -> bool:
    """Whether the file lets `source`'s outcome rows inform the target's outcome."""
    return study.sharing(source, VariableMechanism(outcome)).status in ("shared", "partial")


def _unsupported(target: LoadedData, source: LoadedData, common: list[str],
                 others: Sequence[LoadedData] = ()) -> str | None:
    strata = target.frame[common].astype(str)
    keys = pd.MultiIndex.from_frame(strata)
    absent = ~keys.isin(pd.MultiIndex.from_frame(source.frame[common].astype(str)).unique())
    for other in others:
        absent &= ~keys.isin(pd.MultiIndex.from_frame(other.frame[common].astype(str)).unique())
    if not absent.any():
        return None
    rows = np.flatnonzero(absent)
    groups = strata.iloc[rows].groupby(common, sort=False, observed=True).indices
    shown = []
    for key, positions in list(groups.items())[:_SHOWN]:
        values = key if isinstance(key, tuple) else (key,)
        where = ", ".join(f"{target.columns[v]}={value}"
                          for v, value in zip(common, values, strict=True))
        numbers = ", ".join(str(int(rows[p]) + 1) for p in positions[:_SHOWN])
        more = f" and {len(positions) - _SHOWN} more" if len(positions) > _SHOWN else ""
        shown.append(f"{where} (rows {numbers}{more})")
    if len(groups) > _SHOWN:
        shown.append(f"and {len(groups) - _SHOWN} more strata")
    columns = ", ".join(f"'{target.columns[v]}'" for v in common)
    share = len(rows) / len(strata)
    return (f"{target.path}: {len(rows)} of {len(strata)} rows ({share:.0%}) are in strata of "
            f"{columns} that {source.path} ({source.population}) never has: "
            f"{'; '.join(shown)}. Positivity fails there: the {target.population} effect in "
            "those strata comes from the model, not from data")


def sample_size_warnings(loaded: Sequence[LoadedData],
                         minimum: int = MIN_ROWS) -> tuple[str, ...]:
    """One warning per data file with fewer than `minimum` usable rows."""
    warnings = []
    for data in loaded:
        rows = len(data.frame)
        if rows < minimum:
            warnings.append(
                f"{data.path}: only {rows} usable row{'s' * (rows != 1)} for "
                f"{data.population}; with so few the interval restates the model more than "
                f"the data (at least {minimum} rows are advisable)")
    return tuple(warnings)


__all__ = ["MIN_ROWS", "positivity_warnings", "sample_size_warnings"]
