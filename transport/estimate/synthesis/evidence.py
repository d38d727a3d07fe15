"""Which datasets inform which of the target's mechanisms, and under which tie.

The joint model's parameters are the mechanisms P_pop(v | parents(v)) of every population.
Under causal sufficiency (no `<->` and no shared latent cause among the variables the effect
depends on), a dataset informs the mechanism of every variable it measures together with
that variable's parents, whatever its design, as long as the variable was not randomised
there: randomisation cuts only the randomised variable's own incoming edges (Cooper & Yoo
1999). A source population's rows then inform the *target's* mechanism when the file says
the mechanism is `shared` (the same parameters), or `partial V sd X` (the target's
parameters are the source's plus a shift of scale X); `differs` and undeclared mechanisms
share nothing. Rows are summed into sufficient statistics per parent cell, so the order of
data statements and of the rows cannot matter; clustered rows and the target's per-unit
predictions then make them effective statistics (effective.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from transport.data.load import LoadedData
from transport.errors import DataError
from transport.estimate.cells import MAX_CELLS, cell_index, is_discrete
from transport.estimate.scope import relevant_variables
from transport.estimate.synthesis.borrowing import ROBUST_WEIGHT
from transport.estimate.synthesis.effective import Effective, adjusted_statistics
from transport.study import Sharing, Study, VariableMechanism

if TYPE_CHECKING:  # the continuous-variable types (continuous.py builds such evidence)
    from transport.estimate.synthesis.continuous import Atoms
    from transport.estimate.synthesis.regression import RegressionSpec

Relation = str  # "target" (the target's own rows), "shared", "partial", or "own"


@dataclass(frozen=True)
class Group:
    """One population's rows that inform one mechanism, as sufficient statistics per
    parent cell: for a discrete variable a (cells x levels) table of counts, for a
    continuous one a (cells x 3) table of n, sum and sum of squares. A mechanism with a
    continuous parent also keeps the rows themselves in `table` (continuous.py)."""

    population: str
    relation: Relation
    sd: float | None
    stats: np.ndarray
    rows: int
    paths: tuple[str, ...]
    statement: str | None = None
    effective: Effective | None = None  # clusters / predictions made stats effective
    table: np.ndarray | None = None


@dataclass(frozen=True)
class MechanismEvidence:
    """Everything the data say about one of the target's mechanisms. A continuous parent's
    axis of `shape` runs over its atoms; `atoms` is set when the variable is itself a
    continuous covariate (its levels are then its atoms), `regression` when some parent is
    continuous (continuous.py)."""

    variable: str
    parents: tuple[str, ...]
    shape: tuple[int, ...]
    kind: str  # "discrete" or "gaussian"
    levels: int
    groups: tuple[Group, ...]
    unused: tuple[tuple[str, str], ...] = ()
    treatment: str | None = None
    atoms: Atoms | None = None
    regression: RegressionSpec | None = None

    @property
    def treatment_axis(self) -> int | None:
        """The position of the treatment among the parents (None when not a parent)."""
        return self.parents.index(self.treatment) if self.treatment in self.parents else None

    @property
    def cells(self) -> int:
        return int(np.prod(self.shape)) if self.shape else 1

    @property
    def target(self) -> Group | None:
        return next((g for g in self.groups if g.relation in ("target", "own")), None)

    @property
    def borrowed(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.relation in ("shared", "partial"))


def _absorbed_latents(study: Study, variable: str) -> tuple[str, ...]:
    return tuple(
        p for p in study.parents(variable) if not study.variable(p).observed
    )


def _claims(study: Study, source: str, variable: str) -> list[Sharing]:
    """What the file says about `source`'s mechanism of `variable` and of each latent parent
    that mechanism absorbs (all must be tied for the mechanism to be)."""
    return [study.sharing(source, VariableMechanism(name))
            for name in (variable, *_absorbed_latents(study, variable))]


def mechanism_variables(study: Study) -> tuple[str, ...]:
    """The observed relevant variables: the mechanisms the g-formula multiplies."""
    return tuple(v for v in relevant_variables(study) if study.variable(v).observed)


def observed_parents(study: Study, variable: str) -> tuple[str, ...]:
    return tuple(sorted(p for p in study.parents(variable) if study.variable(p).observed))


def tie(study: Study, source: str, variable: str) -> tuple[str, float | None, str | None]:
    """How a source's mechanism for `variable` relates to the target's: ("shared", None),
    ("partial", sd) or ("differs", None). A latent parent absorbed into the mechanism must
    be tied too: the weakest of the ties decides, and partial scales add in quadrature."""
    statuses = _claims(study, source, variable)
    if any(s.status not in ("shared", "partial") for s in statuses):
        return "differs", None, None
    stated = _stated_failure(statuses)
    robust = "" if stated is None else f" robust {stated:g}"
    partial = [s for s in statuses if s.status == "partial"]
    if not partial:
        return "shared", None, f"shared {variable}{robust} for {source}"
    sd = float(np.sqrt(sum((s.sd or 0.0) ** 2 for s in partial)))
    return "partial", sd, f"partial {variable} sd {sd:g}{robust} for {source}"


def _stated_failure(statuses: Sequence[Sharing]) -> float | None:
    """The largest `robust W` stated on the claims (a claim without one counting at the
    default), or None when none states one."""
    if all(s.robust is None for s in statuses):
        return None
    return max(ROBUST_WEIGHT if s.robust is None else s.robust for s in statuses)


def failure_weight(study: Study, source: str, variable: str) -> float:
    """The prior probability that the claim tying `source`'s mechanism of `variable` to the
    target's fails, for the robust mixture: the file's `robust W` (the largest over the
    variable and the latent parents its mechanism absorbs), else ROBUST_WEIGHT."""
    stated = _stated_failure(_claims(study, source, variable))
    return ROBUST_WEIGHT if stated is None else stated


def _statistics(
    data: LoadedData, variable: str, parents: Sequence[str], study: Study, kind: str,
    cells: int,
) -> np.ndarray:
    cell, _ = cell_index(data.frame, parents, study)
    weight = row_weights(data)
    if kind == "discrete":
        value, _ = cell_index(data.frame, (variable,), study)
        levels = len(study.variable(variable).levels)
        table = np.zeros((cells, levels))
        np.add.at(table, (cell, value), weight)
        return table
    values = np.asarray(data.frame[variable], dtype=float)
    out = np.zeros((cells, 3))
    out[:, 0] = np.bincount(cell, weights=weight, minlength=cells)
    out[:, 1] = np.bincount(cell, weights=weight * values, minlength=cells)
    out[:, 2] = np.bincount(cell, weights=weight * values**2, minlength=cells)
    return out


def row_weights(data: LoadedData) -> np.ndarray:
    """Each row's weight in the sufficient statistics: 1, or the statement's `weight` column
    scaled to sum to Kish's effective sample size (sum w)^2 / sum w^2, so that the weighted
    rows describe the weighted population and carry the information they have."""
    design = getattr(data, "design", None)
    column = getattr(design, "weight", None)
    if column is None:
        return np.ones(len(data.frame))
    w = np.asarray(column.values, dtype=float)
    total = float(w.sum())
    return w * (total / float((w**2).sum()))


def sample_of(study: Study, data: LoadedData, variable: str, own: str) -> str:
    """Whose rows `data` are for `own`'s mechanism of `variable`: its population's, or,
    when the query generalizes (the target is everyone sampled, as zEpid's
    `generalize=True`), the target's for every mechanism but the outcome's, so that the
    covariate rows of all populations describe the target together."""
    target = study.target.name
    if study.query.generalize and own == target and variable != study.query.outcome:
        return target
    return data.population


def informs(data: LoadedData, variable: str, parents: Sequence[str]) -> bool:
    """Whether a dataset follows the mechanism of `variable` and measures its parents."""
    return variable not in data.spec.randomized and {variable, *parents} <= set(
        data.spec.measures
    )


Member = tuple[str, Relation, float | None, str | None, list[LoadedData]]


def informing_members(study: Study, loaded: Sequence[LoadedData], variable: str, own: str
                      ) -> tuple[list[Member], list[tuple[str, str]]]:
    """The datasets informing `own`'s mechanism of `variable`, by population under the
    ties, as (population, relation, sd, statement, datasets in a fixed order), and the
    datasets left out with why (sorted): the one rule for every kind of mechanism."""
    target = study.target.name
    parents = observed_parents(study, variable)
    by_population: dict[str, list[LoadedData]] = {}
    unused: list[tuple[str, str]] = []
    for data in loaded:
        if variable not in data.spec.measures or variable in data.spec.randomized:
            continue
        if not informs(data, variable, parents):
            missing = sorted(set(parents) - set(data.spec.measures))
            unused.append((data.population, f"{data.spec.path} does not measure "
                                            f"{', '.join(missing)}"))
            continue
        by_population.setdefault(sample_of(study, data, variable, own), []).append(data)
    found: list[Member] = []
    for name in sorted(by_population):
        if name == own:
            relation, sd, statement = ("target" if own == target else "own"), None, None
        elif own != target:
            continue
        else:
            relation, sd, statement = tie(study, name, variable)
            if relation == "differs":
                unused.append((name, f"{variable} is not declared shared or partial for "
                                     f"{name}"))
                continue
        members = sorted(by_population[name], key=lambda d: (d.spec.path, d.spec.design()))
        found.append((name, relation, sd, statement, members))
    return found, sorted(unused)


def mechanism_evidence(
    study: Study, loaded: Sequence[LoadedData], variable: str, population: str | None = None
) -> MechanismEvidence:
    """The groups of rows that inform `population`'s mechanism of `variable` (the target's
    by default, borrowing as the file allows; for a source, only its own rows)."""
    target = study.target.name
    own = population or target
    parents = observed_parents(study, variable)
    shape = tuple(len(study.variable(p).levels) for p in parents)
    cells = int(np.prod(shape, dtype=object)) if shape else 1
    kind = "discrete" if is_discrete(study.variable(variable)) else "gaussian"
    levels = len(study.variable(variable).levels) if kind == "discrete" else 1
    if cells * levels > MAX_CELLS:
        raise DataError(
            f"{variable}'s mechanism has {cells:,} cells of its parents "
            f"{', '.join(parents)}: too many for the joint model; merge levels or variables "
            "so that fewer cells remain")
    found, unused = informing_members(study, loaded, variable, own)
    groups = []
    for name, relation, sd, statement, members in found:
        stats = sum(_statistics(d, variable, parents, study, kind, cells) for d in members)
        stats, effective = adjusted_statistics(study, loaded, name, members, variable, parents,
                                               kind, levels, cells, stats, row_weights)
        groups.append(Group(name, relation, sd, stats, sum(len(d.frame) for d in members),
                            tuple(d.spec.path for d in members), statement, effective))
    return MechanismEvidence(variable, parents, shape, kind, levels, tuple(groups),
                             tuple(unused), study.query.treatment)
