"""The parametric model of a study, as plain values (no PyMC here).

One *mechanism* `P(v | parents(v))` per observed variable, fitted in every population whose
data measure the variable and its parents. This module decides

* which mechanisms are modelled, in which populations, and how each source's parameters
  relate to the target's (`Tie`): one parameter set (shared), a shift with a stated prior
  scale (partial, or shared under a robustness `shift_scale`), independent (differs,
  undeclared), with the coefficients of single parents tied by edge-level `shared A -> B`
  (a design column is tied when every parent it involves is edge-level shared: A's main
  effect, and A x treatment only if `shared treatment -> B` is stated too);
* how parents are coded into a design matrix (`Encoding`): binary parents centred, levels
  of ordinal and categorical parents one-hot (first level the reference) and centred,
  continuous and count parents standardized (centring and scaling constants from all
  populations' rows pooled, so every population has the same coding); the treatment is
  left uncentred (0 = its first level), so another parent's main effect is its effect
  when untreated; every column of the treatment is multiplied by every column of each
  other parent (treatment x covariate interactions, so that effect modification is
  captured; covariate x covariate interactions are not included);
* the sufficient statistics of each population's rows (`Cells`): rows with the same design
  row are aggregated into one cell (success counts, level counts, sums of y and y^2), which
  gives exactly the row-wise log-likelihood at a fraction of the cost;
* and the numpy evaluation of a fitted mechanism for posterior draws (expected values,
  level probabilities, simulation, row-wise log-likelihood), used for the effect and for
  assumption checks.

Parameter blocks by likelihood (eta is the linear predictor, X the design matrix):

=============  ===============================  ==============================================
kind           likelihood                       blocks
=============  ===============================  ==============================================
binary         Bernoulli(logit^-1(eta))         alpha (1), beta (P, 1)
count          Poisson(exp(eta))                alpha (1), beta (P, 1)
continuous     Normal(eta, exp(log_sigma))      alpha (1), beta (P, 1), log_sigma (1)
ordinal        ordered logistic(eta, c)         cut (K-1) unconstrained, beta (P, 1)
categorical    softmax(0, eta_2..eta_K)         alpha (K-1), beta (P, K-1)
=============  ===============================  ==============================================

Ordinal cutpoints are `c_1 = cut_1, c_j = c_{j-1} + exp(cut_j)`, so shifts on the
unconstrained `cut` keep them ordered.

Priors (weakly informative, elementwise Normal; see `MechanismSpec.prior`): intercepts and
coefficients Normal(0, 2.5) on the logit / softmax / ordered-logit scale; count outcomes
an intercept Normal(log(mean y), 2.5) and log-rate coefficients Normal(0, 1); continuous
outcomes an intercept Normal(mean y, 2.5 sd y), coefficients Normal(0, 2.5 sd y) and
log sigma Normal(log sd y, 1) (mean and sd of y pooled over populations); ordinal
cutpoints centred on the pooled cumulative logits (first Normal(., 2.5), log-gaps
Normal(., 1)). A `partial ... sd X` shift is Normal(0, X) on these parameters' own scale
(logits, log rates, outcome units for continuous coefficients, log sigma).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from transport.errors import DataError
from transport.study import CoefficientMechanism, Sharing, Study, VariableMechanism

#: Prior scale of logit-, softmax- and ordered-logit-scale coefficients and intercepts.
LOGIT_SCALE = 2.5
#: Prior scale of log-rate coefficients of count outcomes.
LOG_RATE_SCALE = 1.0
#: Prior scale of continuous-outcome coefficients, in standard deviations of the outcome.
CONTINUOUS_SCALE = 2.5


# --- the design matrix ------------------------------------------------------------------


@dataclass(frozen=True)
class ParentCoding:
    """How one parent becomes columns: centred dummies or a standardized value."""

    name: str
    kind: str
    levels: tuple
    centre: tuple[float, ...]
    scale: float = 1.0

    @property
    def width(self) -> int:
        if self.kind in ("categorical", "ordinal"):
            return len(self.levels) - 1
        return 1

    def columns(self, values: np.ndarray) -> list[np.ndarray]:
        """`values` are internal values (level indices for categorical and ordinal)."""
        values = np.asarray(values, dtype=float)
        if self.kind in ("categorical", "ordinal"):
            return [(values == j).astype(float) - self.centre[j - 1]
                    for j in range(1, len(self.levels))]
        return [(values - self.centre[0]) / self.scale]

    def labels(self) -> list[str]:
        if self.kind in ("categorical", "ordinal"):
            return [f"{self.name}[{level}]" for level in self.levels[1:]]
        return [self.name]


@dataclass(frozen=True)
class Encoding:
    """The design matrix of one mechanism: main effects, then treatment interactions."""

    parents: tuple[ParentCoding, ...]
    treatment: str | None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self._layout())

    @property
    def groups(self) -> tuple[frozenset[str], ...]:
        """For each column, the parents it involves (edge-level ties select on this)."""
        return tuple(group for _, group in self._layout())

    @property
    def width(self) -> int:
        return len(self._layout())

    def _layout(self) -> list[tuple[str, frozenset[str]]]:
        layout = []
        for parent in self.parents:
            layout += [(label, frozenset({parent.name})) for label in parent.labels()]
        treated = self._treated()
        if treated is not None:
            for parent in self.parents:
                if parent.name == treated.name:
                    continue
                for t in treated.labels():
                    for c in parent.labels():
                        layout.append((f"{t}:{c}", frozenset({treated.name, parent.name})))
        return layout

    def _treated(self) -> ParentCoding | None:
        for parent in self.parents:
            if parent.name == self.treatment:
                return parent
        return None

    def design(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        """Columns for internal values that broadcast together; shape (..., P)."""
        if not self.parents:
            shape = np.shape(next(iter(values.values()))) if values else (0,)
            return np.zeros((*shape, 0))
        arrays = np.broadcast_arrays(
            *[np.asarray(values[p.name], dtype=float) for p in self.parents])
        by_name = {p.name: p.columns(a) for p, a in zip(self.parents, arrays, strict=True)}
        columns = [c for p in self.parents for c in by_name[p.name]]
        treated = self._treated()
        if treated is not None:
            for parent in self.parents:
                if parent.name == treated.name:
                    continue
                for t in by_name[treated.name]:
                    columns += [t * c for c in by_name[parent.name]]
        return np.stack(columns, axis=-1)


def internal_values(series: pd.Series, kind: str, levels: tuple) -> np.ndarray:
    """A loaded column as numbers: level indices for categorical/ordinal, else values."""
    if kind == "categorical":
        return np.asarray(pd.Categorical(series, categories=list(levels)).codes, dtype=float)
    if kind == "ordinal":
        index = {level: i for i, level in enumerate(levels)}
        return np.asarray([index[v] for v in series.tolist()], dtype=float)
    return series.to_numpy(dtype=float)


def make_coding(name: str, kind: str, levels: tuple, pooled: np.ndarray,
                centred: bool = True) -> ParentCoding:
    """Centred at the pooled mean; `centred=False` (the treatment) keeps 0 at the first
    level, so that other parents' coefficients are their effects when untreated."""
    if kind in ("categorical", "ordinal"):
        centre = tuple(float(np.mean(pooled == j)) if centred else 0.0
                       for j in range(1, len(levels)))
        return ParentCoding(name, kind, levels, centre)
    if kind == "binary":
        return ParentCoding(name, kind, (0, 1), (float(np.mean(pooled)) if centred else 0.0,))
    sd = float(np.std(pooled))
    return ParentCoding(name, kind, (), (float(np.mean(pooled)),), sd if sd > 0 else 1.0)


# --- sufficient statistics --------------------------------------------------------------


@dataclass(frozen=True)
class Cells:
    """One population's rows of one mechanism, and their aggregation into cells.

    `X` holds one design row per cell; `stats` are the likelihood's sufficient statistics
    per cell (see `aggregate`); `rows_X`, `rows_y` and `cell_of_row` keep the rows for
    row-wise log-likelihoods (LOO)."""

    X: np.ndarray
    n: np.ndarray
    stats: dict[str, np.ndarray]
    rows_y: np.ndarray
    cell_of_row: np.ndarray
    sources: tuple[str, ...] = ()

    @property
    def rows_X(self) -> np.ndarray:
        return self.X[self.cell_of_row]

    @property
    def n_rows(self) -> int:
        return len(self.rows_y)

    @property
    def n_cells(self) -> int:
        return len(self.n)


def aggregate(X: np.ndarray, y: np.ndarray, kind: str, n_levels: int,
              by_cell: bool = True) -> Cells:
    """Rows to cells. Statistics by kind:

    binary: `k` successes; ordinal and categorical: `counts` (cells, K); count: `sum_y` and
    `log_fact` (sum of log y!); continuous: `sum_y`, `sum_y2`. Every cell has `n` rows."""
    if by_cell and len(X):
        cells, inverse = np.unique(X, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
    else:
        cells, inverse = X, np.arange(len(X))
    m = len(cells)
    n = np.bincount(inverse, minlength=m).astype(float)
    stats: dict[str, np.ndarray] = {}
    if kind == "binary":
        stats["k"] = np.bincount(inverse, weights=y, minlength=m)
    elif kind in ("ordinal", "categorical"):
        counts = np.zeros((m, n_levels))
        np.add.at(counts, (inverse, y.astype(int)), 1.0)
        stats["counts"] = counts
    elif kind == "count":
        from scipy.special import gammaln

        stats["sum_y"] = np.bincount(inverse, weights=y, minlength=m)
        stats["log_fact"] = np.bincount(inverse, weights=gammaln(y + 1.0), minlength=m)
    else:
        stats["sum_y"] = np.bincount(inverse, weights=y, minlength=m)
        stats["sum_y2"] = np.bincount(inverse, weights=y * y, minlength=m)
    return Cells(cells, n, stats, np.asarray(y, dtype=float), inverse)


# --- ties between a source and the target -----------------------------------------------


@dataclass(frozen=True)
class Tie:
    """How one source's parameters of one mechanism relate to the target's.

    `mode`: "same" (one parameter set), "shift" (target + delta, delta ~ Normal(0, sd)
    elementwise) or "free" (independent). `tied_columns` are design columns whose
    coefficients equal the target's even when the rest is free or shifted (edge-level
    `shared A -> B`). `declared` is the file's statement, `reason` says how it was read."""

    mode: str
    sd: float | None = None
    tied_columns: tuple[int, ...] = ()
    declared: str = "undeclared"
    reason: str = ""


@dataclass(frozen=True)
class MechanismSpec:
    """One variable's mechanism across populations."""

    variable: str
    kind: str
    levels: tuple
    encoding: Encoding
    populations: tuple[str, ...]
    cells: dict[str, Cells]
    ties: dict[str, Tie]
    target: str
    y_centre: float = 0.0
    y_scale: float = 1.0
    cut_centre: tuple[float, ...] = ()
    absorbed: tuple[str, ...] = ()
    needed: bool = False

    @property
    def n_levels(self) -> int:
        return len(self.levels)

    @property
    def width(self) -> int:
        """Number of linear predictors (K-1 for categorical, else 1)."""
        return self.n_levels - 1 if self.kind == "categorical" else 1

    @property
    def has_target(self) -> bool:
        return self.target in self.populations

    def blocks(self) -> dict[str, tuple[int, ...]]:
        """Parameter block shapes."""
        p, k = self.encoding.width, self.width
        if self.kind == "ordinal":
            return {"cut": (self.n_levels - 1,), "beta": (p, k)}
        out = {"alpha": (k,), "beta": (p, k)}
        if self.kind == "continuous":
            out["log_sigma"] = (1,)
        return out

    def prior(self, block: str) -> tuple[np.ndarray | float, np.ndarray | float]:
        """(mean, sd) of the default Normal prior of a free block (elementwise)."""
        if self.kind == "continuous":
            scale = CONTINUOUS_SCALE * self.y_scale
            if block == "alpha":
                return self.y_centre, scale
            if block == "log_sigma":
                return float(np.log(self.y_scale)), 1.0
            return 0.0, scale
        if self.kind == "count":
            if block == "alpha":
                return self.y_centre, LOGIT_SCALE
            return 0.0, LOG_RATE_SCALE
        if block == "cut":
            mean = np.asarray(self.cut_centre)
            sd = np.full(len(mean), 1.0)
            sd[0] = LOGIT_SCALE
            return mean, sd
        return 0.0, LOGIT_SCALE


@dataclass(frozen=True)
class ModelSpec:
    """Every modelled mechanism, with what the effect simulation needs."""

    mechanisms: dict[str, MechanismSpec]
    treatment: str
    outcome: str
    target: str
    sources: tuple[str, ...]
    relevant: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    def param_name(self, variable: str, population: str, block: str) -> str:
        return param_name(variable, population, block)


def param_name(variable: str, population: str, block: str) -> str:
    return f"{variable}__{population}__{block}"


# --- the study to a model spec ----------------------------------------------------------


def _combine(a: Sharing, b: Sharing) -> Sharing:
    """The sharing of a mechanism that absorbs a latent parent's mechanism."""
    if a.status in ("differs", "undeclared") or b.status in ("differs", "undeclared"):
        return Sharing("differs" if "differs" in (a.status, b.status) else "undeclared")
    if a.status == "shared" and b.status == "shared":
        return Sharing("shared")
    sd = float(np.hypot(a.sd or 0.0, b.sd or 0.0))
    return Sharing("partial", sd)


def _graph(study: Study):
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(v.name for v in study.variables))
    graph.add_edges_from(sorted(study.directed))
    return graph


def relevant_variables(study: Study) -> tuple[set[str], set[str]]:
    """(variables the target effect depends on: ancestors of the outcome once the
    treatment's incoming edges are cut, outcome included and treatment excluded;
    the treatment's descendants among them)."""
    import networkx as nx

    graph = _graph(study)
    q = study.query
    cut = graph.copy()
    cut.remove_edges_from(list(cut.in_edges(q.treatment)))
    relevant = nx.ancestors(cut, q.outcome) | {q.outcome}
    relevant.discard(q.treatment)
    after = nx.descendants(cut, q.treatment)
    return relevant, after & relevant


def latent_plan(study: Study, relevant: set[str]) -> dict[str, str]:
    """Latent variables absorbed into their single child's mechanism: {latent: child}.

    A latent root with one child and no `<->` edge only adds noise to that child's
    mechanism, so the child is modelled marginally, P(child | observed parents). Any other
    latent variable the effect depends on cannot be estimated here: DataError."""
    absorbed = {}
    graph = _graph(study)
    for variable in sorted(study.variables, key=lambda v: v.name):
        if variable.observed:
            continue
        name = variable.name
        children = sorted(graph.successors(name))
        parents = sorted(graph.predecessors(name))
        confounded = any(name in pair for pair in study.bidirected)
        matters = name in relevant or any(c in relevant for c in children)
        if not parents and len(children) == 1 and not confounded:
            absorbed[name] = children[0]
            continue
        if matters:
            why = (
                f"it has parents ({', '.join(parents)})"
                if parents
                else f"it is a common cause of {', '.join(children)}"
                if len(children) > 1
                else "it is confounded with another variable (<->)"
            )
            raise DataError(
                f"the effect of {study.query.treatment} on {study.query.outcome} depends on the "
                f"latent variable '{name}', and {why}: no data measure it, so the parametric "
                "model cannot tell its mechanism apart from the others. Measure it, or remove it "
                "from the paths to the outcome (`transport identify` says what else would "
                "identify the effect)"
            )
    return absorbed


def _check_confounding(study: Study, relevant: set[str]) -> None:
    scope = relevant | {study.query.treatment}
    for a, b in study.bidirected:
        if a in scope and b in scope:
            raise DataError(
                f"the effect depends on {a} and {b}, which share an unmeasured common cause "
                f"({a} <-> {b}); the parametric backend models each mechanism given its "
                "observed parents only and would ignore it. `transport identify` says what "
                "data would identify the effect despite it"
            )


def _tie(study: Study, source: str, variable: str, absorbed: list[str], encoding: Encoding,
         shift_scale: float | Mapping[str, float] | None) -> Tie:
    sharing = study.sharing(source, VariableMechanism(variable))
    for latent in absorbed:
        sharing = _combine(sharing, study.sharing(source, VariableMechanism(latent)))
    # a column is tied when every parent it involves has an edge-level `shared A -> B`:
    # the main effect of A (its effect at the untreated level, the treatment being coded
    # uncentred), and A x treatment only if the treatment's edge is shared as well
    tied = [j for j, group in enumerate(encoding.groups)
            if all(study.sharing(source, CoefficientMechanism(parent, variable)).status
                   == "shared" for parent in group)]
    if sharing.status == "shared":
        scale = shift_scale.get(variable) if isinstance(shift_scale, Mapping) else shift_scale
        if scale:
            return Tie("shift", float(scale), tuple(tied), "shared",
                       f"shared, relaxed by a robustness shift with sd {scale:g}")
        return Tie("same", None, (), "shared", "shared: one parameter set")
    if sharing.status == "partial":
        return Tie("shift", float(sharing.sd or 0.0), tuple(tied), "partial",
                   f"partial: target = source + Normal(0, {sharing.sd:g}) shift")
    reason = f"{sharing.status}: independent parameters"
    if tied:
        reason += " except the edge-level shared coefficients"
    return Tie("free", None, tuple(tied), sharing.status, reason)


def _rows(study: Study, loaded, variable: str, parents: tuple[str, ...]):
    """Per population: a frame of rows measuring the variable and its parents (skipping
    data statements where the variable itself was randomized)."""
    out: dict[str, list[pd.DataFrame]] = {}
    files: dict[str, list[str]] = {}
    for item in sorted(loaded, key=lambda d: (d.spec.population, d.spec.path,
                                              d.spec.design())):
        spec = item.spec
        cols = (variable, *parents)
        if variable in spec.randomized or not all(c in item.frame.columns for c in cols):
            continue
        out.setdefault(spec.population, []).append(item.frame[list(cols)])
        files.setdefault(spec.population, []).append(str(spec.path))
    # rows sorted by their values: sums over them (and so every fit) do not depend on the
    # order of the file's rows
    return ({p: pd.concat(out[p], ignore_index=True)
             .sort_values(list(out[p][0].columns), kind="mergesort", ignore_index=True)
             for p in sorted(out)},
            {p: files[p] for p in sorted(files)})


def build_spec(study: Study, loaded, shift_scale: float | Mapping[str, float] | None = None,
               aggregate_rows: bool = True) -> ModelSpec:
    """The model: which mechanisms, in which populations, coded how, tied how."""
    q = study.query
    target = study.target.name
    sources = tuple(sorted(p.name for p in study.sources))
    relevant, _ = relevant_variables(study)
    absorbed_by = latent_plan(study, relevant)
    _check_confounding(study, relevant)
    notes = []
    for latent, child in absorbed_by.items():
        if child in relevant:
            notes.append(
                f"latent '{latent}' is absorbed into the mechanism of '{child}' (modelled given "
                "its observed parents); that mechanism counts as shared only where both are"
            )
    if isinstance(shift_scale, Mapping):
        unknown = [k for k in shift_scale if k not in {v.name for v in study.variables}]
        if unknown:
            raise DataError(f"shift_scale names unknown variables: {', '.join(unknown)}")
    mechanisms: dict[str, MechanismSpec] = {}
    # names, parents and populations in sorted order: the model (and so every random draw)
    # must not depend on the order of statements in the file
    for variable in sorted(study.variables, key=lambda v: v.name):
        if not variable.observed:
            continue
        name = variable.name
        all_parents = tuple(sorted(study.parents(name)))
        latent_parents = [p for p in all_parents if not study.variable(p).observed]
        if any(p not in absorbed_by for p in latent_parents):
            continue  # a latent parent we cannot absorb, and the effect does not need it
        parents = tuple(p for p in all_parents if study.variable(p).observed)
        frames, files = _rows(study, loaded, name, parents)
        needed = name in relevant
        if not frames and not needed:
            continue
        levels = variable.levels
        kind = variable.kind
        # codings from every population's rows pooled (the same coding for all)
        pooled = pd.concat(list(frames.values()), ignore_index=True) if frames else None
        codings = []
        for parent in parents:
            pv = study.variable(parent)
            values = (internal_values(pooled[parent], pv.kind, pv.levels)
                      if pooled is not None else np.zeros(1))
            codings.append(make_coding(parent, pv.kind, pv.levels, values,
                                       centred=parent != q.treatment))
        treatment = q.treatment if q.treatment in parents else None
        encoding = Encoding(tuple(codings), treatment)
        n_levels = len(levels) if kind in ("categorical", "ordinal") else 0
        if kind == "binary":
            levels = (0, 1)
            n_levels = 2
        cells = {}
        for population, frame in frames.items():
            X = encoding.design({p: internal_values(frame[p], study.variable(p).kind,
                                                    study.variable(p).levels) for p in parents}) \
                if parents else np.zeros((len(frame), 0))
            y = internal_values(frame[name], kind, variable.levels)
            cells[population] = aggregate(X, y, kind, n_levels, by_cell=aggregate_rows)
            cells[population] = Cells(**{**cells[population].__dict__,
                                         "sources": tuple(files[population])})
        y_centre, y_scale, cut_centre = 0.0, 1.0, ()
        if pooled is not None:
            yy = internal_values(pooled[name], kind, variable.levels)
            if kind == "continuous":
                y_centre = float(np.mean(yy))
                y_scale = float(np.std(yy)) or 1.0
            elif kind == "count":
                y_centre = float(np.log(np.mean(yy) + 0.1))
            elif kind == "ordinal":
                props = np.bincount(yy.astype(int), minlength=n_levels) + 0.5
                cum = np.cumsum(props / props.sum())[:-1]
                cuts = np.log(cum / (1 - cum))
                cut_centre = (float(cuts[0]),) + tuple(
                    float(np.log(max(d, 1e-3))) for d in np.diff(cuts))
        elif kind == "ordinal":
            cut_centre = tuple([0.0] * (n_levels - 1))
        # who gets parameters: populations with data, and the target when the effect
        # needs it or a source is tied to it
        absorbed = [lat for lat, child in absorbed_by.items() if child == name]
        ties = {}
        for source in sources:
            ties[source] = _tie(study, source, name, absorbed, encoding, shift_scale)
        populations = [p for p in (target, *sources) if p in cells]
        informed_target = target in cells or any(
            s in cells and ties[s].mode in ("same", "shift") for s in sources)
        if target not in populations and (informed_target or needed):
            populations.insert(0, target)
        if needed and not informed_target:
            said = ", ".join(f"{s}: {ties[s].declared}" for s in sources) or "no sources"
            edge = any(ties[s].tied_columns and s in cells for s in sources)
            raise DataError(
                f"the effect needs the {target} mechanism of '{name}' ("
                + (f"how it depends on {', '.join(parents)}" if parents else "its distribution")
                + f"), but no {target} data measure it and no "
                f"source with data shares it ({said})"
                + ("; an edge-level `shared A -> B` ties single coefficients only, not the "
                   "whole mechanism" if edge else "")
                + f". Add {target} data on '{name}' or state what is shared"
            )
        mechanisms[name] = MechanismSpec(
            variable=name, kind=kind, levels=tuple(levels), encoding=encoding,
            populations=tuple(populations), cells=cells, ties=ties, target=target,
            y_centre=y_centre, y_scale=y_scale, cut_centre=cut_centre,
            absorbed=tuple(absorbed), needed=needed,
        )
    return ModelSpec(mechanisms, q.treatment, q.outcome, target, sources,
                     tuple(sorted(relevant)), tuple(notes))
