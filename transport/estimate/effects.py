"""The effects an estimate reports, as values: the target effect on its scale, each
source's own effect, the naive estimate, the effect without a contradicted claim, the
prior's spread and the decision rule's verdict. Each has the JSON form the estimate's
contract (docs/estimation.md) gives it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from transport.estimate.summary import DrawSummary
from transport.study import Decision


@dataclass(frozen=True)
class EffectSummary:
    """The target effect: posterior mean, sd, 95% HDI, and P(effect > null) on the query's
    scale (`null` is 0 for a difference, 1 for a ratio or an odds ratio)."""

    mean: float
    sd: float
    hdi_95: tuple[float, float]
    prob_positive: float
    scale: str
    null: float

    def to_json(self) -> dict[str, Any]:
        return {"mean": self.mean, "sd": self.sd, "hdi_95": list(self.hdi_95),
                "prob_positive": self.prob_positive, "scale": self.scale, "null": self.null}


@dataclass(frozen=True)
class SourceEffect:
    """A source's own effect from its own experiment, taken as is."""

    mean: float
    sd: float
    hdi_95: tuple[float, float]

    @classmethod
    def of(cls, summary: DrawSummary) -> SourceEffect:
        return cls(summary.mean, summary.sd, summary.hdi_95)

    def to_json(self) -> dict[str, Any]:
        return {"mean": self.mean, "sd": self.sd, "hdi_95": list(self.hdi_95)}


@dataclass(frozen=True)
class NaiveEstimate:
    """The naive answer: one source's own effect taken as the target's."""

    source: str
    mean: float
    hdi_95: tuple[float, float]

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "mean": self.mean, "hdi_95": list(self.hdi_95)}


@dataclass(frozen=True)
class EffectWithout:
    """The estimate without a contradicted sharing claim: its mean and 95% HDI, or, when
    the effect is not transportable without the claim, neither (both None)."""

    transportable: bool
    mean: float | None = None
    hdi_95: tuple[float, float] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"transportable": self.transportable, "mean": self.mean,
                "hdi_95": None if self.hdi_95 is None else list(self.hdi_95)}


@dataclass(frozen=True)
class PriorSummary:
    """The prior's spread of the effect and how much the data narrow it (1 − posterior
    variance / prior variance); None where no prior draws were made or the prior has no
    spread."""

    sd: float | None
    contraction: float | None

    def to_json(self) -> dict[str, Any]:
        return {"sd": self.sd, "contraction": self.contraction}


@dataclass(frozen=True)
class DecisionOutcome:
    """The preregistered decision rule applied to the posterior: the probability its
    comparison holds, and whether the rule is met."""

    rule: Decision
    probability: float
    holds: bool

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule.describe(), "label": self.rule.label,
                "probability": self.probability, "holds": self.holds}
