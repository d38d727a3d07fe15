"""Effective sufficient statistics of one population's rows for one mechanism: clustered
rows counted at their effective sample size, and the target's per-unit predictions turned
into prediction-powered statistics.

evidence.py sums a population's rows into statistics per parent cell as if every row were
independent and every unit labelled. Two features of a data statement change what those
rows know:

* `cluster "col"`: each cell's statistics are divided by the cell's design effect
  (clusters.py), on every population's rows (human respondents, LLM personas alike).
* `predictions { V by POP = "col" }` on the target's rows, with some of the target's rows
  labelled (measuring V) and some not: the labelled rows that carry predictions are
  replaced by the prediction-powered statistics of predicted.py, computed from them and
  the unlabelled rows, for the predictor that gives the largest effective n. Labelled rows
  without predictions keep their plain (cluster-adjusted) statistics and are added.

Either way the result has the layout of the plain statistics, so the conjugate draws, the
ties with the sources and the conflict weights read it unchanged; `Effective` says what was
done, for the estimate's `effective_samples` field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from transport.data.design_columns import NO_DESIGN, DesignColumns
from transport.data.load import LoadedData
from transport.estimate.cells import cell_index
from transport.estimate.synthesis.clusters import design_effects
from transport.estimate.synthesis.predicted import PredictionRows, powered_statistics
from transport.study import Study


@dataclass(frozen=True)
class ClusterSummary:
    """The cluster columns of a group's rows and the design effects they gave."""

    columns: tuple[str, ...]
    clusters: int
    pooled: float
    smallest: float
    largest: float

    def to_json(self) -> dict:
        return {"columns": list(self.columns), "clusters": self.clusters,
                "design_effect": self.pooled,
                "design_effect_range": [self.smallest, self.largest]}


PREDICTION_ASSUMPTION = ("the labelled units are a random sample of the units with "
                         "predictions, within each parent cell")


@dataclass(frozen=True)
class PredictionPowered:
    """How the target's per-unit predictions entered a mechanism."""

    predictor: str
    candidates: tuple[tuple[str, float], ...]
    labelled_rows: int
    unlabelled_rows: int
    bins: int
    labelled_effective_n: float
    effective_n: float

    def to_json(self) -> dict:
        return {"predictor": self.predictor,
                "effective_n_by_predictor": dict(self.candidates),
                "labelled_rows": self.labelled_rows, "unlabelled_rows": self.unlabelled_rows,
                "bins": self.bins, "labelled_effective_n": self.labelled_effective_n,
                "effective_n": self.effective_n, "assumption": self.assumption}

    @property
    def assumption(self) -> str:
        """What the prediction-powered statistics assume (nothing about the predictions)."""
        return PREDICTION_ASSUMPTION


@dataclass(frozen=True)
class Effective:
    """What the effective statistics replaced: the weighted row count before, the
    effective n after, and the cluster and prediction adjustments made."""

    weighted_n: float
    effective_n: float
    cluster: ClusterSummary | None
    prediction: PredictionPowered | None

    def to_json(self, mechanism: str, population: str, rows: int) -> dict:
        return {"mechanism": mechanism, "population": population, "rows": rows,
                "weighted_n": self.weighted_n, "effective_n": self.effective_n,
                "cluster": self.cluster.to_json() if self.cluster else None,
                "prediction_powered": self.prediction.to_json() if self.prediction else None}


@dataclass(frozen=True)
class EffectiveSample:
    """One population's rows of one mechanism at their effective size (the estimate's
    `effective_samples` entries): how many rows there were, and what `effective` made of
    them."""

    mechanism: str
    population: str
    rows: int
    effective: Effective

    def to_json(self) -> dict:
        return self.effective.to_json(self.mechanism, self.population, self.rows)


Weights = Callable[[LoadedData], np.ndarray]


@dataclass(frozen=True)
class _Rows:
    cell: np.ndarray
    value: np.ndarray
    weight: np.ndarray
    cluster: np.ndarray  # string keys, one namespace per population
    predictions: dict[str, np.ndarray]


def _design(data: LoadedData) -> DesignColumns:
    return getattr(data, "design", None) or NO_DESIGN


def _cluster_keys(data: LoadedData) -> np.ndarray:
    cluster = _design(data).cluster
    if cluster is None:
        return np.asarray([f"row:{data.spec.path}:{data.spec.design()}:{i}"
                           for i in range(len(data.frame))], dtype=object)
    labels = np.asarray(cluster.labels, dtype=object)[cluster.codes]
    return np.asarray([f"{cluster.column}={label}" for label in labels], dtype=object)


def _rows(items: Sequence[LoadedData], variable: str, parents: Sequence[str], study: Study,
          kind: str, weights: Weights, labelled: bool, sources: Sequence[str] = ()) -> _Rows:
    cells, values, ws, keys = [], [], [], []
    predictions: dict[str, list[np.ndarray]] = {s: [] for s in sources}
    for data in items:
        cells.append(cell_index(data.frame, parents, study)[0])
        if not labelled:
            values.append(np.full(len(data.frame), np.nan))
        elif kind == "discrete":
            values.append(cell_index(data.frame, (variable,), study)[0].astype(float))
        else:
            values.append(np.asarray(data.frame[variable], dtype=float))
        ws.append(np.asarray(weights(data), dtype=float))
        keys.append(_cluster_keys(data))
        for source in sources:
            predictions[source].append(_design(data).prediction(variable, source))

    def joined(parts: list[np.ndarray], dtype: object) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    rows = _Rows(joined(cells, np.int64), joined(values, float), joined(ws, float),
                 joined(keys, object), {s: joined(v, float) for s, v in predictions.items()})
    return _canonical(rows)


def _canonical(rows: _Rows) -> _Rows:
    """The rows in an order fixed by their content (cluster, cell, answer, weight,
    predictions), so that every floating-point sum over them is the same whatever the
    order of the rows in the files."""
    columns = [rows.predictions[s] for s in sorted(rows.predictions, reverse=True)]
    order = np.lexsort((*columns, rows.weight, rows.value, rows.cell, _codes(rows.cluster)))
    return _Rows(rows.cell[order], rows.value[order], rows.weight[order],
                 rows.cluster[order], {s: v[order] for s, v in rows.predictions.items()})


def _stack(parts: Sequence[_Rows]) -> _Rows:
    sources = set(parts[0].predictions)
    return _Rows(*(np.concatenate([getattr(p, name) for p in parts])
                   for name in ("cell", "value", "weight", "cluster")),
                 {s: np.concatenate([p.predictions[s] for p in parts]) for s in sources})


def _codes(keys: np.ndarray) -> np.ndarray:
    return np.unique(keys.astype(str), return_inverse=True)[1].ravel()


def _plain(rows: _Rows, kind: str, levels: int, cells: int) -> np.ndarray:
    """The rows' statistics, as evidence.py sums them."""
    if kind == "discrete":
        table = np.zeros((cells, levels))
        np.add.at(table, (rows.cell, rows.value.astype(np.int64)), rows.weight)
        return table
    out = np.zeros((cells, 3))
    for j, power in enumerate((0, 1, 2)):
        out[:, j] = np.bincount(rows.cell, weights=rows.weight * rows.value**power,
                                minlength=cells)
    return out


def _clustered(rows: _Rows, kind: str, levels: int, cells: int, shape: tuple[int, ...],
               axis: int | None) -> tuple[np.ndarray, np.ndarray, float, int]:
    """The rows' statistics divided by each cell's design effect; the effects, the pooled
    one and the number of clusters (`shape` the parents' grid, `axis` the treatment's
    position among them or None)."""
    stats = _plain(rows, kind, levels, cells)
    if kind == "discrete":
        total = stats.sum(axis=1)
        share = np.divide(stats, total[:, None], out=np.zeros_like(stats),
                          where=total[:, None] > 0)
        onehot = np.eye(levels)[rows.value.astype(np.int64)]
        residuals = rows.weight[:, None] * (onehot - share[rows.cell])
    else:
        mean = np.divide(stats[:, 1], stats[:, 0], out=np.zeros(cells), where=stats[:, 0] > 0)
        residuals = (rows.weight * (rows.value - mean[rows.cell]))[:, None]
    sizes = stats.sum(axis=1) if kind == "discrete" else stats[:, 0]
    found = design_effects(residuals, rows.cell, _codes(rows.cluster), cells, shape=shape,
                           treatment_axis=axis, sizes=sizes)
    return stats / found.per_cell[:, None], found.per_cell, found.pooled, found.clusters


def _size(stats: np.ndarray, kind: str) -> float:
    return float(stats.sum()) if kind == "discrete" else float(stats[:, 0].sum())


def _common_sources(items: Sequence[LoadedData], variable: str) -> tuple[str, ...]:
    found = [set(_design(d).sources_for(variable)) for d in items]
    return tuple(sorted(set.intersection(*found))) if found else ()


def adjusted_statistics(
    study: Study, loaded: Sequence[LoadedData], population: str,
    members: Sequence[LoadedData], variable: str, parents: Sequence[str], kind: str,
    levels: int, cells: int, stats: np.ndarray, weights: Weights,
) -> tuple[np.ndarray, Effective | None]:
    """The effective statistics of `members` (one population's rows informing the mechanism
    of `variable`, in a fixed order) and what was done; (stats, None) when nothing applies
    (no cluster column, no usable predictions)."""
    unlabelled: list[LoadedData] = []
    carrying: list[LoadedData] = []
    if population == study.target.name:
        unlabelled = sorted(
            (d for d in loaded if d.population == population
             and variable not in d.spec.measures and set(parents) <= set(d.spec.measures)
             and _design(d).sources_for(variable)),
            key=lambda d: (d.spec.path, d.spec.design()))
        carrying = [d for d in members if _design(d).sources_for(variable)]
    sources = _common_sources([*carrying, *unlabelled], variable)
    powered = bool(carrying and unlabelled and sources)
    involved = [*members, *unlabelled] if powered else list(members)
    columns = _cluster_columns(involved)
    if not powered and not columns:
        return stats, None
    grid = _grid(study, parents)
    chosen = {id(d) for d in carrying} if powered else set()
    plain_items = [d for d in members if id(d) not in chosen]
    every = _rows(members, variable, parents, study, kind, weights, True)
    if not np.allclose(_plain(every, kind, levels, cells), stats):
        return stats, None  # statistics of another layout: leave them as they are
    whole = _clustered(every, kind, levels, cells, *grid)
    total = np.zeros_like(stats, dtype=float)
    if len(plain_items) == len(members):
        total += whole[0]
    elif plain_items:
        rows = _rows(plain_items, variable, parents, study, kind, weights, True)
        total += _clustered(rows, kind, levels, cells, *grid)[0]
    prediction = None
    if powered:
        prediction, powered_stats = _powered(study, carrying, unlabelled, variable, parents,
                                             kind, levels, cells, weights, sources)
        total += powered_stats
    cluster = _cluster_summary(columns, stats, kind, *whole[1:]) if columns else None
    return total, Effective(_size(stats, kind), _size(total, kind), cluster, prediction)


def _cluster_columns(items: Sequence[LoadedData]) -> tuple[str, ...]:
    """The cluster columns the datasets declare (sorted; empty when none does)."""
    return tuple(sorted({_design(d).cluster.column for d in items
                         if _design(d).cluster is not None}))


def _cluster_summary(columns: tuple[str, ...], stats: np.ndarray, kind: str,
                     per_cell: np.ndarray, pooled: float, count: int) -> ClusterSummary:
    """What the design effects were, over the cells that hold rows."""
    seen = _occupied(stats, kind)
    found = per_cell[seen] if seen.any() else np.ones(1)
    return ClusterSummary(columns, count, pooled, float(found.min()), float(found.max()))


def _grid(study: Study, parents: Sequence[str]) -> tuple[tuple[int, ...], int | None]:
    """The parents' grid and the treatment's position in it (None when not a parent)."""
    shape = tuple(len(study.variable(p).levels) for p in parents)
    treatment = study.query.treatment
    return shape, (list(parents).index(treatment) if treatment in parents else None)


def _occupied(stats: np.ndarray, kind: str) -> np.ndarray:
    return (stats.sum(axis=1) if kind == "discrete" else stats[:, 0]) > 0


def _powered(
    study: Study, carrying: Sequence[LoadedData], unlabelled: Sequence[LoadedData],
    variable: str, parents: Sequence[str], kind: str, levels: int, cells: int,
    weights: Weights, sources: tuple[str, ...],
) -> tuple[PredictionPowered, np.ndarray]:
    """What the predictions did, and the prediction-powered statistics of the predictor
    with the largest effective n (ties: the first name)."""
    lab = _rows(carrying, variable, parents, study, kind, weights, True, sources)
    unl = _rows(unlabelled, variable, parents, study, kind, weights, False, sources)
    both = _stack([lab, unl])
    codes = _codes(both.cluster)
    flags = np.concatenate([np.ones(len(lab.cell), bool), np.zeros(len(unl.cell), bool)])
    found = {}
    for source in sources:
        rows = PredictionRows(both.cell, both.predictions[source], both.weight, codes, flags,
                              both.value)
        found[source] = powered_statistics(rows, kind, levels, cells, *_grid(study, parents))
    best = min(sources, key=lambda s: (-float(found[s].effective_n.sum()), s))
    own = _clustered(lab, kind, levels, cells, *_grid(study, parents))[0]
    result = PredictionPowered(
        predictor=best,
        candidates=tuple((s, float(found[s].effective_n.sum())) for s in sources),
        labelled_rows=len(lab.cell), unlabelled_rows=len(unl.cell), bins=found[best].bins,
        labelled_effective_n=_size(own, kind),
        effective_n=float(found[best].effective_n.sum()))
    return result, found[best].stats


def clustered_row_weights(
    items: Sequence[LoadedData], cell: np.ndarray, value: np.ndarray, weight: np.ndarray,
    kind: str, levels: int, shape: tuple[int, ...], axis: int | None,
) -> tuple[np.ndarray, Effective | None]:
    """Row weights divided by their cell's design effect, for mechanisms whose cells are
    not the parents' levels (continuous.py's grid of levels and atoms): `cell`, `value`
    (level position, or the value of a continuous child) and `weight` are the rows of
    `items` in order, `shape` the grid and `axis` the treatment's position in it. Returns
    the weights unchanged and None when no dataset declares a cluster."""
    columns = _cluster_columns(items)
    if not columns:
        return weight, None
    keys = np.concatenate([_cluster_keys(d) for d in items]) if items else np.zeros(0, object)
    cells = int(np.prod(shape)) if shape else 1
    rows = _canonical(_Rows(np.asarray(cell, dtype=np.int64), np.asarray(value, dtype=float),
                            np.asarray(weight, dtype=float), keys, {}))
    stats, per_cell, pooled, count = _clustered(rows, kind, levels, cells, shape, axis)
    adjusted = np.asarray(weight, dtype=float) / per_cell[np.asarray(cell, dtype=np.int64)]
    summary = _cluster_summary(columns, stats, kind, per_cell, pooled, count)
    return adjusted, Effective(float(np.sum(weight)), float(adjusted.sum()), summary, None)
