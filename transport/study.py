"""A checked study: the meaning of a `.tdag` file, as immutable values.

Everything downstream (graphs, identification, estimation, reports) reads this, never the
syntax tree. Names are plain strings here: the checker has already resolved them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from transport.source import Span

VarKind = Literal["binary", "continuous", "count", "categorical", "ordinal", "latent"]
SharingStatus = Literal["shared", "differs", "partial", "undeclared"]
Role = Literal["source", "target"]

VAR_KINDS: tuple[str, ...] = ("binary", "continuous", "count", "categorical", "ordinal", "latent")

#: The data file types a data statement may name, by suffix, and how each is read; the
#: checker refuses any other suffix (E068) before a file is ever opened.
DATA_READERS: dict[str, str] = {".csv": "csv", ".tsv": "tsv", ".parquet": "parquet",
                                ".pq": "parquet"}


@dataclass(frozen=True)
class Variable:
    """A declared variable. `levels` is its finite domain when it has one."""

    name: str
    kind: VarKind
    label: str | None = None
    levels: tuple[int | float | str, ...] = ()
    is_treatment: bool = False
    is_outcome: bool = False

    @property
    def observed(self) -> bool:
        return self.kind != "latent"

    @property
    def discrete(self) -> bool:
        return self.kind in ("binary", "categorical", "ordinal")


@dataclass(frozen=True)
class Population:
    name: str
    role: Role
    label: str | None = None


@dataclass(frozen=True, order=True)
class VariableMechanism:
    """P(variable | its parents)."""

    variable: str

    def describe(self) -> str:
        return self.variable


@dataclass(frozen=True, order=True)
class ConfounderMechanism:
    """The distribution of the unmeasured common cause written `a <-> b` (a < b)."""

    first: str
    second: str

    def describe(self) -> str:
        return f"{self.first} <-> {self.second}"


@dataclass(frozen=True, order=True)
class CoefficientMechanism:
    """The coefficient of `tail` in `head`'s mechanism (parametric models only)."""

    tail: str
    head: str

    def describe(self) -> str:
        return f"{self.tail} -> {self.head}"


Mechanism = VariableMechanism | ConfounderMechanism | CoefficientMechanism


def confounder(a: str, b: str) -> ConfounderMechanism:
    """The mechanism of the latent common cause of a and b, in canonical order."""
    first, second = sorted((a, b))
    return ConfounderMechanism(first, second)


@dataclass(frozen=True)
class Sharing:
    """What the file says about one mechanism between one source and the target."""

    status: SharingStatus
    sd: float | None = None
    because: str | None = None
    cite: str | None = None
    span: Span | None = field(default=None, compare=False)
    # `robust W`: the stated prior probability that the claim fails (None: the default)
    robust: float | None = None

    @property
    def transports(self) -> bool:
        """True when identification may treat the mechanism as identical in both."""
        return self.status == "shared"


@dataclass(frozen=True)
class Assumption:
    """One row of the assumption table: a mechanism, a source, and how they relate."""

    source: str
    mechanism: Mechanism
    sharing: Sharing


@dataclass(frozen=True)
class Prediction:
    """`V by POP = "column"`: `column` holds source `source`'s prediction of `variable` for
    the same unit (a mixed-subjects design). Not a variable of the graph."""

    variable: str
    source: str
    column: str


@dataclass(frozen=True)
class Recode:
    """`recode V { "raw" = value, ... }`: cells of V's column that read `raw` stand for
    `value` (a number, or a declared level of a categorical)."""

    variable: str
    mapping: tuple[tuple[str, int | float | str], ...]

    def as_dict(self) -> dict[str, int | float | str]:
        return dict(self.mapping)


@dataclass(frozen=True)
class DataSpec:
    """A data statement: which population, where, its design and what it measures; for
    mixed-subjects designs also the per-unit prediction columns, the cluster column and the
    weight column, and how raw cell strings are recoded."""

    population: str
    path: str
    randomized: tuple[str, ...]
    measures: tuple[str, ...]
    columns: tuple[tuple[str, str], ...] = ()
    span: Span | None = field(default=None, compare=False)
    predictions: tuple[Prediction, ...] = ()
    cluster: str | None = None
    weight: str | None = None
    recodes: tuple[Recode, ...] = ()

    @property
    def observational(self) -> bool:
        return not self.randomized

    def column_for(self, variable: str) -> str | None:
        """The column explicitly bound to a variable, if any."""
        return dict(self.columns).get(variable)

    def recode_for(self, variable: str) -> Recode | None:
        """The recode clause for a variable, if any."""
        return next((r for r in self.recodes if r.variable == variable), None)

    def predictions_of(self, variable: str) -> tuple[Prediction, ...]:
        """The prediction columns of one variable, one per source."""
        return tuple(p for p in self.predictions if p.variable == variable)

    def labelled(self, variable: str) -> bool:
        """True when the file holds `variable` itself, not only predictions of it (a data
        statement of unlabelled units lists predictions of V but leaves V out of measures)."""
        return variable in self.measures

    def design_columns(self) -> tuple[str, ...]:
        """Columns that are not variables: predictions, cluster ids and weights."""
        found = [p.column for p in self.predictions]
        found += [c for c in (self.cluster, self.weight) if c is not None]
        return tuple(dict.fromkeys(found))

    def design(self) -> str:
        return f"experiment({', '.join(self.randomized)})" if self.randomized else "observational"


Scale = Literal["difference", "ratio", "odds_ratio"]
SCALES: tuple[str, ...] = ("difference", "ratio", "odds_ratio")


@dataclass(frozen=True)
class Query:
    """The effect of interest: P_population(outcome | do(treatment)), with its contrast and
    the scale it is reported on (`ratio` and `odds_ratio` need a binary outcome).
    `generalize` (set by `estimate --generalize`, not by the file) widens the target to
    everyone sampled: every population's rows of the covariates together."""

    treatment: str
    outcome: str
    population: str
    contrast: tuple[int | float | str, int | float | str] | None = None
    scale: Scale = "difference"
    generalize: bool = False


@dataclass(frozen=True)
class FitSettings:
    chains: int = 4
    draws: int = 1000
    tune: int = 1000
    seed: int | None = None
    sampler: str = "pymc"
    cores: int = 2
    target_accept: float = 0.9


_COMPARE = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


@dataclass(frozen=True)
class Decision:
    """`decide LABEL if prob(effect OP x) OP p`: the preregistered decision rule."""

    label: str
    effect_comparison: str
    effect_threshold: float
    prob_comparison: str
    prob_threshold: float

    def describe(self) -> str:
        return (
            f"{self.label} if P(effect {self.effect_comparison} {self.effect_threshold:g}) "
            f"{self.prob_comparison} {self.prob_threshold:g}"
        )

    def probability(self, draws) -> float:
        """The posterior probability that the effect satisfies the rule's comparison."""
        import numpy as np

        values = np.asarray(draws, dtype=float)
        return float(_COMPARE[self.effect_comparison](values, self.effect_threshold).mean())

    def holds(self, draws) -> bool:
        """Whether the posterior draws meet the rule."""
        return bool(
            _COMPARE[self.prob_comparison](self.probability(draws), self.prob_threshold)
        )


CALIBRATION_ROLES = ("llm", "human", "se", "id", "by")


@dataclass(frozen=True)
class CalibrationSpec:
    """An empirical prior for how `source`'s effects translate into human effects: a
    calibration result (`.json` from `transport calibrate`) or paired effects (`.csv`, whose
    columns are named by `columns`: llm, human, se and optionally id, by)."""

    path: str
    source: str | None = None
    columns: tuple[tuple[str, str], ...] = ()


#: The basis size of a penalised spline when none is written (`spline(W)`, and the joint
#: model's default form for a continuous parent).
DEFAULT_SPLINE_BASIS = 10


@dataclass(frozen=True)
class ModelFactor:
    """One factor of a `model` term: a parent as it enters the linear predictor.
    `transform` is "level" (indicators of a discrete parent's levels), "linear" (x),
    "power" (x^degree) or "spline" (a penalised B-spline basis of `degree` functions)."""

    variable: str
    transform: Literal["level", "linear", "power", "spline"]
    degree: int = 1


@dataclass(frozen=True)
class ModelTerm:
    """A product of factors (one factor: a main effect; several: their interaction)."""

    factors: tuple[ModelFactor, ...]


@dataclass(frozen=True)
class MechanismModel:
    """A `model V ~ ...` statement: the stated form of V's mechanism (an intercept is always
    included). `text` is the right-hand side as written, for reports."""

    variable: str
    terms: tuple[ModelTerm, ...]
    text: str


@dataclass(frozen=True)
class StudyInfo:
    title: str | None = None
    question: str | None = None
    authors: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Study:
    """The compiled study. `assumptions` has a row for every source and every mechanism
    (variables and `<->` confounders), `undeclared` where the file says nothing."""

    info: StudyInfo
    populations: tuple[Population, ...]
    variables: tuple[Variable, ...]
    directed: tuple[tuple[str, str], ...]
    bidirected: tuple[tuple[str, str], ...]
    assumptions: tuple[Assumption, ...]
    coefficients: tuple[Assumption, ...]
    data: tuple[DataSpec, ...]
    query: Query
    fit: FitSettings
    path: Path | None = None
    hypotheses: tuple[str, ...] = ()
    decision: Decision | None = None
    calibrations: tuple[CalibrationSpec, ...] = ()
    models: tuple[MechanismModel, ...] = ()

    def model_of(self, variable: str) -> MechanismModel | None:
        """The `model` statement for `variable`'s mechanism, if the file has one."""
        return next((m for m in self.models if m.variable == variable), None)

    @property
    def target(self) -> Population:
        return next(p for p in self.populations if p.role == "target")

    @property
    def sources(self) -> tuple[Population, ...]:
        return tuple(p for p in self.populations if p.role == "source")

    def variable(self, name: str) -> Variable:
        for variable in self.variables:
            if variable.name == name:
                return variable
        raise KeyError(name)

    def parents(self, name: str) -> tuple[str, ...]:
        return tuple(a for a, b in self.directed if b == name)

    def sharing(self, source: str, mechanism: Mechanism) -> Sharing:
        """How a mechanism relates between a source and the target (undeclared if unstated)."""
        for row in self.assumptions + self.coefficients:
            if row.source == source and row.mechanism == mechanism:
                return row.sharing
        return Sharing("undeclared")

    def data_for(self, population: str) -> tuple[DataSpec, ...]:
        return tuple(d for d in self.data if d.population == population)

    def _repr_html_(self) -> str | None:
        """The study as HTML in a notebook (drawn by the report stage's registered renderer)."""
        from transport.display import html_of

        return html_of("study", self)

    @property
    def base_dir(self) -> Path:
        """Where relative data paths are resolved: the `.tdag` file's folder."""
        return self.path.parent if self.path is not None else Path.cwd()
