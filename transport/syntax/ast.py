"""The .tdag syntax tree: frozen values with source spans (spans never take part in equality).

`parse(unparse(doc)) == doc` holds for every document, which is what lets the formatter
promise that it changes layout only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from transport.source import Span

_NOWHERE = Span(0, 0, 0, 0)


def _span() -> Span:
    return field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Name:
    """An identifier as written, with where it was written."""

    text: str
    span: Span = _span()


@dataclass(frozen=True)
class Text:
    """A quoted string, unescaped."""

    value: str
    span: Span = _span()


@dataclass(frozen=True)
class Number:
    """A numeric literal; `text` keeps the spelling for the formatter."""

    value: float
    text: str = field(default="", compare=False)
    span: Span = _span()


@dataclass(frozen=True)
class Level:
    """A value of a discrete domain: a bare name, a quoted string or a number."""

    value: Name | Text | Number
    span: Span = _span()


@dataclass(frozen=True)
class Range:
    """`LO..HI` inside `ordinal(...)`."""

    low: Number
    high: Number
    span: Span = _span()


@dataclass(frozen=True)
class Comment:
    text: str
    span: Span = _span()


@dataclass(frozen=True)
class Version:
    number: Number
    span: Span = _span()


@dataclass(frozen=True)
class StudyField:
    key: Name
    value: Text
    span: Span = _span()


@dataclass(frozen=True)
class StudyDecl:
    title: Text
    fields: tuple[StudyField, ...] | None
    span: Span = _span()


@dataclass(frozen=True)
class PopulationDecl:
    name: Name
    role: Name
    label: Text | None
    span: Span = _span()


@dataclass(frozen=True)
class VarType:
    kind: Name
    args: tuple[Level | Range, ...] | None
    span: Span = _span()


@dataclass(frozen=True)
class VariableDecl:
    name: Name
    type: VarType
    label: Text | None
    roles: tuple[Name, ...]
    span: Span = _span()


@dataclass(frozen=True)
class NodeGroup:
    names: tuple[Name, ...]
    braced: bool
    span: Span = _span()


@dataclass(frozen=True)
class EdgeChain:
    """`A -> B <-> C`, `{A B} -> C`: groups joined by arrows (`->`, `<-` or `<->`)."""

    groups: tuple[NodeGroup, ...]
    arrows: tuple[Name, ...]
    span: Span = _span()


@dataclass(frozen=True)
class MechanismRef:
    """What an assumption is about: a variable's mechanism (`arrow is None`), one
    coefficient (`A -> B`) or the latent common cause of a pair (`A <-> B`)."""

    first: Name
    arrow: Name | None = None
    second: Name | None = None
    span: Span = _span()


@dataclass(frozen=True)
class ForClause:
    populations: tuple[Name, ...]
    span: Span = _span()


@dataclass(frozen=True)
class BecauseClause:
    reason: Text
    span: Span = _span()


@dataclass(frozen=True)
class CiteClause:
    citation: Text
    span: Span = _span()


@dataclass(frozen=True)
class SdClause:
    sd: Number
    span: Span = _span()


@dataclass(frozen=True)
class RobustClause:
    """`robust W`: the prior probability that the claim fails (the robust mixture's weight)."""

    weight: Number
    span: Span = _span()


AssumptionClause = ForClause | BecauseClause | CiteClause | SdClause | RobustClause


@dataclass(frozen=True)
class AssumptionDecl:
    kind: Name
    mechanisms: tuple[MechanismRef, ...]
    clauses: tuple[AssumptionClause, ...]
    span: Span = _span()


@dataclass(frozen=True)
class ExperimentClause:
    variables: tuple[Name, ...]
    span: Span = _span()


@dataclass(frozen=True)
class ObservationalClause:
    span: Span = _span()


@dataclass(frozen=True)
class MeasuresClause:
    variables: tuple[Name, ...]
    span: Span = _span()


@dataclass(frozen=True)
class ColumnBinding:
    variable: Name
    column: Text
    span: Span = _span()


@dataclass(frozen=True)
class ColumnsClause:
    bindings: tuple[ColumnBinding, ...]
    span: Span = _span()


@dataclass(frozen=True)
class PredictionBinding:
    """`V by POP = "column"`: the column holds source POP's prediction of V for each unit."""

    variable: Name
    source: Name
    column: Text
    span: Span = _span()


@dataclass(frozen=True)
class PredictionsClause:
    """`predictions { V by POP = "column", ... }` on a data statement (mixed subjects)."""

    bindings: tuple[PredictionBinding, ...]
    span: Span = _span()


@dataclass(frozen=True)
class ClusterClause:
    """`cluster "column"`: rows with the same value in that column are not independent."""

    column: Text
    span: Span = _span()


@dataclass(frozen=True)
class WeightClause:
    """`weight "column"`: design or survey weights for the rows."""

    column: Text
    span: Span = _span()


@dataclass(frozen=True)
class RecodeEntry:
    """`"raw cell" = value` inside a recode clause."""

    raw: Text
    value: Level
    span: Span = _span()


@dataclass(frozen=True)
class RecodeClause:
    """`recode V { "Yes" = 1, "No" = 0 }`: how the file's cell strings map to V's values."""

    variable: Name
    entries: tuple[RecodeEntry, ...]
    span: Span = _span()


DataClause = (
    ExperimentClause
    | ObservationalClause
    | MeasuresClause
    | ColumnsClause
    | PredictionsClause
    | ClusterClause
    | WeightClause
    | RecodeClause
)


@dataclass(frozen=True)
class DataDecl:
    population: Name
    path: Text
    clauses: tuple[DataClause, ...]
    span: Span = _span()


@dataclass(frozen=True)
class InClause:
    population: Name
    span: Span = _span()


@dataclass(frozen=True)
class ContrastClause:
    treated: Level
    control: Level
    span: Span = _span()


@dataclass(frozen=True)
class ScaleClause:
    """`scale difference|ratio|odds_ratio`: the scale the effect is reported on."""

    scale: Name
    span: Span = _span()


@dataclass(frozen=True)
class QueryDecl:
    treatment: Name
    outcome: Name
    clauses: tuple[InClause | ContrastClause | ScaleClause, ...]
    span: Span = _span()


@dataclass(frozen=True)
class FitOption:
    key: Name
    value: Number | Name
    span: Span = _span()


@dataclass(frozen=True)
class FitDecl:
    options: tuple[FitOption, ...]
    span: Span = _span()


@dataclass(frozen=True)
class HypothesisDecl:
    """`hypothesis "..."`: a hypothesis about the target effect, for the preregistration."""

    text: Text
    span: Span = _span()


@dataclass(frozen=True)
class DecisionDecl:
    """`decide LABEL if prob(effect OP X) OP P`: the rule that turns the posterior into a
    conclusion."""

    label: Name
    effect_comparison: Name
    effect_threshold: Number
    prob_comparison: Name
    prob_threshold: Number
    span: Span = _span()


@dataclass(frozen=True)
class CalibrationDecl:
    """`calibration "calib.json" [for POP] [columns {...}]`: an empirical prior, from paired
    LLM/human studies, for how a source's effects translate into human effects."""

    path: Text
    source: Name | None
    columns: tuple[ColumnBinding, ...] | None
    span: Span = _span()


@dataclass(frozen=True)
class ModelFactorRef:
    """One factor of a `model` term as written: `W`, `W^2` (`power`) or `spline(W, 6)`
    (`function`, with its optional argument)."""

    variable: Name
    function: Name | None = None
    argument: Number | None = None
    power: Number | None = None
    span: Span = _span()


@dataclass(frozen=True)
class ModelTermRef:
    """Factors joined by `*`."""

    factors: tuple[ModelFactorRef, ...]
    span: Span = _span()


@dataclass(frozen=True)
class ModelDecl:
    """`model V ~ term + term ...`: the form of V's mechanism in the joint model."""

    variable: Name
    terms: tuple[ModelTermRef, ...]
    span: Span = _span()


Statement = (
    Version
    | StudyDecl
    | PopulationDecl
    | VariableDecl
    | EdgeChain
    | AssumptionDecl
    | DataDecl
    | QueryDecl
    | FitDecl
    | HypothesisDecl
    | DecisionDecl
    | CalibrationDecl
    | ModelDecl
)


@dataclass(frozen=True)
class Document:
    """A parsed file: its statements in order and every comment."""

    statements: tuple[Statement, ...]
    comments: tuple[Comment, ...] = ()
