"""Continuous (and count) variables in the joint model: covariates as atoms, and the
evidence of every mechanism a continuous variable enters.

A continuous covariate W's own mechanism P(W | its discrete parents) is represented by
atoms: the values of W in the datasets that inform that mechanism (pooled under the ties
like any other mechanism), with Bayesian-bootstrap weights, Dirichlet(counts), per parent
cell and draw (Rubin 1981): the nonparametric posterior of a distribution, which puts no
mass where no row was seen. When W takes more distinct values than MAX_ATOMS, the atoms
are the means of MAX_ATOMS equal-count quantile bins and each row counts for its bin: the
g-formula then integrates the child's curve at the bin means, an error of second order in
the bins' widths. Over its atoms W behaves as a discrete variable, so the g-formula's
einsum (joint.mean_under) contracts over it unchanged.

A continuous covariate W with a continuous parent V keeps their joint distribution: P(W | V)
is a Dirichlet over W's atoms per atom of V, and since the Dirichlet is completely neutral,
V's Bayesian bootstrap times these conditionals is exactly the Bayesian bootstrap of the
pair's joint (binned) distribution. Both then use MAX_ATOMS_PAIRED atoms, so the grid stays
small; more than one continuous parent of a continuous covariate is refused.

A mechanism with a continuous parent is a penalised regression (regression.py) fitted on
the rows and evaluated at every combination of its discrete parents' levels and its
continuous parents' atoms. Two continuous covariates are independent given their parents
only where the graph says so (neither is a parent of the other).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from transport.data.load import LoadedData
from transport.estimate.cells import codes
from transport.estimate.synthesis.borrowing import (
    Configuration,
    MechanismDraws,
    configurations,
    entering,
    mixture,
)
from transport.estimate.synthesis.design import Design, terms_of
from transport.estimate.synthesis.effective import clustered_row_weights
from transport.estimate.synthesis.evidence import (
    Group,
    MechanismEvidence,
    informing_members,
    observed_parents,
    row_weights,
)
from transport.estimate.synthesis.regression import RegressionSpec
from transport.study import Study

MAX_ATOMS = 100
# with two continuous parents in one mechanism the grid is the product of their atoms
MAX_ATOMS_PAIRED = 30
# the share of the target's rows beyond a fitted curve's range that earns a note
EXTRAPOLATED_SHARE = 0.01


@dataclass(frozen=True)
class Atoms:
    """The support of a continuous covariate: sorted atom values and the boundaries that
    send a value to its atom (midpoints between exact atoms, or quantile-bin edges)."""

    values: np.ndarray
    edges: np.ndarray
    binned: bool

    def index(self, x: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.edges, np.asarray(x, dtype=float), side="right")

    @staticmethod
    def of(x: np.ndarray, limit: int) -> Atoms:
        x = np.sort(np.asarray(x, dtype=float))
        unique = np.unique(x)
        if unique.size <= limit:
            return Atoms(unique, 0.5 * (unique[1:] + unique[:-1]), False)
        cuts = np.quantile(x, np.linspace(0, 1, limit + 1)[1:-1])
        edges = np.unique(cuts)
        which = np.searchsorted(edges, x, side="right")
        values = np.array([x[which == k].mean() for k in range(edges.size + 1)
                           if np.any(which == k)])
        return Atoms(values, edges, True)


def is_continuous(study: Study, name: str) -> bool:
    variable = study.variable(name)
    return variable.observed and not variable.discrete


def involves_continuous(study: Study, variable: str) -> bool:
    """Whether `variable`'s mechanism needs this module: a continuous covariate (not the
    outcome, whose mean the Gaussian cell model handles), a continuous parent, or a
    `model` statement (whose stated form replaces the cell model)."""
    if is_continuous(study, variable) and variable != study.query.outcome:
        return True
    if study.model_of(variable) is not None:
        return True
    return any(is_continuous(study, p) for p in observed_parents(study, variable))


def atom_limit(study: Study, variable: str, order: Sequence[str]) -> int:
    """MAX_ATOMS, or MAX_ATOMS_PAIRED when the variable's atoms are crossed with another
    continuous variable's in some mechanism's grid: it shares a child with another
    continuous parent, or it is a continuous covariate with a continuous parent, or the
    continuous parent of one."""
    outcome = study.query.outcome
    for child in order:
        parents = observed_parents(study, child)
        continuous = [p for p in parents if is_continuous(study, p)]
        if variable in parents and len(continuous) > 1:
            return MAX_ATOMS_PAIRED
        covariate = is_continuous(study, child) and child != outcome and continuous
        if covariate and (variable == child or variable in continuous):
            return MAX_ATOMS_PAIRED
    return MAX_ATOMS


def covariate_atoms(study: Study, loaded: Sequence[LoadedData], order: Sequence[str],
                    own: str) -> dict[str, Atoms]:
    """The atoms of every continuous covariate of the g-formula, from the rows that inform
    its own mechanism (else, when none do, from every row that measures it, so the grid is
    defined and the mechanism is reported missing)."""
    found = {}
    for variable in order:
        if not is_continuous(study, variable) or variable == study.query.outcome:
            continue
        members, _ = informing_members(study, loaded, variable, own)
        frames = [d.frame[variable] for *_, group in members for d in group]
        if not frames:
            frames = [d.frame[variable] for d in loaded if variable in d.spec.measures]
        values = np.concatenate([np.asarray(f, dtype=float) for f in frames]) if frames \
            else np.zeros(1)
        found[variable] = Atoms.of(values, atom_limit(study, variable, order))
    return found


def _positions(study: Study, frame, name: str, atoms: dict[str, Atoms]) -> np.ndarray:
    if name in atoms:
        return atoms[name].index(frame[name])
    return codes(frame[name], study.variable(name))


def _raw(study: Study, frame, name: str) -> np.ndarray:
    if study.variable(name).discrete:
        return codes(frame[name], study.variable(name)).astype(float)
    return np.asarray(frame[name], dtype=float)


def _grid_cells(study: Study, frame, parents: Sequence[str], atoms: dict[str, Atoms],
                shape: tuple[int, ...]) -> np.ndarray:
    """Each row's cell on the grid of the parents' levels and atoms."""
    if not parents:
        return np.zeros(len(frame), dtype=np.int64)
    return np.ravel_multi_index([_positions(study, frame, p, atoms) for p in parents], shape)


def continuous_evidence(study: Study, loaded: Sequence[LoadedData], variable: str,
                        atoms: dict[str, Atoms], population: str | None = None
                        ) -> MechanismEvidence:
    """The evidence of a mechanism this module handles. Every group's `stats` is on the
    grid of the parents' levels and atoms (counts per cell and level; or n, sum, sum of
    squares for a continuous child), so the cell-based checks read it as they read any
    mechanism; a regression mechanism also keeps each group's rows in `table`
    (parent values, child value, row weight)."""
    own = population or study.target.name
    parents = observed_parents(study, variable)
    shape = tuple(atoms[p].values.size if p in atoms else len(study.variable(p).levels)
                  for p in parents)
    cells = int(np.prod(shape)) if shape else 1
    child = study.variable(variable)
    covariate = variable in atoms
    regression = not covariate and (any(p in atoms for p in parents)
                                    or study.model_of(variable) is not None)
    if covariate:
        kind, levels = "discrete", atoms[variable].values.size
    elif child.discrete:
        kind, levels = "discrete", len(child.levels)
    else:
        kind, levels = "gaussian", 1
    members, unused = informing_members(study, loaded, variable, own)
    treatment = study.query.treatment
    axis = list(parents).index(treatment) if treatment in parents else None
    groups = []
    pooled = []
    for name, relation, sd, statement, datasets in members:
        stats = np.zeros((cells, levels if kind == "discrete" else 3))
        cell = np.concatenate([_grid_cells(study, d.frame, parents, atoms, shape)
                               for d in datasets])
        value = np.concatenate([
            _positions(study, d.frame, variable, atoms) if kind == "discrete"
            else np.asarray(d.frame[variable], dtype=float) for d in datasets])
        weight = np.concatenate([row_weights(d) for d in datasets])
        # clustered rows count at their effective size: each row's weight divided by its
        # grid cell's design effect (effective.py), in the cell statistics and the fit alike
        weight, effective = clustered_row_weights(datasets, cell, value, weight, kind, levels,
                                                  shape, axis)
        if kind == "discrete":
            np.add.at(stats, (cell, value.astype(np.int64)), weight)
        else:
            for j, column in enumerate((weight, weight * value, weight * value**2)):
                stats[:, j] += np.bincount(cell, weights=column, minlength=cells)
        table = None
        if regression:
            table = np.column_stack(
                [np.concatenate([_raw(study, d.frame, p) for d in datasets]) for p in parents]
                + [np.concatenate([_raw(study, d.frame, variable) for d in datasets]),
                   weight])
            pooled.append(table)
        groups.append(Group(name, relation, sd, stats, sum(len(d.frame) for d in datasets),
                            tuple(d.spec.path for d in datasets), statement, effective,
                            table=table))
    spec = _regression_spec(study, variable, parents, atoms, pooled, shape) \
        if regression else None
    return MechanismEvidence(variable, parents, shape, kind, levels, tuple(groups),
                             tuple(unused), study.query.treatment,
                             atoms=atoms.get(variable), regression=spec)


def _regression_spec(study: Study, variable: str, parents: Sequence[str],
                     atoms: dict[str, Atoms], pooled: list[np.ndarray],
                     shape: tuple[int, ...]) -> RegressionSpec:
    rows = np.concatenate(pooled) if pooled else np.zeros((0, len(parents) + 2))
    levels = [None if p in atoms else len(study.variable(p).levels) for p in parents]
    design = Design.build(parents, levels, terms_of(study, variable, parents),
                          rows[:, :len(parents)])
    axes = [atoms[p].values if p in atoms else np.arange(len(study.variable(p).levels),
                                                          dtype=float) for p in parents]
    mesh = np.meshgrid(*axes, indexing="ij")
    grid = np.column_stack([m.reshape(-1) for m in mesh]) if parents else np.zeros((1, 0))
    if study.variable(variable).discrete:
        return RegressionSpec(design, grid, "logistic")
    y, w = rows[:, len(parents)], rows[:, len(parents) + 1]
    centre = float(np.average(y, weights=w)) if w.sum() > 0 else 0.0
    spread = float(np.sqrt(np.average((y - centre) ** 2, weights=w))) if w.sum() > 0 else 1.0
    return RegressionSpec(design, grid, "normal", centre, spread if spread > 0 else 1.0)


def partial_weight(group: Group, sd: float | None) -> float:
    """The power of a `partial W sd X` source's counts: v / (v + X^2), v = 1 / n the variance
    (in W's sds) of the source's mean, so the source tells the target W's mean to within
    about sqrt(v + X^2) sds however many rows it has (as gaussian.py's shift)."""
    if not sd:
        return 1.0
    v = 1.0 / max(float(group.stats.sum()), 1.0)
    return v / (v + sd**2)


def _bootstrap(counts: np.ndarray, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Dirichlet(counts) per cell (draws x cells x atoms); a cell without rows takes the
    pooled counts of every cell (the covariate's distribution where its parents are)."""
    pooled = counts.sum(axis=0, keepdims=True)
    if pooled.sum() <= 0:
        pooled = np.ones_like(pooled)
    alpha = np.where(counts.sum(axis=1, keepdims=True) > 0, counts, pooled)
    gamma = rng.standard_gamma(np.broadcast_to(alpha, (draws, *alpha.shape)))
    total = gamma.sum(axis=-1, keepdims=True)
    return gamma / np.where(total > 0, total, 1.0)


def atom_draws(
    evidence: MechanismEvidence,
    draws: int,
    rng: np.random.Generator,
    *,
    groups: tuple[Group, ...] | None = None,
    sds: dict[str, float | None] | None = None,
    log_marginal: dict[tuple[int, ...], float] | None = None,
    fallback_sds: dict[str, float] | None = None,
    prior_only: bool = False,
) -> MechanismDraws:
    """Bayesian-bootstrap draws of a continuous covariate's distribution over its atoms,
    per parent cell, from its own rows plus the borrowed rows the ties allow."""
    own = evidence.target
    borrowed = evidence.borrowed if groups is None else groups
    sds = sds or {}
    fallback = fallback_sds or {}
    zero = np.zeros((evidence.cells, evidence.levels))
    if prior_only:
        values = _bootstrap(np.ones_like(zero), draws, rng)
        return MechanismDraws(values, (Configuration(tuple(range(len(borrowed))), 1.0),),
                              tuple(g.population for g in borrowed))
    base = own.stats if own is not None else zero
    configs = configurations(log_marginal or {}, len(borrowed), bool(log_marginal))

    def draw_one(config: Configuration, n: int) -> np.ndarray:
        counts = base.copy()
        for group, sd in entering(config, borrowed, sds, fallback):
            counts = counts + partial_weight(group, sd) * group.stats
        return _bootstrap(counts, n, rng)

    return MechanismDraws(mixture(configs, draws, rng, draw_one), configs,
                          tuple(g.population for g in borrowed))


def alone(evidence: MechanismEvidence, group: Group) -> MechanismEvidence:
    """The evidence of one population's own rows (for its own posterior in the checks)."""
    return replace(evidence, groups=(replace(group, relation="own", sd=None),))


def extrapolation_notes(evidence: Mapping[str, MechanismEvidence], target: str
                        ) -> tuple[str, ...]:
    """A note for every continuous parent whose target values fall outside the range of the
    rows that fit its child's mechanism: there the child's curve is extrapolated along its
    boundary tangent, so the estimate rests on that form, not on data."""
    notes = []
    for variable, item in evidence.items():
        if item.regression is None:
            continue
        rows = [g.table for g in item.groups if g.table is not None and len(g.table)]
        if not rows:
            continue
        table = np.concatenate(rows)
        for j, parent in enumerate(item.parents):
            own = evidence.get(parent)
            if own is None or own.atoms is None or own.target is None:
                continue
            low, high = float(table[:, j].min()), float(table[:, j].max())
            counts = own.target.stats.sum(axis=0)
            values = own.atoms.values
            outside = float(counts[(values < low) | (values > high)].sum())
            share = outside / max(float(counts.sum()), 1.0)
            if share >= EXTRAPOLATED_SHARE:
                notes.append(
                    f"{share:.0%} of the {target} rows have {parent} outside the range of the "
                    f"rows that fit {variable}'s mechanism ({low:g} to {high:g}): there the "
                    f"curve of {variable} in {parent} is extrapolated along its boundary "
                    "tangent, so the estimate rests on that form, not on data")
    return tuple(notes)
